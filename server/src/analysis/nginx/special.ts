/**
 * Values of directives with their own parsers that the slot data cannot describe: `listen`
 * parameters, `return` codes, `if` conditions in parentheses, `keepalive_timeout` times, and the
 * shared-memory zones `limit_req`/`limit_conn` use. All reported as nginx-invalid-value. (The
 * addresses of `listen`, upstream servers and passes: targets.ts.)
 */
import { TERM_MISSING, type NginxDirective, type NginxFile, type NginxToken } from '../../parser/nginx/nodes';
import { closestMatches } from '../../utils/strings';
import { Codes } from '../codes';
import type { NginxContext, NameIndex } from '../context';
import { didYouMean } from '../findings';
import { directiveId, directivesByName, SetPredicate, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { isTime } from './values';

const HTTP_LISTEN_PARAMS = ['default_server', 'default', 'ssl', 'http2', 'quic', 'proxy_protocol', 'setfib=', 'fastopen=', 'backlog=', 'rcvbuf=', 'sndbuf=', 'accept_filter=', 'deferred', 'bind', 'ipv6only=', 'reuseport', 'so_keepalive=', 'multipath'];
const TIME_MS = new Set(['ms', 's', 'm', 'h', 'd', 'w']);
const TIME_S = new Set(['s', 'm', 'h', 'd', 'w', 'M', 'y']);

function bad(ctx: NginxContext, d: NginxDirective, t: NginxToken, detail: string): void {
	ctx.report({ code: Codes.nginxInvalidValue, offset: t.offset, length: t.length, args: { name: d.name.value, detail } });
}

const IF = directiveId('if');
const LISTEN = directiveId('listen');
const RETURN = directiveId('return');
const KEEPALIVE_TIMEOUT = directiveId('keepalive_timeout');
const LIMIT_REQ = directiveId('limit_req');
const LIMIT_CONN = directiveId('limit_conn');
const ZONE_IDS = [directiveId('limit_req_zone'), directiveId('limit_conn_zone')];
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

export function checkSpecialValues(ctx: NginxContext, zones: ReadonlySet<string>): void {
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
		// the address itself: checkAddresses (targets.ts)
		const a = firstOf(d);
		for (let k = a + 1; k <= a + t.dirArgc[d] - 1; k++) {
			if (isPlain(file, k) && isKnownParam(file, k, HTTP_LISTEN_PARAMS)) { continue; }
			const v = file.token(k).value;
			if (HTTP_LISTEN_PARAMS.some(p => (p.endsWith('=') ? v.startsWith(p) : v === p))) { continue; }
			const guess = closestMatches(v.replace(/=.*$/, ''), HTTP_LISTEN_PARAMS.map(p => p.replace(/=$/, '')), 1);
			bad(ctx, file.directive(d), file.token(k), `"${v}" is not a parameter of listen: nginx stops with "invalid parameter".${didYouMean(guess)}`);
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
	if (zones.size) {
		for (const id of [LIMIT_REQ, LIMIT_CONN]) {
			for (const d of f.byName.of(id)) {
				if (!checkable(d) || variable(d)) { continue; }
				const first = file.token(firstOf(d));
				const name = id === LIMIT_REQ ? 'limit_req' : 'limit_conn';
				const zone = id === LIMIT_REQ ? /^zone=([^\s]+)$/.exec(first.value)?.[1] : first.value;
				if (zone && !zones.has(zone)) {
					bad(ctx, file.directive(d), first, `no ${name}_zone defines "${zone}" in the workspace: nginx stops with "zero size shared memory zone".${didYouMean(closestMatches(zone, zones, 2))}`);
				}
			}
		}
	}
}

/** Zone names of every limit_req_zone / limit_conn_zone of the workspace. */
export function zoneNames(files: Iterable<{ readonly file: NginxFile }>): Set<string> {
	const out = new Set<string>();
	for (const { file } of files) {
		const byName = directivesByName(file);
		for (const id of ZONE_IDS) {
			for (const d of byName.of(id)) {
				for (const a of file.directive(d).args) {
					const m = /^zone=([^:]+):/.exec(a.value);
					if (m) { out.add(m[1]); }
				}
			}
		}
	}
	return out;
}

const zoneSets = new WeakMap<NameIndex, { version: number; zones: ReadonlySet<string> }>();

export function checkSpecial(ctx: NginxContext): void {
	// zones defined anywhere in the workspace, kept current file by file
	const ix = ctx.workspace.nginxNames('zones', file => zoneNames([{ file }]));
	let hit = zoneSets.get(ix);
	if (!hit || hit.version !== ix.version) {
		hit = { version: ix.version, zones: new Set(ix.files.keys()) };
		zoneSets.set(ix, hit);
	}
	checkSpecialValues(ctx, hit.zones);
}
