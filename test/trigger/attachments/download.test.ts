/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * Download Attachment over real HTTP, through n8n-core's real httpRequest helper:
 * - only https to public addresses, on the first request and on every redirect hop: nothing in
 *   the hostile media corpus reaches the tripwire listener;
 * - the size limit holds on Content-Length and while streaming (reading stops at the limit);
 * - one total deadline, also against a server trickling bytes too often for an idle timeout;
 * - and through the trigger's webhook(): the file becomes binary data, attacks become attachmentError.
 * `media.example.test` and `cdn.example.test` are routed to the local media server by
 * test/support/testHosts.ts (playing DNS), so shipped code keeps its https/public-only rule.
 */
import { createHash } from 'node:crypto';

import { sleep, type IWebhookFunctions } from 'n8n-workflow';
import { request } from 'undici';

import {
	downloadAttachment,
	MAX_ATTACHMENT_REDIRECTS,
	MAX_FILE_NAME_LENGTH,
	type AttachmentOptions,
} from '../../../nodes/WhatsAbleWebhooksTrigger/attachments/download';
import { buildFlatPayload } from '../../../sandbox';
import { HOSTILE_ATTACHMENT_NAMES, hostileMediaUrls } from '../../support/hostileCorpus';
import { MediaServer, SAMPLE_PDF, Tripwire } from '../../support/mediaServer';
import { bareWebhookContext } from '../../support/testHosts';
import { forgetProcessWindows } from '../../support/restart';
import { TriggerEndpoint } from '../../support/webhookServer';

const MEDIA = 'https://media.example.test';
const MiB = 1024 * 1024;

let media: MediaServer;
let tripwire: Tripwire;
let ctx: IWebhookFunctions;

beforeAll(async () => {
	media = await MediaServer.start();
	tripwire = await Tripwire.start();
	const hosts = { 'media.example.test': media.origin, 'cdn.example.test': media.origin };
	ctx = bareWebhookContext(hosts);
});
afterAll(async () => {
	await media.stop();
	await tripwire.stop();
});

const download = async (url: string, options: Partial<AttachmentOptions> = {}) =>
	await downloadAttachment(ctx, url, { type: 'document', maxBytes: MiB, ...options });

const redirectTo = (target: string, status = 302) =>
	`${MEDIA}/redirect?status=${status}&to=${encodeURIComponent(target)}`;

describe('the address rule, on the first request and on every redirect hop', () => {
	test('a public https link is downloaded, also through relative and cross-host redirects', async () => {
		for (const url of [
			`${MEDIA}/doc.pdf`,
			redirectTo('/doc.pdf', 301),
			redirectTo('https://cdn.example.test/doc.pdf', 307),
			redirectTo(redirectTo('/doc.pdf', 308), 303),
		]) {
			const result = await download(url);
			expect(result).toMatchObject({ ok: true, bytes: SAMPLE_PDF.length });
			if (result.ok) expect(Buffer.from(result.binary.data, 'base64')).toEqual(SAMPLE_PDF);
		}
	});

	test.each(hostileMediaUrls(0).map((c) => [c.name] as const))(
		'%s: refused directly and as a redirect target, nothing reaches the address',
		async (name) => {
			const target = hostileMediaUrls(tripwire.port).find((c) => c.name === name)!.url;
			const direct = await download(target);
			const redirected = await download(redirectTo(target));
			const twoHops = await download(redirectTo(redirectTo(target, 307), 301));
			for (const result of [direct, redirected, twoHops]) expect(result.ok).toBe(false);
			expect(direct).toEqual({
				ok: false,
				error: expect.stringMatching(/https|not public|URL|user name/),
			});
			expect(tripwire.connections).toBe(0);
		},
	);

	test('a SHA-256 given in the delivery is checked', async () => {
		const good = createHash('sha256').update(SAMPLE_PDF).digest('hex');
		expect((await download(`${MEDIA}/doc.pdf`, { sha256: good.toUpperCase() })).ok).toBe(true);
		expect(await download(`${MEDIA}/doc.pdf`, { sha256: '0'.repeat(64) })).toEqual({
			ok: false,
			error: 'the attachment does not match the SHA-256 given in the delivery',
		});
	});

	test('a redirect loop stops after the last redirect allowed', async () => {
		const before = media.paths.length;
		expect(await download(`${MEDIA}/loop`)).toEqual({
			ok: false,
			error: `the attachment server redirected more than ${MAX_ATTACHMENT_REDIRECTS} times`,
		});
		expect(media.paths.length - before).toBe(MAX_ATTACHMENT_REDIRECTS + 1);
	});
});

describe('the file name: a safe base name from the link, never a directory', () => {
	test.each(HOSTILE_ATTACHMENT_NAMES.map((c) => [c.name, c] as const))(
		'%s',
		async (_name, { segment, fileName }) => {
			const result = await download(`${MEDIA}/named/${segment}`, { type: 'image' });
			expect(result.ok).toBe(true);
			if (!result.ok) return;
			const { binary } = result;
			expect(binary.directory).toBeUndefined();
			if (fileName instanceof RegExp) expect(binary.fileName).toMatch(fileName);
			else expect(binary.fileName).toBe(fileName ?? 'image');
			expect(binary.fileName?.length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
			expect(binary.fileName).not.toMatch(/[\p{Cc}\p{Cf}"'/\\<>:|?*]/u);
		},
	);

	test('a message type that is not a safe name gives a safe default name', async () => {
		const names = [];
		for (const type of ['../../etc\r\n"x', '..', '']) {
			const result = await download(`${MEDIA}/named/no-extension`, { type });
			names.push(result.ok ? [result.binary.fileName, result.binary.directory] : result.error);
		}
		expect(names).toEqual([
			['etcx', undefined],
			['attachment', undefined],
			['attachment', undefined],
		]);
	});
});

describe('size limit and total deadline', () => {
	test('a 1.5 GB Content-Length is refused on the header, before the body is read', async () => {
		const started = Date.now();
		const sentBefore = media.sentOf('/declared-huge');
		const cutBefore = media.cutShortOf('/declared-huge');
		const result = await download(`${MEDIA}/declared-huge`);
		expect(result).toEqual({
			ok: false,
			error: `the attachment is larger than the ${MiB} byte limit`,
		});
		expect(Date.now() - started).toBeLessThan(2_000);
		// The connection is closed at once, not left open for the server to keep filling.
		await sleep(300);
		expect(media.cutShortOf('/declared-huge')).toBe(cutBefore + 1);
		expect(media.sentOf('/declared-huge') - sentBefore).toBeLessThan(MiB);
	});

	test('an endless body without Content-Length: reading stops at the limit and the connection is closed', async () => {
		const sentBefore = media.sentOf('/endless');
		const cutBefore = media.cutShortOf('/endless');
		const memoryBefore = process.memoryUsage().rss;
		const result = await download(`${MEDIA}/endless`, { maxBytes: 2 * MiB });
		expect(result).toEqual({
			ok: false,
			error: `the attachment is larger than the ${2 * MiB} byte limit`,
		});
		await sleep(200);
		const sentAtStop = media.sentOf('/endless');
		await sleep(300);
		// The server noticed the closed connection and stopped sending.
		expect(media.cutShortOf('/endless')).toBe(cutBefore + 1);
		expect(media.sentOf('/endless')).toBe(sentAtStop);
		// Socket buffers let a few MB more through, never the file.
		expect(sentAtStop - sentBefore).toBeLessThan(16 * MiB);
		expect(process.memoryUsage().rss - memoryBefore).toBeLessThan(128 * MiB);
	});

	test('a trickle that never goes idle is cut at the total deadline, not held open', async () => {
		const cutBefore = media.cutShortOf('/slow');
		const started = Date.now();
		// A byte every 100 ms never lets an idle timeout fire: only the total deadline can stop it.
		const result = await download(`${MEDIA}/slow`, { deadlineMs: 500 });
		const took = Date.now() - started;
		expect(result).toEqual({
			ok: false,
			error: 'the attachment download did not finish within 0.5 seconds',
		});
		expect(took).toBeGreaterThanOrEqual(450);
		expect(took).toBeLessThan(3_500); // slack for a loaded machine; the attack held 38 s
		await sleep(200);
		expect(media.cutShortOf('/slow')).toBe(cutBefore + 1);
	});
});

describe("through the trigger's webhook()", () => {
	let endpoint: TriggerEndpoint;

	beforeAll(async () => {
		forgetProcessWindows();
		endpoint = await TriggerEndpoint.start({
			credentials: { apiToken: 'not-used', baseUrl: 'http://127.0.0.1:9' },
			parameters: {
				events: ['incoming', 'outgoing'],
				ignoreAutomatedOutgoing: false,
				verifySignatures: false,
				options: { downloadAttachment: true, maxAttachmentMb: 1 },
			},
			staticData: {},
			hosts: { 'media.example.test': media.origin },
		});
	});
	afterAll(async () => {
		await endpoint?.stop();
	});

	async function deliver(mediaUrl: string) {
		const before = endpoint.executions.length;
		const res = await request(endpoint.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(buildFlatPayload({ media: 'document', mediaUrl })),
		});
		await res.body.text();
		expect(res.statusCode).toBe(200);
		expect(endpoint.executions).toHaveLength(before + 1);
		return endpoint.executions[before].items[0];
	}

	test('a public https link becomes binary data', async () => {
		const item = await deliver(`${MEDIA}/doc.pdf`);
		expect(item.json.attachmentError).toBeUndefined();
		expect(item.binary?.attachment?.fileName).toBe('doc.pdf');
		expect(item.binary?.attachment?.mimeType).toBe('application/pdf');
		expect(Buffer.from(item.binary?.attachment?.data as string, 'base64')).toEqual(SAMPLE_PDF);
	});

	test('internal links, redirects to them, oversized and expired files become attachmentError', async () => {
		const attacks = hostileMediaUrls(tripwire.port).map((c) => c.url);
		for (const url of [...attacks, ...attacks.map((a) => redirectTo(a))]) {
			const item = await deliver(url);
			expect(item.binary).toBeUndefined();
			expect(item.json.attachmentError).toEqual(expect.any(String));
		}
		expect(tripwire.connections).toBe(0);
		expect(String((await deliver(`${MEDIA}/declared-huge`)).json.attachmentError)).toMatch(
			/larger than/,
		);
		expect(String((await deliver(`${MEDIA}/gone.jpg`)).json.attachmentError)).toMatch(
			/expired or is missing/,
		);
	});

	test('a delivery with 10 attachment links downloads two at a time and holds at most twice Max Attachment Size in all', async () => {
		// Max Attachment Size is 1 MB here, so the delivery's budget is 2 MiB: at most five files of 0.4 MiB.
		const size = Math.floor(0.4 * MiB);
		const links = Array.from({ length: 10 }, (_, i) => `${MEDIA}/sized/${size}/photo-${i}.jpg`);
		const messages = links.map((link, i) => ({
			from: '16505551234',
			id: `wamid.budget-${i}`,
			timestamp: '1749416383',
			type: 'image',
			image: { link, mime_type: 'image/jpeg' },
		}));
		const body = {
			object: 'whatsapp_business_account',
			entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', messages } }] }],
		};
		media.peakInFlight = 0;
		const before = endpoint.executions.length;
		const res = await request(endpoint.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		await res.body.text();
		expect(res.statusCode).toBe(200);
		const items = endpoint.executions[before].items;
		expect(items).toHaveLength(10);
		const held = items.flatMap((item) => (item.binary ? [Buffer.from(item.binary.attachment.data, 'base64').length] : []));
		// Never more than the budget; 4 or 5 files fit, as downloads in flight hold their reservation.
		expect(held.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * MiB);
		expect(held.length).toBeGreaterThanOrEqual(4);
		for (const item of items.filter((i) => !i.binary)) {
			expect(String(item.json.attachmentError)).toMatch(/budget/);
		}
		expect(media.peakInFlight).toBeLessThanOrEqual(2);
	});
});
