import { z } from 'zod/v4';

import { asBoolean } from '../../../shared/readers';

const flag = z.union([
	z.boolean(),
	z.literal('true'),
	z.literal('false'),
	z.literal(1),
	z.literal(0),
]);
/** A dev-webhook record as the API returns it (create response and list items). */
const apiRecordSchema = z.looseObject({
	id: z.coerce.number().int(),
	created_at: z.number().nullish(),
	webhooks: z.string().nullish(),
	url: z.string().nullish(),
	status: flag.nullish(),
	incoming: flag.nullish(),
	outgoing: flag.nullish(),
	is_incoming_outgoing_enable: flag.nullish(),
	is_incoming_outgoing: flag.nullish(),
	schedule_activity: flag.nullish(),
	waiting_duration: z.coerce.number().nullish(),
	signature_secret: z.string().nullish(),
	active_signature: flag.nullish(),
	user_id: z.union([z.string(), z.number()]).nullish(),
});

/** The writable settings of a registration: exactly what create and PATCH take. */
export const webhookSettingsSchema = z.object({
	webhooks: z.string(),
	status: z.boolean(),
	incoming: z.boolean(),
	outgoing: z.boolean(),
	schedule_activity: z.boolean(),
	waiting_duration: z.number().int().nonnegative(),
	active_signature: z.boolean(),
});
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

export type WebhookRecord = WebhookSettings & {
	id: number;
	created_at: number | null;
	signature_secret: string | null;
	user_id: string | null;
};

/** Normalises a record, including older ones that carry `url` or `is_incoming_outgoing*`. */
export function parseWebhookRecord(value: unknown): WebhookRecord | null {
	const parsed = apiRecordSchema.safeParse(value);
	if (!parsed.success) return null;
	const r = parsed.data;
	const legacyBoth = asBoolean(r.is_incoming_outgoing_enable ?? r.is_incoming_outgoing);
	return {
		id: r.id,
		created_at: r.created_at ?? null,
		webhooks: r.webhooks ?? r.url ?? '',
		status: asBoolean(r.status) ?? true,
		incoming: asBoolean(r.incoming) ?? true,
		outgoing: asBoolean(r.outgoing) ?? legacyBoth ?? false,
		schedule_activity: asBoolean(r.schedule_activity) ?? false,
		waiting_duration: Math.max(0, Math.trunc(r.waiting_duration ?? 0)),
		signature_secret: r.signature_secret ?? null,
		active_signature: asBoolean(r.active_signature) ?? false,
		user_id: r.user_id === undefined || r.user_id === null ? null : String(r.user_id),
	};
}

/** The writable part of a record, for a whole-record PATCH. */
export function settingsOf(record: WebhookRecord): WebhookSettings {
	return {
		webhooks: record.webhooks,
		status: record.status,
		incoming: record.incoming,
		outgoing: record.outgoing,
		schedule_activity: record.schedule_activity,
		waiting_duration: record.waiting_duration,
		active_signature: record.active_signature,
	};
}
