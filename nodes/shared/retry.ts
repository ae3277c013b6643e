import { sleep } from 'n8n-workflow';

/** Bounded retries: WhatsAble can be briefly unavailable or rate-limit bursts of calls. */
export interface RetryPolicy {
	/** Total tries, first one included. */
	attempts: number;
	/** First backoff; doubles each retry. */
	baseDelayMs: number;
	/** No retry is started that would end after this much time since the first try. */
	deadlineMs: number;
	/** A Retry-After longer than this is not waited for. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	attempts: 3,
	baseDelayMs: 400,
	deadlineMs: 10_000,
	maxRetryAfterMs: 5_000,
};

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number): number | null {
	const raw = Array.isArray(value) ? value[0] : value;
	if (typeof raw !== 'string' && typeof raw !== 'number') return null;
	const text = String(raw).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Wait before the next try, or null when the policy says stop: out of tries, past the deadline,
 * or the server asks for a longer pause than we are willing to hold a publish for.
 */
export function nextDelay(
	policy: RetryPolicy,
	attempt: number,
	startedAt: number,
	now: number,
	retryAfterMs: number | null,
): number | null {
	if (attempt >= policy.attempts) return null;
	if (retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs) return null;
	const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
	const delay = retryAfterMs ?? backoff;
	if (now + delay - startedAt > policy.deadlineMs) return null;
	return delay;
}

export async function pause(ms: number): Promise<void> {
	if (ms > 0) await sleep(ms);
}
