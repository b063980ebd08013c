/**
 * nginx-include-not-found: an include without wildcards that matches no workspace file and no
 * standard nginx file (nginx -t stops with "open() ... failed"; the workspace may just not hold
 * that file, hence a warning). nginx-include-cycle: a file that ends up including itself.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { includeGraph } from './fileContexts';

export function checkIncludes(ctx: NginxContext): void {
	const t = ctx.file.tree;
	for (const edge of includeGraph(ctx).edgesFrom(ctx.uri)) {
		if (!edge.cycle && (edge.glob || edge.targets.length || edge.standard || edge.pattern.includes('$'))) { continue; }
		const arg = ctx.file.token(t.dirTok[edge.index] + 1);
		if (edge.cycle) {
			ctx.report({ code: Codes.nginxIncludeCycle, offset: arg.offset, length: arg.length, args: { pattern: edge.pattern } });
		} else if (!edge.glob && !edge.targets.length && !edge.standard && !edge.pattern.includes('$')) {
			ctx.report({ code: Codes.nginxIncludeNotFound, offset: arg.offset, length: arg.length, args: { pattern: edge.pattern } });
		}
	}
}
