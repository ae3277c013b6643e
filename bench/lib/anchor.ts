/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * The pass-through anchor (bench/anchor/): a bench-only community package installed into the
 * same n8n beside ours, whose trigger hands the body on as one item and answers at once. What
 * any community trigger pays inside n8n; ours minus the anchor is what our code costs.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';

import {
	REPO_DIR,
	SINK_NODE,
	connect,
	productionUrl,
	sinkNode,
	type TriggerWorkflow,
} from '../../scripts/n8n';

export const ANCHOR_DIR = path.join(REPO_DIR, 'bench', 'anchor');
export const ANCHOR_TYPE = 'n8n-nodes-bench-anchor.benchAnchorTrigger';
const ANCHOR_NODE = 'Bench Anchor Trigger';

/** Anchor trigger → HTTP Request to the sink (the same node the other workflows end in). */
export function anchorWorkflow(opts: {
	name: string;
	sinkUrl: string;
	webhookBaseUrl: string;
}): TriggerWorkflow {
	const webhookId = randomUUID();
	return {
		webhookId,
		url: productionUrl(opts.webhookBaseUrl, webhookId, 'webhook'),
		json: {
			name: opts.name,
			nodes: [
				{
					id: randomUUID(),
					name: ANCHOR_NODE,
					type: ANCHOR_TYPE,
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: {},
				},
				sinkNode(opts.sinkUrl),
			],
			connections: connect(ANCHOR_NODE, SINK_NODE),
			settings: { executionOrder: 'v1' },
		},
	};
}
