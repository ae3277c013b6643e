/*
 * The one rule for which hosts are public: the media addresses the trigger may fetch (a delivery
 * names them, so they are outsider input: only https to a public address) and the webhook URLs
 * WhatsAble can deliver to. Shipped code cannot resolve DNS (the community
 * lint allows no node:dns), so the rule covers what the URL itself says: literal IPs in every
 * notation (WHATWG URL parsing turns decimal, hex, octal and short IPv4 forms into dotted quads,
 * as the HTTP client does) and local names. A public name that resolves to an internal address is
 * not caught here; n8n's N8N_SSRF_PROTECTION_ENABLED checks resolved addresses as a second guard.
 */

/** A range of addresses: its first address, written as URL writes it, and its prefix length. */
type Range = readonly [base: string, bits: number];

/**
 * IPv4 ranges that are not the public internet: the IANA IPv4 Special-Purpose Address Registry
 * (RFC 6890 and updates) and multicast. Also what an IPv4-mapped IPv6 address is checked against.
 */
const INTERNAL_IPV4: ReadonlyArray<Range> = [
	['0.0.0.0', 8], // "this network"
	['10.0.0.0', 8], // private
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local (cloud metadata lives here)
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relay
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4], // reserved
	['255.255.255.255', 32], // limited broadcast (inside 240/4; listed as the registry lists it)
];

/** Only global unicast is public IPv6; everything outside it is unallocated or special. */
const GLOBAL_UNICAST: Range = ['2000::', 3];

/** IPv4-mapped addresses: the IPv4 rule decides. */
const IPV4_MAPPED: Range = ['::ffff:0:0', 96];

/**
 * IPv6 ranges that are not the public internet: the IANA IPv6 Special-Purpose Address Registry
 * and multicast. Those outside 2000::/3 are refused by GLOBAL_UNICAST too; listed so this table
 * is the registry. Translation and tunnel prefixes embed other addresses, so they are refused
 * whole rather than decoded.
 */
const INTERNAL_IPV6: ReadonlyArray<Range> = [
	['::', 128], // unspecified
	['::1', 128], // loopback
	['64:ff9b::', 96], // NAT64 well-known prefix (embeds an IPv4 address)
	['64:ff9b:1::', 48], // NAT64 local use
	['100::', 64], // discard-only
	['100:0:0:1::', 64], // dummy prefix
	// IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID 2001:10::/28,
	// ORCHIDv2 2001:20::/28, drone remote ID 2001:30::/28 and the rest.
	['2001::', 23],
	['2001:db8::', 32], // documentation
	['2002::', 16], // 6to4 (embeds an IPv4 address)
	['3fff::', 20], // documentation
	['5f00::', 16], // SRv6 SIDs
	['fc00::', 7], // unique-local
	['fe80::', 10], // link-local
	['ff00::', 8], // multicast
];

/** Names that never mean a public host: local by definition, or resolved through search domains. */
const LOCAL_NAME = /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home\.arpa)$/i;

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Number(address: string): bigint | null {
	const parts = DOTTED_QUAD.exec(address)?.slice(1).map(Number);
	if (!parts || parts.some((p) => p > 255)) return null;
	return parts.reduce((value, part) => (value << 8n) | BigInt(part), 0n);
}

/**
 * An IPv6 literal as URL serialises it (brackets removed, hex groups, at most one "::", never a
 * dotted tail) as a number, or null when it is anything else.
 */
function ipv6Number(address: string): bigint | null {
	const halves = address.toLowerCase().split('::');
	if (halves.length > 2) return null;
	const parse = (part: string): number[] | null => {
		if (part === '') return [];
		const groups = part.split(':');
		if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
		return groups.map((g) => parseInt(g, 16));
	};
	const head = parse(halves[0]);
	const rest = halves.length === 2 ? parse(halves[1]) : [];
	if (!head || !rest) return null;
	const known = head.length + rest.length;
	if (halves.length === 1 ? known !== 8 : known > 7) return null;
	const groups = [...head, ...new Array<number>(8 - known).fill(0), ...rest];
	return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** Builds, once per range, the test of whether an address (of `width` bits) lies in it. */
function rangeTest(
	parse: (address: string) => bigint | null,
	width: bigint,
): (range: Range) => (address: bigint) => boolean {
	return ([base, bits]) => {
		const shift = width - BigInt(bits);
		const first = (parse(base) as bigint) >> shift;
		return (address) => address >> shift === first;
	};
}

const ipv4Range = rangeTest(ipv4Number, 32n);
const ipv6Range = rangeTest(ipv6Number, 128n);
const inInternalIpv4 = INTERNAL_IPV4.map(ipv4Range);
const inInternalIpv6 = INTERNAL_IPV6.map(ipv6Range);
const inGlobalUnicast = ipv6Range(GLOBAL_UNICAST);
const inIpv4Mapped = ipv6Range(IPV4_MAPPED);

function isInternalIpv4(address: bigint): boolean {
	return inInternalIpv4.some((inRange) => inRange(address));
}

function isInternalIpv6(address: bigint): boolean {
	if (inIpv4Mapped(address)) return isInternalIpv4(address & 0xffffffffn);
	if (!inGlobalUnicast(address)) return true;
	return inInternalIpv6.some((inRange) => inRange(address));
}

/** A trailing dot names the same host ("localhost." is localhost), and so do several. */
function withoutTrailingDots(hostname: string): string {
	return hostname.replace(/\.+$/, '');
}

/** The URL, or null when it does not parse. */
export function parseUrl(url: string): URL | null {
	try {
		return new URL(url);
	} catch {
		return null;
	}
}

/** False for loopback, private, link-local, unique-local and other internal addresses and local names. */
export function isPublicHost(hostname: string): boolean {
	const host = withoutTrailingDots(hostname);
	if (host.startsWith('[')) {
		const v6 = ipv6Number(host.slice(1, -1));
		return v6 !== null && !isInternalIpv6(v6);
	}
	const v4 = ipv4Number(host);
	if (v4 !== null) return !isInternalIpv4(v4);
	return host.includes('.') && !LOCAL_NAME.test(host);
}

/** Why the trigger refuses to fetch `url`, or null when the URL may be fetched. */
export function mediaUrlRefusal(url: string): string | null {
	const parsed = parseUrl(url);
	if (!parsed) return 'the attachment link is not a valid URL';
	if (parsed.protocol !== 'https:') {
		return `the attachment link must use https (got ${parsed.protocol.replace(/:$/, '')})`;
	}
	if (parsed.username || parsed.password) {
		return 'the attachment link must not carry a user name or password';
	}
	if (!isPublicHost(parsed.hostname)) {
		const host = withoutTrailingDots(parsed.hostname);
		return `the attachment host ${host} is not public (loopback, private, link-local, unique-local or a local name)`;
	}
	return null;
}
