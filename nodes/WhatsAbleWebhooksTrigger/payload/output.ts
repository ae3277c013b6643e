import { z } from 'zod/v4';

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

/** One message of a combined burst (Wait for the Contact to Pause), in the order sent. */
export const burstMessageSchema = z.object({
	eventId: z.string().min(1),
	type: z.string().min(1),
	text: textOrNull,
	mediaUrl: textOrNull,
	timestamp: isoOrNull,
	/** The binary property holding its attachment (Download Attachment), or null. */
	binaryProperty: z.string().nullable(),
	attachmentError: z.string().optional(),
});

export const burstSchema = z.object({
	count: z.number().int().min(1),
	messages: z.array(burstMessageSchema).min(1),
	/** The messages' text, one per line, as an AI agent should read the turn. */
	text: z.string(),
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
	/** Only with Pause While a Human Replies set to "Run, Flagged": when the contact's pause ends. */
	pausedUntil: z.iso.datetime().optional(),
	/** Only with Wait for the Contact to Pause: every message of the burst this item stands for. */
	burst: burstSchema.optional(),
	receivedAt: z.iso.datetime(),
});

export type ConversationItem = z.output<typeof conversationItemSchema>;
export type HistoryEntry = z.output<typeof historyEntrySchema>;
export type BurstMessage = z.output<typeof burstMessageSchema>;
export type Contact = z.output<typeof contactSchema>;
export type Direction = z.output<typeof directionSchema>;

/** One history message as its own item (the trigger's "History" output mode). */
export const historyItemSchema = historyEntrySchema.extend({
	eventId: z.string().min(1),
	direction: directionSchema,
	contact: contactSchema,
	position: z.number().int().min(0),
	receivedAt: z.iso.datetime(),
});
export type HistoryItem = z.output<typeof historyItemSchema>;

export type NormalisedDelivery = { shape: DeliveryShape; items: ConversationItem[] };
