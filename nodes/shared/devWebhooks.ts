import { API_PATHS } from './api';
import { describeStatus, WhatsAbleApiError } from './apiError';
import type { RetryPolicy } from './retry';
import { apiRequest, type ApiContext } from './transport';
import {
	parseWebhookRecord,
	settingsOf,
	type WebhookRecord,
	type WebhookSettings,
} from './webhookRecord';

/** The dev-webhook endpoints (create, list, update, delete), on top of the generic transport. */

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
	const response = await apiRequest(ctx, {
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
	const response = await apiRequest(ctx, {
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

/** The API has no single-record GET and PATCH needs the whole record: fetch, merge, send. */
export async function updateWebhook(
	ctx: ApiContext,
	id: number,
	changes: Partial<WebhookSettings>,
	retry?: RetryPolicy,
): Promise<WebhookRecord> {
	const what = `update webhook ${id}`;
	const current = await findWebhook(ctx, id, retry);
	if (!current) throw describeStatus(ctx.getNode(), 404, undefined, what);
	const merged: WebhookSettings = { ...settingsOf(current), ...changes };
	if (!merged.schedule_activity) merged.waiting_duration = 0;
	const response = await apiRequest(ctx, {
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

export async function deleteWebhook(
	ctx: ApiContext,
	id: number,
	options: { allowMissing?: boolean; retry?: RetryPolicy } = {},
): Promise<DeleteOutcome> {
	const what = `delete webhook ${id}`;
	const response = await apiRequest(ctx, {
		method: 'DELETE',
		path: `${API_PATHS.devWebhooks}/${id}`,
		what,
		retry: options.retry,
		accept: [404],
	});
	if (response.statusCode !== 404) return 'deleted';
	if (options.allowMissing) return 'already-gone';
	throw describeStatus(ctx.getNode(), 404, response.body, what);
}
