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
 * the workspace by the name indexes (`nginxNames('variables…')`, see variableIndex), so an edit
 * collects only the edited file again; uses are worked out per validation run (they depend on the
 * contexts the file is included in). Both are integer columns (a large config has thousands);
 * the editor features read them as objects: `fileVariables(file).definitions`,
 * `variableUses(ctx).all()`, and `resolveVariable(variableIndex(ctx), key, family)` for where a
 * name comes from (the files that define it: `.files`, then their `fileVariables`).
 */
import { builtinVariable, builtinVariableNames, builtinVariablePrefixes, type NginxVariableData, type VariableFamily } from '../../data/nginxVariables';
import { definedVariableArg, variableArgs, variableDefiners, type VariableArgs } from '../../data/nginxVariableArgs';
import { nginxDataBlockIds, nginxDirectivesById, nginxNameTable } from '../../data/nginxData';
import type { NginxFile } from '../../parser/nginx/nodes';
import { Memo } from '../../utils/memo';
import { NameTable } from '../../utils/nameTable';
import type { NameIndex, NginxContext } from '../context';
import { contextSetNames, directiveId, directiveIds, directivesByName } from './facts';
import { includeGraph, runFacts, type RunFacts } from './fileContexts';
import type { NginxIncludeGraph } from './includes';

export type { VariableFamily } from '../../data/nginxVariables';

/** A `$name` (or `${name}`) in the text; for a named capture, its name. */
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


// ---- columns of references ------------------------------------------------------------------

const NO_FAMILY = 0;
const HTTP = 1;
const STREAM = 2;

function familyOf(code: number): VariableFamily | undefined {
	return code === HTTP ? 'http' : code === STREAM ? 'stream' : undefined;
}

/**
 * References kept as integers (a large config has thousands: no object each), five per
 * reference in one array — the `$` (or the name of a named group), the name's start and end, the
 * end (after a closing brace), the directive — and two bytes per reference in another: the family
 * (0 none or both, 1 http, 2 stream) and a kind.
 */
class RefColumns {
	count = 0;
	private ints: Int32Array<ArrayBuffer>;
	private bytes: Uint8Array<ArrayBuffer>;

	constructor(capacity: number) {
		const n = Math.max(16, capacity);
		this.ints = new Int32Array(n * 5);
		this.bytes = new Uint8Array(n * 2);
	}

	push(offset: number, nameStart: number, nameEnd: number, end: number, directive: number, family: number, kind: number): void {
		const i = this.count++;
		if (i * 5 === this.ints.length) {
			const ints = new Int32Array(this.ints.length * 4);
			ints.set(this.ints);
			this.ints = ints;
			const bytes = new Uint8Array(this.bytes.length * 4);
			bytes.set(this.bytes);
			this.bytes = bytes;
		}
		const a = this.ints;
		const o = i * 5;
		a[o] = offset;
		a[o + 1] = nameStart;
		a[o + 2] = nameEnd;
		a[o + 3] = end;
		a[o + 4] = directive;
		this.bytes[i * 2] = family;
		this.bytes[i * 2 + 1] = kind;
	}

	offset(i: number): number {
		return this.ints[i * 5];
	}

	nameStart(i: number): number {
		return this.ints[i * 5 + 1];
	}

	nameEnd(i: number): number {
		return this.ints[i * 5 + 2];
	}

	end(i: number): number {
		return this.ints[i * 5 + 3];
	}

	directive(i: number): number {
		return this.ints[i * 5 + 4];
	}

	family(i: number): number {
		return this.bytes[i * 2];
	}

	kind(i: number): number {
		return this.bytes[i * 2 + 1];
	}
}

/** The lowercase key of a name in the text (lowercased only when it has capitals). */
function keyOf(text: string, s: number, e: number): string {
	for (let i = s; i < e; i++) {
		const c = text.charCodeAt(i);
		if (c >= 65 && c <= 90) { return text.slice(s, e).toLowerCase(); }
	}
	return text.slice(s, e);
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

/** Adds each variable reference of text[s, e) as nginx reads it. A reference nginx refuses (an empty name, a missing `}`) is left out. */
function scanRefs(text: string, s: number, e: number, mode: Scan, out: RefColumns, d: number, family: number): void {
	if (mode === Scan.Whole) {
		if (e - s > 1 && text.charCodeAt(s) === 36 /* $ */) { out.push(s, s + 1, e, e, d, family, 0); }
		return;
	}
	// a loop bounded by the argument (indexOf would search on through the rest of the file when it holds no `$`)
	for (let i = s; i < e;) {
		if (text.charCodeAt(i) !== 36) {
			i++;
			continue;
		}
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
			if (i > start) { out.push(at, start, i, i + 1, d, family, 0); }
			i++;
			continue;
		}
		if (i > start) { out.push(at, start, i, i, d, family, 0); }
	}
}

/** Where the text of token k starts, after its opening quote. */
function innerStart(file: NginxFile, k: number): number {
	const t = file.tree;
	return (t.tokFlags[k] & 3) === 0 ? t.tokStart[k] : t.tokStart[k] + 1;
}

/** Where the text of token k ends, before its closing quote. */
function innerEnd(file: NginxFile, k: number): number {
	const t = file.tree;
	const s = t.tokStart[k];
	const e = t.tokEnd[k];
	if ((t.tokFlags[k] & 3) === 0) { return e; }
	return e - s >= 2 && file.text.charCodeAt(e - 1) === file.text.charCodeAt(s) ? e - 1 : e;
}

// ---- per-directive facts --------------------------------------------------------------------

const HTTP_ID = directiveId('http');
const STREAM_ID = directiveId('stream');
const MAP_ID = directiveId('map');
const MEMCACHED_PASS_ID = directiveId('memcached_pass');
const INCLUDE_ID = directiveId('include');

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
		out[b] = id === HTTP_ID ? HTTP : id === STREAM_ID ? STREAM : out[t.dirParent[owner]];
	}
	return out;
}

const familyMemo = new Memo<object, Uint8Array>();

function familiesOfBlocks(file: NginxFile): Uint8Array {
	let f = familyMemo.get(file.tree);
	if (!f) {
		f = blockFamilies(file);
		familyMemo.set(file.tree, f);
	}
	return f;
}

/** The family of the http or stream block around directive d in its own file (undefined: none, a fragment). */
export function explicitFamily(file: NginxFile, d: number): VariableFamily | undefined {
	return familyOf(familiesOfBlocks(file)[file.tree.dirParent[d]]);
}

/** The family a block of the validated file stands in, from the run's contexts (undefined: both, or neither). */
export function runFamily(f: RunFacts, block: number): VariableFamily | undefined {
	return familyOf(familiesOfSet(f.blockSet[block]));
}

/** The directive whose name or arguments hold offset `at`, or -1 (a comment, blank space, a block's body). */
function directiveAt(file: NginxFile, at: number): number {
	const t = file.tree;
	let lo = 0;
	let hi = t.directiveCount - 1;
	let d = -1;
	// the last directive whose name starts at or before `at` (directives are in document order)
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (t.tokStart[t.dirTok[mid]] <= at) { d = mid; lo = mid + 1; } else { hi = mid - 1; }
	}
	return d >= 0 && at < t.tokEnd[t.dirTok[d] + t.dirArgc[d]] ? d : -1;
}

// ---- definitions ----------------------------------------------------------------------------

const KIND_DIRECTIVE = 0;
const KIND_CAPTURE = 1;
const KIND_THIRD_PARTY = 2;
const KINDS: readonly VariableDefinition['kind'][] = ['directive', 'capture', 'third-party'];

/** What a file defines (and the third-party prefixes it brings), kept per parsed tree. */
export class FileVariables {
	/** The lowercase name of each definition. */
	readonly keys: string[] = [];
	/** Variable-name prefixes of the third-party modules the file uses (`brotli_`, `echo_`). */
	readonly prefixes: string[] = [];
	private views: VariableDefinition[] | undefined;

	constructor(private readonly file: NginxFile, readonly refs: RefColumns) {}

	get count(): number {
		return this.refs.count;
	}

	/** The definitions as objects (made on first use: the checks read the columns). */
	get definitions(): readonly VariableDefinition[] {
		if (!this.views) {
			const r = this.refs;
			const t = this.file.tree;
			const text = this.file.text;
			const views: VariableDefinition[] = [];
			for (let i = 0; i < r.count; i++) {
				const d = r.directive(i);
				const owner = r.kind(i) === KIND_THIRD_PARTY && text.charCodeAt(t.tokStart[t.dirTok[d]]) === 36 ? t.blockOwner[t.dirParent[d]] : d;
				views.push({
					offset: r.offset(i), length: r.end(i) - r.offset(i), nameOffset: r.nameStart(i), nameLength: r.nameEnd(i) - r.nameStart(i), key: this.keys[i],
					kind: KINDS[r.kind(i)], directive: d, via: text.slice(t.tokStart[t.dirTok[owner]], t.tokEnd[t.dirTok[owner]]), family: familyOf(r.family(i)),
				});
			}
			this.views = views;
		}
		return this.views;
	}
}

/**
 * Where the name of a named group starts, for a `(?` at `at`: `(?<name>`, `(?P<name>`,
 * `(?'name'` (not a lookbehind `(?<=`, `(?<!`); -1 for any other group. The name starts with a
 * letter or `_`.
 */
function namedGroupName(text: string, at: number): number {
	let i = at + 2;
	let c = text.charCodeAt(i);
	if (c === 80 /* P */) {
		c = text.charCodeAt(++i);
		if (c !== 60) { return -1; }
	}
	if (c !== 60 /* < */ && c !== 39 /* ' */) { return -1; }
	const f = text.charCodeAt(i + 1);
	return (f >= 97 && f <= 122) || (f >= 65 && f <= 90) || f === 95 ? i + 1 : -1;
}

const fileMemo = new Memo<object, FileVariables>();

/** What a file defines: set, map, … arguments, third-party `$name` arguments and entries, named groups (kept per parsed tree). */
export function fileVariables(file: NginxFile): FileVariables {
	let hit = fileMemo.get(file.tree);
	if (hit) { return hit; }
	const t = file.tree;
	const text = file.text;
	const ids = directiveIds(file);
	const byName = directivesByName(file);
	const families = familiesOfBlocks(file);
	const refs = new RefColumns(64);
	hit = new FileVariables(file, refs);
	const keys = hit.keys;
	const define = (kind: number, d: number, offset: number, nameStart: number, nameEnd: number) => {
		refs.push(offset, nameStart, nameEnd, nameEnd, d, families[t.dirParent[d]], kind);
		keys.push(keyOf(text, nameStart, nameEnd));
	};
	// 1. set, map, geo, …: the `$name` argument names the variable (its whole rest: `set $a-b` defines "a-b")
	for (let x = 0; x < DEFINER_IDS.length; x++) {
		const { id, arg } = DEFINER_IDS[x];
		const list = byName.of(id);
		for (let j = 0; j < list.length; j++) {
			const d = list[j];
			const argc = t.dirArgc[d];
			const pos = arg < 0 ? argc + arg : arg;
			if (pos < 0 || pos >= argc) { continue; }
			const k = t.dirTok[d] + 1 + pos;
			const s = innerStart(file, k);
			const e = innerEnd(file, k);
			if (e - s > 1 && text.charCodeAt(s) === 36) { define(KIND_DIRECTIVE, d, s, s + 1, e); }
		}
	}
	// 2. third-party directives (and names no module defines): every `$name` argument may define one
	const prefixes = new Set<string>();
	const dataBlocks = nginxDataBlockIds();
	const used = byName.usedIds();
	for (let u = 0; u < used.length; u++) {
		const id = used[u];
		if (!isThirdParty(id)) { continue; }
		const list = byName.of(id);
		for (let j = 0; j < list.length; j++) { thirdParty(file, list[j], ids, dataBlocks, prefixes, define); }
	}
	for (const p of prefixes) { hit.prefixes.push(p); }
	// 3. named groups of any regex: nginx makes them variables of the whole configuration
	for (let at = text.indexOf('(?'); at >= 0; at = text.indexOf('(?', at + 2)) {
		const nameStart = namedGroupName(text, at);
		if (nameStart < 0) { continue; }
		let nameEnd = nameStart;
		while (isNameChar(text.charCodeAt(nameEnd))) { nameEnd++; }
		if (text.charCodeAt(nameEnd) !== (text.charCodeAt(nameStart - 1) === 39 ? 39 : 62)) { continue; }
		// the directive whose name or arguments hold it (not a comment)
		const d = directiveAt(file, at);
		if (d >= 0) { define(KIND_CAPTURE, d, nameStart, nameStart, nameEnd); }
	}
	fileMemo.set(file.tree, hit);
	return hit;
}

/** A directive only third-party modules have (or no module): its `$name` arguments, a `$name` entry, its prefix. */
function thirdParty(file: NginxFile, d: number, ids: Int32Array, dataBlocks: Uint8Array, prefixes: Set<string>,
	define: (kind: number, d: number, offset: number, nameStart: number, nameEnd: number) => void): void {
	const t = file.tree;
	const text = file.text;
	// the entries of nginx's own data blocks (map, geo, types, …) are data, not directives
	const parentOwner = t.blockOwner[t.dirParent[d]];
	if (parentOwner >= 0 && ids[parentOwner] >= 0 && dataBlocks[ids[parentOwner]] && !isThirdParty(ids[parentOwner])) { return; }
	const nameTok = t.dirTok[d];
	if (text.charCodeAt(t.tokStart[nameTok]) === 36 /* $ */) {
		// a block entry named `$name` (geoip2 and similar blocks of data)
		if (parentOwner >= 0 && isThirdParty(ids[parentOwner])) {
			const s = innerStart(file, nameTok);
			define(KIND_THIRD_PARTY, d, s, s + 1, innerEnd(file, nameTok));
		}
		return;
	}
	const name = text.slice(t.tokStart[nameTok], t.tokEnd[nameTok]);
	if (ids[d] >= 0 || /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(name)) {
		const cut = name.indexOf('_');
		prefixes.add(cut > 0 ? name.slice(0, cut + 1) : name + '_');
	}
	if (!t.dirDollar[d]) { return; }
	for (let k = nameTok + 1; k <= nameTok + t.dirArgc[d]; k++) {
		const s = innerStart(file, k);
		const e = innerEnd(file, k);
		if (e - s < 2 || text.charCodeAt(s) !== 36) { continue; }
		let i = s + 1;
		while (i < e && isNameChar(text.charCodeAt(i))) { i++; }
		if (i === e) { define(KIND_THIRD_PARTY, d, s, s + 1, e); }
	}
}

/** The names a file adds to one of the workspace's variable indexes. */
function namesOfFamily(code: number): (file: NginxFile) => string[] {
	return file => {
		const v = fileVariables(file);
		const out: string[] = [];
		const r = v.refs;
		for (let i = 0; i < v.count; i++) {
			if (r.family(i) === code) { out.push(v.keys[i]); }
		}
		return out;
	};
}

const COLLECT_ANY = namesOfFamily(NO_FAMILY);
const COLLECT_HTTP = namesOfFamily(HTTP);
const COLLECT_STREAM = namesOfFamily(STREAM);
const COLLECT_PREFIXES = (file: NginxFile) => fileVariables(file).prefixes;

/**
 * The workspace's variable definitions, kept current file by file: names defined outside any
 * http or stream block of their file (`any`: a fragment's), in http, in stream, and the prefixes of
 * the third-party modules used.
 */
export interface VariableIndex {
	readonly any: NameIndex;
	readonly http: NameIndex;
	readonly stream: NameIndex;
	readonly prefixes: NameIndex;
}

export function variableIndex(ctx: Pick<NginxContext, 'workspace'>): VariableIndex {
	const w = ctx.workspace;
	return {
		any: w.nginxNames('variables', COLLECT_ANY),
		http: w.nginxNames('variables:http', COLLECT_HTTP),
		stream: w.nginxNames('variables:stream', COLLECT_STREAM),
		prefixes: w.nginxNames('variables:prefixes', COLLECT_PREFIXES),
	};
}

// ---- uses -----------------------------------------------------------------------------------

/** A rule of the same shape in both families (what a file read in both may rely on). */
function sameArgs(a: VariableArgs | undefined, b: VariableArgs | undefined): boolean {
	if (a === undefined || b === undefined) { return false; }
	if (typeof a === 'string' || typeof b === 'string') { return a === b; }
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** By directive id and family code: the rule (null: none), worked out on first use. */
const rulesByFamily: (VariableArgs | null)[][] = [[], [], []];

function argsOf(id: number, family: number): VariableArgs | undefined {
	const cache = rulesByFamily[family];
	let r = cache[id];
	if (r === undefined) {
		const name = nginxNameTable().names[id];
		if (family === HTTP) {
			r = variableArgs('http', name) ?? null;
		} else if (family === STREAM) {
			r = variableArgs('stream', name) ?? null;
		} else {
			const h = variableArgs('http', name);
			r = sameArgs(h, variableArgs('stream', name)) ? h! : null;
		}
		cache[id] = r;
	}
	return r ?? undefined;
}

/** By context-set id: 1 http only, 2 stream only, 3 both, 0 neither (-1: not worked out yet). */
const setFamilies: number[] = [];
function familiesOfSet(set: number): number {
	const hit = setFamilies[set];
	if (hit !== undefined && hit >= 0) { return hit; }
	let f = 0;
	for (const c of contextSetNames(set)) {
		if (c.startsWith('http')) { f |= 1; } else if (c.startsWith('stream')) { f |= 2; }
	}
	while (setFamilies.length < set) { setFamilies.push(-1); }
	setFamilies[set] = f;
	return f;
}

const FILE_TESTS: ReadonlySet<string> = new Set(['-f', '!-f', '-d', '!-d', '-e', '!-e', '-x', '!-x']);

/** Whether token k's text is `word`, read in place. */
function tokenIs(file: NginxFile, k: number, word: string): boolean {
	const s = innerStart(file, k);
	return innerEnd(file, k) - s === word.length && file.text.startsWith(word, s);
}

/** Reads the uses of one directive by its rule. */
function readUses(file: NginxFile, d: number, args: VariableArgs, family: number, out: RefColumns): void {
	const t = file.tree;
	const text = file.text;
	const first = t.dirTok[d] + 1;
	const argc = t.dirArgc[d];
	if (typeof args !== 'string') {
		for (let x = 0; x < args.length; x++) {
			const a = args[x];
			if (typeof a === 'number') {
				const pos = a < 0 ? argc + a : a;
				if (pos >= 0 && pos < argc) { scanRefs(text, innerStart(file, first + pos), innerEnd(file, first + pos), Scan.Script, out, d, family); }
			} else if (a === '*' || a === '1*') {
				for (let k = a === '*' ? first : first + 1; k < first + argc; k++) { scanRefs(text, innerStart(file, k), innerEnd(file, k), Scan.Script, out, d, family); }
			} else {
				for (let k = first; k < first + argc; k++) {
					const s = innerStart(file, k);
					if (text.startsWith(a, s)) { scanRefs(text, s + a.length, innerEnd(file, k), Scan.Script, out, d, family); }
				}
			}
		}
		return;
	}
	const scan = (k: number, mode: Scan) => scanRefs(text, innerStart(file, k), innerEnd(file, k), mode, out, d, family);
	switch (args) {
		case 'access_log': {
			if (argc < 1 || tokenIs(file, first, 'off')) { return; }
			let buffered = false;
			for (let k = first + 1; k < first + argc; k++) {
				const s = innerStart(file, k);
				if (text.startsWith('if=', s)) {
					scanRefs(text, s + 3, innerEnd(file, k), Scan.Script, out, d, family);
				} else if (k >= first + 2 && (text.startsWith('buffer=', s) || text.startsWith('gzip', s) || text.startsWith('flush=', s))) {
					buffered = true;
				}
			}
			if (!buffered && !text.startsWith('syslog:', innerStart(file, first))) { scan(first, Scan.Script); }
			return;
		}
		case 'log_format':
			for (let k = first + 1; k < first + argc; k++) {
				if (k === first + 1 && text.startsWith('escape=', innerStart(file, k))) { continue; }
				scan(k, Scan.Log);
			}
			return;
		case 'return':
			if (argc === 2) {
				scan(first + 1, Scan.Script);
			} else if (argc === 1) {
				const s = innerStart(file, first);
				if (text.startsWith('http://', s) || text.startsWith('https://', s) || text.startsWith('$scheme', s)) { scan(first, Scan.Script); }
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
		case 'redirect':
			if (argc === 2) {
				const s = innerStart(file, first);
				if (text.charCodeAt(s) !== 126 /* ~ */ && !tokenIs(file, first, 'off') && !tokenIs(file, first, 'default')) { scan(first, Scan.Script); }
				scan(first + 1, Scan.Script);
			}
			return;
		case 'if': {
			if (argc < 1) { return; }
			// nginx strips the "(" of the first argument and the ")" of the last (a lone "(" or ")" is dropped)
			const lastTok = first + argc - 1;
			const fs = innerStart(file, first);
			const fe = innerEnd(file, first);
			const ls = innerStart(file, lastTok);
			const le = innerEnd(file, lastTok);
			if (fe <= fs || le <= ls || text.charCodeAt(fs) !== 40 || text.charCodeAt(le - 1) !== 41) { return; }
			const cur = fe - fs === 1 ? first + 1 : first;
			const last = le - ls === 1 ? lastTok - 1 : lastTok;
			if (cur > last) { return; }
			const startOf = (k: number) => (k === first ? innerStart(file, k) + 1 : innerStart(file, k));
			const endOf = (k: number) => (k === lastTok ? innerEnd(file, k) - 1 : innerEnd(file, k));
			const cs = startOf(cur);
			const ce = endOf(cur);
			if (ce - cs > 1 && text.charCodeAt(cs) === 36) {
				// `$name`: the whole rest of the argument is the name (`$a-b` is looked up as "a-b")
				scanRefs(text, cs, ce, Scan.Whole, out, d, family);
				if (cur + 2 === last && (tokenIs(file, cur + 1, '=') || tokenIs(file, cur + 1, '!='))) {
					scanRefs(text, startOf(last), endOf(last), Scan.Script, out, d, family);
				}
			} else if (cur + 1 === last && FILE_TESTS.has(text.slice(cs, ce))) {
				scanRefs(text, startOf(last), endOf(last), Scan.Script, out, d, family);
			}
			return;
		}
	}
}

/** The variables nginx looks up in a file, as columns (see use(i) for one as an object). */
export class VariableUses {
	constructor(private readonly file: NginxFile, readonly refs: RefColumns) {}

	get count(): number {
		return this.refs.count;
	}

	/** The lowercase name of use i. */
	key(i: number): string {
		return keyOf(this.file.text, this.refs.nameStart(i), this.refs.nameEnd(i));
	}

	use(i: number): VariableUse {
		const r = this.refs;
		return {
			offset: r.offset(i), length: r.end(i) - r.offset(i), nameOffset: r.nameStart(i), nameLength: r.nameEnd(i) - r.nameStart(i),
			key: this.key(i), directive: r.directive(i), family: familyOf(r.family(i)),
		};
	}

	/** Every use as an object. */
	all(): VariableUse[] {
		const out: VariableUse[] = [];
		for (let i = 0; i < this.count; i++) { out.push(this.use(i)); }
		return out;
	}
}

/** By directive id: 1 when the name compiles variables in http or stream (map too: its entries). */
let ruleIds: Uint8Array | undefined;
function idsWithRules(): Uint8Array {
	if (!ruleIds) {
		const names = nginxNameTable().names;
		ruleIds = new Uint8Array(names.length);
		for (let id = 0; id < names.length; id++) {
			ruleIds[id] = variableArgs('http', names[id]) || variableArgs('stream', names[id]) ? 1 : 0;
		}
	}
	return ruleIds;
}

/** The entries of a map block: each value is compiled (`default $x;`, `~^/a $y;`), not an `include`. */
function mapEntries(file: NginxFile, f: RunFacts, d: number, refs: RefColumns): void {
	const t = file.tree;
	const b = t.dirBlock[d];
	if (!f.allData[b]) { return; }
	const fam = familiesOfSet(f.blockSet[t.dirParent[d]]);
	if (fam === 0) { return; }
	for (let c = t.blockFirst[b]; c >= 0; c = t.dirNext[c]) {
		if (!t.dirDollar[c] || t.dirArgc[c] !== 1 || f.ids[c] === INCLUDE_ID) { continue; }
		const k = t.dirTok[c] + 1;
		scanRefs(file.text, innerStart(file, k), innerEnd(file, k), Scan.Script, refs, c, fam === 3 ? NO_FAMILY : fam);
	}
}

const useMemo = new Memo<object, VariableUses>();

/** The variables nginx looks up in the file of a validation run. */
export function variableUses(ctx: NginxContext): VariableUses {
	const f = runFacts(ctx);
	// per file and contexts: the run's facts keep their block contexts while the graph is the same
	const memoKey = f.blockContexts;
	let uses = useMemo.get(memoKey);
	if (uses) { return uses; }
	const file = ctx.file;
	const t = file.tree;
	const byName = directivesByName(file);
	const refs = new RefColumns(256);
	// only the names that compile variables somewhere, and of them the directives with a `$`
	const used = byName.usedIds();
	const rules = idsWithRules();
	for (let u = 0; u < used.length; u++) {
		const id = used[u];
		if (id < 0 || !rules[id]) { continue; }
		const list = byName.of(id);
		for (let j = 0; j < list.length; j++) {
			const d = list[j];
			if (id === MAP_ID && t.dirBlock[d] >= 0) { mapEntries(file, f, d, refs); }
			if (!t.dirDollar[d]) { continue; }
			const fam = familiesOfSet(f.blockSet[t.dirParent[d]]);
			if (fam === 0) { continue; }
			const family = fam === 3 ? NO_FAMILY : fam;
			const args = argsOf(id, family);
			if (args) { readUses(file, d, args, family, refs); }
		}
	}
	uses = new VariableUses(file, refs);
	useMemo.set(memoKey, uses);
	return uses;
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
export function resolveVariable(index: VariableIndex, key: string, family: VariableFamily | undefined): VariableSource {
	const builtin = family ? builtinVariable(family, key) : (builtinVariable('http', key) ?? builtinVariable('stream', key));
	if (builtin) { return { kind: 'builtin', variable: builtin }; }
	const files = definedIn(index, key, family);
	if (files) { return { kind: 'defined', files }; }
	for (let i = key.indexOf('_'); i > 0; i = key.indexOf('_', i + 1)) {
		const prefix = key.slice(0, i + 1);
		if (index.prefixes.files.has(prefix)) { return { kind: 'third-party', prefix }; }
	}
	return UNKNOWN;
}

/** The workspace files that define a name usable in `family` (undefined: none). */
function definedIn(index: VariableIndex, key: string, family: VariableFamily | undefined): ReadonlySet<string> | undefined {
	const sets: ReadonlySet<string>[] = [];
	const add = (s: ReadonlySet<string> | undefined) => { if (s) { sets.push(s); } };
	add(index.any.files.get(key));
	if (family !== 'stream') { add(index.http.files.get(key)); }
	if (family !== 'http') { add(index.stream.files.get(key)); }
	if (sets.length <= 1) { return sets[0]; }
	const out = new Set<string>();
	for (const s of sets) { for (const uri of s) { out.add(uri); } }
	return out;
}

/** The user-defined names of the workspace usable in `family`, lowercase (for suggestions and completion). */
export function definedVariableNames(index: VariableIndex, family: VariableFamily | undefined): string[] {
	const out = [...index.any.files.keys()];
	if (family !== 'stream') { out.push(...index.http.files.keys()); }
	if (family !== 'http') { out.push(...index.stream.files.keys()); }
	return out;
}

/** The built-ins of a family, interned for lookups by offsets (both families: code 0). */
const builtinTables: (NameTable | undefined)[] = [];

function builtinTable(family: number): NameTable {
	return (builtinTables[family] ??= new NameTable(family === HTTP ? builtinVariableNames('http') : family === STREAM ? builtinVariableNames('stream')
		: [...builtinVariableNames('http'), ...builtinVariableNames('stream')]));
}

/**
 * Whether use i is defined, read on the text where it can be (an exact built-in, a prefix family,
 * in the case written), else by its name: defined in the workspace, or by resolveVariable.
 */
export function isUseDefined(uses: VariableUses, i: number, index: VariableIndex, text: string): boolean {
	const r = uses.refs;
	const s = r.nameStart(i);
	const e = r.nameEnd(i);
	const fam = r.family(i);
	if (builtinTable(fam).idAt(text, s, e) >= 0) { return true; }
	const prefixes = fam === NO_FAMILY ? PREFIXES_BOTH : fam === HTTP ? PREFIXES_HTTP : PREFIXES_STREAM;
	for (let k = 0; k < prefixes.length; k++) {
		const p = prefixes[k];
		if (e - s >= p.length && text.startsWith(p, s)) { return true; }
	}
	const key = uses.key(i);
	if (index.any.files.has(key) || (fam !== STREAM && index.http.files.has(key)) || (fam !== HTTP && index.stream.files.has(key))) { return true; }
	return resolveVariable(index, key, familyOf(fam)).kind !== 'unknown';
}

const PREFIXES_HTTP = builtinVariablePrefixes('http').map(v => v.name);
const PREFIXES_STREAM = builtinVariablePrefixes('stream').map(v => v.name);
const PREFIXES_BOTH = [...new Set([...PREFIXES_HTTP, ...PREFIXES_STREAM])];

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
