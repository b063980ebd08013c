/**
 * nginx-if-in-location: an `if` inside a location that does more than rewrite-module work
 * (`return`, `rewrite`, `set`, `break`) and does not end the request with `return`. When its
 * condition holds, the if block becomes the configuration of the request: directives of the
 * location outside the if no longer apply, `try_files` is skipped, and handlers such as
 * proxy_pass inside an if behave in ways the nginx documentation calls unpredictable ("If is evil").
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';
import { NameFilter } from './facts';

const IF = new NameFilter(['if']);

const SAFE = new Set(['return', 'rewrite', 'set', 'break', 'rewrite_log', 'uninitialized_variable_warning']);

export function checkIfInLocation(ctx: NginxContext): void {
	const { file } = ctx;
	for (const d of IF.in(file)) {
		if (!d.block || isUncheckable(ctx, d)) { continue; }
		const owner = file.block(d.parent).owner;
		if (!owner || owner.name.value !== 'location') { continue; }
		const body = d.block.children.filter(c => c.kind === 'directive');
		if (body.some(c => c.kind === 'directive' && c.name.value === 'return')) { continue; }
		const other = [...new Set(body.filter(c => c.kind === 'directive' && !SAFE.has(c.name.value)).map(c => c.kind === 'directive' ? c.name.value : ''))];
		if (!other.length) { continue; }
		ctx.report({
			code: Codes.nginxIfInLocation, offset: d.name.offset, length: d.name.length,
			args: { list: other.slice(0, 4).map(n => `"${n}"`).join(', ') + (other.length > 4 ? ', …' : '') },
		});
	}
}
