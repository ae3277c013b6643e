import { randomBytes, randomUUID } from 'node:crypto';

import { SANDBOX_USER_ID } from './store';

/** WhatsAble's console auth group (login, me): the JWT every console call sends. */
export const AUTH_API_PREFIX = '/api:-4GSCDHb';
export const DEFAULT_EMAIL = 'owner@sandbox.test';
export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** WhatsAble gives one answer for an unknown email, a wrong password and a wrong Origin. */
export const PRECONDITION_FAILED = {
	code: 'ERROR_CODE_PRECONDITION_FAILED',
	message: 'Precondition failed',
} as const;
export const ACCESS_DENIED_MESSAGE = "Access denied: this action needs the account's Admin";

export type Role = 'Admin' | 'Member';

export interface AccountInput {
	email: string;
	password: string;
	/** Default Admin. */
	role?: Role;
	/** Default: the part of the email before the @. */
	name?: string;
}

/** What addAccount hands back: enough for a test to log in and to recognise the records. */
export interface AccountInfo {
	email: string;
	password: string;
	role: Role;
	userId: string;
}

export interface Account extends AccountInfo {
	name: string;
	/** Unix ms. */
	createdAt: number;
}

/** GET /auth/me: the documented fields. */
export interface MeReply {
	id: string;
	name: string;
	email: string;
	role: Role;
	phone_number: string | null;
	created_at: number;
}

/** The default account's login; it is an Admin with SANDBOX_USER_ID. */
export interface OwnerAccount {
	/** Default owner@sandbox.test. */
	email?: string;
	/** Default: random per sandbox. */
	password?: string;
}

export interface AccountsOptions {
	now: () => number;
	sessionTtlMs: number;
	owner: OwnerAccount;
	/** A session of the owner that never expires (unless revoked). */
	staticToken: string;
}

interface Session {
	userId: string;
	issuedAt: number;
	/** The static token: exempt from the lifetime and from expireSessions. */
	permanent: boolean;
}

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** Looks like the console's JWT (eyJ….….…) without claiming anything a client could trust. */
function jwtLike(issuedAt: number): string {
	const claims = { jti: randomBytes(12).toString('base64url'), iat: Math.floor(issuedAt / 1000) };
	const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
	return `${JWT_HEADER}.${payload}.${randomBytes(32).toString('base64url')}`;
}

export function randomPassword(): string {
	return randomBytes(12).toString('base64url');
}

/** Accounts and their console sessions; the lifetime is read at each check, so it can shrink. */
export class Accounts {
	readonly owner: Account;

	private readonly byEmail = new Map<string, Account>();
	private readonly sessions = new Map<string, Session>();
	private ttlMs: number;
	private loginCount = 0;

	constructor(private readonly opts: AccountsOptions) {
		this.ttlMs = checkedTtl(opts.sessionTtlMs);
		this.owner = this.insert(
			{
				email: opts.owner.email ?? DEFAULT_EMAIL,
				password: opts.owner.password ?? randomPassword(),
				role: 'Admin',
				name: 'Sandbox Owner',
			},
			SANDBOX_USER_ID,
		);
		this.sessions.set(opts.staticToken, {
			userId: SANDBOX_USER_ID,
			issuedAt: opts.now(),
			permanent: true,
		});
	}

	add(input: AccountInput): AccountInfo {
		const account = this.insert(input, randomUUID());
		return {
			email: account.email,
			password: account.password,
			role: account.role,
			userId: account.userId,
		};
	}

	/**
	 * A new session token, or undefined for any refusal (the API does not say which).
	 * `consoleOrigin`: the call came with the console's Origin, which only an Admin login needs.
	 */
	login(email: string, password: string, consoleOrigin: boolean): string | undefined {
		const account = this.byEmail.get(email.toLowerCase());
		if (!account || account.password !== password) return undefined;
		if (account.role === 'Admin' && !consoleOrigin) return undefined;
		const issuedAt = this.opts.now();
		const token = jwtLike(issuedAt);
		this.sessions.set(token, { userId: account.userId, issuedAt, permanent: false });
		this.loginCount += 1;
		return token;
	}

	/** The account behind a live session; an expired one is forgotten on the way. */
	accountOf(token: string): Account | undefined {
		const session = this.sessions.get(token);
		if (!session) return undefined;
		if (!session.permanent && this.opts.now() - session.issuedAt >= this.ttlMs) {
			this.sessions.delete(token);
			return undefined;
		}
		return this.byId(session.userId);
	}

	me(account: Account): MeReply {
		return {
			id: account.userId,
			name: account.name,
			email: account.email,
			role: account.role,
			phone_number: null,
			created_at: account.createdAt,
		};
	}

	/** Successful logins, so a test can count a client's renewals. */
	get logins(): number {
		return this.loginCount;
	}

	get sessionTtlMs(): number {
		return this.ttlMs;
	}

	setSessionTtl(ms: number): void {
		this.ttlMs = checkedTtl(ms);
	}

	/** Ends every login session; the static token stays. */
	expireAll(): void {
		for (const [token, session] of this.sessions) {
			if (!session.permanent) this.sessions.delete(token);
		}
	}

	revoke(token: string): boolean {
		return this.sessions.delete(token);
	}

	private byId(userId: string): Account | undefined {
		for (const account of this.byEmail.values()) if (account.userId === userId) return account;
		return undefined;
	}

	private insert(input: AccountInput, userId: string): Account {
		const key = input.email.toLowerCase();
		if (this.byEmail.has(key)) throw new Error(`An account with email ${input.email} exists`);
		const account: Account = {
			email: input.email,
			password: input.password,
			role: input.role ?? 'Admin',
			userId,
			name: input.name ?? input.email.split('@')[0],
			createdAt: this.opts.now(),
		};
		this.byEmail.set(key, account);
		return account;
	}
}

function checkedTtl(ms: number): number {
	if (!Number.isFinite(ms) || ms < 0) throw new RangeError('Session lifetime must be >= 0 ms');
	return ms;
}
