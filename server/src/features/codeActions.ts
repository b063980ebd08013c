/**
 * Quick fixes. Each fix is registered for a diagnostic code and reads its payload from
 * `diagnostic.data` — never from the message text.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Codes } from '../analysis/codes';

type FixBuilder = (diagnostic: Diagnostic, document: TextDocument) => CodeAction[];

function hasCandidates(data: unknown): data is { candidates: string[] } {
	return typeof data === 'object' && data !== null && Array.isArray((data as { candidates?: unknown }).candidates)
		&& (data as { candidates: unknown[] }).candidates.every(c => typeof c === 'string');
}

/** "Change to 'X'" for each candidate, replacing exactly the diagnostic's range. */
const changeToCandidate: FixBuilder = (diagnostic, document) => {
	if (!hasCandidates(diagnostic.data)) { return []; }
	return diagnostic.data.candidates.map((candidate, i) => {
		const edit: TextEdit = { range: diagnostic.range, newText: candidate };
		return {
			title: `Change to '${candidate}'`,
			kind: CodeActionKind.QuickFix,
			diagnostics: [diagnostic],
			isPreferred: i === 0,
			edit: { changes: { [document.uri]: [edit] } },
		};
	});
};

const FIXES: ReadonlyMap<string, FixBuilder> = new Map([
	[Codes.uwsgiUnknownOption.id, changeToCandidate],
	[Codes.nginxUnknownDirective.id, changeToCandidate],
]);

export function codesWithFixes(): readonly string[] {
	return [...FIXES.keys()];
}

export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
	const out: CodeAction[] = [];
	for (const d of diagnostics) {
		const build = typeof d.code === 'string' ? FIXES.get(d.code) : undefined;
		if (build) { out.push(...build(d, document)); }
	}
	return out;
}
