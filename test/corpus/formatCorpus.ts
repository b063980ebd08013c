/**
 * Formatter corpus check (issue 10): formats every nginx and uWSGI file of a corpus folder and
 * holds, for each, what a formatter must never break:
 *
 * - the tokens (with comments and Lua bodies) and the syntax problems are the same before and after;
 * - formatting the result again changes nothing (idempotent);
 * - the language service reports the same diagnostic codes before and after;
 * - formatting a selection (the middle third of the file) changes nothing outside it.
 *
 * Two sets of options are tried: 4 spaces, and tabs with map values aligned and two blank lines.
 *
 *   node out/test/corpus/formatCorpus.js ../shared/corpus [--verbose]
 *
 * Prints `format corpus: N passed, M failed`; exit status 1 on any failure, 2 without a corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import {
	formatNginx, formatNginxRange, formatUwsgi, formatUwsgiRange, verifyNginxFormat, verifyUwsgiFormat,
	type NginxFormatOptions,
} from '../../server/src/features/format';
import { parseIni } from '../../server/src/parser/ini/parser';
import { parseNginx } from '../../server/src/parser/nginx/parser';
import { getLanguageService, pathToUri, type LanguageKind } from '../../server/src/service';
import { NGINX_PARSE_OPTIONS } from '../../server/src/service/workspace';
import { readManifest } from './manifest';

interface Row {
	file: string;
	kind: LanguageKind;
}

const OPTION_SETS: readonly NginxFormatOptions[] = [
	{ tabSize: 4, insertSpaces: true },
	{ tabSize: 8, insertSpaces: false, alignMapValues: true, maxBlankLines: 2 },
];

interface Stats {
	changed: number;
	withProblems: number;
	edits: number;
	formatMs: number;
}

function format(kind: LanguageKind, d: TextDocument, options: NginxFormatOptions, stats?: Stats): { edits: TextEdit[]; verify: (after: string) => string | undefined; rangeEdits: (start: number, end: number) => TextEdit[] } {
	const text = d.getText();
	if (kind === 'nginx') {
		const file = parseNginx(text, NGINX_PARSE_OPTIONS);
		const t0 = performance.now();
		const edits = formatNginx(d, file, options);
		if (stats) { stats.formatMs += performance.now() - t0; if (file.problems.length) { stats.withProblems++; } }
		return {
			edits,
			verify: after => verifyNginxFormat(file, parseNginx(after, NGINX_PARSE_OPTIONS)),
			rangeEdits: (start, end) => formatNginxRange(d, file, { start: d.positionAt(start), end: d.positionAt(end) }, options),
		};
	}
	const doc = parseIni(text);
	const t0 = performance.now();
	const edits = formatUwsgi(d, doc, options);
	if (stats) { stats.formatMs += performance.now() - t0; if (doc.problems.length) { stats.withProblems++; } }
	return {
		edits,
		verify: after => verifyUwsgiFormat(doc, parseIni(after)),
		rangeEdits: (start, end) => formatUwsgiRange(d, doc, { start: d.positionAt(start), end: d.positionAt(end) }, options),
	};
}

function codes(kind: LanguageKind, uri: string, text: string, version: number): string[] {
	const service = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
	const d = TextDocument.create(uri, kind === 'nginx' ? 'nginx' : 'uwsgi-ini', version, text);
	service.workspace.set(d, kind);
	return service.doValidation(d).map(x => String(x.code)).sort();
}

/** Every way the formatted file falls short, for one file and one set of options. */
function checkFile(kind: LanguageKind, uri: string, text: string, options: NginxFormatOptions, stats: Stats): string[] {
	const failures: string[] = [];
	const d = TextDocument.create(uri, kind === 'nginx' ? 'nginx' : 'uwsgi-ini', 1, text);
	const first = format(kind, d, options, stats);
	const out = TextDocument.applyEdits(d, first.edits);
	if (out !== text) { stats.changed++; stats.edits += first.edits.length; }
	const broken = first.verify(out);
	if (broken) { failures.push(`not faithful: ${broken}`); }
	const d2 = TextDocument.create(uri, d.languageId, 2, out);
	const again = format(kind, d2, options).edits;
	if (again.length) {
		const e = again[0];
		failures.push(`not idempotent: ${again.length} more edits, the first at ${e.range.start.line + 1}:${e.range.start.character + 1} ${JSON.stringify(d2.getText(e.range))} → ${JSON.stringify(e.newText)}`);
	}
	if (out !== text) {
		const before = codes(kind, uri, text, 1);
		const after = codes(kind, uri, out, 2);
		if (before.join(' ') !== after.join(' ')) { failures.push(`diagnostics changed: [${before.join(', ')}] became [${after.join(', ')}]`); }
	}
	// the middle third as a selection: nothing outside it changes, and the tokens are kept
	const start = Math.floor(text.length / 3);
	const end = Math.floor((2 * text.length) / 3);
	const ranged = TextDocument.applyEdits(d, first.rangeEdits(start, end));
	const tail = text.length - end;
	if (ranged.slice(0, start) !== text.slice(0, start) || ranged.slice(ranged.length - tail) !== text.slice(end)) {
		failures.push('range format changed text outside its range');
	}
	const rangedBroken = first.verify(ranged);
	if (rangedBroken) { failures.push(`range format not faithful: ${rangedBroken}`); }
	return failures;
}

function main(argv: string[]): number {
	const dir = argv.find(a => !a.startsWith('--'));
	const verbose = argv.includes('--verbose');
	if (!dir) {
		process.stderr.write('usage: formatCorpus CORPUS_DIR [--verbose]\n');
		return 2;
	}
	const rows = readManifest<Row>('formatCorpus', dir);
	if (!rows) { return 2; }
	const started = performance.now();
	const stats: Stats = { changed: 0, withProblems: 0, edits: 0, formatMs: 0 };
	let passed = 0;
	const failed: string[] = [];
	for (const r of rows) {
		const file = path.join(dir, r.file);
		const text = fs.readFileSync(file, 'utf8');
		const uri = pathToUri(path.resolve(file));
		const failures: string[] = [];
		for (const options of OPTION_SETS) {
			try {
				for (const f of checkFile(r.kind, uri, text, options, stats)) { failures.push(`[${options.insertSpaces ? 'spaces' : 'tabs'}] ${f}`); }
			} catch (e) {
				failures.push(`threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
			}
		}
		if (failures.length) {
			failed.push(`${r.file}:\n    ${failures.join('\n    ')}`);
		} else {
			passed++;
		}
		if (verbose) { process.stdout.write(`${failures.length ? 'FAIL' : 'ok  '} ${r.file}\n`); }
	}
	const runs = rows.length * OPTION_SETS.length;
	process.stdout.write([
		`format corpus: ${rows.length} files (${rows.filter(r => r.kind === 'nginx').length} nginx, ${rows.filter(r => r.kind !== 'nginx').length} uWSGI), ${OPTION_SETS.length} option sets, ${Math.round(performance.now() - started)} ms in all`,
		`formatting alone: ${stats.formatMs.toFixed(0)} ms for ${runs} runs; runs that changed the file: ${stats.changed} (${stats.edits} edits); runs on files with syntax problems (formatted before the first problem only): ${stats.withProblems}`,
		'',
	].join('\n'));
	if (failed.length) { process.stdout.write(`\n${failed.join('\n')}\n\n`); }
	process.stdout.write(`format corpus: ${passed} passed, ${failed.length} failed\n`);
	return failed.length ? 1 : 0;
}

process.stdout.on('error', () => undefined);
process.exitCode = main(process.argv.slice(2));
