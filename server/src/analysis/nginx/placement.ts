/**
 * nginx-directive-not-allowed and nginx-invalid-arguments: a known directive in a context its
 * module does not allow, with an argument count its rule does not allow, or written as a block
 * when it is not one (and the other way round). Mirrors the checks of ngx_conf_handler.
 */
import { getNginxDirectives } from '../../data/nginxData';
import type { NginxArgRule } from '../../data/types';
import type { NginxDirective } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { applicableDefinitions, contextsOf, contextWord, isUncheckable } from './fileContexts';
import { extraDirectiveNames } from './unknownDirective';

export function acceptsCount(rule: NginxArgRule, n: number): boolean {
	if (rule.any) { return true; }
	if (rule.flag) { return n === 1; }
	if (rule.counts) { return rule.counts.includes(n); }
	return n >= rule.min && (rule.max === null || n <= rule.max);
}

function describeRule(rule: NginxArgRule): string {
	if (rule.flag) { return 'exactly 1 (on or off)'; }
	if (rule.counts) { return rule.counts.length === 1 ? `exactly ${rule.counts[0]}` : rule.counts.join(' or '); }
	return rule.max === null ? `${rule.min} or more` : `${rule.min} to ${rule.max}`;
}

export function checkPlacement(ctx: NginxContext): void {
	const extra = extraDirectiveNames(ctx);
	for (const d of ctx.file.directives) {
		const name = d.name.value;
		const defs = getNginxDirectives(name);
		if (!defs.length || extra.has(name) || d.name.quote !== null || isUncheckable(ctx, d)) { continue; }
		const contexts = contextsOf(ctx, d);
		if (!contexts.length) { continue; }
		const applicable = applicableDefinitions(ctx, d);
		if (!applicable.length) {
			const allowed = [...new Set(defs.flatMap(x => x.contexts))].map(contextWord);
			ctx.report({
				code: Codes.nginxDirectiveNotAllowed, offset: d.name.offset, length: d.name.length,
				args: { name, here: contextWord(contexts[0]), allowed: allowed.join(', ') },
			});
			continue;
		}
		checkShape(ctx, d, applicable.map(x => x.args));
	}
}

function checkShape(ctx: NginxContext, d: NginxDirective, rules: NginxArgRule[]): void {
	if (d.terminator === 'missing') { return; }
	const name = d.name.value;
	const isBlock = rules.some(r => r.block);
	const notBlock = rules.some(r => !r.block);
	if (d.terminator === 'block' && !isBlock) {
		const brace = d.block!.open;
		ctx.report({ code: Codes.nginxInvalidArguments, offset: brace, length: 1, args: { name, detail: `"${name}" is not a block directive: nginx says it "is not terminated by ;".` } });
		return;
	}
	if (d.terminator === 'semicolon' && !notBlock) {
		ctx.report({ code: Codes.nginxInvalidArguments, offset: d.name.offset, length: d.name.length, args: { name, detail: `"${name}" needs a { ... } block: nginx says it "has no opening {".` } });
		return;
	}
	const n = d.args.length;
	if (rules.some(r => acceptsCount(r, n))) { return; }
	const span = n ? { offset: d.args[0].offset, length: d.args[n - 1].offset + d.args[n - 1].length - d.args[0].offset } : d.name;
	ctx.report({
		code: Codes.nginxInvalidArguments, offset: span.offset, length: span.length,
		args: { name, detail: `"${name}" takes ${rules.map(describeRule).join(' or ')} argument${rules.length === 1 && rules[0].counts?.length === 1 && rules[0].counts[0] === 1 ? '' : 's'}, not ${n}: nginx stops with "invalid number of arguments".` },
	});
}
