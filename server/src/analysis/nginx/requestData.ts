/**
 * Request data flowing where it should not:
 * - nginx-host-spoofing: a host passed upstream (the Host or X-Forwarded-Host header, the
 *   HTTP_HOST, SERVER_NAME or HTTP_X_FORWARDED_HOST param) built from what the client sends
 *   and nginx never checked: the raw Host header (`$http_host`: a request line with an absolute
 *   URL, `GET http://site.example/ HTTP/1.1`, picks the server by that URL while `Host:` can say
 *   anything), a query argument, another header, a cookie, a capture of the URI. `$host` is the
 *   name nginx picked the server by, and stays quiet.
 * - nginx-ssrf: a `*_pass` whose host (or whole address) is built from request data — the client
 *   chooses where nginx connects: internal services, cloud metadata endpoints. Only the host
 *   counts: `http://backend$request_uri` keeps the host fixed (the URI starts with "/"), also
 *   through `set` variables, which are followed to their values.
 * - nginx-response-splitting: a value that can hold a line break (`$uri`, `$document_uri` and
 *   captures of regexes matched against them, which nginx has already percent-decoded) written
 *   into a response header, a redirect or an upstream request: `%0d%0a` in the URL adds headers.
 *
 * In an `internal;` location the URI and arguments are the internal redirect's, the client's only
 * when a redirect that lands there carries them (see internalRedirects.ts).
 */
import type { NginxDirective, NginxToken } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { captureSources } from './captures';
import { isUncheckable } from './fileContexts';
import { captureFor, type Capture } from './regex';
import { Memo } from '../../utils/memo';
import { requestOrigin, requestPart } from './internalRedirects';
import { valueOffset, variablesIn } from './scope';
import { directiveIds, directivesWithDollar, IdPredicate, mayBeOneOf, NameFilter } from './facts';

const SET = new NameFilter(['set']);

/** Variables whose value the client chooses (prefixes end with `_`). */
const REQUEST_PREFIXES = ['http_', 'arg_', 'cookie_', 'sent_http_'];
const REQUEST_VARIABLES: ReadonlySet<string> = new Set(['args', 'query_string', 'request_uri', 'uri', 'document_uri', 'request', 'request_body', 'host', 'http_host', 'is_args', 'request_filename', 'fastcgi_path_info']);
/** Variables that only carry the path or query of the URL: after a host they are the path. */
const PATH_VARIABLES: ReadonlySet<string> = new Set(['request_uri', 'uri', 'document_uri', 'args', 'query_string', 'is_args']);
/** Variables nginx percent-decodes, so they can hold CR and LF. */
const DECODED_VARIABLES: ReadonlySet<string> = new Set(['uri', 'document_uri']);

const LF = 10;

export function isRequestVariable(name: string): boolean {
	return REQUEST_VARIABLES.has(name) || REQUEST_PREFIXES.some(p => name.startsWith(p));
}

/** The directives the checks below look at: host headers and params, passes, and where a value reaches a header (headerValue). */
const CHECKED = new IdPredicate(name => name === 'proxy_set_header' || name === 'grpc_set_header' || name.endsWith('_param') || name.endsWith('_pass')
	|| name === 'add_header' || name === 'add_trailer' || name === 'return' || name === 'rewrite');

export function checkRequestData(ctx: NginxContext): void {
	const withNewline = setVariables(ctx, (v, d) => newlineVariable(ctx, d, v.name));
	// every check here is about variables: only directives with a `$` in an argument can fire
	const t = ctx.file.tree;
	const ids = directiveIds(ctx.file);
	for (const index of directivesWithDollar(ctx.file)) {
		if (!CHECKED.has(ids[index], () => ctx.file.token(t.dirTok[index]).value)) { continue; }
		// a `*_param` can only spoof the host, through a host param as its key: most params
		// (`uwsgi_param HTTP_X_ITEM $id`) are passed over on the tree, without a view
		if (PARAM.has(ids[index], () => ctx.file.token(t.dirTok[index]).value) && !mayBeHostParam(ctx.file, index)) { continue; }
		const d = ctx.file.directive(index);
		const name = d.name.value;
		if (!d.args.length || isUncheckable(ctx, d)) { continue; }
		if (name === 'proxy_set_header' || name === 'grpc_set_header' || name.endsWith('_param')) {
			checkHostSpoofing(ctx, d);
		}
		if (name.endsWith('_pass') && d.args.length === 1) {
			checkSsrf(ctx, d);
		}
		checkSplitting(ctx, d, withNewline);
	}
}

const HOST_HEADERS = new Set(['host', 'x-forwarded-host']);
const HOST_PARAMS = new Set(['HTTP_HOST', 'SERVER_NAME', 'HTTP_X_FORWARDED_HOST']);

/** Names of the params (`uwsgi_param`, `fastcgi_param`, ...): checkHostSpoofing is all that reads them. */
const PARAM = new IdPredicate(name => name.endsWith('_param'));

/** Whether a param directive (by index) has a value and a key that is, or may be, a host param (a quoted key is not read here). */
function mayBeHostParam(file: NginxContext['file'], d: number): boolean {
	const t = file.tree;
	return t.dirArgc[d] >= 2 && mayBeOneOf(file, t.dirTok[d] + 1, HOST_PARAMS);
}

function checkHostSpoofing(ctx: NginxContext, d: NginxDirective): void {
	const [key, value] = d.args;
	if (!value) { return; }
	const header = d.name.value.endsWith('_header') ? HOST_HEADERS.has(key.value.toLowerCase()) : HOST_PARAMS.has(key.value);
	if (!header) { return; }
	for (const v of variablesIn(value.value)) {
		const why = hostFromClient(ctx, d, v.name, 0, new Set());
		if (!why) { continue; }
		const at = valueOffset(value, v.index);
		ctx.report({
			code: Codes.nginxHostSpoofing, offset: at ?? value.offset, length: at === undefined ? value.length : v.length,
			args: { name: key.value, variable: `$${v.name}`, why },
			data: at === undefined ? {} : { replacement: '$host' },
		});
	}
}

/** Why the client chooses `$name` where `site` runs, as a host, or undefined (`$host` is the name nginx picked the server by). */
function hostFromClient(ctx: NginxContext, site: NginxDirective, name: string, depth: number, seen: Set<string>): string | undefined {
	if (name === 'host') { return undefined; }
	if (name === 'http_host') { return 'the Host header exactly as the client sent it: with an absolute URL in the request line nginx picks the server by that URL, not by the header'; }
	const chosen = clientChosen(ctx, site, name);
	if (chosen) { return canHoldHost(chosen.capture) ? chosen.kind : undefined; }
	const defs = definitionsAt(ctx, site, name.toLowerCase());
	if (!defs || depth >= MAX_SET_DEPTH || seen.has(name)) { return undefined; }
	seen.add(name);
	for (const def of defs) {
		for (const v of variablesIn(def.args[1].value)) {
			const inner = hostFromClient(ctx, def, v.name, depth + 1, seen);
			if (inner) { return `set from request data ($${v.name})`; }
		}
	}
	return undefined;
}

/** A capture the regex keeps to letters and digits (`([0-9]+)`) cannot hold a host of the client's choosing. */
function canHoldHost(capture: Capture | undefined): boolean {
	return !capture || ['.', '/', ':', '@'].some(ch => capture.canMatch(ch.charCodeAt(0)));
}

/** How deep `set` variables are followed to their values. */
const MAX_SET_DEPTH = 4;

/** The `set` directives of the file by variable name (lower case: nginx variable names are). */
const setIndexes = new Memo<NginxContext, Map<string, NginxDirective[]>>();

/**
 * The `set` directives that give `$name` its value where `site` runs: those of the site's own
 * levels (its block, the blocks around it, and `if` blocks in them) when there are any — a `set`
 * of another location does not run for this request — else every `set` of the file (the value
 * may come from a level that redirected here).
 */
function definitionsAt(ctx: NginxContext, site: NginxDirective, name: string): NginxDirective[] | undefined {
	const all = setDefinitions(ctx).get(name);
	if (!all || all.length === 1) { return all; }
	const t = ctx.file.tree;
	const levels = new Set<number>();
	for (let b = site.parent, n = 0; n < 64; n++) {
		levels.add(b);
		const owner = t.blockOwner[b];
		if (owner < 0) { break; }
		b = t.dirParent[owner];
	}
	const here = all.filter(d => {
		if (levels.has(d.parent)) { return true; }
		const owner = t.blockOwner[d.parent];
		return owner >= 0 && ctx.file.token(t.dirTok[owner]).value === 'if' && levels.has(t.dirParent[owner]);
	});
	return here.length ? here : all;
}

function setDefinitions(ctx: NginxContext): Map<string, NginxDirective[]> {
	let m = setIndexes.get(ctx);
	if (!m) {
		m = new Map();
		for (const d of SET.in(ctx.file)) {
			if (d.args.length !== 2 || !d.args[0].value.startsWith('$')) { continue; }
			const name = d.args[0].value.slice(1).replace(/^\{(.*)\}$/, '$1').toLowerCase();
			const list = m.get(name);
			if (list) { list.push(d); } else { m.set(name, [d]); }
		}
		setIndexes.set(ctx, m);
	}
	return m;
}

/**
 * Whether the client chooses `$name` where `site` runs: request data (not the URI or arguments of
 * an internal location no client redirect reaches), or a capture of a regex matched against it.
 * `capture`: the capture, to ask what it can match.
 */
function clientChosen(ctx: NginxContext, site: NginxDirective, name: string): { kind: string; why: string; capture?: Capture } | undefined {
	if (/^\d$/.test(name) || !isRequestVariable(name)) {
		const src = captureSources(ctx, site).nearest;
		const cap = src ? captureFor(src.info, name) : undefined;
		if (!src || !cap) { return undefined; }
		const subject = src.subject.replace(/^\$/, '');
		if (!isRequestVariable(subject) || !fromClientHere(ctx, site, subject)) { return undefined; }
		return { kind: `a capture of the regex matched against ${src.subject}, which the client writes`, why: `a capture of the regex matched against ${src.subject}`, capture: cap };
	}
	if (!fromClientHere(ctx, site, name)) { return undefined; }
	return { kind: kindWords(name), why: `$${name} comes from the request` };
}

function kindWords(name: string): string {
	if (name.startsWith('arg_') || name === 'args' || name === 'query_string') { return 'a query argument the client writes'; }
	if (name.startsWith('cookie_')) { return 'a cookie the client writes'; }
	if (name.startsWith('http_')) { return 'a request header the client writes'; }
	return 'part of the request the client writes';
}

/** Whether a request variable holds the client's data where `site` runs (see internalRedirects.ts). */
function fromClientHere(ctx: NginxContext, site: NginxDirective, name: string): boolean {
	const part = requestPart(name);
	return !part || requestOrigin(ctx, site)[part];
}

/** Names of `set` variables whose value is built from variables `bad` accepts (followed through chains of set). */
function setVariables(ctx: NginxContext, bad: (v: { name: string }, d: NginxDirective) => boolean): Set<string> {
	const out = new Set<string>();
	const sets = SET.in(ctx.file).filter(d => d.args.length === 2);
	for (let round = 0; round < 3; round++) {
		for (const d of sets) {
			const target = d.args[0].value.replace(/^\$/, '');
			if (out.has(target)) { continue; }
			if (variablesIn(d.args[1].value).some(v => out.has(v.name) || bad(v, d))) { out.add(target); }
		}
	}
	return out;
}

/** The host part of a pass target: the whole address for uwsgi/fastcgi/scgi/memcached, else what comes before the path. */
function hostPart(d: NginxDirective, value: string): { start: number; end: number } {
	const scheme = /^[a-z]+:\/\//i.exec(value);
	if (!scheme || (d.name.value !== 'proxy_pass' && d.name.value !== 'grpc_pass')) { return { start: 0, end: value.length }; }
	const start = scheme[0].length;
	let end = value.indexOf('/', start);
	if (end < 0) { end = value.length; }
	// `http://backend$request_uri`: a path variable after the host starts the path
	for (const v of variablesIn(value.slice(start, end))) {
		if (PATH_VARIABLES.has(v.name) && v.index > 0) { end = Math.min(end, start + v.index); break; }
	}
	return { start, end };
}

/**
 * Where a target's text stands while it is read: before `scheme://`, just after a variable that
 * may have brought the scheme and host (`$backend` from a map), in the host, in the path.
 */
const SCHEME = 0;
const AFTER_VARIABLE = 1;
const HOST = 2;
const PATH = 3;

/** Variables whose value starts with "/": after a host, the path begins. */
const SLASH_VARIABLES: ReadonlySet<string> = new Set(['request_uri', 'uri', 'document_uri']);

interface Walk {
	readonly state: number;
	readonly why?: string;
	readonly at?: { readonly index: number; readonly length: number };
}

/** Reads a target value from `state`: where it ends, or why its host is the client's (and the variable that makes it so). */
function walkTarget(ctx: NginxContext, site: NginxDirective, value: string, state: number, whole: boolean, depth: number, seen: Set<string>): Walk {
	let pos = 0;
	for (const v of variablesIn(value)) {
		state = afterLiteral(value.slice(pos, v.index), state, whole);
		if (state === PATH) { return { state }; }
		const r = afterVariable(ctx, site, v.name, state, whole, depth, seen);
		if (r.why) { return { state, why: r.why, at: v }; }
		state = r.state;
		if (state === PATH) { return { state }; }
		pos = v.index + v.length;
	}
	return { state: afterLiteral(value.slice(pos), state, whole) };
}

function afterLiteral(text: string, state: number, whole: boolean): number {
	if (!text) { return state; }
	if (whole) { return HOST; }
	let rest = text;
	if (state === SCHEME) {
		const i = rest.indexOf('://');
		if (i < 0) { return SCHEME; }
		rest = rest.slice(i + 3);
	} else if (state === AFTER_VARIABLE && rest.startsWith('://')) {
		rest = rest.slice(3);
	}
	return /[/?]/.test(rest) ? PATH : HOST;
}

function afterVariable(ctx: NginxContext, site: NginxDirective, name: string, state: number, whole: boolean, depth: number, seen: Set<string>): Walk {
	const lower = name.toLowerCase();
	const unknown = state === SCHEME ? AFTER_VARIABLE : state;
	if (!whole && state !== SCHEME && (SLASH_VARIABLES.has(lower) || lower === 'is_args')) { return { state: PATH }; }
	const chosen = clientChosen(ctx, site, name);
	if (chosen) {
		if (!canHoldHost(chosen.capture)) { return { state: unknown }; }
		return { state, why: chosen.why };
	}
	const defs = definitionsAt(ctx, site, lower);
	if (!defs || depth >= MAX_SET_DEPTH || seen.has(lower)) { return { state: unknown }; }
	seen.add(lower);
	let end = PATH;
	for (const def of defs) {
		const r = walkTarget(ctx, def, def.args[1].value, state, whole, depth + 1, seen);
		if (r.why) {
			seen.delete(lower);
			return { state, why: `$${name} is set from request data` };
		}
		end = Math.min(end, r.state === SCHEME && def.args[1].value ? AFTER_VARIABLE : r.state);
	}
	seen.delete(lower);
	return { state: end };
}

function checkSsrf(ctx: NginxContext, d: NginxDirective): void {
	const target = d.args[0];
	// only proxy_pass and grpc_pass take a URL; the other passes are an address through and through
	const whole = d.name.value !== 'proxy_pass' && d.name.value !== 'grpc_pass';
	const r = walkTarget(ctx, d, target.value, whole ? HOST : SCHEME, whole, 0, new Set());
	if (!r.why || !r.at) { return; }
	const at = valueOffset(target, r.at.index);
	ctx.report({
		code: Codes.nginxSsrf, offset: at ?? target.offset, length: at === undefined ? target.length : r.at.length,
		args: { name: d.name.value, why: r.why },
	});
}

/** Whether `$name` can hold a line break where `d` uses it. */
function newlineVariable(ctx: NginxContext, d: NginxDirective, name: string): boolean {
	if (DECODED_VARIABLES.has(name)) { return true; }
	const src = captureSources(ctx, d).nearest;
	if (!src) { return false; }
	const cap = captureFor(src.info, name);
	if (!cap) { return false; }
	return DECODED_VARIABLES.has(src.subject.replace(/^\$/, '')) && cap.canMatch(LF);
}

const REDIRECT_CODES = new Set(['301', '302', '303', '307', '308']);

/** The argument of `d` whose value ends up in a header or a request line, if any. */
function headerValue(d: NginxDirective): NginxToken | undefined {
	const name = d.name.value;
	const a = d.args;
	switch (name) {
		case 'add_header': case 'add_trailer': case 'proxy_set_header': case 'grpc_set_header':
			return a[1];
		case 'return':
			if (a.length === 2 && REDIRECT_CODES.has(a[0].value)) { return a[1]; }
			return a.length === 1 && !/^\d+$/.test(a[0].value) ? a[0] : undefined;
		case 'rewrite': {
			const flag = a[2]?.value;
			const repl = a[1];
			if (!repl) { return undefined; }
			return flag === 'redirect' || flag === 'permanent' || /^(https?:\/\/|\$scheme)/.test(repl.value) ? repl : undefined;
		}
		default:
			return undefined;
	}
}

function checkSplitting(ctx: NginxContext, d: NginxDirective, withNewline: ReadonlySet<string>): void {
	let token = headerValue(d);
	let from = 0;
	if (!token && d.name.value === 'proxy_pass' && d.args.length === 1) {
		token = d.args[0];
		from = hostPart(d, token.value).end;
	}
	if (!token) { return; }
	for (const v of variablesIn(token.value)) {
		if (v.index < from) { continue; }
		if (!withNewline.has(v.name) && !newlineVariable(ctx, d, v.name)) { continue; }
		const at = valueOffset(token, v.index);
		ctx.report({
			code: Codes.nginxResponseSplitting, offset: at ?? token.offset, length: at === undefined ? token.length : v.length,
			args: { variable: `$${v.name}`, where: d.name.value === 'proxy_pass' || d.name.value.endsWith('_set_header') ? 'the request sent upstream' : 'the response headers' },
		});
		return;
	}
}
