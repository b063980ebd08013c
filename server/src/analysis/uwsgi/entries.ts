/** The entries of a file that uWSGI reads as options, with their option data. */
import { getUwsgiOption } from '../../data/uwsgiData';
import type { UwsgiOptionData } from '../../data/types';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import { uwsgiSections } from './sections';
import { Memo } from '../../utils/memo';

export interface OptionEntry {
	readonly entry: IniEntryLine;
	readonly option: UwsgiOptionData;
	/** The section name (several parts of one section count as one). */
	readonly section: string;
	/** The value holds a reference known only at run time (see hasDynamicValue). */
	readonly dynamic: boolean;
}

const cache = new Memo<IniDocument, readonly OptionEntry[]>();

/** Entries of uWSGI sections whose key is a known option, in file order (computed once per parse). */
export function optionEntries(doc: IniDocument): readonly OptionEntry[] {
	const cached = cache.get(doc);
	if (cached) { return cached; }
	const out: OptionEntry[] = [];
	const sections = uwsgiSections(doc);
	for (let s = 0; s < sections.length; s++) {
		const section = sections[s];
		const entries = section.entries;
		for (let i = 0; i < entries.length; i++) {
			const entry = entries[i];
			const option = getUwsgiOption(entry.key.text);
			if (option) { out.push({ entry, option, section: section.name, dynamic: hasDynamicValue(entry) }); }
		}
	}
	// sections come in file order and so do their entries: `out` is in file order already
	cache.set(doc, out);
	return out;
}

const canonicalNames = new Map<UwsgiOptionData, string>();

/** The name an option and its aliases share (the first in sort order); worked out once per option. */
export function canonicalName(option: UwsgiOptionData): string {
	let name = canonicalNames.get(option);
	if (name === undefined) {
		name = [option.name, ...(option.aliases ?? [])].sort()[0];
		canonicalNames.set(option, name);
	}
	return name;
}

/** Files with at most this many option entries are scanned instead of indexed by option name. */
export const SMALL_FILE = 64;

const byName = new Memo<IniDocument, ReadonlyMap<string, readonly OptionEntry[]>>();

/** optionEntries grouped by canonical option name (aliases folded), each list in file order; once per parse. */
export function optionEntriesByName(doc: IniDocument): ReadonlyMap<string, readonly OptionEntry[]> {
	let map = byName.get(doc) as Map<string, OptionEntry[]> | undefined;
	if (map) { return map; }
	map = new Map();
	const all = optionEntries(doc);
	for (let i = 0; i < all.length; i++) {
		const name = canonicalName(all[i].option);
		const list = map.get(name);
		if (list) { list.push(all[i]); } else { map.set(name, [all[i]]); }
	}
	byName.set(doc, map);
	return map;
}

/** True when the value holds `%(..)`, `$(..)`, `@(..)` or a magic variable: known only at run time. */
export function hasDynamicValue(entry: IniEntryLine): boolean {
	const refs = entry.refs;
	for (let i = 0; i < refs.length; i++) {
		if (refs[i].kind !== 'escape') { return true; }
	}
	return false;
}

/** The entries of options with these exact names (not their aliases), in file order. */
export function optionEntriesNamed(doc: IniDocument, ...names: string[]): readonly OptionEntry[] {
	const all = optionEntries(doc);
	if (all.length <= SMALL_FILE) {
		// a small file is read as it is: no index kept for it
		return all.filter(e => names.includes(e.option.name));
	}
	const byCanonical = optionEntriesByName(doc);
	const out: OptionEntry[] = [];
	for (const name of names) {
		const option = getUwsgiOption(name);
		for (const e of (option && byCanonical.get(canonicalName(option))) || []) {
			if (e.option.name === name) { out.push(e); }
		}
	}
	if (names.length > 1) { out.sort((a, b) => a.entry.index - b.entry.index); }
	return out;
}
