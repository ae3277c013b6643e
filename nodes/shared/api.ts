/** The WhatsAble API as the package knows it: defined once for the credential and the transport. */
export const CREDENTIAL_TYPE = 'whatsAbleWebhooksApi';
export const DEFAULT_BASE_URL = 'https://api.insightssystem.com';
/** The dev-webhook endpoints check the Origin header against the console's. */
export const DEFAULT_CONSOLE_ORIGIN = 'https://console.notifyer-systems.com';
/** API path groups (Xano-style `api:<group>` prefixes). */
export const API_PATHS = {
	devWebhooks: '/api:qh9OQ3OW/webhook/dev',
} as const;
/*
 * Where users read the docs: the README as npm shows it. The project has no public repository
 * yet; the package's npm page is the one address that is surely ours once it is published.
 */
export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/n8n-nodes-whatsable-webhooks';
