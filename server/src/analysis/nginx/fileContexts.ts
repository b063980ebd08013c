/**
 * The contexts of every block of the file being validated, for each context its top level is
 * read in (a file included from several places may be read in several), and the directive
 * definitions that apply to a directive there. Computed once per validation run, as integer
 * arrays the checks index by block (see facts.ts).
 */
import type { NginxDirectiveData } from '../../data/types';
import type { NginxDirective } from '../../parser/nginx/nodes';
import type { NginxContext } from '../context';
import {
	contextId, contextSetId, contextSetNames, DATA_ID, directiveFacts, directiveId, directiveIds, DirectivesByName, directivesByName,
	UNKNOWN_ID, type DirectiveFacts,
} from './facts';
import { contextsFor, type NginxIncludeGraph } from './includes';
import { Memo } from '../../utils/memo';

const graphs = new Memo<NginxContext, NginxIncludeGraph>();

/** The include graph for this validation run (looked up once per run, not per directive). */
export function includeGraph(ctx: NginxContext): NginxIncludeGraph {
	let g = graphs.get(ctx);
	if (!g) {
		g = ctx.workspace.nginxGraph({ prefix: ctx.settings.nginx.prefix, pathMappings: ctx.settings.nginx.pathMappings });
		graphs.set(ctx, g);
	}
	return g;
}

/** What the checks of one run read, by directive and block index. */
export interface RunFacts {
	/** Directive id of every directive (-1: no module defines the name). */
	readonly ids: Int32Array;
	/** For each context the file's top level is read in: the context id of every block. */
	readonly blockContexts: readonly Int32Array[];
	/** By block: the set of distinct contexts its directives stand in, unknown and data left out (0: none, nothing to check). */
	readonly blockSet: Int32Array;
	/** By block: 1 when it is a data body in every reading (map, types, Lua: no directives). */
	readonly allData: Uint8Array;
	/** The directives by name. */
	readonly byName: DirectivesByName;
	/** The user's extra directive names (`uwsgiNginx.nginx.extraDirectives`). */
	readonly extra: ReadonlySet<string>;
}

const cache = new Memo<object, { graph: NginxIncludeGraph; facts: Omit<RunFacts, 'extra'> }>();
const runs = new Memo<NginxContext, RunFacts>();

export function runFacts(ctx: NginxContext): RunFacts {
	let f = runs.get(ctx);
	if (f) { return f; }
	const graph = includeGraph(ctx);
	const hit = cache.get(ctx.file);
	let base = hit && hit.graph === graph ? hit.facts : undefined;
	if (!base) {
		const file = ctx.file;
		// the graph worked out these contexts already for the files this one includes: share them
		const blockContexts = graph.topContexts(ctx.uri).map(top => contextsFor(file, contextId(top)));
		const n = file.tree.blockCount;
		const blockSet = new Int32Array(n);
		const allData = new Uint8Array(n);
		if (blockContexts.length === 1) {
			// one reading: a block's set is its one context; sets are memoised by context id
			const single: number[] = [];
			const c0 = blockContexts[0];
			for (let b = 0; b < n; b++) {
				const x = c0[b];
				allData[b] = x === DATA_ID ? 1 : 0;
				blockSet[b] = x === DATA_ID || x === UNKNOWN_ID ? 0 : (single[x] ??= contextSetId([x]));
			}
		} else {
			const list: number[] = [];
			for (let b = 0; b < n; b++) {
				list.length = 0;
				let data = 1;
				for (const c of blockContexts) {
					const x = c[b];
					if (x !== DATA_ID) { data = 0; }
					if (x !== UNKNOWN_ID && x !== DATA_ID && !list.includes(x)) { list.push(x); }
				}
				allData[b] = data;
				blockSet[b] = contextSetId(list);
			}
		}
		base = { ids: directiveIds(file), blockContexts, blockSet, allData, byName: directivesByName(file) };
		cache.set(ctx.file, { graph, facts: base });
	}
	f = { ...base, extra: extraDirectiveNames(ctx) };
	runs.set(ctx, f);
	return f;
}

export function extraDirectiveNames(ctx: NginxContext): Set<string> {
	return new Set(ctx.settings.nginx.extraDirectives.map(e => (typeof e === 'string' ? e : e.name)));
}

/** The facts of directive `d` (by index) where it stands; undefined when nothing can be checked there. */
export function factsOf(f: RunFacts, tree: NginxContext['file']['tree'], d: number): DirectiveFacts | undefined {
	const id = f.ids[d];
	const set = f.blockSet[tree.dirParent[d]];
	if (id < 0 || set === 0) { return undefined; }
	return directiveFacts(set, id);
}

/** The distinct contexts a directive stands in (unknown and data contexts left out). */
export function contextsOf(ctx: NginxContext, d: NginxDirective): readonly string[] {
	return contextSetNames(runFacts(ctx).blockSet[d.parent]);
}

/** Definitions of the directive that apply where it stands. */
export function applicableDefinitions(ctx: NginxContext, d: NginxDirective): readonly NginxDirectiveData[] {
	const id = directiveId(d.name.value);
	const set = runFacts(ctx).blockSet[d.parent];
	return id < 0 || set === 0 ? [] : directiveFacts(set, id).defs;
}

/** True when the directive stands only in data or unknown contexts (nothing to check). */
export function isUncheckable(ctx: NginxContext, d: NginxDirective): boolean {
	return runFacts(ctx).blockSet[d.parent] === 0;
}

export { definitionsIn } from './facts';

const CONTEXT_WORDS: Record<string, string> = {
	'main': 'the main context', 'events': 'events', 'http': 'http', 'http.server': 'server', 'http.location': 'location',
	'http.upstream': 'upstream', 'http.server.if': 'if in server', 'http.location.if': 'if in location', 'http.limit_except': 'limit_except',
	'stream': 'stream', 'stream.server': 'stream server', 'stream.upstream': 'stream upstream', 'mail': 'mail', 'mail.server': 'mail server', 'any': 'any context',
};

export function contextWord(id: string): string {
	return CONTEXT_WORDS[id] ?? id;
}
