/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/** A closed-loop HTTP load generator on undici: N requests, fixed concurrency, bounded in time. */
import { performance } from 'node:perf_hooks';

import { Pool } from 'undici';

export interface LoadRequest {
	body: Buffer;
	headers: Record<string, string>;
}

export interface LoadAnswer {
	index: number;
	status: number;
	body: string;
}

export interface LoadResult {
	/** Requests that got an answer or an error. */
	sent: number;
	ok: number;
	status4xx: number;
	status5xx: number;
	errors: number;
	errorCodes: Record<string, number>;
	statusCounts: Record<string, number>;
	/** Milliseconds from sending to the end of the answer's body, answered requests only. */
	latenciesMs: number[];
	elapsedMs: number;
	/** The time limit stopped the run before every request was sent. */
	timedOut: boolean;
	/** Each answer, in completion order (only with keepAnswers). */
	answers: LoadAnswer[];
}

export interface LoadOptions {
	concurrency: number;
	/** No new request starts after this. */
	timeLimitMs: number;
	/** Per request, headers and body each. */
	requestTimeoutMs?: number;
	keepAnswers?: boolean;
}

export async function runLoad(
	url: string,
	requests: readonly LoadRequest[],
	opts: LoadOptions,
): Promise<LoadResult> {
	const target = new URL(url);
	const pool = new Pool(target.origin, {
		connections: opts.concurrency,
		pipelining: 1,
		keepAliveTimeout: 30_000,
	});
	const result: LoadResult = {
		sent: 0,
		ok: 0,
		status4xx: 0,
		status5xx: 0,
		errors: 0,
		errorCodes: {},
		statusCounts: {},
		latenciesMs: [],
		elapsedMs: 0,
		timedOut: false,
		answers: [],
	};
	const requestTimeout = opts.requestTimeoutMs ?? 30_000;
	const started = performance.now();
	const deadline = started + opts.timeLimitMs;
	let next = 0;

	const worker = async (): Promise<void> => {
		for (;;) {
			if (next >= requests.length) return;
			if (performance.now() > deadline) {
				result.timedOut = true;
				return;
			}
			const index = next++;
			const req = requests[index];
			const t0 = performance.now();
			try {
				const res = await pool.request({
					path: target.pathname + target.search,
					method: 'POST',
					headers: { ...req.headers, 'content-length': String(req.body.length) },
					body: req.body,
					headersTimeout: requestTimeout,
					bodyTimeout: requestTimeout,
				});
				const text = await res.body.text();
				result.latenciesMs.push(performance.now() - t0);
				const status = res.statusCode;
				result.statusCounts[status] = (result.statusCounts[status] ?? 0) + 1;
				if (status >= 200 && status < 300) result.ok++;
				else if (status >= 500) result.status5xx++;
				else if (status >= 400) result.status4xx++;
				if (opts.keepAnswers) result.answers.push({ index, status, body: text });
			} catch (error) {
				result.errors++;
				const code =
					error && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
						? error.code
						: 'error';
				result.errorCodes[code] = (result.errorCodes[code] ?? 0) + 1;
			}
			result.sent++;
		}
	};
	try {
		await Promise.all(Array.from({ length: opts.concurrency }, () => worker()));
	} finally {
		result.elapsedMs = performance.now() - started;
		await pool.close().catch(() => undefined);
	}
	return result;
}
