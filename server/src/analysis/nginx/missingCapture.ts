/**
 * nginx-missing-capture: `$1` … `$9` (or a named capture) that no regular expression in effect
 * provides: the regex of a `rewrite` has fewer groups than its replacement uses, or none of the
 * regexes that can have matched before the directive (regex location, if, rewrite, regex
 * server_name) has that many. nginx substitutes an empty string, so redirects and proxied paths
 * silently lose a piece.
 */
import type { NginxDirective } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { captureSources, numberedRefs, regexCache, regexInfo } from './captures';
import { isUncheckable } from './fileContexts';
import { isIncluded, owners, valueOffset } from './scope';
import { directivesWithDollar, tokenText } from './facts';

/**
 * Whether an argument of directive d can hold `$N` or `${N}` (what numberedRefs finds): read on
 * the text of plain arguments; an argument with quotes or escapes is looked at the long way.
 */
function mayHoldNumberedRef(file: NginxContext['file'], d: number): boolean {
	const t = file.tree;
	const text = file.text;
	const first = t.dirTok[d] + 1;
	for (let k = first; k < first + t.dirArgc[d]; k++) {
		if (t.tokFlags[k] !== 0) {
			if (/\$(?:\{\d\}|\d)/.test(tokenText(file, k))) { return true; }
			continue;
		}
		const e = t.tokEnd[k];
		for (let i = t.tokStart[k]; i < e - 1; i++) {
			if (text.charCodeAt(i) !== 36) { continue; }
			const c = text.charCodeAt(i + 1);
			if ((c >= 48 && c <= 57) || (c === 123 && i + 2 < e && text.charCodeAt(i + 2) >= 48 && text.charCodeAt(i + 2) <= 57)) { return true; }
		}
	}
	return false;
}

export function checkMissingCaptures(ctx: NginxContext): void {
	const { file } = ctx;
	// `$1` ... `$9` and named captures: only directives with a `$` in an argument refer to any
	for (const index of directivesWithDollar(file)) {
		if (!mayHoldNumberedRef(file, index)) { continue; }
		const d = file.directive(index);
		const mapOwner = file.block(d.parent).owner;
		if (mapOwner?.name.value === 'map') {
			checkMapEntry(ctx, d);
			continue;
		}
		if (d.name.value === 'if' || d.name.value === 'map' || !d.args.some(a => a.value.includes('$')) || isUncheckable(ctx, d)) { continue; }
		const ownRegex = d.name.value === 'rewrite' || d.args[0]?.value.startsWith('~');
		const refs = d.args.slice(ownRegex ? 1 : 0).flatMap(t => numberedRefs(t.value).map(r => ({ t, r })));
		if (!refs.length) { continue; }
		const ownersOf = owners(file, d);
		if (ownersOf.some(o => o.name.value === 'location' && o.args[0]?.value.startsWith('@'))) { continue; }
		const { all } = captureSources(ctx, d);
		const most = Math.max(0, ...all.map(s => s.info.captures.length));
		for (const { t, r } of refs) {
			const n = Number(r.ref);
			if (n <= most) { continue; }
			let detail: string;
			if (all.length) {
				detail = ownRegex
					? `the regex of this ${d.name.value} has ${most === 0 ? 'no capturing group' : `only ${most} capturing group${most > 1 ? 's' : ''}`}`
					: `no regular expression that can have matched before it has ${n} capturing group${n > 1 ? 's' : ''} (the most is ${most})`;
			} else {
				// captures may come from the blocks that include this file, or from a level above
				if (isIncluded(ctx) || !ownersOf.some(o => o.name.value === 'server' || o.name.value === 'location')) { continue; }
				detail = 'no regular expression (regex location, if, rewrite, server_name) matches before it';
			}
			report(ctx, d, t, r, detail);
			break;
		}
	}
}

function report(ctx: NginxContext, _d: NginxDirective, t: { offset: number; length: number; raw: string; value: string; quote: '"' | "'" | null }, r: { ref: string; index: number; length: number }, detail: string): void {
	const at = valueOffset(t, r.index);
	ctx.report({
		code: Codes.nginxMissingCapture, offset: at ?? t.offset, length: at === undefined ? t.length : r.length,
		args: { ref: `$${r.ref}`, detail },
	});
}

/** A map entry `~regex value`: the value's $N refer to the entry's own regex. */
function checkMapEntry(ctx: NginxContext, d: NginxDirective): void {
	const key = d.name.value;
	if (!key.startsWith('~') || !d.args.length) { return; }
	// the regex is read only for a value that refers to a capture (most map values are plain)
	let info: { readonly captures: readonly unknown[] } | undefined;
	for (const t of d.args) {
		for (const r of numberedRefs(t.value)) {
			info ??= regexInfo(regexCache(ctx), key.replace(/^~\*?/, ''));
			if (Number(r.ref) > info.captures.length) {
				report(ctx, d, t, r, `the regex of this map entry has ${info.captures.length === 0 ? 'no capturing group' : `only ${info.captures.length}`}`);
				return;
			}
		}
	}
}
