/*
 * The one rule for which hosts are public: the media addresses the trigger may fetch (a delivery
 * names them, so they are outsider input: only https to a public address) and the webhook URLs
 * WhatsAble can deliver to. Shipped code cannot resolve DNS (the community
 * lint allows no node:dns), so the rule covers what the URL itself says: literal IPs in every
 * notation (WHATWG URL parsing turns decimal, hex, octal and short IPv4 forms into dotted quads,
 * as the HTTP client does) and local names. A public name that resolves to an internal address is
 * not caught here; n8n's N8N_SSRF_PROTECTION_ENABLED checks resolved addresses as a second guard.
 */

/** IPv4 ranges that are not the public internet (RFC 6890 special-purpose registry). */
const INTERNAL_IPV4: ReadonlyArray<[string, number]> = [
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
	['240.0.0.0', 4], // reserved, broadcast
];

/** Names that never mean a public host: local by definition, or resolved through search domains. */
const LOCAL_NAME = /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home\.arpa)$/i;

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Number(address: string): number | null {
	const parts = DOTTED_QUAD.exec(address)?.slice(1).map(Number);
	if (!parts || parts.some((p) => p > 255)) return null;
	return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function isInternalIpv4(value: number): boolean {
	return INTERNAL_IPV4.some(([base, bits]) => {
		const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
		return (value & mask) >>> 0 === ((ipv4Number(base) as number) & mask) >>> 0;
	});
}

/**
 * The eight 16-bit groups of an IPv6 literal as URL serialises it (brackets removed, hex groups,
 * at most one "::", never a dotted tail), or null when it is anything else.
 */
function ipv6Groups(address: string): number[] | null {
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
	return [...head, ...new Array<number>(8 - known).fill(0), ...rest];
}

/**
 * Only global unicast (2000::/3) is public; 6to4 (2002::/16), Teredo (2001::/32) and the
 * documentation prefix embed or stand for other addresses. Everything else (loopback, unspecified,
 * IPv4-mapped and -compatible, NAT64, unique-local, link-local, multicast) is internal.
 */
function isInternalIpv6(groups: number[]): boolean {
	if ((groups[0] & 0xe000) !== 0x2000) return true;
	if (groups[0] === 0x2002) return true;
	if (groups[0] === 0x2001 && (groups[1] === 0 || groups[1] === 0xdb8)) return true;
	return false;
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
	// A trailing dot names the same host ("localhost." is localhost).
	const host = hostname.replace(/\.$/, '');
	if (host.startsWith('[')) {
		const groups = ipv6Groups(host.slice(1, -1));
		return groups !== null && !isInternalIpv6(groups);
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
		const host = parsed.hostname.replace(/\.$/, '');
		return `the attachment host ${host} is not public (loopback, private, link-local, unique-local or a local name)`;
	}
	return null;
}
