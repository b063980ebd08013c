/**
 * The include graph of the workspace's nginx files: what each `include` resolves to, the
 * context every file is included in (so an included file is checked where it is used), and
 * include cycles.
 *
 * Resolution of an include pattern, first match wins:
 * 1. nginx's prefix folder: the `uwsgiNginx.nginx.prefix` setting, else the folder of a
 *    workspace `nginx.conf` (relative patterns), with `uwsgiNginx.nginx.pathMappings` applied to
 *    absolute ones (`/etc/nginx` → a workspace folder);
 * 2. the including file's own folder;
 * 3. the longest match of the pattern's trailing path segments among workspace files (so
 *    `/etc/nginx/sites-enabled/app.conf` finds `deploy/nginx/sites-enabled/app.conf`);
 * 4. nginx's standard files (`uwsgi_params`, `mime.types`, ...), known even when absent.
 *
 * A template of the nginx image (`templates/x.conf.template`) is also found at the path the image
 * writes it to (`/etc/nginx/conf.d/x.conf`, see parser/nginx/template.ts).
 */
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import { dirname, joinPath as join, normalizePath as normalize } from '../../utils/paths';
import { uriToPath } from '../../utils/uri';
import { templateOutputPath } from '../../parser/nginx/template';
import { topLevelContext } from './contexts';
import { blockContextIds, contextId, contextName, directiveId, directivesByName, tokenText, UNKNOWN_ID } from './facts';
import { Memo } from '../../utils/memo';

const INCLUDE = directiveId('include');

export const STANDARD_FILES: ReadonlySet<string> = new Set([
	'uwsgi_params', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'proxy_params', 'mime.types', 'koi-utf', 'koi-win', 'win-utf',
]);

export interface IncludeSettings {
	readonly prefix?: string;
	readonly pathMappings?: Readonly<Record<string, string>>;
}

export interface IncludeEdge {
	readonly from: string;
	readonly directive: NginxDirective;
	/** Index of the directive in its file. */
	readonly index: number;
	/** Context of the block the include stands in. */
	readonly context: string;
	readonly pattern: string;
	readonly glob: boolean;
	/** Workspace files it resolves to (URIs). */
	readonly targets: readonly string[];
	/** The standard nginx file it names, when no workspace file matched. */
	readonly standard?: string;
	/** Part of an include cycle. */
	cycle?: boolean;
}

const GLOB = /[*?[]/;

const MAIN_BLOCKS = ['http', 'events', 'stream'].map(directiveId);

/** Whether a file is a main config: an http, events or stream block at its top level. */
function isMainConfig(file: NginxFile): boolean {
	const byName = directivesByName(file);
	const t = file.tree;
	for (const id of MAIN_BLOCKS) {
		for (const d of byName.of(id)) { if (t.dirParent[d] === 0 && t.dirBlock[d] >= 0) { return true; } }
	}
	return false;
}

/**
 * An include; the directive's view and its context are worked out when asked for (most edges are
 * never asked), and what its pattern resolves to is shared with the file's other includes of it.
 */
class Edge implements IncludeEdge {
	cycle?: boolean;

	constructor(readonly from: string, private readonly file: NginxFile, readonly index: number, private readonly r: Resolution) {}

	get pattern(): string {
		return this.r.pattern;
	}

	get glob(): boolean {
		return this.r.glob;
	}

	get targets(): readonly string[] {
		return this.r.targets;
	}

	get standard(): string | undefined {
		return this.r.standard;
	}

	get directive(): NginxDirective {
		return this.file.directive(this.index);
	}

	get context(): string {
		return contextName(contextsFor(this.file, UNKNOWN_ID)[this.file.tree.dirParent[this.index]]);
	}
}

/** What one include pattern of a file resolves to (shared by the file's includes of that pattern). */
interface Resolution {
	readonly pattern: string;
	readonly glob: boolean;
	readonly targets: readonly string[];
	readonly standard: string | undefined;
}

function globToRegExp(glob: string): RegExp {
	let re = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === '*') { re += '[^/]*'; } else if (c === '?') { re += '[^/]'; } else if (c === '[') {
			const end = glob.indexOf(']', i + 1);
			if (end < 0) { re += '\\['; continue; }
			re += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
			i = end;
		} else { re += c.replace(/[.+^${}()|\\]/g, '\\$&'); }
	}
	return new RegExp(`^${re}$`);
}

/** Per parsed tree (trees are never mutated): its own top-level context, its block contexts per top, its shape. */
const ownTops = new Memo<NginxFile, string>();
const contextsByTop = new Memo<NginxFile, Map<number, Int32Array>>();
const shapes = new Memo<NginxFile, string>();

function ownTop(file: NginxFile): string {
	let top = ownTops.get(file);
	if (top === undefined) {
		top = topLevelContext(file);
		ownTops.set(file, top);
	}
	return top;
}

/** The context id of every block of a file read with its top level in `top` (kept per tree: the graph and the run's facts share it). */
export function contextsFor(file: NginxFile, top: number): Int32Array {
	let m = contextsByTop.get(file);
	if (!m) {
		m = new Map();
		contextsByTop.set(file, m);
	}
	let c = m.get(top);
	if (!c) {
		c = blockContextIds(file, top);
		m.set(top, c);
	}
	return c;
}

/** What the graph reads from a file besides its tree: its own top-level context, its blocks, its includes and where they stand. */
function includeShape(file: NginxFile): string {
	let shape = shapes.get(file);
	if (shape === undefined) {
		const t = file.tree;
		const text = file.text;
		const parts = [ownTop(file)];
		for (let d = 0; d < t.directiveCount; d++) {
						const name = text.slice(t.tokStart[t.dirTok[d]], t.tokEnd[t.dirTok[d]]);
			if (t.dirBlock[d] < 0 && name !== 'include') { continue; }
			let part = `${name}@${t.dirParent[d]}${t.dirBlock[d] >= 0 ? '{' + (t.blockRawEnd[t.dirBlock[d]] >= 0 ? 'raw' : '') : ''}`;
			if (name === 'include') {
				for (let k = 1; k <= t.dirArgc[d]; k++) { part += ' ' + file.token(t.dirTok[d] + k).value; }
			}
			parts.push(part);
		}
		shape = parts.join('\n');
		shapes.set(file, shape);
	}
	return shape;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) { list.push(value); } else { map.set(key, [value]); }
}

/**
 * The include graph, built once per set of nginx files and settings and kept current after that:
 * an edited file whose includes, blocks and own context are unchanged is patched in (`patch`);
 * otherwise a rebuild reuses what the previous graph knew (`reuse`, same files and settings):
 * pattern resolutions and the edges of every unchanged file.
 */
export class NginxIncludeGraph {
	private readonly paths = new Map<string, string>();
	private readonly byPath = new Map<string, string>();
	private readonly files = new Map<string, NginxFile>();
	private readonly edges = new Map<string, IncludeEdge[]>();
	private readonly includers = new Map<string, IncludeEdge[]>();
	private readonly tops = new Map<string, string[]>();
	private readonly prefixes: string[] = [];

	/** The tree each file's edges were collected from. */
	private readonly edgesOf = new Map<string, NginxFile>();

	constructor(files: Iterable<{ readonly uri: string; readonly file: NginxFile }>, private readonly settings: IncludeSettings = {}, reuse?: NginxIncludeGraph) {
		for (const { uri, file } of files) {
			const p = reuse?.paths.get(uri) ?? uriToPath(uri) ?? uri;
			this.paths.set(uri, p);
			this.byPath.set(p, uri);
			this.files.set(uri, file);
			if (p.endsWith('/nginx.conf')) { this.prefixes.push(dirname(p)); }
		}
		// a template of the nginx image is also found where the image writes it (templates/x.conf.template
		// → /etc/nginx/conf.d/x.conf), so `include /etc/nginx/conf.d/*.conf;` reads it; a real file there wins
		for (const [uri, p] of this.paths) {
			const out = templateOutputPath(p);
			if (out !== undefined && !this.byPath.has(out)) { this.byPath.set(out, uri); }
		}
		if (settings.prefix) { this.prefixes.unshift(normalize(settings.prefix)); }
		if (reuse) {
			for (const [k, v] of reuse.resolved) { this.resolved.set(k, v); }
		}
		for (const [uri, file] of this.files) {
			const old = reuse?.edgesOf.get(uri) === file ? reuse.edges.get(uri) : undefined;
			if (old) {
				this.edges.set(uri, old);
				this.edgesOf.set(uri, file);
				for (const edge of old) {
					edge.cycle = undefined;
					for (const t of edge.targets) { push(this.includers, t, edge); }
				}
			} else {
				this.collect(uri, file);
			}
		}
		this.computeContexts();
	}

	/**
	 * Takes a new tree of a file in place of its old one when nothing the graph derives changes:
	 * the same includes in the same blocks, the same blocks, the same own top-level context.
	 * Returns false (and changes nothing) otherwise.
	 */
	patch(uri: string, file: NginxFile): boolean {
		const old = this.files.get(uri);
		if (old === file) { return true; }
		if (!old || includeShape(old) !== includeShape(file)) { return false; }
		const before = this.edges.get(uri) ?? [];
		const after = this.edgesIn(uri, file);
		if (after.length !== before.length) { return false; }
		for (let i = 0; i < after.length; i++) {
			const was = before[i];
			const now = after[i];
			now.cycle = was.cycle;
			for (const t of now.targets) {
				const list = this.includers.get(t);
				const at = list ? list.indexOf(was) : -1;
				if (list && at >= 0) { list[at] = now; }
			}
		}
		this.files.set(uri, file);
		this.edges.set(uri, after);
		this.edgesOf.set(uri, file);
		return true;
	}

	private collect(uri: string, file: NginxFile): void {
		const list = this.edgesIn(uri, file);
		for (const edge of list) {
			for (const t of edge.targets) { push(this.includers, t, edge); }
		}
		this.edges.set(uri, list);
		this.edgesOf.set(uri, file);
	}

	private edgesIn(uri: string, file: NginxFile): IncludeEdge[] {
		const list: IncludeEdge[] = [];
		const tree = file.tree;
		// what each distinct pattern of this file resolves to
		const byPattern = new Map<string, Resolution>();
		// most includes of a file repeat a few patterns: a cut pattern is compared with those first
		// (a string comparison costs less than the map's hashing of a new string), and a hit brings
		// its resolution along
		const recent: Resolution[] = [];
		const fromMain = isMainConfig(file);
		for (const d of directivesByName(file).of(INCLUDE)) {
			if (tree.dirArgc[d] !== 1 || tree.dirBlock[d] >= 0) { continue; }
			// cut without a token view (see tokenText)
			const pattern = tokenText(file, tree.dirTok[d] + 1);
			let r: Resolution | undefined;
			for (let i = 0; i < recent.length; i++) {
				if (recent[i].pattern === pattern) {
					r = recent[i];
					break;
				}
			}
			if (r === undefined) {
				r = byPattern.get(pattern);
				if (!r) {
					const glob = GLOB.test(pattern);
					const targets = this.resolve(pattern, this.paths.get(uri)!, glob, fromMain).filter(x => x !== undefined);
					const base = pattern.slice(pattern.lastIndexOf('/') + 1);
					r = { pattern, glob, targets, standard: !targets.length && STANDARD_FILES.has(base) ? base : undefined };
					byPattern.set(pattern, r);
				}
				if (recent.length < 16) { recent.push(r); }
			}
			list.push(new Edge(uri, file, d, r));
		}
		return list;
	}

	private readonly resolved = new Map<string, string[]>();

	/** Workspace files (URIs) a pattern names, seen from the file at `fromPath` (remembered per folder). */
	resolve(pattern: string, fromPath: string, glob = GLOB.test(pattern), fromMain = false): string[] {
		const key = `${pattern}\u0000${dirname(fromPath)}\u0000${fromMain ? 1 : 0}`;
		let hit = this.resolved.get(key);
		if (!hit) {
			hit = this.resolveUncached(pattern, fromPath, glob, fromMain);
			this.resolved.set(key, hit);
		}
		return hit;
	}

	/**
	 * `fromMain`: the including file is a main config (it holds http, events or stream), so a
	 * relative pattern is relative to its own folder — nginx's prefix — and nowhere else: a file of
	 * the same name in another folder of the workspace (another config of a monorepo) is not it.
	 */
	private resolveUncached(pattern: string, fromPath: string, glob: boolean, fromMain: boolean): string[] {
		if (pattern.includes('$')) { return []; }
		const candidates: string[] = [];
		if (pattern.startsWith('/')) {
			candidates.push(normalize(pattern));
			for (const [from, to] of Object.entries(this.settings.pathMappings ?? {})) {
				const f = normalize(from);
				if (pattern === f || pattern.startsWith(f + '/')) { candidates.push(join(normalize(to), pattern.slice(f.length + 1))); }
			}
		} else {
			for (const p of this.prefixes) { candidates.push(join(p, pattern)); }
			candidates.push(join(dirname(fromPath), pattern));
		}
		for (const c of candidates) {
			const found = glob ? this.matchGlob(c) : (this.byPath.has(c) ? [this.byPath.get(c)!] : []);
			if (found.length) { return found; }
		}
		if (fromMain && !pattern.startsWith('/')) { return []; }
		return this.suffixMatch(pattern, glob);
	}

	private matchGlob(pathPattern: string): string[] {
		const re = globToRegExp(pathPattern);
		return [...new Set([...this.byPath.entries()].filter(([p]) => re.test(p)).map(([, u]) => u))].sort();
	}

	/** Files whose path ends with the most trailing segments of the pattern (at least the file name). */
	private suffixMatch(pattern: string, glob: boolean): string[] {
		const segs = pattern.split('/').filter(s => s && s !== '.' && s !== '..');
		if (!segs.length) { return []; }
		for (let k = segs.length; k >= 1; k--) {
			const tail = segs.slice(-k);
			// a bare file name matches only when the pattern is just a file name, or with its parent folder
			if (k === 1 && segs.length > 1) { break; }
			const wanted = '/' + tail.join('/');
			// a regex only for a glob (compiling one per plain pattern cost more than the match)
			const re = glob ? globToRegExp(wanted) : undefined;
			const hits: string[] = [];
			for (const [p, u] of this.byPath) {
				const pSegs = p.split('/');
				const suffix = '/' + pSegs.slice(-k).join('/');
				if (re ? re.test(suffix) : suffix === wanted) { hits.push(u); }
			}
			if (hits.length) { return [...new Set(hits)].sort(); }
		}
		return [];
	}

	/** Top-level contexts of every file: from its includers, or its own (declared or inferred). */
	private computeContexts(): void {
		const own = (uri: string) => ownTop(this.files.get(uri)!);
		const queue: string[] = [];
		for (const uri of this.files.keys()) {
			if (!this.includers.has(uri)) {
				this.tops.set(uri, [own(uri)]);
				queue.push(uri);
			}
		}
		const visited = new Set<string>();
		for (let head = 0; head < queue.length; head++) {
			const uri = queue[head];
			if (visited.has(uri)) { continue; }
			visited.add(uri);
			const file = this.files.get(uri)!;
			const tops = this.tops.get(uri) ?? [own(uri)];
			const edges = this.edges.get(uri) ?? [];
			if (!edges.some(e => e.targets.length)) { continue; }
			const perTop = tops.map(top => contextsFor(file, contextId(top)));
			// includes of one pattern share their targets: one that repeats the targets and context
			// of the include before it adds nothing (a config of a thousand servers repeats a few)
			let lastTargets: readonly string[] | undefined;
			let lastContext = -1;
			for (const edge of edges) {
				const targets = edge.targets;
				if (!targets.length) { continue; }
				for (const contexts of perTop) {
					const id = contexts[file.tree.dirParent[edge.index]];
					if (perTop.length === 1) {
						if (targets === lastTargets && id === lastContext) { continue; }
						lastTargets = targets;
						lastContext = id;
					}
					const ctx = contextName(id);
					for (const t of targets) {
						const list = this.tops.get(t) ?? [];
						if (!list.includes(ctx)) { list.push(ctx); }
						this.tops.set(t, list);
						if (!visited.has(t)) { queue.push(t); }
					}
				}
			}
		}
		for (const uri of this.files.keys()) {
			if (!this.tops.has(uri)) { this.tops.set(uri, [own(uri)]); }
		}
		this.findCycles();
	}

	private findCycles(): void {
		const state = new Map<string, 1 | 2>();
		const none: IncludeEdge[] = [];
		// iterative depth-first search over (file, its edges, edge index, target index): state 1 = on
		// the current path, 2 = done. The position in a file's edges is two indexes, not a list of
		// (edge, target) pairs made per file: a big config has thousands of includes, most with no target.
		interface Frame { uri: string; edges: readonly IncludeEdge[]; e: number; k: number; via?: IncludeEdge }
		for (const start of this.files.keys()) {
			if (state.has(start)) { continue; }
			const stack: Frame[] = [{ uri: start, edges: this.edges.get(start) ?? none, e: 0, k: 0 }];
			state.set(start, 1);
			while (stack.length) {
				const top = stack[stack.length - 1];
				while (top.e < top.edges.length && top.k >= top.edges[top.e].targets.length) {
					top.e++;
					top.k = 0;
				}
				if (top.e >= top.edges.length) {
					state.set(top.uri, 2);
					stack.pop();
					continue;
				}
				const edge = top.edges[top.e];
				const target = edge.targets[top.k++];
				const s = state.get(target);
				if (s === 1) {
					// a back edge: it and every edge on the path from its target round to here form the cycle
					edge.cycle = true;
					for (let k = stack.length - 1; k > 0 && stack[k].uri !== target; k--) {
						stack[k].via!.cycle = true;
					}
				} else if (s === undefined) {
					state.set(target, 1);
					stack.push({ uri: target, edges: this.edges.get(target) ?? none, e: 0, k: 0, via: edge });
				}
			}
		}
	}

	/** Includes written in a file. */
	edgesFrom(uri: string): readonly IncludeEdge[] {
		return this.edges.get(uri) ?? [];
	}

	/** The include of a file whose directive starts at `offset` (found by binary search: edges are in document order). */
	edgeAt(uri: string, offset: number): IncludeEdge | undefined {
		const list = this.edges.get(uri);
		const file = this.files.get(uri);
		if (!list || !file) { return undefined; }
		const t = file.tree;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const at = t.tokStart[t.dirTok[list[mid].index]];
			if (at === offset) { return list[mid]; }
			if (at < offset) { lo = mid + 1; } else { hi = mid - 1; }
		}
		return undefined;
	}

	/** Includes that pull a file in. */
	includersOf(uri: string): readonly IncludeEdge[] {
		return this.includers.get(uri) ?? [];
	}

	/** The context(s) a file's top level is read in. */
	topContexts(uri: string): readonly string[] {
		return this.tops.get(uri) ?? ['main'];
	}

	fileOf(uri: string): NginxFile | undefined {
		return this.files.get(uri);
	}
}
