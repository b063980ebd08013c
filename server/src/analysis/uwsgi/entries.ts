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
}

const cache = new Memo<IniDocument, readonly OptionEntry[]>();

/** Entries of uWSGI sections whose key is a known option, in file order (computed once per parse). */
export function optionEntries(doc: IniDocument): readonly OptionEntry[] {
	const cached = cache.get(doc);
	if (cached) { return cached; }
	const out: OptionEntry[] = [];
	for (const section of uwsgiSections(doc)) {
		for (const entry of section.entries) {
			const option = getUwsgiOption(entry.key.text);
			if (option) { out.push({ entry, option, section: section.name }); }
		}
	}
	// sections come in file order and so do their entries: `out` is in file order already
	cache.set(doc, out);
	return out;
}

/** True when the value holds `%(..)`, `$(..)`, `@(..)` or a magic variable: known only at run time. */
export function hasDynamicValue(entry: IniEntryLine): boolean {
	return entry.refs.some(r => r.kind !== 'escape');
}
