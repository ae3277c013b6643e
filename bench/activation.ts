/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * Activation cost against the sandbox: WhatsAble API calls and milliseconds (n8n's REST call until
 * publication settles) for a clean publish, a republish with changed settings and an unpublish,
 * for our trigger and for the pass-through anchor (which calls nothing: its figures are n8n's own
 * cost of the same step). Rounds alternate ours / anchor on fresh workflows; medians.
 */
import { performance } from 'node:perf_hooks';

import { API_PREFIX } from '../sandbox';
import {
	triggerWorkflow,
	type N8nStack,
	type TriggerWorkflow,
	type WorkflowJson,
	type WorkflowNode,
} from '../scripts/n8n';
import { anchorWorkflow } from './lib/anchor';
import { halfRangeSpread, median } from './lib/stats';

export type ActivationStep = 'publish' | 'republish' | 'unpublish';
export const ACTIVATION_STEPS: readonly ActivationStep[] = ['publish', 'republish', 'unpublish'];

export interface StepFigures {
	/** WhatsAble API calls, median over rounds (they are the same every round). */
	calls: number;
	ms: number;
	msSpread: number;
	/** The calls of the last round, `METHOD path`, for the report. */
	callList: string[];
}

export interface ActivationResult {
	rounds: number;
	ours: Record<ActivationStep, StepFigures>;
	anchor: Record<ActivationStep, StepFigures>;
}

type Side = 'ours' | 'anchor';

/** The changed settings of a republish: ours gets outgoing messages too; the anchor has no settings, so its sink body changes. */
function changed(side: Side, node: WorkflowNode): WorkflowNode {
	if (side === 'ours' && node.type.endsWith('.whatsAbleWebhooksTrigger')) {
		return { ...node, parameters: { ...node.parameters, events: ['incoming', 'outgoing'] } };
	}
	if (side === 'anchor' && node.type === 'n8n-nodes-base.httpRequest') {
		return { ...node, parameters: { ...node.parameters, jsonBody: '{"done":"again"}' } };
	}
	return node;
}

async function timed(
	stack: N8nStack,
	run: () => Promise<unknown>,
): Promise<{ ms: number; calls: string[] }> {
	const mark = stack.sandbox.calls.length;
	const t0 = performance.now();
	await run();
	const ms = performance.now() - t0;
	const calls = stack.sandbox.calls
		.slice(mark)
		.filter((c) => c.path.startsWith(API_PREFIX))
		.map((c) => `${c.method} ${c.path.slice(API_PREFIX.length).split('?')[0]}`);
	return { ms, calls };
}

async function oneRound(
	stack: N8nStack,
	side: Side,
	round: number,
): Promise<Record<ActivationStep, { ms: number; calls: string[] }>> {
	const name = `Activation ${side} ${round}`;
	const base = stack.n8n.webhookUrl;
	const sinkUrl = stack.sink.urlFor(`activation-${side}`);
	const wf: TriggerWorkflow =
		side === 'ours'
			? triggerWorkflow({
					name,
					credential: stack.credential,
					sinkUrl,
					webhookBaseUrl: base,
					parameters: {
						events: ['incoming'],
						verifySignatures: true,
						options: { signatureScheme: 'hmac' },
					},
				})
			: anchorWorkflow({ name, sinkUrl, webhookBaseUrl: base });
	const created = await stack.rest.createWorkflow(wf.json);
	const expectStatus = (want: string) => (s: { status: string }) => {
		if (s.status !== want) throw new Error(`${name}: expected ${want}, got ${JSON.stringify(s)}`);
	};
	const publish = await timed(stack, async () =>
		expectStatus('published')(await stack.rest.activate(created.id)),
	);
	const republish = await timed(stack, async () => {
		const current = await stack.rest.getWorkflow(created.id);
		const json: WorkflowJson & { versionId: string } = {
			name: current.name,
			nodes: current.nodes.map((n) => changed(side, n)),
			connections: current.connections,
			settings: current.settings,
			versionId: current.versionId,
		};
		await stack.rest.call('PATCH', `/rest/workflows/${created.id}`, json);
		expectStatus('published')(await stack.rest.activate(created.id));
	});
	const unpublish = await timed(stack, async () =>
		expectStatus('not_published')(await stack.rest.deactivate(created.id)),
	);
	return { publish, republish, unpublish };
}

function figures(
	rounds: Array<Record<ActivationStep, { ms: number; calls: string[] }>>,
): Record<ActivationStep, StepFigures> {
	const out = {} as Record<ActivationStep, StepFigures>;
	for (const step of ACTIVATION_STEPS) {
		const ms = rounds.map((r) => r[step].ms);
		out[step] = {
			calls: median(rounds.map((r) => r[step].calls.length)),
			ms: median(ms),
			msSpread: halfRangeSpread(ms),
			callList: rounds[rounds.length - 1][step].calls,
		};
	}
	return out;
}

/** `rounds` rounds of publish / republish / unpublish, ours then the anchor, on a started stack. */
export async function measureActivation(
	stack: N8nStack,
	rounds: number,
): Promise<ActivationResult> {
	const ours: Array<Record<ActivationStep, { ms: number; calls: string[] }>> = [];
	const anchor: typeof ours = [];
	for (let round = 1; round <= rounds; round++) {
		ours.push(await oneRound(stack, 'ours', round));
		anchor.push(await oneRound(stack, 'anchor', round));
	}
	return { rounds, ours: figures(ours), anchor: figures(anchor) };
}
