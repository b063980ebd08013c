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

/** Writes chunks of about this size. */
const CHUNK = 64 * 1024;

/**
 * Writes the text or JSON output one file at a time, as the files are checked, so the results
 * of a large workspace are never held all at once: the same text as formatText / formatJson.
 */
export class ResultWriter {
	private parts: string[] = [];
	private size = 0;
	private files = 0;

	constructor(private readonly format: 'text' | 'json', private readonly out: (s: string) => void) {}

	add(r: FileResult): void {
		if (this.format === 'text') {
			for (const d of r.diagnostics) {
				const sev = SEVERITY_NAMES[d.severity ?? 1];
				this.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${sev} ${String(d.code)} ${messageText(d).replace(/\r?\n/g, ' ')}\n`);
			}
		} else {
			// one element of JSON.stringify(array, null, 2), indented one level (most files have no diagnostics: written directly)
			const item = r.diagnostics.length
				? JSON.stringify([{ file: r.file, diagnostics: r.diagnostics }], null, 2).slice(2, -2)
				: `  {\n    "file": ${JSON.stringify(r.file)},\n    "diagnostics": []\n  }`;
			this.push(this.files ? ',\n' : '[\n');
			this.push(item);
		}
		this.files++;
		if (this.size >= CHUNK) { this.flush(); }
	}

	end(): void {
		if (this.format === 'json') { this.push(this.files ? '\n]\n' : '[]\n'); }
		this.flush();
	}

	private push(s: string): void {
		this.parts.push(s);
		this.size += s.length;
	}

	private flush(): void {
		if (this.size) { this.out(this.parts.join('')); }
		this.parts = [];
		this.size = 0;
	}
}

function collect(format: 'text' | 'json', results: readonly FileResult[]): string {
	let text = '';
	const writer = new ResultWriter(format, s => { text += s; });
	for (const r of results) { writer.add(r); }
	writer.end();
	return text;
}

export function formatText(results: readonly FileResult[]): string {
	return collect('text', results);
}

export function formatJson(results: readonly FileResult[]): string {
	return collect('json', results);
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
