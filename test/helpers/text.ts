/**
 * Inline-text test helpers. `|` marks a cursor; `«…»` marks the range a diagnostic must cover.
 */
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { getLanguageService, type LanguageService } from '../../server/src/service';
import type { Settings } from '../../server/src/service';
import { commandHostOf } from '../../server/src/service/languageDetection';

export type Lang = 'nginx' | 'uwsgi';

export function doc(lang: Lang, text: string, uri?: string): TextDocument {
	const name = uri ?? (lang === 'nginx' ? 'file:///test/nginx/site.conf' : 'file:///test/uwsgi.ini');
	return TextDocument.create(name, lang === 'nginx' ? 'nginx' : 'uwsgi-ini', 1, text);
}

/** Splits `a|b` into the text without the bar and the cursor offset. */
export function cursor(text: string): { text: string; offset: number } {
	const offset = text.indexOf('|');
	assert.ok(offset >= 0, 'test text needs a | cursor');
	return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}

/** Removes `«` `»` markers; returns the clean text and the marked spans. */
export function marked(text: string): { text: string; spans: { offset: number; length: number }[] } {
	const spans: { offset: number; length: number }[] = [];
	let out = '';
	let open = -1;
	for (const ch of text) {
		if (ch === '«') { open = out.length; continue; }
		if (ch === '»') { spans.push({ offset: open, length: out.length - open }); continue; }
		out += ch;
	}
	return { text: out, spans };
}

export function service(): LanguageService {
	return getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
}

export function validate(lang: Lang, text: string, settings?: Settings, svc = service()): { document: TextDocument; diagnostics: Diagnostic[] } {
	const document = doc(lang, text);
	return { document, diagnostics: svc.doValidation(document, settings) };
}

/**
 * Asserts that `code` fires exactly on the «marked» spans (and nowhere else), for a text with
 * markers; a text without markers asserts that the code does not fire at all.
 */
export function assertCode(lang: Lang, markedText: string, code: string, settings?: Settings): Diagnostic[] {
	const { text, spans } = marked(markedText);
	const { document, diagnostics } = validate(lang, text, settings);
	const hits = diagnostics.filter(d => d.code === code);
	const got = hits.map(d => `${document.offsetAt(d.range.start)}+${document.offsetAt(d.range.end) - document.offsetAt(d.range.start)}`);
	const want = spans.map(s => `${s.offset}+${s.length}`);
	assert.deepEqual(got, want, `${code} ranges in:\n${text}\nall diagnostics: ${JSON.stringify(diagnostics.map(d => [d.code, d.message]))}`);
	return hits;
}

export function applyEdits(text: string, document: TextDocument, edits: readonly TextEdit[]): string {
	const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
	let out = text;
	for (const e of sorted) {
		out = out.slice(0, document.offsetAt(e.range.start)) + e.newText + out.slice(document.offsetAt(e.range.end));
	}
	return out;
}

/**
 * A service whose workspace holds the given files (path → text; `.ini` files are uWSGI, host files
 * that run uWSGI — Dockerfile, compose, units, scripts, ... — are command lines, others nginx).
 */
export function workspaceOf(files: Readonly<Record<string, string>>): { svc: LanguageService; docs: Map<string, TextDocument> } {
	const svc = service();
	const docs = new Map<string, TextDocument>();
	for (const [p, text] of Object.entries(files)) {
		const kind = p.endsWith('.ini') ? 'uwsgi' : commandHostOf(p, text) ? 'command' : 'nginx';
		const d = TextDocument.create(`file://${p}`, kind === 'nginx' ? 'nginx' : kind === 'uwsgi' ? 'uwsgi-ini' : 'plaintext', 1, text);
		svc.workspace.set(d, kind);
		docs.set(p, d);
	}
	return { svc, docs };
}

/** Validates `main` in a workspace of nginx files (path → text): `code` fires exactly on the «marked» ranges of `main`. */
export function workspaceCodes(files: Readonly<Record<string, string>>, main: string, code: string): void {
	const svc = service();
	let target: TextDocument | undefined;
	let spans: { offset: number; length: number }[] = [];
	for (const [p, raw] of Object.entries(files)) {
		const { text, spans: s } = marked(raw);
		const d = TextDocument.create(`file://${p}`, 'nginx', 1, text);
		svc.workspace.set(d, 'nginx');
		if (p === main) { target = d; spans = s; }
	}
	assert.ok(target, `${main} is not one of the files`);
	const at = (o: { line: number; character: number }) => target!.offsetAt(o);
	const got = svc.doValidation(target).filter(x => x.code === code).map(x => `${at(x.range.start)}+${at(x.range.end) - at(x.range.start)}`);
	assert.deepEqual(got, spans.map(s => `${s.offset}+${s.length}`));
}
