/**
 * uwsgi-unknown-option: a key in a uWSGI section that no option of core or any plugin has,
 * and that no `%(name)` in the workspace's uWSGI files uses as a placeholder.
 */
import { uwsgiOptionNames } from '../../data/uwsgiData';
import { Suggester } from '../../utils/strings';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import type { IniEntryLine } from '../../parser/ini/nodes';
import { didYouMean } from '../findings';
import { LOGIC_END_KEYS, LOGIC_START_KEYS } from '../../parser/ini/logicKeys';
import { referencedPlaceholders } from './placeholders';
import { optionEntries } from './entries';
import { uwsgiSections } from './sections';
import { commandConfigOf } from '../commands/invocation';

const suggester = new Suggester(uwsgiOptionNames);

/** Payload of the quick fix "Change to 'X'". */
export interface UnknownOptionData {
	readonly candidates: readonly string[];
}

export function checkUnknownOptions(ctx: UwsgiContext): void {
	const sections = uwsgiSections(ctx.doc);
	if (!sections.length) { return; }
	let used: ReadonlySet<string> | undefined;
	let users: ReadonlyMap<string, ReadonlySet<string>> | undefined;
	/** Offset of the last stray end of a logic block (-1: none), found once per file. */
	let lastStrayEnd: number | undefined;
	const declared = declaredOptions(ctx);
	// the entries with a known option, in the same order as the loop below walks them
	const known = optionEntries(ctx.doc);
	let k = 0;
	for (const section of sections) {
		const entries = section.entries;
		for (let i = 0; i < entries.length; i++) {
			const entry = entries[i];
			if (k < known.length && known[k].entry === entry) {
				k++;
				continue;
			}
			const key = entry.key.text;
			if (LOGIC_END_KEYS.has(key) || declared.has(key)) { continue; }
			// referenced here, or as a placeholder in another file of the workspace (kept per file)
			used ??= referencedPlaceholders(ctx.doc);
			if (used.has(key)) { continue; }
			users ??= ctx.workspace.uwsgiNames('placeholders', doc => referencedPlaceholders(doc)).files;
			const elsewhere = users.get(key);
			if (elsewhere && (elsewhere.size > 1 || !elsewhere.has(ctx.uri))) { continue; }
			// a block opener (`for`, `if-env`, …) only where a stray end below waits for one: changing a
			// setting into an opener would leave an unclosed block
			lastStrayEnd ??= ctx.doc.problems.reduce((last, p) => (p.kind === 'stray-end' ? Math.max(last, p.offset) : last), -1);
			// in a function of its own: a closure in this loop's body would make a context for every entry
			report(ctx, entry, lastStrayEnd > entry.offset);
		}
	}
}

function report(ctx: UwsgiContext, entry: IniEntryLine, strayEndBelow: boolean): void {
	const key = entry.key.text;
	const candidates = suggester.suggest(key).filter(c => strayEndBelow || !LOGIC_START_KEYS.has(c));
	const data: UnknownOptionData = { candidates };
	ctx.report({
		code: Codes.uwsgiUnknownOption, offset: entry.key.offset, length: entry.key.length,
		args: { key, effect: commandConfigOf(ctx.doc) ? 'uWSGI stops at startup ("unrecognized option").' : 'uWSGI does not know it and silently keeps it as a placeholder, so it has no effect.', hint: didYouMean(candidates) }, data,
	});
}

/** Names made into options by `declare-option`/`declare-option2` (`name=...`). */
function declaredOptions(ctx: UwsgiContext): Set<string> {
	const names = new Set<string>();
	const entries = ctx.doc.entries;
	for (let i = 0; i < entries.length; i++) {
		const e = entries[i];
		if (e.key.text === 'declare-option' || e.key.text === 'declare-option2') {
			const eq = e.value.text.indexOf('=');
			if (eq > 0) { names.add(e.value.text.slice(0, eq).trim()); }
		}
	}
	return names;
}
