import type { Resource } from './resource';
import { webhook } from './webhook';

/**
 * The action node's resources, the one list its parameters, subtitle, dispatch and output
 * schemas come from. A new resource is a folder under actions/ (like webhook/) and a line here;
 * the first one is the default.
 */
export const RESOURCES: readonly Resource[] = [webhook];
