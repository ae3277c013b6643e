import { mediaUrlRefusal } from '../../../nodes/WhatsAbleWebhooksTrigger/attachments/publicAddress';
import { hostileMediaUrls } from '../../support/hostileCorpus';

describe('mediaUrlRefusal (the one rule for attachment addresses)', () => {
	test.each(hostileMediaUrls(8443).map((c) => [c.name, c.url] as const))(
		'refuses %s (%s)',
		(_name, url) => {
			expect(mediaUrlRefusal(url)).toEqual(expect.any(String));
		},
	);

	test.each([
		'https://media.whatsable.app/files/abc.jpg',
		'https://example.com:8443/a/b.pdf?sig=1',
		'https://8.8.8.8/x.jpg',
		'https://[2606:4700:4700::1111]/x.jpg',
		// The edges of refused ranges are public.
		'https://172.15.255.255/x',
		'https://172.32.0.0/x',
		'https://100.63.255.255/x',
		'https://100.128.0.0/x',
		'https://169.253.255.255/x',
		'https://11.0.0.0/x',
		'https://223.255.255.255/x',
		'https://[2001:4860:4860::8888]/x',
		'https://[2001:200::1]/x', // just past 2001::/23
		'https://[3fff:1000::1]/x', // just past 3fff::/20
		'https://[2003::1]/x', // just past 6to4
		'https://[3ffe:ffff::1]/x',
		'https://[::ffff:8.8.8.8]/x', // IPv4-mapped: the IPv4 rule decides
		'https://example.com./x',
		'https://example.com../x',
	])('accepts the public https address %s', (url) => {
		expect(mediaUrlRefusal(url)).toBeNull();
	});

	test('names the reason: the scheme, or the host that is not public', () => {
		expect(mediaUrlRefusal('http://example.com/a.jpg')).toBe(
			'the attachment link must use https (got http)',
		);
		expect(mediaUrlRefusal('https://2130706433/a.jpg')).toMatch(/host 127\.0\.0\.1 is not public/);
		expect(mediaUrlRefusal('https://[::ffff:127.0.0.1]/a.jpg')).toMatch(
			/\[::ffff:7f00:1\] is not public/,
		);
		expect(mediaUrlRefusal('https://localhost.../a.jpg')).toMatch(/host localhost is not public/);
	});
});
