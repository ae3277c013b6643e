import { z } from 'zod/v4';

import { asBoolean, asLabels, asString, asTime, isRecord } from './coerce';
import { parseJsonBody } from './json';

/*
 * Input schemas: what WhatsAble may POST. Every field is optional and lenient: a value of the wrong
 * type is coerced when that is meaningful (numbers as strings, "true" as a boolean) and otherwise
 * read as absent, so no single field can fail a delivery. Unknown fields are kept (loose objects).
 * Built once at module load. Coercion sits in `.catch`, which costs nothing when the type is
 * already right: preprocess pipes doubled the parse time of a 20-message history.
 */

// nullish: WhatsAble sends null for "none" (attachment_url), and a null that fails the type check
// would take the slow catch path on every delivery.
const text = z
	.string()
	.nullish()
	.catch((ctx) => asString(ctx.value));
const flag = z
	.boolean()
	.nullish()
	.catch((ctx) => asBoolean(ctx.value));
/** Unix seconds (number or numeric string) or a date string. */
const time = z
	.union([z.number(), z.string()])
	.nullish()
	.catch((ctx) => asTime(ctx.value));
/** One comma-separated string, or an array of labels. */
const labels = z
	.union([z.string(), z.array(z.string())])
	.nullish()
	.catch((ctx) => asLabels(ctx.value));

/** An object schema that reads a non-object as absent. */
function loose<T extends z.core.$ZodLooseShape>(shape: T) {
	return z.looseObject(shape).optional().catch(undefined);
}

/** An array whose unusable elements read as undefined (skipped later) instead of failing it. */
function list<T extends z.ZodType>(item: T) {
	return z.array(item.optional().catch(undefined)).optional().catch(undefined);
}

export const historyMessageSchema = z.looseObject({
	type: text,
	content: text,
	// ISO text; a number is kept as text and read as a Unix time later.
	timestamp: text,
	content_type: text,
	media_url: text,
	sha256: text,
});

const historyList = z.array(historyMessageSchema.optional().catch(undefined));

function historyFromJson(value: string): z.output<typeof historyList> {
	const parsed = parseJsonBody(value);
	if (!parsed.ok) return [];
	const result = historyList.safeParse(parsed.value);
	return result.success ? result.data : [];
}

/** `last_messages` is an array, or a JSON string of one; an unparsable string is no history. */
const history = historyList
	.optional()
	.catch((ctx) => (typeof ctx.value === 'string' ? historyFromJson(ctx.value) : undefined));

export const referralSchema = z.looseObject({
	source_type: text,
	source_id: text,
	source_url: text,
	headline: text,
	body: text,
	media_type: text,
	image_url: text,
	video_url: text,
	thumbnail_url: text,
	ctwa_clid: text,
	// Meta sends { text }; Notifyer's form is undocumented, so a plain string is accepted too.
	welcome_message: z
		.string()
		.nullish()
		.catch((ctx) => (isRecord(ctx.value) ? asString(ctx.value.text) : asString(ctx.value))),
});

/** The flat fields, shared by the current payload and the legacy wrapper's `data`. */
const flatShape = {
	last_messages: history,
	conversation_paragraph: text,
	phone_number: text,
	recipient_name: text,
	user_id: text,
	last_message_of_user: text,
	last_message_of_bot: text,
	message_type: text,
	user_last_message_time: time,
	bot_last_message_time: time,
	attachment_url: text,
	note: text,
	note_automation: text,
	labels,
	incoming_message: flag,
	send_by: text,
	was_message_by_human: flag,
	referral: loose(referralSchema.shape),
};

/** Shape 1, current: the Notifyer payload with every field at the top level. */
export const flatPayloadSchema = z.looseObject(flatShape);

/** Shape 2: `{ event, data }`; times were called user_timestamp / bot_timestamp. */
export const legacyDataSchema = z.looseObject({
	...flatShape,
	user_timestamp: time,
	bot_timestamp: time,
	// message_status events
	message_id: text,
	status: text,
	timestamp: time,
});
export const legacyPayloadSchema = z.looseObject({
	event: text,
	data: legacyDataSchema.catch({}),
});

/** Shape 3: the v2 envelope. */
export const v2MessageSchema = z.looseObject({
	type: text,
	content: text,
	timestamp: text,
	media_url: text,
	sha256: text,
});
export const v2DataSchema = z.looseObject({
	conversation_id: text,
	phone_number: text,
	recipient_name: text,
	user_id: text,
	message: loose(v2MessageSchema.shape),
	conversation_context: loose({
		last_user_message: text,
		last_bot_message: text,
		user_timestamp: time,
		bot_timestamp: time,
	}),
	conversation_history: history,
	// Not in the v2 documentation, but read when present because the flat payload has them.
	conversation_paragraph: text,
	labels,
	note: text,
	note_automation: text,
	send_by: text,
	was_message_by_human: flag,
	referral: loose(referralSchema.shape),
});
export const v2PayloadSchema = z.looseObject({
	event_type: text,
	event_id: text,
	timestamp: time,
	version: text,
	data: v2DataSchema.catch({}),
});

/** Shape 4: Meta's WhatsApp Cloud API envelope. */
export const metaMediaSchema = z.looseObject({
	id: text,
	mime_type: text,
	sha256: text,
	caption: text,
	link: text,
	filename: text,
});
export const metaMessageSchema = z.looseObject({
	from: text,
	id: text,
	timestamp: time,
	type: text,
	text: loose({ body: text }),
	image: loose(metaMediaSchema.shape),
	audio: loose(metaMediaSchema.shape),
	video: loose(metaMediaSchema.shape),
	document: loose(metaMediaSchema.shape),
	sticker: loose(metaMediaSchema.shape),
	referral: loose(referralSchema.shape),
});
export const metaStatusSchema = z.looseObject({
	id: text,
	status: text,
	timestamp: time,
	recipient_id: text,
});
export const metaValueSchema = z.looseObject({
	messaging_product: text,
	metadata: loose({ display_phone_number: text, phone_number_id: text }),
	contacts: list(z.looseObject({ wa_id: text, profile: loose({ name: text }) })),
	messages: list(metaMessageSchema),
	statuses: list(metaStatusSchema),
});
export const metaPayloadSchema = z.looseObject({
	object: z.literal('whatsapp_business_account'),
	entry: list(
		z.looseObject({
			id: text,
			changes: list(z.looseObject({ field: text, value: loose(metaValueSchema.shape) })),
		}),
	),
});

export type HistoryMessage = z.output<typeof historyMessageSchema>;
export type Referral = z.output<typeof referralSchema>;
export type FlatPayload = z.output<typeof flatPayloadSchema>;
export type LegacyData = z.output<typeof legacyDataSchema>;
export type LegacyPayload = z.output<typeof legacyPayloadSchema>;
export type V2Payload = z.output<typeof v2PayloadSchema>;
export type V2Data = z.output<typeof v2DataSchema>;
export type MetaPayload = z.output<typeof metaPayloadSchema>;
export type MetaValue = z.output<typeof metaValueSchema>;
export type MetaMessage = z.output<typeof metaMessageSchema>;
export type MetaStatus = z.output<typeof metaStatusSchema>;

/*
 * Output schema: the item the trigger emits, whatever the delivery shape. Exported so the README
 * and tests can describe and check it.
 */

export const shapeSchema = z.enum(['flat', 'legacy', 'v2', 'meta', 'unknown']);
export type DeliveryShape = z.output<typeof shapeSchema>;

const isoOrNull = z.iso.datetime().nullable();
const textOrNull = z.string().nullable();

export const directionSchema = z.enum(['incoming', 'outgoing']);

export const contactSchema = z.object({
	phone: z.string().regex(/^\d+$/).nullable(),
	name: textOrNull,
	userId: textOrNull,
});

export const historyEntrySchema = z.object({
	role: z.enum(['user', 'bot']),
	type: z.string(),
	text: textOrNull,
	mediaUrl: textOrNull,
	timestamp: isoOrNull,
	sha256: z.string().optional(),
});

export const conversationItemSchema = z.object({
	eventId: z.string().min(1),
	event: z.string().min(1),
	shape: shapeSchema,
	direction: directionSchema,
	contact: contactSchema,
	message: z.object({
		type: z.string().min(1),
		text: textOrNull,
		mediaUrl: textOrNull,
		timestamp: isoOrNull,
		sentBy: textOrNull,
		byHuman: z.boolean().nullable(),
		sha256: z.string().optional(),
	}),
	conversation: z.object({
		history: z.array(historyEntrySchema),
		summary: textOrNull,
		lastUserMessage: textOrNull,
		lastBotMessage: textOrNull,
		lastUserMessageAt: isoOrNull,
		lastBotMessageAt: isoOrNull,
	}),
	labels: z.array(z.string().min(1)),
	note: textOrNull,
	noteAutomation: textOrNull,
	referral: z
		.object({
			sourceType: textOrNull,
			sourceId: textOrNull,
			sourceUrl: textOrNull,
			headline: textOrNull,
			body: textOrNull,
			mediaType: textOrNull,
			imageUrl: textOrNull,
			videoUrl: textOrNull,
			thumbnailUrl: textOrNull,
			ctwaClid: textOrNull,
			welcomeMessage: textOrNull,
		})
		.optional(),
	status: z.object({ messageId: textOrNull, status: textOrNull, timestamp: isoOrNull }).optional(),
	extra: z.record(z.string(), z.unknown()).optional(),
	unknownShape: z.literal(true).optional(),
	raw: z.unknown().optional(),
	receivedAt: z.iso.datetime(),
});

export type ConversationItem = z.output<typeof conversationItemSchema>;
export type HistoryEntry = z.output<typeof historyEntrySchema>;
export type Contact = z.output<typeof contactSchema>;
export type Direction = z.output<typeof directionSchema>;

/** One history message as its own item (the trigger's "History" output mode). */
export const historyItemSchema = z.object({
	eventId: z.string().min(1),
	direction: directionSchema,
	contact: contactSchema,
	role: z.enum(['user', 'bot']),
	type: z.string(),
	text: textOrNull,
	mediaUrl: textOrNull,
	timestamp: isoOrNull,
	sha256: z.string().optional(),
	position: z.number().int().min(0),
	receivedAt: z.iso.datetime(),
});
export type HistoryItem = z.output<typeof historyItemSchema>;

export type NormalisedDelivery = { shape: DeliveryShape; items: ConversationItem[] };
