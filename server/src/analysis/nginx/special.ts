/**
 * Values of directives with their own parsers that the slot data cannot describe: `listen`
 * (port range, parameters), pass targets (port range), `return` codes, `if` conditions in
 * parentheses, `keepalive_timeout` times. All reported as nginx-invalid-value. (The zones of
 * `limit_req`/`limit_conn` are nginx-unknown-zone: zones.ts.)
 */
import { TERM_MISSING, type NginxDirective, type NginxFile, type NginxToken } from '../../parser/nginx/nodes';
import { closestMatches } from '../../utils/strings';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { didYouMean } from '../findings';
import { directiveId, SetPredicate, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { PASS_DIRECTIVES } from './upstreams';
import { isTime } from './values';

const HTTP_LISTEN_PARAMS = ['default_server', 'default', 'ssl', 'http2', 'quic', 'proxy_protocol', 'setfib=', 'fastopen=', 'backlog=', 'rcvbuf=', 'sndbuf=', 'accept_filter=', 'deferred', 'bind', 'ipv6only=', 'reuseport', 'so_keepalive=', 'multipath'];
const TIME_MS = new Set(['ms', 's', 'm', 'h', 'd', 'w']);
const TIME_S = new Set(['s', 'm', 'h', 'd', 'w', 'M', 'y']);

function bad(ctx: NginxContext, d: NginxDirective, t: NginxToken, detail: string): void {
	ctx.report({ code: Codes.nginxInvalidValue, offset: t.offset, length: t.length, args: { name: d.name.value, detail } });
}

/** The port of `host:port`, `:port`, `[v6]:port` or a bare number, when there is one. */
function portOf(addr: string): string | undefined {
	if (/^\d+$/.test(addr)) { return addr; }
	const m = /^(?:\[[^\]]*\]|[^:/[]*):(\d*)$/.exec(addr);
	return m ? m[1] : undefined;
}

const IF = directiveId('if');
const LISTEN = directiveId('listen');
const RETURN = directiveId('return');
const KEEPALIVE_TIMEOUT = directiveId('keepalive_timeout');
const PASS_IDS = [...PASS_DIRECTIVES].map(directiveId);
const IN_HTTP_SERVER = new SetPredicate(c => c.includes('http.server'));
const IN_HTTP = new SetPredicate(c => c.some(x => x.startsWith('http')));
const IN_HTTP_NOT_UPSTREAM = new SetPredicate(c => c.some(x => x.startsWith('http') && x !== 'http.upstream'));

/** Whether [s, e) holds the character `c`. */
function holds(text: string, s: number, e: number, c: number): boolean {
	for (let k = s; k < e; k++) {
		if (text.charCodeAt(k) === c) { return true; }
	}
	return false;
}

function isPlain(file: NginxFile, tok: number): boolean {
	return file.tree.tokFlags[tok] === 0;
}

/** A plain token that is all digits: its number (at most 9 digits), else -1. */
function plainNumber(file: NginxFile, tok: number): number {
	const t = file.tree;
	const s = t.tokStart[tok];
	const e = t.tokEnd[tok];
	if (t.tokFlags[tok] !== 0 || e === s || e - s > 9) { return -1; }
	let v = 0;
	for (let k = s; k < e; k++) {
		const c = file.text.charCodeAt(k);
		if (c < 48 || c > 57) { return -1; }
		v = v * 10 + c - 48;
	}
	return v;
}

/** A plain token that is exactly one of the parameters (`x` or `x=...` for those ending in `=`). */
function isKnownParam(file: NginxFile, tok: number, params: readonly string[]): boolean {
	const t = file.tree;
	const s = t.tokStart[tok];
	const e = t.tokEnd[tok];
	for (const p of params) {
		if (p.endsWith('=') ? e - s >= p.length && file.text.startsWith(p, s) : e - s === p.length && file.text.startsWith(p, s)) { return true; }
	}
	return false;
}

export function checkSpecial(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	const text = file.text;
	const f = runFacts(ctx);
	const checkable = (d: number): boolean => t.dirTerm[d] !== TERM_MISSING && f.blockSet[t.dirParent[d]] !== 0 && t.dirArgc[d] > 0;
	const firstOf = (d: number): number => t.dirTok[d] + 1;
	/** The first argument holds a variable (nothing to check then). */
	const variable = (d: number): boolean => {
		const a = firstOf(d);
		return isPlain(file, a) ? holds(text, t.tokStart[a], t.tokEnd[a], 36 /* $ */) : file.token(a).value.includes('$');
	};
	for (const d of f.byName.of(IF)) {
		if (!checkable(d) || t.dirBlock[d] < 0) { continue; }
		const first = file.token(firstOf(d));
		const last = file.token(firstOf(d) + t.dirArgc[d] - 1);
		if (!first.value.startsWith('(') || !last.value.endsWith(')')) {
			bad(ctx, file.directive(d), first, 'the condition of "if" must be in parentheses: nginx stops with "invalid condition".');
		}
	}
	for (const d of f.byName.of(LISTEN)) {
		if (!checkable(d) || variable(d) || !IN_HTTP_SERVER.has(f.blockSet[t.dirParent[d]])) { continue; }
		const a = firstOf(d);
		const n = plainNumber(file, a);
		if (n < 0 || n === 0 || n > 65535) {
			const first = file.token(a);
			const port = first.value.startsWith('unix:') ? undefined : portOf(first.value);
			if (port !== undefined && (port === '' || Number(port) > 65535 || Number(port) === 0)) { bad(ctx, file.directive(d), first, `port "${port}" is not a TCP port (1-65535): nginx stops with "invalid port".`); }
		}
		for (let k = a + 1; k <= a + t.dirArgc[d] - 1; k++) {
			if (isPlain(file, k) && isKnownParam(file, k, HTTP_LISTEN_PARAMS)) { continue; }
			const v = file.token(k).value;
			if (HTTP_LISTEN_PARAMS.some(p => (p.endsWith('=') ? v.startsWith(p) : v === p))) { continue; }
			const guess = closestMatches(v.replace(/=.*$/, ''), HTTP_LISTEN_PARAMS.map(p => p.replace(/=$/, '')), 1);
			bad(ctx, file.directive(d), file.token(k), `"${v}" is not a parameter of listen: nginx stops with "invalid parameter".${didYouMean(guess)}`);
		}
	}
	for (const id of PASS_IDS) {
		for (const d of f.byName.of(id)) {
			if (!checkable(d) || variable(d)) { continue; }
			const a = firstOf(d);
			// a plain target with no ":" has a port only when it starts with digits (up to a "/"): check those of 5 digits and more
			const s0 = t.tokStart[a];
			const e0 = t.tokEnd[a];
			if (isPlain(file, a) && !holds(text, s0, e0, 58 /* : */)) {
				let k = s0;
				while (k < e0 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) { k++; }
				if (!(k === e0 || text.charCodeAt(k) === 47) || k - s0 < 5) { continue; }
			}
			const first = file.token(a);
			const host = first.value.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
			const port = host.startsWith('unix:') ? undefined : portOf(host);
			if (port !== undefined && port !== '' && Number(port) > 65535) { bad(ctx, file.directive(d), first, `port ${port} is not a TCP port (1-65535): nginx stops with "invalid port in upstream".`); }
			if (port === '' && host.endsWith(':')) { bad(ctx, file.directive(d), first, `"${host}" has an empty port: nginx stops with "invalid port in upstream".`); }
		}
	}
	for (const d of f.byName.of(RETURN)) {
		if (!checkable(d) || variable(d) || !IN_HTTP.has(f.blockSet[t.dirParent[d]])) { continue; }
		const a = firstOf(d);
		const n = plainNumber(file, a);
		if (n >= 0 && n <= 999) { continue; }
		const first = file.token(a);
		if (/^\d+$/.test(first.value) && Number(first.value) > 999) { bad(ctx, file.directive(d), first, `${first.value} is not an HTTP status code: nginx stops with "invalid return code".`); }
	}
	for (const d of f.byName.of(KEEPALIVE_TIMEOUT)) {
		if (!checkable(d) || variable(d) || !IN_HTTP_NOT_UPSTREAM.has(f.blockSet[t.dirParent[d]])) { continue; }
		// values read without views (see tokenText); a view only to report
		const a = firstOf(d);
		if (!isTime(tokenText(file, a), TIME_MS)) { bad(ctx, file.directive(d), file.token(a), `"${file.token(a).value}" is not a time such as 75s (months and years are not allowed).`); }
		if (t.dirArgc[d] > 1 && !isTime(tokenText(file, a + 1), TIME_S)) {
			bad(ctx, file.directive(d), file.token(a + 1), `"${file.token(a + 1).value}" is not a time such as 60s.`);
		}
	}
}
