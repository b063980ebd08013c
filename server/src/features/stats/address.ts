/**
 * Where a uWSGI stats server listens, as a person or a config writes it. uWSGI binds the `stats`
 * value as TCP when it has a `:` (core/master.c: the last `:` starts the port), else as a unix
 * socket (`@name` abstract). For reading we also take `http://host:port` (the server has
 * `stats-http`), `unix:/path`, and a bare port number. Hosts meaning "every interface" are read
 * on loopback.
 */

export type StatsTarget =
	| { readonly kind: 'tcp'; readonly host: string; readonly port: number }
	/** A relative path is left relative: the caller knows the folder it is relative to. */
	| { readonly kind: 'unix'; readonly path: string }
	| { readonly kind: 'abstract'; readonly name: string };

export interface StatsAddress {
	readonly target: StatsTarget;
	/** Send an HTTP request first (the server has `stats-http`, or the address said `http://`). */
	readonly http: boolean;
}

const ALL_INTERFACES = new Set(['', '0.0.0.0', '*', '0', '::', '::0']);

export function formatTarget(t: StatsTarget): string {
	if (t.kind === 'unix') { return t.path; }
	if (t.kind === 'abstract') { return '@' + t.name; }
	return `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}

export function formatStatsAddress(a: StatsAddress): string {
	const t = formatTarget(a.target);
	return a.http ? (a.target.kind === 'tcp' ? `http://${t}` : `http+unix:${t}`) : t;
}

/** Reads an address; `http` is the default for HTTP mode (the config's `stats-http`). */
export function parseStatsAddress(input: string, http = false): { address: StatsAddress } | { error: string } {
	let v = input.trim();
	if (!v) { return { error: 'no address given' }; }
	if (/[\0\r\n]/.test(v)) { return { error: 'the address holds control characters' }; }
	if (/^https:\/\//i.test(v)) { return { error: "uWSGI's stats server does not speak HTTPS; use http://HOST:PORT" }; }
	const scheme = /^(http|tcp):\/\//i.exec(v);
	if (scheme) {
		http ||= scheme[1].toLowerCase() === 'http';
		v = v.slice(scheme[0].length).replace(/\/.*$/, '');
	} else if (/^http\+unix:/i.test(v)) {
		http = true;
		v = v.slice('http+unix:'.length);
	}
	if (/^unix:/i.test(v)) {
		const rest = v.slice(5).replace(/^\/\/(?=\/)/, '');
		return rest ? unixOrAbstract(rest, http) : { error: 'unix: needs a path' };
	}
	if (v.startsWith('@')) { return unixOrAbstract(v, http); }
	if (/^\d+$/.test(v)) { return tcp('127.0.0.1', v, http); }
	if (v.startsWith('/') || v.startsWith('.') || v.startsWith('~') || !v.includes(':')) { return unixOrAbstract(v, http); }
	const bracket = /^\[([^\]]*)\]:([^:]*)$/.exec(v);
	if (bracket) { return tcp(bracket[1], bracket[2], http); }
	const colon = v.lastIndexOf(':');
	return tcp(v.slice(0, colon), v.slice(colon + 1), http);
}

function unixOrAbstract(v: string, http: boolean): { address: StatsAddress } {
	if (v.startsWith('@')) { return { address: { target: { kind: 'abstract', name: v.slice(1) }, http } }; }
	return { address: { target: { kind: 'unix', path: v }, http } };
}

function tcp(hostIn: string, portText: string, http: boolean): { address: StatsAddress } | { error: string } {
	if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
		return { error: `"${portText}" is not a TCP port (1 to 65535)` };
	}
	let host = hostIn.replace(/^\[|\]$/g, '');
	if (ALL_INTERFACES.has(host)) { host = host.includes(':') ? '::1' : '127.0.0.1'; }
	if (/\s|\//.test(host)) { return { error: `"${hostIn}" is not a host name` }; }
	return { address: { target: { kind: 'tcp', host, port: Number(portText) }, http } };
}
