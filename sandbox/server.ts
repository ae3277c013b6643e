/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	Accounts,
	DEFAULT_SESSION_TTL_MS,
	PRECONDITION_FAILED,
	type AccountInfo,
	type AccountInput,
	type OwnerAccount,
} from './accounts';
import {
	DELIVERY_DEFAULTS,
	DIRECTIONS,
	REDELIVERY_MODES,
	SIGNATURE_SCHEMES,
	deliverTo,
	directionOf,
	toBodyBytes,
	type DeliveryReport,
	type Direction,
	type Redelivery,
	type SignatureScheme,
} from './delivery';
import { FaultQueue, type Fault } from './faults';
import {
	API_PREFIX,
	DEFAULT_ORIGIN,
	createHandler,
	type ControlReply,
	type RecordedCall,
} from './http';
import { MEDIA_TYPES, buildFlatPayload, type FlatPayloadOptions } from './payloads';
import { resnapshot } from './resnapshot';
import { WebhookStore, isRecordObject, type AddRecordInput, type WebhookRecord } from './store';

export interface SandboxOptions {
	/** A session of the default account that never expires (random when absent). */
	token?: string;
	/** The default account (an Admin): its email (default owner@sandbox.test) and password (random). */
	account?: OwnerAccount;
	/** Lifetime of a login session (default 24 h); see setSessionTtl. */
	sessionTtlMs?: number;
	/** The clock sessions expire and retries are resnapshotted by (default Date.now). */
	now?: () => number;
	/** PATCH and DELETE check the session and the owner, as the real API does not (default false). */
	ownerChecks?: boolean;
	/** 0 (the default) picks a free port. */
	port?: number;
	host?: string;
	/** Origin the management API demands; null disables the check. */
	requireOrigin?: string | null;
	delivery?: {
		attempts?: number;
		baseDelayMs?: number;
		timeoutMs?: number;
		scheme?: SignatureScheme;
		redelivery?: Redelivery;
	};
	/** No per-call log lines (default: quiet under jest, logging elsewhere). */
	quiet?: boolean;
}

export interface DeliverOptions {
	/** Default: outgoing when the payload has `incoming_message: false`, else incoming. */
	direction?: Direction;
	scheme?: SignatureScheme;
	signatureOverride?: string;
	omitSignature?: boolean;
	tamperBody?: boolean;
	/** Only this registration (which must still match). */
	to?: number;
	attempts?: number;
	baseDelayMs?: number;
	timeoutMs?: number;
	headers?: Record<string, string>;
	redelivery?: Redelivery;
}

/** A local stand-in for WhatsAble's webhook management API and its deliveries. */
export class WhatsAbleSandbox {
	readonly baseUrl: string;
	readonly token: string;
	readonly origin: string | null;
	readonly calls: RecordedCall[] = [];

	private readonly store = new WebhookStore();
	private readonly accounts: Accounts;
	private readonly faults = new FaultQueue(API_PREFIX);
	private readonly stopping = new AbortController();
	private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	private readonly log: ((line: string) => void) | undefined;
	private readonly now: () => number;
	private ownerChecksOn: boolean;

	private constructor(
		private readonly opts: SandboxOptions,
		private server: http.Server | undefined,
		token: string,
		baseUrl: string,
	) {
		this.token = token;
		this.baseUrl = baseUrl;
		this.origin = opts.requireOrigin === undefined ? DEFAULT_ORIGIN : opts.requireOrigin;
		this.now = opts.now ?? Date.now;
		this.ownerChecksOn = opts.ownerChecks ?? false;
		this.accounts = new Accounts({
			now: this.now,
			sessionTtlMs: opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
			owner: opts.account ?? {},
			staticToken: token,
		});
		const quiet = opts.quiet ?? process.env.JEST_WORKER_ID !== undefined;
		this.log = quiet ? undefined : (line) => console.log(`[sandbox] ${line}`);
	}

	static async start(opts: SandboxOptions = {}): Promise<WhatsAbleSandbox> {
		const token = opts.token ?? `sbx_${randomBytes(24).toString('base64url')}`;
		const host = opts.host ?? '127.0.0.1';
		const server = http.createServer();
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(opts.port ?? 0, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		const { port } = server.address() as AddressInfo;
		const urlHost = host.includes(':') ? `[${host}]` : host;
		const sandbox = new WhatsAbleSandbox(opts, server, token, `http://${urlHost}:${port}`);
		// Attached before start() resolves, so no one can know the port without the handler.
		server.on(
			'request',
			createHandler({
				store: sandbox.store,
				accounts: sandbox.accounts,
				faults: sandbox.faults,
				controlToken: token,
				origin: sandbox.origin,
				ownerChecks: () => sandbox.ownerChecksOn,
				calls: sandbox.calls,
				signal: sandbox.stopping.signal,
				control: {
					deliver: (body) => sandbox.controlDeliver(body),
					state: () => sandbox.controlState(),
				},
				log: sandbox.log,
			}),
		);
		return sandbox;
	}

	clearCalls(): void {
		this.calls.length = 0;
	}

	/** The default account's login. */
	get email(): string {
		return this.accounts.owner.email;
	}

	get password(): string {
		return this.accounts.owner.password;
	}

	/** Successful logins so far (over HTTP and through login()). */
	get logins(): number {
		return this.accounts.logins;
	}

	get sessionTtlMs(): number {
		return this.accounts.sessionTtlMs;
	}

	get ownerChecks(): boolean {
		return this.ownerChecksOn;
	}

	/** Another account (default Admin); throws when the email is taken. */
	addAccount(input: AccountInput): AccountInfo {
		return this.accounts.add(input);
	}

	/** A fresh session token as POST /auth/login would give it (from the console origin). */
	login(email: string = this.email, password: string = this.password): string {
		const token = this.accounts.login(email, password, true);
		if (token === undefined) throw new Error(PRECONDITION_FAILED.message);
		return token;
	}

	/** Applies to every login session, issued before or after (the static token never expires). */
	setSessionTtl(ms: number): void {
		this.accounts.setSessionTtl(ms);
	}

	/** Ends every login session now; the static token stays. */
	expireSessions(): void {
		this.accounts.expireAll();
	}

	/**
	 * Ends one session, the static token too (for the API; the control endpoints keep accepting
	 * it, they are the sandbox's own door). False when no such session was live.
	 */
	revokeToken(token: string): boolean {
		return this.accounts.revoke(token);
	}

	setOwnerChecks(on: boolean): void {
		this.ownerChecksOn = on;
	}

	/** Every account's registrations, secrets hidden as GET shows them. */
	records(): WebhookRecord[] {
		return this.store.list();
	}

	recordsOf(userId: string): WebhookRecord[] {
		return this.store.list(userId);
	}

	secretOf(id: number): string | undefined {
		return this.store.secretOf(id);
	}

	/** Seeds a registration as if made in the dashboard (default account unless `userId`). */
	addRecord(partial: AddRecordInput): WebhookRecord & { signature_secret: string | null } {
		return this.store.add(partial);
	}

	/** A registration deleted in the dashboard; throws on an unknown id. */
	deleteOutOfBand(id: number): void {
		if (!this.store.delete(id)) throw new Error(`No registration with id ${id}`);
	}

	injectFault(fault: Fault): void {
		this.faults.add(fault);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/** Sends a payload to every matching registration, in id order, all in parallel. */
	async deliver(payload: unknown, opts: DeliverOptions = {}): Promise<DeliveryReport[]> {
		const body = toBodyBytes(payload);
		const direction = opts.direction ?? directionOf(body);
		// Field by field, so an explicit `undefined` option still falls back to the default.
		const configured = this.opts.delivery ?? {};
		const defaults = {
			attempts: configured.attempts ?? DELIVERY_DEFAULTS.attempts,
			baseDelayMs: configured.baseDelayMs ?? DELIVERY_DEFAULTS.baseDelayMs,
			timeoutMs: configured.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs,
			scheme: configured.scheme ?? DELIVERY_DEFAULTS.scheme,
			redelivery: configured.redelivery ?? DELIVERY_DEFAULTS.redelivery,
		};
		const nextBody =
			(opts.redelivery ?? defaults.redelivery) === 'resnapshot'
				? (previous: Buffer, attempt: number) =>
						resnapshot(previous, { now: new Date(this.now()), retry: attempt - 1 })
				: undefined;
		const targets = this.store
			.list()
			.filter(
				(r) =>
					r.status &&
					(direction === 'incoming' ? r.incoming : r.outgoing) &&
					(opts.to === undefined || r.id === opts.to),
			);
		const reports = await Promise.all(
			targets.map((r) =>
				deliverTo(
					{
						id: r.id,
						url: r.webhooks,
						secret: r.active_signature ? this.secretOf(r.id) : undefined,
					},
					body,
					{
						attempts: opts.attempts ?? defaults.attempts,
						baseDelayMs: opts.baseDelayMs ?? defaults.baseDelayMs,
						timeoutMs: opts.timeoutMs ?? defaults.timeoutMs,
						scheme: opts.scheme ?? defaults.scheme,
						signatureOverride: opts.signatureOverride,
						omitSignature: opts.omitSignature,
						tamperBody: opts.tamperBody,
						headers: opts.headers,
						nextBody,
						agent: this.agent,
						signal: this.stopping.signal,
					},
				),
			),
		);
		for (const report of reports) {
			const last = report.attempts[report.attempts.length - 1];
			const outcome = last?.status ?? last?.error ?? 'none';
			this.log?.(
				`deliver ${direction} #${report.id} ${report.url} ${outcome} (${report.attempts.length} attempt${report.attempts.length === 1 ? '' : 's'})`,
			);
		}
		return reports;
	}

	async stop(): Promise<void> {
		this.stopping.abort();
		const server = this.server;
		this.server = undefined;
		if (server) {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await closed;
		}
		this.agent.destroy();
	}

	private controlState(): ControlReply {
		const settings = { sessionTtlMs: this.sessionTtlMs, ownerChecks: this.ownerChecksOn };
		return {
			status: 200,
			body: { records: this.records(), calls: this.calls.length, settings },
		};
	}

	/**
	 * POST /__sandbox/deliver:
	 * `{ payload? | payloadBase64? | build?, direction?, scheme?, redelivery?, to?, attempts? }`.
	 */
	private async controlDeliver(body: unknown): Promise<ControlReply> {
		const parsed = parseControlDeliver(body);
		if (typeof parsed === 'string') return { status: 400, body: { message: parsed } };
		const reports = await this.deliver(parsed.payload, parsed.opts);
		return { status: 200, body: reports };
	}
}

/** `body[key]` narrowed to one of `allowed` ({} when absent), or the message for a wrong value. */
function choice<T extends string>(
	body: Record<string, unknown>,
	key: string,
	allowed: readonly T[],
): { value?: T } | string {
	if (body[key] === undefined) return {};
	const value = allowed.find((a) => a === body[key]);
	return value === undefined ? `${key} must be one of ${allowed.join(', ')}` : { value };
}

function parseControlDeliver(body: unknown): { payload: unknown; opts: DeliverOptions } | string {
	if (!isRecordObject(body)) return 'Body must be a JSON object';
	const direction = choice(body, 'direction', DIRECTIONS);
	if (typeof direction === 'string') return direction;
	const scheme = choice(body, 'scheme', SIGNATURE_SCHEMES);
	if (typeof scheme === 'string') return scheme;
	const redelivery = choice(body, 'redelivery', REDELIVERY_MODES);
	if (typeof redelivery === 'string') return redelivery;
	const opts: DeliverOptions = {
		direction: direction.value,
		scheme: scheme.value,
		redelivery: redelivery.value,
	};
	if (body.to !== undefined) {
		if (typeof body.to !== 'number' || !Number.isInteger(body.to)) return 'to must be an integer';
		opts.to = body.to;
	}
	if (body.attempts !== undefined) {
		const n = body.attempts;
		if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
			return 'attempts must be an integer from 1 to 10';
		}
		opts.attempts = n;
	}
	if (typeof body.payloadBase64 === 'string') {
		return { payload: Buffer.from(body.payloadBase64, 'base64'), opts };
	}
	if (body.payload !== undefined) return { payload: body.payload, opts };
	const build = parseBuildOptions(body.build ?? {});
	if (typeof build === 'string') return build;
	return { payload: buildFlatPayload(build), opts };
}

/** Narrows untrusted JSON into buildFlatPayload options, rejecting wrong types. */
export function parseBuildOptions(value: unknown): FlatPayloadOptions | string {
	if (!isRecordObject(value)) return 'build must be an object';
	const out: FlatPayloadOptions = {};
	const strings = ['text', 'mediaUrl', 'phone', 'name', 'sendBy'] as const;
	for (const key of strings) {
		const v = value[key];
		if (v === undefined) continue;
		if (typeof v !== 'string') return `build.${key} must be a string`;
		out[key] = v;
	}
	const booleans = ['outgoing', 'byHuman', 'referral'] as const;
	for (const key of booleans) {
		const v = value[key];
		if (v === undefined) continue;
		if (typeof v !== 'boolean') return `build.${key} must be a boolean`;
		out[key] = v;
	}
	if (value.media !== undefined) {
		const media = MEDIA_TYPES.find((m) => m === value.media);
		if (!media) return `build.media must be one of ${MEDIA_TYPES.join(', ')}`;
		out.media = media;
	}
	if (value.labels !== undefined) {
		const labels = value.labels;
		if (!Array.isArray(labels) || !labels.every((l): l is string => typeof l === 'string')) {
			return 'build.labels must be an array of strings';
		}
		out.labels = labels;
	}
	if (value.historyLength !== undefined) {
		const n = value.historyLength;
		if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
			return 'build.historyLength must be a positive integer';
		}
		out.historyLength = n;
	}
	if (value.now !== undefined) {
		if (typeof value.now !== 'string' || Number.isNaN(Date.parse(value.now))) {
			return 'build.now must be an ISO date string';
		}
		out.now = new Date(value.now);
	}
	return out;
}
