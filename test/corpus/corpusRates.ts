/**
 * Finding rates per code over a corpus folder (manifest.jsonl as in runCorpus.ts): for every code,
 * how many files of its language it fires on, out of how many, and how many findings in all. Used to
 * review rules for false alarms: `--code CODE` lists every finding of that code with its line.
 *
 *   npm run corpus:rates -- ../shared/corpus [--code nginx-alias-traversal] [--prefix nginx-] [--json]
 *
 * Files of one repository form one workspace (documentation snippets and test configs stand alone),
 * as in runCorpus.ts. Findings are counted after suppression comments, with default severities.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { allCodes } from '../../server/src/analysis/codes';
import { getLanguageService, type LanguageKind } from '../../server/src/service';
import { openGroup, readManifest, workspacesOf } from './manifest';

interface Row {
	file: string;
	repo: string;
	kind: LanguageKind;
	notes?: string;
	nginx_t_relaxed?: string;
	uwsgi_strict?: string;
}

interface Rate {
	files: number;
	findings: number;
	/** Files the oracle (nginx -t / uwsgi --strict) accepts, that the code fires on. */
	validFiles: number;
}

function option(argv: string[], name: string): string | undefined {
	const i = argv.indexOf(name);
	return i >= 0 ? argv[i + 1] : undefined;
}

function main(argv: string[]): number {
	const valued = new Set(['--code', '--prefix']);
	const dir = argv.find((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1] ?? ''));
	if (!dir) {
		process.stderr.write('usage: corpusRates CORPUS_DIR [--code CODE] [--prefix PREFIX] [--json]\n');
		return 2;
	}
	const rows = readManifest<Row>('corpusRates', dir);
	if (!rows) { return 2; }
	const listCode = option(argv, '--code');
	const prefix = option(argv, '--prefix') ?? '';
	const byRepo = workspacesOf(rows);
	const totals = { nginx: rows.filter(r => r.kind === 'nginx').length, uwsgi: rows.filter(r => r.kind !== 'nginx').length };
	const rates = new Map<string, Rate>();
	const listing: string[] = [];
	let internalErrors = 0;
	const started = Date.now();
	for (const [, group] of byRepo) {
		const service = getLanguageService({ onInternalError: (where, e) => { internalErrors++; process.stderr.write(`internal error in ${where}: ${String(e)}\n`); } });
		const docs = openGroup(service, dir, group);
		for (const { r, doc } of docs) {
			const diagnostics: Diagnostic[] = service.doValidation(doc);
			const valid = r.kind === 'nginx' ? r.nginx_t_relaxed === 'ok' : r.uwsgi_strict === 'ok';
			const seen = new Set<string>();
			for (const d of diagnostics) {
				const id = String(d.code);
				let rate = rates.get(id);
				if (!rate) { rate = { files: 0, findings: 0, validFiles: 0 }; rates.set(id, rate); }
				rate.findings++;
				if (!seen.has(id)) {
					seen.add(id);
					rate.files++;
					if (valid) { rate.validFiles++; }
				}
				if (id === listCode) {
					const line = doc.getText().split('\n')[d.range.start.line]?.trim() ?? '';
					listing.push(`${r.file}:${d.range.start.line + 1}  ${line}\n    ${typeof d.message === 'string' ? d.message : d.message.value}`);
				}
			}
		}
	}
	const codes = allCodes().filter(c => c.id.startsWith(prefix));
	if (argv.includes('--json')) {
		const out = codes.map(c => ({ code: c.id, severity: c.severity, ...(rates.get(c.id) ?? { files: 0, findings: 0, validFiles: 0 }) }));
		process.stdout.write(`${JSON.stringify({ totals, codes: out }, null, 1)}\n`);
	} else {
		const lines = [`corpus: ${rows.length} files (${totals.nginx} nginx, ${totals.uwsgi} uWSGI) in ${byRepo.size} workspaces, ${Date.now() - started} ms`,
			`${'code'.padEnd(38)}${'severity'.padEnd(13)}${'files/total'.padEnd(12)}${'rate'.padEnd(10)}${'oracle-valid files'.padEnd(23)}findings`];
		for (const c of codes) {
			const rate = rates.get(c.id) ?? { files: 0, findings: 0, validFiles: 0 };
			const total = c.source === 'uwsgi' ? totals.uwsgi : c.source === 'nginx' ? totals.nginx : rows.length;
			const pct = total ? ((100 * rate.files) / total).toFixed(1) : '0.0';
			lines.push(`${c.id.padEnd(38)}${c.severity.padEnd(13)}${`${rate.files} / ${total}`.padEnd(12)}${`${pct}%`.padEnd(10)}${String(rate.validFiles).padEnd(23)}${rate.findings}`);
		}
		process.stdout.write(`${lines.join('\n')}\n`);
	}
	if (listCode) {
		process.stdout.write(`\n${listing.length} findings of ${listCode}:\n${listing.join('\n')}\n`);
	}
	if (internalErrors) {
		process.stderr.write(`${internalErrors} internal errors\n`);
		return 1;
	}
	return 0;
}

process.stdout.on('error', () => undefined);
process.exitCode = main(process.argv.slice(2));
