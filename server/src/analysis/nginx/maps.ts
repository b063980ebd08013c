/**
 * nginx-map-no-default: a `map` or `geo` block without a `default` entry. A request no entry
 * matches gets an empty value — which an `if`, a `proxy_pass http://$backend` or a header then
 * uses as if it were meant. Writing the default out says what should happen.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { NameFilter } from './facts';

const MAP_GEO = new NameFilter(['map', 'geo']);

export function checkMapDefaults(ctx: NginxContext): void {
	for (const d of MAP_GEO.in(ctx.file)) {
		const name = d.name.value;
		if (!d.block || d.block.close < 0) { continue; }
		const entries = d.block.children.filter(c => c.kind === 'directive');
		if (!entries.length) { continue; }
		// an include may hold the default; a map of only `hostnames`/`volatile` has no entries to judge
		// a geo entry for every address (0.0.0.0/0, ::/0, the full range) is a default too
		if (entries.some(e => e.kind === 'directive' && (e.name.value === 'default' || e.name.value === 'include'
			|| (name === 'geo' && /^(0\.0\.0\.0\/0|::\/0|0\.0\.0\.0-255\.255\.255\.255)$/.test(e.name.value))))) { continue; }
		const first = entries[0];
		ctx.report({
			code: Codes.nginxMapNoDefault, offset: d.name.offset, length: d.name.length,
			args: { name, variable: d.args[d.args.length - 1]?.value ?? '' },
			data: { at: first.offset },
		});
	}
}
