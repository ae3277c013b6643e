import { SANDBOX_USER_ID } from './store';

export type MediaType = 'image' | 'audio' | 'video' | 'document' | 'location';
export const MEDIA_TYPES: readonly MediaType[] = [
	'image',
	'audio',
	'video',
	'document',
	'location',
];

export interface FlatPayloadOptions {
	text?: string;
	media?: MediaType;
	mediaUrl?: string;
	outgoing?: boolean;
	phone?: string;
	name?: string;
	labels?: string[];
	sendBy?: string;
	byHuman?: boolean;
	/** Number of last_messages entries (default 2, at least 1). */
	historyLength?: number;
	referral?: boolean;
	now?: Date;
}

/** One `last_messages` entry. */
export interface HistoryItem {
	type: 'user' | 'bot';
	content: string;
	timestamp: string;
	content_type: string;
	media_url?: string;
}

const DEFAULT_MEDIA_URL: Record<MediaType, string> = {
	image: 'https://api.insightssystem.com/vault/sandbox/photo.jpg',
	audio: 'https://api.insightssystem.com/vault/sandbox/voice-note.ogg',
	video: 'https://api.insightssystem.com/vault/sandbox/clip.mp4',
	document: 'https://api.insightssystem.com/vault/sandbox/contract_proposal_v2.pdf',
	location: 'https://maps.google.com/?q=37.7749,-122.4194',
};
const MAX_HISTORY = 200;
/** `labels` is one string, the names joined by this. */
export const LABEL_SEPARATOR = ', ';
/** Gap between generated history messages. */
const STEP_MS = 90_000;

/** "2:05:12 PM" in UTC, as conversation_paragraph shows times. */
function clock(date: Date): string {
	const h = date.getUTCHours();
	const mm = String(date.getUTCMinutes()).padStart(2, '0');
	const ss = String(date.getUTCSeconds()).padStart(2, '0');
	return `${h % 12 === 0 ? 12 : h % 12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

function unixSeconds(iso: string): number {
	return Math.floor(Date.parse(iso) / 1000);
}

function paragraphText(item: HistoryItem): string {
	if (item.content_type === 'text' || item.content !== '') return item.content;
	const kind = item.content_type;
	return `[${kind.charAt(0).toUpperCase()}${kind.slice(1)}]`;
}

/** One message as conversation_paragraph writes it: "User (2:05:12 PM): hi". */
export function paragraphLine(item: HistoryItem): string {
	const who = item.type === 'user' ? 'User' : 'Bot';
	return `${who} (${clock(new Date(item.timestamp))}): ${paragraphText(item)}`;
}

/** The separator between conversation_paragraph's messages. */
export const PARAGRAPH_SEPARATOR = ' ; ';

/**
 * A delivery in the current flat Notifyer shape. The first history entry is the message that
 * caused the delivery (from the contact when incoming, from the business when outgoing);
 * older entries alternate sides, newest first, like the real last_messages.
 */
export function buildFlatPayload(opts: FlatPayloadOptions = {}): Record<string, unknown> {
	const now = opts.now ?? new Date();
	const outgoing = opts.outgoing === true;
	const media = opts.media;
	const text =
		opts.text ?? (outgoing ? 'Hello from the business' : 'Hello from the WhatsAble sandbox');
	const mediaUrl = media ? (opts.mediaUrl ?? DEFAULT_MEDIA_URL[media]) : undefined;
	const length = Math.min(MAX_HISTORY, Math.max(1, Math.floor(opts.historyLength ?? 2)));

	const current: HistoryItem = {
		type: outgoing ? 'bot' : 'user',
		// Media messages carry no text, except an audio transcription.
		content: media === undefined || media === 'audio' ? (media ? (opts.text ?? '') : text) : '',
		timestamp: now.toISOString(),
		content_type: media ?? 'text',
	};
	if (mediaUrl !== undefined) current.media_url = mediaUrl;
	const history: HistoryItem[] = [current];
	for (let i = 1; i < length; i++) {
		const type: HistoryItem['type'] = (i % 2 === 1) === outgoing ? 'user' : 'bot';
		history.push({
			type,
			content:
				type === 'user'
					? `Earlier message ${i} from the contact`
					: `Earlier reply ${i} from the business`,
			timestamp: new Date(now.getTime() - i * STEP_MS).toISOString(),
			content_type: 'text',
		});
	}
	const lastUser = history.find((m) => m.type === 'user');
	const lastBot = history.find((m) => m.type === 'bot');

	const payload: Record<string, unknown> = {
		last_messages: history,
		conversation_paragraph: history.map(paragraphLine).join(PARAGRAPH_SEPARATOR),
		phone_number: opts.phone ?? '14155552671',
		recipient_name: opts.name ?? 'Sarah Johnson',
		user_id: SANDBOX_USER_ID,
		last_message_of_user: lastUser?.content ?? '',
		last_message_of_bot: lastBot?.content ?? '',
		message_type: current.content_type,
		user_last_message_time: lastUser ? unixSeconds(lastUser.timestamp) : 0,
		bot_last_message_time: lastBot ? unixSeconds(lastBot.timestamp) : 0,
		attachment_url: mediaUrl ?? null,
		note: '',
		note_automation: '',
		labels: (opts.labels ?? []).join(LABEL_SEPARATOR),
		incoming_message: !outgoing,
		send_by: outgoing ? (opts.sendBy ?? 'WhatsApp App') : '',
		was_message_by_human: opts.byHuman ?? true,
	};
	if (opts.referral) {
		payload.referral = {
			source_type: 'ad',
			source_id: '120212345678901234',
			source_url: 'https://fb.me/3sandboxAd',
			headline: 'Chat with us on WhatsApp',
			body: 'Tap to get a quote in minutes.',
			media_type: 'image',
			image_url: 'https://scontent.xx.fbcdn.net/sandbox/ad-image.jpg',
			ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM',
		};
	}
	return payload;
}
