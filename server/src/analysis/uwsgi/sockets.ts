/**
 * uWSGI socket addresses as uWSGI reads them (core/socket.c: generate_socket_name,
 * uwsgi_bind_sockets, socket_to_in_addr): leading blanks skipped; `fd://N` and `=N` an inherited
 * or shared descriptor; a value with a `:` anywhere is TCP — the host is everything before the
 * LAST `:` and the port is `atoi` of everything after it, kept to 16 bits (so `:8000 ; note` binds
 * port 8000, and `/run/app.sock # a:b` is a TCP address); without a `:`, `@name` is abstract and
 * anything else is a UNIX path, taken whole. For SSL sockets (`addr,cert,key`) the address is
 * before the first comma.
 */
import { readNumber } from './values';

export type UwsgiAddress =
	| {
		readonly kind: 'tcp'; readonly host: string;
		/** The port uWSGI binds, as a plain decimal number ("0": the kernel picks one). */
		readonly port: string;
		readonly allInterfaces: boolean;
	}
	| { readonly kind: 'unix'; readonly path: string }
	| { readonly kind: 'abstract'; readonly name: string }
	| { readonly kind: 'fd'; readonly fd: string };

const ALL_INTERFACES = new Set(['', '0.0.0.0', '[::]', '::', '[::0]', '0']);

/** isspace() of the C library. */
function isSpace(c: string): boolean {
	return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

export function parseUwsgiAddress(value: string, ssl = false): UwsgiAddress | undefined {
	let v = value;
	if (ssl) {
		const comma = v.indexOf(',');
		if (comma >= 0) { v = v.slice(0, comma); }
	}
	let s = 0;
	while (s < v.length && isSpace(v[s])) { s++; }
	v = v.slice(s);
	if (!v) { return undefined; }
	if (v.startsWith('fd://')) { return { kind: 'fd', fd: v.slice(5) }; }
	if (v.startsWith('=')) { return { kind: 'fd', fd: v.slice(1) }; }
	const colon = v.lastIndexOf(':');
	if (colon >= 0) {
		const host = v.slice(0, colon);
		const port = String(readNumber(v.slice(colon + 1)).value & 0xffff);
		return { kind: 'tcp', host, port, allInterfaces: ALL_INTERFACES.has(host) };
	}
	if (v.startsWith('@')) { return { kind: 'abstract', name: v.slice(1) }; }
	if (v.startsWith('\\0')) { return { kind: 'abstract', name: v.slice(2) }; }
	return { kind: 'unix', path: v };
}

/** Whether two readings bind the same thing. */
export function sameUwsgiAddress(a: UwsgiAddress | undefined, b: UwsgiAddress | undefined): boolean {
	if (!a || !b) { return a === b; }
	if (a.kind === 'tcp' && b.kind === 'tcp') { return a.host === b.host && a.port === b.port; }
	if (a.kind === 'unix' && b.kind === 'unix') { return a.path === b.path; }
	if (a.kind === 'abstract' && b.kind === 'abstract') { return a.name === b.name; }
	if (a.kind === 'fd' && b.kind === 'fd') { return a.fd === b.fd; }
	return false;
}

/**
 * `*:3031` asks uWSGI to pick the address of the first network interface ("autoip"). On Linux the
 * first entry getifaddrs() lists is the loopback's link-layer record, which uWSGI reads as the
 * address 1.0.0.0: the bind fails ("Cannot assign requested address") and uWSGI exits
 * (verified on 2.0.21). A prefix before the `*` (`192.168.*:3031`) picks a real interface.
 */
export function isBrokenAutoIp(address: UwsgiAddress | undefined): boolean {
	return address?.kind === 'tcp' && address.host.startsWith('*');
}

/** Options that bind a socket the workers serve (what nginx connects to), and the protocol it speaks. */
export const SERVER_SOCKET_HANDLERS: ReadonlySet<string> = new Set([
	'uwsgi_opt_add_socket', 'uwsgi_opt_add_ssl_socket', 'uwsgi_opt_add_socket_no_defer', 'uwsgi_opt_add_lazy_socket',
]);
