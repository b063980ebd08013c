/**
 * nginx-unknown-directive: a directive no module in the data (nginx, njs, the shipped
 * third-party table, the user's `uwsgiNginx.nginx.extraDirectives`) defines. Bodies of data
 * blocks (map, types, ...) and Lua blocks hold no directives and are skipped.
 */
import { getNginxDirectives, nginxDirectiveNames } from '../../data/nginxData';
import { TOKEN_DOUBLE_QUOTED, TOKEN_SINGLE_QUOTED } from '../../parser/nginx/nodes';
import { Suggester } from '../../utils/strings';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { didYouMean } from '../findings';
import { allowsContext, contextName, UNKNOWN_CONTEXT } from './facts';
import { BOM } from './byteOrderMark';
import { runFacts } from './fileContexts';

export { extraDirectiveNames } from './fileContexts';

const suggester = new Suggester(nginxDirectiveNames, 8);

export interface UnknownDirectiveData {
	readonly candidates: readonly string[];
}

export function checkUnknownDirectives(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	const f = runFacts(ctx);
	// names no module defines (id -1), in document order
	for (const d of f.byName.of(-1)) {
		const parent = t.dirParent[d];
		if (f.allData[parent] || (t.tokFlags[t.dirTok[d]] & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) !== 0) { continue; }
		// a name glued to a byte-order mark at the start of the file: nginx-byte-order-mark says why
		if (t.tokStart[t.dirTok[d]] === 0 && file.text.charCodeAt(0) === BOM) { continue; }
		const nameToken = file.token(t.dirTok[d]);
		const name = nameToken.value;
		if (f.extra.has(name)) { continue; }
		const candidates = suggestDirectives(name, contextName(f.blockContexts[0][parent]));
		const data: UnknownDirectiveData = { candidates };
		ctx.report({
			code: Codes.nginxUnknownDirective, offset: nameToken.offset, length: nameToken.length,
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
