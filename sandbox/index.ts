export { WhatsAbleSandbox, parseBuildOptions } from './server';
export type { SandboxOptions, DeliverOptions } from './server';
export {
	ACCESS_DENIED_MESSAGE,
	AUTH_API_PREFIX,
	DEFAULT_EMAIL,
	DEFAULT_SESSION_TTL_MS,
	PRECONDITION_FAILED,
} from './accounts';
export type { AccountInfo, AccountInput, MeReply, OwnerAccount, Role } from './accounts';
export { buildFlatPayload, MEDIA_TYPES } from './payloads';
export type { FlatPayloadOptions, HistoryItem, MediaType } from './payloads';
export { resnapshot } from './resnapshot';
export type { ResnapshotContext } from './resnapshot';
export {
	signatureFor,
	SIGNATURE_HEADER,
	DELIVERY_DEFAULTS,
	DIRECTIONS,
	REDELIVERY_MODES,
	SIGNATURE_SCHEMES,
} from './delivery';
export type {
	DeliveryAttempt,
	DeliveryReport,
	Direction,
	Redelivery,
	SignatureScheme,
} from './delivery';
export type { Fault } from './faults';
export { API_PREFIX, DEFAULT_ORIGIN, INVALID_TOKEN_MESSAGE } from './http';
export type { RecordedCall } from './http';
export { DUPLICATE_MESSAGE, NOT_FOUND_MESSAGE, SANDBOX_USER_ID, generateSecret } from './store';
export type { AddRecordInput, WebhookInput, WebhookRecord } from './store';
