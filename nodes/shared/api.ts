/** The WhatsAble API as the package knows it: defined once for the credential and the transport. */
export const CREDENTIAL_TYPE = 'whatsAbleWebhooksApi';
export const DEFAULT_BASE_URL = 'https://api.insightssystem.com';
/** The dev-webhook endpoints check the Origin header against the console's; so does login. */
export const DEFAULT_CONSOLE_ORIGIN = 'https://console.notifyer-systems.com';
/** API path groups (Xano-style `api:<group>` prefixes). */
export const API_PATHS = {
	devWebhooks: '/api:qh9OQ3OW/webhook/dev',
	login: '/api:-4GSCDHb/auth/login',
	me: '/api:-4GSCDHb/auth/me',
} as const;
/*
 * Where users read the docs: the README as npm shows it. The project has no public repository
 * yet; the package's npm page is the one address that is surely ours once it is published.
 */
export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/n8n-nodes-whatsable-webhooks';
/** Any one call to the API; WhatsAble answers in well under a second when it is healthy. */
export const REQUEST_TIMEOUT_MS = 8_000;
