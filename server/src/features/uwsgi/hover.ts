/** Hover in uWSGI ini: options (facts + description + docs link), `%(placeholder)` values, magic `%x` variables. */
import type { Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { getUwsgiOption, getUwsgiOptions } from '../../data/uwsgiData';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import { evaluateExpression, resolvePlaceholder } from '../../analysis/uwsgi/placeholders';
import { magicVariableHover } from './magic';
import { optionHoverMarkdown } from './optionDocs';

export function entryAt(doc: IniDocument, offset: number): IniEntryLine | undefined {
	let lo = 0;
	let hi = doc.entries.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const e = doc.entries[mid];
		if (offset < e.offset) { hi = mid - 1; } else if (offset > e.offset + e.length) { lo = mid + 1; } else { return e; }
	}
	return undefined;
}

export function uwsgiHover(document: TextDocument, doc: IniDocument, offset: number): Hover | null {
	const entry = entryAt(doc, offset);
	if (!entry) { return null; }
	const range = (o: number, l: number) => ({ start: document.positionAt(o), end: document.positionAt(o + l) });
	if (offset >= entry.key.offset && offset <= entry.key.offset + entry.key.length) {
		const o = getUwsgiOption(entry.key.text);
		if (!o) { return null; }
		return { contents: { kind: 'markdown', value: optionHoverMarkdown(o, getUwsgiOptions(o.name)) }, range: range(entry.key.offset, entry.key.length) };
	}
	for (const r of entry.refs) {
		if (offset < r.offset || offset > r.offset + r.length) { continue; }
		if (r.kind === 'placeholder') {
			const isExpression = r.name.includes(' ');
			const value = isExpression ? evaluateExpression(r.name, n => resolvePlaceholder(doc, n)) : resolvePlaceholder(doc, r.name);
			const text = value === undefined
				? `\`%(${r.name})\` — no option or placeholder of that name is set in this file: uWSGI leaves the text as it is.`
				: `\`%(${r.name})\` = \`${value}\`${isExpression ? ' (uWSGI evaluates placeholder math strictly left to right, without precedence)' : ''}`;
			return { contents: { kind: 'markdown', value: text }, range: range(r.offset, r.length) };
		}
		if (r.kind === 'magic' || r.kind === 'escape') {
			return { contents: { kind: 'markdown', value: magicVariableHover(r.name, document.uri) }, range: range(r.offset, r.length) };
		}
		if (r.kind === 'shell') {
			return { contents: { kind: 'markdown', value: `\`${r.name}\` — filled in by the shell or the host when the command runs: not checked.` }, range: range(r.offset, r.length) };
		}
		if (r.kind === 'env') {
			return { contents: { kind: 'markdown', value: `\`$(${r.name})\` — the environment variable \`${r.name}\` when uWSGI starts (left as written when unset).` }, range: range(r.offset, r.length) };
		}
		return { contents: { kind: 'markdown', value: `\`@(${r.name})\` — the contents of the file \`${r.name}\` (one trailing newline removed); uWSGI stops if it is missing.` }, range: range(r.offset, r.length) };
	}
	return null;
}
