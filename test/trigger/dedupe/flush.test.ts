/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
import type { IWebhookFunctions } from 'n8n-workflow';

import { EventEmitter } from 'node:events';

import { sleep } from 'n8n-workflow';

import { DedupeWindow, packedKeys } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import {
	MAX_CONFIRM_ROUNDS,
	scheduleFlush,
	settleThenFlush,
	flushTimings,
	isFlushRequest,
	MAX_FLUSH_BODY_BYTES,
} from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { FLUSH_PROOF_VALIDITY_MS, flushProof } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flushProof';
import { forgetProcessWindows, settleFlushes } from '../../support/restart';

const API_TOKEN = 'sbx_flush-test-token';
const SCOPE = 'wf-1:trigger-1:production';
const ctx = { getCredentials: async () => ({ apiToken: API_TOKEN }) } as unknown as IWebhookFunctions;

const BODY = Buffer.from(JSON.stringify({ seen: 'w1:' }));
const T0 = Date.UTC(2026, 11, 1);
const proofFor = (key = API_TOKEN, scope = SCOPE, body: Buffer | string = BODY, at = T0) =>
	flushProof(key, scope, body, at);
const PROOF_CHARS = proofFor().length;
const isFlush = async (header: unknown, body: Buffer | undefined = BODY, now = T0, context = ctx) =>
	await isFlushRequest(context, header, SCOPE, body, now);

describe('isFlushRequest', () => {
	it('accepts a proof of this trigger under this credential, whichever process made it', async () => {
		expect(await isFlush(proofFor())).toBe(true);
	});

	it.each([
		['another trigger', () => proofFor(API_TOKEN, 'wf-1:trigger-2:production')],
		['another key', () => proofFor('sbx_other')],
		['another body (a captured proof on a forged window)', () => proofFor(API_TOKEN, SCOPE, '{"seen":"w1:x"}')],
		['a proof made 61 seconds ago', () => proofFor(API_TOKEN, SCOPE, BODY, T0 - FLUSH_PROOF_VALIDITY_MS - 1_000)],
		['a proof dated 61 seconds ahead', () => proofFor(API_TOKEN, SCOPE, BODY, T0 + FLUSH_PROOF_VALIDITY_MS + 1_000)],
		['the header of the earlier version (an HMAC of the scope alone)', () => 'x'.repeat(43)],
	])('refuses the proof of %s', async (_, header) => {
		expect(await isFlush(header())).toBe(false);
	});

	it('accepts each proof once: a replay is judged as a delivery', async () => {
		const header = proofFor(API_TOKEN, SCOPE, BODY, T0 + 1);
		expect(await isFlush(header, BODY, T0 + 2)).toBe(true);
		expect(await isFlush(header, BODY, T0 + 3)).toBe(false);
	});

	it('refuses a body larger than one whole window, before reading the credential', async () => {
		const huge = Buffer.alloc(MAX_FLUSH_BODY_BYTES + 1, 0x61);
		const untouchable = {
			getCredentials: async () => {
				throw new Error('must not be read');
			},
		} as unknown as IWebhookFunctions;
		expect(await isFlush(proofFor(API_TOKEN, SCOPE, huge), huge, T0, untouchable)).toBe(false);
	});

	it('refuses every header when the credential has no key', async () => {
		const empty = { getCredentials: async () => ({ apiToken: '' }) } as unknown as IWebhookFunctions;
		expect(await isFlush(proofFor(''), BODY, T0, empty)).toBe(false);
	});

	it('reads no credential for a request without the header', async () => {
		const untouchable = {
			getCredentials: async () => {
				throw new Error('must not be read');
			},
		} as unknown as IWebhookFunctions;
		expect(await isFlush(undefined, BODY, T0, untouchable)).toBe(false);
	});
});

describe('isFlushRequest (outsider input: must never throw)', () => {
	it.each([
		['one non-ASCII character at the proof length', 'é' + 'a'.repeat(PROOF_CHARS - 1)],
		['only multi-byte characters at the proof length', '€'.repeat(PROOF_CHARS)],
		['an emoji at the proof length', '😀' + 'a'.repeat(PROOF_CHARS - 2)],
		['a NUL byte at the proof length', '\u0000'.repeat(PROOF_CHARS)],
		['ASCII at the proof length', 'a'.repeat(PROOF_CHARS)],
		['an empty header', ''],
		['a long header', 'x'.repeat(16_000)],
		['a proof with a time too large for a number', `f2.${'z'.repeat(12)}.${'a'.repeat(16)}.${'a'.repeat(43)}`],
	])('refuses %s without throwing', async (_, header) => {
		await expect(isFlush(header)).resolves.toBe(false);
	});

	it.each([[undefined], [['a', 'b']], [42]])(
		'refuses a header that is not one string (%p)',
		async (header) => {
			await expect(isFlush(header)).resolves.toBe(false);
		},
	);

	it('refuses when reading the credential fails', async () => {
		const failing = {
			getCredentials: async () => {
				throw new Error('no credential');
			},
		} as unknown as IWebhookFunctions;
		await expect(isFlush(proofFor(), BODY, T0, failing)).resolves.toBe(false);
	});
});

/** A webhook context whose own-URL requests go to `httpRequest`; `response` is n8n's answer object. */
function flushingContext(
	httpRequest: (options: { body: { seen: unknown } }) => Promise<unknown>,
	response?: unknown,
	warnings: string[] = [],
): IWebhookFunctions {
	return {
		getCredentials: async () => ({ apiToken: API_TOKEN }),
		getResponseObject: () => response,
		logger: { warn: (line: string) => warnings.push(line) },
		// The flush body goes as the exact text its proof covers.
		helpers: {
			httpRequest: async (options: { body: string }) =>
				await httpRequest({ body: JSON.parse(options.body) as { seen: unknown } }),
		},
	} as unknown as IWebhookFunctions;
}

describe('scheduleFlush', () => {
	afterEach(() => forgetProcessWindows());

	it('gives up after a bounded number of rounds when the own URL cannot be reached, and says so once in the log, with the way out', async () => {
		let attempts = 0;
		const warnings: string[] = [];
		const blocked = Object.assign(new Error('The request was blocked because it resolves to a restricted IP address'), {
			name: 'SsrfBlockedIpError',
		});
		const unreachable = flushingContext(
			async () => {
				attempts++;
				throw blocked;
			},
			undefined,
			warnings,
		);
		const window = new DedupeWindow();
		window.checkAndRecord('AAAAAAAAAAAAAAAA', Date.now());
		scheduleFlush(unreachable, SCOPE, 'http://127.0.0.1:9/webhook/x', window);
		await settleFlushes(30_000);
		expect(attempts).toBe(1 + MAX_CONFIRM_ROUNDS);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain("n8n's SSRF protection blocked it");
		expect(warnings[0]).toContain('N8N_SSRF_ALLOWED_HOSTNAMES');
	}, 40_000);

	it('stops at once when something else than the trigger answers (n8n\'s 404 after unpublishing)', async () => {
		let attempts = 0;
		const unpublished = flushingContext(async () => {
			attempts++;
			return { code: 404, message: 'The requested webhook "POST x/webhook" is not registered.' };
		});
		const window = new DedupeWindow();
		window.checkAndRecord('AAAAAAAAAAAAAAAA', Date.now());
		scheduleFlush(unpublished, SCOPE, 'http://127.0.0.1:9/webhook/x', window);
		await settleFlushes(30_000);
		expect(attempts).toBe(1);
	}, 40_000);

	it('a burst shares one flush, and one more confirms it', async () => {
		const bodies: unknown[] = [];
		const reachable = flushingContext(async ({ body }) => {
			bodies.push(body);
			return { status: 'flushed', missing: [] };
		});
		const window = new DedupeWindow();
		for (const key of ['AAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBB', 'CCCCCCCCCCCCCCCC']) {
			window.checkAndRecord(key, Date.now());
			scheduleFlush(reachable, SCOPE, 'http://127.0.0.1:9/webhook/x', window);
		}
		await settleFlushes();
		expect(bodies).toHaveLength(2);
		expect(bodies[0]).toEqual(bodies[1]);
	}, 20_000);
});

describe('settleThenFlush', () => {
	afterEach(() => forgetProcessWindows());

	it('keeps an accepted id out of every saved copy until n8n has answered (it queues the execution first), then flushes it', async () => {
		const response = Object.assign(new EventEmitter(), { writableFinished: false, destroyed: false });
		const sent: unknown[] = [];
		const ctx = flushingContext(async ({ body }) => {
			sent.push(body.seen);
			return { status: 'flushed', missing: [] };
		}, response);
		const heldId = 'AAAAAAAAAAAAAAAA';
		const window = new DedupeWindow();
		window.checkAndRecord(heldId, Date.now());
		window.hold([heldId]);
		settleThenFlush(ctx, SCOPE, 'http://127.0.0.1:9/webhook/x', window, [heldId]);
		await sleep(flushTimings.settleMs * 2); // n8n is slow to queue and answer
		expect(packedKeys(window.pack())).toEqual([]);
		expect(sent).toEqual([]);
		response.emit('close');
		await settleFlushes();
		expect(packedKeys(window.pack())).toEqual([heldId]);
		expect(packedKeys(sent[0])).toEqual([heldId]);
	}, 30_000);
});
