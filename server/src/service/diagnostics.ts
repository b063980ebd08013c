/**
 * Turns findings into LSP diagnostics: range from offsets, severity from the settings
 * (or `off`), `source`, `code`, `codeDescription` (docs link) and `data` for quick fixes.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
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

export function toDiagnostic(
	f: Finding, document: TextDocument, settings: Settings,
	documentOf: (uri: string) => TextDocument | undefined,
): Diagnostic | undefined {
	const severity = effectiveSeverity(f.code.id, f.code.severity, settings);
	if (severity === 'off') { return undefined; }
	const diagnostic: Diagnostic = {
		range: { start: document.positionAt(f.offset), end: document.positionAt(f.offset + f.length) },
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
			const other = r.uri === document.uri ? document : documentOf(r.uri);
			if (!other) { continue; }
			related.push({ location: { uri: r.uri, range: { start: other.positionAt(r.offset), end: other.positionAt(r.offset + r.length) } }, message: r.message });
		}
		if (related.length) { diagnostic.relatedInformation = related; }
	}
	return diagnostic;
}
