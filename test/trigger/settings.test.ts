/**
 * The settings reader: every default comes from the parameter descriptions the editor shows,
 * unusable values fall back to them, and the registration the settings want.
 */
import type { INode, INodeProperties } from 'n8n-workflow';

import { triggerProperties } from '../../nodes/WhatsAbleWebhooksTrigger/description/parameters';
import {
	defaultOf,
	defaultSettings,
	desiredRegistration,
	readSettings,
	settingsFrom,
} from '../../nodes/WhatsAbleWebhooksTrigger/settings';

function reader(values: Record<string, unknown>) {
	return (name: string): unknown => (name in values ? values[name] : defaultOf(name));
}

function ctxWith(values: Record<string, unknown>) {
	return {
		getNodeParameter: (name: string, fallback: unknown) =>
			name in values ? values[name] : fallback,
		getNode: () => ({ name: 'WhatsAble Trigger' }) as INode,
	} as unknown as Parameters<typeof readSettings>[0];
}

function property(name: string): INodeProperties {
	for (const p of triggerProperties) {
		if (p.name === name) return p;
		const option = (p.options ?? []).find((o) => 'name' in o && o.name === name);
		if (option) return option as INodeProperties;
	}
	throw new Error(`no parameter ${name}`);
}

test('every default is the one the editor shows', () => {
	const settings = defaultSettings();
	expect(settings.incoming).toBe((property('events').default as string[]).includes('incoming'));
	expect(settings.verifySignatures).toBe(property('verifySignatures').default);
	expect(settings.output).toBe(property('output').default);
	expect(settings.respond).toBe(property('respond').default);
	expect(settings.signatureScheme).toBe(property('signatureScheme').default);
	expect(settings.binaryProperty).toBe(property('binaryProperty').default);
	expect(settings.maxAttachmentBytes).toBe(
		(property('maxAttachmentMb').default as number) * 1024 * 1024,
	);
	expect(settings.downloadAttachment).toBe(property('downloadAttachment').default);
	expect(settings.onlyHuman).toBe(property('onlyHuman').default);
});

test('readSettings through n8n’s getNodeParameter equals the defaults when nothing is set', () => {
	expect(readSettings(ctxWith({}))).toEqual(defaultSettings());
});

test('unusable values fall back to their defaults instead of failing a delivery', () => {
	const settings = settingsFrom(
		reader({
			output: 'sideways',
			respond: 42,
			verifySignatures: 'perhaps',
			options: { signatureScheme: 'rot13', binaryProperty: '', maxAttachmentMb: -5 },
		}),
	);
	expect(settings.output).toBe(defaultSettings().output);
	expect(settings.respond).toBe(defaultSettings().respond);
	expect(settings.verifySignatures).toBe(defaultSettings().verifySignatures);
	expect(settings.signatureScheme).toBe(defaultSettings().signatureScheme);
	expect(settings.binaryProperty).toBe(defaultSettings().binaryProperty);
	expect(settings.maxAttachmentBytes).toBe(1024 * 1024);
});

test('Filters and Options are read from their own collections, lower-cased where they compare', () => {
	const settings = settingsFrom(
		reader({
			events: ['incoming', 'outgoing'],
			filters: { messageTypes: ['Image'], labels: 'Sales, VIP', onlyHuman: true },
			options: { downloadAttachment: true, binaryProperty: 'file', maxAttachmentMb: 3 },
		}),
	);
	expect(settings).toMatchObject({
		incoming: true,
		outgoing: true,
		messageTypes: ['image'],
		labels: ['sales', 'vip'],
		onlyHuman: true,
		downloadAttachment: true,
		binaryProperty: 'file',
		maxAttachmentBytes: 3 * 1024 * 1024,
	});
	// An option's name at the wrong level is not that option.
	expect(settingsFrom(reader({ onlyHuman: true })).onlyHuman).toBe(false);
});

test('the loop guard applies only when outgoing messages are chosen', () => {
	expect(settingsFrom(reader({ events: ['incoming'] })).ignoreAutomatedOutgoing).toBe(false);
	expect(settingsFrom(reader({ events: ['outgoing'] })).ignoreAutomatedOutgoing).toBe(true);
	expect(
		settingsFrom(reader({ events: ['outgoing'], ignoreAutomatedOutgoing: false }))
			.ignoreAutomatedOutgoing,
	).toBe(false);
});

test('the waiting duration counts only with Schedule Activity on', () => {
	expect(settingsFrom(reader({ options: { waitingDuration: 600 } })).waitingDuration).toBe(0);
	expect(
		settingsFrom(reader({ options: { scheduleActivity: true, waitingDuration: 600 } }))
			.waitingDuration,
	).toBe(600);
	expect(settingsFrom(reader({ options: { scheduleActivity: true } })).waitingDuration).toBe(
		defaultOf('waitingDuration'),
	);
});

test('the registration the settings want, and none without an event', () => {
	const ctx = ctxWith({});
	expect(
		desiredRegistration(ctx, defaultSettings(), 'https://n8n.example.com/webhook/x'),
	).toMatchObject({
		webhooks: 'https://n8n.example.com/webhook/x',
		incoming: true,
		outgoing: false,
		active_signature: true,
	});
	expect(() =>
		desiredRegistration(ctx, defaultSettings({ incoming: false, outgoing: false }), 'https://x'),
	).toThrow('Choose at least one event');
});

describe('conversation options', () => {
	test('both are off by default', () => {
		expect(defaultSettings()).toMatchObject({ burst: null, humanPause: null });
	});

	test('Wait for the Contact to Pause takes effect only with Output "Message" and Respond "Immediately", as the editor shows it', () => {
		expect(settingsFrom(reader({ combineBursts: true })).burst).toEqual({
			quietMs: Number(property('quietSeconds').default) * 1000,
		});
		expect(settingsFrom(reader({ combineBursts: true, respond: 'lastNode' })).burst).toBeNull();
		expect(settingsFrom(reader({ combineBursts: true, output: 'history' })).burst).toBeNull();
		const shown = property('combineBursts').displayOptions?.show;
		expect(shown).toMatchObject({ output: ['message'], respond: ['immediately'] });
	});

	test('the quiet time is kept within its bounds whatever is stored', () => {
		const quiet = (value: unknown) =>
			settingsFrom(reader({ combineBursts: true, quietSeconds: value })).burst?.quietMs;
		expect(quiet(0)).toBe(1000);
		expect(quiet(60)).toBe(5000);
		expect(quiet('x')).toBe(Number(property('quietSeconds').default) * 1000);
	});

	test('Pause While a Human Replies reads its length and mode, and registers for outgoing messages too', () => {
		const settings = settingsFrom(
			reader({ events: ['incoming'], humanPause: true, humanPauseMinutes: 5, whilePaused: 'flag' }),
		);
		expect(settings.humanPause).toEqual({ lengthMs: 5 * 60_000, flag: true });
		expect(settings.outgoing).toBe(false);
		expect(
			desiredRegistration(ctxWith({}), settings, 'https://n8n.example/webhook/x/webhook'),
		).toMatchObject({
			incoming: true,
			outgoing: true,
		});
		const off = settingsFrom(reader({ events: ['incoming'] }));
		expect(
			desiredRegistration(ctxWith({}), off, 'https://n8n.example/webhook/x/webhook').outgoing,
		).toBe(false);
	});
});
