/**
 * nginx-missing-uwsgi-params: a `uwsgi_pass` whose effective `uwsgi_param` set lacks the
 * standard parameters (REQUEST_METHOD, QUERY_STRING, ... from `uwsgi_params`). nginx inherits a
 * level's `uwsgi_param` array only when the level defines none itself, so one `uwsgi_param` in a
 * location drops everything `include uwsgi_params;` gave the server. Without them Django and
 * Flask see no method, path or query string.
 */
import type { NginxBlock, NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { includeGraph } from './fileContexts';
import type { IncludeEdge, NginxIncludeGraph } from './includes';

/** What a level contributes: nothing, only its own params, or params including the standard set. */
type Level = 'none' | 'custom' | 'standard' | 'unknown';

const REQUIRED = 'REQUEST_METHOD';

export function checkMissingUwsgiParams(ctx: NginxContext): void {
	const graph = includeGraph(ctx);
	const edges = new Map<NginxDirective, IncludeEdge>(graph.edgesFrom(ctx.uri).map(e => [e.directive, e]));
	for (const d of ctx.file.directives) {
		if (d.name.value !== 'uwsgi_pass') { continue; }
		const verdict = effectiveParams(ctx.uri, ctx.file, d.parent, edges, graph);
		if (verdict !== 'none' && verdict !== 'custom') { continue; }
		ctx.report({
			code: Codes.nginxMissingUwsgiParams, offset: d.name.offset, length: d.name.length,
			args: {
				detail: verdict === 'none'
					? 'no uwsgi_param reaches this uwsgi_pass (no "include uwsgi_params;" here or in an enclosing block)'
					: 'a uwsgi_param at this level replaces every inherited one, and the standard set is not included here',
			},
			data: {},
		});
	}
}

/** Walks from the block of the uwsgi_pass outwards to the first level that defines any uwsgi_param. */
function effectiveParams(uri: string, file: NginxFile, blockIndex: number, edges: Map<NginxDirective, IncludeEdge>, graph: NginxIncludeGraph): Level {
	let b: NginxBlock | undefined = file.blocks[blockIndex];
	while (b) {
		const level = levelOf(b, edges, graph);
		if (level !== 'none') { return level; }
		b = b.owner ? file.blocks[b.owner.parent] : undefined;
	}
	// an included file inherits from the blocks it is included in: those may have the params
	return graph.includersOf(uri).length ? 'unknown' : 'none';
}

function levelOf(block: NginxBlock, edges: Map<NginxDirective, IncludeEdge>, graph: NginxIncludeGraph): Level {
	let level: Level = 'none';
	for (const c of block.children) {
		if (c.kind !== 'directive') { continue; }
		if (c.name.value === 'uwsgi_param') {
			if (c.args[0]?.value === REQUIRED) { return 'standard'; }
			if (level === 'none') { level = 'custom'; }
		} else if (c.name.value === 'include') {
			const edge = edges.get(c);
			const inc = edge ? includedLevel(edge, graph, new Set()) : 'unknown';
			if (inc === 'standard' || inc === 'unknown') { return inc; }
			if (inc === 'custom' && level === 'none') { level = 'custom'; }
		}
	}
	return level;
}

/** What an include brings in: the standard uwsgi_params file, a workspace file's params, or unknown. */
function includedLevel(edge: IncludeEdge, graph: NginxIncludeGraph, seen: Set<string>): Level {
	if (edge.standard) { return edge.standard === 'uwsgi_params' ? 'standard' : 'none'; }
	if (!edge.targets.length) { return edge.glob ? 'none' : 'unknown'; }
	let level: Level = 'none';
	for (const t of edge.targets) {
		if (seen.has(t)) { continue; }
		seen.add(t);
		const file = graph.fileOf(t);
		if (!file) { return 'unknown'; }
		const top = file.blocks[0];
		const tEdges = new Map<NginxDirective, IncludeEdge>(graph.edgesFrom(t).map(e => [e.directive, e]));
		const l = levelOf(top, tEdges, graph);
		if (l === 'standard' || l === 'unknown') { return l; }
		if (l === 'custom') { level = 'custom'; }
	}
	return level;
}
