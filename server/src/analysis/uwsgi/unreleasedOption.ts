/**
 * uwsgi-unreleased-option: an option only uWSGI's master branch (2.1-dev) has. Every released
 * uWSGI (2.0.x: Debian ships 2.0.21, pip 2.0.30) does not know it and silently ignores it.
 */
import { getUwsgiOptions } from '../../data/uwsgiData';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { uwsgiSections } from './sections';

export function checkUnreleasedOptions(ctx: UwsgiContext): void {
	for (const section of uwsgiSections(ctx.doc)) {
		for (const entry of section.entries) {
			const defs = getUwsgiOptions(entry.key.text);
			if (defs.length && defs.every(d => d.since === '2.1-dev')) {
				ctx.report({ code: Codes.uwsgiUnreleasedOption, offset: entry.key.offset, length: entry.key.length, args: { key: entry.key.text } });
			}
		}
	}
}
