/**
 * The contexts of every block of the file being validated, for each context its top level is
 * read in (a file included from several places may be read in several), and the directive
 * definitions that apply to a directive there.
 */
import { getNginxDirectives } from '../../data/nginxData';
import type { NginxDirectiveData } from '../../data/types';
import type { NginxDirective } from '../../parser/nginx/nodes';
import type { NginxContext } from '../context';
import { allowsContext, blockContexts, DATA_CONTEXT, UNKNOWN_CONTEXT } from './contexts';
import type { NginxIncludeGraph } from './includes';

const cache = new WeakMap<NginxContext['file'], { graph: NginxIncludeGraph; contexts: string[][] }>();

const graphs = new WeakMap<NginxContext, NginxIncludeGraph>();

/** The include graph for this validation run (looked up once per run, not per directive). */
export function includeGraph(ctx: NginxContext): NginxIncludeGraph {
	let g = graphs.get(ctx);
	if (!g) {
		g = ctx.workspace.nginxGraph({ prefix: ctx.settings.nginx.prefix, pathMappings: ctx.settings.nginx.pathMappings });
		graphs.set(ctx, g);
	}
	return g;
}

/** Block contexts of the file, one array (indexed by block) per context the file is read in. */
export function fileContexts(ctx: NginxContext): string[][] {
	const graph = includeGraph(ctx);
	const hit = cache.get(ctx.file);
	if (hit && hit.graph === graph) { return hit.contexts; }
	const contexts = graph.topContexts(ctx.uri).map(top => blockContexts(ctx.file, top));
	cache.set(ctx.file, { graph, contexts });
	return contexts;
}

/** Per validation run: the contexts of each block, and definitions per (contexts, name). */
interface RunFacts {
	/** By block index: the distinct contexts the block's directives stand in (unknown and data left out). */
	readonly byBlock: string[][];
	/** By block index: name → definitions, one map shared by all blocks with the same contexts. */
	readonly definitionsByBlock: Map<string, NginxDirectiveData[]>[];
}

const runs = new WeakMap<NginxContext, RunFacts>();

function runFacts(ctx: NginxContext): RunFacts {
	let f = runs.get(ctx);
	if (!f) {
		const all = fileContexts(ctx);
		const byBlock: string[][] = new Array(ctx.file.blocks.length);
		const definitionsByBlock: Map<string, NginxDirectiveData[]>[] = new Array(ctx.file.blocks.length);
		const shared = new Map<string, { contexts: string[]; defs: Map<string, NginxDirectiveData[]> }>();
		for (let b = 0; b < byBlock.length; b++) {
			const list: string[] = [];
			for (const c of all) {
				const x = c[b];
				if (x !== UNKNOWN_CONTEXT && x !== DATA_CONTEXT && !list.includes(x)) { list.push(x); }
			}
			const key = list.join(',');
			let entry = shared.get(key);
			if (!entry) {
				entry = { contexts: list, defs: new Map() };
				shared.set(key, entry);
			}
			byBlock[b] = entry.contexts;
			definitionsByBlock[b] = entry.defs;
		}
		f = { byBlock, definitionsByBlock };
		runs.set(ctx, f);
	}
	return f;
}

/** The distinct contexts a directive stands in (unknown and data contexts left out). */
export function contextsOf(ctx: NginxContext, d: NginxDirective): string[] {
	return runFacts(ctx).byBlock[d.parent];
}

/** Definitions of the directive that apply where it stands. */
export function applicableDefinitions(ctx: NginxContext, d: NginxDirective): NginxDirectiveData[] {
	const f = runFacts(ctx);
	const map = f.definitionsByBlock[d.parent];
	const name = d.name.value;
	let defs = map.get(name);
	if (!defs) {
		defs = definitionsIn(name, f.byBlock[d.parent]);
		map.set(name, defs);
	}
	return defs;
}

/** True when the directive stands only in data or unknown contexts (nothing to check). */
export function isUncheckable(ctx: NginxContext, d: NginxDirective): boolean {
	return runFacts(ctx).byBlock[d.parent].length === 0;
}

/** Definitions of the directive that apply in any of the given contexts. */
export function definitionsIn(name: string, contexts: readonly string[]): NginxDirectiveData[] {
	return getNginxDirectives(name).filter(def => contexts.some(c => allowsContext(def, c)));
}

const CONTEXT_WORDS: Record<string, string> = {
	'main': 'the main context', 'events': 'events', 'http': 'http', 'http.server': 'server', 'http.location': 'location',
	'http.upstream': 'upstream', 'http.server.if': 'if in server', 'http.location.if': 'if in location', 'http.limit_except': 'limit_except',
	'stream': 'stream', 'stream.server': 'stream server', 'stream.upstream': 'stream upstream', 'mail': 'mail', 'mail.server': 'mail server', 'any': 'any context',
};

export function contextWord(id: string): string {
	return CONTEXT_WORDS[id] ?? id;
}
