/**
 * Offset-based edits shared by the formatters: every edit replaces blank text (spaces, tabs, line
 * breaks) by blank text, and is as small as it can be — trimmed to where the text really changes,
 * and split at line breaks, so that a range format keeps exactly the edits inside its range.
 */
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export interface OffsetEdit {
	readonly start: number;
	readonly end: number;
	readonly text: string;
}

/** A sane tab size (the client may send anything). */
export function tabSizeOf(options: { tabSize?: number }): number {
	const t = options.tabSize;
	return typeof t === 'number' && Number.isFinite(t) && t >= 1 ? Math.min(Math.floor(t), 16) : 4;
}

/** A sane count of blank lines to keep in a run. */
export function maxBlankLinesOf(options: { maxBlankLines?: number }): number {
	const m = options.maxBlankLines;
	return typeof m === 'number' && Number.isFinite(m) && m >= 0 ? Math.floor(m) : 1;
}

/** The line break a file mostly uses: `\r\n` when its first line break is one. */
export function lineBreakOf(text: string): string {
	const nl = text.indexOf('\n');
	return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

/**
 * Pushes the edit turning text[start, end) into next[from, to), trimmed of the common prefix and
 * suffix; nothing when they are equal.
 */
export function pushMinimal(out: OffsetEdit[], text: string, start: number, end: number, next: string, from = 0, to = next.length): void {
	const oldLength = end - start;
	const newLength = to - from;
	const max = Math.min(oldLength, newLength);
	let p = 0;
	while (p < max && text.charCodeAt(start + p) === next.charCodeAt(from + p)) { p++; }
	if (p === oldLength && p === newLength) { return; }
	let s = 0;
	while (s < max - p && text.charCodeAt(end - 1 - s) === next.charCodeAt(to - 1 - s)) { s++; }
	const edit = { start: start + p, end: end - s, text: next.slice(from + p, to - s) };
	// edits of one gap that touch are merged: LSP edits must not overlap or share a boundary ambiguously
	const last = out.length ? out[out.length - 1] : undefined;
	if (last && last.end === edit.start) {
		out[out.length - 1] = { start: last.start, end: edit.end, text: last.text + edit.text };
	} else {
		out.push(edit);
	}
}

/**
 * Pushes the edits turning the blank gap text[start, end) into `next`: the rest of the line before
 * the first line break (trailing blanks), the line breaks, and the indentation after the last one
 * are compared separately, so an indentation change stays inside its line.
 */
export function pushGapEdits(out: OffsetEdit[], text: string, start: number, end: number, next: string): void {
	let oldFirst = -1;
	let oldLast = -1;
	for (let k = start; k < end; k++) {
		if (text.charCodeAt(k) === 10) {
			if (oldFirst < 0) { oldFirst = k; }
			oldLast = k;
		}
	}
	const newFirst = next.indexOf('\n');
	if (oldFirst < 0 || newFirst < 0) {
		pushMinimal(out, text, start, end, next);
		return;
	}
	const newLast = next.lastIndexOf('\n');
	pushMinimal(out, text, start, oldFirst, next, 0, newFirst);
	pushMinimal(out, text, oldFirst, oldLast + 1, next, newFirst, newLast + 1);
	pushMinimal(out, text, oldLast + 1, end, next, newLast + 1, next.length);
}

/**
 * Offset edits → LSP text edits. A position cannot point between the `\r` and the `\n` of a line
 * break (TextDocument moves it before the `\r`), so an edit that starts or ends there takes in
 * the character on the other side.
 */
export function toTextEdits(document: TextDocument, edits: readonly OffsetEdit[]): TextEdit[] {
	const text = document.getText();
	const inBreak = (o: number) => o > 0 && o < text.length && text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10;
	// many edits: positions by one walk over the text (edits are sorted); few: by the document's index
	const walk = edits.length > 64 ? new PositionWalker(text) : undefined;
	const positionAt = (o: number): Position => (walk ? walk.positionAt(o) : document.positionAt(o));
	const result: TextEdit[] = new Array(edits.length);
	for (let i = 0; i < edits.length; i++) {
		const e = edits[i];
		let start = e.start;
		let end = e.end;
		let newText = e.text;
		if (inBreak(start)) { start--; newText = '\r' + newText; }
		if (inBreak(end)) { end++; newText += '\n'; }
		result[i] = { range: { start: positionAt(start), end: positionAt(end) }, newText };
	}
	return result;
}

/**
 * LSP positions of increasing offsets, by walking the text once (`\n`, `\r\n` and `\r` end a line,
 * as TextDocument counts them). Offsets never point between `\r` and `\n`.
 */
class PositionWalker {
	private pos = 0;
	private line = 0;
	private lineStart = 0;

	constructor(private readonly text: string) {}

	positionAt(offset: number): Position {
		const text = this.text;
		let pos = this.pos;
		let line = this.line;
		let lineStart = this.lineStart;
		while (pos < offset) {
			const c = text.charCodeAt(pos++);
			if (c === 10) {
				line++;
				lineStart = pos;
			} else if (c === 13) {
				if (pos < text.length && text.charCodeAt(pos) === 10) { pos++; }
				line++;
				lineStart = pos;
			}
		}
		this.pos = pos;
		this.line = line;
		this.lineStart = lineStart;
		return { line, character: offset - lineStart };
	}
}

/**
 * The edits that lie entirely inside [start, end] (offsets). An insertion at `end` belongs to what
 * follows the range (the indentation of the line after a selection of whole lines), so it is left
 * out unless `insertAtEnd`.
 */
export function editsWithin(edits: readonly OffsetEdit[], start: number, end: number, insertAtEnd = false): OffsetEdit[] {
	return edits.filter(e => e.start >= start && e.end <= end && (e.start < end || start === end || insertAtEnd));
}

/** Offsets of an LSP range in a document. */
export function rangeOffsets(document: TextDocument, range: Range): { start: number; end: number } {
	const a = document.offsetAt(range.start);
	const b = document.offsetAt(range.end);
	return a <= b ? { start: a, end: b } : { start: b, end: a };
}

/** Applies sorted, non-overlapping offset edits to a text. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
	const parts: string[] = [];
	let pos = 0;
	for (const e of edits) {
		parts.push(text.slice(pos, e.start), e.text);
		pos = e.end;
	}
	parts.push(text.slice(pos));
	return parts.join('');
}

/** Visual width of text[from, to) starting at column `col` (tabs to the next multiple of `tabSize`). */
export function widthOf(text: string, from: number, to: number, col: number, tabSize: number): number {
	for (let k = from; k < to; k++) {
		const c = text.charCodeAt(k);
		if (c === 10) { col = 0; } else if (c === 9) { col += tabSize - (col % tabSize); } else if (c !== 13) { col++; }
	}
	return col;
}
