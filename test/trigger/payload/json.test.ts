import {
	normalise,
	parseJsonBody,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { RECEIVED_AT, one, base } from '../../support/payloadVariants';

describe('prototype pollution', () => {
	afterEach(() => {
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
	});

	it('drops __proto__ keys at every depth', () => {
		const parsed = parseJsonBody(
			'{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2},"b":1},"c":[{"__proto__":{}}]}',
		);
		expect(parsed).toStrictEqual({ ok: true, value: { a: { b: 1 }, c: [{}] } });
		if (!parsed.ok) return;
		const value = parsed.value as Record<string, unknown>;
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect(Object.hasOwn(value, '__proto__')).toBe(false);
	});

	it('drops __proto__ written with unicode escapes', () => {
		const parsed = parseJsonBody('{"\\u005f_proto__":{"polluted":1},"ok":true}');
		expect(parsed).toStrictEqual({ ok: true, value: { ok: true } });
	});

	it('drops constructor.prototype but keeps a harmless constructor field', () => {
		expect(parseJsonBody('{"constructor":{"prototype":{"polluted":1}},"a":1}')).toStrictEqual({
			ok: true,
			value: { a: 1 },
		});
		expect(parseJsonBody('{"constructor":"Acme Ltd"}')).toStrictEqual({
			ok: true,
			value: { constructor: 'Acme Ltd' },
		});
	});

	it('keeps __proto__, constructor and prototype out of extra even from an unparsed body', () => {
		const body = JSON.parse(
			'{"phone_number":"1","__proto__":{"polluted":1},"constructor":{"prototype":{}},"prototype":1,"x":1}',
		);
		const [item] = normalise(body, { rawBody: '{}', receivedAt: RECEIVED_AT }).items;
		expect(item.extra).toStrictEqual({ x: 1 });
		expect(Object.getPrototypeOf(item.extra)).toBe(Object.prototype);
	});

	it('parses a history string through the same safe parser', () => {
		const item = one({
			...base,
			last_messages: '[{"type":"user","content":"a","__proto__":{"polluted":1}}]',
		});
		expect(item.conversation.history).toHaveLength(1);
	});
});

describe('parseJsonBody', () => {
	const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

	it('refuses nesting deeper than 64 levels, which would overflow JSON.stringify downstream', () => {
		expect(parseJsonBody(nested(10_000))).toStrictEqual({
			ok: false,
			reason: 'the body is nested more than 64 levels deep',
		});
		expect(parseJsonBody('['.repeat(65) + ']'.repeat(65)).ok).toBe(false);
		expect(parseJsonBody('['.repeat(64) + ']'.repeat(64)).ok).toBe(true);
		expect(parseJsonBody(nested(64)).ok).toBe(true);
	});

	it('accepts many brackets that are not deep (a long history)', () => {
		const wide = JSON.stringify({ list: Array.from({ length: 500 }, (_, i) => ({ i, t: [i] })) });
		expect(parseJsonBody(wide).ok).toBe(true);
	});

	it('reads a deeply nested history string as no history', () => {
		const item = one({ ...base, last_messages: '['.repeat(5000) + ']'.repeat(5000) });
		expect(item.conversation.history).toEqual([]);
		expect(item.message.text).toBe('hello');
	});

	it('accepts a UTF-8 BOM', () => {
		expect(parseJsonBody('\uFEFF{"a":1}')).toStrictEqual({ ok: true, value: { a: 1 } });
	});

	it('refuses empty and invalid bodies without quoting them', () => {
		expect(parseJsonBody('')).toStrictEqual({ ok: false, reason: 'the body is empty' });
		expect(parseJsonBody(' \n')).toStrictEqual({ ok: false, reason: 'the body is empty' });
		const bad = parseJsonBody('{"secret-ish": tru');
		expect(bad).toStrictEqual({ ok: false, reason: 'the body is not valid JSON' });
	});
});
