/**
 * Which sections of an ini file uWSGI reads as options. `[uwsgi]` always; another section
 * only when its keys are mostly uWSGI options (a `file.ini:name` section), so that the
 * sections of other tools in the same file (PasteDeploy's `[app:main]`) are left alone.
 */
import { isUwsgiOption } from '../../data/uwsgiData';
import type { IniDocument, IniSection } from '../../parser/ini/nodes';

export const DEFAULT_SECTION = 'uwsgi';

export function isUwsgiSection(section: IniSection): boolean {
	if (section.name === DEFAULT_SECTION) { return true; }
	const keys = section.entries;
	if (!keys.length) { return false; }
	let known = 0;
	for (const e of keys) {
		if (isUwsgiOption(e.key.text)) { known++; }
	}
	return known * 2 > keys.length;
}

export function uwsgiSections(doc: IniDocument): IniSection[] {
	return doc.sections.filter(isUwsgiSection);
}
