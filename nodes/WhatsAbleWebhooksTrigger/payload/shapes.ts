import { isRecord } from './coerce';
import type { DeliveryContext } from './common';
import { FLAT_KEYS, mapFlat } from './mapFlat';
import { mapLegacy } from './mapLegacy';
import { mapMeta } from './mapMeta';
import { mapV2 } from './mapV2';
import type { ConversationItem, DeliveryShape } from './output';

type Body = Record<string, unknown>;

export interface ShapeEntry {
	shape: Exclude<DeliveryShape, 'unknown'>;
	/** Cheap key checks only: this runs on every delivery. */
	detect(body: Body): boolean;
	map(body: Body, d: DeliveryContext): ConversationItem[];
}

const FLAT_KEY_LIST = [...FLAT_KEYS];

/**
 * Every delivery shape the trigger reads, in detection order: envelopes first, as the flat
 * payload has no marker. A new shape is one mapper file and one entry here.
 */
export const SHAPES: readonly ShapeEntry[] = [
	{
		shape: 'meta',
		detect: (b) => b.object === 'whatsapp_business_account' && Array.isArray(b.entry),
		map: mapMeta,
	},
	{
		shape: 'v2',
		detect: (b) =>
			isRecord(b.data) && (typeof b.event_type === 'string' || b.event_id !== undefined),
		map: (b, d) => [mapV2(b, d)],
	},
	{
		shape: 'legacy',
		detect: (b) => isRecord(b.data) && typeof b.event === 'string',
		map: (b, d) => [mapLegacy(b, d)],
	},
	{
		shape: 'flat',
		detect: (b) => FLAT_KEY_LIST.some((key) => Object.hasOwn(b, key)),
		map: (b, d) => [mapFlat(b, d)],
	},
];

export function shapeOf(body: unknown): ShapeEntry | undefined {
	return isRecord(body) ? SHAPES.find((entry) => entry.detect(body)) : undefined;
}
