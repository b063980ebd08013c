/**
 * nginx-alias-traversal: `location /static { alias /srv/static/; }`. nginx replaces the matched
 * prefix with the alias, so a request for `/static../app/settings.py` still matches the location
 * and maps to `/srv/static/../app/settings.py` — one folder up from what was meant to be public.
 * Only a prefix location that does not end in `/` with an alias that does is open to this.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';
import { locationMatch } from './locations';

export function checkAliasTraversal(ctx: NginxContext): void {
	const { file } = ctx;
	for (const d of file.directives) {
		if (d.name.value !== 'alias' || d.args.length !== 1) { continue; }
		const target = d.args[0];
		if (!target.value.endsWith('/') || isUncheckable(ctx, d)) { continue; }
		const owner = file.blocks[d.parent]?.owner;
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
