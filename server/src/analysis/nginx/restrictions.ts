/**
 * nginx-misplaced-directive: directives nginx refuses because of the block they stand in or what
 * stands before them, though the context itself allows them (ngx_http_proxy_module and
 * ngx_http_core_module, 1.22):
 *
 * - `proxy_pass` with a URI part (`http://app/`, `http://app/x`, `http://app?a`,
 *   `http://unix:/s.sock:/x`) in a regex or named location, an `if` or a `limit_except` block:
 *   there nginx has no location prefix to replace ("cannot have URI part in location given by
 *   regular expression, or inside named location, ...");
 * - `proxy_redirect default` with no `proxy_pass` before it in its own block ("should be placed
 *   after the "proxy_pass" directive"; at the http and server level there can be none), or after a
 *   `proxy_pass` with variables ("cannot be used with "proxy_pass" directive with variables");
 * - `alias` in a named location ("the "alias" directive cannot be used inside the named location").
 *
 * What an included file holds is judged only where it is certain: the block a directive stands
 * in is in the same file, or every context the file is read in restricts it.
 */
import { TERM_MISSING } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { contextSetNames, directiveId, NameFilter, SetPredicate, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { locationModifier } from './locations';

const PROXY_PASS = directiveId('proxy_pass');
const PROXY_REDIRECT = directiveId('proxy_redirect');
const ALIAS = directiveId('alias');
const LOCATION = directiveId('location');
const INCLUDE = directiveId('include');
const NAMES = new NameFilter(['proxy_pass', 'proxy_redirect', 'alias']);
const ONLY_HTTP = new SetPredicate(c => c.length > 0 && c.every(x => x.startsWith('http.')));
const IN_IF = new SetPredicate(c => c.length > 0 && c.every(x => x === 'http.location.if'));
const IN_LIMIT_EXCEPT = new SetPredicate(c => c.length > 0 && c.every(x => x === 'http.limit_except'));
const REDIRECT_CONTEXTS = new SetPredicate(c => c.length > 0 && c.every(x => x === 'http' || x === 'http.server' || x === 'http.location'));

/**
 * Whether a proxy_pass URL (no variables) has a URI part as ngx_parse_url reads one: after the
 * scheme, anything from the first `/` or `?` on; for `unix:` after the `:` that ends the path.
 * Undefined when the URL is not http(s) (nginx refuses that for another reason).
 */
export function proxyUri(url: string): string | undefined {
	const scheme = /^https?:\/\//i.exec(url);
	if (!scheme) { return undefined; }
	const rest = url.slice(scheme[0].length);
	if (/^unix:/i.test(rest)) {
		const colon = rest.indexOf(':', 5);
		return colon < 0 ? '' : rest.slice(colon + 1);
	}
	const slash = rest.indexOf('/');
	const query = rest.indexOf('?');
	const at = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
	return at < 0 ? '' : rest.slice(at);
}

/** What restricts a URI part where a block stands: 'regex', 'named', 'if', 'limit_except', or undefined. */
function restriction(ctx: NginxContext, block: number): string | undefined {
	const t = ctx.file.tree;
	const f = runFacts(ctx);
	const owner = t.blockOwner[block];
	if (owner >= 0) {
		if (f.ids[owner] === LOCATION) {
			const m = locationModifier(ctx.file, owner);
			return m === '~' || m === '~*' ? 'regex' : m === '@' ? 'named' : undefined;
		}
	}
	// an if or limit_except block (here or around the place this file is included at)
	if (IN_IF.has(f.blockSet[block])) { return 'if'; }
	if (IN_LIMIT_EXCEPT.has(f.blockSet[block])) { return 'limit_except'; }
	return undefined;
}

const WHERE: Record<string, string> = {
	regex: 'a location given by a regular expression', named: 'a named location', if: 'an "if" block', limit_except: 'a "limit_except" block',
};

export function checkRestrictions(ctx: NginxContext): void {
	const file = ctx.file;
	const t = file.tree;
	const f = runFacts(ctx);
	for (const d of NAMES.indexes(file)) {
		if (t.dirTerm[d] === TERM_MISSING || t.dirBlock[d] >= 0 || t.dirArgc[d] < 1) { continue; }
		const block = t.dirParent[d];
		const set = f.blockSet[block];
		if (set === 0) { continue; }
		const id = f.ids[d];
		if (id === PROXY_PASS) {
			// a URL with variables is not parsed at startup; a plain one without a / or ? has no URI part
			if (t.dirArgc[d] !== 1 || t.dirDollar[d] || !ONLY_HTTP.has(set) || !mayHaveUri(file, t.dirTok[d] + 1)) { continue; }
			const uri = proxyUri(tokenText(file, t.dirTok[d] + 1));
			if (!uri) { continue; }
			const where = restriction(ctx, block);
			if (!where) { continue; }
			const arg = file.token(t.dirTok[d] + 1);
			ctx.report({
				code: Codes.nginxMisplacedDirective, offset: arg.offset, length: arg.length,
				args: { detail: `"proxy_pass" cannot have a URI part ("${uri}") in ${WHERE[where]}: nginx stops with "proxy_pass" cannot have URI part in location given by regular expression, or inside named location, or inside "if" statement, or inside "limit_except" block. Write it without the URI (proxy_pass keeps the request's URI), or rewrite the URI before it.` },
			});
		} else if (id === PROXY_REDIRECT) {
			if (t.dirArgc[d] !== 1 || !REDIRECT_CONTEXTS.has(set) || tokenText(file, t.dirTok[d] + 1) !== 'default') { continue; }
			const problem = redirectDefault(ctx, d, contextSetNames(set));
			if (!problem) { continue; }
			const at = file.token(t.dirTok[d] + 1);
			ctx.report({ code: Codes.nginxMisplacedDirective, offset: at.offset, length: at.length, args: { detail: problem } });
		} else if (id === ALIAS) {
			const owner = t.blockOwner[block];
			if (owner < 0 || f.ids[owner] !== LOCATION || !startsWithAt(file, t.dirTok[owner] + 1) || locationModifier(file, owner) !== '@') { continue; }
			const at = file.token(t.dirTok[d]);
			ctx.report({
				code: Codes.nginxMisplacedDirective, offset: at.offset, length: at.length,
				args: { detail: `"alias" cannot be used in a named location: nginx stops with "the "alias" directive cannot be used inside the named location". Use root (a named location matches no URI prefix that alias could replace).` },
			});
		}
	}
}

/** Whether token k may start with `@` (a quoted or escaped one may: read it then). */
function startsWithAt(file: NginxContext['file'], k: number): boolean {
	const t = file.tree;
	return t.tokFlags[k] !== 0 || file.text.charCodeAt(t.tokStart[k]) === 64;
}

/** Whether token k may hold a `/` or `?` after its scheme (a quoted or escaped one may). */
function mayHaveUri(file: NginxContext['file'], k: number): boolean {
	const t = file.tree;
	if (t.tokFlags[k] !== 0) { return true; }
	const text = file.text;
	// after "http://" (7) or "https://" (8): the earliest a URI part can start
	for (let i = t.tokStart[k] + 7; i < t.tokEnd[k]; i++) {
		const c = text.charCodeAt(i);
		if (c === 47 || c === 63) { return true; }
	}
	return false;
}

/** Why `proxy_redirect default` (directive d) is refused, or undefined. */
function redirectDefault(ctx: NginxContext, d: number, contexts: readonly string[]): string | undefined {
	const t = ctx.file.tree;
	const f = runFacts(ctx);
	const block = t.dirParent[d];
	const placed = 'nginx stops with "proxy_redirect default" should be placed after the "proxy_pass" directive.';
	// proxy_pass stands only in locations: at the http and server level "default" has nothing to refer to
	if (!contexts.includes('http.location')) {
		return `"proxy_redirect default" rewrites what the proxy_pass of its own block sends, and at the ${contexts.includes('http') ? 'http' : 'server'} level there is none: ${placed} Write the redirect out (proxy_redirect http://backend/ /;), or put "proxy_redirect default" in the location after its proxy_pass.`;
	}
	// the top level of an included file: what comes before the include is out of sight
	if (block === 0 && contexts.some(c => c !== 'http' && c !== 'http.server')) { return undefined; }
	for (let p = t.blockFirst[block]; p >= 0 && p !== d; p = t.dirNext[p]) {
		// a file included before it may hold the proxy_pass
		if (f.ids[p] === INCLUDE) { return undefined; }
	}
	let pass = -1;
	for (let p = t.blockFirst[block]; p >= 0 && p !== d; p = t.dirNext[p]) {
		if (f.ids[p] === PROXY_PASS && t.dirBlock[p] < 0) { pass = p; }
	}
	if (pass < 0) {
		return `no proxy_pass stands before "proxy_redirect default" in this location: ${placed} Move it below the proxy_pass.`;
	}
	if (t.dirDollar[pass] && tokenText(ctx.file, t.dirTok[pass] + 1).includes('$')) {
		return `the proxy_pass before it is built from variables, so "default" has no fixed address to rewrite: nginx stops with "proxy_redirect default" cannot be used with "proxy_pass" directive with variables. Write the redirect out (proxy_redirect http://backend/ /;).`;
	}
	return undefined;
}
