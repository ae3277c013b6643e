/**
 * The documented output item of the trigger ("Message" output), checked independently of the
 * package's own zod schema: every documented field present with the documented type. The
 * enumerations (shape, direction, role) are the package's own: a value added there is documented
 * there.
 */
import {
	directionSchema,
	historyEntrySchema,
	shapeSchema,
} from '../../nodes/WhatsAbleWebhooksTrigger/payload/output';

type Check = (value: unknown) => boolean;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const str: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const strOrNull: Check = (v) => v === null || typeof v === 'string';
const isoOrNull: Check = (v) => v === null || (typeof v === 'string' && ISO.test(v));
const iso: Check = (v) => typeof v === 'string' && ISO.test(v);
const boolOrNull: Check = (v) => v === null || typeof v === 'boolean';
const digitsOrNull: Check = (v) => v === null || (typeof v === 'string' && /^\d+$/.test(v));
const oneOf =
	(values: readonly string[]): Check =>
	(v) =>
		typeof v === 'string' && values.includes(v);

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkFields(
	where: string,
	value: unknown,
	fields: Record<string, Check>,
	problems: string[],
): void {
	if (!isObject(value)) {
		problems.push(`${where} is not an object`);
		return;
	}
	for (const [key, check] of Object.entries(fields)) {
		if (!(key in value)) problems.push(`${where}.${key} is missing`);
		else if (!check(value[key]))
			problems.push(`${where}.${key} has a wrong type: ${JSON.stringify(value[key])}`);
	}
}

/** The problems with one item; empty when it follows the documented schema. */
export function itemSchemaProblems(item: unknown): string[] {
	const problems: string[] = [];
	checkFields(
		'item',
		item,
		{
			eventId: nonEmpty,
			event: nonEmpty,
			shape: oneOf(shapeSchema.options),
			direction: oneOf(directionSchema.options),
			contact: isObject,
			message: isObject,
			conversation: isObject,
			labels: (v) => Array.isArray(v) && v.every(nonEmpty),
			note: strOrNull,
			noteAutomation: strOrNull,
			receivedAt: iso,
		},
		problems,
	);
	if (!isObject(item)) return problems;
	checkFields(
		'contact',
		item.contact,
		{ phone: digitsOrNull, name: strOrNull, userId: strOrNull },
		problems,
	);
	checkFields(
		'message',
		item.message,
		{
			type: nonEmpty,
			text: strOrNull,
			mediaUrl: strOrNull,
			timestamp: isoOrNull,
			sentBy: strOrNull,
			byHuman: boolOrNull,
		},
		problems,
	);
	checkFields(
		'conversation',
		item.conversation,
		{
			history: Array.isArray,
			summary: strOrNull,
			lastUserMessage: strOrNull,
			lastBotMessage: strOrNull,
			lastUserMessageAt: isoOrNull,
			lastBotMessageAt: isoOrNull,
		},
		problems,
	);
	const history =
		isObject(item.conversation) && Array.isArray(item.conversation.history)
			? item.conversation.history
			: [];
	history.forEach((entry, i) =>
		checkFields(
			`conversation.history[${i}]`,
			entry,
			{
				role: oneOf(historyEntrySchema.shape.role.options),
				type: str,
				text: strOrNull,
				mediaUrl: strOrNull,
				timestamp: isoOrNull,
			},
			problems,
		),
	);
	if ('referral' in item && item.referral !== undefined) {
		checkFields(
			'referral',
			item.referral,
			{
				sourceType: strOrNull,
				sourceId: strOrNull,
				sourceUrl: strOrNull,
				headline: strOrNull,
				ctwaClid: strOrNull,
			},
			problems,
		);
	}
	return problems;
}
