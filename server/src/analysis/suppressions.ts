/**
 * Suppression comments, in both languages:
 *
 *   # uwsgi-nginx-ignore CODE[,CODE...] -- reason        (the next line; in nginx also at the end of a line)
 *   # uwsgi-nginx-ignore-file CODE[,CODE...] -- reason   (the whole file)
 *
 * `*` stands for every code. A suppression that silences nothing is reported itself
 * (unused-suppression, hint), so stale ones do not pile up.
 */
import type { Finding } from './findings';
import { Codes } from './codes';

export interface Suppression {
	/** Offset and length of the comment. */
	readonly offset: number;
	readonly length: number;
	/** 0-based line of the comment. */
	readonly line: number;
	readonly fileWide: boolean;
	/** Whether the comment stands alone on its line (then it covers the next line) or ends a line. */
	readonly ownLine: boolean;
	readonly codes: readonly string[];
	readonly reason: string;
}

/** Every suppression comment holds this word: a text without it has none. */
const SUPPRESSION_WORD = 'uwsgi-nginx-ignore';
const PATTERN = /^[#;]\s*uwsgi-nginx-ignore(-file)?\s+([\w*][\w*,\s-]*?)(?:\s+--\s*(.*?))?\s*$/;

/** Finds suppression comments: `comments` are the comment spans of the file (nginx or ini). */
export function findSuppressions(text: string, comments: Iterable<{ offset: number; length: number }>, lineOf: (offset: number) => number): Suppression[] {
	const out: Suppression[] = [];
	// Only comments are searched for the word, each once: `next` is its first occurrence at or
	// after `from`, found natively and reused until a comment starts past it. A file without
	// comments costs nothing; one without the word costs one search from its first comment.
	let from = -1;
	let next = -1;
	for (const c of comments) {
		if (c.offset < from || (next >= 0 && next < c.offset)) { from = -1; }
		if (from < 0) {
			from = c.offset;
			next = text.indexOf(SUPPRESSION_WORD, from);
		}
		if (next < 0 || next >= c.offset + c.length) { continue; }
		const raw = text.slice(c.offset, c.offset + c.length).trim();
		const m = PATTERN.exec(raw);
		if (!m) { continue; }
		const lineStart = text.lastIndexOf('\n', c.offset - 1) + 1;
		out.push({
			offset: c.offset, length: c.length, line: lineOf(c.offset), fileWide: !!m[1],
			ownLine: /^[ \t]*$/.test(text.slice(lineStart, c.offset)),
			codes: m[2].split(/[\s,]+/).filter(Boolean), reason: (m[3] ?? '').trim(),
		});
	}
	return out;
}

function covers(s: Suppression, code: string, line: number): boolean {
	if (!s.codes.includes('*') && !s.codes.includes(code)) { return false; }
	if (s.fileWide) { return true; }
	return s.ownLine ? line === s.line + 1 : line === s.line;
}

/** Drops the findings the suppressions cover; adds unused-suppression for the ones that covered nothing. */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], lineOf: (offset: number) => number): Finding[] {
	if (!suppressions.length) { return [...findings]; }
	const used = new Set<Suppression>();
	const kept: Finding[] = [];
	for (const f of findings) {
		const line = lineOf(f.offset);
		const by = suppressions.find(s => covers(s, f.code.id, line));
		if (by) { used.add(by); } else { kept.push(f); }
	}
	for (const s of suppressions) {
		if (!used.has(s)) {
			kept.push({ code: Codes.unusedSuppression, offset: s.offset, length: s.length, args: { codes: s.codes.join(', ') }, tags: ['unnecessary'] });
		}
	}
	return kept;
}
