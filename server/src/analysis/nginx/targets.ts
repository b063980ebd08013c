/**
 * Addresses nginx refuses where it reads them (nginx-invalid-value): upstream `server` lines,
 * the targets of `proxy_pass`, `uwsgi_pass`, `fastcgi_pass`, `scgi_pass`, `grpc_pass`,
 * `memcached_pass` and stream `proxy_pass`, and `listen`. nginx reads each with ngx_parse_url
 * (urls.ts) and stops with "invalid port in upstream", "invalid host in upstream" (a path or `?`
 * where none may be: `uwsgi_pass /tmp/app.sock` without `unix:`), "no host", "invalid IPv6
 * address", unix paths that are empty or too long; `proxy_pass` needs `http://` or `https://`
 * ("invalid URL prefix"); a stream upstream server needs a port. Targets with variables are
 * read at run time and not judged; host names are resolved by nginx and not judged either.
 */
import { TERM_MISSING, type NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { DIRECTIVE_IDS, directiveId, SetPredicate, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { parseUrl, type ParsedUrl, type UrlError } from './urls';

/** Payload of an address finding the quick fix can correct: the whole argument rewritten. */
export interface AddressFixData {
	readonly candidates: readonly string[];
}

const SERVER = directiveId('server');
const LISTEN = directiveId('listen');
const PROXY_PASS = directiveId('proxy_pass');
const UWSGI_PASS = directiveId('uwsgi_pass');
const GRPC_PASS = directiveId('grpc_pass');

/** By directive id + 1: the directives whose first argument is an address. */
const ADDRESS_IDS = new Uint8Array(DIRECTIVE_IDS + 1);
for (const n of ['server', 'listen', 'proxy_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']) {
	const id = directiveId(n);
	if (id >= 0) { ADDRESS_IDS[id + 1] = 1; }
}

const HTTP_UPSTREAM = new SetPredicate(c => c.length > 0 && c.every(x => x === 'http.upstream'));
const STREAM_UPSTREAM = new SetPredicate(c => c.length > 0 && c.every(x => x === 'stream.upstream'));
const STREAM_SERVER = new SetPredicate(c => c.length > 0 && c.every(x => x === 'stream.server'));
const HTTP_SERVER = new SetPredicate(c => c.length > 0 && c.every(x => x === 'http.server'));
const MAIL_SERVER = new SetPredicate(c => c.length > 0 && c.every(x => x === 'mail.server'));
const HTTP_PASS_PLACE = new SetPredicate(c => c.length > 0 && c.every(x => x.startsWith('http.location') || x === 'http.limit_except'));

/** The scheme prefixes a pass takes before its address (compared without case), by directive. */
const PREFIXES: ReadonlyMap<number, readonly string[]> = new Map([
	[UWSGI_PASS, ['uwsgi://', 'suwsgi://']],
	[GRPC_PASS, ['grpc://', 'grpcs://']],
]);

/** What nginx reads an argument as, and how it names it in its message. */
type Kind = 'http-upstream' | 'stream-upstream' | 'proxy' | 'pass' | 'stream-pass' | 'listen';

function kindOf(id: number, set: number): Kind | undefined {
	if (id === SERVER) { return HTTP_UPSTREAM.has(set) ? 'http-upstream' : STREAM_UPSTREAM.has(set) ? 'stream-upstream' : undefined; }
	if (id === LISTEN) { return HTTP_SERVER.has(set) || STREAM_SERVER.has(set) || MAIL_SERVER.has(set) ? 'listen' : undefined; }
	if (id === PROXY_PASS) { return HTTP_PASS_PLACE.has(set) ? 'proxy' : STREAM_SERVER.has(set) ? 'stream-pass' : undefined; }
	return HTTP_PASS_PLACE.has(set) ? 'pass' : undefined;
}

/**
 * The forms most addresses take, accepted on the text of a plain token (a fast path: anything
 * else goes through parseUrl): `unix:/path` shorter than a socket address holds, `host:port` of
 * letters, digits, `.` and `-` with a port from 1 to 65535, and for listen a bare port.
 */
function quickOk(file: NginxFile, k: number, listen: boolean): boolean {
	const t = file.tree;
	if (t.tokFlags[k] !== 0) { return false; }
	const text = file.text;
	const s = t.tokStart[k];
	const e = t.tokEnd[k];
	if (e - s > 5 && text.startsWith('unix:', s)) {
		for (let i = s + 5; i < e; i++) { if (text.charCodeAt(i) > 0x7e) { return false; } }
		return e - s - 5 < 108 && (listen || !text.includes(':', s + 5) || text.indexOf(':', s + 5) >= e);
	}
	let colon = -1;
	for (let i = s; i < e; i++) {
		const c = text.charCodeAt(i);
		if (c === 58 /* : */) {
			if (colon >= 0) { return false; }
			colon = i;
		} else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45)) {
			return false;
		}
	}
	const from = colon >= 0 ? colon + 1 : s;
	if (colon === s || (colon < 0 && !listen) || e === from || e - from > 5) { return false; }
	let port = 0;
	for (let i = from; i < e; i++) {
		const c = text.charCodeAt(i);
		if (c < 48 || c > 57) { return false; }
		port = port * 10 + c - 48;
	}
	return port >= 1 && port <= 65535;
}

/** A plain token of letters, digits, `.`, `_`, `-` only: a bare name or a number, nothing this check can refuse. */
function plainName(file: NginxFile, k: number): boolean {
	const t = file.tree;
	if (t.tokFlags[k] !== 0) { return false; }
	const text = file.text;
	for (let i = t.tokStart[k]; i < t.tokEnd[k]; i++) {
		const c = text.charCodeAt(i);
		if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45)) { return false; }
	}
	return t.tokEnd[k] > t.tokStart[k];
}

export function checkAddresses(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const file = ctx.file;
	const t = file.tree;
	for (const d of f.byName.flagged(ADDRESS_IDS)) {
		if (t.dirArgc[d] === 0 || t.dirTerm[d] === TERM_MISSING || t.dirBlock[d] >= 0) { continue; }
		const set = f.blockSet[t.dirParent[d]];
		if (set === 0) { continue; }
		const id = f.ids[d];
		const kind = kindOf(id, set);
		if (!kind) { continue; }
		const a = t.dirTok[d] + 1;
		// a pass to a bare name has no port to get wrong (whether it names an upstream: upstreams.ts)
		if ((kind === 'pass' || kind === 'stream-pass') && plainName(file, a)) { continue; }
		if (kind !== 'proxy' && quickOk(file, a, kind === 'listen')) { continue; }
		const value = tokenText(file, a);
		if (value.includes('$') && kind !== 'http-upstream' && kind !== 'stream-upstream' && kind !== 'listen') { continue; }
		const problem = addressProblem(kind, value, PREFIXES.get(id));
		if (!problem) { continue; }
		const token = file.token(a);
		const name = file.token(t.dirTok[d]).value;
		const data: AddressFixData | undefined = problem.fix ? { candidates: [problem.fix] } : undefined;
		ctx.report({ code: Codes.nginxInvalidValue, offset: token.offset, length: token.length, args: { name, detail: problem.detail }, data });
	}
}

/** Why nginx refuses the address `value` read as `kind`, and a corrected value when there is an obvious one. */
export function addressProblem(kind: Kind, value: string, prefixes?: readonly string[]): { detail: string; fix?: string } | undefined {
	let rest = value;
	let scheme = '';
	if (kind === 'proxy') {
		const m = /^https?:\/\//i.exec(value);
		if (!m) {
			const fix = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? undefined : `http://${value}`;
			return { detail: `"${value}" does not start with http:// or https://: nginx stops with "invalid URL prefix".`, fix };
		}
		scheme = m[0];
		rest = value.slice(scheme.length);
	} else if (prefixes) {
		const p = prefixes.find(x => value.slice(0, x.length).toLowerCase() === x);
		if (p) {
			scheme = value.slice(0, p.length);
			rest = value.slice(p.length);
		}
	}
	const listen = kind === 'listen';
	const u = parseUrl(rest, { uriPart: kind === 'proxy', listen });
	const where = listen ? `in "${rest}" of the "listen" directive` : `in upstream "${rest}"`;
	if (u.error) { return { detail: `${explain(u, u.error, rest, kind)}: nginx stops with "${u.error} ${where}".`, fix: fixFor(u.error, rest, scheme, kind) }; }
	if (kind === 'stream-upstream' && u.noPort) {
		return { detail: `"${rest}" has no port, and a stream upstream server needs one: nginx stops with "no port in upstream".` };
	}
	return undefined;
}

function explain(u: ParsedUrl, error: UrlError, value: string, kind: Kind): string {
	switch (error) {
		case 'invalid port': {
			const port = portText(value, kind === 'listen');
			return port === '' ? `"${value}" has nothing after its ":" where the port goes` : `"${port}" is not a port (a number from 1 to 65535)`;
		}
		case 'invalid port range': return `the port range of "${value}" runs backwards`;
		case 'invalid host':
			if (value.startsWith('/')) { return `"${value}" is a path, and a unix socket is written with "unix:" before it`; }
			if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) { return `"${value}" starts with a scheme this directive does not take (only the address goes here)`; }
			if (value.startsWith('[')) { return `"${value}" is not "[IPv6 address]" optionally followed by ":port"`; }
			return kind === 'listen' ? `"${value}" holds a "/" or "?", which no address has` : `"${value}" holds a "/" or "?": this directive takes an address without a URI`;
		case 'no host': return `"${value}" has no host before its port`;
		case 'invalid IPv6 address': return `"${value}" holds no valid IPv6 address between its brackets`;
		case 'no path in the unix domain socket': return `"${value}" names no socket file after "unix:"`;
		case 'too long path in the unix domain socket': return `the socket path of "${value}" is longer than the 107 bytes a unix socket address holds`;
		default: return `"${u.host ?? value}" is not an address nginx reads`;
	}
}

/** The text nginx reads as the port of `value` (after the last ':' of a host, or a bare listen port). */
function portText(value: string, listen: boolean): string {
	if (value.startsWith('[')) {
		const close = value.indexOf(']');
		return value.slice(close + 2).replace(/\/.*$/, '');
	}
	const colon = value.indexOf(':');
	if (colon < 0) { return listen ? value : ''; }
	let end = value.length;
	const slash = value.indexOf('/');
	if (slash > colon) { end = slash; }
	const q = value.indexOf('?');
	if (q > colon && q < end) { end = q; }
	return value.slice(colon + 1, end);
}

function fixFor(error: UrlError, value: string, scheme: string, kind: Kind): string | undefined {
	if (error !== 'invalid host' || kind === 'listen' || kind === 'proxy') { return undefined; }
	// uwsgi_pass /tmp/app.sock: the socket path with unix: before it
	if (value.startsWith('/') && !value.includes('?')) { return `${scheme}unix:${value}`; }
	// fastcgi_pass http://127.0.0.1:9000: the address without the scheme (and without a trailing /)
	const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?]+)\/?$/i.exec(value);
	return m && !m[1].includes('$') ? `${scheme}${m[1]}` : undefined;
}

