/**
 * Splitting command text into words the way the host does before the program sees them, with
 * the host offset of every character kept:
 *
 * - `shell: true` is a POSIX shell: blanks separate words; `'...'` is literal; `"..."` keeps
 *   `$`-expansions and lets `\` escape `$ \` " \`; an unquoted `\` escapes the next character;
 *   backslash-newline disappears; `$(...)`, `${...}` and backticks stay inside one word; `#` at
 *   a word start comments to the end of the line; `; & | ( )` and newlines end a command;
 *   redirections drop their target word; here-document bodies are skipped.
 * - `shell: false` is the word splitting of programs that start commands without a shell
 *   (compose's string `command:`, systemd's `ExecStart=`, supervisor's `command=`): quotes and
 *   backslashes as above, every blank or newline separates words, nothing else is special.
 *
 * Linear, never throws; a quote left open runs to the end of the text.
 */
import type { Span } from '../../utils/positions';
import type { CommandWord } from './nodes';

export interface LexOptions {
	readonly shell: boolean;
	/** What a backslash-newline does: `join` removes it (shell), `space` ends the word (systemd). */
	readonly continuation?: 'join' | 'space';
	/** Dockerfile: comment and blank lines inside a continued instruction are dropped before the shell sees it. */
	readonly dockerfile?: boolean;
}

export interface LexResult {
	/** Simple commands, each a list of words (empty commands dropped). */
	readonly commands: CommandWord[][];
	readonly comments: Span[];
}

const OPERATORS = ';&|()<>';
/** What makes a value depend on the environment: `$` expansions, backticks, uWSGI's own `%(..)`/`@(..)`, templating, `%x` specifiers. */
const DYNAMIC = /[$`]|%\(|@\(|\{\{|\{%|%[a-zA-Z]/;

function isBlank(c: string): boolean {
	return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

function isNewlineAt(text: string, i: number): number {
	if (text[i] === '\n') { return 1; }
	if (text[i] === '\r' && text[i + 1] === '\n') { return 2; }
	return 0;
}

export function makeWord(offset: number, end: number, text: string, starts: number[], ends: number[]): CommandWord {
	return { offset, length: end - offset, text, starts, ends, dynamic: DYNAMIC.test(text) };
}

export function lexWords(text: string, start: number, end: number, o: LexOptions): LexResult {
	const commands: CommandWord[][] = [];
	const comments: Span[] = [];
	let current: CommandWord[] = [];
	let i = start;
	let skipNext = false;
	let heredocNext: { strip: boolean } | undefined;
	const heredocs: { delim: string; strip: boolean }[] = [];

	const lineEnd = (k: number) => {
		const e = text.indexOf('\n', k);
		return e < 0 || e > end ? end : e;
	};
	const endCommand = () => {
		if (current.length) { commands.push(current); }
		current = [];
	};
	/** After a Dockerfile continuation: drops the comment and blank lines that follow. */
	const skipDockerLines = (k: number): number => {
		while (k < end) {
			let j = k;
			while (j < end && isBlank(text[j])) { j++; }
			if (j < end && text[j] === '#') {
				const e = lineEnd(j);
				comments.push({ offset: j, length: e - j });
				k = e < end ? e + 1 : end;
				continue;
			}
			const nl = isNewlineAt(text, j);
			if (nl && j < end) { k = j + nl; continue; }
			break;
		}
		return k;
	};
	const skipHeredocBodies = () => {
		while (heredocs.length) {
			const h = heredocs.shift()!;
			while (i < end) {
				const e = lineEnd(i);
				let line = text.slice(i, e).replace(/\r$/, '');
				if (h.strip) { line = line.replace(/^\t+/, ''); }
				i = e < end ? e + 1 : end;
				if (line === h.delim) { break; }
			}
		}
	};

	const readWord = (): CommandWord => {
		const wordStart = i;
		let out = '';
		const starts: number[] = [];
		const ends: number[] = [];
		const push = (ch: string, s: number, e: number) => {
			out += ch;
			starts.push(s);
			ends.push(e);
		};
		/** Copies a `$(...)`, `${...}` or backtick expansion verbatim (it stays one word). */
		const copyExpansion = (open: string, close: string) => {
			let depth = 0;
			while (i < end) {
				const c = text[i];
				if (c === '\\' && i + 1 < end) {
					push(c, i, i + 1);
					push(text[i + 1], i + 1, i + 2);
					i += 2;
					continue;
				}
				push(c, i, i + 1);
				i++;
				if (c === open && open !== close) { depth++; } else if (c === close) {
					depth--;
					if (depth <= 0) { return; }
				}
			}
		};
		/** At a shell `$(`, `${` or backtick (`c` is the character at i): copies the expansion and says so. */
		const expansionAt = (c: string): boolean => {
			if (!o.shell) { return false; }
			if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
				push(c, i, i + 1);
				i++;
				copyExpansion(text[i], text[i] === '(' ? ')' : '}');
				return true;
			}
			if (c === '`') {
				push(c, i, i + 1);
				i++;
				copyExpansion('`', '`');
				return true;
			}
			return false;
		};
		while (i < end) {
			const c = text[i];
			if (isBlank(c) || c === '\n') { break; }
			if (o.shell && OPERATORS.includes(c)) { break; }
			if (c === '\\') {
				const nl = isNewlineAt(text, i + 1);
				if (nl) {
					if (o.continuation === 'space') { break; }
					i += 1 + nl;
					if (o.dockerfile) { i = skipDockerLines(i); }
					continue;
				}
				if (i + 1 >= end) {
					push(c, i, i + 1);
					i++;
					continue;
				}
				push(text[i + 1], i, i + 2);
				i += 2;
				continue;
			}
			if (c === "'") {
				i++;
				while (i < end && text[i] !== "'") {
					push(text[i], i, i + 1);
					i++;
				}
				if (i < end) { i++; }
				continue;
			}
			if (c === '"') {
				i++;
				while (i < end && text[i] !== '"') {
					const d = text[i];
					if (d === '\\' && i + 1 < end) {
						const n = text[i + 1];
						const nl = isNewlineAt(text, i + 1);
						if (nl && o.shell) {
							i += 1 + nl;
							continue;
						}
						if (n === '"' || n === '\\' || n === '$' || n === '`') {
							push(n, i, i + 2);
							i += 2;
							continue;
						}
					}
					if (expansionAt(d)) { continue; }
					push(d, i, i + 1);
					i++;
				}
				if (i < end) { i++; }
				continue;
			}
			if (expansionAt(c)) { continue; }
			push(c, i, i + 1);
			i++;
		}
		return makeWord(wordStart, i, out, starts, ends);
	};

	while (i < end) {
		const c = text[i];
		if (isBlank(c)) {
			i++;
			continue;
		}
		if (c === '\n') {
			i++;
			if (o.shell) {
				endCommand();
				skipHeredocBodies();
			}
			continue;
		}
		if (c === '\\') {
			const nl = isNewlineAt(text, i + 1);
			if (nl) {
				i += 1 + nl;
				if (o.dockerfile) { i = skipDockerLines(i); }
				continue;
			}
		}
		if (o.shell && c === '#') {
			const e = lineEnd(i);
			comments.push({ offset: i, length: e - i });
			i = e;
			continue;
		}
		if (o.shell && OPERATORS.includes(c)) {
			if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
				i += 2;
				const strip = text[i] === '-';
				if (strip) { i++; }
				heredocNext = { strip };
				continue;
			}
			if (c === '<' || c === '>') {
				i++;
				while (i < end && '<>&|'.includes(text[i])) { i++; }
				skipNext = true;
				continue;
			}
			endCommand();
			i++;
			continue;
		}
		const word = readWord();
		if (heredocNext) {
			heredocs.push({ delim: word.text, strip: heredocNext.strip });
			heredocNext = undefined;
			continue;
		}
		if (skipNext) {
			skipNext = false;
			continue;
		}
		// `2>file`, `2>&1`: the digits belong to the redirection
		if (o.shell && (text[i] === '>' || text[i] === '<') && /^\d+$/.test(word.text) && word.length === word.text.length) { continue; }
		current.push(word);
	}
	endCommand();
	return { commands, comments };
}

/**
 * Words lexed from the text of another word (a `sh -c "..."` script, a quoted YAML scalar),
 * mapped back onto the host file.
 */
export function lexInside(outer: CommandWord, o: LexOptions): CommandWord[][] {
	const inner = lexWords(outer.text, 0, outer.text.length, o);
	return inner.commands.map(cmd => cmd.map(w => {
		const starts = w.starts.map(k => outer.starts[k]);
		const ends = w.ends.map(k => outer.ends[k - 1]);
		const offset = w.length ? outer.starts[w.offset] : outer.offset;
		const end = w.length ? outer.ends[w.offset + w.length - 1] : outer.offset;
		return makeWord(offset, end, w.text, starts, ends);
	}));
}
