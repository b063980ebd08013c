/**
 * What the nginx validators read per directive, as integers: contexts interned to ids, the
 * contexts of every block of a file as an Int32Array, the set of contexts a block's directives
 * stand in as one id, and per (context set, directive id) the facts of the directive data the
 * checks need (applicable definitions, accepted argument counts as a bit mask, block-ness,
 * whether the value is checked, whether a repeat is an error). The data facts are derived once
 * per process from the directive tables and shared by every file and run; nothing here depends
 * on the text being checked.
 */
import { getNginxDirectives, nginxDirectivesById, nginxNameTable } from '../../data/nginxData';
import type { NginxArgRule, NginxDirectiveData } from '../../data/types';
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import { tokenValue } from '../../parser/nginx/parser';
import { Memo } from '../../utils/memo';

/** Context of a block whose kind we cannot know (an unknown block directive). */
export const UNKNOWN_CONTEXT = '?';
/** Body of a data block (map, types, geo, ...) or a Lua block: not directives. */
export const DATA_CONTEXT = '#data';
export const UNKNOWN_ID = 0;
export const DATA_ID = 1;

const contextNames: string[] = [UNKNOWN_CONTEXT, DATA_CONTEXT];
const contextIds = new Map<string, number>([[UNKNOWN_CONTEXT, UNKNOWN_ID], [DATA_CONTEXT, DATA_ID]]);

export function contextId(name: string): number {
	let id = contextIds.get(name);
	if (id === undefined) {
		id = contextNames.length;
		contextNames.push(name);
		contextIds.set(name, id);
	}
	return id;
}

export function contextName(id: number): string {
	return contextNames[id];
}

export function allowsContext(d: NginxDirectiveData, context: string): boolean {
	return d.contexts.includes(context) || d.contexts.includes('any');
}

const table = nginxNameTable();
/** Number of directive ids. */
export const DIRECTIVE_IDS = table.size;

/** The id of a directive name (-1 when no module defines it). */
export function directiveId(name: string): number {
	return table.id(name);
}

const idCache = new Memo<object, Int32Array>();

/** Directive ids of a file's directives (by index), from the parser when it interned them with our table. */
export function directiveIds(file: NginxFile): Int32Array {
	const tree = file.tree;
	if (tree.names === table) { return tree.dirId; }
	let ids = idCache.get(tree);
	if (!ids) {
		ids = new Int32Array(tree.directiveCount);
		for (let d = 0; d < ids.length; d++) { ids[d] = table.id(file.directive(d).name.value); }
		idCache.set(tree, ids);
	}
	return ids;
}

/** By parent context id: child context id + 1 per directive id (0: not computed yet). */
const childMemo: Int32Array[] = [];

/** The context a block directive (by id) opens when it stands in `parent`. */
export function childContextId(parent: number, id: number): number {
	if (parent === UNKNOWN_ID || parent === DATA_ID) { return parent; }
	if (id < 0) { return UNKNOWN_ID; }
	const memo = (childMemo[parent] ??= new Int32Array(DIRECTIVE_IDS));
	let child = memo[id] - 1;
	if (child < 0) {
		child = computeChild(contextNames[parent], nginxDirectivesById(id));
		memo[id] = child + 1;
	}
	return child;
}

function computeChild(parentContext: string, defs: readonly NginxDirectiveData[]): number {
	const def = defs.find(x => allowsContext(x, parentContext)) ?? defs[0];
	if (!def) { return UNKNOWN_ID; }
	if (def.rawBlock) { return DATA_ID; }
	const opened = def.blockContexts ?? [];
	if (opened.length <= 1) { return opened[0] === undefined ? UNKNOWN_ID : contextId(opened[0]); }
	// `if` opens http.server.if or http.location.if depending on its parent
	return contextId(opened.find(c => c.startsWith(parentContext + '.')) ?? opened[0]);
}

/** Context id of every block of a file, by block index, when its top level is read in `top`. */
export function blockContextIds(file: NginxFile, top: number): Int32Array {
	const t = file.tree;
	const ids = directiveIds(file);
	const out = new Int32Array(t.blockCount);
	out[0] = top;
	for (let b = 1; b < out.length; b++) {
		const owner = t.blockOwner[b];
		out[b] = t.blockRawEnd[b] >= 0 ? DATA_ID : childContextId(out[t.dirParent[owner]], ids[owner]);
	}
	return out;
}

// context sets: the distinct checkable contexts (unknown and data left out) a block's directives stand in
const setIds = new Map<string, number>([['', 0]]);
const setContexts: number[][] = [[]];
const setNames: string[][] = [[]];

/** The id of a list of context ids (order kept); 0 is the empty set. */
export function contextSetId(list: readonly number[]): number {
	const key = list.join(',');
	let id = setIds.get(key);
	if (id === undefined) {
		id = setContexts.length;
		setContexts.push([...list]);
		setNames.push(list.map(contextName));
		setIds.set(key, id);
	}
	return id;
}

export function contextSetNames(set: number): readonly string[] {
	return setNames[set];
}

/** Facts of a directive (by id) standing in a context set. */
export interface DirectiveFacts {
	/** Every definition of the name. */
	readonly all: readonly NginxDirectiveData[];
	/** The definitions that apply in one of the set's contexts. */
	readonly defs: readonly NginxDirectiveData[];
	/** Bit n set: some applicable rule accepts n arguments (n < 31). */
	readonly argMask: number;
	/** Some applicable rule takes a block / a `;`. */
	readonly blockOk: boolean;
	readonly semicolonOk: boolean;
	/** Every applicable definition has a value type checkValues reads, and none is third-party. */
	readonly valueChecked: boolean;
	/** Every applicable definition refuses a second occurrence in one block. */
	readonly repeatError: boolean;
	/**
	 * The contexts of the set where no definition applies, when some other context of the set has
	 * one: a file read in several places (included from several blocks) that holds the directive
	 * where one of them does not allow it. Empty when every context allows it (or none does).
	 */
	readonly refusedIn: readonly string[];
}

export function acceptsCount(rule: NginxArgRule, n: number): boolean {
	if (rule.any) { return true; }
	if (rule.flag) { return n === 1; }
	if (rule.counts) { return rule.counts.includes(n); }
	return n >= rule.min && (rule.max === null || n <= rule.max);
}

export const CHECKED_TYPES: ReadonlySet<string> = new Set(['flag', 'number', 'size', 'offset', 'time_ms', 'time_s', 'bufs', 'enum', 'bitmask']);

const factsMemo: (DirectiveFacts | undefined)[][] = [];

export function directiveFacts(set: number, id: number): DirectiveFacts {
	// a row is filled for every id up front: writing id 1500 into an empty array would turn it into
	// a slow dictionary, and this lookup runs for nearly every directive in several checks
	const row = (factsMemo[set] ??= new Array<DirectiveFacts | undefined>(DIRECTIVE_IDS).fill(undefined));
	let f = row[id];
	if (!f) {
		const all = nginxDirectivesById(id);
		const contexts = setNames[set];
		const defs = all.filter(def => contexts.some(c => allowsContext(def, c)));
		let argMask = 0;
		for (let n = 0; n < 31; n++) {
			if (defs.some(d => acceptsCount(d.args, n))) { argMask |= 1 << n; }
		}
		f = {
			all, defs, argMask,
			blockOk: defs.some(d => d.args.block), semicolonOk: defs.some(d => !d.args.block),
			valueChecked: defs.length > 0 && defs.every(x => CHECKED_TYPES.has(x.valueType) && x.origin !== 'third-party'),
			repeatError: defs.length > 0 && defs.every(x => x.repeat === 'error'),
			refusedIn: defs.length > 0 && contexts.length > 1 ? contexts.filter(c => !all.some(def => allowsContext(def, c))) : [],
		};
		row[id] = f;
	}
	return f;
}

/** Bits of factFlags. */
export const FACTS_KNOWN = 1;
/** Some definition applies in the set. */
export const FACTS_DEFINED = 2;
export const FACTS_REPEAT_ERROR = 4;

/**
 * By context set: the facts the per-directive loops read, packed as integers, four per directive
 * id — flags (FACTS_*, 0 until worked out), then the argument counts accepted with a `;` and with
 * a block (argMask bits, 0 when no applicable rule takes that form). checkPlacement and
 * checkDuplicates read these for every directive of a file: a typed-array read where the
 * object of directiveFacts took a lookup in an array of rows and several loads through it.
 */
const packed: Int32Array[] = [];

function pack(set: number, id: number): Int32Array {
	const row = (packed[set] ??= new Int32Array(DIRECTIVE_IDS * 4));
	const f = directiveFacts(set, id);
	const at = id << 2;
	row[at] = FACTS_KNOWN | (f.defs.length ? FACTS_DEFINED : 0) | (f.repeatError ? FACTS_REPEAT_ERROR : 0);
	// a context of the set that refuses the name: no shape is certainly fine (checkPlacement looks closer)
	const ok = f.refusedIn.length === 0;
	row[at + 1] = f.semicolonOk && ok ? f.argMask : 0;
	row[at + 2] = f.blockOk && ok ? f.argMask : 0;
	return row;
}

/** The FACTS_* flags of a directive (by id, not -1) standing in a context set. */
export function factFlags(set: number, id: number): number {
	const row = packed[set];
	if (row !== undefined) {
		const v = row[id << 2];
		if (v !== 0) { return v; }
	}
	return pack(set, id)[id << 2];
}

/**
 * Whether a directive (by id, not -1) in a context set certainly has an accepted shape: a rule
 * applies that takes `argc` (< 31) arguments and a block (or a `;`). False means: look closer.
 */
export function shapeAccepted(set: number, id: number, block: boolean, argc: number): boolean {
	let row = packed[set];
	if (row === undefined || row[id << 2] === 0) { row = pack(set, id); }
	return argc < 31 && (row[(id << 2) + (block ? 2 : 1)] & (1 << argc)) !== 0;
}

/** Whether some rule of the facts accepts n arguments. */
export function acceptsArgs(f: DirectiveFacts, n: number): boolean {
	return n < 31 ? (f.argMask & (1 << n)) !== 0 : f.defs.some(d => acceptsCount(d.args, n));
}

/** Definitions of a name that apply in any of the given contexts. */
export function definitionsIn(name: string, contexts: readonly string[]): NginxDirectiveData[] {
	return getNginxDirectives(name).filter(def => contexts.some(c => allowsContext(def, c)));
}

/** By context set: a predicate over its context names, computed once per set. */
export class SetPredicate {
	private readonly memo: number[] = [];

	constructor(private readonly test: (contexts: readonly string[]) => boolean) {}

	has(set: number): boolean {
		let v = this.memo[set];
		if (v === undefined) {
			v = this.test(setNames[set]) ? 1 : 0;
			this.memo[set] = v;
		}
		return v === 1;
	}
}

/** Per directive id: a predicate over the name, computed once per id. */
export class IdPredicate {
	private readonly memo = new Int8Array(DIRECTIVE_IDS);

	constructor(private readonly test: (name: string) => boolean) {}

	has(id: number, name: () => string): boolean {
		if (id < 0) { return this.test(name()); }
		let v = this.memo[id];
		if (v === 0) {
			v = this.test(table.names[id]) ? 1 : -1;
			this.memo[id] = v;
		}
		return v === 1;
	}
}

/** Counts by id + 1 while an index is built (zero between builds): shared, so a file costs only its own size. */
let scratch: Int32Array | undefined;
const NO_DIRECTIVES = new Int32Array(0);

/**
 * A file's directives grouped by id, in document order: `of(id)` lists the directive indexes
 * with that name. Built in one counting pass the first time a check asks for a name; it holds
 * only the ids the file uses (sorted, found by binary search), so a small file's index is small.
 */
export class DirectivesByName {
	/** The ids the file uses, ascending (-1 first when present). */
	private readonly keys: Int32Array;
	/** Where each key's directives start in `list` (one more entry than keys). */
	private readonly starts: Int32Array;
	private readonly list: Int32Array;

	constructor(ids: Int32Array) {
		const counts = (scratch ??= new Int32Array(DIRECTIVE_IDS + 1));
		const used: number[] = [];
		for (let d = 0; d < ids.length; d++) {
			if (counts[ids[d] + 1]++ === 0) { used.push(ids[d]); }
		}
		used.sort((a, b) => a - b);
		const keys = Int32Array.from(used);
		const starts = new Int32Array(keys.length + 1);
		let at = 0;
		for (let k = 0; k < keys.length; k++) {
			const n = counts[keys[k] + 1];
			starts[k] = at;
			counts[keys[k] + 1] = at;
			at += n;
		}
		starts[keys.length] = at;
		const list = new Int32Array(ids.length);
		for (let d = 0; d < ids.length; d++) { list[counts[ids[d] + 1]++] = d; }
		for (let k = 0; k < keys.length; k++) { counts[keys[k] + 1] = 0; }
		this.keys = keys;
		this.starts = starts;
		this.list = list;
	}

	/**
	 * Indexes of the directives whose id + 1 is set in `flags` (one byte per id + 1, so -1 is at 0),
	 * in document order: a check that reads a few names finds them without a pass over every directive.
	 */
	flagged(flags: Uint8Array): Int32Array {
		const { keys, starts, list } = this;
		let n = 0;
		let lists = 0;
		for (let k = 0; k < keys.length; k++) {
			if (flags[keys[k] + 1] !== 0) {
				n += starts[k + 1] - starts[k];
				lists++;
			}
		}
		const out = new Int32Array(n);
		let at = 0;
		for (let k = 0; k < keys.length; k++) {
			if (flags[keys[k] + 1] !== 0) {
				out.set(list.subarray(starts[k], starts[k + 1]), at);
				at += starts[k + 1] - starts[k];
			}
		}
		// each name's list is in document order; a typed array sorts numerically and natively
		if (lists > 1) { out.sort(); }
		return out;
	}

	/** The ids the file's directives have, ascending (-1 first when a name no module defines occurs). */
	usedIds(): Int32Array {
		return this.keys;
	}

	/** Indexes of the directives named by `id` (-1: names no module defines). */
	of(id: number): Int32Array {
		const keys = this.keys;
		let lo = 0;
		let hi = keys.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const k = keys[mid];
			if (k === id) { return this.list.subarray(this.starts[mid], this.starts[mid + 1]); }
			if (k < id) { lo = mid + 1; } else { hi = mid - 1; }
		}
		return NO_DIRECTIVES;
	}
}

const byNameCache = new Memo<object, DirectivesByName>();

export function directivesByName(file: NginxFile): DirectivesByName {
	let x = byNameCache.get(file.tree);
	if (!x) {
		x = new DirectivesByName(directiveIds(file));
		byNameCache.set(file.tree, x);
	}
	return x;
}

/**
 * The directives of some names, found through the by-name index (a name no module defines is
 * compared as a string, only when one of the names is such).
 */
export class NameFilter {
	private readonly ids: number[] = [];
	private readonly test: (name: string) => boolean;
	/** Whether a name no module defines can pass (else directives of unknown names are not looked at). */
	private readonly unknownToo: boolean;

	/** The directives named one of `names`. */
	constructor(names: readonly string[]) {
		const set = new Set(names);
		this.test = name => set.has(name);
		for (const n of set) {
			const id = table.id(n);
			if (id >= 0) { this.ids.push(id); }
		}
		this.unknownToo = this.ids.length < set.size;
	}

	/** Indexes of the matching directives of a file, in document order. */
	indexes(file: NginxFile): number[] {
		const byName = directivesByName(file);
		// each name's list is in document order already: merge them (a sort with a comparator cost
		// more than the rest of checkRegexes on a config of a thousand servers)
		let out: number[] = [];
		for (const id of this.ids) { out = mergeSorted(out, byName.of(id)); }
		if (this.unknownToo) {
			const unknown: number[] = [];
			for (const d of byName.of(-1)) {
				if (this.test(file.token(file.tree.dirTok[d]).value)) { unknown.push(d); }
			}
			out = mergeSorted(out, unknown);
		}
		return out;
	}

	/** The views of the matching directives of a file, in document order. */
	in(file: NginxFile): NginxDirective[] {
		return this.indexes(file).map(d => file.directive(d));
	}
}

/** The union of two ascending lists of distinct directive indexes, ascending (a new array, or `a` when `b` is empty). */
function mergeSorted(a: number[], b: ArrayLike<number>): number[] {
	if (b.length === 0) { return a; }
	const out: number[] = new Array(a.length + b.length);
	let i = 0;
	let j = 0;
	let k = 0;
	while (i < a.length && j < b.length) { out[k++] = a[i] < b[j] ? a[i++] : b[j++]; }
	while (i < a.length) { out[k++] = a[i++]; }
	while (j < b.length) { out[k++] = b[j++]; }
	return out;
}

/**
 * The value of token k (quotes and escapes resolved) without its view: the first view a file
 * makes costs an array with a slot for each of its tokens (about 100,000 in 1 MB), so the checks
 * of a file that reports nothing read token values this way and make views only to report.
 */
export function tokenText(file: NginxFile, k: number): string {
	const t = file.tree;
	return tokenValue(file.text, t.tokStart[k], t.tokEnd[k], t.tokFlags[k]);
}

/**
 * Whether token k may be one of `words`, read in place: a plain token is compared with each word
 * at its offset (nothing is cut); a quoted or escaped one may be any of them until its value is
 * read, so it answers true and the caller looks closer.
 */
export function mayBeOneOf(file: NginxFile, k: number, words: Iterable<string>): boolean {
	const t = file.tree;
	if (t.tokFlags[k] !== 0) { return true; }
	const start = t.tokStart[k];
	const len = t.tokEnd[k] - start;
	for (const w of words) {
		if (w.length === len && file.text.startsWith(w, start)) { return true; }
	}
	return false;
}

const dollarCache = new Memo<object, Int32Array>();

/** Indexes of the directives an argument of which holds a `$` (every rule about variables starts from these). */
export function directivesWithDollar(file: NginxFile): Int32Array {
	const t = file.tree;
	let out = dollarCache.get(t);
	if (!out) {
		let n = 0;
		for (let d = 0; d < t.directiveCount; d++) { n += t.dirDollar[d]; }
		out = new Int32Array(n);
		let k = 0;
		for (let d = 0; d < t.directiveCount; d++) { if (t.dirDollar[d]) { out[k++] = d; } }
		dollarCache.set(t, out);
	}
	return out;
}
