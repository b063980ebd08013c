/**
 * Turns findings into LSP diagnostics: range from offsets, severity from the settings
 * (or `off`), `source`, `code`, `codeDescription` (docs link) and `data` for quick fixes.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation, type Position } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { codeDocUrl, renderMessage, type Severity } from '../analysis/codes';
import type { Finding } from '../analysis/findings';
import type { Settings } from './settings';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
	hint: DiagnosticSeverity.Hint,
};

export function effectiveSeverity(codeId: string, defaultSeverity: Severity, settings: Settings): Severity | 'off' {
	return settings.diagnostics.severity[codeId] ?? defaultSeverity;
}

/**
 * `document.positionAt` from lines a parser has already found (each line's offset and length,
 * split at `\n`), without building the document's own line table. Exactly the same positions:
 * used only for a text without `\r` (where `\n` is the only line break) and offsets inside the
 * lines; anything else goes to the document.
 */
export function linePositions(document: TextDocument, lines: readonly { readonly offset: number; readonly length: number; readonly eolLength: number }[]): (offset: number) => Position {
	const text = document.getText();
	const last = lines[lines.length - 1];
	if (!last || text.includes('\r') || last.offset + last.length + last.eolLength !== text.length) { return offset => document.positionAt(offset); }
	return offset => {
		if (offset < 0 || offset >= text.length) { return document.positionAt(offset); }
		let lo = 0;
		let hi = lines.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (lines[mid].offset <= offset) { lo = mid; } else { hi = mid - 1; }
		}
		return { line: lo, character: offset - lines[lo].offset };
	};
}

export function toDiagnostic(
	f: Finding, document: TextDocument, settings: Settings,
	documentOf: (uri: string) => TextDocument | undefined,
	positionAt: (offset: number) => Position = offset => document.positionAt(offset),
): Diagnostic | undefined {
	const severity = effectiveSeverity(f.code.id, f.code.severity, settings);
	if (severity === 'off') { return undefined; }
	const diagnostic: Diagnostic = {
		range: { start: positionAt(f.offset), end: positionAt(f.offset + f.length) },
		severity: LSP_SEVERITY[severity],
		source: f.code.source,
		code: f.code.id,
		codeDescription: { href: codeDocUrl(f.code.id) },
		message: renderMessage(f.code.message, f.args),
	};
	if (f.data !== undefined) { diagnostic.data = f.data; }
	if (f.tags?.length) {
		diagnostic.tags = f.tags.map(t => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
	}
	if (f.related?.length) {
		const related: DiagnosticRelatedInformation[] = [];
		for (const r of f.related) {
			if (r.uri === document.uri) {
				related.push({ location: { uri: r.uri, range: { start: positionAt(r.offset), end: positionAt(r.offset + r.length) } }, message: r.message });
				continue;
			}
			const other = documentOf(r.uri);
			if (!other) { continue; }
			related.push({ location: { uri: r.uri, range: { start: other.positionAt(r.offset), end: other.positionAt(r.offset + r.length) } }, message: r.message });
		}
		if (related.length) { diagnostic.relatedInformation = related; }
	}
	return diagnostic;
}
