/**
 * nginx-buffer-sizes: buffer sizes that contradict each other once nginx has merged each level
 * (http → server → location → if/limit_except), which it checks for every server and location
 * when the whole configuration is read (ngx_http_proxy_merge_loc_conf and its uwsgi, fastcgi and
 * scgi twins; ngx_http_core_merge_srv_conf), naming the line where the http block ends:
 *
 * - fewer than 2 `*_buffers`;
 * - `*_busy_buffers_size` below the larger of `*_buffer_size` and one of `*_buffers`, or above
 *   all `*_buffers` but one (unset, it is twice that larger size);
 * - `*_temp_file_write_size` below that larger size (unset: twice it);
 * - `*_max_temp_file_size` neither 0 nor at least that larger size (unset: 1g);
 * - the `large_client_header_buffers` size below `connection_pool_size` (servers only);
 * - reported as nginx-invalid-value: hash sizes of 0 where nginx builds the types or proxy headers
 *   hash, and `charset`/`source_charset` pairs no `charset_map` converts between.
 *
 * Unset values are nginx's defaults: `*_buffer_size` one memory page, `*_buffers` 8 pages (4k
 * pages, as on x86-64), `connection_pool_size` 512, `large_client_header_buffers` 4 8k. A value is
 * nginx's default only where the chain of includes reaches the file nginx starts with; in a
 * fragment whose outer levels are out of sight, a rule is judged only when the levels in sight
 * define every value it reads. Each file reports at its own directives: the one nginx names in its
 * message, else the one that made the default wrong.
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { contextId, contextName, directiveId, directiveIds, tokenText } from './facts';
import { includeGraph, runFacts } from './fileContexts';
import { contextsFor, type NginxIncludeGraph } from './includes';
import { inherit, levelDefinitions, NameSet, topReadings, type Definition, type Values } from './effective';

const PAGE = 4096;
const MODULES = ['proxy', 'uwsgi', 'fastcgi', 'scgi'] as const;
const FIELDS = ['buffer_size', 'buffers', 'busy_buffers_size', 'temp_file_write_size', 'max_temp_file_size'] as const;
const NAMES = new NameSet([
	...MODULES.flatMap(m => FIELDS.map(f => `${m}_${f}`)),
	'large_client_header_buffers', 'connection_pool_size',
	'types_hash_max_size', 'types_hash_bucket_size', 'proxy_headers_hash_max_size', 'proxy_headers_hash_bucket_size',
	'charset', 'source_charset',
	// not reported, only looked at: a location with its own proxy headers builds their hash
	'proxy_set_header', 'proxy_hide_header', 'proxy_pass_header',
]);
/** The names before this index are the values reported; the others only tell what a level builds. */
const REPORTED = NAMES.indexOf('proxy_set_header');
const TYPES_MAX = NAMES.indexOf('types_hash_max_size');
const HEADERS_MAX = NAMES.indexOf('proxy_headers_hash_max_size');
const CHARSET = NAMES.indexOf('charset');
const SOURCE_CHARSET = NAMES.indexOf('source_charset');
const NAME_IDS = NAMES.names.slice(0, NAMES.indexOf('proxy_set_header')).map(directiveId).filter(id => id >= 0);
const TYPES = directiveId('types');
const SERVER = directiveId('server');
const SERVER_CONTEXT = contextId('http.server');
const INCLUDE = directiveId('include');
const LCHB = NAMES.indexOf('large_client_header_buffers');
const CPS = NAMES.indexOf('connection_pool_size');

/** Levels with a location configuration of their own (merged, so checked). */
const LOC_LEVELS = new Set(['http.server', 'http.location', 'http.location.if', 'http.server.if', 'http.limit_except']);

/** ngx_parse_size: digits and an optional k or m (either case); undefined when nginx would refuse it. */
export function parseSize(v: string): number | undefined {
	const m = /^(\d+)([kKmM]?)$/.exec(v);
	if (!m) { return undefined; }
	const n = Number(m[1]);
	return m[2] === '' ? n : m[2].toLowerCase() === 'k' ? n * 1024 : n * 1024 * 1024;
}

/** A size as nginx would write it back (4096 → 4k). */
export function showSize(n: number): string {
	if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) { return `${n / (1024 * 1024)}m`; }
	if (n >= 1024 && n % 1024 === 0) { return `${n / 1024}k`; }
	return String(n);
}

/** Argument k of a directive as a size (ngx_parse_size), read on the text of a plain token; -1 when nginx would refuse it. */
function argSize(def: Definition, k: number): number {
	const t = def.file.tree;
	if (t.dirArgc[def.index] <= k) { return -1; }
	const tok = t.dirTok[def.index] + 1 + k;
	if (t.tokFlags[tok] !== 0) { return parseSize(tokenText(def.file, tok)) ?? -1; }
	const text = def.file.text;
	const s = t.tokStart[tok];
	const e = t.tokEnd[tok];
	let n = 0;
	let i = s;
	for (; i < e; i++) {
		const c = text.charCodeAt(i);
		if (c < 48 || c > 57) { break; }
		n = n * 10 + c - 48;
	}
	if (i === s) { return -1; }
	if (i === e) { return n; }
	if (i + 1 !== e) { return -1; }
	const u = text.charCodeAt(i) | 32;
	return u === 107 ? n * 1024 : u === 109 ? n * 1024 * 1024 : -1;
}

/** Argument k as a whole number (ngx_atoi), -1 when it is none. */
function argNumber(def: Definition, k: number): number {
	const t = def.file.tree;
	if (t.dirArgc[def.index] <= k) { return -1; }
	const tok = t.dirTok[def.index] + 1 + k;
	if (t.tokFlags[tok] !== 0 || t.tokEnd[tok] - t.tokStart[tok] > 9) {
		const v = tokenText(def.file, tok);
		return /^\d+$/.test(v) ? Number(v) : -1;
	}
	const text = def.file.text;
	let n = 0;
	for (let i = t.tokStart[tok]; i < t.tokEnd[tok]; i++) {
		const c = text.charCodeAt(i);
		if (c < 48 || c > 57) { return -1; }
		n = n * 10 + c - 48;
	}
	return t.tokEnd[tok] > t.tokStart[tok] ? n : -1;
}

/** One contradiction: the directive to report at, the others it involves, what to say. */
interface Problem {
	readonly rule: string;
	readonly at: Definition;
	readonly with: readonly Definition[];
	readonly detail: string;
}

function lineOf(def: Definition): number {
	const text = def.file.text;
	let line = 1;
	const end = def.file.tree.tokStart[def.file.tree.dirTok[def.index]];
	for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) { line++; }
	return line;
}

function explicit(...defs: (Definition | undefined)[]): Definition[] {
	return defs.filter((d): d is Definition => d !== undefined);
}

function larger(m: string): string {
	return `the maximum of the value of "${m}_buffer_size" and one of the "${m}_buffers"`;
}

function sizeWhy(m: string, bs: number, bsize: number, bsDef: Definition | undefined, bufsDef: Definition | undefined): string {
	return `the larger of ${m}_buffer_size (${showSize(bs)}${bsDef ? '' : ', the default'}) and one of ${m}_buffers (${showSize(bsize)}${bufsDef ? '' : ', the default'})`;
}

/** The first contradiction of one module's buffers at a level, in nginx's order (it stops at the first); undefined when there is none. */
function moduleProblem(m: string, v: Values, base: number, complete: boolean): Problem | undefined {
	const bsDef = v[base];
	const bufsDef = v[base + 1];
	const busyDef = v[base + 2];
	const twfDef = v[base + 3];
	const maxDef = v[base + 4];
	const bs = bsDef ? argSize(bsDef, 0) : PAGE;
	let num = 8;
	let bsize = PAGE;
	if (bufsDef) {
		num = argNumber(bufsDef, 0);
		bsize = argSize(bufsDef, 1);
	}
	// values nginx refuses for what they are: nginx-invalid-value's business
	if (bs <= 0 || num <= 0 || bsize <= 0) { return undefined; }
	if (num < 2) {
		return bufsDef && { rule: 'num', at: bufsDef, with: [], detail: `${m}_buffers ${num} ${showSize(bsize)}: nginx needs at least 2 of them and stops with "there must be at least 2 "${m}_buffers"". Use 2 or more (the default is 8 ${showSize(PAGE)}).` };
	}
	const size = Math.max(bs, bsize);
	// with the outer levels out of sight, a rule is judged only on values the levels in sight set
	const sizeKnown = complete || (bsDef !== undefined && bufsDef !== undefined);
	const busy = busyDef ? argSize(busyDef, 0) : 2 * size;
	if (busy < 0) { return undefined; }
	if (busyDef && busy < size) {
		return sizeKnown ? {
			rule: 'busy-small', at: busyDef, with: explicit(bsDef, bufsDef),
			detail: `${m}_busy_buffers_size ${showSize(busy)} is below ${showSize(size)}, ${sizeWhy(m, bs, bsize, bsDef, bufsDef)}: nginx stops with "${m}_busy_buffers_size" must be equal to or greater than ${larger(m)}. Raise it to at least ${showSize(size)}, or leave it unset (twice that).`,
		} : undefined;
	}
	const all = (num - 1) * bsize;
	if (busy > all) {
		const at = busyDef ?? bufsDef ?? bsDef;
		if (!at || !(complete || (bufsDef !== undefined && (busyDef !== undefined || bsDef !== undefined)))) { return undefined; }
		const what = busyDef ? `${m}_busy_buffers_size ${showSize(busy)}` : `the default ${m}_busy_buffers_size (${showSize(busy)}, twice ${sizeWhy(m, bs, bsize, bsDef, bufsDef)})`;
		return {
			rule: 'busy-large', at, with: explicit(busyDef, bufsDef, bsDef).filter(d => d !== at),
			detail: `${what} is more than all ${m}_buffers but one (${num - 1} × ${showSize(bsize)} = ${showSize(all)}): nginx stops with "${m}_busy_buffers_size" must be less than the size of all "${m}_buffers" minus one buffer. ${busyDef ? `Lower it to ${showSize(all)} or less, or raise ${m}_buffers.` : `Raise ${m}_buffers (more or larger buffers), or set ${m}_busy_buffers_size to ${showSize(Math.max(size, Math.min(all, 2 * size)))} or less.`}`,
		};
	}
	const twf = twfDef ? argSize(twfDef, 0) : 2 * size;
	if (twf < 0) { return undefined; }
	if (twfDef && twf < size) {
		return sizeKnown ? {
			rule: 'twf', at: twfDef, with: explicit(bsDef, bufsDef),
			detail: `${m}_temp_file_write_size ${showSize(twf)} is below ${showSize(size)}, ${sizeWhy(m, bs, bsize, bsDef, bufsDef)}: nginx stops with "${m}_temp_file_write_size" must be equal to or greater than ${larger(m)}. Raise it to at least ${showSize(size)}, or leave it unset.`,
		} : undefined;
	}
	const max = maxDef ? argSize(maxDef, 0) : 1024 * 1024 * 1024;
	if (maxDef && max > 0 && max < size && sizeKnown) {
		return {
			rule: 'max', at: maxDef, with: explicit(bsDef, bufsDef),
			detail: `${m}_max_temp_file_size ${showSize(max)} is neither 0 nor at least ${showSize(size)}, ${sizeWhy(m, bs, bsize, bsDef, bufsDef)}: nginx stops with "${m}_max_temp_file_size" must be equal to zero to disable temporary files usage or must be equal to or greater than ${larger(m)}. Use 0 to keep responses out of temporary files, or at least ${showSize(size)}.`,
		};
	}
	return undefined;
}

/** The server-level contradiction: large_client_header_buffers smaller than connection_pool_size. */
function serverProblem(v: Values, complete: boolean): Problem | undefined {
	const lchbDef = v[LCHB];
	const cpsDef = v[CPS];
	if (!lchbDef && !cpsDef) { return undefined; }
	const lchb = lchbDef ? argSize(lchbDef, 1) : 8192;
	const num = lchbDef ? argNumber(lchbDef, 0) : 4;
	const cps = cpsDef ? argSize(cpsDef, 0) : 512;
	if (lchb <= 0 || num <= 0 || cps <= 0 || lchb >= cps || !(complete || (lchbDef && cpsDef))) { return undefined; }
	const at = lchbDef ?? cpsDef!;
	return {
		rule: 'lchb', at, with: [lchbDef, cpsDef].filter((d): d is Definition => d !== undefined && d !== at),
		detail: `the large_client_header_buffers size (${showSize(lchb)}${lchbDef ? '' : ', the default'}) is below connection_pool_size (${showSize(cps)}${cpsDef ? '' : ', the default'}): nginx stops with "the "large_client_header_buffers" size must be equal to or greater than "connection_pool_size"". Make the header buffers at least ${showSize(cps)}, or lower connection_pool_size.`,
	};
}

/** By context id: 1 for a level with a location configuration of its own, -1 for another (0: not looked up yet). */
const locLevel: number[] = [];
function isLocLevel(id: number): boolean {
	let x = locLevel[id];
	if (x === undefined) {
		x = LOC_LEVELS.has(contextName(id)) ? 1 : -1;
		locLevel[id] = x;
	}
	return x === 1;
}

/** Whether `v` defines one of the `n` names from `base`. */
function touches(v: Values | undefined, base: number, n: number): boolean {
	if (!v) { return false; }
	for (let k = base; k < base + n; k++) {
		if (v[k] !== undefined) { return true; }
	}
	return false;
}

export function checkBufferSizes(ctx: NginxContext): void {
	const uri = ctx.uri;
	const file = ctx.file;
	// what this file reports stands in it: nothing to do when it holds none of the names
	const byName = runFacts(ctx).byName;
	if (!NAME_IDS.some(id => byName.of(id).length > 0)) { return; }
	const graph = includeGraph(ctx);
	const own = levelDefinitions(graph, uri, file, NAMES);
	// what this file reports stands in it: nothing to do when it defines none of the names
	let any = false;
	for (let b = 0; b < own.length && !any; b++) { any = own[b] !== undefined && own[b]!.some(d => d?.uri === uri); }
	if (!any) { return; }
	const reported = new Set<string>();
	const includers = graph.includersOf(uri).length > 0;
	for (const r of topReadings(graph, uri, NAMES)) {
		walk(ctx, graph, uri, file, r.values, contextsFor(file, contextId(r.context)), includers, r.complete, reported, 0, new Set([uri]));
	}
}

function walk(ctx: NginxContext, graph: NginxIncludeGraph, uri: string, file: NginxFile, top: Values, contexts: Int32Array,
	evalTop: boolean, complete: boolean, reported: Set<string>, depth: number, seen: Set<string>): void {
	const t = file.tree;
	const own = levelDefinitions(graph, uri, file, NAMES);
	const values = inherit(file, own, top);
	// by block: whether its values hold a definition of the file being checked (a block that defines
	// nothing has its parent's values, and its parent's answer)
	const mineB = new Uint8Array(t.blockCount);
	const me = ctx.uri;
	const scan = (v: Values): number => {
		for (let k = 0; k < REPORTED; k++) {
			if (v[k] !== undefined && v[k]!.uri === me) { return 1; }
		}
		return 0;
	};
	mineB[0] = scan(values[0]);
	for (let b = 1; b < t.blockCount; b++) {
		mineB[b] = own[b] ? scan(values[b]) : mineB[t.dirParent[t.blockOwner[b]]];
	}
	const mine = (b: number) => mineB[b] === 1;
	for (let b = 0; b < t.blockCount; b++) {
		const ownB = own[b];
		// most blocks define nothing and have a checked parent: nothing new there
		if (b > 0 && !ownB && isLocLevel(contexts[t.dirParent[t.blockOwner[b]]])) { continue; }
		if (!isLocLevel(contexts[b]) || (b === 0 && !evalTop) || !mine(b)) { continue; }
		const parentChecked = b > 0 && isLocLevel(contexts[t.dirParent[t.blockOwner[b]]]);
		const v = values[b];
		for (let i = 0; i < MODULES.length; i++) {
			const base = i * FIELDS.length;
			// a module this level does not touch has its parent level's values (checked there), and all defaults are fine
			if (parentChecked && !touches(ownB, base, FIELDS.length)) { continue; }
			if (!touches(v, base, FIELDS.length)) { continue; }
			const p = moduleProblem(MODULES[i], v, base, complete);
			if (p) { report(ctx, p, reported, uri, file, b); }
		}
		const server = contexts[b] === SERVER_CONTEXT;
		if ((v[LCHB] || v[CPS]) && server) {
			const p = serverProblem(v, complete);
			if (p) { report(ctx, p, reported, uri, file, b); }
		}
		// hashes nginx builds at a level: types and proxy headers for every server, and for a
		// location with its own types (proxy headers); elsewhere they are inherited
		// (a server that inherits types from above inherits their hash, built there with that level's sizes)
		if (touches(v, TYPES_MAX, 2) && (ownTypes(graph, uri, file, b) || (server && graph.includersOf(uri).length === 0 && (typesAbove(file, b) ? firstToInherit(graph, uri, file, b) : true)))) { reportZero(ctx, v, TYPES_MAX, 'types_hash', reported); }
		if (touches(v, HEADERS_MAX, 2) && (server || touches(ownB, REPORTED, 3))) { reportZero(ctx, v, HEADERS_MAX, 'proxy_headers_hash', reported); }
		if (v[SOURCE_CHARSET] && v[CHARSET] && (!parentChecked || touches(ownB, CHARSET, 2))) { checkCharsets(ctx, v, ownB, reported); }
	}
	// the levels of the files included here inherit these values: what is wrong there because of this file is reported here
	if (depth >= 8) { return; }
	for (const edge of graph.edgesFrom(uri)) {
		const b = t.dirParent[edge.index];
		if (!mine(b)) { continue; }
		for (const target of edge.targets) {
			const other = graph.fileOf(target);
			if (!other || seen.has(target)) { continue; }
			seen.add(target);
			walk(ctx, graph, target, other, values[b], contextsFor(other, contexts[b]), false, complete, reported, depth + 1, seen);
			seen.delete(target);
		}
	}
}

/** Whether an enclosing level of block b (in this file) has a types block or an include (which may hold one). */
function typesAbove(file: NginxFile, b: number): boolean {
	const t = file.tree;
	const ids = directiveIds(file);
	for (let level = t.dirParent[t.blockOwner[b]]; level >= 0; level = level > 0 ? t.dirParent[t.blockOwner[level]] : -1) {
		for (let d = t.blockFirst[level]; d >= 0; d = t.dirNext[d]) {
			if (ids[d] === INCLUDE || (ids[d] === TYPES && t.dirBlock[d] >= 0)) { return true; }
		}
		if (level === 0) { break; }
	}
	return false;
}

/**
 * Whether server block b builds the types hash it inherits from a level above: nginx builds
 * declared types when it merges the first server that inherits them, with that server's sizes,
 * and later servers take the hash as built (nginx's default types, declared nowhere, each server
 * builds for itself). So b builds them when no server before it in its http block inherits types,
 * nor an include before it could bring one (the standard files bring none).
 */
function firstToInherit(graph: NginxIncludeGraph, uri: string, file: NginxFile, b: number): boolean {
	const t = file.tree;
	const ids = directiveIds(file);
	const me = t.blockOwner[b];
	for (let d = t.blockFirst[t.dirParent[me]]; d >= 0 && d !== me; d = t.dirNext[d]) {
		if (ids[d] === INCLUDE) {
			const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[d]]);
			if (!edge || !(edge.standard || edge.targets.every(x => { const o = graph.fileOf(x); return !!o && !directivesOf(o).includes(SERVER); }))) { return false; }
			continue;
		}
		if (ids[d] === SERVER && t.dirBlock[d] >= 0 && !ownTypes(graph, uri, file, t.dirBlock[d])) { return false; }
	}
	return true;
}

/** The directive ids at the top level of a file. */
function directivesOf(file: NginxFile): number[] {
	const ids = directiveIds(file);
	const out: number[] = [];
	for (let d = file.tree.blockFirst[0]; d >= 0; d = file.tree.dirNext[d]) { out.push(ids[d]); }
	return out;
}


/** Whether block b defines types of its own: a types block, or an include of mime.types (or of a file with a types block). */
function ownTypes(graph: NginxIncludeGraph, uri: string, file: NginxFile, b: number): boolean {
	const t = file.tree;
	const ids = directiveIds(file);
	for (let d = t.blockFirst[b]; d >= 0; d = t.dirNext[d]) {
		if (ids[d] === TYPES && t.dirBlock[d] >= 0) { return true; }
		if (ids[d] !== INCLUDE || t.dirBlock[d] >= 0) { continue; }
		const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[d]]);
		if (!edge) { continue; }
		if (edge.standard === 'mime.types') { return true; }
		for (const target of edge.targets) {
			const other = graph.fileOf(target);
			if (!other) { continue; }
			const oids = directiveIds(other);
			for (let x = other.tree.blockFirst[0]; x >= 0; x = other.tree.dirNext[x]) {
				if (oids[x] === TYPES && other.tree.dirBlock[x] >= 0) { return true; }
			}
		}
	}
	return false;
}

/** Pairs of charsets a charset_map of the workspace converts between ("a\u0000b", lower case), kept per file. */
const STANDARD_MAPS: Readonly<Record<string, string>> = { 'koi-utf': 'koi8-r\u0000utf-8', 'koi-win': 'koi8-r\u0000windows-1251', 'win-utf': 'windows-1251\u0000utf-8' };
const CHARSET_MAP = directiveId('charset_map');

function charsetMaps(file: NginxFile): string[] {
	const out: string[] = [];
	const t = file.tree;
	const ids = directiveIds(file);
	for (let d = 0; d < t.directiveCount; d++) {
		if (ids[d] === CHARSET_MAP && t.dirArgc[d] === 2) {
			out.push(`${tokenText(file, t.dirTok[d] + 1).toLowerCase()}\u0000${tokenText(file, t.dirTok[d] + 2).toLowerCase()}`);
		} else if (ids[d] === INCLUDE && t.dirArgc[d] === 1) {
			const p = tokenText(file, t.dirTok[d] + 1);
			const std = STANDARD_MAPS[p.slice(p.lastIndexOf('/') + 1)];
			if (std) { out.push(std); }
		}
	}
	return out;
}

/**
 * `charset` and `source_charset` in effect at a level that differ (neither "off" for charset,
 * nor a variable) need a charset_map between them, in either direction, somewhere in the
 * configuration: nginx stops with no "charset_map" between the charsets … (the workspace's maps
 * and the standard koi-utf, koi-win, win-utf count).
 */
function checkCharsets(ctx: NginxContext, v: Values, own: Values | undefined, reported: Set<string>): void {
	const cDef = v[CHARSET]!;
	const sDef = v[SOURCE_CHARSET]!;
	const c = tokenText(cDef.file, cDef.file.tree.dirTok[cDef.index] + 1);
	const src = tokenText(sDef.file, sDef.file.tree.dirTok[sDef.index] + 1);
	if (c === 'off' || c.includes('$') || src.includes('$') || c.toLowerCase() === src.toLowerCase()) { return; }
	// at the one this level sets itself (the other is inherited), else at either one in this file
	const mine = (d: Definition) => d.uri === ctx.uri;
	const at = own?.[SOURCE_CHARSET] === sDef && mine(sDef) ? sDef : own?.[CHARSET] === cDef && mine(cDef) ? cDef : mine(sDef) ? sDef : mine(cDef) ? cDef : undefined;
	if (!at) { return; }
	const maps = ctx.workspace.nginxNames('charset-maps', charsetMaps).files;
	const a = src.toLowerCase();
	const b = c.toLowerCase();
	if (maps.has(`${a}\u0000${b}`) || maps.has(`${b}\u0000${a}`)) { return; }
	const key = `charset:${at.index}`;
	if (reported.has(key)) { return; }
	reported.add(key);
	const tok = at.file.token(at.file.tree.dirTok[at.index] + 1);
	const other = at === sDef ? cDef : sDef;
	const otherTok = other.file.token(other.file.tree.dirTok[other.index]);
	ctx.report({
		code: Codes.nginxInvalidValue, offset: tok.offset, length: tok.length,
		args: { name: at === sDef ? 'source_charset' : 'charset', detail: `nginx converts responses from "${src}" to "${c}" here, and no charset_map of the configuration converts between them: nginx stops with no "charset_map" between the charsets "${src}" and "${c}". Add the map (include koi-utf, koi-win or win-utf for the Cyrillic ones), or make the two charsets agree.` },
		related: [{ uri: other.uri, offset: otherTok.offset, length: otherTok.length, message: `${otherTok.value} in effect here` }],
	});
}

/** A hash size of 0 in effect where nginx builds the hash (`base`: its max_size, then its bucket_size). */
function reportZero(ctx: NginxContext, v: Values, base: number, hash: string, reported: Set<string>): void {
	for (const [k, which] of [[base, 'max_size'], [base + 1, 'bucket_size']] as const) {
		const def = v[k];
		if (!def || def.uri !== ctx.uri || argSize(def, 0) !== 0) { continue; }
		const key = `zero:${def.index}`;
		if (reported.has(key)) { continue; }
		reported.add(key);
		const tok = def.file.token(def.file.tree.dirTok[def.index] + 1);
		ctx.report({
			code: Codes.nginxInvalidValue, offset: tok.offset, length: tok.length,
			args: { name: `${hash}_${which}`, detail: `nginx cannot build the ${hash.replace('_', ' ')} with a ${which.replace('_', ' ')} of 0, and builds it for each server (and each location with its own ${hash === 'types_hash' ? 'types' : 'proxy headers'}): nginx stops with could not build ${hash}, you should increase ${hash}_${which}: 0. Remove the line (the default fits), or raise it.` },
		});
	}
}

function report(ctx: NginxContext, p: Problem, reported: Set<string>, levelUri: string, levelFile: NginxFile, block: number): void {
	if (p.at.uri !== ctx.uri) { return; }
	const key = `${p.rule}:${p.at.index}`;
	if (reported.has(key)) { return; }
	reported.add(key);
	const t = ctx.file.tree;
	const name = ctx.file.token(t.dirTok[p.at.index]);
	const related = p.with.map(d => {
		const tok = d.file.token(d.file.tree.dirTok[d.index]);
		return { uri: d.uri, offset: tok.offset, length: tok.length, message: `${tok.value} (line ${lineOf(d)})` };
	});
	const owner = levelFile.tree.blockOwner[block];
	if (owner >= 0) {
		const o = levelFile.directive(owner);
		related.push({ uri: levelUri, offset: o.offset, length: o.name.length, message: `nginx merges the values for this ${o.name.value}` });
	}
	ctx.report({ code: Codes.nginxBufferSizes, offset: name.offset, length: name.length, args: { detail: p.detail }, related });
}
