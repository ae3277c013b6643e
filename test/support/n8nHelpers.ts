/**
 * The webhook helpers the trigger uses, as n8n runs them. `helpers.httpRequest` as n8n 2.41.1
 * implements it: axios 1.21.1 (the version n8n ships) with n8n's option mapping
 * (convertN8nRequestToAxios in @n8n/backend-network: encoding → responseType,
 * disableFollowRedirect → maxRedirects 0, abortSignal → signal, ignoreHttpStatusErrors → any
 * status, maxContentLength Infinity), over real HTTP.
 *
 * `hosts` plays DNS for tests: a request to `https://<name>/...` for a listed name goes to the
 * listed local origin instead. The trigger's address rule still sees the public-looking https
 * URL, so tests reach local servers without any relaxed rule in shipped code.
 */
import axios, { type AxiosRequestConfig, type ResponseType } from 'axios';
import type { IBinaryData, IHttpRequestOptions } from 'n8n-workflow';

export type TestHosts = Record<string, string>;

function routed(url: string, hosts: TestHosts): string {
	const parsed = new URL(url);
	const origin = hosts[parsed.host] ?? hosts[parsed.hostname];
	return origin ? `${origin}${parsed.pathname}${parsed.search}` : url;
}

export function n8nHttpRequest(hosts: TestHosts = {}) {
	return async (opts: IHttpRequestOptions): Promise<unknown> => {
		const config: AxiosRequestConfig = {
			url: routed(opts.url, hosts),
			method: opts.method ?? 'GET',
			headers: { ...(opts.json ? { Accept: 'application/json' } : {}), ...opts.headers } as Record<
				string,
				string
			>,
			timeout: opts.timeout,
			maxBodyLength: Infinity,
			// n8n sets this too; with it axios wraps a streamed body (see attachment.ts's release).
			maxContentLength: Infinity,
			signal: opts.abortSignal,
		};
		const { body } = opts;
		// n8n sends no body for an empty object.
		if (
			typeof body === 'string' ||
			(typeof body === 'object' && body && Object.keys(body).length > 0)
		)
			config.data = body;
		if (opts.disableFollowRedirect) config.maxRedirects = 0;
		else if (opts.maxRedirects !== undefined) config.maxRedirects = opts.maxRedirects;
		if (opts.encoding) config.responseType = opts.encoding as ResponseType;
		if (opts.ignoreHttpStatusErrors) config.validateStatus = () => true;
		const response = await axios.request(config);
		return opts.returnFullResponse
			? { body: response.data, headers: response.headers, statusCode: response.status }
			: response.data;
	};
}

/** `helpers.prepareBinaryData` as far as tests need it: the bytes in base64, name, type, size. */
async function prepareBinaryData(
	data: Buffer,
	fileName?: string,
	mimeType?: string,
): Promise<IBinaryData> {
	return {
		data: data.toString('base64'),
		fileName,
		mimeType: mimeType ?? 'application/octet-stream',
		fileSize: String(data.length),
	} as IBinaryData;
}

export function webhookHelpers(hosts: TestHosts = {}) {
	return { httpRequest: n8nHttpRequest(hosts), prepareBinaryData };
}
