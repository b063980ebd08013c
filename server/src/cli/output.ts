/** Output formats of uwsgi-nginx-check: text (compiler style), json, SARIF 2.1.0. */
import type { Diagnostic } from 'vscode-languageserver-types';
import { allCodes, codeDocUrl } from '../analysis/codes';

export interface FileResult {
	/** The path as given or found. */
	readonly file: string;
	readonly diagnostics: readonly Diagnostic[];
}

export function messageText(d: Diagnostic): string {
	return typeof d.message === 'string' ? d.message : d.message.value;
}

const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'];

export function formatText(results: readonly FileResult[]): string {
	const lines: string[] = [];
	for (const r of results) {
		for (const d of r.diagnostics) {
			const sev = SEVERITY_NAMES[d.severity ?? 1];
			lines.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${sev} ${String(d.code)} ${messageText(d).replace(/\r?\n/g, ' ')}`);
		}
	}
	return lines.length ? lines.join('\n') + '\n' : '';
}

export function formatJson(results: readonly FileResult[]): string {
	return JSON.stringify(results.map(r => ({ file: r.file, diagnostics: r.diagnostics })), null, 2) + '\n';
}

const SARIF_LEVEL: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'note', 4: 'note' };

export function formatSarif(results: readonly FileResult[], toolVersion: string): string {
	const rules = allCodes().map(c => ({
		id: c.id,
		name: c.id.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase()),
		shortDescription: { text: c.title },
		helpUri: codeDocUrl(c.id),
		help: { text: `${c.title}. See ${codeDocUrl(c.id)}` },
		defaultConfiguration: { level: SARIF_LEVEL[{ error: 1, warning: 2, information: 3, hint: 4 }[c.severity]] },
		properties: { tags: [c.source] },
	}));
	const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
	const sarifResults = [];
	for (const r of results) {
		const uri = r.file.replace(/\\/g, '/').replace(/^\.\//, '');
		for (const d of r.diagnostics) {
			const id = String(d.code);
			sarifResults.push({
				ruleId: id,
				...(ruleIndex.has(id) ? { ruleIndex: ruleIndex.get(id) } : {}),
				level: SARIF_LEVEL[d.severity ?? 1],
				message: { text: messageText(d) },
				locations: [{
					physicalLocation: {
						artifactLocation: { uri },
						region: {
							startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1,
							endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
						},
					},
				}],
			});
		}
	}
	const log = {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [{
			tool: { driver: { name: 'uwsgi-nginx-check', version: toolVersion, informationUri: 'https://github.com/uwsgi-nginx/uwsgi-nginx', rules } },
			results: sarifResults,
		}],
	};
	return JSON.stringify(log, null, 2) + '\n';
}
