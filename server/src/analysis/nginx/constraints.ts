/**
 * nginx-invalid-value, for the values of single directives that the slot data does not describe:
 * the checks nginx's post handlers and custom setters make (1.22), each verified against the real
 * `nginx -t` (test/integration/nginxT.test.ts):
 *
 * - `gzip_window` 512 … 32k and `gzip_hash` 512 … 128k, powers of two ("must be 512, 1k, …");
 * - `connection_pool_size`, `request_pool_size`, `http2_pool_size` at least 112 and a multiple of
 *   16 ("the pool size must be no less than 112");
 * - `http2_streams_index_size` a power of two, `http2_chunk_size` not 0;
 * - `index` with an empty name; `error_page` codes 300-599 (not 499) and `=code`;
 * - `access_log` with `flush=` but no buffer, or a buffer (`buffer=`, `gzip`) on a path with
 *   variables or on syslog;
 * - the variable a `set`, `map`, `geo`, `split_clients`, `auth_request_set`, `js_set`, `js_var`
 *   defines: `$` and a name ("invalid variable name");
 * - numbers read by custom setters: `worker_processes` (auto or a number), `worker_connections`,
 *   `worker_priority`, `keepalive` in an upstream, `limit_conn` (1-65535),
 *   `image_filter_jpeg_quality`/`_webp_quality` (above 0), `use` (an event method nginx has);
 * - `variables_hash_max_size`/`_bucket_size` 0, `map_hash_max_size`/`_bucket_size` 0 with a map
 *   that has entries to hash;
 * - `*_cache_path` parameters; `rewrite` flags, `add_header … always`,
 *   `limit_except` methods, `http2_recv_buffer_size`, `valid_referers` with only none/blocked.
 *   (Two caches on one folder: nginx-conflicting-declaration; upstreams of backup servers only:
 *   nginx-empty-upstream.)
 */
import { TERM_MISSING, TOKEN_DOUBLE_QUOTED, TOKEN_SINGLE_QUOTED } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { contextSetNames, DIRECTIVE_IDS, directiveFacts, directiveId, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { parseSize } from './buffers';
import { isNumber, isSize, parseTime } from './values';

/** A problem with argument `arg` (0-based) of a directive, in our words and nginx's. */
interface Problem { readonly arg: number; readonly detail: string }

/** The arguments of directive d as strings (only the directives a rule reads). */
type Args = readonly string[];

type Rule = (args: Args, contexts: readonly string[], ctx: NginxContext, d: number) => Problem | undefined;

const digits = /^\d+$/;
const says = (what: string) => `nginx stops with ${what}`;

function powerOfTwoSizes(name: string, max: number, list: string): Rule {
	return args => {
		const n = parseSize(args[0] ?? '');
		if (n === undefined) { return undefined; }
		for (let s = 512; s <= max; s *= 2) {
			if (s === n) { return undefined; }
		}
		return { arg: 0, detail: `${args[0]} is not one of ${list}: ${says(`"${name}" directive must be ${list}`)}.` };
	};
}

const poolSize: Rule = args => {
	const n = parseSize(args[0] ?? '');
	if (n === undefined) { return undefined; }
	if (n < 112) { return { arg: 0, detail: `${args[0]} is too small for a memory pool: ${says('"the pool size must be no less than 112"')}. Use at least 112 (the default is fine for nearly every setup).` }; }
	if (n % 16 !== 0) { return { arg: 0, detail: `${args[0]} is not a multiple of 16: ${says('"the pool size must be a multiple of 16"')}.` }; }
	return undefined;
};

/** The name a directive defines as a variable: `$` and at least one character. */
function variableName(index: (args: Args) => number): Rule {
	return args => {
		const i = index(args);
		const v = args[i];
		if (v === undefined || (v.length > 1 && v[0] === '$')) { return undefined; }
		return { arg: i, detail: `"${v}" is no variable name (a "$" and a name, such as $backend): ${says(`invalid variable name "${v}"`)}.` };
	};
}

const positive = (message: (v: string) => string): Rule => args => {
	const v = args[0];
	if (v === undefined || v.includes('$') || (digits.test(v) && Number(v) > 0)) { return undefined; }
	return { arg: 0, detail: `"${v}" is not a whole number above 0: ${says(message(v))}.` };
};

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'MKCOL', 'COPY', 'MOVE', 'OPTIONS', 'PROPFIND', 'PROPPATCH', 'LOCK', 'UNLOCK', 'PATCH']);
const REWRITE_FLAGS = new Set(['last', 'break', 'redirect', 'permanent']);

/** The third argument of add_header/add_trailer: only "always". */
function always(args: Args): Problem | undefined {
	return args.length === 3 && args[2] !== 'always' ? { arg: 2, detail: `"${args[2]}" is not "always", the only parameter after the value: ${says(`invalid parameter "${args[2]}"`)}.` } : undefined;
}

const KEEPALIVE = positive(v => `invalid value "${v}" in "keepalive" directive`);

/** Event methods any platform's nginx has (the platform's own are checked by the machine). */
const EVENT_METHODS = new Set(['select', 'poll', 'epoll', 'kqueue', 'eventport', '/dev/poll', 'devpoll', 'iocp', 'rtsig', 'aio']);

/** `levels=` of a cache path: up to three levels of 1 or 2 characters, separated by ":" (empty is fine). */
function validLevels(v: string): boolean {
	return v === '' || /^[12](:[12]){0,2}$/.test(v);
}

const TIME_PARAMS: Readonly<Record<string, boolean>> = {
	'inactive=': true, 'loader_sleep=': false, 'loader_threshold=': false, 'manager_sleep=': false, 'manager_threshold=': false,
};

/** `*_cache_path path [parameters]`: the parameters ngx_http_file_cache_set_slot reads, and keys_zone, which it needs. */
const cachePath: Rule = (args, _contexts, ctx, d) => {
	const name = tokenText(ctx.file, ctx.file.tree.dirTok[d]);
	let zone = false;
	const bad = (i: number, said: string, why: string): Problem => ({ arg: i, detail: `${why}: ${says(said)}.` });
	for (let i = 1; i < args.length; i++) {
		const p = args[i];
		const eq = p.indexOf('=');
		const key = eq < 0 ? p : p.slice(0, eq + 1);
		const v = eq < 0 ? '' : p.slice(eq + 1);
		if (key === 'levels=') {
			if (!validLevels(v)) { return bad(i, `invalid "levels" "${p}"`, `"${v}" is not a levels value such as 1:2 (up to three levels of 1 or 2 characters)`); }
		} else if (key === 'use_temp_path=') {
			if (v !== 'on' && v !== 'off') { return bad(i, `invalid use_temp_path value "${p}", it must be "on" or "off"`, `use_temp_path takes on or off`); }
		} else if (key === 'keys_zone=') {
			const colon = v.indexOf(':');
			const size = colon < 0 || !isSize(v.slice(colon + 1), false) ? undefined : parseSize(v.slice(colon + 1));
			if (size === undefined) { return bad(i, `invalid keys zone size "${p}"`, `keys_zone takes a name and a size, such as keys_zone=cache:10m`); }
			if (size < 8192) { return bad(i, `keys zone "${p}" is too small`, `a keys zone needs at least 8k`); }
			if (colon > 0) { zone = true; }
		} else if (key in TIME_PARAMS) {
			if (parseTime(v, TIME_PARAMS[key]) === undefined) { return bad(i, `invalid ${key.slice(0, -1)} value "${p}"`, `"${v}" is not a time such as ${TIME_PARAMS[key] ? '10m' : '200ms'}`); }
		} else if (key === 'max_size=' || key === 'min_free=') {
			if (!isSize(v, true)) { return bad(i, `invalid ${key.slice(0, -1)} value "${p}"`, `"${v}" is not a size such as 10g`); }
		} else if (key === 'loader_files=' || key === 'manager_files=') {
			if (!isNumber(v)) { return bad(i, `invalid ${key.slice(0, -1)} value "${p}"`, `"${v}" is not a whole number`); }
		} else {
			return bad(i, `invalid parameter "${p}"`, `"${p}" is no parameter of ${name} (levels=, keys_zone=, inactive=, max_size=, min_free=, use_temp_path=, loader_*=, manager_*=)`);
		}
	}
	return zone ? undefined : { arg: 0, detail: `a cache needs a shared memory zone for its keys: ${says(`"${name}" must have "keys_zone" parameter`)}. Add keys_zone=name:10m.` };
};

/**
 * limit_req_zone KEY zone=NAME:SIZE rate=Nr/s and limit_conn_zone KEY zone=NAME:SIZE: after the
 * key, only these parameters; a name, a size of at least 32k (8 pages), a whole rate above 0 per
 * second or per minute.
 */
function limitZone(name: string, rate: boolean): Rule {
	return args => {
		let zone = false;
		for (let i = 1; i < args.length; i++) {
			const p = args[i];
			if (p.startsWith('zone=')) {
				const v = p.slice(5);
				const colon = v.indexOf(':');
				if (colon <= 0) {
					if (colon === 0) { return { arg: i, detail: `the zone has no name: ${says(`"${name}" must have "zone" parameter`)}. Write zone=name:10m.` }; }
					return { arg: i, detail: `"${p}" has no size: ${says(`invalid zone size "${p}"`)}. Write zone=${v || 'name'}:10m.` };
				}
				const size = isSize(v.slice(colon + 1), false) ? parseSize(v.slice(colon + 1)) : undefined;
				if (size === undefined) { return { arg: i, detail: `"${v.slice(colon + 1)}" is not a size such as 10m: ${says(`invalid zone size "${p}"`)}.` }; }
				if (size < 32768) { return { arg: i, detail: `a zone needs at least 32k: ${says(`zone "${p}" is too small`)}.` }; }
				zone = true;
			} else if (rate && p.startsWith('rate=')) {
				if (!/^rate=0*[1-9]\d*r\/[sm]$/.test(p)) { return { arg: i, detail: `"${p.slice(5)}" is not a rate such as 10r/s or 30r/m (a whole number above 0, per second or per minute): ${says(`invalid rate "${p}"`)}.` }; }
			} else {
				return { arg: i, detail: `"${p}" is no parameter of ${name} (${rate ? 'zone=name:size and rate=Nr/s' : 'zone=name:size'}, after the key): ${says(`invalid parameter "${p}"`)}.` };
			}
		}
		return zone ? undefined : { arg: 0, detail: `a ${name} needs its zone: ${says(`"${name}" must have "zone" parameter`)}. Add zone=name:10m.` };
	};
}

const RULES: Readonly<Record<string, Rule>> = {
	limit_req_zone: limitZone('limit_req_zone', true),
	limit_conn_zone: limitZone('limit_conn_zone', false),
	js_import: args => (args.length === 3 && args[1] !== 'from' ? { arg: 1, detail: `js_import reads "js_import name from file;" or "js_import file;": ${says(`invalid parameter "${args[1]}"`)}.` } : undefined),
	gzip_window: powerOfTwoSizes('gzip_window', 32 * 1024, '512, 1k, 2k, 4k, 8k, 16k, or 32k'),
	gzip_hash: powerOfTwoSizes('gzip_hash', 128 * 1024, '512, 1k, 2k, 4k, 8k, 16k, 32k, 64k, or 128k'),
	connection_pool_size: poolSize,
	request_pool_size: poolSize,
	http2_pool_size: poolSize,
	http2_streams_index_size: args => {
		const v = args[0];
		if (!v || !digits.test(v)) { return undefined; }
		const n = Number(v);
		return n > 0 && (n & (n - 1)) === 0 ? undefined : { arg: 0, detail: `${v} is not a power of two (1, 2, 4, 8, …): ${says('"http2_streams_index_size" directive must be a power of two')}.` };
	},
	http2_chunk_size: args => (parseSize(args[0] ?? '') === 0 ? { arg: 0, detail: `a chunk size of 0 would never send a byte: ${says('"the http2 chunk size cannot be zero"')}.` } : undefined),
	index: args => {
		const i = args.indexOf('');
		return i < 0 ? undefined : { arg: i, detail: `an empty file name is no index: ${says(`index "${args[0]}" in "index" directive is invalid`)}. Remove it.` };
	},
	error_page: args => {
		const last = args.length - 1;
		let codes = last;
		const eq = args[last - 1];
		if (eq !== undefined && eq.startsWith('=')) {
			if (last - 1 === 0 || (eq.length > 1 && !digits.test(eq.slice(1)))) {
				return { arg: last - 1, detail: `"${eq}" is not a response code to answer with (=404, or = alone): ${says(`invalid value "${eq}"`)}.` };
			}
			codes = last - 1;
		}
		for (let i = 0; i < codes; i++) {
			const v = args[i];
			if (!digits.test(v) || v === '499') { return { arg: i, detail: `"${v}" is not an HTTP status code error_page can catch: ${says(`invalid value "${v}"`)}.` }; }
			const n = Number(v);
			if (n < 300 || n > 599) { return { arg: i, detail: `${v} is not between 300 and 599: ${says(`value "${v}" must be between 300 and 599`)}.` }; }
		}
		return undefined;
	},
	access_log: args => {
		if (args.length < 3) { return undefined; }
		let buffer = false;
		let flush = -1;
		for (let i = 2; i < args.length; i++) {
			const p = args[i];
			if (p.startsWith('buffer=')) {
				const n = parseSize(p.slice(7));
				if (n === undefined || n === 0) { return { arg: i, detail: `"${p.slice(7)}" is not a buffer size such as 32k: ${says(`invalid buffer size "${p.slice(7)}"`)}.` }; }
				buffer = true;
			} else if (p === 'gzip' || p.startsWith('gzip=')) {
				buffer = true;
			} else if (p.startsWith('flush=')) {
				flush = i;
			}
		}
		if (flush >= 0 && !buffer) {
			return { arg: flush, detail: `flush= needs a buffer to flush: ${says(`no buffer is defined for access_log "${args[0]}"`)}. Add buffer=32k (or gzip), or remove flush.` };
		}
		if (buffer && args[0].startsWith('syslog:')) {
			return { arg: 0, detail: `a log sent to syslog cannot be buffered: ${says('"logs to syslog cannot be buffered"')}. Remove buffer= and gzip.` };
		}
		if (buffer && args[0].includes('$')) {
			return { arg: 0, detail: `a log file whose name holds variables cannot be buffered: ${says('"buffered logs cannot have variables in name"')}. Remove buffer= and gzip, or use a fixed file name.` };
		}
		return undefined;
	},
	set: variableName(() => 0),
	auth_request_set: variableName(() => 0),
	js_set: variableName(() => 0),
	js_var: variableName(() => 0),
	map: variableName(() => 1),
	split_clients: variableName(() => 1),
	geo: variableName(args => args.length - 1),
	worker_processes: args => {
		const v = args[0];
		return v === undefined || v === 'auto' || digits.test(v) ? undefined : { arg: 0, detail: `"${v}" is neither "auto" nor a number: ${says('"worker_processes" directive invalid value')}.` };
	},
	worker_connections: args => {
		const v = args[0];
		return v === undefined || digits.test(v) ? undefined : { arg: 0, detail: `"${v}" is not a whole number: ${says(`invalid number "${v}"`)}.` };
	},
	worker_priority: args => {
		const v = args[0];
		return v === undefined || /^[-+]?\d+$/.test(v) ? undefined : { arg: 0, detail: `"${v}" is not a nice value such as -5: ${says('"worker_priority" directive invalid number')}.` };
	},
	keepalive: (args, contexts, ctx, d) => (contexts.every(c => c === 'http.upstream') ? KEEPALIVE(args, contexts, ctx, d) : undefined),
	image_filter_jpeg_quality: positive(v => `invalid value "${v}"`),
	image_filter_webp_quality: positive(v => `invalid value "${v}"`),
	limit_conn: args => {
		const v = args[1];
		if (v === undefined || v.includes('$')) { return undefined; }
		if (!digits.test(v) || Number(v) === 0) { return { arg: 1, detail: `"${v}" is not a number of connections above 0: ${says(`invalid number of connections "${v}"`)}.` }; }
		return Number(v) > 65535 ? { arg: 1, detail: `${v} is above the limit of 65535: ${says('"connection limit must be less 65536"')}.` } : undefined;
	},
	use: args => {
		const v = args[0];
		return v === undefined || EVENT_METHODS.has(v) ? undefined : { arg: 0, detail: `"${v}" is no event method (epoll, poll, select on Linux; kqueue on BSD): ${says(`invalid event type "${v}"`)}. nginx picks the best one itself: remove the line.` };
	},
	proxy_cache_path: cachePath,
	fastcgi_cache_path: cachePath,
	uwsgi_cache_path: cachePath,
	scgi_cache_path: cachePath,
	http2_recv_buffer_size: args => {
		const n = parseSize(args[0] ?? '');
		return n === undefined || n > 32 ? undefined : { arg: 0, detail: `${args[0]} is too small for the HTTP/2 read buffer (more than 32 bytes): ${says('"http2_recv_buffer_size" directive value is too small')}.` };
	},

	limit_except: args => {
		const i = args.findIndex(m => !HTTP_METHODS.has(m.toUpperCase()));
		return i < 0 ? undefined : { arg: i, detail: `"${args[i]}" is no HTTP method nginx knows (${[...HTTP_METHODS].join(', ')}): ${says(`invalid method "${args[i]}"`)}.` };
	},
	rewrite: args => (args.length === 3 && !REWRITE_FLAGS.has(args[2]) ? { arg: 2, detail: `"${args[2]}" is no flag of rewrite (last, break, redirect, permanent; in lower case): ${says(`invalid parameter "${args[2]}"`)}.` } : undefined),
	add_header: args => always(args),
	add_trailer: args => always(args),
	variables_hash_max_size: zeroHash('variables_hash', 'max_size'),
	variables_hash_bucket_size: zeroHash('variables_hash', 'bucket_size'),
	map_hash_max_size: zeroHash('map_hash', 'max_size', true),
	map_hash_bucket_size: zeroHash('map_hash', 'bucket_size', true),
};

/** A hash size of 0: nginx cannot build the hash (a map's only when some map of the level has entries to hash). */
function zeroHash(hash: string, which: string, needsMap = false): Rule {
	return (args, _contexts, ctx, d) => {
		if (args[0] !== '0' || (needsMap && !levelHasMapEntries(ctx, d))) { return undefined; }
		return { arg: 0, detail: `nginx cannot build the ${hash.replace('_', ' ')} with a ${which.replace('_', ' ')} of 0: ${says(`could not build ${hash}, you should increase ${hash}_${which}: 0`)}. Remove the line (the default fits), or raise it.` };
	};
}

const MAP = directiveId('map');

/** Whether a map block at the level of directive d has an entry nginx hashes (not a regex, not default, hostnames, include, volatile). */
function levelHasMapEntries(ctx: NginxContext, d: number): boolean {
	const t = ctx.file.tree;
	const ids = runFacts(ctx).ids;
	for (let m = t.blockFirst[t.dirParent[d]]; m >= 0; m = t.dirNext[m]) {
		if (ids[m] !== MAP || t.dirBlock[m] < 0) { continue; }
		const body = t.dirBlock[m];
		for (let e = t.blockFirst[body]; e >= 0; e = t.dirNext[e]) {
			const key = tokenText(ctx.file, t.dirTok[e]);
			if (key !== 'default' && key !== 'hostnames' && key !== 'include' && key !== 'volatile' && !key.startsWith('~')) { return true; }
		}
	}
	return false;
}

/** The ids of the names RULES checks. */
const RULE_IDS: number[] = [];
const RULE_BY_ID: (Rule | undefined)[] = new Array<Rule | undefined>(DIRECTIVE_IDS).fill(undefined);
for (const [name, rule] of Object.entries(RULES)) {
	const id = directiveId(name);
	if (id >= 0) {
		RULE_IDS.push(id);
		RULE_BY_ID[id] = rule;
	}
}

const INDEX = directiveId('index');
const ACCESS_LOG = directiveId('access_log');
const ERROR_PAGE = directiveId('error_page');
const KEEPALIVE_ID = directiveId('keepalive');
const RETURN_ID = directiveId('return');
const ADD_HEADER_ID = directiveId('add_header');
/** By directive id: which argument names a variable the directive defines (-2: the last; -1: none). */
const VARIABLE_ARG = new Int8Array(DIRECTIVE_IDS).fill(-1);
for (const [name, arg] of [['set', 0], ['auth_request_set', 0], ['js_set', 0], ['js_var', 0], ['map', 1], ['split_clients', 1], ['geo', -2]] as const) {
	const id = directiveId(name);
	if (id >= 0) { VARIABLE_ARG[id] = arg; }
}

type Tree = NginxContext['file']['tree'];

/** Token k is plain and reads `$` and a name. */
function plainVariable(t: Tree, text: string, k: number): boolean {
	return t.tokFlags[k] === 0 && t.tokEnd[k] - t.tokStart[k] > 1 && text.charCodeAt(t.tokStart[k]) === 36;
}

/** Token k is plain, all digits, and its number lies in [lo, hi] (at most 9 digits). */
function plainNumberIn(t: Tree, text: string, k: number, lo: number, hi: number): boolean {
	const s = t.tokStart[k];
	const e = t.tokEnd[k];
	if (t.tokFlags[k] !== 0 || e === s || e - s > 9) { return false; }
	let n = 0;
	for (let i = s; i < e; i++) {
		const c = text.charCodeAt(i);
		if (c < 48 || c > 57) { return false; }
		n = n * 10 + c - 48;
	}
	return n >= lo && n <= hi;
}

/** What needs no closer look, read on the text (most lines of the common directives). */
function quickOk(t: Tree, text: string, id: number, first: number, argc: number): boolean {
	const v = VARIABLE_ARG[id];
	if (v !== -1) { return plainVariable(t, text, v === -2 ? first + argc - 1 : first + v); }
	if (id === INDEX) { return !hasEmptyToken(t, first, argc); }
	if (id === ACCESS_LOG) { return argc < 3; }
	if (id === KEEPALIVE_ID) { return plainNumberIn(t, text, first, 1, 999999999); }
	if (id === RETURN_ID) { return plainNumberIn(t, text, first, 0, 999999999); }
	if (id === ADD_HEADER_ID) { return argc < 3; }
	if (id === ERROR_PAGE) {
		for (let k = first; k < first + argc - 1; k++) {
			if (!plainNumberIn(t, text, k, 300, 599) || plainNumberIn(t, text, k, 499, 499)) { return false; }
		}
		return true;
	}
	return false;
}

const VALID_REFERERS = directiveId('valid_referers');

/**
 * valid_referers of one level that allow only "none" and "blocked" (a regex does not count: nginx
 * wants at least one name): nginx stops with the "none" or "blocked" referers are specified in the
 * "valid_referers" directive without any valid referer.
 */
function checkReferers(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const t = ctx.file.tree;
	const list = f.byName.of(VALID_REFERERS);
	if (!list.length) { return; }
	const byBlock = new Map<number, number[]>();
	for (const d of list) {
		if (t.dirTerm[d] === TERM_MISSING || f.blockSet[t.dirParent[d]] === 0) { continue; }
		const b = t.dirParent[d];
		const l = byBlock.get(b);
		if (l) { l.push(d); } else { byBlock.set(b, [d]); }
	}
	for (const ds of byBlock.values()) {
		let noneOrBlocked = false;
		let name = false;
		for (const d of ds) {
			for (let k = t.dirTok[d] + 1; k <= t.dirTok[d] + t.dirArgc[d]; k++) {
				const v = tokenText(ctx.file, k);
				if (v === 'none' || v === 'blocked') { noneOrBlocked = true; } else if (!v.startsWith('~')) { name = true; }
			}
		}
		if (!noneOrBlocked || name) { continue; }
		const tok = ctx.file.token(t.dirTok[ds[0]]);
		ctx.report({
			code: Codes.nginxInvalidValue, offset: tok.offset, length: tok.length,
			args: { name: 'valid_referers', detail: `this level allows only requests without a (valid) Referer and names no site a Referer may come from (a regex does not count): ${says('the "none" or "blocked" referers are specified in the "valid_referers" directive without any valid referer')}. Add the sites (server_names, *.example.com).` },
		});
	}
}


export function checkConstraints(ctx: NginxContext): void {
	checkReferers(ctx);
	const f = runFacts(ctx);
	// name by name (the findings are sorted by position later): a merged list of every directive of
	// these common names, sorted, cost more than the checks
	for (const id of RULE_IDS) {
		for (const d of f.byName.of(id)) { checkOne(ctx, f, id, d); }
	}
}

function checkOne(ctx: NginxContext, f: ReturnType<typeof runFacts>, id: number, d: number): void {
	const file = ctx.file;
	const t = file.tree;
	const argc = t.dirArgc[d];
	if (argc === 0 || t.dirTerm[d] === TERM_MISSING) { return; }
	const set = f.blockSet[t.dirParent[d]];
	if (set === 0) { return; }
	const first = t.dirTok[d] + 1;
	// the common cases on the text, no strings cut
	if (quickOk(t, file.text, id, first, argc)) { return; }
	const facts = directiveFacts(set, id);
	// the rules are nginx's own modules': not a third-party directive of the same name
	if (!facts.defs.length || facts.defs.some(x => x.origin === 'third-party')) { return; }
	const args: string[] = [];
	for (let k = first; k < first + argc; k++) { args.push(tokenText(file, k)); }
	const p = RULE_BY_ID[id]!(args, contextSetNames(set), ctx, d);
	if (!p) { return; }
	const tok = file.token(first + p.arg);
	ctx.report({ code: Codes.nginxInvalidValue, offset: tok.offset, length: tok.length, args: { name: file.token(t.dirTok[d]).value, detail: p.detail } });
}

/** Whether one of the tokens is an empty quoted string ("" or ''). */
function hasEmptyToken(t: Tree, first: number, argc: number): boolean {
	for (let k = first; k < first + argc; k++) {
		if ((t.tokFlags[k] & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) !== 0 && t.tokEnd[k] - t.tokStart[k] === 2) { return true; }
	}
	return false;
}

