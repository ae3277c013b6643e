/**
 * The names and versions n8n knows the package's nodes by, read from the package itself (its
 * package.json and the node descriptions) so the harness and the tests cannot drift from them.
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import packageJson from '../../package.json';
import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { WhatsAbleWebhooksTrigger } from '../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';

export { CREDENTIAL_TYPE } from '../../nodes/shared/api';

/** The version a node added in the editor gets: its default, else its newest. */
function newVersionOf(description: INodeTypeDescription): number {
	return description.defaultVersion ?? Math.max(...[description.version].flat());
}

const trigger = new WhatsAbleWebhooksTrigger().description;
const action = new WhatsAbleWebhooks().description;

export const PACKAGE_NAME = packageJson.name;
/** n8n names a community node `<package>.<description name>`. */
export const TRIGGER_TYPE = `${PACKAGE_NAME}.${trigger.name}`;
/** The trigger version new nodes get (earlier ones still load and behave alike). */
export const TRIGGER_VERSION = newVersionOf(trigger);
export const ACTION_TYPE = `${PACKAGE_NAME}.${action.name}`;
export const ACTION_VERSION = newVersionOf(action);
