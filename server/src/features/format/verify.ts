/**
 * Checks that a format kept what the programs read: the same tokens, comments and raw bodies in
 * the same order, and the same syntax problems. Independent of how the formatters work (it reads
 * the parse trees only), so tests, the corpus run and a `--fix` can use it as a safety net.
 */
import type { IniDocument } from '../../parser/ini/nodes';
import type { NginxFile } from '../../parser/nginx/nodes';
import { nginxPieces } from '../../parser/nginx/parser';

/** Everything nginx reads, in order: tokens as written, `;`, `{`, `}`, comments, Lua bodies, stray characters. */
export function nginxSignature(file: NginxFile): string[] {
	return nginxPieces(file).map(p => file.text.slice(p.offset, p.offset + p.length));
}

/** Every line uWSGI reads, in order (blank lines left out): kind, key, value, section name, comment text. */
export function iniSignature(doc: IniDocument): string[] {
	const out: string[] = [];
	for (const l of doc.lines) {
		switch (l.kind) {
			case 'blank': break;
			case 'comment': out.push(`#${doc.text.slice(l.offset, l.offset + l.length)}`); break;
			case 'section': out.push(`[${l.name}|${l.closed}`); break;
			default: out.push(`=${l.key.text}|${l.equals >= 0}|${l.value.text}|${l.section}`);
		}
	}
	return out;
}

/** Problems as kinds and messages (offsets move when blanks change). */
export function problemSignature(doc: { readonly problems: readonly { readonly kind: string; readonly message: string }[] }): string[] {
	return doc.problems.map(p => `${p.kind}: ${p.message}`);
}

/** Why `after` is not a faithful format of `before`, or undefined when it is. */
export function compareSignatures(before: readonly string[], after: readonly string[], what: string): string | undefined {
	const n = Math.max(before.length, after.length);
	for (let i = 0; i < n; i++) {
		if (before[i] !== after[i]) {
			return `${what} #${i + 1} changed: ${JSON.stringify(before[i])} became ${JSON.stringify(after[i])}`;
		}
	}
	return undefined;
}

/** Undefined when the formatted nginx file reads as the original did; otherwise what differs. */
export function verifyNginxFormat(before: NginxFile, after: NginxFile): string | undefined {
	return compareSignatures(nginxSignature(before), nginxSignature(after), 'token')
		?? compareSignatures(problemSignature(before), problemSignature(after), 'syntax problem');
}

/** Undefined when the formatted ini file reads as the original did; otherwise what differs. */
export function verifyUwsgiFormat(before: IniDocument, after: IniDocument): string | undefined {
	return compareSignatures(iniSignature(before), iniSignature(after), 'line')
		?? compareSignatures(problemSignature(before), problemSignature(after), 'syntax problem');
}
