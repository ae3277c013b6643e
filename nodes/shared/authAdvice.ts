/*
 * What to do when WhatsAble refuses the login, the session (401) or the request (403). One source
 * for the credential's test messages, the login errors and the nodes' error descriptions.
 */
export const TOKEN_ADVICE =
	'WhatsAble session tokens are dashboard sessions: they expire, and are revoked when you log out. Paste a fresh token into the WhatsAble Webhooks credential, or switch its Authentication to "Email and Password" so the credential renews the session itself.';

export const SESSION_RENEWED_ADVICE =
	'The credential had just logged in again and WhatsAble still refused the new session. Check that the API Base URL points at WhatsAble, then test the credential.';

export const LOGIN_ADVICE =
	'Check the email and password in the WhatsAble Webhooks credential (the ones you use for the WhatsAble dashboard). WhatsAble answers "Precondition failed" for an unknown email, a wrong password, and an Admin login without the console Origin header, so keep "Console Origin Header" at https://console.notifyer-systems.com.';

export const ORIGIN_ADVICE =
	'Either the Origin header is wrong (set "Console Origin Header" in the credential to https://console.notifyer-systems.com, the default), or the account is a Team Member: webhooks need the login of the workspace owner (Admin).';

export const CREDENTIAL_TEST_MESSAGES = {
	401: `WhatsAble refused the session (401): the token is wrong, expired or revoked. ${TOKEN_ADVICE}`,
	403: `WhatsAble refused the request (403). ${ORIGIN_ADVICE}`,
} as const;
