/** Document symbols (sections with their options) and folding ranges (sections, logic blocks) for uWSGI ini. */
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';

export function uwsgiSymbols(document: TextDocument, doc: IniDocument): DocumentSymbol[] {
	const range = (o: number, l: number) => ({ start: document.positionAt(o), end: document.positionAt(o + l) });
	const entrySymbol = (e: IniEntryLine): DocumentSymbol => ({
		name: e.key.text || '(empty key)',
		detail: e.value.text,
		kind: SymbolKind.Property,
		range: range(e.offset, e.length),
		selectionRange: range(e.key.offset, e.key.length),
	});
	const out: DocumentSymbol[] = doc.orphanEntries.map(entrySymbol);
	for (const s of doc.sections) {
		const end = Math.max(s.header.offset + s.header.length, lastContentEnd(doc, s.end));
		out.push({
			name: `[${s.name}]`,
			kind: SymbolKind.Namespace,
			range: range(s.header.offset, end - s.header.offset),
			selectionRange: range(s.header.offset, s.header.length),
			children: s.entries.map(entrySymbol),
		});
	}
	return out;
}

/** End of the last non-blank line before `end`. */
function lastContentEnd(doc: IniDocument, end: number): number {
	let e = end;
	while (e > 0 && /\s/.test(doc.text[e - 1])) { e--; }
	return e;
}

export function uwsgiFolding(document: TextDocument, doc: IniDocument): FoldingRange[] {
	const out: FoldingRange[] = [];
	const line = (o: number) => document.positionAt(o).line;
	for (const s of doc.sections) {
		const startLine = line(s.header.offset);
		const endLine = line(lastContentEnd(doc, s.end));
		if (endLine > startLine) { out.push({ startLine, endLine }); }
	}
	for (const b of doc.blocks) {
		const startLine = line(b.start.offset);
		const endLine = b.end ? line(b.end.offset) : line(doc.text.length);
		if (endLine > startLine) { out.push({ startLine, endLine: b.end ? endLine - 1 : endLine, kind: FoldingRangeKind.Region }); }
	}
	let runStart = -1;
	let runEnd = -1;
	for (const l of doc.lines) {
		if (l.kind === 'comment') {
			const ln = line(l.offset);
			if (runStart < 0) { runStart = ln; }
			runEnd = ln;
		} else if (l.kind !== 'blank' || runStart >= 0) {
			if (runStart >= 0 && runEnd > runStart) { out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment }); }
			runStart = -1;
		}
	}
	if (runStart >= 0 && runEnd > runStart) { out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment }); }
	return out;
}
