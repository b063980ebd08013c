/**
 * nginx-unknown-directive: a directive no module in the data (nginx, njs, the shipped
 * third-party table, the user's `uwsgiNginx.nginx.extraDirectives`) defines. Bodies of data
 * blocks (map, types, ...) and Lua blocks hold no directives and are skipped.
 */
import { getNginxDirectives, isNginxDirective, nginxDirectiveNames } from '../../data/nginxData';
import { Suggester } from '../../utils/strings';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { didYouMean } from '../findings';
import { allowsContext, DATA_CONTEXT, UNKNOWN_CONTEXT } from './contexts';
import { fileContexts } from './fileContexts';

const suggester = new Suggester(nginxDirectiveNames, 8);

export interface UnknownDirectiveData {
	readonly candidates: readonly string[];
}

export function extraDirectiveNames(ctx: NginxContext): Set<string> {
	return new Set(ctx.settings.nginx.extraDirectives.map(e => (typeof e === 'string' ? e : e.name)));
}

export function checkUnknownDirectives(ctx: NginxContext): void {
	const { file } = ctx;
	const all = fileContexts(ctx);
	const extra = extraDirectiveNames(ctx);
	for (const d of file.directives) {
		if (all.every(c => c[d.parent] === DATA_CONTEXT)) { continue; }
		const context = all[0][d.parent];
		const name = d.name.value;
		if (d.name.quote !== null || isNginxDirective(name) || extra.has(name)) { continue; }
		const candidates = suggestDirectives(name, context);
		const data: UnknownDirectiveData = { candidates };
		ctx.report({
			code: Codes.nginxUnknownDirective, offset: d.name.offset, length: d.name.length,
			args: { name, hint: didYouMean(candidates) }, data,
		});
	}
}

/** Closest directive names, those allowed in `context` first. */
export function suggestDirectives(name: string, context: string): string[] {
	const all = suggester.suggest(name);
	if (context === UNKNOWN_CONTEXT) { return all.slice(0, 3); }
	const fits = all.filter(n => getNginxDirectives(n).some(d => allowsContext(d, context)));
	const rest = all.filter(n => !fits.includes(n));
	return [...fits, ...rest].slice(0, 3);
}
