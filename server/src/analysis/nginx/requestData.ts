/**
 * Request data flowing where it should not:
 * - nginx-host-spoofing: the client's raw Host header (`$http_host`) passed upstream as the host.
 *   A request line with an absolute URL (`GET http://site.example/ HTTP/1.1`) picks the server
 *   by that URL while `Host:` can say anything, so the application sees a host nginx never checked.
 * - nginx-ssrf: a `*_pass` whose host (or whole address) is built from request data — the client
 *   chooses where nginx connects: internal services, cloud metadata endpoints.
 * - nginx-response-splitting: a value that can hold a line break (`$uri`, `$document_uri` and
 *   captures of regexes matched against them, which nginx has already percent-decoded) written
 *   into a response header, a redirect or an upstream request: `%0d%0a` in the URL adds headers.
 */
import type { NginxDirective, NginxToken } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { captureSources } from './captures';
import { isUncheckable } from './fileContexts';
import { captureFor } from './regex';
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
	const tainted = setVariables(ctx, v => isRequestVariable(v.name) || /^\d$/.test(v.name));
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
			checkSsrf(ctx, d, tainted);
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
		if (v.name !== 'http_host') { continue; }
		const at = valueOffset(value, v.index);
		ctx.report({
			code: Codes.nginxHostSpoofing, offset: at ?? value.offset, length: at === undefined ? value.length : v.length,
			args: { name: key.value },
			data: at === undefined ? {} : { replacement: '$host' },
		});
	}
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

function checkSsrf(ctx: NginxContext, d: NginxDirective, tainted: ReadonlySet<string>): void {
	const target = d.args[0];
	const { start, end } = hostPart(d, target.value);
	const vars = variablesIn(target.value).filter(v => v.index >= start && v.index < end);
	if (!vars.length) { return; }
	const sources = captureSources(ctx, d);
	for (const v of vars) {
		let why: string | undefined;
		if (/^\d$/.test(v.name) || !isRequestVariable(v.name) && sources.nearest && captureFor(sources.nearest.info, v.name)) {
			// a capture: only a regex that lets the client write a host (dots, slashes, colons) is a hole
			const src = sources.nearest;
			const cap = src ? captureFor(src.info, v.name) : undefined;
			if (!src || !cap || !isRequestVariable(src.subject.replace(/^\$/, ''))) { continue; }
			if (!['.', '/', ':', '@'].some(ch => cap.canMatch(ch.charCodeAt(0)))) { continue; }
			why = `a capture of the regex matched against ${src.subject}`;
		} else if (isRequestVariable(v.name)) {
			why = `$${v.name} comes from the request`;
		} else if (tainted.has(v.name)) {
			why = `$${v.name} is set from request data`;
		}
		if (!why) { continue; }
		const at = valueOffset(target, v.index);
		ctx.report({
			code: Codes.nginxSsrf, offset: at ?? target.offset, length: at === undefined ? target.length : v.length,
			args: { name: d.name.value, why },
		});
		return;
	}
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
