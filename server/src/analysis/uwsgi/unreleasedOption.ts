/**
 * uwsgi-unreleased-option: an option only uWSGI's master branch (2.1-dev) has. Every released
 * uWSGI (2.0.x: Debian ships 2.0.21, pip 2.0.30) does not know it and silently ignores it.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { optionEntries } from './entries';

export function checkUnreleasedOptions(ctx: UwsgiContext): void {
	// the definition an entry gets is from 2.0 whenever one of the name's definitions is
	for (const { entry, option } of optionEntries(ctx.doc)) {
		if (option.since === '2.1-dev') {
			ctx.report({ code: Codes.uwsgiUnreleasedOption, offset: entry.key.offset, length: entry.key.length, args: { key: entry.key.text } });
		}
	}
}
