/**
 * nginx-alias-traversal: `location /static { alias /srv/static/; }`. nginx replaces the matched
 * prefix with the alias, so a request for `/static../app/settings.py` still matches the location
 * and maps to `/srv/static/../app/settings.py` — one folder up from what was meant to be public.
 * Only a prefix location that does not end in `/` with an alias that does is open to this.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';
import { directiveId, directiveIds, NameFilter } from './facts';

const ALIAS = new NameFilter(['alias']);
const LOCATION = directiveId('location');
import { locationMatch } from './locations';

export function checkAliasTraversal(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	const text = file.text;
	const ids = directiveIds(file);
	for (const index of ALIAS.indexes(file)) {
		if (t.dirArgc[index] !== 1) { continue; }
		// on the text first: a plain alias without a trailing "/", or one in a location whose plain path ends in "/", is fine
		const a = t.dirTok[index] + 1;
		if (t.tokFlags[a] === 0 && text.charCodeAt(t.tokEnd[a] - 1) !== 47 /* / */) { continue; }
		const ownerIndex = t.blockOwner[t.dirParent[index]];
		if (ownerIndex < 0 || ids[ownerIndex] !== LOCATION || t.dirArgc[ownerIndex] === 0) { continue; }
		const pathToken = t.dirTok[ownerIndex] + (t.dirArgc[ownerIndex] >= 2 ? 2 : 1);
		if (t.tokFlags[pathToken] === 0 && text.charCodeAt(t.tokEnd[pathToken] - 1) === 47) { continue; }
		const d = file.directive(index);
		const target = d.args[0];
		if (!target.value.endsWith('/') || isUncheckable(ctx, d)) { continue; }
		const owner = file.block(d.parent).owner;
		if (!owner || owner.name.value !== 'location') { continue; }
		const m = locationMatch(owner);
		if (!m || (m.modifier !== '' && m.modifier !== '^~') || m.path.endsWith('/') || !m.path) { continue; }
		const loc = owner.args[owner.args.length - 1];
		// the path written in the location's last token, whatever its modifier
		const pathEnd = loc.offset + loc.length - (loc.quote ? 1 : 0);
		ctx.report({
			code: Codes.nginxAliasTraversal, offset: target.offset, length: target.length,
			args: { location: m.path, alias: target.value },
			data: { insertAt: pathEnd, aliasSlash: target.offset + target.length - (target.quote ? 2 : 1) },
			related: [{ uri: ctx.uri, offset: loc.offset, length: loc.length, message: `the location "${m.path}" has no trailing slash` }],
		});
	}
}
