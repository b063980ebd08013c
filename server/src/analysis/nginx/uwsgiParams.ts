/**
 * nginx-missing-uwsgi-params: a `uwsgi_pass` whose effective `uwsgi_param` set lacks the
 * standard parameters (REQUEST_METHOD, QUERY_STRING, ... from `uwsgi_params`). nginx inherits a
 * level's `uwsgi_param` array only when the level defines none itself, so one `uwsgi_param` in a
 * location drops everything `include uwsgi_params;` gave the server. Without them Django and
 * Flask see no method, path or query string.
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { directiveId, directiveIds, directivesByName } from './facts';
import { includeGraph } from './fileContexts';
import type { IncludeEdge, NginxIncludeGraph } from './includes';

/** What a level contributes: nothing, only its own params, or params including the standard set. */
type Level = 'none' | 'custom' | 'standard' | 'unknown';

const REQUIRED = 'REQUEST_METHOD';
const UWSGI_PASS = directiveId('uwsgi_pass');
const UWSGI_PARAM = directiveId('uwsgi_param');
const INCLUDE = directiveId('include');

/** Include edges of a file, in document order: looked up by directive index. */
class Edges {
	private readonly list: readonly IncludeEdge[];

	constructor(graph: NginxIncludeGraph, uri: string) {
		this.list = graph.edgesFrom(uri);
	}

	get(index: number): IncludeEdge | undefined {
		let lo = 0;
		let hi = this.list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const x = this.list[mid].index;
			if (x === index) { return this.list[mid]; }
			if (x < index) { lo = mid + 1; } else { hi = mid - 1; }
		}
		return undefined;
	}
}

export function checkMissingUwsgiParams(ctx: NginxContext): void {
	const passes = directivesByName(ctx.file).of(UWSGI_PASS);
	if (!passes.length) { return; }
	const graph = includeGraph(ctx);
	const edges = new Edges(graph, ctx.uri);
	const t = ctx.file.tree;
	// levels are shared by the passes of one block: remember each block's verdict
	const verdicts = new Map<number, Level>();
	// and what each included file brings in (a snippet is often included by every location)
	const included = new Map<string, Level>();
	for (const d of passes) {
		const parent = t.dirParent[d];
		let verdict = verdicts.get(parent);
		if (verdict === undefined) {
			verdict = effectiveParams(ctx.uri, ctx.file, parent, edges, graph, included);
			verdicts.set(parent, verdict);
		}
		if (verdict !== 'none' && verdict !== 'custom') { continue; }
		const name = ctx.file.token(t.dirTok[d]);
		ctx.report({
			code: Codes.nginxMissingUwsgiParams, offset: name.offset, length: name.length,
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
function effectiveParams(uri: string, file: NginxFile, blockIndex: number, edges: Edges, graph: NginxIncludeGraph, included: Map<string, Level>): Level {
	const t = file.tree;
	let b = blockIndex;
	while (b >= 0) {
		const level = levelOf(file, b, edges, graph, included);
		if (level !== 'none') { return level; }
		const owner = t.blockOwner[b];
		b = owner >= 0 ? t.dirParent[owner] : -1;
	}
	// an included file inherits from the blocks it is included in: those may have the params
	return graph.includersOf(uri).length ? 'unknown' : 'none';
}

/** Whether the first argument of directive d is exactly `value` (as nginx reads it). */
function firstArgIs(file: NginxFile, d: number, value: string): boolean {
	const t = file.tree;
	if (t.dirArgc[d] === 0) { return false; }
	const k = t.dirTok[d] + 1;
	if (t.tokFlags[k] !== 0) { return file.token(k).value === value; }
	return t.tokEnd[k] - t.tokStart[k] === value.length && file.text.startsWith(value, t.tokStart[k]);
}

/**
 * The level of a block: whether its own uwsgi_params (and those its includes bring in) hold the
 * standard set. From a block of the checked file `seen` is undefined, and what each included file
 * brings in is worked out once (`included`, entered with only itself seen); inside an included
 * file `seen` holds the files on the way in, so a cycle ends.
 */
function levelOf(file: NginxFile, block: number, edges: Edges, graph: NginxIncludeGraph, included: Map<string, Level>, seen?: Set<string>): Level {
	const t = file.tree;
	const ids = directiveIds(file);
	let level: Level = 'none';
	for (let c = t.blockFirst[block]; c >= 0; c = t.dirNext[c]) {
		const id = ids[c];
		if (id === UWSGI_PARAM) {
			if (firstArgIs(file, c, REQUIRED)) { return 'standard'; }
			if (level === 'none') { level = 'custom'; }
		} else if (id === INCLUDE) {
			const edge = edges.get(c);
			const inc = edge ? includedLevel(edge, graph, included, seen) : 'unknown';
			if (inc === 'standard' || inc === 'unknown') { return inc; }
			if (inc === 'custom' && level === 'none') { level = 'custom'; }
		}
	}
	return level;
}

/** What an include brings in: the standard uwsgi_params file, a workspace file's params, or unknown. */
function includedLevel(edge: IncludeEdge, graph: NginxIncludeGraph, included: Map<string, Level>, seen?: Set<string>): Level {
	if (edge.standard) { return edge.standard === 'uwsgi_params' ? 'standard' : 'none'; }
	if (!edge.targets.length) { return edge.glob ? 'none' : 'unknown'; }
	let level: Level = 'none';
	for (const t of edge.targets) {
		let l = seen ? undefined : included.get(t);
		if (l === undefined) {
			if (seen?.has(t)) { continue; }
			const file = graph.fileOf(t);
			if (!file) { return 'unknown'; }
			if (seen) {
				seen.add(t);
				l = levelOf(file, 0, new Edges(graph, t), graph, included, seen);
			} else {
				l = levelOf(file, 0, new Edges(graph, t), graph, included, new Set([t]));
				included.set(t, l);
			}
		}
		if (l === 'standard' || l === 'unknown') { return l; }
		if (l === 'custom') { level = 'custom'; }
	}
	return level;
}
