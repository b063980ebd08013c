/** nginx-syntax: every problem the parser recorded (braces, `;`, quotes, `{` in a regex). */
import { Codes } from '../codes';
import type { NginxContext } from '../context';

export function checkNginxSyntax(ctx: NginxContext): void {
	for (const p of ctx.file.problems) {
		ctx.report({ code: Codes.nginxSyntax, offset: p.offset, length: p.length, args: { detail: p.message }, data: { kind: p.kind } });
	}
}
