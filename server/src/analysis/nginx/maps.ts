/**
 * nginx-map-no-default: a `map` or `geo` block without a `default` entry. A request no entry
 * matches gets an empty value — which an `if`, a `proxy_pass http://$backend` or a header then
 * uses as if it were meant. Writing the default out says what should happen.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { directiveId, directiveIds, NameFilter } from './facts';

const INCLUDE = directiveId('include');

const MAP_GEO = new NameFilter(['map', 'geo']);

export function checkMapDefaults(ctx: NginxContext): void {
	const file = ctx.file;
	const t = file.tree;
	const ids = directiveIds(file);
	for (const index of MAP_GEO.indexes(file)) {
		// on the tree first: a block with an entry written `default` (or an include) is fine
		const b = t.dirBlock[index];
		if (b >= 0) {
			let fine = t.blockFirst[b] < 0;
			for (let c = t.blockFirst[b]; c >= 0 && !fine; c = t.dirNext[c]) {
				const k = t.dirTok[c];
				fine = ids[c] === INCLUDE || (t.tokFlags[k] === 0 && t.tokEnd[k] - t.tokStart[k] === 7 && file.text.startsWith('default', t.tokStart[k]));
			}
			if (fine) { continue; }
		}
		const d = file.directive(index);
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
