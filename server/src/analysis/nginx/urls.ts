/**
 * How nginx reads an address (its ngx_parse_url, as 1.22 does it), for the checks of upstream
 * `server` lines, `*_pass` targets and `listen`: `unix:/path`, `[v6]:port`, `host:port`, a bare
 * port (listen only), a URI part after the address (proxy_pass only). Host names are taken as
 * they are (nginx resolves them, which depends on the machine: never judged here).
 */

export interface UrlOptions {
	/** A URI may follow the address (`proxy_pass http://host/uri`, `unix:/path:/uri`). */
	readonly uriPart?: boolean;
	/** Read as `listen` reads it: a bare number is a port, `*` is every address, `from-to` port ranges. */
	readonly listen?: boolean;
}

export type UrlError =
	| 'invalid port' | 'invalid port range' | 'invalid host' | 'no host' | 'invalid IPv6 address'
	| 'no path in the unix domain socket' | 'too long path in the unix domain socket';

export interface ParsedUrl {
	/** Why nginx refuses the address (its own words), or undefined. */
	readonly error?: UrlError;
	readonly family?: 'unix' | 'inet' | 'inet6';
	/** The host as written (`[::1]` with brackets), the unix path, or '' for a bare port. */
	readonly host?: string;
	/** The port, when written (the first of a range). */
	readonly port?: number;
	readonly lastPort?: number;
	/** No port was written (nginx then takes the directive's default port, if it has one). */
	readonly noPort?: boolean;
	/** The host is an address (IPv4, IPv6, `*`), not a name nginx resolves. */
	readonly literal?: boolean;
	/** The address is every interface (`*`, `0.0.0.0`, `[::]`, a bare port). */
	readonly wildcard?: boolean;
	/** The URI part, when one is allowed and written. */
	readonly uri?: string;
}

/** sizeof(sun_path) on Linux: a path must leave room for its NUL. */
const SUN_PATH = 108;

/** ngx_atoi: decimal digits only, at least one, no overflow past 2^63; -1 otherwise. Values above 65535 only need to compare as such. */
export function atoi(s: string): number {
	if (!s.length) { return -1; }
	let v = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 48 || c > 57) { return -1; }
		v = v * 10 + (c - 48);
	}
	// a number past 2^63 does not fit: ngx_atoi answers an error, which every caller treats like 0
	return v > 9.2e18 ? -1 : v;
}

/** ngx_inet_addr: a dotted quad of four decimal numbers up to 255 each (`1.2.3` and `1.2.3.4.5` are host names). */
export function isIpv4(s: string): boolean {
	let octet = 0;
	let dots = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			octet = octet * 10 + (c - 48);
			if (octet > 255) { return false; }
		} else if (c === 46) {
			octet = 0;
			dots++;
		} else {
			return false;
		}
	}
	return dots === 3;
}

/** The value of an IPv4 address (as isIpv4 accepts it), for telling 0.0.0.0. */
function ipv4Value(s: string): number {
	return s.split('.').reduce((a, o) => a * 256 + Number(o || 0), 0);
}

/**
 * ngx_inet6_addr: groups of up to four hex digits separated by `:`, one `::`, an IPv4 tail in
 * place of the last two groups; eight groups in all unless `::` stands for the missing ones.
 * Returns the sixteen bytes, or undefined.
 */
export function ipv6Bytes(text: string): number[] | undefined {
	if (!text.length) { return undefined; }
	let i = text.charCodeAt(0) === 58 ? 1 : 0;
	const out: number[] = [];
	let zeroAt = -1;
	/** Where the group after the last ':' starts (-1: no ':' read yet). */
	let groupStart = -1;
	let digits = 0;
	let word = 0;
	let groupsLeft = 8;
	let tail = false;
	for (; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 58 /* : */) {
			if (digits) {
				groupStart = i + 1;
				out.push(word >> 8, word & 0xff);
				if (--groupsLeft) {
					digits = 0;
					word = 0;
					continue;
				}
			} else if (zeroAt < 0) {
				groupStart = i + 1;
				zeroAt = out.length;
				continue;
			}
			return undefined;
		}
		if (c === 46 /* . */ && digits) {
			// the last group starts an IPv4 address, which runs to the end
			if (groupsLeft < 2 || groupStart < 0) { return undefined; }
			const v4 = text.slice(groupStart);
			if (!isIpv4(v4)) { return undefined; }
			const v = ipv4Value(v4);
			out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff);
			word = v & 0xffff;
			groupsLeft--;
			tail = true;
			break;
		}
		if (++digits > 4) { return undefined; }
		if (c >= 48 && c <= 57) {
			word = word * 16 + (c - 48);
			continue;
		}
		const l = c | 0x20;
		if (l >= 97 && l <= 102) {
			word = word * 16 + (l - 87);
			continue;
		}
		return undefined;
	}
	if (!tail && digits === 0 && zeroAt < 0) { return undefined; }
	out.push(word >> 8, word & 0xff);
	if (--groupsLeft) {
		if (zeroAt < 0) { return undefined; }
		out.splice(zeroAt, 0, ...new Array<number>(groupsLeft * 2).fill(0));
		return out;
	}
	return zeroAt < 0 ? out : undefined;
}

/** Where a port (range) is read: the value's text of it, and whether it is a listen's. */
function readPort(text: string, listen: boolean): { port?: number; lastPort?: number; error?: UrlError } {
	let first = text;
	let lastPort: number | undefined;
	if (listen) {
		const dash = text.indexOf('-');
		if (dash >= 0) {
			const n = atoi(text.slice(dash + 1));
			if (n < 1 || n > 65535) { return { error: 'invalid port' }; }
			lastPort = n;
			first = text.slice(0, dash);
		}
	}
	const n = atoi(first);
	if (n < 1 || n > 65535) { return { error: 'invalid port' }; }
	if (lastPort !== undefined && n > lastPort) { return { error: 'invalid port range' }; }
	return { port: n, lastPort };
}

/** Reads an address as ngx_parse_url does (without resolving names). */
export function parseUrl(url: string, options: UrlOptions = {}): ParsedUrl {
	const listen = !!options.listen;
	if (url.length >= 5 && url.slice(0, 5).toLowerCase() === 'unix:') {
		let path = url.slice(5);
		let uri: string | undefined;
		if (options.uriPart) {
			const colon = path.indexOf(':');
			if (colon >= 0) {
				uri = path.slice(colon + 1);
				path = path.slice(0, colon);
			}
		}
		if (!path.length) { return { error: 'no path in the unix domain socket' }; }
		// the length nginx compares is in bytes
		if (utf8Length(path) + 1 > SUN_PATH) { return { error: 'too long path in the unix domain socket' }; }
		return { family: 'unix', host: path, uri };
	}
	if (url.startsWith('[')) {
		const close = url.indexOf(']', 1);
		if (close < 0) { return { error: 'invalid host' }; }
		let last = url.length;
		let uri: string | undefined;
		const slash = url.indexOf('/', close + 1);
		if (slash >= 0) {
			if (listen || !options.uriPart) { return { error: 'invalid host' }; }
			uri = url.slice(slash);
			last = slash;
		}
		let port: number | undefined;
		let lastPort: number | undefined;
		let noPort = false;
		if (close + 1 < last) {
			if (url[close + 1] !== ':') { return { error: 'invalid host' }; }
			const p = readPort(url.slice(close + 2, last), listen);
			if (p.error) { return { error: p.error }; }
			port = p.port;
			lastPort = p.lastPort;
		} else {
			noPort = true;
		}
		const inner = url.slice(1, close);
		if (!inner.length) { return { error: 'no host' }; }
		const bytes = ipv6Bytes(inner);
		if (!bytes) { return { error: 'invalid IPv6 address' }; }
		return { family: 'inet6', host: url.slice(0, close + 1), port, lastPort, noPort, literal: true, wildcard: bytes.every(b => b === 0), uri };
	}
	let last = url.length;
	let colon = url.indexOf(':');
	let uriAt = url.indexOf('/');
	const args = url.indexOf('?');
	if (args >= 0 && (uriAt < 0 || args < uriAt)) { uriAt = args; }
	let uri: string | undefined;
	if (uriAt >= 0) {
		if (listen || !options.uriPart) { return { error: 'invalid host' }; }
		uri = url.slice(uriAt);
		last = uriAt;
		if (uriAt < colon) { colon = -1; }
	}
	let port: number | undefined;
	let lastPort: number | undefined;
	let noPort = false;
	if (colon >= 0) {
		const p = readPort(url.slice(colon + 1, last), listen);
		if (p.error) { return { error: p.error }; }
		port = p.port;
		lastPort = p.lastPort;
		last = colon;
	} else {
		if (uriAt < 0 && listen) {
			// a listen value that is all digits (or a digit range) is a port on every address
			let text = url;
			let rangeError: UrlError | undefined;
			let range: number | undefined;
			let plain = true;
			const dash = url.indexOf('-');
			if (dash >= 0) {
				const n = atoi(url.slice(dash + 1));
				if (n < 0) { plain = false; } else if (n < 1 || n > 65535) { rangeError = 'invalid port'; } else { range = n; }
				text = url.slice(0, dash);
			}
			const n = plain ? atoi(text) : -1;
			if (n >= 0) {
				if (rangeError) { return { error: rangeError }; }
				if (n < 1 || n > 65535) { return { error: 'invalid port' }; }
				if (range !== undefined && n > range) { return { error: 'invalid port range' }; }
				return { family: 'inet', host: '', port: n, lastPort: range, literal: true, wildcard: true };
			}
		}
		noPort = true;
	}
	const host = url.slice(0, last);
	if (!host.length) { return { error: 'no host' }; }
	if (listen && host === '*') { return { family: 'inet', host, port, lastPort, noPort, literal: true, wildcard: true }; }
	if (isIpv4(host)) { return { family: 'inet', host, port, lastPort, noPort, literal: true, wildcard: ipv4Value(host) === 0, uri }; }
	return { family: 'inet', host, port, lastPort, noPort, literal: false, uri };
}

function utf8Length(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
	}
	return n;
}
