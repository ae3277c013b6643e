import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	API_PATHS,
	CREDENTIAL_TYPE,
	DEFAULT_BASE_URL,
	DEFAULT_CONSOLE_ORIGIN,
	DOCUMENTATION_URL,
} from '../nodes/shared/api';
import { CREDENTIAL_TEST_MESSAGES } from '../nodes/shared/authAdvice';

// The name must differ from the official n8n-nodes-whatsable credentials (whatsAbleApi,
// whatsAbleNotifierApi, whatsAbleNotifyerApi, ...): users may have both packages installed.
export class WhatsAbleWebhooksApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'WhatsAble Webhooks API';

	icon: Icon = { light: 'file:../icons/whatsable.svg', dark: 'file:../icons/whatsable.dark.svg' };

	documentationUrl = `${DOCUMENTATION_URL}#credentials`;

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The bearer token of your WhatsAble / Notifyer account (the one the dashboard uses)',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			required: true,
			description: 'Base URL of the WhatsAble API. Change it only for a sandbox or a proxy.',
		},
		{
			displayName: 'Console Origin Header',
			name: 'consoleOrigin',
			type: 'string',
			default: DEFAULT_CONSOLE_ORIGIN,
			description:
				'Sent as the Origin header: the webhook endpoints check it. Clear it to send no Origin header.',
		},
		{
			displayName: 'Signature Secret',
			name: 'signatureSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for endpoints you created by hand in the dashboard: the signature secret it showed you once. The trigger keeps its own secret for the endpoints it registers.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: API_PATHS.devWebhooks,
			method: 'GET',
			headers: { Origin: '={{$credentials.consoleOrigin}}' },
		},
		// Without rules n8n shows only the HTTP reason ("Unauthorized", "Forbidden").
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: CREDENTIAL_TEST_MESSAGES[401] } },
			{ type: 'responseCode', properties: { value: 403, message: CREDENTIAL_TEST_MESSAGES[403] } },
		],
	};
}
