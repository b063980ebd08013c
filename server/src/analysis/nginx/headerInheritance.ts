/**
 * nginx-header-inheritance: a block that defines `add_header` (or `proxy_set_header`,
 * `uwsgi_param`, `fastcgi_param`, `scgi_param`, `grpc_set_header`) while an enclosing level has
 * some too. nginx inherits these lists only into a level that defines none itself, so the outer
 * ones — often the security headers of the server — silently vanish for this block.
 *
 * The standard uwsgi parameters are left to nginx-missing-uwsgi-params (reported on the
 * uwsgi_pass), so a level that drops only them is not reported here.
 */
import type { NginxBlock, NginxDirective } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';
import { levelContent, MAX_LEVELS, type LevelContent } from './scope';

/** Directive groups that nginx inherits as one list. */
const GROUPS: readonly (readonly string[])[] = [
	['add_header', 'add_trailer'],
	['proxy_set_header'],
	['grpc_set_header'],
	['uwsgi_param'],
	['fastcgi_param'],
	['scgi_param'],
];

const LEVEL_OWNERS = new Set(['http', 'server', 'location', 'if', 'limit_except']);

/** The standard uwsgi parameters nginx-missing-uwsgi-params looks after. */
const UWSGI_STANDARD = new Set(['QUERY_STRING', 'REQUEST_METHOD', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'REQUEST_URI', 'PATH_INFO', 'DOCUMENT_ROOT',
	'SERVER_PROTOCOL', 'REQUEST_SCHEME', 'HTTPS', 'REMOTE_ADDR', 'REMOTE_PORT', 'SERVER_PORT', 'SERVER_NAME']);

interface Entry {
	readonly key: string;
	/** Text to copy into the inner level to restore it: the directive, or the include that brings it. */
	readonly copy?: string;
	readonly copyFrom?: NginxDirective;
}

function keyOf(name: string, arg: string | undefined): string {
	const a = arg ?? '';
	return name.endsWith('_header') || name === 'add_trailer' ? `${name === 'add_trailer' ? 'trailer:' : ''}${a.toLowerCase()}` : a;
}

function entries(ctx: NginxContext, content: LevelContent): Entry[] {
	const out: Entry[] = [];
	for (const it of content.items) {
		const d = it.directive;
		const from = it.via ?? d;
		out.push({ key: keyOf(d.name.value, d.args[0]?.value), copy: textOf(ctx, from), copyFrom: from });
	}
	for (const s of content.standard) {
		out.push({ key: keyOf(s.name, s.key), copy: textOf(ctx, s.via), copyFrom: s.via });
	}
	return out;
}

function textOf(ctx: NginxContext, d: NginxDirective): string | undefined {
	if (d.semicolon < 0) { return undefined; }
	return ctx.file.text.slice(d.offset, d.semicolon + 1);
}

export function checkHeaderInheritance(ctx: NginxContext): void {
	const { file } = ctx;
	for (const group of GROUPS) {
		const names = new Set(group);
		const cache = new Map<NginxBlock, LevelContent>();
		const contentOf = (b: NginxBlock) => {
			let c = cache.get(b);
			if (!c) { c = levelContent(ctx, b, names); cache.set(b, c); }
			return c;
		};
		for (const block of file.blocks) {
			const owner = block.owner;
			if (!owner || !LEVEL_OWNERS.has(owner.name.value)) { continue; }
			const own = contentOf(block);
			const first = own.items.find(i => !i.via)?.directive;
			if (!first || own.unknown || isUncheckable(ctx, first)) { continue; }
			// the nearest enclosing level that defines any of the group
			let outer: NginxBlock | undefined = file.blocks[owner.parent];
			let outerContent: LevelContent | undefined;
			let steps = 0;
			while (outer && steps++ < MAX_LEVELS) {
				const c = contentOf(outer);
				if (c.unknown) { outerContent = undefined; break; }
				if (c.items.length || c.standard.length) { outerContent = c; break; }
				outer = outer.owner ? file.blocks[outer.owner.parent] : undefined;
			}
			if (!outer || !outerContent) { continue; }
			const inner = new Set(entries(ctx, own).map(e => e.key));
			let dropped = entries(ctx, outerContent).filter(e => !inner.has(e.key));
			if (group[0] === 'uwsgi_param') { dropped = dropped.filter(e => !UWSGI_STANDARD.has(e.key)); }
			if (!dropped.length) { continue; }
			const keys = [...new Set(dropped.map(e => e.key.replace(/^trailer:/, '')))];
			// copy each outer directive (or include) once, unless an include also brings keys the inner level redefines
			const copies: string[] = [];
			const seen = new Set<NginxDirective>();
			let copyable = true;
			for (const e of dropped) {
				if (!e.copy || !e.copyFrom) { copyable = false; break; }
				if (seen.has(e.copyFrom)) { continue; }
				seen.add(e.copyFrom);
				copies.push(e.copy);
			}
			const viaIncludes = entries(ctx, outerContent).filter(e => e.copyFrom?.name.value === 'include');
			if (viaIncludes.some(e => seen.has(e.copyFrom!) && inner.has(e.key))) { copyable = false; }
			const outerName = outer.owner ? outer.owner.name.value : 'top level of the file';
			ctx.report({
				code: Codes.nginxHeaderInheritance, offset: first.name.offset, length: first.name.length,
				args: {
					name: first.name.value, here: owner.name.value, outer: outerName,
					list: keys.slice(0, 5).map(k => `"${k}"`).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : ''),
					verb: keys.length > 1 ? 'are' : 'is',
				},
				data: copyable ? { lines: copies, at: first.offset } : {},
				related: outer.owner ? [{ uri: ctx.uri, offset: outer.owner.name.offset, length: outer.owner.name.length, message: `the ${outerName} level whose ${first.name.value} lines are dropped` }] : undefined,
			});
		}
	}
}
