/**
 * A config tree as nginx reads it: the root file, and each file an include brings in, read where
 * the include stands — once per include that names it (a snippet included twice is read twice).
 * Each such reading is an occurrence of the file, with the blocks that enclose it from the files
 * that include it (a `listen` at the top of a file included inside `server {}` belongs to that
 * server) and its place in the reading order. Only the include edges are walked: a check looks
 * up the few directives it wants in each occurrence (directivesByName) instead of reading every
 * statement.
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import type { NginxIncludeGraph } from './includes';

/** A block statement: directive `d` of a file. */
export interface BlockRef {
	readonly uri: string;
	readonly file: NginxFile;
	readonly d: number;
	/** Tells this block apart from the same lines read through another include. */
	readonly key: string;
}

export interface FileOccurrence {
	readonly uri: string;
	readonly file: NginxFile;
	/** The reading of the file whose include brought this one in, and that include's directive index. */
	readonly parent: FileOccurrence | undefined;
	readonly at: number;
	/** The directive indexes of the includes that lead here from the root (its place in the reading order). */
	readonly prefix: readonly number[];
}

/** The files nothing includes that reach `uri` through includes (`uri` itself when nothing includes it). */
export function rootsOf(graph: NginxIncludeGraph, uri: string): string[] {
	const roots: string[] = [];
	const seen = new Set([uri]);
	const queue = [uri];
	for (let head = 0; head < queue.length; head++) {
		const u = queue[head];
		const includers = graph.includersOf(u);
		if (!includers.length) { roots.push(u); continue; }
		for (const e of includers) {
			if (!seen.has(e.from)) { seen.add(e.from); queue.push(e.from); }
		}
	}
	return roots;
}

/** The block statements enclosing directive `d` within its own file (read after the includes `prefix`), outermost first. */
export function localOwners(uri: string, file: NginxFile, d: number, prefix: readonly number[] = []): BlockRef[] {
	const t = file.tree;
	const out: BlockRef[] = [];
	const at = prefix.join('/');
	for (let b = t.dirParent[d]; b > 0; b = t.dirParent[t.blockOwner[b]]) {
		const owner = t.blockOwner[b];
		out.push({ uri, file, d: owner, key: `${at}@${uri}:${owner}` });
	}
	return out.reverse();
}

/** Every reading of a file in the tree rooted at `root`, in reading order (an include cycle is followed once). */
export function occurrences(graph: NginxIncludeGraph, root: string): FileOccurrence[] {
	const out: FileOccurrence[] = [];
	const reading = new Set<string>();
	const visit = (uri: string, parent: FileOccurrence | undefined, at: number, prefix: readonly number[]) => {
		const file = graph.fileOf(uri);
		if (!file || reading.has(uri)) { return; }
		reading.add(uri);
		const o: FileOccurrence = { uri, file, parent, at, prefix };
		out.push(o);
		const edges = graph.edgesFrom(uri);
		const ordered = edges.length > 1 ? [...edges].sort((a, b) => a.index - b.index) : edges;
		for (const e of ordered) {
			for (const target of e.targets) { visit(target, o, e.index, [...prefix, e.index]); }
		}
		reading.delete(uri);
	};
	visit(root, undefined, -1, []);
	return out;
}

const outers = new WeakMap<FileOccurrence, readonly BlockRef[]>();

/** The block statements around the include that brought occurrence `o` in (outermost first, across files). */
function outerOf(o: FileOccurrence): readonly BlockRef[] {
	if (!o.parent) { return []; }
	let hit = outers.get(o);
	if (!hit) {
		hit = ownersIn(o.parent, o.at);
		outers.set(o, hit);
	}
	return hit;
}

/** The enclosing block statements of directive `d` read in occurrence `o`, outermost first. */
export function ownersIn(o: FileOccurrence, d: number): BlockRef[] {
	return [...outerOf(o), ...localOwners(o.uri, o.file, d, o.prefix)];
}

/** Reading order of two statements (negative: `a` is read first). */
export function compareReading(a: { readonly o: FileOccurrence; readonly d: number }, b: { readonly o: FileOccurrence; readonly d: number }): number {
	const pa = a.o.prefix;
	const pb = b.o.prefix;
	const n = Math.min(pa.length, pb.length);
	for (let i = 0; i < n; i++) {
		if (pa[i] !== pb[i]) { return pa[i] - pb[i]; }
	}
	// one occurrence's prefix is the other's (or they are equal): compare the next position on each side
	const na = pa.length > n ? pa[n] : a.d;
	const nb = pb.length > n ? pb[n] : b.d;
	return na !== nb ? na - nb : pa.length - pb.length;
}
