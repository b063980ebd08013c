/** uwsgi-syntax: the parser's problems that change what uWSGI reads (logic blocks, `%` at line end). */
import type { IniSyntaxProblem } from '../../parser/ini/nodes';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';

const BREAKING: ReadonlySet<IniSyntaxProblem['kind']> = new Set(['unknown-line', 'unclosed-block', 'nested-block', 'percent-at-eol', 'command-line']);

export function checkUwsgiSyntax(ctx: UwsgiContext): void {
	for (const p of ctx.doc.problems) {
		if (!BREAKING.has(p.kind)) { continue; }
		ctx.report({ code: Codes.uwsgiSyntax, offset: p.offset, length: p.length, args: { detail: p.message }, data: { kind: p.kind } });
	}
}
