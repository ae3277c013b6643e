import type { TriggerPanelDefinition } from 'n8n-workflow';

/* What the editor shows while the trigger listens for a test event, published or not. */
export const triggerPanel: TriggerPanelDefinition = {
	executionsHelp: {
		inactive:
			"Click 'Execute step', then send a WhatsApp message to your business number. WhatsAble delivers it to a temporary test URL, removed when listening stops. Publish the workflow to run it on every message.",
		active:
			'This workflow is published: while you listen, WhatsAble delivers each message to the test URL and to the published workflow, so the published workflow runs too.',
	},
	activationHint:
		"Publish the workflow to register its URL with WhatsAble. WhatsAble delivers only to a public HTTPS address (n8n's WEBHOOK_URL).",
};
