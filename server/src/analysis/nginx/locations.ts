/**
 * Location blocks as ngx_http_core_location checks them: the same location twice in one block
 * (nginx: duplicate location "/x"), a prefix location nested in one it does not extend
 * (location "/media/" is outside location "/static/"), locations inside exact or named ones.
 * Reported as nginx-duplicate-directive and nginx-directive-not-allowed.
 */
import type { NginxDirective } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';

interface Match {
	readonly modifier: '' | '=' | '~' | '~*' | '^~' | '@';
	readonly path: string;
}

export function locationMatch(d: NginxDirective): Match | undefined {
	const [a, b] = d.args;
	if (!a) { return undefined; }
	if (b) { return ['=', '~', '~*', '^~'].includes(a.value) ? { modifier: a.value as Match['modifier'], path: b.value } : undefined; }
	const v = a.value;
	if (v.startsWith('@')) { return { modifier: '@', path: v }; }
	if (v.startsWith('~*')) { return { modifier: '~*', path: v.slice(2) }; }
	if (v.startsWith('^~')) { return { modifier: '^~', path: v.slice(2) }; }
	if (v.startsWith('~')) { return { modifier: '~', path: v.slice(1) }; }
	if (v.startsWith('=')) { return { modifier: '=', path: v.slice(1) }; }
	return { modifier: '', path: v };
}

export function checkLocations(ctx: NginxContext): void {
	const { file } = ctx;
	const seen = new Map<string, NginxDirective>();
	for (const d of file.directives) {
		if (d.name.value !== 'location' || !d.block || isUncheckable(ctx, d)) { continue; }
		const m = locationMatch(d);
		if (!m) { continue; }
		const key = `${d.parent}\u0000${m.modifier === '^~' ? '' : m.modifier}\u0000${m.path}`;
		const first = seen.get(key);
		if (first) {
			ctx.report({
				code: Codes.nginxDuplicateDirective, offset: d.args[0].offset, length: d.args[d.args.length - 1].offset + d.args[d.args.length - 1].length - d.args[0].offset,
				args: { name: `location ${m.path}` }, related: [{ uri: ctx.uri, offset: first.offset, length: first.name.length, message: 'first defined here' }],
			});
		} else {
			seen.set(key, d);
		}
		const parent = file.blocks[d.parent].owner;
		if (!parent || parent.name.value !== 'location') { continue; }
		const pm = locationMatch(parent);
		if (!pm) { continue; }
		const where = d.args[0];
		if (pm.modifier === '=' || pm.modifier === '@') {
			ctx.report({ code: Codes.nginxLocationNesting, offset: where.offset, length: where.length, args: { detail: `nginx does not allow a location inside ${pm.modifier === '=' ? 'an exact' : 'a named'} location ("${pm.path}").` } });
		} else if (m.modifier === '@') {
			ctx.report({ code: Codes.nginxLocationNesting, offset: where.offset, length: where.length, args: { detail: `a named location ("${m.path}") must stand at the server level, not inside location "${pm.path}".` } });
		} else if ((m.modifier === '' || m.modifier === '^~' || m.modifier === '=') && (pm.modifier === '' || pm.modifier === '^~') && !m.path.startsWith(pm.path)) {
			ctx.report({ code: Codes.nginxLocationNesting, offset: where.offset, length: where.length, args: { detail: `location "${m.path}" is outside location "${pm.path}": a nested prefix location must start with its parent's prefix.` } });
		}
	}
}
