'use strict';
/**
 * The benchmark's pass-through anchor: what a minimal community trigger costs inside n8n. Like the
 * official n8n-nodes-whatsable trigger, its webhook() hands the request body on as one item and
 * n8n answers at once; no signature check, no parsing beyond n8n's own, no duplicate window.
 * Plain CommonJS so n8n loads it without a build; bench/lib/anchor.ts installs it.
 */
class BenchAnchorTrigger {
	constructor() {
		this.description = {
			displayName: 'Bench Anchor Trigger',
			name: 'benchAnchorTrigger',
			group: ['trigger'],
			version: 1,
			description: 'Benchmark only: passes the request body through as one item',
			defaults: { name: 'Bench Anchor Trigger' },
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
			properties: [],
		};
	}

	async webhook() {
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}

module.exports = { BenchAnchorTrigger };
