/**
 * One case through both judges: the real `nginx -t` in a folder of its own, and our engine on
 * the same files. Agreement: a config nginx accepts gets no error-severity finding from us; a
 * config nginx refuses for a reason in the config gets an error on the statement nginx names (or,
 * when nginx names no line, somewhere); a refusal for a reason of this machine (a missing file,
 * certificate, user, host name, module) is not judged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getLanguageService, pathToUri, uriToPath } from '../../../server/src/service';
import { runNginxTest } from '../../../server/src/host/verify/nginxRun';
import { errorsAnswer, type NginxVerdict, type OurError } from '../../../server/src/service';
import { printFile, MAIN, type Case, type Stmt } from './model';
import type { Knowledge } from './probe';
import { versionSkew } from './skew';

export type Outcome = 'agree' | 'false-error' | 'miss' | 'skew' | 'environment' | 'internal-error';

export interface Judgement {
	readonly outcome: Outcome;
	readonly verdict: NginxVerdict;
	readonly errors: readonly OurError[];
	/** One line: why it is a disagreement. */
	readonly detail: string;
	/** The texts of the case's files, by path. */
	readonly texts: ReadonlyMap<string, string>;
}

const STANDARD = ['mime.types', 'uwsgi_params', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'proxy_params'];
const standardTexts = new Map<string, string>();
function standard(name: string): string | undefined {
	if (!standardTexts.has(name)) {
		const p = path.join('/etc/nginx', name);
		standardTexts.set(name, fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
	}
	return standardTexts.get(name) || undefined;
}

/** Writes the case into `dir` (emptied first); returns the config texts by relative path. */
export function writeCase(c: Case, dir: string): Map<string, string> {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'temp'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'cache'), { recursive: true });
	const texts = new Map<string, string>();
	for (const name of STANDARD) {
		const t = standard(name);
		if (t !== undefined) { texts.set(name, t); }
	}
	for (const p of c.files.keys()) { texts.set(p, printFile(c, p)); }
	for (const [p, t] of texts) {
		fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
		fs.writeFileSync(path.join(dir, p), t);
	}
	for (const [p, t] of c.stubs) {
		fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
		fs.writeFileSync(path.join(dir, p), t);
	}
	return texts;
}

/** Our error-severity findings on every config file of the case. */
export function ourErrors(dir: string, texts: ReadonlyMap<string, string>): { errors: OurError[]; internal: string[] } {
	const internal: string[] = [];
	const service = getLanguageService({ onInternalError: (where, e) => { internal.push(`${where}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`); } });
	const docs: TextDocument[] = [];
	for (const [p, text] of texts) {
		const doc = TextDocument.create(pathToUri(path.join(dir, p)), 'nginx', 1, text);
		service.workspace.set(doc, 'nginx');
		docs.push(doc);
	}
	const errors: OurError[] = [];
	for (const doc of docs) {
		for (const d of service.doValidation(doc)) {
			if (d.severity !== DiagnosticSeverity.Error) { continue; }
			errors.push({ file: path.relative(dir, uriToPath(doc.uri) ?? ''), line: d.range.start.line, endLine: d.range.end.line, code: String(d.code), message: typeof d.message === 'string' ? d.message : d.message.value });
		}
	}
	return { errors, internal };
}

export function describeVerdict(v: NginxVerdict, dir: string): string {
	if (v.kind === 'ok') { return 'nginx -t: ok'; }
	const r = v.reason;
	const where = r?.file ? ` (${path.relative(dir, r.file)}:${r.line})` : '';
	return `nginx -t: ${v.kind === 'environment' ? `refused for this machine (${v.lack})` : v.kind === 'crash' ? 'crashed' : 'refused'}: [${r?.level}] ${r?.text}${where}`;
}

function globMatch(pattern: string, file: string): boolean {
	if (!/[*?[]/.test(pattern)) { return pattern === file; }
	const re = new RegExp('^' + pattern.split('*').map(x => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
	return re.test(file);
}

/** The files nginx reads: the main file and what its includes reach (a file no include reaches is never read). */
export function filesRead(c: Case, texts: ReadonlyMap<string, string>): Set<string> {
	const read = new Set<string>([MAIN]);
	const queue = [MAIN];
	const visit = (list: readonly Stmt[]) => {
		for (const s of list) {
			if (s.name === 'include' && s.args.length === 1) {
				const pattern = s.args[0].replace(/^["']|["']$/g, '');
				for (const f of texts.keys()) {
					if (!read.has(f) && globMatch(pattern, f)) { read.add(f); queue.push(f); }
				}
			}
			if (s.block && !s.data) { visit(s.block); }
		}
	};
	while (queue.length) {
		const f = queue.shift()!;
		const stmts = c.files.get(f);
		if (stmts) { visit(stmts); }
	}
	return read;
}

export async function judge(c: Case, dir: string, k?: Knowledge): Promise<Judgement> {
	const texts = writeCase(c, dir);
	const run = await runNginxTest(dir, MAIN);
	const v = run.verdict;
	const read = filesRead(c, texts);
	const all = ourErrors(dir, texts);
	const internal = all.internal;
	// findings on files nginx never reads say nothing about this config
	const errors = all.errors.filter(e => read.has(e.file));
	const configTexts = new Map([...texts].filter(([p]) => c.files.has(p)));
	if (internal.length) { return { outcome: 'internal-error', verdict: v, errors, detail: `our engine failed: ${internal[0]}`, texts: configTexts }; }
	if (v.kind === 'environment') { return { outcome: 'environment', verdict: v, errors, detail: describeVerdict(v, dir), texts: configTexts }; }
	if (v.kind === 'ok') {
		return errors.length
			? { outcome: 'false-error', verdict: v, errors, detail: `nginx accepts it; we report ${errors.map(e => `${e.code} at ${e.file}:${e.line + 1}`).join(', ')}`, texts: configTexts }
			: { outcome: 'agree', verdict: v, errors, detail: '', texts: configTexts };
	}
	if (errorsAnswer(v, errors, p => path.relative(dir, p), k => texts.get(k))) { return { outcome: 'agree', verdict: v, errors, detail: '', texts: configTexts }; }
	const skew = k && v.reason ? versionSkew(v.reason.text, k) : undefined;
	if (skew) { return { outcome: 'skew', verdict: v, errors, detail: `${describeVerdict(v, dir)} — version skew: ${skew}`, texts: configTexts }; }
	const elsewhere = errors.length ? `; we report only ${errors.map(e => `${e.code} at ${e.file}:${e.line + 1}`).join(', ')}` : '; we report no error';
	return { outcome: 'miss', verdict: v, errors, detail: `${describeVerdict(v, dir)}${elsewhere}`, texts: configTexts };
}

/** A key for "the same disagreement" while shrinking: the outcome, and nginx's message or our first code. */
export function signature(j: Judgement): string {
	if (j.outcome === 'false-error') { return `false-error:${[...new Set(j.errors.map(e => e.code))].sort().join(',')}`; }
	if (j.outcome === 'miss') { return `miss:${(j.verdict.reason?.text ?? '').replace(/"[^"]*"/g, '"…"')}`; }
	return j.outcome;
}
