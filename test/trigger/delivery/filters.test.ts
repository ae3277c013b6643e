/** Each filter and the loop guard, alone and together, on items built from the sandbox's payloads. */
import { filterReason } from '../../../nodes/WhatsAbleWebhooksTrigger/delivery/filters';
import { normalise } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import type { ConversationItem } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import {
	defaultSettings,
	type TriggerSettings,
} from '../../../nodes/WhatsAbleWebhooksTrigger/settings';
import { buildFlatPayload, type FlatPayloadOptions } from '../../../sandbox';

function itemOf(options: FlatPayloadOptions): ConversationItem {
	const payload = buildFlatPayload(options);
	const [item] = normalise(payload, {
		rawBody: JSON.stringify(payload),
		receivedAt: new Date(),
	}).items;
	return item;
}

const incomingText = itemOf({ text: 'hello', labels: ['Sales', 'vip'] });
const incomingImage = itemOf({ media: 'image' });
const botOutgoing = itemOf({ outgoing: true, byHuman: false });
const humanOutgoing = itemOf({ outgoing: true, byHuman: true });

test.each<[string, ConversationItem, Partial<TriggerSettings>, string | null]>([
	['incoming passes by default', incomingText, {}, null],
	[
		'incoming with only Outgoing chosen',
		incomingText,
		{ incoming: false, outgoing: true },
		'incoming messages are not selected',
	],
	['outgoing with only Incoming chosen', humanOutgoing, {}, 'outgoing messages are not selected'],
	[
		'an automation’s outgoing message, loop guard on',
		botOutgoing,
		{ outgoing: true, ignoreAutomatedOutgoing: true },
		'outgoing message sent by an automation',
	],
	[
		'an automation’s outgoing message, loop guard off',
		botOutgoing,
		{ outgoing: true, ignoreAutomatedOutgoing: false },
		null,
	],
	[
		'a person’s outgoing message, loop guard on',
		humanOutgoing,
		{ outgoing: true, ignoreAutomatedOutgoing: true },
		null,
	],
	[
		'Only Sent by a Human: an automation',
		botOutgoing,
		{ outgoing: true, onlyHuman: true },
		'not sent by a human',
	],
	['Only Sent by a Human: a person', humanOutgoing, { outgoing: true, onlyHuman: true }, null],
	[
		'Message Types: a text when only images',
		incomingText,
		{ messageTypes: ['image'] },
		'message type "text" is not selected',
	],
	[
		'Message Types: an image when images or audio',
		incomingImage,
		{ messageTypes: ['audio', 'image'] },
		null,
	],
	['Labels: any of, case-insensitive', incomingText, { labels: ['sales'] }, null],
	['Labels: none of them', incomingText, { labels: ['support'] }, 'no selected label'],
	[
		'Labels: a conversation with no labels',
		incomingImage,
		{ labels: ['sales'] },
		'no selected label',
	],
])('%s', (_name, item, settings, reason) => {
	expect(filterReason(item, defaultSettings(settings))).toBe(reason);
});
