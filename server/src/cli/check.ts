/**
 * uwsgi-nginx-check: the language service's checks for CI. All inputs form one workspace,
 * so cross-file checks see every file given. Exit 0: no error-severity finding; 1: at least
 * one; 2: usage or I/O failure (one line on stderr, never a stack trace).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findConfigFiles, readTextFile } from '../host/files';
import { verifyWorkspace } from '../host/verify/verify';
import { renderVerifyText } from '../service';
import { detectLanguage, type LanguageKind } from '../service/languageDetection';
import { getLanguageService } from '../service/languageService';
import { DEFAULT_SETTINGS, normalizeSettings, type Settings, type SettingsProblem } from '../service/settings';
import { pathToUri } from '../utils/uri';
import { formatSarif, ResultWriter, type FileResult } from './output';
import { runStats } from './stats';

export const CLI_VERSION = '0.1.0';

const USAGE = `usage: uwsgi-nginx-check [--format text|json|sarif] [--config settings.json] PATH...
       uwsgi-nginx-check stats [--json] ADDRESS   (a uWSGI stats server's snapshot; stats --help)

Checks nginx configs, uWSGI ini files and uWSGI command lines (in Dockerfiles, compose files,
systemd units, supervisor programs, Procfiles and shell scripts), and the wiring between them.
PATHs are files or folders; folders are searched for all of these.
  --format F       text (default), json or sarif
  --config FILE    settings JSON: {"uwsgiNginx.diagnostics.severity": {"code": "off"}, ...}
  --language L     treat every given file as L (nginx or uwsgi) instead of detecting it
  --list-suppressions  list the uwsgi-nginx-ignore comments with their reasons instead of checking
  --format-check   list the files the formatter would change (exit 1 if any) instead of checking
  --fix            format the files in place instead of checking (for pre-commit)
  --tab-size N     indentation width for formatting (default 4); --use-tabs indents with tabs
  --verify         run the installed nginx -t and uWSGI's option parsing on the configs (in a
                   throw-away folder: deployment paths mapped onto the given files, missing
                   certificates and includes stubbed) and show their verdicts beside ours;
                   exit 1 when a binary refuses a config
Exit status: 0 no errors, 1 errors found, 2 usage or input failure.
`;

export class UsageError extends Error {}

interface Options {
	format: 'text' | 'json' | 'sarif';
	listSuppressions?: boolean;
	formatMode?: 'check' | 'fix';
	verify?: boolean;
	tabSize: number;
	useTabs: boolean;
	config?: string;
	language?: LanguageKind;
	paths: string[];
}

export function parseArgs(argv: readonly string[]): Options | 'help' | 'version' {
	const o: Options = { format: 'text', paths: [], tabSize: 4, useTabs: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = (name: string): string => {
			const eq = a.indexOf('=');
			if (eq > 0) { return a.slice(eq + 1); }
			const v = argv[++i];
			if (v === undefined) { throw new UsageError(`${name} needs a value`); }
			return v;
		};
		if (a === '--help' || a === '-h') { return 'help'; }
		if (a === '--version') { return 'version'; }
		if (a === '--format' || a.startsWith('--format=')) {
			const f = value('--format');
			if (f !== 'text' && f !== 'json' && f !== 'sarif') { throw new UsageError(`unknown format "${f}" (text, json or sarif)`); }
			o.format = f;
		} else if (a === '--config' || a.startsWith('--config=')) {
			o.config = value('--config');
		} else if (a === '--language' || a.startsWith('--language=')) {
			const l = value('--language');
			if (l !== 'nginx' && l !== 'uwsgi') { throw new UsageError(`unknown language "${l}" (nginx or uwsgi)`); }
			o.language = l;
		} else if (a === '--format-check') {
			o.formatMode = 'check';
		} else if (a === '--fix') {
			o.formatMode = 'fix';
		} else if (a === '--use-tabs') {
			o.useTabs = true;
		} else if (a === '--tab-size' || a.startsWith('--tab-size=')) {
			const n = Number(value('--tab-size'));
			if (!Number.isInteger(n) || n < 1 || n > 16) { throw new UsageError('--tab-size takes a whole number from 1 to 16'); }
			o.tabSize = n;
		} else if (a === '--verify') {
			o.verify = true;
		} else if (a === '--list-suppressions') {
			o.listSuppressions = true;
		} else if (a === '--') {
			o.paths.push(...argv.slice(i + 1));
			break;
		} else if (a.startsWith('-') && a !== '-') {
			throw new UsageError(`unknown option ${a}`);
		} else {
			o.paths.push(a);
		}
	}
	if (!o.paths.length) { throw new UsageError('no PATH given'); }
	return o;
}

function loadSettings(file: string | undefined): Settings {
	if (!file) { return DEFAULT_SETTINGS; }
	const r = readTextFile(file);
	if (!r.ok) { throw new UsageError(`cannot read config ${file}: ${r.reason}`); }
	let raw: unknown;
	try {
		raw = JSON.parse(r.text.charCodeAt(0) === 0xfeff ? r.text.slice(1) : r.text);
	} catch (e) {
		throw new UsageError(`config ${file} is not valid JSON: ${(e as Error).message}`);
	}
	const problems: SettingsProblem[] = [];
	const settings = normalizeSettings(raw, problems);
	if (problems.length) { throw new UsageError(`config ${file}: ${problems[0].message}`); }
	return settings;
}

interface Input {
	display: string;
	uri: string;
	kind: LanguageKind;
	text: string;
}

function collectInputs(o: Options): Input[] {
	const inputs: Input[] = [];
	const seen = new Set<string>();
	const add = (display: string, absolute: string, kind: LanguageKind, text: string) => {
		const uri = pathToUri(absolute);
		if (seen.has(uri)) { return; }
		seen.add(uri);
		inputs.push({ display, uri, kind, text });
	};
	for (const p of o.paths) {
		let st: fs.Stats;
		try {
			st = fs.statSync(p);
		} catch {
			throw new UsageError(`${p}: no such file or directory`);
		}
		const absolute = path.resolve(p);
		if (st.isDirectory()) {
			for (const f of findConfigFiles(absolute)) {
				add(path.join(p, path.relative(absolute, f.path)), f.path, o.language ?? f.kind, f.text);
			}
			continue;
		}
		const r = readTextFile(p);
		if (!r.ok) { throw new UsageError(`${p}: ${r.reason}`); }
		const kind = o.language ?? detectLanguage(absolute, r.text.charCodeAt(0) === 0xfeff ? r.text.slice(1) : r.text);
		if (!kind) { throw new UsageError(`${p}: neither an nginx config nor a uWSGI ini file, nor a host file that runs uWSGI (use --language)`); }
		add(p, absolute, kind, r.text);
	}
	return inputs;
}

/** Runs the CLI; returns the exit code. Output goes through the given writers. */
export async function runCheck(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
	if (argv[0] === 'stats') { return runStats(argv.slice(1), out, err); }
	let options: ReturnType<typeof parseArgs>;
	let settings: Settings;
	let inputs: Input[];
	try {
		options = parseArgs(argv);
		if (options === 'help') { out(USAGE); return 0; }
		if (options === 'version') { out(`uwsgi-nginx-check ${CLI_VERSION}\n`); return 0; }
		settings = loadSettings(options.config);
		inputs = collectInputs(options);
	} catch (e) {
		if (e instanceof UsageError) {
			err(`uwsgi-nginx-check: ${e.message}\n`);
			if (/no PATH|unknown option|needs a value|unknown format|unknown language/.test(e.message)) { err(`Try 'uwsgi-nginx-check --help'.\n`); }
			return 2;
		}
		throw e;
	}
	let internal = 0;
	const service = getLanguageService({ onInternalError: (where, e) => { internal++; err(`uwsgi-nginx-check: internal error in ${where}: ${e instanceof Error ? e.message : String(e)}\n`); } });
	const documents = inputs.map(i => {
		const doc = TextDocument.create(i.uri, i.kind === 'nginx' ? 'nginx' : i.kind === 'uwsgi' ? 'uwsgi-ini' : 'plaintext', 1, i.text);
		service.workspace.set(doc, i.kind, false);
		return { input: i, doc };
	});
	if (options.formatMode) {
		const changed: string[] = [];
		for (const { input, doc } of documents) {
			const edits = service.doFormat(doc, { tabSize: options.tabSize, insertSpaces: !options.useTabs }, settings);
			if (!edits.length) { continue; }
			changed.push(input.display);
			if (options.formatMode === 'fix') {
				try {
					fs.writeFileSync(input.display, TextDocument.applyEdits(doc, edits));
				} catch (e) {
					err(`uwsgi-nginx-check: cannot write ${input.display}: ${(e as Error).message}\n`);
					return 2;
				}
			}
		}
		if (options.formatMode === 'check') {
			out(changed.map(f => `${f}: would be reformatted\n`).join(''));
			err(`${changed.length} of ${documents.length} file${documents.length === 1 ? '' : 's'} would be reformatted\n`);
			return changed.length ? 1 : 0;
		}
		err(`${changed.length} of ${documents.length} file${documents.length === 1 ? '' : 's'} reformatted\n`);
		return 0;
	}
	if (options.verify) {
		const report = verifyWorkspace(service, settings, documents.map(d => d.input.uri));
		const display = new Map(documents.map(d => [d.input.uri, d.input.display]));
		if (options.format === 'json') {
			out(JSON.stringify({ ...report, entries: report.entries.map(e => ({ ...e, uri: display.get(e.uri) ?? e.uri, files: e.files.map(f => display.get(f) ?? f), said: e.said.map(l => ({ ...l, uri: display.get(l.uri) ?? l.uri })), ours: e.ours.map(l => ({ ...l, uri: display.get(l.uri) ?? l.uri })) })) }, null, 2) + '\n');
		} else {
			out(renderVerifyText(report, uri => display.get(uri) ?? uri));
		}
		for (const m of report.missing) { err(`uwsgi-nginx-check: ${m}\n`); }
		if (!report.entries.length && report.missing.length) { return 2; }
		return report.entries.some(e => e.verdict === 'refused') ? 1 : 0;
	}
	if (options.listSuppressions) {
		const rows: { file: string; line: number; scope: string; codes: readonly string[]; reason: string }[] = [];
		for (const { input, doc } of documents) {
			for (const s of service.listSuppressions(doc)) {
				rows.push({ file: input.display, line: s.line + 1, scope: s.fileWide ? 'file' : 'line', codes: s.codes, reason: s.reason });
			}
		}
		out(options.format === 'json' ? JSON.stringify(rows, null, 2) + '\n'
			: rows.map(r => `${r.file}:${r.line}: ${r.scope} ${r.codes.join(',')} -- ${r.reason || '(no reason given)'}\n`).join(''));
		return 0;
	}
	// text and JSON are written file by file as the files are checked; SARIF needs them all first
	const sarif: FileResult[] = [];
	const writer = options.format === 'sarif' ? undefined : new ResultWriter(options.format, out);
	const counts = { error: 0, warning: 0, other: 0 };
	for (const { input, doc } of documents) {
		const result: FileResult = { file: input.display, diagnostics: service.doValidation(doc, settings) };
		if (writer) { writer.add(result); } else { sarif.push(result); }
		for (const d of result.diagnostics) {
			if (d.severity === DiagnosticSeverity.Error) { counts.error++; } else if (d.severity === DiagnosticSeverity.Warning) { counts.warning++; } else { counts.other++; }
		}
	}
	if (writer) { writer.end(); } else { out(formatSarif(sarif, CLI_VERSION)); }
	if (options.format === 'text') {
		const files = documents.length;
		err(`${files} file${files === 1 ? '' : 's'} checked: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.other} other\n`);
	}
	if (internal) { return 2; }
	return counts.error ? 1 : 0;
}
