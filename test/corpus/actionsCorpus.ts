/**
 * "Nothing lost" over a corpus (issue 8): every code action and quick fix the product offers in
 * every file of the corpus is applied and checked (test/helpers/nothingLost.ts): edits only on
 * their target lines, every byte outside the edited ranges unchanged, the result parses and
 * prints back, keeps its line endings, and a quick fix removes its diagnostic. Files of one
 * repository form one workspace (as in runCorpus.ts), so seam refactorings span both files.
 *
 *   npm run test:actions-corpus -- ../shared/corpus [--verbose]
 *
 * Exits 1 when any action breaks a property, 2 without a corpus (it never skips).
 */
import * as path from 'node:path';
import { codesWithFixes } from '../../server/src/features/codeActions';
import { getLanguageService, type LanguageKind } from '../../server/src/service';
import { checkActions, newStats } from '../helpers/nothingLost';
import { openGroup, readManifest, workspacesOf } from './manifest';

interface Row { file: string; repo: string; kind: LanguageKind; notes?: string }

function main(argv: string[]): number {
	const dir = argv.find(a => !a.startsWith('--'));
	const verbose = argv.includes('--verbose');
	if (!dir) {
		process.stderr.write('usage: actionsCorpus CORPUS_DIR [--verbose]\n');
		return 2;
	}
	const rows = readManifest<Row>('actionsCorpus', dir);
	if (!rows) { return 2; }
	const byRepo = workspacesOf(rows);
	const stats = newStats();
	const internalErrors: string[] = [];
	const started = Date.now();
	let files = 0;
	for (const [, group] of byRepo) {
		const service = getLanguageService({ onInternalError: (where, e) => internalErrors.push(`internal error in ${where}: ${String(e)}`) });
		const docs = openGroup(service, dir, group);
		for (const { doc } of docs) {
			files++;
			const results = checkActions(service, doc, stats);
			if (verbose) {
				for (const r of results) { process.stdout.write(`${path.relative(dir, doc.uri.replace(/^file:\/\//, ''))}: ${r.code} "${r.title}" (${r.files} file(s))${r.failures.length ? ' FAILED' : ''}\n`); }
			}
		}
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const codes = [...stats.byCode].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
	const never = codesWithFixes().filter(c => !stats.byCode.has(c));
	process.stdout.write([
		`actions corpus: ${files} files in ${seconds} s`,
		`actions offered: ${stats.offered}; applied and checked: ${stats.applied} on ${stats.filesWithActions.size} files; failed: ${stats.failures.length}`,
		`by code: ${codes}`,
		`codes with a quick fix never offered in this corpus: ${never.length ? never.join(', ') : 'none'}`,
		`internal errors: ${internalErrors.length}`,
		'',
	].join('\n'));
	for (const f of [...stats.failures, ...internalErrors].slice(0, 50)) { process.stdout.write(`  FAIL ${f}\n`); }
	return stats.failures.length || internalErrors.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
