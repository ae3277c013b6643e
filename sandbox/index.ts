/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
export { WhatsAbleSandbox, parseBuildOptions } from './server';
export type { SandboxOptions, DeliverOptions } from './server';
export { buildFlatPayload, MEDIA_TYPES } from './payloads';
export type { FlatPayloadOptions, MediaType } from './payloads';
export { signatureFor, SIGNATURE_HEADER, DELIVERY_DEFAULTS } from './delivery';
export type { DeliveryAttempt, DeliveryReport, Direction, SignatureScheme } from './delivery';
export type { Fault } from './faults';
export { API_PREFIX, DEFAULT_ORIGIN } from './http';
export type { RecordedCall } from './http';
export { DUPLICATE_MESSAGE, NOT_FOUND_MESSAGE, SANDBOX_USER_ID, generateSecret } from './store';
export type { AddRecordInput, WebhookInput, WebhookRecord } from './store';
