/**
 * DNS for tests: n8n-core's real `helpers.httpRequest` sends a request for `https://<listed
 * name>/...` to the listed local origin instead. The trigger's address rule still sees the
 * public-looking https URL (and every redirect hop goes through here again), so tests reach local
 * servers without any relaxed rule in shipped code. n8n's request helper has no DNS hook
 * (`agentOptions` takes no `lookup`), hence the URL rewrite.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { makeWebhookContext, type WebhookContextOptions } from './n8nContext';

export type TestHosts = Record<string, string>;

function routed(url: string, hosts: TestHosts): string {
	const parsed = new URL(url);
	const origin = hosts[parsed.host] ?? hosts[parsed.hostname];
	return origin ? `${origin}${parsed.pathname}${parsed.search}` : url;
}

/** Routes the context's real httpRequest for the listed host names; returns the same context. */
export function routeTestHosts(ctx: IWebhookFunctions, hosts: TestHosts): IWebhookFunctions {
	const real = ctx.helpers.httpRequest;
	ctx.helpers.httpRequest = async (options) =>
		await real.call(ctx.helpers, { ...options, url: routed(options.url, hosts) });
	return ctx;
}

type Http = WebhookContextOptions['http'];

/** A real WebhookContext outside any request, for calling the trigger's helpers directly. */
export function bareWebhookContext(hosts: TestHosts): IWebhookFunctions {
	const ctx = makeWebhookContext({
		credentials: { apiToken: 'unused', baseUrl: 'http://127.0.0.1:9' },
		parameters: {},
		webhookUrl: 'http://127.0.0.1:5678/webhook/bare/webhook',
		workflowStaticData: {},
		mode: 'webhook',
		http: { httpRequest: {}, httpResponse: {} } as unknown as Http,
	});
	return routeTestHosts(ctx, hosts);
}
