/**
 * The context (`main`, `http`, `http.server`, `http.location`, `http.location.if`, ...) of
 * every block of a file, computed from the directive data: a block opens the context its
 * directive's definition declares for the parent context. The top level of a file nobody
 * includes is `main` unless the file says otherwise (a `# uwsgi-nginx: context=http` comment)
 * or its directives only fit elsewhere (a file of `server {}` blocks is an http include).
 */
import { getNginxDirectives } from '../../data/nginxData';
import type { NginxDirectiveData } from '../../data/types';
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import {
	allowsContext, blockContextIds, childContextId, contextId, contextName, DATA_ID, directiveFacts, directiveId, directiveIds, UNKNOWN_ID, contextSetId,
} from './facts';

export { allowsContext, DATA_CONTEXT, UNKNOWN_CONTEXT } from './facts';

export const TOP_LEVEL_CANDIDATES = ['main', 'http', 'http.server', 'http.location', 'http.upstream', 'events', 'stream', 'stream.server', 'mail', 'mail.server'] as const;

const CONTEXT_COMMENT = /^#\s*uwsgi-nginx:\s*context\s*=\s*([a-z.]+)/;

/** The definition of `name` that applies in `context`, if any. */
export function definitionIn(name: string, context: string): NginxDirectiveData | undefined {
	const defs = getNginxDirectives(name);
	return defs.find(d => allowsContext(d, context));
}

/** The context a block directive opens when it appears in `parentContext`. */
export function childContext(d: NginxDirective, parentContext: string): string {
	return contextName(childContextId(contextId(parentContext), directiveId(d.name.value)));
}

/** Set ids of the single-context sets of the candidates. */
const CANDIDATE_SETS = TOP_LEVEL_CANDIDATES.map(c => contextSetId([contextId(c)]));

/** Whether a directive (by id) has a definition allowed in a single-context set. */
function fits(set: number, id: number): boolean {
	return id >= 0 && directiveFacts(set, id).defs.length > 0;
}

/** The context of a file's top level: declared by a comment, or inferred from its directives. */
export function topLevelContext(file: NginxFile): string {
	return contextName(topLevelContextId(file));
}

export function topLevelContextId(file: NginxFile): number {
	for (const c of file.comments) {
		const m = CONTEXT_COMMENT.exec(file.text.slice(c.offset, c.offset + c.length));
		if (m) { return contextId(m[1]); }
		if (c.offset > 4096) { break; }
	}
	const t = file.tree;
	const ids = directiveIds(file);
	const include = directiveId('include');
	if (t.blockFirst[0] < 0) { return contextId('main'); }
	// 1. how many top-level directives each candidate allows
	const scores = CANDIDATE_SETS.map(set => {
		let score = 0;
		for (let d = t.blockFirst[0]; d >= 0; d = t.dirNext[d]) {
			const id = ids[d];
			if (id === include) { continue; }
			if (fits(set, id)) { score++; }
		}
		return score;
	});
	const best = Math.max(...scores);
	const tied = TOP_LEVEL_CANDIDATES.filter((_, i) => scores[i] === best);
	if (tied.length === 1) { return contextId(tied[0]); }
	// 2. a tie (an `if` fits server and location): count the nested directives that fit as well
	const singleSets: number[] = [];
	let choice: string = tied[0];
	let choiceScore = -1;
	for (const ctx of tied) {
		const contexts = blockContextIds(file, contextId(ctx));
		let score = 0;
		const n = Math.min(t.directiveCount, DEEP_SCORE_LIMIT);
		for (let d = 0; d < n; d++) {
			const c = contexts[t.dirParent[d]];
			if (c === DATA_ID || c === UNKNOWN_ID) { continue; }
			if (fits(singleSets[c] ??= contextSetId([c]), ids[d])) { score++; }
		}
		if (score > choiceScore) {
			choice = ctx;
			choiceScore = score;
		}
	}
	return contextId(choice);
}

/** How many directives the tie-break of topLevelContext looks at. */
const DEEP_SCORE_LIMIT = 5000;

/** Context of every block, by block index. */
export function blockContexts(file: NginxFile, top = topLevelContext(file)): string[] {
	return Array.from(blockContextIds(file, contextId(top)), contextName);
}
