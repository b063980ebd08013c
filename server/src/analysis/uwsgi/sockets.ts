/**
 * uWSGI socket addresses as uWSGI reads them (core/socket.c): `@name` abstract, `=N` an
 * inherited fd, `host:port` or `:port` TCP (a value with `:` that is not a path), anything else a
 * UNIX path. For SSL sockets (`addr,cert,key`) the address is before the first comma.
 */
export type UwsgiAddress =
	| { readonly kind: 'tcp'; readonly host: string; readonly port: string; readonly allInterfaces: boolean }
	| { readonly kind: 'unix'; readonly path: string }
	| { readonly kind: 'abstract'; readonly name: string }
	| { readonly kind: 'fd'; readonly fd: string };

const ALL_INTERFACES = new Set(['', '0.0.0.0', '*', '[::]', '::', '[::0]', '0']);

export function parseUwsgiAddress(value: string, ssl = false): UwsgiAddress | undefined {
	let v = value.trim();
	if (ssl) { v = v.split(',')[0].trim(); }
	if (!v) { return undefined; }
	if (v.startsWith('@')) { return { kind: 'abstract', name: v.slice(1) }; }
	if (v.startsWith('=')) { return { kind: 'fd', fd: v.slice(1) }; }
	if (!v.startsWith('/') && !v.startsWith('.') && v.includes(':')) {
		const colon = v.lastIndexOf(':');
		const host = v.slice(0, colon);
		const port = v.slice(colon + 1);
		return { kind: 'tcp', host, port, allInterfaces: ALL_INTERFACES.has(host) };
	}
	return { kind: 'unix', path: v };
}

/** Options that bind a socket the workers serve (what nginx connects to), and the protocol it speaks. */
export const SERVER_SOCKET_HANDLERS: ReadonlySet<string> = new Set([
	'uwsgi_opt_add_socket', 'uwsgi_opt_add_ssl_socket', 'uwsgi_opt_add_socket_no_defer', 'uwsgi_opt_add_lazy_socket',
]);
