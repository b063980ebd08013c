/**
 * The nginx variable model: every `$name` nginx compiles in a file (a "use"), every place that
 * defines a variable (a "definition"), and where a name comes from:
 *
 * - a module's built-in (exact, or a prefix family such as `$http_*`), per family: http and
 *   stream have separate sets;
 * - a definition anywhere in the workspace — `set`, `map`, `geo`, `split_clients`, `perl_set`,
 *   `js_set`, `js_var`, `auth_request_set`, … (nginx variables are global to the http or stream
 *   configuration, and the order does not matter), or a named capture of any regex
 *   (`(?<name>…)`, `(?P<name>…)`, `(?'name'…)`: nginx adds those as variables of the whole
 *   configuration when it compiles the regex);
 * - a third-party module: a `$name` argument of a directive nginx's own modules do not have may
 *   define it (`set_by_lua $x …`, `set_secure_random_alphanum $x 32`, a `geoip2` block's
 *   `$country_code country iso_code;`), and a module's variables start with its directives' first
 *   word (`brotli` → `$brotli_ratio`, `echo_*` → `$echo_timer_elapsed`).
 *
 * `$1` … `$9` are captures and never looked up at configuration time. nginx compares names
 * lowercase. Uses are only the `$name` of arguments nginx compiles (data/nginxVariableArgs.ts):
 * elsewhere a `$` is plain text.
 *
 * Per-file facts (definitions, third-party prefixes) are kept per parsed tree and merged across
 * the workspace by the name index (`nginxNames('variables')`), so an edit collects only the
 * edited file again; uses are worked out per validation run (they depend on the contexts the file
 * is included in).
 */
import { builtinVariable, type NginxVariableData, type VariableFamily } from '../../data/nginxVariables';
import { definedVariableArg, variableArgs, variableDefiners, type VariableArgs } from '../../data/nginxVariableArgs';
import { nginxDataBlockIds, nginxDirectivesById, nginxNameTable } from '../../data/nginxData';
import type { NginxFile } from '../../parser/nginx/nodes';
import { Memo } from '../../utils/memo';
import type { NameIndex, NginxContext } from '../context';
import { contextSetNames, directiveId, directiveIds, directivesByName, directivesWithDollar, tokenText } from './facts';
import { includeGraph, runFacts, type RunFacts } from './fileContexts';
import type { NginxIncludeGraph } from './includes';

export type { VariableFamily } from '../../data/nginxVariables';

/** A `$name` (or `${name}`) in the text. */
export interface VariableRef {
	/** Offset of the `$` in the document. */
	readonly offset: number;
	/** Up to the end of the name (the closing brace included). */
	readonly length: number;
	readonly nameOffset: number;
	readonly nameLength: number;
	/** The name as nginx looks it up: lowercase. */
	readonly key: string;
}

/** A variable nginx looks up: a `$name` in an argument it compiles. */
export interface VariableUse extends VariableRef {
	/** Index of the directive (for a map entry: the entry). */
	readonly directive: number;
	/** The family the directive stands in; undefined when the file is read in both. */
	readonly family: VariableFamily | undefined;
}

/** A place that defines a variable. */
export interface VariableDefinition extends VariableRef {
	/**
	 * `directive`: a directive of nginx (or njs, NGINX Plus) that defines a variable (set, map, …);
	 * `capture`: a named group of a regex; `third-party`: a `$name` argument of a directive nginx's
	 * modules do not have, or a block entry named `$name` (geoip2) — it may define the variable.
	 */
	readonly kind: 'directive' | 'capture' | 'third-party';
	readonly directive: number;
	/** The name of the directive that defines it. */
	readonly via: string;
	/** The family of the http or stream block around it in this file; undefined when the file has none. */
	readonly family: VariableFamily | undefined;
}

export interface FileVariables {
	readonly definitions: readonly VariableDefinition[];
	/** Variable-name prefixes of the third-party modules the file uses (`brotli_`, `echo_`). */
	readonly prefixes: readonly string[];
}

// ---- reading references ---------------------------------------------------------------------

/** How nginx reads the `$` of an argument. */
const enum Scan {
	/** ngx_http_script_compile: `$1` … `$9` are captures, `${name}`, `$name` (letters, digits, `_`). */
	Script,
	/** The log module's format scanner: the same without captures (`$1` is a variable named "1"). */
	Log,
	/** The whole rest of an argument that starts with `$` is the name (if, charset). */
	Whole,
}

function isNameChar(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

type RefSink = (offset: number, nameOffset: number, nameEnd: number, end: number) => void;

/** Reports each variable reference of text[s, e) as nginx reads it. A reference nginx refuses (an empty name, a missing `}`) is skipped. */
function scanRefs(text: string, s: number, e: number, mode: Scan, sink: RefSink): void {
	if (mode === Scan.Whole) {
		if (e - s > 1 && text.charCodeAt(s) === 36 /* $ */) { sink(s, s + 1, e, e); }
		return;
	}
	for (let i = text.indexOf('$', s); i >= 0 && i < e; i = text.indexOf('$', i)) {
		const at = i++;
		if (i >= e) { return; }
		const c = text.charCodeAt(i);
		if (mode === Scan.Script && c >= 49 && c <= 57) {
			i++;
			continue;
		}
		const bracket = c === 123; /* { */
		if (bracket) { i++; }
		const start = i;
		while (i < e && isNameChar(text.charCodeAt(i))) { i++; }
		if (bracket) {
			// nginx stops with "the closing bracket … is missing": not a lookup
			if (i >= e || text.charCodeAt(i) !== 125) { return; }
			if (i > start) { sink(at, start, i, i + 1); }
			i++;
			continue;
		}
		if (i > start) { sink(at, start, i, i); }
	}
}

/** The text of token k without its quotes: [start, end). */
function inner(file: NginxFile, k: number): [number, number] {
	const t = file.tree;
	const s = t.tokStart[k];
	const e = t.tokEnd[k];
	if ((t.tokFlags[k] & 3) === 0) { return [s, e]; }
	const closed = e - s >= 2 && file.text.charCodeAt(e - 1) === file.text.charCodeAt(s);
	return [s + 1, closed ? e - 1 : e];
}

function ref(text: string, offset: number, nameOffset: number, nameEnd: number, end: number): VariableRef {
	return { offset, length: end - offset, nameOffset, nameLength: nameEnd - nameOffset, key: text.slice(nameOffset, nameEnd).toLowerCase() };
}

// ---- per-directive facts --------------------------------------------------------------------

const HTTP_ID = directiveId('http');
const STREAM_ID = directiveId('stream');
const MAP_ID = directiveId('map');
const MEMCACHED_PASS_ID = directiveId('memcached_pass');

/** By directive id: 1 when only third-party modules define the name (their `$x` arguments may define variables). */
let thirdPartyIds: Uint8Array | undefined;
function isThirdParty(id: number): boolean {
	if (!thirdPartyIds) {
		const table = nginxNameTable();
		thirdPartyIds = new Uint8Array(table.size);
		for (let i = 0; i < table.size; i++) {
			thirdPartyIds[i] = nginxDirectivesById(i).every(d => d.origin === 'third-party') ? 1 : 0;
		}
	}
	return id < 0 || thirdPartyIds[id] === 1;
}

const DEFINER_IDS: readonly { id: number; arg: number; name: string }[] = variableDefiners()
	.map(name => ({ id: directiveId(name), arg: definedVariableArg(name)!, name }))
	.filter(x => x.id >= 0);

/** The family of the explicit http or stream block around each block of a file (0 none, 1 http, 2 stream). */
function blockFamilies(file: NginxFile): Uint8Array {
	const t = file.tree;
	const ids = directiveIds(file);
	const out = new Uint8Array(t.blockCount);
	// blocks are numbered in document order: a block's parent block comes before it
	for (let b = 1; b < t.blockCount; b++) {
		const owner = t.blockOwner[b];
		if (owner < 0) { continue; }
		const id = ids[owner];
		out[b] = id === HTTP_ID ? 1 : id === STREAM_ID ? 2 : out[t.dirParent[owner]];
	}
	return out;
}

function familyOf(code: number): VariableFamily | undefined {
	return code === 1 ? 'http' : code === 2 ? 'stream' : undefined;
}

const familyMemo = new Memo<object, Uint8Array>();

/** The family of the http or stream block around directive d in its own file (undefined: none, a fragment). */
export function explicitFamily(file: NginxFile, d: number): VariableFamily | undefined {
	let f = familyMemo.get(file.tree);
	if (!f) {
		f = blockFamilies(file);
		familyMemo.set(file.tree, f);
	}
	return familyOf(f[file.tree.dirParent[d]]);
}

/** The family a block of the validated file stands in, from the run's contexts (undefined: both, or neither). */
export function runFamily(f: RunFacts, block: number): VariableFamily | undefined {
	const fam = familiesOfSet(f.blockSet[block]);
	return fam === 1 ? 'http' : fam === 2 ? 'stream' : undefined;
}

/** The directive whose statement holds token k (directives' name tokens are in document order). */
function directiveOfToken(file: NginxFile, k: number): number {
	const t = file.tree;
	let lo = 0;
	let hi = t.directiveCount - 1;
	let found = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (t.dirTok[mid] <= k) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
	}
	return found;
}

/** The token that holds offset `at`, or -1 (a comment, blank space). */
function tokenAt(file: NginxFile, at: number): number {
	const t = file.tree;
	let lo = 0;
	let hi = t.tokenCount - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (t.tokEnd[mid] <= at) { lo = mid + 1; } else if (t.tokStart[mid] > at) { hi = mid - 1; } else { return mid; }
	}
	return -1;
}

const NAMED_GROUP = /\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/y;

const fileMemo = new Memo<object, FileVariables>();

/** What a file defines (and the third-party prefixes it brings), kept per parsed tree. */
export function fileVariables(file: NginxFile): FileVariables {
	let hit = fileMemo.get(file.tree);
	if (hit) { return hit; }
	const t = file.tree;
	const text = file.text;
	const ids = directiveIds(file);
	const byName = directivesByName(file);
	const fam = (d: number) => explicitFamily(file, d);
	const definitions: VariableDefinition[] = [];
	const define = (kind: VariableDefinition['kind'], d: number, via: string, offset: number, nameEnd: number) => {
		definitions.push({ ...ref(text, offset, offset + 1, nameEnd, nameEnd), kind, directive: d, via, family: fam(d) });
	};
	// 1. set, map, geo, …: the `$name` argument names the variable (its whole rest: `set $a-b` defines "a-b")
	for (const { id, arg, name } of DEFINER_IDS) {
		for (const d of byName.of(id)) {
			const argc = t.dirArgc[d];
			const pos = arg < 0 ? argc + arg : arg;
			if (pos < 0 || pos >= argc) { continue; }
			const [s, e] = inner(file, t.dirTok[d] + 1 + pos);
			if (e - s > 1 && text.charCodeAt(s) === 36) { define('directive', d, name, s, e); }
		}
	}
	// 2. third-party directives: every `$name` argument may define one
	const prefixes = new Set<string>();
	const dataBlocks = nginxDataBlockIds();
	for (let d = 0; d < t.directiveCount; d++) {
		const id = ids[d];
		if (!isThirdParty(id)) { continue; }
		// the entries of nginx's own data blocks (map, geo, types, …) are data, not directives
		const parentOwner = t.blockOwner[t.dirParent[d]];
		if (parentOwner >= 0 && ids[parentOwner] >= 0 && dataBlocks[ids[parentOwner]] && !isThirdParty(ids[parentOwner])) { continue; }
		const nameTok = t.dirTok[d];
		const c0 = text.charCodeAt(t.tokStart[nameTok]);
		if (c0 === 36 /* $ */) {
			// a block entry named `$name` (geoip2 and similar blocks of data), not in nginx's own data blocks
			const owner = t.blockOwner[t.dirParent[d]];
			if (owner >= 0 && isThirdParty(ids[owner])) {
				const [s, e] = inner(file, nameTok);
				define('third-party', d, text.slice(t.tokStart[t.dirTok[owner]], t.tokEnd[t.dirTok[owner]]), s, e);
			}
			continue;
		}
		const name = text.slice(t.tokStart[nameTok], t.tokEnd[nameTok]);
		if (id >= 0 || /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(name)) {
			const cut = name.indexOf('_');
			prefixes.add(cut > 0 ? name.slice(0, cut + 1) : name + '_');
		}
		if (!t.dirDollar[d]) { continue; }
		for (let k = nameTok + 1; k <= nameTok + t.dirArgc[d]; k++) {
			const [s, e] = inner(file, k);
			if (e - s < 2 || text.charCodeAt(s) !== 36) { continue; }
			let i = s + 1;
			while (i < e && isNameChar(text.charCodeAt(i))) { i++; }
			if (i === e) { define('third-party', d, name, s, e); }
		}
	}
	// 3. named groups of any regex: nginx makes them variables of the whole configuration
	for (let at = text.indexOf('(?'); at >= 0; at = text.indexOf('(?', at + 2)) {
		NAMED_GROUP.lastIndex = at;
		const m = NAMED_GROUP.exec(text);
		if (!m) { continue; }
		const k = tokenAt(file, at);
		if (k < 0) { continue; }
		const d = directiveOfToken(file, k);
		if (d < 0) { continue; }
		const nameOffset = at + m[0].indexOf(m[1] ?? m[2]);
		const nameEnd = nameOffset + (m[1] ?? m[2]).length;
		definitions.push({
			offset: nameOffset, length: nameEnd - nameOffset, nameOffset, nameLength: nameEnd - nameOffset, key: text.slice(nameOffset, nameEnd).toLowerCase(),
			kind: 'capture', directive: d, via: text.slice(t.tokStart[t.dirTok[d]], t.tokEnd[t.dirTok[d]]), family: fam(d),
		});
	}
	hit = { definitions, prefixes: [...prefixes] };
	fileMemo.set(file.tree, hit);
	return hit;
}

/** The names a file adds to the workspace's variable index: `h:`/`s:`/`*:` + a defined name (by family), `p:` + a third-party prefix. */
function indexNames(file: NginxFile): string[] {
	const v = fileVariables(file);
	const out: string[] = [];
	for (const d of v.definitions) { out.push(`${d.family === 'http' ? 'h' : d.family === 'stream' ? 's' : '*'}:${d.key}`); }
	for (const p of v.prefixes) { out.push(`p:${p}`); }
	return out;
}

/** The workspace's variable index (kept current file by file). */
export function variableIndex(ctx: Pick<NginxContext, 'workspace'>): NameIndex {
	return ctx.workspace.nginxNames('variables', indexNames);
}

// ---- uses -----------------------------------------------------------------------------------

/** A rule of the same shape in both families (what a file read in both may rely on). */
function sameArgs(a: VariableArgs | undefined, b: VariableArgs | undefined): boolean {
	if (a === undefined || b === undefined) { return false; }
	if (typeof a === 'string' || typeof b === 'string') { return a === b; }
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

const ruleCache = new Map<string, VariableArgs | null>();

/** Where a directive compiles variables in `family` (undefined: both families, only where they agree). */
function argsOf(name: string, family: VariableFamily | undefined): VariableArgs | undefined {
	if (family) { return variableArgs(family, name); }
	let r = ruleCache.get(name);
	if (r === undefined) {
		const h = variableArgs('http', name);
		r = sameArgs(h, variableArgs('stream', name)) ? h! : null;
		ruleCache.set(name, r);
	}
	return r ?? undefined;
}

/** By context-set id: 1 http only, 2 stream only, 3 both, 0 neither. */
const setFamilies = new Map<number, number>();
function familiesOfSet(set: number): number {
	let f = setFamilies.get(set);
	if (f === undefined) {
		f = 0;
		for (const c of contextSetNames(set)) {
			if (c.startsWith('http')) { f |= 1; } else if (c.startsWith('stream')) { f |= 2; }
		}
		setFamilies.set(set, f);
	}
	return f;
}

const FILE_TESTS: ReadonlySet<string> = new Set(['-f', '!-f', '-d', '!-d', '-e', '!-e', '-x', '!-x']);

/** Reads the uses of one directive by its rule. */
function readUses(file: NginxFile, d: number, args: VariableArgs, family: VariableFamily | undefined, out: VariableUse[]): void {
	const t = file.tree;
	const text = file.text;
	const first = t.dirTok[d] + 1;
	const argc = t.dirArgc[d];
	const scan = (k: number, mode: Scan, s?: number, e?: number) => {
		const [is, ie] = inner(file, k);
		scanRefs(text, s ?? is, e ?? ie, mode, (offset, nameOffset, nameEnd, end) => {
			out.push({ ...ref(text, offset, nameOffset, nameEnd, end), directive: d, family });
		});
	};
	const value = (k: number) => { const [s, e] = inner(file, k); return text.slice(s, e); };
	if (typeof args !== 'string') {
		for (const a of args) {
			if (typeof a === 'number') {
				const pos = a < 0 ? argc + a : a;
				if (pos >= 0 && pos < argc) { scan(first + pos, Scan.Script); }
			} else if (a === '*' || a === '1*') {
				for (let p = a === '*' ? 0 : 1; p < argc; p++) { scan(first + p, Scan.Script); }
			} else {
				for (let p = 0; p < argc; p++) {
					const [s, e] = inner(file, first + p);
					if (text.startsWith(a, s)) { scan(first + p, Scan.Script, s + a.length, e); }
				}
			}
		}
		return;
	}
	switch (args) {
		case 'access_log': {
			if (argc < 1) { return; }
			const path = value(first);
			let buffered = false;
			for (let p = 1; p < argc; p++) {
				const v = value(first + p);
				if (v.startsWith('if=')) {
					const [s, e] = inner(file, first + p);
					scan(first + p, Scan.Script, s + 3, e);
				} else if (p >= 2 && (v.startsWith('buffer=') || v === 'gzip' || v.startsWith('gzip=') || v.startsWith('flush='))) {
					buffered = true;
				}
			}
			if (path !== 'off' && !path.startsWith('syslog:') && !buffered) { scan(first, Scan.Script); }
			return;
		}
		case 'log_format':
			for (let p = 1; p < argc; p++) {
				if (p === 1 && value(first + 1).startsWith('escape=')) { continue; }
				scan(first + p, Scan.Log);
			}
			return;
		case 'return':
			if (argc === 2) {
				scan(first + 1, Scan.Script);
			} else if (argc === 1 && /^(?:https?:\/\/|\$scheme)/.test(value(first))) {
				scan(first, Scan.Script);
			}
			return;
		case 'charset':
			if (argc >= 1) { scan(first, Scan.Whole); }
			return;
		case 'map':
			if (argc >= 1) { scan(first, Scan.Script); }
			return;
		case 'geo':
			if (argc === 2) { scan(first, Scan.Script); }
			return;
		case 'redirect': {
			if (argc === 2) {
				const v = value(first);
				if (!v.startsWith('~') && v !== 'off' && v !== 'default') { scan(first, Scan.Script); }
				scan(first + 1, Scan.Script);
			}
			return;
		}
		case 'if': {
			if (argc < 1) { return; }
			// nginx strips the "(" of the first argument and the ")" of the last (a lone "(" or ")" is dropped)
			const lastTok = first + argc - 1;
			const [fs, fe] = inner(file, first);
			const [ls, le] = inner(file, lastTok);
			if (fe <= fs || le <= ls || text.charCodeAt(fs) !== 40 || text.charCodeAt(le - 1) !== 41) { return; }
			const cur = fe - fs === 1 ? first + 1 : first;
			const last = le - ls === 1 ? lastTok - 1 : lastTok;
			if (cur > last) { return; }
			const span = (k: number): [number, number] => {
				const [s, e] = inner(file, k);
				return [k === first ? s + 1 : s, k === lastTok ? e - 1 : e];
			};
			const [cs, ce] = span(cur);
			if (ce - cs > 1 && text.charCodeAt(cs) === 36) {
				// `$name`: the whole rest of the argument is the name (`$a-b` is looked up as "a-b")
				scan(cur, Scan.Whole, cs, ce);
				if (cur + 2 === last) {
					const op = value(cur + 1);
					if (op === '=' || op === '!=') { scan(last, Scan.Script, ...span(last)); }
				}
			} else if (cur + 1 === last && FILE_TESTS.has(text.slice(cs, ce))) {
				scan(last, Scan.Script, ...span(last));
			}
			return;
		}
	}
}

const useMemo = new Memo<object, VariableUse[]>();

/** The variables nginx looks up in the file of a validation run. */
export function variableUses(ctx: NginxContext): readonly VariableUse[] {
	const f = runFacts(ctx);
	// per file and contexts: the run's facts keep their block contexts while the graph is the same
	const key = f.blockContexts;
	let out = useMemo.get(key);
	if (out) { return out; }
	out = [];
	const file = ctx.file;
	const t = file.tree;
	const names = nginxNameTable().names;
	for (const d of directivesWithDollar(file)) {
		const parent = t.dirParent[d];
		const owner = t.blockOwner[parent];
		if (owner >= 0 && f.ids[owner] === MAP_ID && f.allData[parent]) {
			// a map entry: its value is compiled (`default $x;`, `~^/a $y;`), not `include`
			const fam = familiesOfSet(f.blockSet[t.dirParent[owner]]);
			if (!fam || t.dirArgc[d] !== 1 || tokenText(file, t.dirTok[d]) === 'include') { continue; }
			readUses(file, d, [0], fam === 1 ? 'http' : fam === 2 ? 'stream' : undefined, out);
			continue;
		}
		const id = f.ids[d];
		if (id < 0) { continue; }
		const fam = familiesOfSet(f.blockSet[parent]);
		if (!fam) { continue; }
		const family = fam === 1 ? 'http' : fam === 2 ? 'stream' : undefined;
		const args = argsOf(names[id], family);
		if (args) { readUses(file, d, args, family, out); }
	}
	useMemo.set(key, out);
	return out;
}

/** The `memcached_pass` directives of the file (nginx reads `$memcached_key` for each, which the configuration must set). */
export function memcachedPasses(file: NginxFile): Int32Array {
	return directivesByName(file).of(MEMCACHED_PASS_ID);
}

// ---- resolution -----------------------------------------------------------------------------

export type VariableSource =
	/** A module's variable; `variable.prefix` for a family of names (`$http_*`). */
	| { readonly kind: 'builtin'; readonly variable: NginxVariableData }
	/** Defined in these workspace files (fileVariables tells where). */
	| { readonly kind: 'defined'; readonly files: ReadonlySet<string> }
	/** Named like the variables of a third-party module the workspace uses. */
	| { readonly kind: 'third-party'; readonly prefix: string }
	| { readonly kind: 'unknown' };

const UNKNOWN: VariableSource = { kind: 'unknown' };

/** Where a (lowercase) name comes from for a use in `family` (undefined: either family). */
export function resolveVariable(index: NameIndex, key: string, family: VariableFamily | undefined): VariableSource {
	const builtin = family ? builtinVariable(family, key) : (builtinVariable('http', key) ?? builtinVariable('stream', key));
	if (builtin) { return { kind: 'builtin', variable: builtin }; }
	const files = index.files;
	const defined = files.get(`*:${key}`) ?? (family !== 'stream' ? files.get(`h:${key}`) : undefined) ?? (family !== 'http' ? files.get(`s:${key}`) : undefined);
	if (defined) { return { kind: 'defined', files: definedIn(index, key, family) }; }
	for (let i = key.indexOf('_'); i > 0; i = key.indexOf('_', i + 1)) {
		const prefix = key.slice(0, i + 1);
		if (files.has(`p:${prefix}`)) { return { kind: 'third-party', prefix }; }
	}
	return UNKNOWN;
}

function definedIn(index: NameIndex, key: string, family: VariableFamily | undefined): ReadonlySet<string> {
	const out = new Set<string>();
	for (const tag of ['*', ...(family !== 'stream' ? ['h'] : []), ...(family !== 'http' ? ['s'] : [])]) {
		for (const uri of index.files.get(`${tag}:${key}`) ?? []) { out.add(uri); }
	}
	return out;
}

/** The user-defined names of the workspace usable in `family`, lowercase (for suggestions and completion). */
export function definedVariableNames(index: NameIndex, family: VariableFamily | undefined): string[] {
	const out: string[] = [];
	for (const name of index.files.keys()) {
		const tag = name.charCodeAt(0);
		if (name.charCodeAt(1) !== 58 /* : */) { continue; }
		if (tag === 42 /* * */ || (tag === 104 /* h */ && family !== 'stream') || (tag === 115 /* s */ && family !== 'http')) { out.push(name.slice(2)); }
	}
	return out;
}

// ---- complete configurations ----------------------------------------------------------------

/** Folders of `load_module` snippets: an include of them that matches nothing in the workspace brings no definitions. */
const MODULE_FOLDERS = /(?:^|\/)modules(?:-enabled|-available)?\/[^/]*$/;

const closedRoots = new Memo<NginxIncludeGraph, Map<string, boolean>>();

/**
 * Whether the tree rooted at `root` is all in the workspace: every include of every file it
 * reaches resolves to workspace files or nginx's standard files (an include of a folder of
 * `load_module` snippets that matches nothing aside).
 */
function isClosedRoot(graph: NginxIncludeGraph, root: string): boolean {
	let memo = closedRoots.get(graph);
	if (!memo) {
		memo = new Map();
		closedRoots.set(graph, memo);
	}
	let hit = memo.get(root);
	if (hit !== undefined) { return hit; }
	hit = true;
	const seen = new Set([root]);
	const stack = [root];
	while (hit && stack.length) {
		const uri = stack.pop()!;
		for (const edge of graph.edgesFrom(uri)) {
			if (!edge.targets.length) {
				if (edge.standard || MODULE_FOLDERS.test(edge.pattern)) { continue; }
				hit = false;
				break;
			}
			for (const target of edge.targets) {
				if (!seen.has(target)) {
					seen.add(target);
					stack.push(target);
				}
			}
		}
	}
	memo.set(root, hit);
	return hit;
}

/**
 * Whether the file being validated belongs to a complete configuration of the workspace: it is,
 * or is included (through any chain) by, a file whose top level is nginx's main context and
 * which is included by nothing, and that tree's includes all resolve in the workspace. A file
 * that is not (a site file included from an nginx.conf outside the workspace) may use variables
 * its unseen surroundings define.
 */
export function inCompleteConfig(ctx: NginxContext): boolean {
	const graph = includeGraph(ctx);
	const seen = new Set([ctx.uri]);
	const queue = [ctx.uri];
	for (let head = 0; head < queue.length; head++) {
		const uri = queue[head];
		const includers = graph.includersOf(uri);
		if (!includers.length) {
			// a file nothing includes is read in its own top-level context (declared or inferred, kept by the graph)
			if (graph.topContexts(uri).includes('main') && isClosedRoot(graph, uri)) { return true; }
			continue;
		}
		for (const edge of includers) {
			if (!seen.has(edge.from)) {
				seen.add(edge.from);
				queue.push(edge.from);
			}
		}
	}
	return false;
}
