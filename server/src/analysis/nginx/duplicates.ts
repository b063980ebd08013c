/**
 * nginx-duplicate-directive: a directive whose slot setter refuses a second value at the same
 * level (nginx: `"client_max_body_size" directive is duplicate`), set twice in one block.
 */
import type { NginxDirective } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { applicableDefinitions, contextsOf, isUncheckable } from './fileContexts';

/** Blocks nginx's core modules accept once per configuration ("events" directive is duplicate). */
const ONCE_PER_CONFIG: ReadonlySet<string> = new Set(['events', 'http', 'stream', 'mail']);

export function checkDuplicates(ctx: NginxContext): void {
	// by block index: name → first occurrence
	const seen: (Map<string, NginxDirective> | undefined)[] = [];
	for (const d of ctx.file.directives) {
		if (isUncheckable(ctx, d)) { continue; }
		const contexts = contextsOf(ctx, d);
		if (d.block) {
			if (!(ONCE_PER_CONFIG.has(d.name.value) && contexts.includes('main'))) { continue; }
		} else {
			const defs = applicableDefinitions(ctx, d);
			if (!defs.length || !defs.every(x => x.repeat === 'error')) { continue; }
		}
		const names = (seen[d.parent] ??= new Map());
		const first = names.get(d.name.value);
		if (!first) {
			names.set(d.name.value, d);
			continue;
		}
		ctx.report({
			code: Codes.nginxDuplicateDirective, offset: d.name.offset, length: d.name.length,
			args: { name: d.name.value },
			related: [{ uri: ctx.uri, offset: first.offset, length: first.length, message: 'first set here' }],
		});
	}
}
