import { randomBytes } from 'node:crypto';

/** The default account: its records, its built payloads and the static token's session. */
export const SANDBOX_USER_ID = '9232fcef-a570-4a2c-b46b-6cab53aec304';

/** The writable fields of a record (create and PATCH bodies). */
export interface WebhookInput {
	webhooks: string;
	status: boolean;
	incoming: boolean;
	outgoing: boolean;
	schedule_activity: boolean;
	waiting_duration: number;
	active_signature: boolean;
}

/** A registration as the management API returns it: the writable fields and what the API sets. */
export interface WebhookRecord extends WebhookInput {
	id: number;
	created_at: number;
	signature_secret: string | null;
	user_id: string;
}

/** Seed for addRecord: anything not given gets the dashboard's defaults. */
export interface AddRecordInput extends Partial<WebhookInput> {
	webhooks: string;
	created_at?: number;
	/** Use this secret instead of a random one (only with active_signature). */
	signature_secret?: string;
	/** Extra fields returned as they are, e.g. legacy `is_incoming_outgoing_enable`. */
	extra?: Record<string, unknown>;
	/** The owning account (default SANDBOX_USER_ID). */
	userId?: string;
}

export type Validation = { ok: true; value: WebhookInput } | { ok: false; message: string };

export type StoreResult =
	| { ok: true; record: WebhookRecord }
	| { ok: false; status: 400 | 404; message: string };

export const DUPLICATE_MESSAGE = 'Same webhook exist';
export const NOT_FOUND_MESSAGE = 'Not found';

interface StoredRecord {
	record: Omit<WebhookRecord, 'signature_secret'>;
	secret: string | undefined;
	extra: Record<string, unknown>;
}

const BOOLEAN_FIELDS = [
	'status',
	'incoming',
	'outgoing',
	'schedule_activity',
	'active_signature',
] as const;

/** 1024 random bits as unpadded base64url: 171 characters, like the real secret. */
export function generateSecret(): string {
	return randomBytes(128).toString('base64url');
}

export function isRecordObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * Checks a create (outgoing optional, defaults to false) or PATCH (whole record) body.
 * Unknown fields are ignored, as the real API ignores them.
 */
export function validateInput(body: unknown, mode: 'create' | 'patch'): Validation {
	if (!isRecordObject(body)) return { ok: false, message: 'Body must be a JSON object' };
	const webhooks = body.webhooks;
	if (webhooks === undefined) return { ok: false, message: 'Missing param: webhooks' };
	if (typeof webhooks !== 'string' || !isHttpUrl(webhooks)) {
		return { ok: false, message: 'Invalid value for param: webhooks (expected an http(s) URL)' };
	}
	const flags: Partial<Record<(typeof BOOLEAN_FIELDS)[number], boolean>> = {};
	for (const field of BOOLEAN_FIELDS) {
		const value = body[field];
		if (value === undefined) {
			if (field === 'outgoing' && mode === 'create') {
				flags.outgoing = false;
				continue;
			}
			return { ok: false, message: `Missing param: ${field}` };
		}
		if (typeof value !== 'boolean') {
			return { ok: false, message: `Invalid value for param: ${field} (expected a boolean)` };
		}
		flags[field] = value;
	}
	const waiting = body.waiting_duration;
	if (waiting === undefined) return { ok: false, message: 'Missing param: waiting_duration' };
	if (typeof waiting !== 'number' || !Number.isInteger(waiting) || waiting < 0) {
		return {
			ok: false,
			message: 'Invalid value for param: waiting_duration (expected an integer >= 0)',
		};
	}
	return {
		ok: true,
		value: {
			webhooks,
			status: flags.status === true,
			incoming: flags.incoming === true,
			outgoing: flags.outgoing === true,
			schedule_activity: flags.schedule_activity === true,
			waiting_duration: waiting,
			active_signature: flags.active_signature === true,
		},
	};
}

/**
 * In-memory registrations of every account: ids are one auto-increment across accounts (as the
 * real ones are, which is why an id alone can name another account's webhook); URLs are unique
 * per account.
 */
export class WebhookStore {
	private readonly byId = new Map<number, StoredRecord>();
	private nextId = 1;

	/** Records as GET shows them (secrets are never returned again); one account's, or all. */
	list(userId?: string): WebhookRecord[] {
		return [...this.byId.values()]
			.filter((stored) => userId === undefined || stored.record.user_id === userId)
			.map((stored) => this.view(stored, null));
	}

	get(id: number): WebhookRecord | undefined {
		const stored = this.byId.get(id);
		return stored ? this.view(stored, null) : undefined;
	}

	secretOf(id: number): string | undefined {
		return this.byId.get(id)?.secret;
	}

	create(input: WebhookInput, userId: string): StoreResult {
		if (this.urlTaken(userId, input.webhooks)) {
			return { ok: false, status: 400, message: DUPLICATE_MESSAGE };
		}
		const secret = input.active_signature ? generateSecret() : undefined;
		const stored = this.insert(input, userId, Date.now(), secret, {});
		return { ok: true, record: this.view(stored, secret ?? null) };
	}

	/** Replaces the writable fields; shows a secret only when this call generated it. */
	update(id: number, input: WebhookInput): StoreResult {
		const stored = this.byId.get(id);
		if (!stored) return { ok: false, status: 404, message: NOT_FOUND_MESSAGE };
		if (this.urlTaken(stored.record.user_id, input.webhooks, id)) {
			return { ok: false, status: 400, message: DUPLICATE_MESSAGE };
		}
		let fresh: string | null = null;
		// A secret is kept when signing is switched off, so switching back on reuses it.
		if (input.active_signature && stored.secret === undefined) {
			stored.secret = generateSecret();
			fresh = stored.secret;
		}
		stored.record = { ...stored.record, ...input };
		return { ok: true, record: this.view(stored, fresh) };
	}

	delete(id: number): boolean {
		return this.byId.delete(id);
	}

	/** Seeds a record as if made in the dashboard; throws on a duplicate URL. */
	add(seed: AddRecordInput): WebhookRecord {
		const userId = seed.userId ?? SANDBOX_USER_ID;
		if (this.urlTaken(userId, seed.webhooks)) throw new Error(DUPLICATE_MESSAGE);
		const input: WebhookInput = {
			webhooks: seed.webhooks,
			status: seed.status ?? true,
			incoming: seed.incoming ?? true,
			outgoing: seed.outgoing ?? false,
			schedule_activity: seed.schedule_activity ?? false,
			waiting_duration: seed.waiting_duration ?? 0,
			active_signature: seed.active_signature ?? false,
		};
		const secret = input.active_signature
			? (seed.signature_secret ?? generateSecret())
			: seed.signature_secret;
		const stored = this.insert(
			input,
			userId,
			seed.created_at ?? Date.now(),
			secret,
			seed.extra ?? {},
		);
		return this.view(stored, secret ?? null);
	}

	private insert(
		input: WebhookInput,
		userId: string,
		createdAt: number,
		secret: string | undefined,
		extra: Record<string, unknown>,
	): StoredRecord {
		const id = this.nextId++;
		const stored: StoredRecord = {
			record: { id, created_at: createdAt, ...input, user_id: userId },
			secret,
			extra,
		};
		this.byId.set(id, stored);
		return stored;
	}

	private urlTaken(userId: string, url: string, exceptId?: number): boolean {
		for (const { record } of this.byId.values()) {
			if (record.user_id === userId && record.webhooks === url && record.id !== exceptId) {
				return true;
			}
		}
		return false;
	}

	/** Field order matches the documented record. */
	private view(stored: StoredRecord, secret: string | null): WebhookRecord {
		const r = stored.record;
		return {
			...stored.extra,
			id: r.id,
			created_at: r.created_at,
			webhooks: r.webhooks,
			status: r.status,
			incoming: r.incoming,
			outgoing: r.outgoing,
			schedule_activity: r.schedule_activity,
			waiting_duration: r.waiting_duration,
			signature_secret: secret,
			active_signature: r.active_signature,
			user_id: r.user_id,
		};
	}
}
