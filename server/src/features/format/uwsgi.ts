/**
 * The uWSGI ini formatter: a pure function over the lossless line tree.
 *
 * - `key = value`: exactly one space on each side of the first `=`; a line without `=` is its key;
 *   the key and the value are kept as written (uWSGI trims both, so only blanks around them
 *   change: an inline `#` is part of the value and stays; trailing blanks of a value go, as
 *   uWSGI drops them);
 * - key and section lines lose their leading indentation and trailing blanks; a section line is
 *   otherwise kept as written (`[ uwsgi ]` is not `[uwsgi]` for uWSGI);
 * - comment lines are kept byte for byte;
 * - the sections of other tools (`[app:main]` of PasteDeploy: Python's ConfigParser reads them, for
 *   which an indented line continues a value and blank lines may be part of one) are kept byte
 *   for byte, but for blank lines at their end, before the next header;
 * - blank lines: runs collapsed to `maxBlankLines` (default 1), none at the start or the end of
 *   the file; one blank line before each section header after the first — before the comments
 *   right above the header, which describe it;
 * - a line ending in a lone `%` (uWSGI joins it with the next line) and the line after it are kept
 *   byte for byte, with nothing inserted or removed between them;
 * - order is kept; a `\r` before a line break stays.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isUwsgiSection } from '../../analysis/uwsgi/sections';
import type { IniDocument, IniLine } from '../../parser/ini/nodes';
import { editsWithin, lineBreakOf, maxBlankLinesOf, pushMinimal, rangeOffsets, toTextEdits, type OffsetEdit } from './edits';

export interface UwsgiFormatOptions {
	tabSize?: number;
	insertSpaces?: boolean;
	/** Longest run of blank lines kept. Default 1. */
	maxBlankLines?: number;
}

function isBlank(c: number): boolean {
	return c === 32 || c === 9 || c === 13;
}

/** The line's text without its line break, and whether a `\r` ends it. */
function trimmedSpan(text: string, line: IniLine): { s: number; e: number; cr: boolean } {
	const lineEnd = line.offset + line.length;
	let s = line.offset;
	let e = lineEnd;
	while (s < e && isBlank(text.charCodeAt(s))) { s++; }
	while (e > s && isBlank(text.charCodeAt(e - 1))) { e--; }
	return { s, e, cr: lineEnd > line.offset && text.charCodeAt(lineEnd - 1) === 13 };
}

/** Computes the formatting edits of a whole uWSGI ini file as offset edits. */
export function uwsgiFormatEdits(doc: IniDocument, options: UwsgiFormatOptions = {}): OffsetEdit[] {
	const text = doc.text;
	const lines = doc.lines;
	const maxBlank = maxBlankLinesOf(options);
	const eol = lineBreakOf(text);
	const out: OffsetEdit[] = [];

	// lines kept byte for byte: a line ending in a lone `%`, and the line it is joined with
	const frozen = new Uint8Array(lines.length);
	// a line that ends with a lone `%` is joined with the next one; keep both as they are
	for (const p of doc.problems) {
		if (p.kind !== 'percent-at-eol') { continue; }
		const i = lineIndexAt(lines, p.offset);
		if (i >= 0) {
			frozen[i] = 1;
			if (i + 1 < lines.length) { frozen[i + 1] = 1; }
		}
	}
	// lines of other tools' sections (PasteDeploy's `[app:main]`, read by Python's ConfigParser, where
	// an indented line continues a value and blank lines may belong to it): kept as written
	const uwsgi = doc.sections.map(isUwsgiSection);
	const foreign = new Uint8Array(lines.length);
	let section = -1;
	for (let i = 0; i < lines.length; i++) {
		const l = lines[i];
		if (l.kind === 'section') { section = l.index; }
		if (section >= 0 && !uwsgi[section]) { foreign[i] = 1; }
	}
	// where a blank line is wanted: above each section header after the first, and above its comments
	const wantBlank = new Uint8Array(lines.length);
	let headers = 0;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i].kind !== 'section') { continue; }
		if (headers++ === 0) { continue; }
		let k = i;
		while (k > 0 && lines[k - 1].kind === 'comment' && !frozen[k - 1]) { k--; }
		if (k > 0 && !frozen[k]) { wantBlank[k] = 1; }
	}

	let seenContent = false;
	/** Whether the line before is the end of a run of blank lines (already given its blank line). */
	let afterRun = false;
	let i = 0;
	while (i < lines.length) {
		const line = lines[i];
		if (line.kind === 'blank' && !frozen[i]) {
			// a run of blank lines
			let j = i;
			while (j < lines.length && lines[j].kind === 'blank' && !frozen[j]) { j++; }
			const atEnd = j === lines.length;
			if (foreign[i] && !atEnd && lines[j].kind !== 'section' && !wantBlank[j]) {
				// inside another tool's section: may be part of a value
				i = j;
				afterRun = true;
				continue;
			}
			let keep = !seenContent || atEnd ? 0 : Math.min(j - i, maxBlank);
			if (!atEnd && wantBlank[j]) { keep = Math.max(keep, 1); }
			for (let k = i; k < j; k++) {
				const l = lines[k];
				if (k - i < keep) {
					// an empty line (its `\r` stays)
					const { cr } = trimmedSpan(text, l);
					pushMinimal(out, text, l.offset, l.offset + l.length, cr ? '\r' : '');
				} else {
					pushMinimal(out, text, l.offset, l.offset + l.length + l.eolLength, '');
				}
			}
			if (keep > j - i) { pushMinimal(out, text, lines[j].offset, lines[j].offset, eol.repeat(keep - (j - i))); }
			i = j;
			afterRun = true;
			continue;
		}
		if (!frozen[i] && wantBlank[i] && seenContent && !afterRun) {
			// no blank line before it at all: insert one
			pushMinimal(out, text, line.offset, line.offset, eol);
		}
		seenContent = true;
		afterRun = false;
		if (!frozen[i] && !foreign[i] && (line.kind === 'entry' || line.kind === 'section')) {
			const { s, e, cr } = trimmedSpan(text, line);
			let next: string;
			if (line.kind === 'entry' && line.equals >= 0) {
				const key = line.key.text;
				const value = line.value.text;
				next = (key ? key + ' =' : '=') + (value ? ' ' + value : '');
			} else {
				next = text.slice(s, e);
			}
			// a `%` that would end the line after the blanks go would join it with the next one: keep the blanks
			const lineEnd = line.offset + line.length - (cr ? 1 : 0);
			const tail = next.endsWith('%') ? text.slice(e, lineEnd) : '';
			pushMinimal(out, text, line.offset, lineEnd, next + tail);
		}
		i++;
	}
	return out;
}

/** Index of the line holding an offset (binary search), or -1. */
function lineIndexAt(lines: readonly IniLine[], offset: number): number {
	let lo = 0;
	let hi = lines.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const l = lines[mid];
		if (offset < l.offset) { hi = mid - 1; } else if (offset >= l.offset + l.length + l.eolLength && mid < lines.length - 1) { lo = mid + 1; } else { return mid; }
	}
	return -1;
}

/** Formats a whole uWSGI ini document: minimal LSP edits (none when it is formatted already). */
export function formatUwsgi(document: TextDocument, doc: IniDocument, options: UwsgiFormatOptions = {}): TextEdit[] {
	if (document.getText() !== doc.text) { return []; }
	return toTextEdits(document, uwsgiFormatEdits(doc, options));
}

/** Formats a selection: the edits of the whole-document format that lie inside the range. */
export function formatUwsgiRange(document: TextDocument, doc: IniDocument, range: Range, options: UwsgiFormatOptions = {}): TextEdit[] {
	if (document.getText() !== doc.text) { return []; }
	const r = rangeOffsets(document, range);
	return toTextEdits(document, editsWithin(uwsgiFormatEdits(doc, options), r.start, r.end));
}
