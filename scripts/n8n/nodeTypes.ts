/**
 * The names and versions n8n knows the package's nodes by, read from the package itself (its
 * package.json and the node descriptions) so the harness and the tests cannot drift from them.
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import packageJson from '../../package.json';

type ActionModule = typeof import('../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node');
type TriggerModule =
	typeof import('../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node');
/* eslint-disable @typescript-eslint/no-require-imports -- by file name: tsx resolves `X.node` to the codex file X.node.json before X.node.ts */
const { WhatsAbleWebhooks } =
	require('../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node.ts') as ActionModule;
const { WhatsAbleWebhooksTrigger } =
	require('../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node.ts') as TriggerModule;
/* eslint-enable @typescript-eslint/no-require-imports */

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
