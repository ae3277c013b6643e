/* eslint-disable no-console -- dev tooling, not shipped in the package */
/**
 * Issue 14 in a real n8n 2.41.1 with the packed package:
 * - header-shaped attacks (test/support/hostileCorpus.ts HOSTILE_HEADER_CASES), among them the
 *   flush header whose non-ASCII byte used to throw before the signature check: answered 4xx or
 *   200, never 5xx, and no execution beyond the signed deliveries (none failed);
 * - application/*+json: a 415 that says what to send;
 * - Download Attachment with media links to internal addresses in every notation
 *   (hostileMediaUrls): each delivery runs with an attachmentError, and the
 *   tripwire listener on this machine sees no connection at all. (Redirect hops are proven over
 *   real HTTP in test/trigger/attachment.test.ts: a redirect needs a public https host first.)
 */
import { randomUUID } from 'node:crypto';

import { buildFlatPayload } from '../../sandbox';
import { httpRequest, triggerWorkflow } from '../../scripts/n8n';
import { hmacHex } from '../../scripts/lib/signing';
import {
	HOSTILE_HEADER_CASES,
	hostileMediaUrls,
	hostileRequest,
	type HostileCase,
} from '../support/hostileCorpus';
import { Tripwire } from '../support/mediaServer';
import {
	executions,
	expectExecutionCountStays,
	registrationsAt,
	setUp,
	tearDown,
	type E2eEnv,
} from './env';

let env: E2eEnv;
let tripwire: Tripwire;
const published: string[] = [];

beforeAll(async () => {
	[env, tripwire] = await Promise.all([setUp(), Tripwire.start()]);
}, 10 * 60_000);

afterAll(async () => {
	for (const id of published) await env.rest.deactivate(id).catch(() => undefined);
	await tripwire?.stop();
	await tearDown(env);
}, 120_000);

interface Published {
	id: string;
	url: string;
	tag: string;
}

async function publishedTrigger(
	name: string,
	parameters: Record<string, unknown>,
): Promise<Published> {
	const tag = `${name}-${randomUUID().slice(0, 6)}`;
	const wf = triggerWorkflow({
		name: `security: ${name}`,
		credential: env.credential,
		sinkUrl: env.sink.urlFor(tag),
		webhookBaseUrl: env.n8n.webhookUrl,
		parameters,
	});
	const { id } = await env.rest.createWorkflow(wf.json);
	published.push(id);
	expect(await env.rest.activate(id, { timeoutMs: 90_000 })).toMatchObject({ status: 'published' });
	return { id, url: wf.url, tag };
}

async function send(url: string, c: HostileCase, secret: string) {
	const req = hostileRequest(c, secret);
	const headers: Record<string, string> = { ...req.headers };
	if (typeof req.signature === 'string') headers['x-webhook-signature'] = req.signature;
	const res = await httpRequest(url, {
		method: req.method,
		headers,
		body: req.body,
		timeoutMs: 30_000,
	});
	return { name: c.name, status: res.status, body: res.text.slice(0, 200) };
}

test('header-shaped attacks: 4xx or 200, never 5xx, no execution but the signed deliveries', async () => {
	const t = await publishedTrigger('headers', {});
	const [record] = registrationsAt(env.sandbox, t.url);
	const secret = env.sandbox.secretOf(record.id) as string;

	const outcomes = [];
	for (const c of HOSTILE_HEADER_CASES) outcomes.push(await send(t.url, c, secret));
	// The attack of the issue, repeated: each used to leave an error execution.
	const attack = HOSTILE_HEADER_CASES[0];
	for (let i = 0; i < 20; i++) outcomes.push(await send(t.url, attack, secret));
	console.log(
		`[security] header cases through n8n:\n${outcomes
			.slice(0, HOSTILE_HEADER_CASES.length)
			.map((o) => `  ${o.status} ${o.name}: ${o.body}`)
			.join('\n')}`,
	);

	expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
	for (const o of outcomes) {
		const c = HOSTILE_HEADER_CASES.find((x) => x.name === o.name) as HostileCase;
		if (c.expect.kind === 'reject')
			expect({ name: o.name, status: o.status }).toEqual({ name: o.name, status: c.expect.status });
		else if (c.expect.kind === 'items')
			expect({ name: o.name, status: o.status }).toEqual({ name: o.name, status: 200 });
		else expect(o.status).toBeLessThan(500);
	}
	const accepted = outcomes.filter((o) => o.status === 200).length;
	await env.sink.waitForCount(t.tag, accepted, 60_000);
	await expectExecutionCountStays(env, t.id, accepted);
	expect((await executions(env, t.id)).map((e) => e.status)).toEqual(
		new Array(accepted).fill('success'),
	);
	expect(registrationsAt(env.sandbox, t.url)).toHaveLength(1);

	// application/*+json: n8n reads no body for it; the trigger says what to send.
	const body = Buffer.from(JSON.stringify(buildFlatPayload({ text: 'vnd json' })));
	const vnd = await httpRequest(t.url, {
		method: 'POST',
		headers: {
			'content-type': 'application/vnd.whatsable+json',
			'x-webhook-signature': hmacHex(body, secret),
		},
		body,
		timeoutMs: 30_000,
	});
	expect({ status: vnd.status, body: JSON.parse(vnd.text) as unknown }).toEqual({
		status: 415,
		body: { status: 'rejected', reason: 'the body must be JSON (Content-Type: application/json)' },
	});
	await expectExecutionCountStays(env, t.id, accepted, 1_000);
}, 300_000);

test('attachment links to internal addresses in every notation: nothing reaches this machine', async () => {
	const t = await publishedTrigger('media', {
		verifySignatures: false,
		options: { downloadAttachment: true, maxAttachmentMb: 1 },
	});
	const links = hostileMediaUrls(tripwire.port);
	for (const [i, link] of links.entries()) {
		const res = await httpRequest(t.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(
				buildFlatPayload({ media: 'image', mediaUrl: link.url, text: `media ${i}` }),
			),
			timeoutMs: 30_000,
		});
		expect({ name: link.name, status: res.status }).toEqual({ name: link.name, status: 200 });
	}
	const items = (await env.sink.waitForCount(t.tag, links.length, 120_000)) as Array<
		Record<string, unknown>
	>;
	// The proof: no connection, in any notation, reached the listener on this machine.
	expect(tripwire.connections).toBe(0);
	expect(items).toHaveLength(links.length);
	for (const item of items) {
		const url = (item.message as { mediaUrl?: string }).mediaUrl;
		expect({ url, error: item.attachmentError }).toEqual({
			url,
			error: expect.stringMatching(/https|not public|URL|user name/),
		});
	}
	await expectExecutionCountStays(env, t.id, links.length, 1_000);
}, 300_000);
