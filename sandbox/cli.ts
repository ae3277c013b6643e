/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console, @n8n/community-nodes/require-node-api-error -- dev tooling, not shipped in the package */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { UsageError, intFlag, listFlag, parseFlags } from '../scripts/flags';
import { readFixture } from '../scripts/lib/fixtures';
import { AUTH_API_PREFIX } from './accounts';
import { SIGNATURE_SCHEMES, type DeliveryReport } from './delivery';
import { API_PREFIX } from './http';
import { MEDIA_TYPES, type FlatPayloadOptions } from './payloads';
import { WhatsAbleSandbox } from './server';

const DEFAULT_PORT = 5680;
const USAGE = `Usage:
  tsx sandbox/cli.ts serve [--port N] [--host H] [--token T] [--no-origin | --origin O] [--state FILE] [--quiet]
      [--email E] [--password P] [--session-ttl SECONDS] [--owner-checks]
  tsx sandbox/cli.ts send [--url U] [--token T] [--text S] [--media ${MEDIA_TYPES.join('|')}]
      [--media-url U] [--outgoing] [--phone P] [--name N] [--labels a,b] [--referral]
      [--history N] [--fixture NAME|FILE] [--scheme ${SIGNATURE_SCHEMES.join('|')}] [--to ID] [--attempts N] [--state FILE]`;

interface SandboxState {
	baseUrl: string;
	token: string;
	/** The default account's login, for a credential that logs in itself. */
	email: string;
	password: string;
}

/** Where serve records baseUrl, token and login for send (git-ignored .sandbox/ at the project root). */
function statePath(flag: string | undefined): string {
	return path.resolve(
		flag ??
			process.env.WHATSABLE_SANDBOX_STATE ??
			path.join(__dirname, '..', '.sandbox', 'state.json'),
	);
}

/** The part of the state send and shutdown read. */
function readState(file: string): Partial<Pick<SandboxState, 'baseUrl' | 'token'>> {
	try {
		const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
		if (typeof parsed !== 'object' || parsed === null) return {};
		const { baseUrl, token } = parsed as Record<string, unknown>;
		return {
			baseUrl: typeof baseUrl === 'string' ? baseUrl : undefined,
			token: typeof token === 'string' ? token : undefined,
		};
	} catch {
		return {};
	}
}

async function serve(argv: string[]): Promise<void> {
	const values = parseFlags(argv, {
		strings: ['port', 'host', 'token', 'origin', 'state', 'email', 'password', 'session-ttl'],
		booleans: ['no-origin', 'quiet', 'owner-checks'],
	});
	const ttlSeconds = intFlag(values['session-ttl'], 'session-ttl', undefined, 1);
	if (values['no-origin'] && values.origin !== undefined) {
		throw new UsageError('--origin and --no-origin exclude each other');
	}
	const sandbox = await WhatsAbleSandbox.start({
		port: intFlag(values.port, 'port', DEFAULT_PORT),
		host: values.host,
		token: values.token,
		requireOrigin: values['no-origin'] ? null : values.origin,
		quiet: values.quiet ?? false,
		account: { email: values.email, password: values.password },
		sessionTtlMs: ttlSeconds === undefined ? undefined : ttlSeconds * 1000,
		ownerChecks: values['owner-checks'] ?? false,
	});
	const file = statePath(values.state);
	mkdirSync(path.dirname(file), { recursive: true });
	const state: SandboxState = {
		baseUrl: sandbox.baseUrl,
		token: sandbox.token,
		email: sandbox.email,
		password: sandbox.password,
	};
	// The token and password are credentials: readable by the owner only.
	writeFileSync(file, JSON.stringify(state, null, '\t') + '\n', { mode: 0o600 });

	const originHeader = sandbox.origin === null ? '' : ` -H "Origin: ${sandbox.origin}"`;
	console.log(
		[
			'WhatsAble sandbox is running',
			`  base URL: ${sandbox.baseUrl}`,
			`  origin:   ${sandbox.origin ?? '(not checked)'}`,
			`  sessions: ${sandbox.sessionTtlMs / 1000} s; PATCH/DELETE owner checks ${sandbox.ownerChecks ? 'on' : 'off (as the real API)'}`,
			`  state:    ${file}`,
			'',
			'Log in as the default Admin (a local dev sandbox: the login is shown, and kept in the state file):',
			`  email:    ${sandbox.email}`,
			`  password: ${sandbox.password}`,
			`  login:    POST ${sandbox.baseUrl}${AUTH_API_PREFIX}/auth/login {"email","password"}`,
			'',
			'Or use the token that never expires (printed only here):',
			`  export WHATSABLE_SANDBOX_URL=${sandbox.baseUrl}`,
			`  export WHATSABLE_SANDBOX_TOKEN=${sandbox.token}`,
			`  curl -s "$WHATSABLE_SANDBOX_URL${API_PREFIX}/webhook/dev" -H "Authorization: Bearer $WHATSABLE_SANDBOX_TOKEN"${originHeader}`,
			'  npm run sandbox:send -- --text "hi"',
			'',
			'Ctrl-C to stop.',
		].join('\n'),
	);

	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`[sandbox] ${signal}: stopping`);
		void sandbox.stop().finally(() => {
			// Only remove the state file if a newer sandbox has not replaced it.
			if (readState(file).baseUrl === sandbox.baseUrl) rmSync(file, { force: true });
			process.exit(0);
		});
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** `--fixture`: a file, else a sample's name resolved by the fixtures locator. */
function fixtureBytes(nameOrFile: string): Buffer {
	if (existsSync(nameOrFile) && statSync(nameOrFile).isFile()) return readFileSync(nameOrFile);
	try {
		return readFixture(nameOrFile);
	} catch {
		throw new UsageError(`--fixture: no sample named ${nameOrFile} and no such file`);
	}
}

function isReport(value: unknown): value is DeliveryReport {
	if (typeof value !== 'object' || value === null) return false;
	const r = value as Record<string, unknown>;
	return typeof r.id === 'number' && typeof r.url === 'string' && Array.isArray(r.attempts);
}

function describeAttempts(report: DeliveryReport): string {
	const outcomes = report.attempts.map((a) => String(a.status ?? a.error ?? '?'));
	const n = report.attempts.length;
	return `${outcomes.join(', ')} (${n} attempt${n === 1 ? '' : 's'})`;
}

async function send(argv: string[]): Promise<number> {
	const values = parseFlags(argv, {
		strings: [
			'url',
			'token',
			'state',
			'text',
			'media',
			'media-url',
			'phone',
			'name',
			'labels',
			'history',
			'fixture',
			'scheme',
			'to',
			'attempts',
		],
		booleans: ['outgoing', 'referral'],
	});
	const saved = readState(statePath(values.state));
	const baseUrl = values.url ?? process.env.WHATSABLE_SANDBOX_URL ?? saved.baseUrl;
	const token = values.token ?? process.env.WHATSABLE_SANDBOX_TOKEN ?? saved.token;
	if (!baseUrl || !token) {
		throw new UsageError(
			'No sandbox found: start one with `npm run sandbox`, or pass --url/--token ' +
				'(or set WHATSABLE_SANDBOX_URL/WHATSABLE_SANDBOX_TOKEN)',
		);
	}

	const request: Record<string, unknown> = {};
	if (values.scheme !== undefined) request.scheme = values.scheme;
	const to = intFlag(values.to, 'to');
	if (to !== undefined) request.to = to;
	const attempts = intFlag(values.attempts, 'attempts');
	if (attempts !== undefined) request.attempts = attempts;
	if (values.fixture !== undefined) {
		// A sample's name (test/fixtures, e.g. flat-incoming-text) or a file. Base64 keeps the exact
		// bytes, which is what a signature is computed over.
		request.payloadBase64 = fixtureBytes(values.fixture).toString('base64');
		if (values.outgoing) request.direction = 'outgoing';
	} else {
		const media = MEDIA_TYPES.find((m) => m === values.media);
		if (values.media !== undefined && media === undefined) {
			throw new UsageError(`--media must be one of ${MEDIA_TYPES.join(', ')}`);
		}
		const build: FlatPayloadOptions = {
			text: values.text,
			media,
			mediaUrl: values['media-url'],
			outgoing: values.outgoing,
			phone: values.phone,
			name: values.name,
			labels: values.labels === undefined ? undefined : listFlag(values.labels, ''),
			referral: values.referral,
			historyLength: intFlag(values.history, 'history'),
		};
		request.build = build;
	}

	const res = await fetch(new URL('/__sandbox/deliver', baseUrl), {
		method: 'POST',
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(request),
	});
	const text = await res.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	if (!res.ok) {
		const message =
			typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : text;
		console.error(`Sandbox answered ${res.status}: ${message}`);
		return 1;
	}
	const reports = Array.isArray(body) ? body.filter(isReport) : [];
	if (reports.length === 0) {
		console.error(
			'No registration matched this delivery (needs status true and incoming/outgoing for its direction).',
		);
		return 1;
	}
	for (const report of reports) {
		const mark = report.delivered ? 'ok  ' : 'FAIL';
		console.log(`${mark} #${report.id} ${report.url} -> ${describeAttempts(report)}`);
	}
	return reports.every((r) => r.delivered) ? 0 : 1;
}

async function main(): Promise<void> {
	const [command, ...rest] = process.argv.slice(2);
	try {
		if (command === 'serve') return await serve(rest);
		if (command === 'send') {
			process.exitCode = await send(rest);
			return;
		}
		throw new UsageError(command ? `Unknown command: ${command}` : 'Missing command');
	} catch (error: unknown) {
		const usage = error instanceof UsageError;
		console.error(error instanceof Error ? error.message : String(error));
		if (usage) console.error(USAGE);
		process.exitCode = usage ? 2 : 1;
	}
}

void main();
