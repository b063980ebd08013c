/**
 * uwsgi-duplicate-option: an option that takes one value, set more than once in the same
 * section (aliases count as the same option: `workers` and `processes`). The last one wins;
 * the earlier ones have no effect. Repeatable options (`socket`, `env`, `route`, ...) and lines
 * inside config-logic blocks (alternatives) are not reported.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import { canonicalName, optionEntries } from './entries';
import { commandConfigOf, flagRemoval } from '../commands/invocation';

/**
 * Payload of the fix on a command line: the span that removes the flag and its value, or
 * `keep` when it shares its word with another flag (the fix then offers nothing: removing the
 * line would remove the whole command). In an ini there is no payload: the fix removes the line.
 */
export interface DuplicateOptionData {
	readonly remove?: { readonly offset: number; readonly length: number };
	readonly keep?: true;
}

export function checkDuplicateOptions(ctx: UwsgiContext): void {
	const inBlock = entriesInLogicBlocks(ctx);
	const groups = new Map<string, IniEntryLine[]>();
	const all = optionEntries(ctx.doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option, section } = all[i];
		if (option.repeatable || inBlock[entry.index]) { continue; }
		const canonical = canonicalName(option);
		const key = `${section}\u0000${canonical}`;
		const list = groups.get(key);
		if (list) { list.push(entry); } else { groups.set(key, [entry]); }
	}
	for (const list of groups.values()) {
		if (list.length < 2) { continue; }
		const winner = list[list.length - 1];
		const line = lineOf(ctx.doc, winner.offset);
		for (const e of list.slice(0, -1)) {
			const isCommand = commandConfigOf(ctx.doc) !== undefined;
			const remove = isCommand ? flagRemoval(ctx.doc, e) : undefined;
			const data: DuplicateOptionData | undefined = !isCommand ? undefined : remove ? { remove } : { keep: true };
			ctx.report({
				code: Codes.uwsgiDuplicateOption, offset: e.key.offset, length: e.key.length,
				args: { key: e.key.text, winner: `${winner.key.text} = ${winner.value.text}`, line },
				related: [{ uri: ctx.uri, offset: winner.key.offset, length: winner.offset + winner.length - winner.key.offset, message: 'this value wins' }],
				tags: ['unnecessary'],
				...(data ? { data } : {}),
			});
		}
	}
}

/** By entry index: 1 for the entries inside a config-logic block (its opening and closing lines included). */
function entriesInLogicBlocks(ctx: UwsgiContext): Uint8Array {
	const inBlock = new Uint8Array(ctx.doc.entries.length);
	for (const b of ctx.doc.blocks) {
		const end = b.end ? b.end.index : ctx.doc.entries.length;
		inBlock.fill(1, b.start.index, Math.min(end + 1, ctx.doc.entries.length));
	}
	return inBlock;
}

/** 1-based line of an offset: binary search over the parsed lines. */
function lineOf(doc: IniDocument, offset: number): number {
	let lo = 0;
	let hi = doc.lines.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (doc.lines[mid].offset <= offset) { lo = mid; } else { hi = mid - 1; }
	}
	return lo + 1;
}
