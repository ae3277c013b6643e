import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

// The name must differ from the official n8n-nodes-whatsable credentials (whatsAbleApi,
// whatsAbleNotifierApi, whatsAbleNotifyerApi, ...): users may have both packages installed.
export class WhatsAbleWebhooksApi implements ICredentialType {
	name = 'whatsAbleWebhooksApi';

	displayName = 'WhatsAble Webhooks API';

	icon: Icon = { light: 'file:../icons/whatsable.svg', dark: 'file:../icons/whatsable.dark.svg' };

	documentationUrl = 'https://github.com/whatsable/n8n-nodes-whatsable-webhooks#credentials';

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
			default: 'https://api.insightssystem.com',
			required: true,
			description: 'Base URL of the WhatsAble API. Change it only for a sandbox or a proxy.',
		},
		{
			displayName: 'Console Origin Header',
			name: 'consoleOrigin',
			type: 'string',
			default: 'https://console.notifyer-systems.com',
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
			url: '/api:qh9OQ3OW/webhook/dev',
			method: 'GET',
			headers: { Origin: '={{$credentials.consoleOrigin}}' },
		},
	};
}
