import {
	fromFunction,
	webhookDescriptionFields,
	type INodeParameters,
	type IWebhookDescription,
	type NodeParameterValueType,
	type WebhookDescriptionField,
} from 'n8n-workflow';

/*
 * The response fields depend on the "Respond" parameter. Declared as functions of the
 * parameters, n8n (from 2.41) resolves them without its expression engine, which otherwise
 * runs an expression isolate (or, under the legacy engine, a workflow data proxy) for every
 * delivery. Each function must be self-contained: its source becomes the editor's template.
 */
type FieldFunction = (parameters: INodeParameters) => NodeParameterValueType | undefined;

const responseMode: FieldFunction = (p) =>
	p.respond === 'lastNode'
		? 'lastNode'
		: p.respond === 'responseNode'
			? 'responseNode'
			: 'onReceived';

// Without an explicit value n8n answers "When Last Node Finishes" with the literal text "firstEntryJson".
const responseData: FieldFunction = (p) => (p.respond === 'lastNode' ? 'firstEntryJson' : '');

/** The same template n8n builds, for n8n versions without native resolvers (only the editor reads it). */
function field(fn: FieldFunction): WebhookDescriptionField {
	if (typeof fromFunction === 'function') return fromFunction(fn);
	return { template: `={{(${String(fn)})($parameter)}}`, resolve: fn };
}

type ResponseField = 'responseMode' | 'responseData';

function responseFields(): Record<ResponseField, string> {
	const fields: Record<ResponseField, WebhookDescriptionField> = {
		responseMode: field(responseMode),
		responseData: field(responseData),
	};
	if (typeof webhookDescriptionFields === 'function') return webhookDescriptionFields(fields);
	return { responseMode: fields.responseMode.template, responseData: fields.responseData.template };
}

export const triggerWebhooks: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'POST', path: 'webhook', ...responseFields() },
];
