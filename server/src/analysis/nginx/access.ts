/**
 * Access control that does not do what it looks like:
 * - nginx-allow-without-deny: a level with `allow` rules and no `deny`. Requests no rule matches
 *   are let through, so the allow list restricts nothing. A level's own rules replace the inherited
 *   ones, so a `deny all` of the enclosing server does not help a location that has its own `allow`.
 * - nginx-open-stub-status: `stub_status` with no access rule, no authentication, no `internal` and
 *   no `if (...) { return 403; }` on any level, in a server that listens beyond the loopback interface.
 */
import type { NginxBlock, NginxDirective } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';
import { NameFilter } from './facts';

const ALLOW = new NameFilter(['allow']);
const STUB_STATUS = new NameFilter(['stub_status']);
import { isIncluded, levelContent, levels } from './scope';

const ACCESS = new Set(['allow', 'deny']);

export function checkAllowWithoutDeny(ctx: NginxContext): void {
	const done = new Set<number>();
	for (const d of ALLOW.in(ctx.file)) {
		if (done.has(d.parent) || isUncheckable(ctx, d)) { continue; }
		done.add(d.parent);
		// the top level of an included file is part of the level that includes it
		if (d.parent === 0 && isIncluded(ctx)) { continue; }
		const block = ctx.file.block(d.parent);
		const content = levelContent(ctx, block, ACCESS);
		if (content.unknown || content.items.some(i => i.directive.name.value === 'deny')) { continue; }
		const allows = content.items.filter(i => i.directive.name.value === 'allow');
		if (allows.every(i => i.directive.args[0]?.value === 'all')) { continue; }
		const own = allows.filter(i => !i.via);
		const last = own[own.length - 1].directive;
		ctx.report({
			code: Codes.nginxAllowWithoutDeny, offset: d.name.offset, length: d.name.length,
			args: { count: allows.length },
			data: { after: last.semicolon >= 0 ? last.semicolon + 1 : last.offset + last.length },
		});
	}
}

const GUARDS = new Set(['allow', 'deny', 'auth_basic', 'auth_request', 'auth_jwt', 'internal', 'satisfy']);

export function checkOpenStubStatus(ctx: NginxContext): void {
	for (const d of STUB_STATUS.in(ctx.file)) {
		if (isUncheckable(ctx, d)) { continue; }
		const verdict = guarded(ctx, d);
		if (verdict !== 'open') { continue; }
		ctx.report({ code: Codes.nginxOpenStubStatus, offset: d.name.offset, length: d.name.length, args: {}, data: { before: d.offset } });
	}
}

/** Whether some level around the stub_status restricts who reaches it. */
function guarded(ctx: NginxContext, d: NginxDirective): 'open' | 'guarded' | 'unknown' {
	const chain: NginxBlock[] = levels(ctx.file, d);
	let access = false;
	let auth = false;
	for (const block of chain) {
		const content = levelContent(ctx, block, GUARDS);
		if (content.unknown) { return 'unknown'; }
		for (const { directive: g } of content.items) {
			const n = g.name.value;
			if (n === 'internal') { return 'guarded'; }
			if (n === 'allow' || n === 'deny') { access = true; }
			if ((n === 'auth_basic' || n === 'auth_request' || n === 'auth_jwt') && g.args[0]?.value !== 'off') { auth = true; }
		}
		if (access || auth || refusesConditionally(block)) { return 'guarded'; }
		if (block.owner?.name.value === 'server' && listensOnlyLocally(ctx, block)) { return 'guarded'; }
	}
	return isIncluded(ctx) ? 'unknown' : 'open';
}

/** A level with `if (...) { return 403; }` (or 404, 444, a redirect): a condition decides who gets in. */
function refusesConditionally(block: NginxBlock): boolean {
	return block.children.some(c => c.kind === 'directive' && c.name.value === 'if' && !!c.block
		&& c.block.children.some(x => x.kind === 'directive' && x.name.value === 'return' && /^(4\d\d|30[1-8])$/.test(x.args[0]?.value ?? '')));
}

/** A server whose every `listen` is on a loopback address or a unix socket. */
function listensOnlyLocally(ctx: NginxContext, server: NginxBlock): boolean {
	const listens = levelContent(ctx, server, new Set(['listen'])).items.map(i => i.directive.args[0]?.value ?? '');
	return listens.length > 0 && listens.every(a => /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|unix:)/.test(a));
}
