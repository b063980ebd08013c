/**
 * nginx-syntax: every problem the parser recorded (braces, `;`, quotes, `{` in a regex); and
 * nginx-missing-semicolon, for a `;` missing where nginx does not mind: the parser splits a
 * statement whose next line starts with a directive name (so the editor keeps its structure), but
 * nginx reads that line as more arguments. When the directive takes any number of free-form
 * arguments (`server_name example.com` followed by `charset utf-8;`) nginx starts, with the next
 * line swallowed: a warning. Otherwise the longer statement is refused: an error.
 */
import type { NginxDirectiveData } from '../../data/types';
import { TERM_SEMICOLON } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { acceptsArgs, directiveFacts } from './facts';
import { runFacts } from './fileContexts';

/** Directives whose every further argument may be any word: nginx takes a swallowed line as more of them. */
const FREE_ARGUMENTS: ReadonlySet<string> = new Set(['server_name', 'index', 'try_files', 'log_format', 'valid_referers', 'gzip_disable', 'ancient_browser', 'modern_browser', 'more_set_headers', 'more_clear_headers', 'more_set_input_headers', 'more_clear_input_headers']);
const FREE_TYPES: ReadonlySet<string> = new Set(['mime_types', 'predicate']);

const freeForm = (d: NginxDirectiveData) => FREE_ARGUMENTS.has(d.name) || FREE_TYPES.has(d.valueType);

export function checkNginxSyntax(ctx: NginxContext): void {
	const t = ctx.file.tree;
	for (const p of ctx.file.problems) {
		const at = p.kind === 'missing-semicolon' ? statementEndingAt(ctx, p.offset) : -1;
		if (at >= 0 && swallowed(ctx, at)) {
			const d = ctx.file.directive(at);
			const next = ctx.file.directive(t.dirNext[at]);
			ctx.report({
				code: Codes.nginxMissingSemicolon, offset: p.offset, length: p.length,
				args: { name: d.name.value, next: next.name.value, merged: [d.name.value, ...d.args.map(a => a.raw), next.name.raw, ...next.args.map(a => a.raw)].join(' ') },
				data: { kind: p.kind },
			});
			continue;
		}
		ctx.report({ code: Codes.nginxSyntax, offset: p.offset, length: p.length, args: { detail: p.message }, data: { kind: p.kind } });
	}
}

/** The directive whose statement the parser ended at `offset` (a missing `;`). */
function statementEndingAt(ctx: NginxContext, offset: number): number {
	const t = ctx.file.tree;
	for (let d = 0; d < t.directiveCount; d++) {
		if (t.dirEnd[d] === offset && t.dirSemi[d] < 0) { return d; }
	}
	return -1;
}

/** Whether nginx accepts statement `d` with the next line swallowed into its arguments. */
function swallowed(ctx: NginxContext, d: number): boolean {
	const t = ctx.file.tree;
	const next = t.dirNext[d];
	// the swallowed line must end the statement with its own ";" (a "{" or another missing ";" is refused)
	if (next < 0 || t.dirTerm[next] !== TERM_SEMICOLON) { return false; }
	const f = runFacts(ctx);
	const id = f.ids[d];
	const set = f.blockSet[t.dirParent[d]];
	if (id < 0 || set === 0) { return false; }
	const facts = directiveFacts(set, id);
	if (!facts.defs.length || !facts.defs.every(freeForm)) { return false; }
	return acceptsArgs(facts, t.dirArgc[d] + 1 + t.dirArgc[next]);
}
