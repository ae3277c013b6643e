/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
import type { IWebhookFunctions } from 'n8n-workflow';

import { EventEmitter } from 'node:events';

import { sleep } from 'n8n-workflow';

import { DedupeWindow, packedKeys } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe';
import {
	MAX_CONFIRM_ROUNDS,
	scheduleFlush,
	settleThenFlush,
	SETTLE_MS,
	flushToken as tokenFor,
	isFlushRequest,
} from '../../nodes/WhatsAbleWebhooksTrigger/flush';
import { forgetProcessWindows, settleFlushes } from '../support/processState';

const API_TOKEN = 'sbx_flush-test-token';
const SCOPE = 'wf-1:trigger-1:production';
const ctx = { getCredentials: async () => ({ apiToken: API_TOKEN }) } as unknown as IWebhookFunctions;

const TOKEN_CHARS = tokenFor(API_TOKEN, SCOPE).length;

describe('isFlushRequest', () => {
	it('accepts the token of this trigger under this credential, whichever process computed it', async () => {
		expect(await isFlushRequest(ctx, tokenFor(API_TOKEN, SCOPE), SCOPE)).toBe(true);
	});

	it.each([
		['another trigger', tokenFor(API_TOKEN, 'wf-1:trigger-2:production')],
		['another API token', tokenFor('sbx_other', SCOPE)],
	])('refuses the token of %s', async (_, header) => {
		expect(await isFlushRequest(ctx, header, SCOPE)).toBe(false);
	});

	it('refuses every header when the credential has no API token', async () => {
		const empty = { getCredentials: async () => ({ apiToken: '' }) } as unknown as IWebhookFunctions;
		expect(await isFlushRequest(empty, tokenFor('', SCOPE), SCOPE)).toBe(false);
	});

	it('reads no credential for a request without the header', async () => {
		const untouchable = {
			getCredentials: async () => {
				throw new Error('must not be read');
			},
		} as unknown as IWebhookFunctions;
		expect(await isFlushRequest(untouchable, undefined, SCOPE)).toBe(false);
	});
});

describe('isFlushRequest (outsider input: must never throw)', () => {
	it.each([
		['one non-ASCII character at the token length', 'é' + 'a'.repeat(TOKEN_CHARS - 1)],
		['only multi-byte characters at the token length', '€'.repeat(TOKEN_CHARS)],
		['an emoji at the token length', '😀' + 'a'.repeat(TOKEN_CHARS - 2)],
		['a NUL byte at the token length', '\u0000'.repeat(TOKEN_CHARS)],
		['ASCII at the token length', 'a'.repeat(TOKEN_CHARS)],
		['an empty header', ''],
		['a long header', 'x'.repeat(16_000)],
	])('refuses %s without throwing', async (_, header) => {
		await expect(isFlushRequest(ctx, header, SCOPE)).resolves.toBe(false);
	});

	it.each([[undefined], [['a', 'b']], [42]])(
		'refuses a header that is not one string (%p)',
		async (header) => {
			await expect(isFlushRequest(ctx, header, SCOPE)).resolves.toBe(false);
		},
	);

	it('refuses when reading the credential fails', async () => {
		const failing = {
			getCredentials: async () => {
				throw new Error('no credential');
			},
		} as unknown as IWebhookFunctions;
		await expect(isFlushRequest(failing, tokenFor(API_TOKEN, SCOPE), SCOPE)).resolves.toBe(false);
	});
});

/** A webhook context whose own-URL requests go to `httpRequest`; `response` is n8n's answer object. */
function flushingContext(
	httpRequest: (options: { body: { seen: unknown } }) => Promise<unknown>,
	response?: unknown,
): IWebhookFunctions {
	return {
		getCredentials: async () => ({ apiToken: API_TOKEN }),
		getResponseObject: () => response,
		helpers: { httpRequest },
	} as unknown as IWebhookFunctions;
}

describe('scheduleFlush', () => {
	afterEach(() => forgetProcessWindows());

	it('gives up after a bounded number of rounds when the own URL cannot be reached', async () => {
		let attempts = 0;
		const unreachable = flushingContext(async () => {
			attempts++;
			throw new Error('connect ECONNREFUSED');
		});
		const window = new DedupeWindow();
		window.checkAndRecord('AAAAAAAAAAAAAAAA', Date.now());
		scheduleFlush(unreachable, SCOPE, 'http://127.0.0.1:9/webhook/x', window);
		await settleFlushes(30_000);
		expect(attempts).toBe(1 + MAX_CONFIRM_ROUNDS);
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
		await sleep(SETTLE_MS * 2); // n8n is slow to queue and answer
		expect(packedKeys(window.pack())).toEqual([]);
		expect(sent).toEqual([]);
		response.emit('close');
		await settleFlushes();
		expect(packedKeys(window.pack())).toEqual([heldId]);
		expect(packedKeys(sent[0])).toEqual([heldId]);
	}, 30_000);
});
