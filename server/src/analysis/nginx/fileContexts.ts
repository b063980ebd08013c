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

export function includeGraph(ctx: NginxContext): NginxIncludeGraph {
	return ctx.workspace.nginxGraph({ prefix: ctx.settings.nginx.prefix, pathMappings: ctx.settings.nginx.pathMappings });
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

/** The distinct contexts a directive stands in (unknown and data contexts left out). */
export function contextsOf(ctx: NginxContext, d: NginxDirective): string[] {
	const out: string[] = [];
	for (const c of fileContexts(ctx)) {
		const x = c[d.parent];
		if (x !== UNKNOWN_CONTEXT && x !== DATA_CONTEXT && !out.includes(x)) { out.push(x); }
	}
	return out;
}

/** True when the directive stands only in data or unknown contexts (nothing to check). */
export function isUncheckable(ctx: NginxContext, d: NginxDirective): boolean {
	return fileContexts(ctx).every(c => c[d.parent] === UNKNOWN_CONTEXT || c[d.parent] === DATA_CONTEXT);
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
