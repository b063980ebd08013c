/**
 * nginx-directive-not-allowed and nginx-invalid-arguments: a known directive in a context its
 * module does not allow, with an argument count its rule does not allow, or written as a block
 * when it is not one (and the other way round). Mirrors the checks of ngx_conf_handler.
 */
import type { NginxArgRule } from '../../data/types';
import { TERM_BLOCK, TERM_MISSING, TERM_SEMICOLON, TOKEN_DOUBLE_QUOTED, TOKEN_SINGLE_QUOTED } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { acceptsArgs, contextSetNames, directiveFacts, shapeAccepted, type DirectiveFacts } from './facts';
import { contextWord, runFacts } from './fileContexts';

export { acceptsCount } from './facts';

function describeRule(rule: NginxArgRule): string {
	if (rule.flag) { return 'exactly 1 (on or off)'; }
	if (rule.counts) { return rule.counts.length === 1 ? `exactly ${rule.counts[0]}` : rule.counts.join(' or '); }
	return rule.max === null ? `${rule.min} or more` : `${rule.min} to ${rule.max}`;
}

export function checkPlacement(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const t = ctx.file.tree;
	const { ids, blockSet, extra } = f;
	// the tree's arrays in locals: the calls in the loop would make V8 load them from the tree again on every turn
	const { dirParent, dirTerm, dirArgc } = t;
	const n = t.directiveCount;
	for (let d = 0; d < n; d++) {
		const id = ids[d];
		if (id < 0) { continue; }
		const set = blockSet[dirParent[d]];
		if (set === 0) { continue; }
		// the common case first, on packed facts: a rule applies and takes this shape (nothing below can report then)
		const term = dirTerm[d];
		if (term !== TERM_MISSING && shapeAccepted(set, id, term === TERM_BLOCK, dirArgc[d])) { continue; }
		if ((t.tokFlags[t.dirTok[d]] & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) !== 0) { continue; }
		if (extra.size && extra.has(ctx.file.token(t.dirTok[d]).value)) { continue; }
		const facts = directiveFacts(set, id);
		if (!facts.defs.length) {
			const name = ctx.file.token(t.dirTok[d]);
			const allowed = [...new Set(facts.all.flatMap(x => x.contexts))].map(contextWord);
			ctx.report({
				code: Codes.nginxDirectiveNotAllowed, offset: name.offset, length: name.length,
				args: { name: name.value, here: contextWord(contextSetNames(set)[0]), allowed: allowed.join(', ') },
			});
			continue;
		}
		if (term === TERM_MISSING) { continue; }
		if (term === TERM_BLOCK ? facts.blockOk && acceptsArgs(facts, t.dirArgc[d]) : facts.semicolonOk && acceptsArgs(facts, t.dirArgc[d])) { continue; }
		checkShape(ctx, d, facts);
	}
}

/** Reports what is wrong with the shape of directive `d` (block-ness, then the argument count). */
function checkShape(ctx: NginxContext, index: number, facts: DirectiveFacts): void {
	const d = ctx.file.directive(index);
	const rules = facts.defs.map(x => x.args);
	const name = d.name.value;
	if (ctx.file.tree.dirTerm[index] === TERM_BLOCK && !facts.blockOk) {
		const brace = d.block!.open;
		ctx.report({ code: Codes.nginxInvalidArguments, offset: brace, length: 1, args: { name, detail: `"${name}" is not a block directive: nginx says it "is not terminated by ;".` } });
		return;
	}
	if (ctx.file.tree.dirTerm[index] === TERM_SEMICOLON && !facts.semicolonOk) {
		ctx.report({ code: Codes.nginxInvalidArguments, offset: d.name.offset, length: d.name.length, args: { name, detail: `"${name}" needs a { ... } block: nginx says it "has no opening {".` } });
		return;
	}
	const n = d.args.length;
	if (acceptsArgs(facts, n)) { return; }
	const span = n ? { offset: d.args[0].offset, length: d.args[n - 1].offset + d.args[n - 1].length - d.args[0].offset } : d.name;
	ctx.report({
		code: Codes.nginxInvalidArguments, offset: span.offset, length: span.length,
		args: { name, detail: `"${name}" takes ${rules.map(describeRule).join(' or ')} argument${rules.length === 1 && rules[0].counts?.length === 1 && rules[0].counts[0] === 1 ? '' : 's'}, not ${n}: nginx stops with "invalid number of arguments".` },
	});
}
