/**
 * The context (`main`, `http`, `http.server`, `http.location`, `http.location.if`, ...) of
 * every block of a file, computed from the directive data: a block opens the context its
 * directive's definition declares for the parent context. The top level of a file nobody
 * includes is `main` unless the file says otherwise (a `# uwsgi-nginx: context=http` comment)
 * or its directives only fit elsewhere (a file of `server {}` blocks is an http include).
 */
import { getNginxDirectives } from '../../data/nginxData';
import type { NginxDirectiveData } from '../../data/types';
import type { NginxBlock, NginxDirective, NginxFile } from '../../parser/nginx/nodes';

/** Context of a block whose kind we cannot know (an unknown block directive). */
export const UNKNOWN_CONTEXT = '?';
/** Body of a data block (map, types, geo, ...) or a Lua block: not directives. */
export const DATA_CONTEXT = '#data';

export const TOP_LEVEL_CANDIDATES = ['main', 'http', 'http.server', 'http.location', 'http.upstream', 'events', 'stream', 'stream.server', 'mail', 'mail.server'] as const;

const CONTEXT_COMMENT = /^#\s*uwsgi-nginx:\s*context\s*=\s*([a-z.]+)/;

/** The definition of `name` that applies in `context`, if any. */
export function definitionIn(name: string, context: string): NginxDirectiveData | undefined {
	const defs = getNginxDirectives(name);
	return defs.find(d => allowsContext(d, context));
}

export function allowsContext(d: NginxDirectiveData, context: string): boolean {
	return d.contexts.includes(context) || d.contexts.includes('any');
}

/** The context a block directive opens when it appears in `parentContext`. */
export function childContext(d: NginxDirective, parentContext: string): string {
	const name = d.name.value;
	if (parentContext === UNKNOWN_CONTEXT || parentContext === DATA_CONTEXT) { return parentContext; }
	const defs = getNginxDirectives(name);
	const def = defs.find(x => allowsContext(x, parentContext)) ?? defs[0];
	if (!def) { return UNKNOWN_CONTEXT; }
	if (def.rawBlock) { return DATA_CONTEXT; }
	const opened = def.blockContexts ?? [];
	if (opened.length <= 1) { return opened[0] ?? UNKNOWN_CONTEXT; }
	// `if` opens http.server.if or http.location.if depending on its parent
	return opened.find(c => c.startsWith(parentContext + '.')) ?? opened[0];
}

/** The context of a file's top level: declared by a comment, or inferred from its directives. */
export function topLevelContext(file: NginxFile): string {
	for (const c of file.comments) {
		const m = CONTEXT_COMMENT.exec(file.text.slice(c.offset, c.offset + c.length));
		if (m) { return m[1]; }
		if (c.offset > 4096) { break; }
	}
	const top = file.blocks[0].children.filter((x): x is NginxDirective => x.kind === 'directive');
	if (!top.length) { return 'main'; }
	// 1. how many top-level directives each candidate allows
	const scores = TOP_LEVEL_CANDIDATES.map(ctx => {
		let score = 0;
		for (const d of top) {
			const name = d.name.value;
			if (name === 'include') { continue; }
			if (getNginxDirectives(name).some(x => allowsContext(x, ctx))) { score++; }
		}
		return score;
	});
	const best = Math.max(...scores);
	const tied = TOP_LEVEL_CANDIDATES.filter((_, i) => scores[i] === best);
	if (tied.length === 1) { return tied[0]; }
	// 2. a tie (an `if` fits server and location): count the nested directives that fit as well
	let choice: string = tied[0];
	let choiceScore = -1;
	for (const ctx of tied) {
		const contexts = blockContexts(file, ctx);
		let score = 0;
		const n = Math.min(file.directives.length, DEEP_SCORE_LIMIT);
		for (let i = 0; i < n; i++) {
			const d = file.directives[i];
			const c = contexts[d.parent];
			if (c === DATA_CONTEXT || c === UNKNOWN_CONTEXT) { continue; }
			if (getNginxDirectives(d.name.value).some(x => allowsContext(x, c))) { score++; }
		}
		if (score > choiceScore) {
			choice = ctx;
			choiceScore = score;
		}
	}
	return choice;
}

/** How many directives the tie-break of topLevelContext looks at. */
const DEEP_SCORE_LIMIT = 5000;

/** Context of every block, by block index. */
export function blockContexts(file: NginxFile, top = topLevelContext(file)): string[] {
	const out: string[] = new Array(file.blocks.length);
	out[0] = top;
	for (let i = 1; i < file.blocks.length; i++) {
		const b: NginxBlock = file.blocks[i];
		const owner = b.owner!;
		out[i] = b.raw ? DATA_CONTEXT : childContext(owner, out[owner.parent]);
	}
	return out;
}
