/**
 * "Nothing lost" (issue 8): applies every code action the product offers in a document — each
 * quick fix (asked with its diagnostic, at the diagnostic's range) and each seam refactoring
 * (asked on every line that holds a socket option or a `*_pass`/`server` directive) — and checks
 * that the edit changes only its target lines:
 *
 * - every edit lies inside its document and no two edits of one file overlap;
 * - every edit lies on its target lines: a quick fix's on the lines of the diagnostic it fixes
 *   (in nginx also the like-named directives beside it, such as a list of `allow` rules, and the
 *   head of the enclosing block, such as the `location` of an `alias`, or the whole block the
 *   diagnostic is on, such as a `map` without `default`; besides, a fix may add
 *   whole new lines to its file, which change no existing line),
 *   a refactoring's on socket lines of a uWSGI file and `*_pass`/`server` directives of nginx;
 * - outside the edited ranges the result is the original byte for byte (compared piece by
 *   piece, independently of the edit applier);
 * - the result still parses, prints back byte for byte, has no more syntax problems than before,
 *   and keeps the file's line endings (a CRLF file gets no lone LF);
 * - a quick fix removes a diagnostic of its code from the file.
 *
 * Used by test/fuzz/nothingLost.test.ts (synthetic inputs, in npm test) and
 * test/corpus/actionsCorpus.ts (every file of a corpus).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { parseIni, printIni } from '../../server/src/parser/ini/parser';
import { parseNginx, printNginx } from '../../server/src/parser/nginx/parser';
import type { LanguageKind, LanguageService } from '../../server/src/service';
import { NGINX_PARSE_OPTIONS } from '../../server/src/service/workspace';

export interface ActionResult {
	readonly uri: string;
	readonly title: string;
	/** The diagnostic code a quick fix is for; `refactor` for seam refactorings. */
	readonly code: string;
	/** Files the edit changes. */
	readonly files: number;
	readonly failures: readonly string[];
}

const SOCKET_KEY = /^(socket|uwsgi-socket|http-socket|https-socket|http|https|fastcgi-socket|scgi-socket|suwsgi-socket|ssl-socket|zerg|shared-socket|stats|chmod-socket|vacuum|chown-socket|protocol)$/;

function cmp(a: Position, b: Position): number {
	return a.line - b.line || a.character - b.character;
}

function isCrlfOnly(text: string): boolean {
	return text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
}

/** Lines (0-based) a seam refactoring may edit in a document: socket options, `*_pass` and `server` directives. */
function seamLines(kind: LanguageKind, doc: TextDocument): Set<number> {
	const lines = new Set<number>();
	const span = (offset: number, length: number) => {
		const a = doc.positionAt(offset).line;
		const b = doc.positionAt(offset + length).line;
		for (let l = a; l <= b; l++) { lines.add(l); }
	};
	if (kind === 'command') {
		// a uWSGI command line (Dockerfile, systemd unit): the lines naming a socket or the HTTP router
		doc.getText().split(/\r\n|\r|\n/).forEach((l, i) => { if (/socket|--https?\b/.test(l)) { lines.add(i); } });
	} else if (kind === 'nginx') {
		for (const d of parseNginx(doc.getText(), NGINX_PARSE_OPTIONS).directives) {
			if (/_pass$/.test(d.name.value) || d.name.value === 'server' && !d.block) { span(d.offset, d.length); }
		}
	} else {
		for (const e of parseIni(doc.getText()).entries) {
			if (SOCKET_KEY.test(e.key.text)) { span(e.offset, e.length); }
		}
	}
	return lines;
}

/**
 * Lines a quick fix may edit: the lines of its diagnostic; in nginx, also the lines of the
 * directives of the same name beside the one it is on (a list such as the `allow` rules, which
 * a fix may end with a new line after its last member) and the head of the enclosing block.
 */
function fixLines(kind: LanguageKind, doc: TextDocument, diagnostic: Diagnostic): Set<number> {
	const lines = new Set<number>();
	for (let l = diagnostic.range.start.line; l <= diagnostic.range.end.line; l++) { lines.add(l); }
	if (kind === 'nginx') {
		const at = doc.offsetAt(diagnostic.range.start);
		const file = parseNginx(doc.getText(), NGINX_PARSE_OPTIONS);
		const directives = file.directives;
		const on = directives.find(d => !d.block && d.offset <= at && at < d.offset + Math.max(1, d.length));
		for (const d of on ? directives : []) {
			if (d.parent !== on!.parent || d.name.value !== on!.name.value || d.block) { continue; }
			const a = doc.positionAt(d.offset).line;
			const b = doc.positionAt(d.offset + d.length).line;
			for (let l = a; l <= b; l++) { lines.add(l); }
		}
		// a block the diagnostic is on, whole (a `map` that needs a `default` line)
		const head = directives.filter(d => d.block && d.offset <= at && at <= d.block.open).pop();
		if (head?.block) {
			const a = doc.positionAt(head.offset).line;
			const b = doc.positionAt(head.block.close).line;
			for (let l = a; l <= b; l++) { lines.add(l); }
		}
		// the head of the enclosing block (`location /static {` for its `alias`)
		const owner = on ? file.blocks[on.parent]?.owner : undefined;
		if (owner?.block) {
			const a = doc.positionAt(owner.offset).line;
			const b = doc.positionAt(owner.block.open).line;
			for (let l = a; l <= b; l++) { lines.add(l); }
		}
	}
	return lines;
}

/** A zero-length edit that adds whole lines and changes none: at a line's start ending with a break, or at its end starting with one. */
function isLineInsertion(doc: TextDocument, r: Range, newText: string | undefined): boolean {
	if (newText === undefined || cmp(r.start, r.end) !== 0) { return false; }
	const lineEnd = doc.offsetAt({ line: r.start.line + 1, character: 0 });
	const text = doc.getText();
	const atEnd = doc.offsetAt(r.start) === lineEnd - (text.slice(lineEnd - 2, lineEnd) === '\r\n' ? 2 : /[\r\n]/.test(text[lineEnd - 1] ?? '') ? 1 : 0);
	return (r.start.character === 0 && /(\r\n|\n|\r)$/.test(newText)) || (atEnd && /^(\r\n|\n|\r)/.test(newText));
}

function syntaxProblems(kind: LanguageKind, text: string): number {
	if (kind === 'command') { return 0; }
	return kind === 'nginx' ? parseNginx(text, NGINX_PARSE_OPTIONS).problems.length : parseIni(text).problems.length;
}

function reparse(kind: LanguageKind, text: string): string | undefined {
	if (kind === 'command') { return undefined; }
	try {
		const printed = kind === 'nginx' ? printNginx(parseNginx(text, NGINX_PARSE_OPTIONS)) : printIni(parseIni(text));
		return printed === text ? undefined : 'the result does not print back byte for byte';
	} catch (error) {
		return `the result does not parse: ${String(error)}`;
	}
}

/** Edits per URI of a workspace edit; resource operations (create, rename, delete files) are reported. */
function editsOf(edit: WorkspaceEdit, failures: string[]): Map<string, TextEdit[]> {
	const out = new Map<string, TextEdit[]>();
	for (const [uri, edits] of Object.entries(edit.changes ?? {})) { out.set(uri, [...(out.get(uri) ?? []), ...edits]); }
	for (const dc of edit.documentChanges ?? []) {
		if (!('edits' in dc)) { failures.push(`a file operation (${dc.kind}) in an edit`); continue; }
		out.set(dc.textDocument.uri, [...(out.get(dc.textDocument.uri) ?? []), ...dc.edits.filter((e): e is TextEdit => 'range' in e)]);
	}
	return out;
}

/**
 * Applies `edits` to `doc` after checking them; returns the new text (or undefined when the
 * edits are not applicable) and records what broke in `failures`.
 */
function applyChecked(doc: TextDocument, edits: readonly TextEdit[], allowed: (r: Range) => boolean, failures: string[], where: string): string | undefined {
	const text = doc.getText();
	const sorted = [...edits].sort((a, b) => cmp(a.range.start, b.range.start) || cmp(a.range.end, b.range.end));
	for (const e of sorted) {
		const { start, end } = e.range;
		const inside = (p: Position) => p.line >= 0 && p.line < doc.lineCount && p.character >= 0 && doc.offsetAt(p) === doc.offsetAt(doc.positionAt(doc.offsetAt(p))) && doc.positionAt(doc.offsetAt(p)).character === p.character;
		if (!inside(start) || !inside(end) || cmp(start, end) > 0) { failures.push(`${where}: edit ${JSON.stringify(e.range)} is not a range of the document`); return undefined; }
		if (!allowed(e.range)) { failures.push(`${where}: edit ${JSON.stringify(e.range)} → ${JSON.stringify(e.newText)} is outside its target lines`); }
	}
	for (let i = 1; i < sorted.length; i++) {
		if (cmp(sorted[i].range.start, sorted[i - 1].range.end) < 0) { failures.push(`${where}: overlapping edits ${JSON.stringify(sorted[i - 1].range)} and ${JSON.stringify(sorted[i].range)}`); return undefined; }
	}
	const result = TextDocument.applyEdits(doc, sorted);
	// outside the edited ranges, every byte is the original's, in order
	let from = 0;
	let at = 0;
	for (const e of sorted) {
		const s = doc.offsetAt(e.range.start);
		const piece = text.slice(from, s);
		if (result.slice(at, at + piece.length) !== piece) { failures.push(`${where}: bytes ${from}..${s} outside the edits changed`); return result; }
		at += piece.length;
		if (result.slice(at, at + e.newText.length) !== e.newText) { failures.push(`${where}: the new text of ${JSON.stringify(e.range)} is not in the result`); return result; }
		at += e.newText.length;
		from = doc.offsetAt(e.range.end);
	}
	if (result.slice(at) !== text.slice(from) || result.length !== at + text.length - from) { failures.push(`${where}: the bytes after the last edit changed`); }
	return result;
}

export interface ActionStats {
	offered: number;
	applied: number;
	filesWithActions: Set<string>;
	byCode: Map<string, number>;
	failures: string[];
}

export function newStats(): ActionStats {
	return { offered: 0, applied: 0, filesWithActions: new Set(), byCode: new Map(), failures: [] };
}

/**
 * Every code action offered in `document` (already in the service's workspace), applied and
 * checked one by one. The workspace is left as it was.
 */
export function checkActions(service: LanguageService, document: TextDocument, stats: ActionStats = newStats()): ActionResult[] {
	const kind = service.languageOf(document);
	if (kind !== 'nginx' && kind !== 'uwsgi') { return []; }
	const results: ActionResult[] = [];
	const diagnostics = service.doValidation(document);
	const asked: { range: Range; diagnostics: Diagnostic[] }[] = diagnostics.map(d => ({ range: d.range, diagnostics: [d] }));
	for (const line of seamLines(kind, document)) {
		const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
		const character = /^[ \t]*/.exec(text)![0].length;
		asked.push({ range: { start: { line, character }, end: { line, character } }, diagnostics: [] });
	}
	const seen = new Set<string>();
	for (const q of asked) {
		for (const action of service.doCodeActions(document, q.range, q.diagnostics)) {
			const id = JSON.stringify([action.title, action.edit]);
			if (seen.has(id)) { continue; }
			seen.add(id);
			stats.offered++;
			results.push(applyOne(service, document, kind, action));
		}
	}
	for (const r of results) {
		if (r.failures.length) { stats.failures.push(...r.failures.map(f => `${document.uri}: "${r.title}" (${r.code}): ${f}`)); continue; }
		stats.applied++;
		stats.filesWithActions.add(document.uri);
		stats.byCode.set(r.code, (stats.byCode.get(r.code) ?? 0) + 1);
	}
	return results;
}

function applyOne(service: LanguageService, document: TextDocument, kind: 'nginx' | 'uwsgi', action: CodeAction): ActionResult {
	const failures: string[] = [];
	// a quick fix names its diagnostic; a refactoring (asked with a diagnostic or not) names none
	const fixed = action.diagnostics?.[0];
	// refactorings by the first words of their title (`Convert to unix socket /run/…` → `refactor: Convert to unix socket`)
	const code = fixed ? String(fixed.code) : `refactor: ${action.title.replace(/ [/(].*$/, '')}`;
	if (!action.edit) { return { uri: document.uri, title: action.title, code, files: 0, failures: ['no edit'] }; }
	const perUri = editsOf(action.edit, failures);
	const originals = new Map<string, TextDocument>();
	for (const [uri, edits] of perUri) {
		const doc = uri === document.uri ? document : service.workspace.get(uri)?.document;
		if (!doc) { failures.push(`edits ${uri}, which the workspace does not hold`); continue; }
		const docKind = uri === document.uri ? kind : service.workspace.get(uri)!.kind;
		// a quick fix edits the lines of its diagnostic (in its own file only); a refactoring the socket and pass lines
		const lines = fixed ? (uri === document.uri ? fixLines(docKind, doc, fixed) : new Set<number>()) : seamLines(docKind, doc);
		const allowed = (r: Range) => {
			// a quick fix may add whole lines to its file (`master = true` below `[uwsgi]`): an insertion at
			// the start of a line that ends with a line break, or at the end of a line that starts with one
			if (fixed && uri === document.uri && isLineInsertion(doc, r, newTexts.get(r))) { return true; }
			// an edit ending at character 0 of the next line (a removed or inserted whole line) stays on its line
			const last = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
			for (let l = r.start.line; l <= last; l++) { if (!lines.has(l)) { return false; } }
			return true;
		};
		const where = uri === document.uri ? 'this file' : uri;
		const newTexts = new Map(edits.map(e => [e.range, e.newText]));
		const result = applyChecked(doc, edits, allowed, failures, where);
		if (result === undefined) { continue; }
		originals.set(uri, doc);
		const bad = reparse(docKind, result);
		if (bad) { failures.push(`${where}: ${bad}`); }
		if (syntaxProblems(docKind, result) > syntaxProblems(docKind, doc.getText())) { failures.push(`${where}: the result has more syntax problems than the original`); }
		if (isCrlfOnly(doc.getText()) && !isCrlfOnly(result)) { failures.push(`${where}: a CRLF file got a lone LF`); }
		if (fixed && uri === document.uri) {
			// the fix works: one diagnostic of its code fewer (checked on a copy; the workspace is restored below)
			const copy = TextDocument.create(uri, document.languageId, document.version + 1_000_000, result);
			const before = service.doValidation(document).filter(d => d.code === fixed.code).length;
			const after = service.doValidation(copy).filter(d => d.code === fixed.code).length;
			service.doValidation(document);
			if (after >= before) { failures.push(`the fix leaves ${after} ${code} diagnostic(s) (before: ${before})`); }
		}
	}
	// leave the workspace as it was (a validation of a copy replaced the entry)
	service.workspace.set(document, kind);
	return { uri: document.uri, title: action.title, code, files: originals.size, failures };
}
