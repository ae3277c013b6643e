/**
 * The signing secret and execution data (issue 14, item 4): Create and an Update that turns
 * signing on put the one-time secret into their output only with "Return Signing Secret" on;
 * by default the item (which n8n stores in execution data) says it was withheld and carries no
 * secret. The trigger's own registration keeps receiving it (test/trigger/lifecycle.test.ts).
 */
import type { INodeProperties } from 'n8n-workflow';

import { WhatsAbleWebhooks } from '../../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { SECRET_WITHHELD_NOTE } from '../../../nodes/WhatsAbleWebhooks/actions/webhook/fields';
import { useActionNode } from '../../support/actionNode';

const action = useActionNode();
const run = async (parameters: Record<string, unknown>) => await action.run([parameters]);

const create = (extra: Record<string, unknown> = {}) =>
	run({ operation: 'create', url: 'https://example.com/hook', events: ['incoming'], ...extra });

function onlySecret(): string {
	const [record] = action.sandbox.records();
	const secret = action.sandbox.secretOf(record.id);
	expect(secret).toHaveLength(171);
	return secret as string;
}

describe('Create', () => {
	test('by default the output carries no secret, only a note that it was withheld', async () => {
		const [item] = await create();
		const secret = onlySecret();
		expect(JSON.stringify(item)).not.toContain(secret);
		expect(item.json).not.toHaveProperty('signatureSecret');
		expect(item.json).toMatchObject({ signed: true, signatureSecretNote: SECRET_WITHHELD_NOTE });
	});

	test('with Return Signing Secret on, the output carries the secret', async () => {
		const [item] = await create({ returnSigningSecret: true });
		expect(item.json.signatureSecret).toBe(onlySecret());
	});

	test('unsigned: no secret and no note', async () => {
		const [item] = await create({ signDeliveries: false, returnSigningSecret: true });
		expect(item.json).not.toHaveProperty('signatureSecret');
		expect(item.json).not.toHaveProperty('signatureSecretNote');
	});

	test('the option is off by default, shown with Sign Deliveries, and its description warns', () => {
		const property = new WhatsAbleWebhooks().description.properties.find(
			(p: INodeProperties) =>
				p.name === 'returnSigningSecret' && p.displayOptions?.show?.operation?.includes('create'),
		);
		expect(property).toMatchObject({ type: 'boolean', default: false });
		expect(property?.displayOptions?.show?.signDeliveries).toEqual([true]);
		expect(property?.description).toMatch(/Warning: .*execution data.*forge deliveries/);
	});
});

describe('Update that turns signing on', () => {
	test('withholds the secret by default and returns it only when asked', async () => {
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/sign' });
		const update = (extra: Record<string, unknown>) =>
			run({
				operation: 'update',
				webhookId: record.id,
				updateFields: { signDeliveries: true },
				...extra,
			});
		const [withheld] = await update({});
		const secret = action.sandbox.secretOf(record.id) as string;
		expect(secret).toHaveLength(171);
		expect(JSON.stringify(withheld)).not.toContain(secret);
		expect(withheld.json.signatureSecretNote).toBe(SECRET_WITHHELD_NOTE);

		const other = action.sandbox.addRecord({ webhooks: 'https://example.com/sign-2' });
		const [returned] = await run({
			operation: 'update',
			webhookId: other.id,
			updateFields: { signDeliveries: true },
			returnSigningSecret: true,
		});
		expect(returned.json.signatureSecret).toBe(action.sandbox.secretOf(other.id));
	});
});
