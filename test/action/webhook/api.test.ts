/**
 * Only the account's own webhooks are changed by id. WhatsAble's PATCH and DELETE by id check no
 * owner (the sandbox does the same by default), so the node, the agent tool and the trigger
 * confirm an id in the account's own list first; the foreign webhook stays untouched.
 */
import type { IDataObject } from 'n8n-workflow';

import { WhatsAbleApiError } from '../../../nodes/shared/apiError';
import { WhatsAbleWebhooksTrigger } from '../../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { useActionNode } from '../../support/actionNode';
import { makeHookContext, sandboxCredentials } from '../../support/n8nContext';

const action = useActionNode();

function foreignWebhook() {
	const other = action.sandbox.addAccount({ email: 'someone-else@sandbox.test', password: 'Other-Pass-1!' });
	const record = action.sandbox.addRecord({ webhooks: 'https://elsewhere.example/hook', userId: other.userId });
	return { other, record };
}

const mutations = () => action.apiCalls().filter((c) => c.method === 'DELETE' || c.method === 'PATCH');

describe("another account's webhook is never touched by id", () => {
	test('Delete refuses it with an error that names the id, and it stays', async () => {
		const { record } = foreignWebhook();
		const error = await action.runFailing([{ operation: 'delete', webhookId: record.id }]);
		expect((error as WhatsAbleApiError).kind).toBe('not-found');
		expect(error.message).toBe(`Webhook ${record.id} is not in this WhatsAble account (could not delete webhook ${record.id})`);
		expect(mutations()).toEqual([]);
		expect(action.sandbox.records().map((r) => r.id)).toContain(record.id);
	});

	test('Delete with Succeed If Already Deleted reports it gone without deleting it', async () => {
		const { record } = foreignWebhook();
		const out = await action.run([
			{ operation: 'delete', webhookId: record.id, options: { succeedIfAlreadyDeleted: true } },
		]);
		expect(out[0].json).toEqual({ id: record.id, deleted: false, alreadyGone: true });
		expect(action.sandbox.records().map((r) => r.id)).toContain(record.id);
	});

	test('Update refuses it and leaves it as it was', async () => {
		const { record } = foreignWebhook();
		const error = await action.runFailing([
			{ operation: 'update', webhookId: record.id, updateFields: { url: 'https://attacker.example/x' } },
		]);
		expect(error.message).toContain(`Webhook ${record.id} is not in this WhatsAble account`);
		expect(mutations()).toEqual([]);
		expect(action.sandbox.records().find((r) => r.id === record.id)?.webhooks).toBe('https://elsewhere.example/hook');
	});

	test('Get answers only from the account\'s own list', async () => {
		const { record } = foreignWebhook();
		const error = await action.runFailing([{ operation: 'get', webhookId: record.id }]);
		expect(error.message).toContain(`Webhook ${record.id} is not in this WhatsAble account`);
	});

	test("the trigger's unpublish deletes only what the account lists at its own URL", async () => {
		const { record } = foreignWebhook();
		// Static data naming a foreign id (tampered, or copied from another instance).
		const staticData: IDataObject = {
			registrations: {
				production: { id: record.id, url: 'https://n8n.example.com/webhook/x/webhook', sealedSecret: null, signed: false, registeredAt: '' },
			},
		};
		const ctx = makeHookContext({
			credentials: sandboxCredentials(action.sandbox),
			parameters: { events: ['incoming'], verifySignatures: false },
			webhookUrl: 'https://n8n.example.com/webhook/x/webhook',
			staticData,
		});
		await new WhatsAbleWebhooksTrigger().webhookMethods.default.delete.call(ctx);
		expect(mutations()).toEqual([]);
		expect(action.sandbox.records().map((r) => r.id)).toContain(record.id);
	});
});
