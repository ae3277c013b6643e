import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	IHttpRequestHelper,
	IHttpRequestOptions,
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
import {
	bearerTokenOf,
	DEFAULT_AUTH_METHOD,
	renewSession,
	SEALING_KEY_FIELD,
	SESSION_FIELD,
} from '../nodes/shared/session';

// The name must differ from the official n8n-nodes-whatsable credentials (whatsAbleApi,
// whatsAbleNotifierApi, whatsAbleNotifyerApi, ...): users may have both packages installed.
export class WhatsAbleWebhooksApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'WhatsAble Webhooks API';

	icon: Icon = { light: 'file:../icons/whatsable.svg', dark: 'file:../icons/whatsable.dark.svg' };

	documentationUrl = `${DOCUMENTATION_URL}#credentials`;

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Email and Password (Recommended)',
					value: 'emailPassword',
					description: 'The credential logs in and renews the session itself when it expires',
				},
				{
					name: 'Session Token',
					value: 'sessionToken',
					description: 'A token copied from the dashboard; it expires and must then be replaced',
				},
			],
			default: DEFAULT_AUTH_METHOD,
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['emailPassword'] } },
			description: 'The email of your WhatsAble / Notifyer dashboard login (the workspace owner)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['emailPassword'] } },
			description: 'The password of that dashboard login',
		},
		{
			displayName: 'Session Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['sessionToken'] } },
			description:
				'The bearer token the WhatsAble dashboard uses. It is a session: it expires, and logging out revokes it. Then paste a new one (the trigger keeps its signing secret), or use Email and Password.',
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
				'Sent as the Origin header: the login and the webhook endpoints check it. Clear it to send no Origin header.',
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
		// Kept by n8n, never shown: the renewable session and the trigger's sealing key.
		{
			displayName: 'Session',
			name: SESSION_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Sealing Key',
			name: SEALING_KEY_FIELD,
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	preAuthentication = async function (
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	) {
		return await renewSession.call(this, credentials);
	};

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = bearerTokenOf(credentials);
		// Without a valid session the request goes without one: the 401 makes n8n log in again.
		if (token)
			requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${token}` };
		return requestOptions;
	}

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
