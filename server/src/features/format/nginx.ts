/**
 * The nginx formatter: a pure function over the lossless parse tree that rewrites only the blank
 * gaps between atoms (tokens, `;`, `{`, `}`, comments, Lua bodies). Tokens, comments and raw
 * bodies are never touched, so the token sequence nginx reads cannot change.
 *
 * Rules, per gap (the atom after the gap decides):
 * - a directive starts its own line, indented by block depth (tabs or spaces as asked); a
 *   directive after `;`, `{` or `}` on the same line is moved to a line of its own;
 * - arguments on one line are separated by one space (an empty gap, only possible after a quoted
 *   string, stays empty); `;` follows its last argument; ` {` follows its last argument — a `;` or
 *   `{` alone on the next line is joined up, unless a comment stands between;
 * - a line that continues a statement (a multi-line `log_format`) keeps its offset from the
 *   directive's name, and is always deeper than the name: the parser's "missing `;`" split (a
 *   directive name starting a line no deeper than the statement) can never be triggered;
 * - a comment at the end of a line stays there, with the blank before it kept; a comment on its
 *   own line is indented like a directive;
 * - `}` stands on its own line at the depth of its directive (`{}` / `{ }` stay as they are);
 *   indentation stops growing at 64 levels;
 * - blank lines are kept, runs collapsed to `maxBlankLines`; trailing blanks go; blank lines at the
 *   start of the file go, and the file ends with one line break if it had one;
 * - data blocks (`map`, `types`, `geo`, `split_clients`, `charset_map`, `match`, …): lines are
 *   indented, the text of an entry on its line is kept (with `alignMapValues`, map values line up);
 * - `*_by_lua_block` bodies are kept byte for byte, the closing brace included.
 *
 * Files with syntax problems: only the part before the first problem is formatted (the line of the
 * statement holding the problem and everything after it stay byte for byte). The parser reads that
 * prefix the same way whatever follows, and the rest is untouched, so nothing unparsable is ever
 * moved. On-type formatting also works inside a block that is not closed yet.
 *
 * Edits are minimal (only where the text changes, split at line breaks), so a range format is the
 * whole-file edits that lie inside the range: it cannot touch text outside it or repeat any.
 * Linear in the file: about 15-30 ms for a 1 MB config.
 */
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isNginxDataBlock } from '../../data/nginxData';
import type { NginxFile } from '../../parser/nginx/nodes';
import {
	editsWithin, maxBlankLinesOf, pushGapEdits, rangeOffsets, tabSizeOf, toTextEdits, widthOf,
	type OffsetEdit,
} from './edits';

export interface NginxFormatOptions {
	tabSize: number;
	insertSpaces: boolean;
	/** Line up the values of `map` entries (one `key value;` a line). Default false. */
	alignMapValues?: boolean;
	/** Longest run of blank lines kept. Default 1. */
	maxBlankLines?: number;
}

/** Bodies that are data, not directives (besides what the directive table marks `rawBlock`). */
const DATA_BLOCKS: ReadonlySet<string> = new Set(['map', 'types', 'geo', 'split_clients', 'charset_map', 'match']);

/**
 * Deeper blocks are indented as this deep: real configs nest a handful of levels, and a generated
 * file nested thousands deep would otherwise be formatted into gigabytes of indentation.
 */
const MAX_DEPTH = 64;

const NAME = 0;
const ARG = 1;
const SEMI = 2;
const OPEN = 3;
const RAW = 4;
const CLOSE = 5;
const COMMENT = 6;
const STRAY = 7;

/** Every atom of the file in document order, as parallel arrays. */
interface Atoms {
	count: number;
	start: Int32Array;
	end: Int32Array;
	kind: Uint8Array;
	/** Directive index (name, argument, `;`, `{`, Lua body) or block index (`}`). */
	ref: Int32Array;
}

function collectAtoms(file: NginxFile): Atoms {
	const n = file.text.length;
	const dirs = file.directives;
	let total = file.comments.length;
	const closes: number[] = [];
	for (const d of dirs) {
		total += 2 + d.args.length;
		if (d.block && !d.block.raw && d.block.close >= 0) { closes.push(d.block.close, d.block.index); total++; }
	}
	const strays: number[] = [];
	for (const p of file.problems) {
		if (p.kind === 'unexpected') { strays.push(p.offset, p.offset + p.length); total++; }
	}
	// directive atoms come in document order (statements never interleave); closes and strays are sorted here
	const closeOrder = Array.from({ length: closes.length / 2 }, (_, k) => k).sort((a, b) => closes[2 * a] - closes[2 * b]);
	const strayOrder = Array.from({ length: strays.length / 2 }, (_, k) => k).sort((a, b) => strays[2 * a] - strays[2 * b]);

	const start = new Int32Array(total);
	const end = new Int32Array(total);
	const kind = new Uint8Array(total);
	const ref = new Int32Array(total);
	let count = 0;
	let ci = 0;
	let cl = 0;
	let st = 0;
	const comments = file.comments;
	/** Offset of the next comment, close or stray (-1: not known yet). */
	let nextOther = -1;
	/** Emits every comment, close and stray before `offset`. */
	const flushBefore = (offset: number) => {
		for (;;) {
			const co = ci < comments.length ? comments[ci].offset : Infinity;
			const clo = cl < closeOrder.length ? closes[2 * closeOrder[cl]] : Infinity;
			const so = st < strayOrder.length ? strays[2 * strayOrder[st]] : Infinity;
			const m = Math.min(co, clo, so);
			if (m >= offset || m === Infinity) { nextOther = m; return; }
			if (m === co) {
				start[count] = co; end[count] = co + comments[ci].length; kind[count] = COMMENT; ref[count] = -1; ci++;
			} else if (m === clo) {
				start[count] = clo; end[count] = clo + 1; kind[count] = CLOSE; ref[count] = closes[2 * closeOrder[cl] + 1]; cl++;
			} else {
				start[count] = so; end[count] = strays[2 * strayOrder[st] + 1]; kind[count] = STRAY; ref[count] = -1; st++;
			}
			count++;
		}
	};
	const push = (s: number, e: number, k: number, r: number) => {
		if (nextOther < s) { flushBefore(s); }
		start[count] = s; end[count] = e; kind[count] = k; ref[count] = r;
		count++;
	};
	for (let di = 0; di < dirs.length; di++) {
		const d = dirs[di];
		push(d.name.offset, d.name.offset + d.name.length, NAME, di);
		for (const a of d.args) { push(a.offset, a.offset + a.length, ARG, di); }
		if (d.semicolon >= 0) { push(d.semicolon, d.semicolon + 1, SEMI, di); }
		const b = d.block;
		if (b) {
			if (b.raw) {
				push(b.open, b.close >= 0 ? b.close + 1 : n, RAW, di);
			} else {
				push(b.open, b.open + 1, OPEN, di);
			}
		}
	}
	flushBefore(Infinity);
	return { count, start, end, kind, ref };
}

/**
 * `\r\n` when a line break between atoms is one (the `\r` may end a comment), else `\n`. Breaks
 * inside strings and Lua bodies do not count, so the answer is the same after formatting.
 */
function lineBreakOfGaps(text: string, atoms: Atoms): string {
	let from = 0;
	for (let i = 0; i <= atoms.count; i++) {
		const to = i < atoms.count ? atoms.start[i] : text.length;
		for (let j = from; j < to; j++) {
			if (text.charCodeAt(j) === 10 && j > 0 && text.charCodeAt(j - 1) === 13) { return '\r\n'; }
		}
		if (i < atoms.count) { from = atoms.end[i]; }
	}
	return '\n';
}

/**
 * Where formatting must stop: the start of the line of the first problem, or of the statement
 * holding it. Infinity for a file without problems.
 */
function safeLimit(file: NginxFile, allowUnclosed: boolean): number {
	let cut = Infinity;
	for (const p of file.problems) {
		if (!(allowUnclosed && p.kind === 'unclosed-block')) { cut = Math.min(cut, p.offset); }
	}
	if (cut === Infinity) { return cut; }
	// the statement whose header (name to `;` / `{`) holds the cut: binary search by name offset
	const dirs = file.directives;
	let lo = 0;
	let hi = dirs.length - 1;
	let found = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (dirs[mid].offset <= cut) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
	}
	if (found >= 0) {
		const d = dirs[found];
		const headerEnd = d.semicolon >= 0 ? d.semicolon + 1 : d.block ? d.block.open + 1 : d.offset + d.length;
		if (cut <= headerEnd) { cut = d.offset; }
	}
	return file.text.lastIndexOf('\n', cut - 1) + 1;
}

/**
 * Computes the formatting edits of a whole file as offset edits. `allowUnclosed` (for on-type
 * formatting, while a block is being written) formats inside a block that is not closed yet: its
 * contents parse the same whatever follows; a whole-file format leaves them alone, since where the
 * block should end is anyone's guess.
 */
export function nginxFormatEdits(file: NginxFile, options: NginxFormatOptions, allowUnclosed = false): OffsetEdit[] {
	const text = file.text;
	const n = text.length;
	const tabSize = tabSizeOf(options);
	const spaces = options.insertSpaces !== false;
	const maxLines = maxBlankLinesOf(options) + 1;
	const limit = safeLimit(file, allowUnclosed);
	const atoms = collectAtoms(file);
	const { start, end, kind, ref } = atoms;
	const eol = lineBreakOfGaps(text, atoms);
	const dirs = file.directives;
	const blocks = file.blocks;
	const out: OffsetEdit[] = [];
	if (atoms.count === 0) { return out; }

	// per block: depth of its contents, whether it holds data, whether map values are aligned in it
	const depth = new Int32Array(blocks.length);
	const data = new Uint8Array(blocks.length);
	const alignWidth = new Int32Array(blocks.length).fill(-1);
	for (let k = 1; k < blocks.length; k++) {
		const owner = blocks[k].owner!;
		const p = owner.parent;
		depth[k] = depth[p] + 1;
		const name = owner.name.value;
		data[k] = data[p] || DATA_BLOCKS.has(name) || isNginxDataBlock(name) ? 1 : 0;
		if (options.alignMapValues && !data[p] && name === 'map') { alignWidth[k] = 0; }
	}
	const aligned = options.alignMapValues ? alignedEntries(file, alignWidth) : undefined;

	const indents: string[] = [];
	const indent = (level: number): string => {
		if (level < 0) { level = 0; } else if (level > MAX_DEPTH) { level = MAX_DEPTH; }
		return (indents[level] ??= spaces ? ' '.repeat(level * tabSize) : '\t'.repeat(level));
	};
	/**
	 * `count` line breaks (collapsed to maxBlankLines + 1) and the indentation of a level, cached.
	 * The first break after a comment is a bare `\n`: a comment runs to the `\n`, so a `\r` there
	 * would become part of it.
	 */
	const lineGaps: string[] = [];
	const lineGap = (count: number, afterComment: boolean, level: number): string => {
		const c = Math.max(1, Math.min(count, maxLines));
		if (level < 0) { level = 0; } else if (level > MAX_DEPTH) { level = MAX_DEPTH; }
		const key = (level * (maxLines + 1) + c) * 2 + (afterComment ? 1 : 0);
		return (lineGaps[key] ??= (afterComment ? '\n' : eol) + eol.repeat(c - 1) + indent(level));
	};
	const breaks = (count: number, afterComment: boolean): string => lineGap(count, afterComment, 0);
	/** Blank text of visual width `w` starting at column `from`. */
	const render = (w: number, from: number): string => {
		if (spaces || from % tabSize !== 0) { return ' '.repeat(w); }
		return '\t'.repeat(Math.floor(w / tabSize)) + ' '.repeat(w % tabSize);
	};

	const stack = new Int32Array(blocks.length + 1);
	let top = 0;
	stack[0] = 0;
	let curDir = -1;
	let nameOldCol = 0;
	let nameNewCol = 0;
	let nameIndent: string | null = null;
	let oldCol = 0;
	let newCol = 0;
	let prevEnd = 0;
	let stopped = false;

	for (let i = 0; i < atoms.count; i++) {
		const s = start[i];
		const e = end[i];
		const k = kind[i];
		const gapStart = prevEnd;
		if (gapStart > limit) { stopped = true; break; }
		let nl = 0;
		let lastNl = -1;
		for (let j = gapStart; j < s; j++) {
			if (text.charCodeAt(j) === 10) { nl++; lastNl = j; }
		}
		const block = stack[top];
		const isData = data[block] === 1;
		if (k === NAME) { curDir = -1; }
		// column of the atom in the original text
		const atomOldCol = nl ? widthOf(text, lastNl + 1, s, 0, tabSize) : widthOf(text, gapStart, s, oldCol, tabSize);
		const prevKind = i > 0 ? kind[i - 1] : -1;
		const afterComment = prevKind === COMMENT;
		/** The new gap; null keeps the original. */
		let gap: string | null = null;
		/** Whether the gap is line breaks plus a continuation of the statement. */
		let cont = false;
		if (i === 0) {
			// the start of the file: no blank lines before the first atom
			if (k !== STRAY) { gap = indent(k === CLOSE ? depth[block] - 1 : depth[block]); }
		} else if (k !== STRAY && prevKind !== STRAY) {
			switch (k) {
				case COMMENT:
					if (!nl) { gap = s > gapStart ? null : ' '; } else if (curDir >= 0) { cont = true; } else { gap = lineGap(nl, afterComment, depth[block]); }
					break;
				case NAME:
					if (!nl) { gap = isData ? null : lineGap(1, afterComment, depth[block]); } else { gap = lineGap(nl, afterComment, depth[block]); }
					break;
				case ARG:
					if (!nl) {
						if (isData) {
							if (aligned && aligned[ref[i]] >= 0 && prevKind === NAME) { gap = ' '.repeat(aligned[ref[i]] - (end[i - 1] - start[i - 1]) + 1); }
						} else {
							gap = s > gapStart ? ' ' : '';
						}
					} else {
						cont = true;
					}
					break;
				case SEMI:
					if (!nl) { gap = isData ? null : ''; } else if (afterComment || isData) { cont = true; } else { gap = ''; }
					break;
				case OPEN:
				case RAW:
					if (!nl) { gap = isData ? null : ' '; } else if (afterComment) { gap = lineGap(nl, afterComment, depth[block]); } else { gap = ' '; }
					break;
				default: // CLOSE
					if (!nl) { gap = isData || prevKind === OPEN ? null : lineGap(1, afterComment, depth[block] - 1); } else { gap = lineGap(nl, afterComment, depth[block] - 1); }
					break;
			}
		}
		if (cont) {
			// a line that continues the statement: as far from the name as it was, and always deeper
			let extra = atomOldCol - nameOldCol;
			if (extra <= 0) { extra = tabSize; }
			gap = breaks(nl, afterComment) + (nameIndent !== null ? nameIndent + render(extra, nameNewCol) : render(nameNewCol + extra, 0));
		}
		let atomNewCol: number;
		let gapBreak = -1;
		if (gap === null) {
			atomNewCol = nl ? atomOldCol : widthOf(text, gapStart, s, newCol, tabSize);
		} else {
			if (!sameText(text, gapStart, s, gap)) {
				const before = out.length;
				pushGapEdits(out, text, gapStart, s, gap);
				// drop what reaches past the safe limit (the line holding the first problem)
				while (out.length > before && out[out.length - 1].end > limit) { out.pop(); }
			}
			gapBreak = gap.lastIndexOf('\n');
			atomNewCol = gapBreak >= 0 ? widthOf(gap, gapBreak + 1, gap.length, 0, tabSize) : widthOf(gap, 0, gap.length, newCol, tabSize);
		}
		// columns after the atom
		// an atom without tabs or line breaks (the common case) is as wide as it is long
		const w = plainWidth(text, s, e);
		oldCol = w >= 0 ? atomOldCol + w : widthOf(text, s, e, atomOldCol, tabSize);
		newCol = w >= 0 ? atomNewCol + w : widthOf(text, s, e, atomNewCol, tabSize);
		if (k === NAME) {
			curDir = ref[i];
			nameOldCol = atomOldCol;
			nameNewCol = atomNewCol;
			nameIndent = gap === null ? (i === 0 ? text.slice(0, s) : nl ? text.slice(lastNl + 1, s) : null) : i === 0 ? gap : gapBreak >= 0 ? gap.slice(gapBreak + 1) : null;
		} else if (k === SEMI || k === RAW) {
			curDir = -1;
		} else if (k === OPEN) {
			curDir = -1;
			stack[++top] = dirs[ref[i]].block!.index;
		} else if (k === CLOSE) {
			curDir = -1;
			if (top > 0) { top--; }
		}
		prevEnd = e;
	}
	// the tail: one line break if the file ended with any
	if (!stopped && prevEnd <= limit && prevEnd < n) {
		let hasBreak = false;
		for (let j = prevEnd; j < n; j++) {
			if (text.charCodeAt(j) === 10) { hasBreak = true; break; }
		}
		const lastKind = kind[atoms.count - 1];
		const tail = hasBreak ? (lastKind === COMMENT ? '\n' : eol) : '';
		if (tail !== text.slice(prevEnd)) {
			const before = out.length;
			pushGapEdits(out, text, prevEnd, n, tail);
			while (out.length > before && out[out.length - 1].end > limit) { out.pop(); }
		}
	}
	return out;
}

/**
 * For `alignMapValues`: per directive, the key width its value is aligned to (or -1). An entry
 * takes part when it is `key value;` alone on its line (an end-of-line comment is fine) with no
 * line break inside; the width is the longest such key of its map.
 */
function alignedEntries(file: NginxFile, alignWidth: Int32Array): Int32Array {
	const text = file.text;
	const dirs = file.directives;
	const result = new Int32Array(dirs.length).fill(-1);
	const eligible: number[] = [];
	for (let di = 0; di < dirs.length; di++) {
		const d = dirs[di];
		if (alignWidth[d.parent] < 0 || d.args.length !== 1 || d.semicolon < 0) { continue; }
		const key = d.name;
		const value = d.args[0];
		if (/[\t\n\r]/.test(key.raw) || /[\n\r]/.test(value.raw) || text.slice(key.offset, d.semicolon).includes('\n')) { continue; }
		// first on its line
		let b = key.offset - 1;
		while (b >= 0 && (text.charCodeAt(b) === 32 || text.charCodeAt(b) === 9 || text.charCodeAt(b) === 13)) { b--; }
		if (b >= 0 && text.charCodeAt(b) !== 10) { continue; }
		// nothing but a comment after it on its line
		let a = d.semicolon + 1;
		while (a < text.length && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9 || text.charCodeAt(a) === 13)) { a++; }
		if (a < text.length && text.charCodeAt(a) !== 10 && text.charCodeAt(a) !== 35) { continue; }
		eligible.push(di);
		alignWidth[d.parent] = Math.max(alignWidth[d.parent], key.length);
	}
	for (const di of eligible) { result[di] = alignWidth[dirs[di].parent]; }
	return result;
}

/** The length of text[from, to), or -1 when it holds a tab or a line break. */
function plainWidth(text: string, from: number, to: number): number {
	for (let k = from; k < to; k++) {
		const c = text.charCodeAt(k);
		if (c === 9 || c === 10 || c === 13) { return -1; }
	}
	return to - from;
}

function sameText(text: string, from: number, to: number, s: string): boolean {
	if (to - from !== s.length) { return false; }
	for (let k = 0; k < s.length; k++) {
		if (text.charCodeAt(from + k) !== s.charCodeAt(k)) { return false; }
	}
	return true;
}

function matches(document: TextDocument, file: NginxFile): boolean {
	return document.getText() === file.text;
}

/** Formats a whole nginx document: minimal LSP edits (none when it is formatted already). */
export function formatNginx(document: TextDocument, file: NginxFile, options: NginxFormatOptions): TextEdit[] {
	if (!matches(document, file)) { return []; }
	return toTextEdits(document, nginxFormatEdits(file, options));
}

/** Formats a selection: the edits of the whole-document format that lie inside the range. */
export function formatNginxRange(document: TextDocument, file: NginxFile, range: Range, options: NginxFormatOptions): TextEdit[] {
	if (!matches(document, file)) { return []; }
	const r = rangeOffsets(document, range);
	return toTextEdits(document, editsWithin(nginxFormatEdits(file, options), r.start, r.end));
}

/** Characters that trigger on-type formatting. */
export const NGINX_ON_TYPE_TRIGGERS: readonly string[] = [';', '}'];

/**
 * On-type formatting after `;` or `}`: re-indents the line of the position, nothing else. Works
 * inside a block that is not closed yet (the one being written).
 */
export function formatNginxOnType(document: TextDocument, file: NginxFile, position: Position, ch: string, options: NginxFormatOptions): TextEdit[] {
	if (!NGINX_ON_TYPE_TRIGGERS.includes(ch) || !matches(document, file)) { return []; }
	const text = file.text;
	const lineStart = document.offsetAt({ line: position.line, character: 0 });
	let first = lineStart;
	while (first < text.length && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) { first++; }
	const blanks = /^[ \t]*$/;
	const edits = editsWithin(nginxFormatEdits(file, options, true), lineStart, first, true)
		.filter(e => blanks.test(e.text) && blanks.test(text.slice(e.start, e.end)));
	return toTextEdits(document, edits);
}
