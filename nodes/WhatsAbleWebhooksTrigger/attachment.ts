import { createHash } from 'node:crypto';

import type { IBinaryData, IWebhookFunctions } from 'n8n-workflow';

export type AttachmentResult =
	| { ok: true; binary: IBinaryData; bytes: number }
	| { ok: false; error: string };

function fileNameOf(url: string, type: string): string {
	try {
		const last = new URL(url).pathname.split('/').filter(Boolean).pop();
		if (last && last.includes('.')) return decodeURIComponent(last);
	} catch {
		// not a URL: fall through to a generic name
	}
	return `${type || 'attachment'}`;
}

/**
 * Downloads a message attachment into binary data. Media links expire after 24 hours, so a
 * failure becomes an `attachmentError` on the item rather than a failed delivery.
 */
export async function downloadAttachment(
	ctx: IWebhookFunctions,
	url: string,
	options: { type: string; maxBytes: number; sha256?: string },
): Promise<AttachmentResult> {
	let response: { body: unknown; statusCode: number; headers: Record<string, unknown> };
	try {
		response = (await ctx.helpers.httpRequest({
			url,
			method: 'GET',
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 8_000,
		})) as typeof response;
	} catch {
		return {
			ok: false,
			error: 'the attachment could not be downloaded (network error or timeout)',
		};
	}
	if ([401, 403, 404, 410].includes(response.statusCode)) {
		return {
			ok: false,
			error: `the attachment link has expired or is missing (${response.statusCode}); WhatsAble media links are valid for 24 hours`,
		};
	}
	if (response.statusCode >= 400) {
		return { ok: false, error: `the attachment server answered ${response.statusCode}` };
	}
	const declared = Number(response.headers['content-length'] ?? NaN);
	if (Number.isFinite(declared) && declared > options.maxBytes) {
		return { ok: false, error: `the attachment is larger than the ${options.maxBytes} byte limit` };
	}
	const body = response.body;
	const data = Buffer.isBuffer(body)
		? body
		: body instanceof ArrayBuffer
			? Buffer.from(body)
			: Buffer.from(String(body ?? ''));
	if (data.length > options.maxBytes) {
		return { ok: false, error: `the attachment is larger than the ${options.maxBytes} byte limit` };
	}
	if (options.sha256) {
		const actual = createHash('sha256').update(data).digest('hex');
		if (actual.toLowerCase() !== options.sha256.toLowerCase()) {
			return {
				ok: false,
				error: 'the attachment does not match the SHA-256 given in the delivery',
			};
		}
	}
	const contentType = response.headers['content-type'];
	const mimeType = typeof contentType === 'string' ? contentType.split(';')[0].trim() : undefined;
	const binary = await ctx.helpers.prepareBinaryData(data, fileNameOf(url, options.type), mimeType);
	return { ok: true, binary, bytes: data.length };
}
