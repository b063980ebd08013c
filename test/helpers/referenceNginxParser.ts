/**
 * The object-per-node nginx parser the compact one replaced, kept as the oracle of a
 * differential test (test/unit/nginxParserDifferential.test.ts): both must build the same tree.
 *
 * Parser for nginx configuration files, tokenising exactly as ngx_conf_read_token does:
 * an unquoted token ends at blank, `;` or `{` (not at `}`, and `${` does not end it); a quote
 * or `#` only counts at the start of a token; a backslash escapes the next character.
 * `*_by_lua_block` bodies are scanned as Lua (strings, long brackets and comments may hold
 * braces), as lua-nginx-module does.
 *
 * Error-tolerant (every problem is recorded, parsing goes on), linear, iterative (no
 * recursion, so any nesting depth is fine), never throws.
 */
import type { NginxBlock, NginxComment, NginxDirective, NginxFile as FullNginxFile, NginxSyntaxProblem, NginxToken } from '../../server/src/parser/nginx/nodes';

export type NginxFile = Omit<FullNginxFile, 'tree' | 'directive' | 'block' | 'token'>;

export interface NginxParseOptions {
	/**
	 * Tells whether a word is a directive name. With it, a statement that runs onto a new line
	 * starting (no deeper indented) with a directive name is split there and reported as a
	 * missing `;`, instead of swallowing the next directive as arguments.
	 */
	isDirectiveName?: (name: string) => boolean;
	/** Names of blocks whose body is `key value;` data (map, types, ...): no splitting there. */
	isDataBlock?: (name: string) => boolean;
}

interface MutableBlock {
	kind: 'block';
	offset: number;
	length: number;
	open: number;
	close: number;
	children: (NginxDirective | NginxComment)[];
	raw?: { offset: number; length: number };
	index: number;
	owner?: NginxDirective;
	/** A `{` with no directive before it: kept only to balance braces. */
	orphan: boolean;
	data: boolean;
}

interface PendingStatement {
	name: NginxToken;
	args: NginxToken[];
	/** Start of the line the name is on; its column is computed only when a split is considered. */
	nameLineStart: number;
	nameColumn?: number;
}

const LUA_BLOCK = /_by_lua_block$/;

function isSpace(c: number): boolean {
	return c === 32 || c === 9 || c === 10 || c === 13;
}

export function parseNginx(text: string, options: NginxParseOptions = {}): NginxFile {
	const n = text.length;
	const problems: NginxSyntaxProblem[] = [];
	const directives: NginxDirective[] = [];
	const comments: NginxComment[] = [];
	const top: MutableBlock = { kind: 'block', offset: 0, length: n, open: -1, close: -1, children: [], index: 0, orphan: false, data: false };
	const blocks: MutableBlock[] = [top];
	const stack: MutableBlock[] = [top];
	let stmt: PendingStatement | undefined;
	let lineStart = 0;
	let newlineSinceToken = false;
	let i = 0;

	// the nearest real (non-orphan) block of each stack level, kept alongside so lookups are O(1)
	const owners: MutableBlock[] = [top];
	const owningBlock = (): MutableBlock => owners[owners.length - 1];
	const orphanBraces: { offset: number; length: number }[] = [];

	const finish = (terminator: NginxDirective['terminator'], end: number, semicolon: number): NginxDirective => {
		const s = stmt!;
		stmt = undefined;
		const parent = owningBlock();
		const d: NginxDirective = {
			kind: 'directive', name: s.name, args: s.args, terminator, semicolon,
			offset: s.name.offset, length: end - s.name.offset, parent: parent.index,
		};
		parent.children.push(d);
		directives.push(d);
		return d;
	};

	const lastTokenEnd = (): number => {
		const s = stmt!;
		const last = s.args.length ? s.args[s.args.length - 1] : s.name;
		return last.offset + last.length;
	};

	while (i < n) {
		const c = text.charCodeAt(i);
		if (isSpace(c)) {
			if (c === 10) { lineStart = i + 1; newlineSinceToken = true; }
			i++;
			continue;
		}
		if (c === 35 /* # */) {
			let e = text.indexOf('\n', i);
			if (e < 0) { e = n; }
			const comment: NginxComment = { kind: 'comment', offset: i, length: e - i };
			comments.push(comment);
			owningBlock().children.push(comment);
			i = e;
			continue;
		}
		if (c === 59 /* ; */) {
			if (!stmt) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: 'Unexpected ";": there is no directive before it.' });
			} else {
				finish('semicolon', i + 1, i);
			}
			i++;
			continue;
		}
		if (c === 123 /* { */) {
			if (!stmt) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: 'Unexpected "{": there is no directive before it.' });
				const orphan: MutableBlock = { kind: 'block', offset: i, length: 0, open: i, close: -1, children: [], index: -1, orphan: true, data: false };
				stack.push(orphan);
				owners.push(owningBlock());
				i++;
				continue;
			}
			checkRegexBrace(text, i, stmt, problems);
			const outer = owningBlock();
			if (outer.data && outer.owner) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: `Unexpected "{" inside the "${outer.owner.name.value}" block: its entries cannot open a block, so nginx stops here. Probably the "}" that closes it is missing above.` });
			}
			const name = stmt.name.value;
			const d = finish('block', i + 1, -1);
			const block: MutableBlock = {
				kind: 'block', offset: i, length: 1, open: i, close: -1, children: [], index: blocks.length, owner: d, orphan: false,
				data: options.isDataBlock ? options.isDataBlock(name) : false,
			};
			(d as { block?: NginxBlock }).block = block;
			blocks.push(block);
			if (LUA_BLOCK.test(name)) {
				const close = scanLuaBody(text, i + 1);
				block.raw = { offset: i + 1, length: (close < 0 ? n : close) - (i + 1) };
				if (close < 0) {
					problems.push({ kind: 'lua-unterminated', offset: i, length: 1, message: `The Lua block of "${name}" is never closed: no matching "}" was found.` });
					block.length = n - i;
					(d as { length: number }).length = n - d.offset;
					i = n;
				} else {
					block.close = close;
					block.length = close + 1 - i;
					(d as { length: number }).length = close + 1 - d.offset;
					i = close + 1;
				}
				continue;
			}
			stack.push(block);
			owners.push(block);
			i++;
			continue;
		}
		if (c === 125 /* } */) {
			if (stmt) {
				problems.push({ kind: 'missing-semicolon', offset: lastTokenEnd(), length: 0, message: `Missing ";" after "${stmt.name.value}" before "}".` });
				finish('missing', lastTokenEnd(), -1);
			}
			if (stack.length === 1) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: 'Unexpected "}": no block is open here.' });
			} else {
				const closed = stack.pop()!;
				owners.pop();
				if (closed.orphan) { orphanBraces.push({ offset: i, length: 1 }); }
				closeBlock(closed, i);
			}
			i++;
			continue;
		}
		// a token
		const tokStart = i;
		const tok = readToken(text, i, problems);
		i = tok.offset + tok.length;
		const hadNewline = newlineSinceToken;
		newlineSinceToken = false;
		if (!stmt) {
			stmt = { name: tok, args: [], nameLineStart: lineStart };
			continue;
		}
		if (hadNewline && tok.quote === null && options.isDirectiveName && !owningBlock().data && options.isDirectiveName(tok.value)) {
			// the token is the first of its line, so its column costs only its indentation
			stmt.nameColumn ??= visualColumn(text, stmt.nameLineStart, stmt.name.offset);
			if (visualColumn(text, lineStart, tokStart) <= stmt.nameColumn) {
				const at = lastTokenEnd();
				problems.push({ kind: 'missing-semicolon', offset: at, length: 0, message: `Missing ";" after "${stmt.name.value}": the next line starts a new directive.` });
				finish('missing', at, -1);
				stmt = { name: tok, args: [], nameLineStart: lineStart };
				continue;
			}
		}
		stmt.args.push(tok);
	}
	if (stmt) {
		const at = lastTokenEnd();
		problems.push({ kind: 'unexpected-eof', offset: at, length: 0, message: `Unexpected end of file: "${stmt.name.value}" needs ";" or "{".` });
		finish('missing', at, -1);
	}
	for (let k = stack.length - 1; k >= 1; k--) {
		const b = stack[k];
		if (!b.orphan) {
			problems.push({ kind: 'unclosed-block', offset: b.open, length: 1, message: `This "{"${b.owner ? ` of "${b.owner.name.value}"` : ''} is never closed: expected "}" before the end of the file.` });
			b.length = n - b.offset;
			if (b.owner) { (b.owner as { length: number }).length = n - b.owner.offset; }
		}
	}
	return { text, blocks, directives, comments, problems, orphanBraces };
}

/** Column of an offset with tabs counted as 4 columns (indentation is compared, not characters). */
function visualColumn(text: string, lineStart: number, at: number): number {
	let col = 0;
	for (let i = lineStart; i < at; i++) { col += text.charCodeAt(i) === 9 ? 4 - (col % 4) : 1; }
	return col;
}

function closeBlock(b: MutableBlock, at: number): void {
	b.close = at;
	b.length = at + 1 - b.offset;
	if (b.owner) { (b.owner as { length: number }).length = at + 1 - b.owner.offset; }
}

/**
 * A token that keeps only offsets: its text and unescaped value are cut from the source on
 * first use (most arguments are never read as strings), which keeps parsing light on memory.
 */
class Token implements NginxToken {
	private cached: string | undefined;

	constructor(private readonly src: string, readonly offset: number, readonly length: number, readonly quote: '"' | "'" | null, private readonly escaped: boolean) {}

	get raw(): string {
		return this.src.slice(this.offset, this.offset + this.length);
	}

	get value(): string {
		if (this.cached === undefined) {
			const q = this.quote === null ? 0 : 1;
			const end = this.offset + this.length - (q && this.closed() ? 1 : 0);
			this.cached = unescape(this.src.slice(this.offset + q, end), this.escaped);
		}
		return this.cached;
	}

	private closed(): boolean {
		return this.length >= 2 && this.src.charCodeAt(this.offset + this.length - 1) === this.src.charCodeAt(this.offset);
	}
}

/** Reads one token starting at `start` (not blank, not `;{}#` at its start). */
function readToken(text: string, start: number, problems: NginxSyntaxProblem[]): NginxToken {
	const n = text.length;
	const q = text.charCodeAt(start);
	if (q === 34 || q === 39) {
		const quote = q === 34 ? '"' : "'";
		let j = start + 1;
		let escaped = false;
		for (; j < n; j++) {
			const c = text.charCodeAt(j);
			if (c === 92) { escaped = true; j++; continue; }
			if (c === q) { break; }
		}
		if (j >= n) {
			problems.push({ kind: 'unterminated-string', offset: start, length: n - start, message: `This ${q === 34 ? 'double' : 'single'}-quoted string is never closed.` });
			return new Token(text, start, n - start, quote, escaped);
		}
		const end = j + 1;
		if (end < n) {
			const after = text.charCodeAt(end);
			if (!isSpace(after) && after !== 59 && after !== 123 && after !== 41 /* ) */) {
				problems.push({ kind: 'need-space', offset: end, length: 1, message: `Unexpected "${text[end]}" right after a quoted string: nginx needs a space, ";" or "{" there.` });
			}
		}
		return new Token(text, start, end - start, quote, escaped);
	}
	let j = start;
	let variable = false;
	let escaped = false;
	for (; j < n; j++) {
		const c = text.charCodeAt(j);
		if (c === 92 /* \ */) { escaped = true; variable = false; j++; continue; }
		if (c === 123 && variable) { variable = false; continue; }
		variable = c === 36 /* $ */;
		if (c === 32 || c === 9 || c === 13 || c === 10 || c === 59 || c === 123) { break; }
	}
	if (j > n) { j = n; }
	return new Token(text, start, j - start, null, escaped);
}

function unescape(s: string, hasBackslash: boolean): string {
	if (!hasBackslash) { return s; }
	let out = '';
	for (let k = 0; k < s.length; k++) {
		const c = s[k];
		if (c === '\\' && k + 1 < s.length) {
			const d = s[k + 1];
			if (d === '"' || d === "'" || d === '\\') { out += d; k++; continue; }
			if (d === 't') { out += '\t'; k++; continue; }
			if (d === 'r') { out += '\r'; k++; continue; }
			if (d === 'n') { out += '\n'; k++; continue; }
		}
		out += c;
	}
	return out;
}

/** A `{` glued to a regex-looking argument and followed by `n}` or `n,m}` is a regex quantifier. */
function checkRegexBrace(text: string, at: number, stmt: PendingStatement, problems: NginxSyntaxProblem[]): void {
	const last = stmt.args.length ? stmt.args[stmt.args.length - 1] : undefined;
	if (!last || last.quote !== null || last.offset + last.length !== at) { return; }
	if (!/^\d+(,\d*)?\}/.test(text.slice(at + 1, at + 12))) { return; }
	problems.push({
		kind: 'regex-brace', offset: last.offset, length: at + 1 - last.offset,
		message: 'A "{" inside an unquoted regular expression ends the argument for nginx and opens a block. Put the regular expression in quotes.',
	});
}

/**
 * Scans a Lua body starting just after `{`; returns the offset of the matching `}` or -1.
 * Braces inside strings, long strings and comments do not count.
 */
export function scanLuaBody(text: string, start: number): number {
	const n = text.length;
	let depth = 1;
	let i = start;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
			const level = longBracketLevel(text, i + 2);
			if (level >= 0) {
				i = skipLongBracket(text, i + 2, level);
			} else {
				const e = text.indexOf('\n', i);
				i = e < 0 ? n : e + 1;
			}
			continue;
		}
		if (c === 34 || c === 39) {
			let j = i + 1;
			for (; j < n; j++) {
				const d = text.charCodeAt(j);
				if (d === 92) { j++; continue; }
				if (d === c || d === 10) { break; }
			}
			i = j + 1;
			continue;
		}
		if (c === 91 /* [ */) {
			const level = longBracketLevel(text, i);
			if (level >= 0) {
				i = skipLongBracket(text, i, level);
				continue;
			}
		}
		if (c === 123) { depth++; } else if (c === 125) {
			depth--;
			if (depth === 0) { return i; }
		}
		i++;
	}
	return -1;
}

/** At `[` followed by `=`* and `[`: the number of `=`; otherwise -1. */
function longBracketLevel(text: string, at: number): number {
	if (text.charCodeAt(at) !== 91) { return -1; }
	let k = at + 1;
	while (text.charCodeAt(k) === 61) { k++; }
	return text.charCodeAt(k) === 91 ? k - at - 1 : -1;
}

function skipLongBracket(text: string, at: number, level: number): number {
	const close = ']' + '='.repeat(level) + ']';
	const e = text.indexOf(close, at + level + 2);
	return e < 0 ? text.length : e + close.length;
}

/**
 * Every non-blank span of the file in order: tokens as written, `;`, `{`, `}`, comments, Lua
 * bodies, stray characters. Blank text lies between them; nothing else does.
 */
export function nginxPieces(file: NginxFile): { offset: number; length: number }[] {
	const pieces: { offset: number; length: number }[] = [];
	for (const c of file.comments) { pieces.push(c); }
	for (const d of file.directives) {
		pieces.push(d.name);
		for (const a of d.args) { pieces.push(a); }
		if (d.semicolon >= 0) { pieces.push({ offset: d.semicolon, length: 1 }); }
		const b = d.block;
		if (b) {
			pieces.push({ offset: b.open, length: 1 });
			if (b.raw) { pieces.push(b.raw); }
			if (b.close >= 0) { pieces.push({ offset: b.close, length: 1 }); }
		}
	}
	for (const p of file.problems) {
		if (p.kind === 'unexpected') { pieces.push({ offset: p.offset, length: p.length }); }
	}
	for (const b of file.orphanBraces) { pieces.push(b); }
	return pieces.sort((a, b) => a.offset - b.offset);
}

/**
 * Prints the file back from its nodes; blank runs between nodes are copied. Equal to the input
 * for every input: a byte that no node covers would be lost and shows up as a difference.
 */
export function printNginx(file: NginxFile): string {
	const pieces = nginxPieces(file);
	const text = file.text;
	let out = '';
	let pos = 0;
	for (const p of pieces) {
		if (p.offset < pos) { continue; }
		const gap = text.slice(pos, p.offset);
		out += /^[ \t\r\n]*$/.test(gap) ? gap : '';
		out += text.slice(p.offset, p.offset + p.length);
		pos = p.offset + p.length;
	}
	const tail = text.slice(pos);
	out += /^[ \t\r\n]*$/.test(tail) ? tail : '';
	return out;
}
