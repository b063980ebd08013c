/**
 * uwsgi-immediate-reference: options uWSGI applies the moment it reads them (`ini`, `include`,
 * `plugins`, `set`, the logic blocks, ...) run before the `$()`, `@()` and `%()` passes, so such
 * references in their values stay literal: `include = %(base)/x.ini` fails with
 * "realpath() of %(base)/x.ini failed". Magic `%x` variables are expanded for them.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { optionEntries } from './entries';

export function checkImmediateReferences(ctx: UwsgiContext): void {
	const all = optionEntries(ctx.doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option } = all[i];
		if (!entry.refs.length || !option.flags.includes('immediate')) { continue; }
		for (const r of entry.refs) {
			if (r.kind !== 'placeholder' && r.kind !== 'env' && r.kind !== 'file') { continue; }
			// `%(_)` inside logic blocks is the block's own substitution, done while reading
			if (r.kind === 'placeholder' && r.name === '_') { continue; }
			ctx.report({
				code: Codes.uwsgiImmediateReference, offset: r.offset, length: r.length,
				args: { key: entry.key.text, ref: ctx.doc.text.slice(r.offset, r.offset + r.length) },
			});
		}
	}
}
