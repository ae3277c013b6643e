import { API_PATHS } from '../../../shared/api';
import { WhatsAbleApiError, type ResourceErrors } from '../../../shared/apiError';
import type { RetryPolicy } from '../../../shared/retry';
import {
	apiRequest,
	type ApiContext,
	type ApiRequestOptions,
	type ApiResponse,
} from '../../../shared/transport';
import { parseWebhookRecord, settingsOf, type WebhookRecord, type WebhookSettings } from './record';

/* The dev-webhook endpoints (create, list, update, delete), on top of the generic transport. */

/** What the dev-webhook endpoints' own refusals mean (the account-wide ones are the transport's). */
const WEBHOOK_ERRORS: ResourceErrors = {
	rules: [
		[
			(s, m) => s === 400 && /same webhook exist/i.test(m),
			{
				kind: 'duplicate-url',
				message: (what) =>
					`This URL is already registered with WhatsAble ("Same webhook exist") while trying to ${what}`,
				description:
					'WhatsAble allows each URL once per account. Delete the existing endpoint in the dashboard or with the WhatsAble Webhooks node, or use another URL.',
			},
		],
		[
			(s) => s === 404,
			{
				kind: 'not-found',
				message: (what) => `WhatsAble has no such webhook (404) while trying to ${what}`,
				description:
					'The webhook may have been deleted in the dashboard. List the webhooks to find the current ids.',
			},
		],
	],
	badRequestAdvice: 'Check the values sent (URL, events, waiting duration).',
};

async function webhookRequest(ctx: ApiContext, options: ApiRequestOptions): Promise<ApiResponse> {
	return await apiRequest(ctx, { ...options, errors: WEBHOOK_ERRORS });
}

function expectRecord(ctx: ApiContext, body: unknown, what: string): WebhookRecord {
	const record = parseWebhookRecord(body);
	if (!record) {
		throw new WhatsAbleApiError(
			ctx.getNode(),
			'invalid-response',
			null,
			`WhatsAble answered with something that is not a webhook record while trying to ${what}`,
			'The API Base URL may point at the wrong service.',
		);
	}
	return record;
}

export async function createWebhook(
	ctx: ApiContext,
	settings: WebhookSettings,
	retry?: RetryPolicy,
): Promise<WebhookRecord> {
	const what = 'create the webhook';
	const response = await webhookRequest(ctx, {
		method: 'POST',
		path: `${API_PATHS.devWebhooks}/create`,
		body: { ...settings },
		what,
		retry,
	});
	return expectRecord(ctx, response.body, what);
}

export async function listWebhooks(ctx: ApiContext, retry?: RetryPolicy): Promise<WebhookRecord[]> {
	const what = 'list the webhooks';
	const response = await webhookRequest(ctx, {
		method: 'GET',
		path: API_PATHS.devWebhooks,
		what,
		retry,
	});
	const body = response.body;
	if (!Array.isArray(body)) {
		throw new WhatsAbleApiError(
			ctx.getNode(),
			'invalid-response',
			null,
			`WhatsAble answered with something that is not a list while trying to ${what}`,
			'The API Base URL may point at the wrong service.',
		);
	}
	return body.map(parseWebhookRecord).filter((r): r is WebhookRecord => r !== null);
}

export async function findWebhook(
	ctx: ApiContext,
	id: number,
	retry?: RetryPolicy,
): Promise<WebhookRecord | null> {
	const records = await listWebhooks(ctx, retry);
	return records.find((r) => r.id === id) ?? null;
}

/*
 * WhatsAble's PATCH and DELETE by id check no owner (DELETE no session at all) and ids are small
 * consecutive numbers: a mistyped id, or an agent talked into one, would change another account's
 * webhook. So nothing is changed by id unless the id is in this account's own list.
 */
export function notInAccount(ctx: ApiContext, id: number, what: string): WhatsAbleApiError {
	return new WhatsAbleApiError(
		ctx.getNode(),
		'not-found',
		null,
		`Webhook ${id} is not in this WhatsAble account (could not ${what})`,
		"It is not in the account's list of webhooks: it was deleted, or the id belongs to another account. WhatsAble's own endpoints would change any account's webhook by id, so this node only touches webhooks listed for the credential's account. Use Get Many to see them and their ids.",
	);
}

/** The account's own webhook `id`, or the not-in-account error. */
export async function ownWebhook(
	ctx: ApiContext,
	id: number,
	what: string,
	retry?: RetryPolicy,
): Promise<WebhookRecord> {
	const record = await findWebhook(ctx, id, retry);
	if (!record) throw notInAccount(ctx, id, what);
	return record;
}

/** The API has no single-record GET and PATCH needs the whole record: fetch, merge, send. */
export async function updateWebhook(
	ctx: ApiContext,
	id: number,
	changes: Partial<WebhookSettings>,
	retry?: RetryPolicy,
): Promise<WebhookRecord> {
	const what = `update webhook ${id}`;
	const current = await ownWebhook(ctx, id, what, retry);
	const merged: WebhookSettings = { ...settingsOf(current), ...changes };
	if (!merged.schedule_activity) merged.waiting_duration = 0;
	const response = await webhookRequest(ctx, {
		method: 'PATCH',
		path: `${API_PATHS.devWebhooks}/${id}`,
		body: { ...merged },
		what,
		retry,
	});
	// Some API versions answer a PATCH with an empty body: fall back to what was sent.
	return parseWebhookRecord(response.body) ?? { ...current, ...merged, signature_secret: null };
}

export type DeleteOutcome = 'deleted' | 'already-gone';

export interface DeleteOptions {
	/** Not in the account's list (or already gone) counts as done instead of an error. */
	allowMissing?: boolean;
	retry?: RetryPolicy;
}

/** Deletes one of the account's own webhooks, found in its list first (see notInAccount). */
export async function deleteWebhook(
	ctx: ApiContext,
	id: number,
	options: DeleteOptions = {},
): Promise<DeleteOutcome> {
	const what = `delete webhook ${id}`;
	const current = await findWebhook(ctx, id, options.retry);
	if (!current) {
		if (options.allowMissing) return 'already-gone';
		throw notInAccount(ctx, id, what);
	}
	return await deleteListedWebhook(ctx, current, options.retry);
}

/** Deletes a record just read from the account's own list. */
export async function deleteListedWebhook(
	ctx: ApiContext,
	record: WebhookRecord,
	retry?: RetryPolicy,
): Promise<DeleteOutcome> {
	const what = `delete webhook ${record.id}`;
	const response = await webhookRequest(ctx, {
		method: 'DELETE',
		path: `${API_PATHS.devWebhooks}/${record.id}`,
		what,
		retry,
		accept: [404],
	});
	return response.statusCode === 404 ? 'already-gone' : 'deleted';
}
