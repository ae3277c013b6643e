import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BurstMessage, ConversationItem } from '../payload/output';

/** One held delivery's part of a burst: its items and the execution items made of them. */
export interface BurstPart {
	items: ConversationItem[];
	out: INodeExecutionData[];
}

/** What a message without text reads as in the joined text: "[Image]". */
function placeholder(type: string): string {
	return `[${type.charAt(0).toUpperCase()}${type.slice(1)}]`;
}

/**
 * The one execution item of a burst: the newest message's item (its history, contact and labels
 * are the latest), with `burst` listing every message in the order sent (by message time, then
 * arrival) and their text one per line. Each message's attachment moves to `<property>_<n>`.
 */
export function combineBurst(
	parts: readonly BurstPart[],
	binaryProperty: string,
): INodeExecutionData {
	const entries = parts.flatMap((part) =>
		part.items.map((item, i) => ({ item, out: part.out[i] as INodeExecutionData | undefined })),
	);
	const ordered = entries
		.map((entry, arrival) => ({ ...entry, arrival }))
		.sort((a, b) => {
			const at = Date.parse(a.item.message.timestamp ?? '');
			const bt = Date.parse(b.item.message.timestamp ?? '');
			return Number.isNaN(at) || Number.isNaN(bt) || at === bt ? a.arrival - b.arrival : at - bt;
		});
	const binary: Record<string, IBinaryData> = {};
	const messages: BurstMessage[] = ordered.map(({ item, out }, n) => {
		const file = out?.binary?.[binaryProperty];
		const name = `${binaryProperty}_${n}`;
		if (file) binary[name] = file;
		const error = out?.json.attachmentError;
		return {
			eventId: item.eventId,
			type: item.message.type,
			text: item.message.text,
			mediaUrl: item.message.mediaUrl,
			timestamp: item.message.timestamp,
			binaryProperty: file ? name : null,
			...(typeof error === 'string' ? { attachmentError: error } : {}),
		};
	});
	const newest = entries[entries.length - 1];
	// The newest message's attachment error is in its `burst.messages` entry, like the others'.
	const json: IDataObject = { ...(newest.out?.json ?? (newest.item as unknown as IDataObject)) };
	delete json.attachmentError;
	const text = messages.map((m) => (m.text?.trim() ? m.text : placeholder(m.type))).join('\n');
	const combined: INodeExecutionData = {
		json: { ...json, burst: { count: messages.length, messages, text } } as unknown as IDataObject,
	};
	if (Object.keys(binary).length > 0) combined.binary = binary;
	return combined;
}
