/**
 * Parser for uWSGI's ini dialect, following core/ini.c: lines split on `\n`, trimmed of
 * spaces, tabs and `\r`; a comment only where the first non-blank character is `#` or `;`;
 * a section name is the text after `[` minus its last character; `key = value` split at the
 * first `=`; values are raw (no quotes removed, no inline comments).
 *
 * Linear in the input, never throws, keeps every byte (lines cover the text end to end).
 */
import type {
	IniDocument, IniEntryLine, IniLine, IniLogicBlock, IniSection, IniSectionLine, IniSyntaxProblem, IniValueRef,
} from './nodes';
import { LOGIC_ELSE_KEY, LOGIC_END_KEYS, LOGIC_START_KEYS } from './logicKeys';
import type { NameTable } from '../../utils/nameTable';

export interface IniParseOptions {
	/**
	 * Known keys (the option names): a key found here takes the table's string instead of a new
	 * one cut from the text, so the checks' lookups by key reuse one string (and its hash) per name.
	 */
	readonly names?: NameTable;
}

function isBlank(c: number): boolean {
	return c === 32 || c === 9 || c === 13;
}

export function parseIni(text: string, options: IniParseOptions = {}): IniDocument {
	const names = options.names;
	const lines: IniLine[] = [];
	const entries: IniEntryLine[] = [];
	const orphanEntries: IniEntryLine[] = [];
	const problems: IniSyntaxProblem[] = [];
	const sectionHeaders: IniSectionLine[] = [];
	const sectionEntries: IniEntryLine[][] = [];
	const sectionEnds: number[] = [];

	let pos = 0;
	const n = text.length;
	while (pos < n || (pos === n && n === 0 && lines.length === 0)) {
		let eol = text.indexOf('\n', pos);
		const eolLength = eol < 0 ? 0 : 1;
		if (eol < 0) { eol = n; }
		const lineStart = pos;
		const lineLength = eol - pos;
		let s = pos;
		let e = eol;
		while (s < e && isBlank(text.charCodeAt(s))) { s++; }
		while (e > s && isBlank(text.charCodeAt(e - 1))) { e--; }
		const first = s < e ? text.charCodeAt(s) : -1;
		if (first === -1) {
			lines.push({ kind: 'blank', offset: lineStart, length: lineLength, eolLength });
		} else if (first === 35 /* # */ || first === 59 /* ; */) {
			lines.push({ kind: 'comment', offset: lineStart, length: lineLength, eolLength });
		} else if (first === 91 /* [ */) {
			const nameStart = s + 1;
			const nameEnd = Math.max(nameStart, e - 1);
			const closed = e - 1 >= nameStart && text.charCodeAt(e - 1) === 93;
			const header: IniSectionLine = {
				kind: 'section', offset: lineStart, length: lineLength, eolLength,
				name: text.slice(nameStart, nameEnd),
				nameSpan: { offset: nameStart, length: nameEnd - nameStart },
				closed, index: sectionHeaders.length,
			};
			if (sectionHeaders.length) { sectionEnds.push(lineStart); }
			sectionHeaders.push(header);
			sectionEntries.push([]);
			lines.push(header);
		} else {
			const entry = parseEntry(text, lineStart, lineLength, eolLength, s, e, sectionHeaders.length - 1, entries.length, problems, names);
			entries.push(entry);
			(entry.section >= 0 ? sectionEntries[entry.section] : orphanEntries).push(entry);
			lines.push(entry);
		}
		if (eol > 0 && text.charCodeAt(eol - 1) === 37 /* % */ && eolLength && endsWithLoneEscape(text, lineStart, eol)) {
			problems.push({
				kind: 'percent-at-eol', offset: eol - 1, length: 1,
				message: 'A "%" at the end of a line swallows the line break: uWSGI joins this line with the next one. Write "%%" for a literal percent sign.',
			});
		}
		pos = eol + eolLength;
		if (pos === n && eolLength === 0) { break; }
	}
	if (sectionHeaders.length) { sectionEnds.push(n); }
	const sections: IniSection[] = sectionHeaders.map((header, i) => ({
		name: header.name, header, end: sectionEnds[i], entries: sectionEntries[i],
	}));
	const blocks = findLogicBlocks(entries, problems);
	return { text, lines, sections, entries, orphanEntries, blocks, problems };
}

/** True when the `%` before `end` is not itself the second half of `%%`. */
function endsWithLoneEscape(text: string, start: number, end: number): boolean {
	let count = 0;
	for (let i = end - 1; i >= start && text.charCodeAt(i) === 37; i--) { count++; }
	return count % 2 === 1;
}

function parseEntry(
	text: string, lineStart: number, lineLength: number, eolLength: number,
	s: number, e: number, section: number, index: number, problems: IniSyntaxProblem[], names: NameTable | undefined,
): IniEntryLine {
	// look for "=" within this line only (indexOf could run on to the end of the file: quadratic)
	let eq = s;
	while (eq < e && text.charCodeAt(eq) !== 61) { eq++; }
	let keyEnd: number;
	let valueStart: number;
	let valueEnd: number;
	let equals = -1;
	if (eq < e) {
		equals = eq;
		keyEnd = eq;
		while (keyEnd > s && isBlank(text.charCodeAt(keyEnd - 1))) { keyEnd--; }
		valueStart = eq + 1;
		while (valueStart < e && isBlank(text.charCodeAt(valueStart))) { valueStart++; }
		valueEnd = e;
	} else {
		keyEnd = e;
		valueStart = e;
		valueEnd = e;
	}
	const id = names && keyEnd > s ? names.idAt(text, s, keyEnd) : -1;
	const key = { offset: s, length: keyEnd - s, text: id >= 0 ? names!.names[id] : text.slice(s, keyEnd) };
	const value = { offset: valueStart, length: valueEnd - valueStart, text: text.slice(valueStart, valueEnd) };
	return {
		kind: 'entry', offset: lineStart, length: lineLength, eolLength,
		key, equals, value, refs: scanValueRefs(text, valueStart, valueEnd, problems), section, index,
	};
}

const MARKERS: Record<number, IniValueRef['kind']> = { 37: 'placeholder', 36: 'env', 64: 'file' };

/**
 * Finds `%(..)`, `$(..)`, `@(..)` (with balanced inner parentheses, as uWSGI scans them),
 * magic `%x` variables and `%%` in a value. Linear: each character is visited a bounded
 * number of times.
 */
const NO_REFS: readonly IniValueRef[] = Object.freeze([]);

export function scanValueRefs(text: string, start: number, end: number, problems?: IniSyntaxProblem[]): readonly IniValueRef[] {
	let k = start;
	while (k < end) {
		const c = text.charCodeAt(k);
		if (c === 37 || c === 36 || c === 64) { break; }
		k++;
	}
	if (k === end) { return NO_REFS; }
	// most values hold one or two references: arrays of exactly that size, not a grown one
	let refs: IniValueRef[] | undefined;
	for (let i = k; i < end; i++) {
		const c = text.charCodeAt(i);
		if (c !== 37 && c !== 36 && c !== 64) { continue; }
		const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
		if (next === 40 /* ( */) {
			let depth = 1;
			let j = i + 2;
			for (; j < end && depth > 0; j++) {
				const cj = text.charCodeAt(j);
				if (cj === 40) { depth++; } else if (cj === 41) { depth--; }
			}
			if (depth > 0) {
				problems?.push({ kind: 'unclosed-ref', offset: i, length: end - i, message: 'This reference has no closing ")": uWSGI keeps it as literal text.' });
				break;
			}
			refs = withRef(refs, { kind: MARKERS[c], offset: i, length: j - i, name: text.slice(i + 2, j - 1), nameOffset: i + 2 });
			i = j - 1;
		} else if (c === 37 && next !== -1) {
			refs = withRef(refs, { kind: next === 37 ? 'escape' : 'magic', offset: i, length: 2, name: String.fromCharCode(next), nameOffset: i + 1 });
			i++;
		}
	}
	return refs ?? NO_REFS;
}

/** `refs` with `ref` added: a new array of exactly the size for the first two, then grown in place. */
function withRef(refs: IniValueRef[] | undefined, ref: IniValueRef): IniValueRef[] {
	if (!refs) { return [ref]; }
	if (refs.length === 1) { return [refs[0], ref]; }
	refs.push(ref);
	return refs;
}

function findLogicBlocks(entries: readonly IniEntryLine[], problems: IniSyntaxProblem[]): IniLogicBlock[] {
	const blocks: IniLogicBlock[] = [];
	let open: IniEntryLine | undefined;
	for (const entry of entries) {
		const key = entry.key.text;
		if (LOGIC_START_KEYS.has(key)) {
			if (open) {
				problems.push({
					kind: 'nested-block', offset: entry.key.offset, length: entry.key.length,
					message: `Config-logic blocks do not nest: uWSGI stops with "recursive logic in options is not supported" when the "${open.key.text}" block is active, and otherwise drops this line; the next end closes the outer block.`,
				});
				continue;
			}
			open = entry;
		} else if (LOGIC_END_KEYS.has(key)) {
			if (!open) {
				problems.push({
					kind: 'stray-end', offset: entry.key.offset, length: entry.key.length,
					message: `"${key}" closes no open block.`,
				});
				continue;
			}
			blocks.push({ start: open, end: entry });
			open = undefined;
		} else if (key === LOGIC_ELSE_KEY) {
			if (open) { blocks.push({ start: open, end: entry }); }
			open = entry;
		}
	}
	if (open) {
		blocks.push({ start: open });
		problems.push({
			kind: 'unclosed-block', offset: open.key.offset, length: open.key.length,
			message: `The "${open.key.text}" block is never closed: it goes on into every option uWSGI reads after this file. Close it with "endif" or "endfor".`,
		});
	}
	return blocks;
}

/** Prints the document back from its lines: equal to the input for every input. */
export function printIni(doc: IniDocument): string {
	let out = '';
	for (const line of doc.lines) {
		out += doc.text.slice(line.offset, line.offset + line.length + line.eolLength);
	}
	return out;
}
