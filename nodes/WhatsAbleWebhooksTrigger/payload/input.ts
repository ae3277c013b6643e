import { z } from 'zod/v4';

import {
	flag,
	history,
	labels,
	list,
	object,
	objectOrEmpty,
	text,
	textOrTextObject,
	time,
	whatsappBusinessAccount,
} from './fields';
import { parseJsonBody } from './json';

/*
 * Input: what WhatsAble may POST. Every field is optional and lenient: a value of the wrong type is
 * coerced when that is meaningful (numbers as text, "true" as a boolean) and otherwise read as
 * absent, so no single field can fail a delivery. Unknown fields are kept (loose objects). These
 * schemas are the one model of the input: the mappers parse with them.
 */

export const historyMessage = object({
	type: text,
	content: text,
	// ISO text; a number is kept as text and read as a Unix time later.
	timestamp: text,
	content_type: text,
	media_url: text,
	sha256: text,
});

const lastMessages = history(historyMessage, parseJsonBody);

export const referral = object({
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
	welcome_message: textOrTextObject,
});

/** The flat fields, shared by the current payload and the legacy wrapper's `data`. */
export const flatFields = {
	last_messages: lastMessages,
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
	referral,
};

/** Shape 1, current: the Notifyer payload with every field at the top level. */
export const flatPayload = z.looseObject(flatFields);

/** Shape 2: `{ event, data }`; times were called user_timestamp / bot_timestamp. */
export const legacyDataFields = {
	...flatFields,
	user_timestamp: time,
	bot_timestamp: time,
	// message_status events
	message_id: text,
	status: text,
	timestamp: time,
};
const legacyData = objectOrEmpty(legacyDataFields);
export const legacyPayload = z.looseObject({ event: text, data: legacyData });

/** Shape 3: the v2 envelope. */
export const v2Message = object({
	type: text,
	content: text,
	timestamp: text,
	media_url: text,
	sha256: text,
});
export const v2DataFields = {
	conversation_id: text,
	phone_number: text,
	recipient_name: text,
	user_id: text,
	message: v2Message,
	conversation_context: object({
		last_user_message: text,
		last_bot_message: text,
		user_timestamp: time,
		bot_timestamp: time,
	}),
	conversation_history: lastMessages,
	// Not in the v2 documentation, but read when present because the flat payload has them.
	conversation_paragraph: text,
	labels,
	note: text,
	note_automation: text,
	send_by: text,
	was_message_by_human: flag,
	referral,
};
export const v2Payload = z.looseObject({
	event_type: text,
	event_id: text,
	timestamp: time,
	version: text,
	data: objectOrEmpty(v2DataFields),
});

/** Shape 4: Meta's WhatsApp Cloud API envelope. */
const metaMediaFields = {
	id: text,
	mime_type: text,
	sha256: text,
	caption: text,
	link: text,
	filename: text,
};
export const metaMessage = object({
	from: text,
	id: text,
	timestamp: time,
	type: text,
	text: object({ body: text }),
	image: object(metaMediaFields),
	audio: object(metaMediaFields),
	video: object(metaMediaFields),
	document: object(metaMediaFields),
	sticker: object(metaMediaFields),
	referral,
});
export const metaStatus = object({
	id: text,
	status: text,
	timestamp: time,
	recipient_id: text,
});
export const metaValue = object({
	messaging_product: text,
	metadata: object({ display_phone_number: text, phone_number_id: text }),
	contacts: list(object({ wa_id: text, profile: object({ name: text }) })),
	messages: list(metaMessage),
	statuses: list(metaStatus),
});
export const metaPayload = z.looseObject({
	object: whatsappBusinessAccount,
	entry: list(object({ id: text, changes: list(object({ field: text, value: metaValue })) })),
});

type Present<T> = Exclude<T, null | undefined>;
export type HistoryMessage = Present<z.output<typeof historyMessage>>;
export type Referral = Present<z.output<typeof referral>>;
export type FlatPayload = z.output<typeof flatPayload>;
export type LegacyData = z.output<typeof legacyData>;
export type MetaValue = Present<z.output<typeof metaValue>>;
export type MetaMessage = Present<z.output<typeof metaMessage>>;
export type MetaStatus = Present<z.output<typeof metaStatus>>;
