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
import type { NginxFile } from '../../parser/nginx/nodes';
import type { RelatedLocation } from '../findings';
import { contextSetNames, directiveId, directiveIds, NameFilter, SetPredicate, tokenText } from './facts';
import { includeGraph, runFacts } from './fileContexts';
import type { IncludeEdge, NginxIncludeGraph } from './includes';
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

/** What restricts a URI part where a block stands: 'regex', 'named', 'if', 'limit_except', or undefined; for the top level of an included file, the include that puts it there. */
function restriction(ctx: NginxContext, block: number): { what: string; site?: IncludeEdge } | undefined {
	const t = ctx.file.tree;
	const f = runFacts(ctx);
	const owner = t.blockOwner[block];
	if (owner >= 0 && f.ids[owner] === LOCATION) {
		const m = locationModifier(ctx.file, owner);
		return m === '~' || m === '~*' ? { what: 'regex' } : m === '@' ? { what: 'named' } : undefined;
	}
	// an if or limit_except block
	if (IN_IF.has(f.blockSet[block])) { return { what: 'if' }; }
	if (IN_LIMIT_EXCEPT.has(f.blockSet[block])) { return { what: 'limit_except' }; }
	// the top level of an included file: where any of its includes stands (nginx reads it there)
	return block === 0 ? siteRestriction(includeGraph(ctx), ctx.uri, 0, new Set([ctx.uri])) : undefined;
}

/** The first include of a file that stands in a regex or named location, an if or a limit_except (through includes of includes). */
function siteRestriction(graph: NginxIncludeGraph, uri: string, depth: number, seen: Set<string>): { what: string; site: IncludeEdge } | undefined {
	if (depth > 8) { return undefined; }
	for (const e of graph.includersOf(uri)) {
		const from = graph.fileOf(e.from);
		if (!from) { continue; }
		const t = from.tree;
		const block = t.dirParent[e.index];
		const owner = t.blockOwner[block];
		if (owner >= 0) {
			const name = tokenText(from, t.dirTok[owner]);
			if (name === 'location') {
				const m = locationModifier(from, owner);
				if (m === '~' || m === '~*') { return { what: 'regex', site: e }; }
				if (m === '@') { return { what: 'named', site: e }; }
			} else if (name === 'if' || name === 'limit_except') {
				return { what: name, site: e };
			}
		} else if (!seen.has(e.from)) {
			seen.add(e.from);
			const r = siteRestriction(graph, e.from, depth + 1, seen);
			if (r) { return { what: r.what, site: e }; }
		}
	}
	return undefined;
}

/** Where an include stands, in words: `nginx.conf, line 12`. */
function siteWords(graph: NginxIncludeGraph, e: IncludeEdge): string {
	const from = graph.fileOf(e.from);
	const at = from ? from.tree.tokStart[from.tree.dirTok[e.index]] : 0;
	let line = 1;
	const text = from?.text ?? '';
	for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) { line++; }
	return `${e.from.slice(e.from.lastIndexOf('/') + 1)}, line ${line}`;
}

function siteRelated(graph: NginxIncludeGraph, e: IncludeEdge | undefined, message: string): RelatedLocation[] {
	const from = e && graph.fileOf(e.from);
	if (!e || !from) { return []; }
	const tok = from.token(from.tree.dirTok[e.index]);
	return [{ uri: e.from, offset: tok.offset, length: tok.length, message }];
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
			const graph = includeGraph(ctx);
			const via = where.site ? ` (${siteWords(graph, where.site)} includes this file there)` : '';
			// the quick fix writes the address alone (the quoted URL ends with the URI part)
			const bare = arg.value.slice(0, arg.value.length - uri.length);
			ctx.report({
				code: Codes.nginxMisplacedDirective, offset: arg.offset, length: arg.length,
				args: { detail: `"proxy_pass" cannot have a URI part ("${uri}") in ${WHERE[where.what]}${via}: nginx stops with "proxy_pass" cannot have URI part in location given by regular expression, or inside named location, or inside "if" statement, or inside "limit_except" block. Write it without the URI (proxy_pass keeps the request's URI), or rewrite the URI before it.` },
				related: siteRelated(graph, where.site, `this include reads the file in ${WHERE[where.what]}`),
				data: arg.quote ? undefined : { candidates: [bare] },
			});
		} else if (id === PROXY_REDIRECT) {
			if (t.dirArgc[d] !== 1 || !REDIRECT_CONTEXTS.has(set) || tokenText(file, t.dirTok[d] + 1) !== 'default') { continue; }
			const problem = redirectDefault(ctx, d, contextSetNames(set));
			if (!problem) { continue; }
			const at = file.token(t.dirTok[d] + 1);
			ctx.report({ code: Codes.nginxMisplacedDirective, offset: at.offset, length: at.length, args: { detail: problem.detail }, related: siteRelated(includeGraph(ctx), problem.site, 'nginx reads the file here') });
		} else if (id === ALIAS) {
			const owner = t.blockOwner[block];
			let site: IncludeEdge | undefined;
			if (block === 0) {
				const r = siteRestriction(includeGraph(ctx), ctx.uri, 0, new Set([ctx.uri]));
				if (r?.what !== 'named') { continue; }
				site = r.site;
			} else if (owner < 0 || f.ids[owner] !== LOCATION || !startsWithAt(file, t.dirTok[owner] + 1) || locationModifier(file, owner) !== '@') {
				continue;
			}
			const at = file.token(t.dirTok[d]);
			const graph = includeGraph(ctx);
			ctx.report({
				code: Codes.nginxMisplacedDirective, offset: at.offset, length: at.length,
				args: { detail: `"alias" cannot be used in a named location${site ? ` (${siteWords(graph, site)} includes this file in one)` : ''}: nginx stops with "the "alias" directive cannot be used inside the named location". Use root (a named location matches no URI prefix that alias could replace).` },
				related: siteRelated(graph, site, 'this include reads the file in a named location'),
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

type PassState = 'none' | 'plain' | 'variables' | 'unknown';

/**
 * The proxy_pass in effect at a level before directive `before` of block `block` (-1: the whole
 * block), once per place the file is read at when the block is its top level: the last proxy_pass
 * of the level, following includes. 'unknown' where an include cannot be read.
 */
function passStates(graph: NginxIncludeGraph, uri: string, file: NginxFile, block: number, before: number, depth: number, seen: Set<string>): { state: PassState; site?: IncludeEdge }[] {
	const local = scanPass(graph, uri, file, block, before, depth, seen);
	if (local !== 'none' || block !== 0) { return [{ state: local }]; }
	const includers = graph.includersOf(uri);
	if (!includers.length || depth > 8) { return [{ state: 'unknown' }]; }
	const out: { state: PassState; site?: IncludeEdge }[] = [];
	for (const e of includers) {
		const from = graph.fileOf(e.from);
		if (!from || seen.has(e.from)) { out.push({ state: 'unknown', site: e }); continue; }
		seen.add(e.from);
		for (const r of passStates(graph, e.from, from, from.tree.dirParent[e.index], e.index, depth + 1, seen)) { out.push({ state: r.state, site: e }); }
		seen.delete(e.from);
	}
	return out;
}

/** The last proxy_pass of block `block` before directive `before` (-1: all of it), includes followed. */
function scanPass(graph: NginxIncludeGraph, uri: string, file: NginxFile, block: number, before: number, depth: number, seen: Set<string>): PassState {
	const t = file.tree;
	const ids = directiveIds(file);
	let state: PassState = 'none';
	for (let p = t.blockFirst[block]; p >= 0 && p !== before; p = t.dirNext[p]) {
		if (t.dirBlock[p] >= 0) { continue; }
		if (ids[p] === PROXY_PASS) {
			state = t.dirDollar[p] && tokenText(file, t.dirTok[p] + 1).includes('$') ? 'variables' : 'plain';
		} else if (ids[p] === INCLUDE) {
			const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[p]]);
			if (!edge) { return 'unknown'; }
			// nginx's standard files hold no proxy_pass
			if (!edge.targets.length) {
				if (edge.standard || edge.glob) { continue; }
				return 'unknown';
			}
			for (const target of edge.targets) {
				const other = graph.fileOf(target);
				if (!other || seen.has(target) || depth > 8) { return 'unknown'; }
				seen.add(target);
				const r = scanPass(graph, target, other, 0, -1, depth + 1, seen);
				seen.delete(target);
				if (r === 'unknown') { return 'unknown'; }
				if (r !== 'none') { state = r; }
			}
		}
	}
	return state;
}

/** Why `proxy_redirect default` (directive d) is refused, or undefined. */
function redirectDefault(ctx: NginxContext, d: number, contexts: readonly string[]): { detail: string; site?: IncludeEdge } | undefined {
	const t = ctx.file.tree;
	const block = t.dirParent[d];
	const placed = 'nginx stops with "proxy_redirect default" should be placed after the "proxy_pass" directive.';
	// proxy_pass stands only in locations: at the http and server level "default" has nothing to refer to
	if (!contexts.includes('http.location')) {
		return { detail: `"proxy_redirect default" rewrites what the proxy_pass of its own block sends, and at the ${contexts.includes('http') ? 'http' : 'server'} level there is none: ${placed} Write the redirect out (proxy_redirect http://backend/ /;), or put "proxy_redirect default" in the location after its proxy_pass.` };
	}
	const graph = includeGraph(ctx);
	const states = passStates(graph, ctx.uri, ctx.file, block, d, 0, new Set([ctx.uri]));
	const none = states.find(s => s.state === 'none');
	if (none) {
		const where = none.site ? ` where ${siteWords(graph, none.site)} includes this file` : ' in this location';
		return { detail: `no proxy_pass stands before "proxy_redirect default"${where}: ${placed} Move it below the proxy_pass.`, site: none.site };
	}
	const variables = states.find(s => s.state === 'variables');
	if (variables) {
		return { detail: `the proxy_pass before it is built from variables, so "default" has no fixed address to rewrite: nginx stops with "proxy_redirect default" cannot be used with "proxy_pass" directive with variables. Write the redirect out (proxy_redirect http://backend/ /;).`, site: variables.site };
	}
	return undefined;
}
