import type { INodeExecutionData } from 'n8n-workflow';

import { answeredStatus } from '../answers';
import type { ConversationItem } from '../payload/output';
import { combineBurst } from './combine';
import { burstsFor, type HeldDelivery } from './store';

/** What became of a held delivery. */
export type HeldOutcome =
	/** This delivery starts the burst's execution with this one item. */
	| { kind: 'carrier'; item: INodeExecutionData; eventIds: string[] }
	/**
	 * Another delivery carried it; `ok` once n8n answered that one with a 2xx (its execution is
	 * queued), false when it could not start it (this one must be sent again).
	 */
	| { kind: 'carried'; ok: boolean; carriedBy: string | null };

/** The one contact every item of a delivery is from, or null (such a delivery is not held). */
function burstContact(items: ConversationItem[]): string | null {
	const phone = items[0]?.contact.phone ?? null;
	return phone !== null && items.every((i) => i.contact.phone === phone) ? phone : null;
}

/**
 * Holds an accepted delivery until its contact's burst closes (burst/holder.ts). The newest
 * delivery of the burst carries every message; the others wait until n8n has answered it.
 */
export async function holdInBurst(
	scope: string,
	held: HeldDelivery,
	options: { bytes: number; quietMs: number; binaryProperty: string },
): Promise<HeldOutcome> {
	const contact = burstContact(held.part.items);
	const joined = contact
		? await burstsFor(scope).join(contact, held, options.bytes, options.quietMs)
		: ({ role: 'alone' } as const);
	if (joined.role === 'member') {
		const status = await answeredStatus(joined.carrier.ctx);
		const carriedBy = joined.carrier.part.items[0]?.eventId ?? null;
		return { kind: 'carried', ok: status !== null && status < 300, carriedBy };
	}
	const members = joined.role === 'carrier' ? joined.members : [held];
	return {
		kind: 'carrier',
		item: combineBurst(
			members.map((m) => m.part),
			options.binaryProperty,
		),
		eventIds: members.flatMap((m) => m.part.items.map((i) => i.eventId)),
	};
}
