import { z } from 'zod/v4';

/** Dashboard presets for the schedule-activity waiting duration, in seconds. */
export const WAITING_DURATION_PRESETS: ReadonlyArray<{ name: string; value: number }> = [
	{ name: '15 Seconds', value: 15 },
	{ name: '30 Seconds', value: 30 },
	{ name: '1 Minute', value: 60 },
	{ name: '30 Minutes', value: 1800 },
	{ name: '1 Hour', value: 3600 },
	{ name: '5 Hours', value: 18000 },
	{ name: '10 Hours', value: 36000 },
	{ name: '1 Day', value: 86400 },
	{ name: '2 Days', value: 172800 },
	{ name: '3 Days', value: 259200 },
	{ name: '5 Days', value: 432000 },
	{ name: '1 Week', value: 604800 },
	{ name: '2 Weeks', value: 1209600 },
	{ name: '30 Days', value: 2592000 },
	{ name: '60 Days', value: 5184000 },
];

const flag = z.union([
	z.boolean(),
	z.literal('true'),
	z.literal('false'),
	z.literal(1),
	z.literal(0),
]);
const toBool = (v: z.infer<typeof flag> | undefined | null): boolean | undefined =>
	v === undefined || v === null ? undefined : v === true || v === 'true' || v === 1;

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
	const legacyBoth = toBool(r.is_incoming_outgoing_enable ?? r.is_incoming_outgoing);
	return {
		id: r.id,
		created_at: r.created_at ?? null,
		webhooks: r.webhooks ?? r.url ?? '',
		status: toBool(r.status) ?? true,
		incoming: toBool(r.incoming) ?? true,
		outgoing: toBool(r.outgoing) ?? legacyBoth ?? false,
		schedule_activity: toBool(r.schedule_activity) ?? false,
		waiting_duration: Math.max(0, Math.trunc(r.waiting_duration ?? 0)),
		signature_secret: r.signature_secret ?? null,
		active_signature: toBool(r.active_signature) ?? false,
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
