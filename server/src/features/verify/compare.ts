/**
 * Holding a binary's verdict against our findings: does an error of ours stand where nginx
 * names its refusal? Shared by `uwsgi-nginx-check --verify`, the editor's verify command and the
 * differential tests, so all three judge agreement the same way.
 */
import type { NginxVerdict } from './nginxVerdict';

export interface OurError {
	/** The file, in whatever form the caller keys files by (a path or a URI). */
	readonly file: string;
	/** 0-based lines of the finding's range. */
	readonly line: number;
	readonly endLine: number;
	readonly code: string;
	readonly message: string;
}

/** The 0-based line where the statement that holds `line` ends (its `;`, `{` or `}`). */
export function statementEnd(text: string, line: number): number {
	const lines = text.split('\n');
	for (let l = line; l < lines.length; l++) {
		if (/[;{}]/.test(lines[l].replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '').replace(/#.*$/, ''))) { return l; }
	}
	return lines.length - 1;
}

/** Refusals nginx names at the line that opens the block they are about (checked when the block is merged). */
const BLOCK_LEVEL = /^no "ssl_certificate(?:_key)?" is defined for the "listen \.\.\. ssl" directive|^no servers are inside upstream|^no servers in upstream/;

/** The 0-based line of the "}" that closes the block whose "{" is on `line` (the last line when none does). */
export function blockEnd(text: string, line: number): number {
	const lines = text.split('\n');
	let depth = 0;
	let opened = false;
	for (let l = line; l < lines.length; l++) {
		const code = lines[l].replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '').replace(/#.*$/, '');
		for (const c of code) {
			if (c === '{') { depth++; opened = true; } else if (c === '}') { depth--; if (opened && depth === 0) { return l; } }
		}
	}
	return lines.length - 1;
}

/**
 * Whether our errors answer nginx's refusal: an error on the statement nginx names (nginx names
 * the line where the statement ends; ours starts at the directive), an error inside the block for
 * what nginx checks when it merges a block (and names the block's line: a TLS listen without a
 * certificate, an upstream without servers), any syntax error in the file for "unexpected end of
 * file", and any error at all when nginx names no line (checks it makes
 * after reading the whole config: unknown variables, zones). `file` maps nginx's path to the key
 * our errors use; `text` gives a file's text by that key.
 */
export function errorsAnswer(v: NginxVerdict, errors: readonly OurError[], file: (nginxPath: string) => string, text: (key: string) => string | undefined): boolean {
	const reason = v.reason;
	if (!reason?.file || !reason.line) { return errors.length > 0; }
	const key = file(reason.file);
	const mine = errors.filter(e => e.file === key);
	if (/^unexpected end of file/.test(reason.text)) { return mine.some(e => e.code === 'nginx-syntax'); }
	const L = reason.line - 1;
	const t = text(key) ?? '';
	if (BLOCK_LEVEL.test(reason.text)) {
		const end = blockEnd(t, L);
		if (mine.some(e => e.line >= L && e.line <= end)) { return true; }
	}
	if (mine.some(e => e.line <= L && L <= Math.max(e.endLine, statementEnd(t, e.line)))) { return true; }
	// a check nginx makes while merging a block's levels, after reading all of it (buffer sizes,
	// hash sizes), names the line where that block ends: an error of ours inside the block answers
	// it, and so does one in another file (an included one) that names a directive nginx names
	const start = blockStartOf(t, L);
	if (start === undefined) { return false; }
	if (mine.some(e => start <= e.line && e.line < L)) { return true; }
	const names = reason.text.match(/\b[a-z0-9]+(?:_[a-z0-9]+)+\b/g) ?? [];
	return names.length > 0 && errors.some(e => e.file !== key && names.some(n => e.message.includes(n)));
}

/**
 * When 0-based line `line` of `text` starts with the `}` that closes a block: the line of its
 * `{`. Quotes and comments are skipped as nginx reads them (roughly: enough to match braces).
 */
export function blockStartOf(text: string, line: number): number | undefined {
	const lines = text.split('\n');
	if (!/^\s*\}/.test(lines[line] ?? '')) { return undefined; }
	const stack: number[] = [];
	let l = 0;
	let quote = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '\n') {
			l++;
			continue;
		}
		if (quote) {
			if (c === '\\') { i++; } else if (c === quote) { quote = ''; }
			continue;
		}
		if (c === '#') {
			const nl = text.indexOf('\n', i);
			if (nl < 0) { break; }
			i = nl - 1;
			continue;
		}
		if ((c === '"' || c === "'") && (i === 0 || /[\s;{}]/.test(text[i - 1]))) { quote = c; continue; }
		if (c === '{') { stack.push(l); continue; }
		if (c === '}') {
			const open = stack.pop();
			if (l === line) { return open; }
			if (l > line) { return undefined; }
		}
	}
	return undefined;
}
