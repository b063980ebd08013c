/**
 * Values of directives with their own parsers that the slot data cannot describe: `listen`
 * parameters, `return` codes, `if` conditions in parentheses, `keepalive_timeout` times. All
 * reported as nginx-invalid-value. (The zones of `limit_req`/`limit_conn` are nginx-unknown-zone:
 * zones.ts; the addresses of `listen`, upstream servers and passes: targets.ts.)
 */
import { TERM_MISSING, type NginxDirective, type NginxFile, type NginxToken } from '../../parser/nginx/nodes';
import { closestMatches } from '../../utils/strings';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { didYouMean } from '../findings';
import { directiveId, SetPredicate, tokenText } from './facts';
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
		const problem = conditionProblem(file, d);
		if (problem) { bad(ctx, file.directive(d), file.token(problem.tok), problem.detail); }
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
		if (!checkable(d) || !IN_HTTP.has(f.blockSet[t.dirParent[d]])) { continue; }
		const a = firstOf(d);
		const n = plainNumber(file, a);
		if (n >= 0 && n <= 999) { continue; }
		// ngx_http_rewrite_return: a code (digits, at most 999), or alone a URL that starts with http://, https:// or $scheme
		const v = tokenText(file, a);
		const digits = /^\d+$/.test(v);
		if (digits ? Number(v) <= 999 : t.dirArgc[d] === 1 && /^(?:https?:\/\/|\$scheme)/.test(v)) { continue; }
		const first = file.token(a);
		const detail = digits
			? `${v} is not an HTTP status code (at most 999): nginx stops with "invalid return code".`
			: t.dirArgc[d] === 1
				? `"${v}" is neither a status code nor a URL starting with http://, https:// or $scheme: nginx stops with "invalid return code".${v.startsWith('$') ? ' A variable cannot be the code.' : ''} For a redirect write "return 301 ${v};".`
				: `"${v}" is not a status code (a variable cannot be one): nginx stops with "invalid return code".`;
		bad(ctx, file.directive(d), first, detail);
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

/** The arguments of directive d as nginx reads them (quotes and escapes resolved). */
export function argumentTexts(file: NginxFile, d: number): string[] {
	const t = file.tree;
	const first = t.dirTok[d] + 1;
	const values: string[] = [];
	for (let k = 0; k < t.dirArgc[d]; k++) { values.push(tokenText(file, first + k)); }
	return values;
}

/**
 * What ngx_http_rewrite_if_condition refuses in `if (…)`: the token it names and why. The
 * condition is in parentheses (alone or glued to the first and last words); it is a variable
 * alone, a variable, an operator (= != ~ ~* !~ !~*) and a value, or a file test (-f -d -e -x,
 * negated with !) and a value.
 */
export function conditionProblem(file: NginxFile, d: number): { tok: number; detail: string } | undefined {
	const t = file.tree;
	const first = t.dirTok[d] + 1;
	const n = t.dirArgc[d];
	if (n === 0) { return undefined; }
	const values = argumentTexts(file, d);
	const invalid = (k: number, why: string) => ({ tok: first + Math.min(k, n - 1), detail: `${why}: nginx stops with "invalid condition \"${values[Math.min(k, n - 1)]}\"".` });
	if (!values[0].startsWith('(')) { return invalid(0, 'the condition of "if" must be in parentheses'); }
	let cur = 1;
	if (values[0] !== '(') {
		values[0] = values[0].slice(1);
		cur = 0;
	}
	let last = n - 1;
	if (!values[last].endsWith(')')) { return invalid(last, 'the condition of "if" must end with ")"'); }
	if (values[last] === ')') { last--; } else { values[last] = values[last].slice(0, -1); }
	const v = values[cur] ?? ')';
	const at = (k: number, why: string) => ({ tok: first + Math.min(k, n - 1), detail: `${why}: nginx stops with "invalid condition \"${v}\"".` });
	if (v.length > 1 && v[0] === '$') {
		if (cur !== last && cur + 2 !== last) { return at(cur, `"${v}" must stand alone or be followed by an operator and one value (a value with blanks needs quotes)`); }
		if (cur === last) { return undefined; }
		const op = values[cur + 1];
		if (['=', '!=', '~', '~*', '!~', '!~*'].includes(op)) { return undefined; }
		return { tok: first + cur + 1, detail: `"${op}" is no operator of "if" (= != ~ ~* !~ !~*): nginx stops with "unexpected \"${op}\" in condition".` };
	}
	if ((v.length === 2 && v[0] === '-') || (v.length === 3 && v[0] === '!' && v[1] === '-')) {
		if (cur + 1 !== last) { return at(cur, `a file test such as "${v}" takes exactly one value`); }
		const letter = v[v.length - 1];
		if ('fdex'.includes(letter)) { return undefined; }
		return at(cur, `"${v}" is no file test (-f, -d, -e, -x, or with ! before them)`);
	}
	return at(cur, v === ')' || v === '' ? 'the condition is empty' : `"${v}" is neither a variable nor a file test`);
}
