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

/**
 * Directives whose own setters refuse a second one in the same block (custom setters the slot
 * data does not mark); names in one group exclude each other ("root" and "alias").
 */
const ONCE_PER_BLOCK: ReadonlyMap<string, string> = new Map([
	['uwsgi_pass', 'pass'], ['proxy_pass', 'pass'], ['fastcgi_pass', 'pass'], ['scgi_pass', 'pass'], ['grpc_pass', 'pass'], ['memcached_pass', 'pass'],
	['root', 'root'], ['alias', 'root'],
]);

export function checkDuplicates(ctx: NginxContext): void {
	// by block index: name → first occurrence
	const seen: (Map<string, NginxDirective> | undefined)[] = [];
	for (const d of ctx.file.directives) {
		if (isUncheckable(ctx, d)) { continue; }
		const contexts = contextsOf(ctx, d);
		if (d.block) {
			if (!(ONCE_PER_CONFIG.has(d.name.value) && contexts.includes('main'))) { continue; }
		} else if (!ONCE_PER_BLOCK.has(d.name.value)) {
			const defs = applicableDefinitions(ctx, d);
			if (!defs.length || !defs.every(x => x.repeat === 'error')) { continue; }
		}
		const names = (seen[d.parent] ??= new Map());
		const key = ONCE_PER_BLOCK.get(d.name.value) ?? d.name.value;
		const first = names.get(key);
		if (!first) {
			names.set(key, d);
			continue;
		}
		ctx.report({
			code: Codes.nginxDuplicateDirective, offset: d.name.offset, length: d.name.length,
			args: { name: d.name.value },
			related: [{ uri: ctx.uri, offset: first.offset, length: first.length, message: 'first set here' }],
		});
	}
}
