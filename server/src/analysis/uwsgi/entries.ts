/** The entries of a file that uWSGI reads as options, with their option data. */
import { getUwsgiOption } from '../../data/uwsgiData';
import type { UwsgiOptionData } from '../../data/types';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import { uwsgiSections } from './sections';

export interface OptionEntry {
	readonly entry: IniEntryLine;
	readonly option: UwsgiOptionData;
	/** The section name (several parts of one section count as one). */
	readonly section: string;
}

/** Entries of uWSGI sections whose key is a known option, in file order. */
export function optionEntries(doc: IniDocument): OptionEntry[] {
	const out: OptionEntry[] = [];
	for (const section of uwsgiSections(doc)) {
		for (const entry of section.entries) {
			const option = getUwsgiOption(entry.key.text);
			if (option) { out.push({ entry, option, section: section.name }); }
		}
	}
	return out.sort((a, b) => a.entry.offset - b.entry.offset);
}

/** True when the value holds `%(..)`, `$(..)`, `@(..)` or a magic variable: known only at run time. */
export function hasDynamicValue(entry: IniEntryLine): boolean {
	return entry.refs.some(r => r.kind !== 'escape');
}
