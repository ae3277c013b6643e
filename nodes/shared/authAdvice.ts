/*
 * What to do when WhatsAble refuses the token (401) or the origin (403). One source for the
 * credential test's messages and the nodes' error descriptions.
 */
export const TOKEN_ADVICE =
	'Check the API Token in the WhatsAble Webhooks credential: it may be mistyped, expired or revoked. Copy a fresh token from the WhatsAble dashboard.';

export const ORIGIN_ADVICE =
	'The webhook endpoints check the Origin header. Set "Console Origin Header" in the credential to https://console.notifyer-systems.com (the default), or clear it if your account does not need it.';

export const CREDENTIAL_TEST_MESSAGES = {
	401: `WhatsAble refused the API token (401): it is wrong or expired. ${TOKEN_ADVICE}`,
	403: `WhatsAble refused the request's origin (403). ${ORIGIN_ADVICE}`,
} as const;
