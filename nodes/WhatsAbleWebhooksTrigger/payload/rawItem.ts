/** Where a Raw Body item puts a body that is not a JSON object. */
export const RAW_BODY_KEY = 'body';

/**
 * The json of the Raw Body item. n8n items must be objects (the next node fails on a number or a
 * list), so a JSON object is the item as it is and any other value is wrapped under RAW_BODY_KEY.
 */
export function rawItemJson(parsed: unknown): Record<string, unknown> {
	return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
		? (parsed as Record<string, unknown>)
		: { [RAW_BODY_KEY]: parsed };
}
