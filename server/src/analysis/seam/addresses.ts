/**
 * Socket addresses on both sides of the seam, normalised so that an nginx target and a uWSGI
 * socket can be compared: unix paths (slashes folded, relative ones against uWSGI's `chdir`),
 * abstract `@names`, TCP host and port (all-interfaces and loopback forms recognised).
 */
import { normalizePath } from '../../utils/paths';

export { normalizePath };

export type Address =
	| { readonly kind: 'unix'; readonly path: string; /** A relative path whose folder is unknown (no chdir). */ readonly relative?: boolean }
	| { readonly kind: 'abstract'; readonly name: string }
	| { readonly kind: 'tcp'; readonly host: string; readonly port: string };

const ALL_INTERFACES = new Set(['', '0.0.0.0', '*', '[::]', '::', '0']);
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|ip6-localhost)$/i;

export function isAllInterfaces(host: string): boolean {
	return ALL_INTERFACES.has(host);
}

export function isLoopback(host: string): boolean {
	return LOOPBACK.test(host);
}

export function formatAddress(a: Address): string {
	if (a.kind === 'unix') { return a.path; }
	if (a.kind === 'abstract') { return '@' + a.name; }
	return `${a.host || '*'}:${a.port}`;
}

/**
 * Whether an nginx target reaches a uWSGI socket on one host: the same path or abstract name;
 * TCP with the same port, where the socket listens on every interface, or both sides are
 * loopback, or the hosts are equal. A target host that is not local (a docker service name)
 * reaches a socket bound on every interface.
 */
export function reaches(target: Address, socket: Address): boolean {
	if (target.kind === 'unix' && socket.kind === 'unix') {
		if (target.relative) { return socket.path === target.path || socket.path.endsWith('/' + target.path); }
		if (socket.relative) { return target.path === socket.path || target.path.endsWith('/' + socket.path.replace(/^\/+/, '')); }
		return target.path === socket.path;
	}
	if (target.kind === 'abstract' && socket.kind === 'abstract') { return target.name === socket.name; }
	if (target.kind === 'tcp' && socket.kind === 'tcp') {
		if (target.port !== socket.port) { return false; }
		if (isAllInterfaces(socket.host)) { return true; }
		if (isLoopback(target.host) && isLoopback(socket.host)) { return true; }
		return target.host.toLowerCase() === socket.host.toLowerCase();
	}
	return false;
}

/**
 * nginx's `unix:/path` (any case of `unix:`; repeated slashes folded as the kernel does),
 * `host:port`, `[v6]:port` (after any scheme). nginx has no abstract sockets: `unix:@name` is a
 * file named `@name` in nginx's working folder, which no abstract socket of uWSGI reaches (nginx
 * logs "(2: No such file or directory)"); like any relative path, its folder is unknown.
 */
export function parseNginxAddress(text: string): Address | undefined {
	if (text.slice(0, 5).toLowerCase() === 'unix:') {
		const rest = text.slice(5);
		if (!rest) { return undefined; }
		return rest.startsWith('/') ? { kind: 'unix', path: normalizePath(rest) } : { kind: 'unix', path: rest, relative: true };
	}
	const m = /^(\[[^\]]*\]|[^:/]*):(\d+)$/.exec(text);
	if (m) { return { kind: 'tcp', host: m[1], port: String(Number(m[2])) }; }
	return undefined;
}
