import { LABEL_SEPARATOR, PARAGRAPH_SEPARATOR, paragraphLine, type HistoryItem } from './payloads';
import { isRecordObject } from './store';

/** Fields only a flat Notifyer delivery has at its top level. */
const FLAT_FIELDS = ['last_messages', 'phone_number', 'last_message_of_user'] as const;

export interface ResnapshotContext {
	/** When the retry is sent: the bot's answer and the note carry this time. */
	now: Date;
	/** 1 for the second attempt, 2 for the third, … (keeps each retry's changes distinct). */
	retry: number;
}

type Flat = Record<string, unknown>;

function isFlat(value: unknown): value is Flat {
	return isRecordObject(value) && FLAT_FIELDS.some((field) => field in value);
}

/**
 * The body of a redelivery as WhatsAble builds it: a fresh snapshot of the conversation, taken
 * after the bot answered. Flat bodies (bare or in the legacy `{event, data}` wrapper) change;
 * anything else (v2 envelope, Meta envelope, not JSON) comes back as the same Buffer.
 */
export function resnapshot(body: Buffer, ctx: ResnapshotContext): Buffer {
	const parsed = parseJson(body.toString('utf8'));
	if (isFlat(parsed)) return toBytes(advance(parsed, ctx));
	if (isRecordObject(parsed) && typeof parsed.event === 'string' && isFlat(parsed.data)) {
		return toBytes({ ...parsed, data: advance(parsed.data, ctx) });
	}
	return body;
}

/** The parsed value, or undefined for text that is not JSON (JSON itself has no undefined). */
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function toBytes(value: unknown): Buffer {
	return Buffer.from(JSON.stringify(value), 'utf8');
}

/** The snapshot one bot answer later; the message's own fields are left as they were. */
function advance(flat: Flat, { now, retry }: ResnapshotContext): Flat {
	const answer: HistoryItem = {
		type: 'bot',
		content: `Sandbox follow-up ${retry}: thanks, we are on it.`,
		timestamp: now.toISOString(),
		content_type: 'text',
	};
	const out: Flat = { ...flat };
	const history = withAnswer(flat.last_messages, answer);
	if (history) {
		out.last_messages = history.value;
		if (typeof flat.conversation_paragraph === 'string') {
			out.conversation_paragraph = withLine(
				flat.conversation_paragraph,
				paragraphLine(answer),
				history.newestFirst,
			);
		}
	}
	out.last_message_of_bot = answer.content;
	// The legacy wrapper called the time bot_timestamp.
	const timeField =
		'bot_timestamp' in flat && !('bot_last_message_time' in flat)
			? 'bot_timestamp'
			: 'bot_last_message_time';
	out[timeField] = Math.floor(now.getTime() / 1000);
	const label = `followed-up-${retry}`;
	out.labels =
		typeof flat.labels === 'string' && flat.labels.trim() !== ''
			? `${flat.labels}${LABEL_SEPARATOR}${label}`
			: label;
	out.note = `Sandbox note, follow-up ${retry} at ${answer.timestamp}`;
	return out;
}

/**
 * last_messages with the answer at its newest end, in the form it came (an array or a JSON
 * string of one); undefined when it is neither. Current deliveries list newest first, the legacy
 * sample oldest first: the list's own timestamps decide.
 */
function withAnswer(
	value: unknown,
	answer: HistoryItem,
): { value: unknown; newestFirst: boolean } | undefined {
	const list = typeof value === 'string' ? parseJson(value) : value;
	if (!Array.isArray(list)) return undefined;
	const newestFirst = !(timeOf(list[0]) < timeOf(list[list.length - 1]));
	const next = newestFirst ? [answer, ...list] : [...list, answer];
	return { value: typeof value === 'string' ? JSON.stringify(next) : next, newestFirst };
}

function timeOf(item: unknown): number {
	return isRecordObject(item) && typeof item.timestamp === 'string'
		? Date.parse(item.timestamp)
		: Number.NaN;
}

function withLine(paragraph: string, line: string, newestFirst: boolean): string {
	if (paragraph.trim() === '') return line;
	return newestFirst
		? `${line}${PARAGRAPH_SEPARATOR}${paragraph}`
		: `${paragraph}${PARAGRAPH_SEPARATOR}${line}`;
}
