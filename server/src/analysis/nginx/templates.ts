/**
 * Checking an nginx config template (`default.conf.template`, see parser/nginx/template.ts): it
 * is checked as the config it becomes, except where a `${VAR}` stands. The value is filled in
 * when the container starts, so nothing that depends on it is judged: a finding on a token that
 * holds a placeholder is dropped, and so is one about a directive's shape (its argument count,
 * its `;`) when the directive holds one (a value may bring several words, or whole directives).
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { isTemplatePath, placeholdersIn } from '../../parser/nginx/template';
import { uriToPath } from '../../utils/uri';
import { Codes } from '../codes';
import type { Finding } from '../findings';

/** Codes reported on a directive as a whole about how many words it has or how it ends. */
const SHAPE_CODES: ReadonlySet<string> = new Set([Codes.nginxInvalidArguments.id, Codes.nginxSyntax.id]);

/** Whether the file at `uri` is a config template. */
export function isTemplateUri(uri: string): boolean {
	return isTemplatePath(uriToPath(uri) ?? uri);
}

/** The findings of a template that do not depend on the value of a placeholder. */
export function withoutPlaceholderFindings(file: NginxFile, findings: readonly Finding[]): Finding[] {
	const t = file.tree;
	const text = file.text;
	// [start, end) pairs: tokens holding a placeholder, and whole directives for the shape codes
	const tokens: number[] = [];
	const directives: number[] = [];
	for (let d = 0; d < t.directiveCount; d++) {
		const first = t.dirTok[d];
		let any = false;
		for (let k = first; k <= first + t.dirArgc[d]; k++) {
			const s = t.tokStart[k];
			const e = t.tokEnd[k];
			const dollar = text.indexOf('$', s);
			if (dollar < 0 || dollar >= e || !placeholdersIn(text, dollar, e).length) { continue; }
			tokens.push(s, e);
			any = true;
		}
		if (!any) { continue; }
		const end = t.dirSemi[d] >= 0 ? t.dirSemi[d] + 1 : t.dirBlock[d] >= 0 ? t.blockOpen[t.dirBlock[d]] + 1 : t.dirEnd[d];
		directives.push(t.tokStart[first], end);
		// a placeholder for a directive's name may bring whole directives: its statement is not judged at all
		if (t.tokStart[first] === tokens[tokens.length - 2]) { tokens.push(t.tokStart[first], end); }
	}
	if (!tokens.length) { return [...findings]; }
	// a directive's span takes in its end: a missing ";" is reported just after its last word
	const overlaps = (spans: readonly number[], f: Finding, closed: boolean) => {
		for (let i = 0; i < spans.length; i += 2) {
			if ((closed ? f.offset <= spans[i + 1] : f.offset < spans[i + 1]) && f.offset + Math.max(f.length, 1) > spans[i]) { return true; }
		}
		return false;
	};
	return findings.filter(f => !overlaps(tokens, f, false) && !(SHAPE_CODES.has(f.code.id) && overlaps(directives, f, true)));
}
