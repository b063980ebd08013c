/**
 * The value of a directive in effect at a configuration level, as nginx merges it: a level's own
 * definition wins — written in the block itself or in a file included at that level — else the
 * enclosing level's, up to http (stream, main). Inheritance crosses includes both ways: the top
 * level of an included file is the level it is included at, and inherits what the blocks around
 * that include define, in whatever file they are written.
 *
 * Three ways in, each linear: `levelDefinitions` (what each block of a file defines itself, found
 * through the by-name index), `topReadings` (what is in effect at a file's top level, once per
 * place it is included at), and `inherit` (every block's values from its parent's, top-down, so a
 * check over every location does not walk each one's ancestors). `effectiveAt` answers a single
 * question by walking up.
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { Memo } from '../../utils/memo';
import { contextId, contextName, DIRECTIVE_IDS, directiveId, directiveIds, directivesByName } from './facts';
import { contextsFor, type IncludeEdge, type NginxIncludeGraph } from './includes';

/** A directive that sets a value: where it is written. */
export interface Definition {
	readonly uri: string;
	readonly file: NginxFile;
	/** The directive's index in `file`. */
	readonly index: number;
}

/** By name (its index in the NameSet): the definition in effect, undefined where nginx uses its default. */
export type Values = readonly (Definition | undefined)[];

const INCLUDE = directiveId('include');
/** How many places one file's top level is read at before the rest are left out (each is checked). */
const MAX_READINGS = 8;
/** How deep includes are followed. */
const MAX_DEPTH = 16;

/** A fixed list of directive names, looked up by id. */
export class NameSet {
	/** By directive id + 1: the name's index + 1 (0: not one of the names). */
	readonly slot: Uint8Array;
	/** By directive id + 1: 1 for the names and for include (what levelDefinitions reads). */
	readonly flags: Uint8Array;
	readonly empty: Values;

	constructor(readonly names: readonly string[]) {
		this.slot = new Uint8Array(DIRECTIVE_IDS + 1);
		this.flags = new Uint8Array(DIRECTIVE_IDS + 1);
		names.forEach((n, k) => {
			const id = directiveId(n);
			if (id >= 0) {
				this.slot[id + 1] = k + 1;
				this.flags[id + 1] = 1;
			}
		});
		if (INCLUDE >= 0) { this.flags[INCLUDE + 1] = 1; }
		this.empty = names.map(() => undefined);
	}

	indexOf(name: string): number {
		return this.names.indexOf(name);
	}
}

/** `inner` over `outer`: the inner level's definitions win (no new array when there are none). */
export function mergeValues(inner: Values | undefined, outer: Values): Values {
	if (!inner) { return outer; }
	let out: (Definition | undefined)[] | undefined;
	for (let k = 0; k < inner.length; k++) {
		if (inner[k] === undefined && outer[k] !== undefined) {
			out ??= inner.slice();
			out[k] = outer[k];
		}
	}
	return out ?? inner;
}

interface OwnEntry { readonly graph: NginxIncludeGraph; readonly names: NameSet; readonly own: (Values | undefined)[] }
const ownMemo = new Memo<object, OwnEntry[]>();
/** What a file's top level brings to the level it is included at (memo per tree, graph and names). */
const topMemo = new Memo<object, { graph: NginxIncludeGraph; names: NameSet; values: Values | undefined }[]>();

/**
 * By block of a file: what the level itself defines of the names — its own directives and what
 * the files it includes at that level define at their top level; the last one of each name —
 * or undefined where it defines none of them.
 */
export function levelDefinitions(graph: NginxIncludeGraph, uri: string, file: NginxFile, names: NameSet): readonly (Values | undefined)[] {
	const t = file.tree;
	let entries = ownMemo.get(t);
	const hit = entries?.find(e => e.graph === graph && e.names === names);
	if (hit) { return hit.own; }
	const own: (Values | undefined)[] = new Array(t.blockCount).fill(undefined);
	const ids = directiveIds(file);
	const seen = new Set([uri]);
	// the file's includes are in document order too: walked alongside (a search per include cost more than the rest)
	const edges = graph.edgesFrom(uri);
	let e = 0;
	const byTargets = new Map<readonly string[], Values | undefined>();
	// the names and includes in document order: a later one of a block wins, as the last one would
	for (const d of directivesByName(file).flagged(names.flags)) {
		if (t.dirBlock[d] >= 0) { continue; }
		const b = t.dirParent[d];
		const k = names.slot[ids[d] + 1];
		if (k !== 0) {
			let row = own[b] as (Definition | undefined)[] | undefined;
			if (!row) { row = names.empty.slice(); own[b] = row; }
			row[k - 1] = { uri, file, index: d };
			continue;
		}
		while (e < edges.length && edges[e].index < d) { e++; }
		if (e >= edges.length || edges[e].index !== d) { continue; }
		const targets = edges[e].targets;
		if (targets.length === 0) { continue; }
		// the includes of one pattern share what it resolves to: worked out once per file
		let v = byTargets.get(targets);
		if (v === undefined && !byTargets.has(targets)) {
			v = includedValues(graph, edges[e], names, seen, 0);
			byTargets.set(targets, v);
		}
		if (!v) { continue; }
		let row = own[b] as (Definition | undefined)[] | undefined;
		if (!row) { row = names.empty.slice(); own[b] = row; }
		for (let j = 0; j < v.length; j++) {
			if (v[j] !== undefined) { row[j] = v[j]; }
		}
	}
	entries ??= [];
	entries.push({ graph, names, own });
	ownMemo.set(t, entries);
	return own;
}

/** What block `b` of a file defines, its includes followed (undefined: nothing). */
function blockValues(graph: NginxIncludeGraph, uri: string, file: NginxFile, b: number, names: NameSet, seen: Set<string>, depth: number): Values | undefined {
	const t = file.tree;
	const ids = directiveIds(file);
	let out: (Definition | undefined)[] | undefined;
	for (let d = t.blockFirst[b]; d >= 0; d = t.dirNext[d]) {
		const id = ids[d];
		if (id < 0 || t.dirBlock[d] >= 0) { continue; }
		const k = names.slot[id + 1];
		if (k !== 0) {
			(out ??= names.empty.slice())[k - 1] = { uri, file, index: d };
			continue;
		}
		if (id !== INCLUDE || depth >= MAX_DEPTH) { continue; }
		const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[d]]);
		const v = edge && includedValues(graph, edge, names, seen, depth);
		if (!v) { continue; }
		out ??= names.empty.slice();
		for (let j = 0; j < v.length; j++) {
			if (v[j] !== undefined) { out[j] = v[j]; }
		}
	}
	return out;
}

/** What the files an include reads define at their top level (undefined: nothing). */
function includedValues(graph: NginxIncludeGraph, edge: IncludeEdge, names: NameSet, seen: Set<string>, depth: number): Values | undefined {
	const targets = edge.targets;
	if (targets.length === 0) { return undefined; }
	let out: (Definition | undefined)[] | undefined;
	for (const target of targets) {
		if (seen.has(target)) { continue; }
		const other = graph.fileOf(target);
		if (!other) { continue; }
		const v = topValues(graph, target, other, names, seen, depth + 1);
		if (!v) { continue; }
		if (targets.length === 1) { return v; }
		out ??= names.empty.slice();
		for (let j = 0; j < v.length; j++) {
			if (v[j] !== undefined) { out[j] = v[j]; }
		}
	}
	return out;
}

/** What a file's top level defines (its includes followed), memoised per tree. */
function topValues(graph: NginxIncludeGraph, uri: string, file: NginxFile, names: NameSet, seen: Set<string>, depth: number): Values | undefined {
	let list = topMemo.get(file.tree);
	const hit = list?.find(e => e.graph === graph && e.names === names);
	if (hit) { return hit.values; }
	seen.add(uri);
	const values = blockValues(graph, uri, file, 0, names, seen, depth);
	seen.delete(uri);
	list ??= [];
	list.push({ graph, names, values });
	topMemo.set(file.tree, list);
	return values;
}

/** One place a file's top level is read at: the values in effect there, and the context of that level. */
export interface Reading {
	readonly values: Values;
	/** Context of the level (of the block asked about; for a file's top level, of the block it is included in, or its own when nobody includes it). */
	readonly context: string;
	/**
	 * The chain of includes reaches a file nginx starts with (its top level is the main context):
	 * a name without a definition really has nginx's default. False for a fragment whose outer
	 * levels are out of sight, where an outer level may define what is missing here.
	 */
	readonly complete: boolean;
}

const readingsMemo = new Memo<NginxIncludeGraph, Map<NameSet, Map<string, Reading[]>>>();

/**
 * The values in effect at the top level of file `uri`, once per place it is read at: for a file
 * others include, at each include (at most MAX_READINGS); for one nobody includes, what it
 * defines itself.
 */
export function topReadings(graph: NginxIncludeGraph, uri: string, names: NameSet, depth = 0, visiting = new Set<string>()): Reading[] {
	let byNames = readingsMemo.get(graph);
	if (!byNames) { byNames = new Map(); readingsMemo.set(graph, byNames); }
	let byUri = byNames.get(names);
	if (!byUri) { byUri = new Map(); byNames.set(names, byUri); }
	const known = byUri.get(uri);
	if (known) { return known; }
	const file = graph.fileOf(uri);
	if (!file) { return []; }
	const includers = graph.includersOf(uri);
	let out: Reading[] = [];
	if (!includers.length || depth >= MAX_DEPTH || visiting.has(uri)) {
		const own = levelDefinitions(graph, uri, file, names)[0];
		const context = graph.topContexts(uri)[0] ?? 'main';
		out = [{ values: own ?? names.empty, context, complete: context === 'main' && !includers.length }];
	} else {
		visiting.add(uri);
		for (const edge of includers) {
			if (out.length >= MAX_READINGS) { break; }
			const from = graph.fileOf(edge.from);
			if (!from) { continue; }
			const block = from.tree.dirParent[edge.index];
			for (const r of effectiveAt(graph, edge.from, block, names, depth + 1, visiting)) {
				if (out.length >= MAX_READINGS) { break; }
				out.push(r);
			}
		}
		visiting.delete(uri);
		if (!out.length) { out = [{ values: levelDefinitions(graph, uri, file, names)[0] ?? names.empty, context: graph.topContexts(uri)[0] ?? 'main', complete: false }]; }
	}
	byUri.set(uri, out);
	return out;
}

/**
 * The values in effect at block `block` of file `uri`, once per place the file is read at: the
 * block's own definitions over its parents', over the file's top-level reading. Walks up the
 * block's ancestors: for one question (a check over every block uses `inherit`).
 */
export function effectiveAt(graph: NginxIncludeGraph, uri: string, block: number, names: NameSet, depth = 0, visiting = new Set<string>()): Reading[] {
	const file = graph.fileOf(uri);
	if (!file) { return []; }
	const t = file.tree;
	const own = levelDefinitions(graph, uri, file, names);
	const chain: number[] = [];
	for (let b = block; b > 0; b = t.dirParent[t.blockOwner[b]]) { chain.push(b); }
	return topReadings(graph, uri, names, depth, visiting).map(r => {
		let values = r.values;
		for (let i = chain.length - 1; i >= 0; i--) { values = mergeValues(own[chain[i]], values); }
		const context = block === 0 ? r.context : contextName(contextsFor(file, contextId(r.context))[block]);
		return { values, context, complete: r.complete };
	});
}

/**
 * Every block's values, top-down from the values in effect at the file's top level: a block's
 * own definitions over its parent block's. Blocks defining nothing share their parent's array.
 */
export function inherit(file: NginxFile, own: readonly (Values | undefined)[], top: Values): Values[] {
	const t = file.tree;
	const out: Values[] = new Array(t.blockCount);
	out[0] = top;
	for (let b = 1; b < t.blockCount; b++) {
		// a block's owner stands in an earlier block: its values are known by now
		out[b] = mergeValues(own[b], out[t.dirParent[t.blockOwner[b]]]);
	}
	return out;
}
