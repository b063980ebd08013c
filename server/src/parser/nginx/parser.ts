/**
 * Parser for nginx configuration files, tokenising exactly as ngx_conf_read_token does:
 * an unquoted token ends at blank, `;` or `{` (not at `}`, and `${` does not end it); a quote
 * or `#` only counts at the start of a token; a backslash escapes the next character.
 * `*_by_lua_block` bodies are scanned as Lua (strings, long brackets and comments may hold
 * braces), as lua-nginx-module does.
 *
 * Error-tolerant (every problem is recorded, parsing goes on), linear, iterative (no
 * recursion, so any nesting depth is fine), never throws.
 */
import type { NameTable } from '../../utils/nameTable';
import {
	TERM_BLOCK, TERM_MISSING, TERM_SEMICOLON, TOKEN_DOUBLE_QUOTED, TOKEN_ESCAPED, TOKEN_SINGLE_QUOTED,
	type NginxBlock, type NginxComment, type NginxDirective, type NginxFile, type NginxSyntaxProblem, type NginxToken, type NginxTree,
} from './nodes';

export interface NginxParseOptions {
	/**
	 * Tells whether a word is a directive name. With it, a statement that runs onto a new line
	 * starting (no deeper indented) with a directive name is split there and reported as a
	 * missing `;`, instead of swallowing the next directive as arguments.
	 */
	isDirectiveName?: (name: string) => boolean;
	/** Names of blocks whose body is `key value;` data (map, types, ...): no splitting there. */
	isDataBlock?: (name: string) => boolean;
	/**
	 * Directive names to intern: each directive gets the id of its name (NginxTree.dirId). With
	 * it, the table answers isDirectiveName (a name is one when the table holds it) ...
	 */
	names?: NameTable;
	/** ... and this answers isDataBlock, by id. */
	dataBlockIds?: Uint8Array;
}

/** A growable Int32Array. */
class Ints {
	a: Int32Array;
	n = 0;
	constructor(capacity: number) { this.a = new Int32Array(Math.max(16, capacity)); }
	push(v: number): number {
		if (this.n === this.a.length) { this.grow(); }
		this.a[this.n] = v;
		return this.n++;
	}
	grow(): void {
		const b = new Int32Array(this.a.length * 2);
		b.set(this.a);
		this.a = b;
	}
	done(): Int32Array { return this.a.subarray(0, this.n); }
}

class Bytes {
	a: Uint8Array;
	n = 0;
	constructor(capacity: number) { this.a = new Uint8Array(Math.max(16, capacity)); }
	push(v: number): void {
		if (this.n === this.a.length) {
			const b = new Uint8Array(this.a.length * 2);
			b.set(this.a);
			this.a = b;
		}
		this.a[this.n++] = v;
	}
	done(): Uint8Array { return this.a.subarray(0, this.n); }
}

/** Character classes for the scanner: 1 blank, 2 `;` `{` (end an unquoted token), 3 `}`, 4 `#`, 5 quote. */
const CLASS = new Uint8Array(128);
CLASS[32] = CLASS[9] = CLASS[10] = CLASS[13] = 1;
CLASS[59] = CLASS[123] = 2;
CLASS[125] = 3;
CLASS[35] = 4;
CLASS[34] = CLASS[39] = 5;

const LUA_SUFFIX = '_by_lua_block';

function isSpace(c: number): boolean {
	return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Parses a file into the compact tree (NginxFile.tree); the object views (directives, blocks,
 * tokens) are created from it on first use.
 */
export function parseNginx(text: string, options: NginxParseOptions = {}): NginxFile {
	const n = text.length;
	const names = options.names;
	const dataBlockIds = options.dataBlockIds;
	const problems: NginxSyntaxProblem[] = [];
	const comments: NginxComment[] = [];
	const commentParent: number[] = [];
	/** How many directives were finished when each comment was seen (children order). */
	const commentAfter: number[] = [];
	const orphanBraces: { offset: number; length: number }[] = [];

	// capacities from typical configs (about 15 bytes a token, 36 a directive, 170 a block); they grow when short
	const guess = ((n / 14) | 0) + 16;
	const tokStart = new Ints(guess);
	const tokEnd = new Ints(guess);
	const tokFlags = new Bytes(guess);
	const dGuess = ((n / 32) | 0) + 16;
	const dirTok = new Ints(dGuess);
	const dirArgc = new Ints(dGuess);
	const dirId = new Ints(dGuess);
	const dirParent = new Ints(dGuess);
	const dirEnd = new Ints(dGuess);
	const dirSemi = new Ints(dGuess);
	const dirBlock = new Ints(dGuess);
	const dirTerm = new Bytes(dGuess);
	const dirNext = new Ints(dGuess);
	const bGuess = ((n / 160) | 0) + 16;
	const blockOpen = new Ints(bGuess);
	const blockClose = new Ints(bGuess);
	const blockEnd = new Ints(bGuess);
	const blockOwner = new Ints(bGuess);
	const blockFirst = new Ints(bGuess);
	const blockLast = new Ints(bGuess);
	const blockRawEnd = new Ints(bGuess);
	const blockData = new Bytes(bGuess);

	const addBlock = (open: number, owner: number, data: number): number => {
		blockOpen.push(open);
		blockClose.push(-1);
		blockEnd.push(open + 1);
		blockOwner.push(owner);
		blockFirst.push(-1);
		blockLast.push(-1);
		blockRawEnd.push(-1);
		blockData.push(data);
		return blockOpen.n - 1;
	};
	addBlock(-1, -1, 0);
	blockEnd.a[0] = n;

	// the open blocks: a real block's index, or -1 for a `{` with no directive (kept to balance braces)
	const stack: number[] = [0];
	// the nearest real block of each stack level, kept alongside so lookups are O(1)
	const owners: number[] = [0];
	let owner = 0;

	// the pending statement: its name token (-1: none), the start of the line the name is on
	let stmt = -1;
	let stmtLineStart = 0;
	let stmtColumn = -1;
	let lineStart = 0;
	let newlineSinceToken = false;
	let i = 0;

	const valueOf = (t: number): string => tokenValue(text, tokStart.a[t], tokEnd.a[t], tokFlags.a[t]);

	/** Finishes the pending statement with `argc` arguments; returns the directive index. */
	const finish = (argc: number, term: number, end: number, semicolon: number): number => {
		const t = stmt;
		stmt = -1;
		const d = dirTok.push(t);
		dirArgc.push(argc);
		let id = -1;
		if (names) {
			const f = tokFlags.a[t];
			id = f === 0 ? names.idAt(text, tokStart.a[t], tokEnd.a[t]) : names.id(valueOf(t));
		}
		dirId.push(id);
		dirParent.push(owner);
		dirEnd.push(end);
		dirSemi.push(semicolon);
		dirBlock.push(-1);
		dirTerm.push(term);
		dirNext.push(-1);
		const last = blockLast.a[owner];
		if (last < 0) { blockFirst.a[owner] = d; } else { dirNext.a[last] = d; }
		blockLast.a[owner] = d;
		return d;
	};

	const lastTokenEnd = (): number => tokEnd.a[tokStart.n - 1];

	while (i < n) {
		const c = text.charCodeAt(i);
		const k = c < 128 ? CLASS[c] : 0;
		if (k === 1) {
			if (c === 10) { lineStart = i + 1; newlineSinceToken = true; }
			i++;
			continue;
		}
		if (k === 4) {
			let e = text.indexOf('\n', i);
			if (e < 0) { e = n; }
			comments.push({ kind: 'comment', offset: i, length: e - i });
			commentParent.push(owner);
			commentAfter.push(dirTok.n);
			i = e;
			continue;
		}
		if (c === 59 /* ; */) {
			if (stmt < 0) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: 'Unexpected ";": there is no directive before it.' });
			} else {
				finish(tokStart.n - stmt - 1, TERM_SEMICOLON, i + 1, i);
			}
			i++;
			continue;
		}
		if (c === 123 /* { */) {
			if (stmt < 0) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: 'Unexpected "{": there is no directive before it.' });
				stack.push(-1);
				owners.push(owner);
				i++;
				continue;
			}
			checkRegexBrace(text, i, stmt, tokStart, tokEnd, tokFlags, problems);
			const nameTok = stmt;
			const d = finish(tokStart.n - stmt - 1, TERM_BLOCK, i + 1, -1);
			const id = dirId.a[d];
			let data = 0;
			if (names) {
				data = id >= 0 && dataBlockIds ? dataBlockIds[id] : 0;
			} else if (options.isDataBlock) {
				data = options.isDataBlock(valueOf(nameTok)) ? 1 : 0;
			}
			const b = addBlock(i, d, data);
			dirBlock.a[d] = b;
			if (isLuaBlockName(text, tokStart.a[nameTok], tokEnd.a[nameTok], tokFlags.a[nameTok])) {
				const close = scanLuaBody(text, i + 1);
				if (close < 0) {
					problems.push({ kind: 'lua-unterminated', offset: i, length: 1, message: `The Lua block of "${valueOf(nameTok)}" is never closed: no matching "}" was found.` });
					blockRawEnd.a[b] = n;
					blockEnd.a[b] = n;
					dirEnd.a[d] = n;
					i = n;
				} else {
					blockRawEnd.a[b] = close;
					blockClose.a[b] = close;
					blockEnd.a[b] = close + 1;
					dirEnd.a[d] = close + 1;
					i = close + 1;
				}
				continue;
			}
			stack.push(b);
			owners.push(b);
			owner = b;
			i++;
			continue;
		}
		if (c === 125 /* } */) {
			if (stmt >= 0) {
				problems.push({ kind: 'missing-semicolon', offset: lastTokenEnd(), length: 0, message: `Missing ";" after "${valueOf(stmt)}" before "}".` });
				finish(tokStart.n - stmt - 1, TERM_MISSING, lastTokenEnd(), -1);
			}
			if (stack.length === 1) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: 'Unexpected "}": no block is open here.' });
			} else {
				const closed = stack.pop()!;
				owners.pop();
				owner = owners[owners.length - 1];
				if (closed < 0) {
					orphanBraces.push({ offset: i, length: 1 });
				} else {
					blockClose.a[closed] = i;
					blockEnd.a[closed] = i + 1;
					dirEnd.a[blockOwner.a[closed]] = i + 1;
				}
			}
			i++;
			continue;
		}
		// a token
		const tokStartAt = i;
		let flags = 0;
		let j = i;
		if (k === 5) {
			flags = c === 34 ? TOKEN_DOUBLE_QUOTED : TOKEN_SINGLE_QUOTED;
			for (j = i + 1; j < n; j++) {
				const x = text.charCodeAt(j);
				if (x === 92) { flags |= TOKEN_ESCAPED; j++; continue; }
				if (x === c) { break; }
			}
			if (j >= n) {
				problems.push({ kind: 'unterminated-string', offset: i, length: n - i, message: `This ${c === 34 ? 'double' : 'single'}-quoted string is never closed.` });
				j = n;
			} else {
				j++;
				if (j < n) {
					const after = text.charCodeAt(j);
					if (!isSpace(after) && after !== 59 && after !== 123 && after !== 41 /* ) */) {
						problems.push({ kind: 'need-space', offset: j, length: 1, message: `Unexpected "${text[j]}" right after a quoted string: nginx needs a space, ";" or "{" there.` });
					}
				}
			}
		} else {
			let variable = false;
			for (; j < n; j++) {
				const x = text.charCodeAt(j);
				if (x === 92 /* \ */) { flags = TOKEN_ESCAPED; variable = false; j++; continue; }
				if (x < 128) {
					const xk = CLASS[x];
					if (xk === 1) { break; }
					if (x === 59) { break; }
					if (x === 123) {
						if (!variable) { break; }
						variable = false;
						continue;
					}
				}
				variable = x === 36 /* $ */;
			}
			if (j > n) { j = n; }
		}
		i = j;
		const tok = tokStart.push(tokStartAt);
		tokEnd.push(j);
		tokFlags.push(flags);
		const hadNewline = newlineSinceToken;
		newlineSinceToken = false;
		if (stmt < 0) {
			stmt = tok;
			stmtLineStart = lineStart;
			stmtColumn = -1;
			continue;
		}
		if (hadNewline && (flags & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) === 0 && blockData.a[owner] === 0
			&& (names || options.isDirectiveName) && isDirectiveToken(text, tokStartAt, j, flags, options)) {
			// the token is the first of its line, so its column costs only its indentation
			if (stmtColumn < 0) { stmtColumn = visualColumn(text, stmtLineStart, tokStart.a[stmt]); }
			if (visualColumn(text, lineStart, tokStartAt) <= stmtColumn) {
				const at = tokEnd.a[tok - 1];
				problems.push({ kind: 'missing-semicolon', offset: at, length: 0, message: `Missing ";" after "${valueOf(stmt)}": the next line starts a new directive.` });
				finish(tok - stmt - 1, TERM_MISSING, at, -1);
				stmt = tok;
				stmtLineStart = lineStart;
				stmtColumn = -1;
				continue;
			}
		}
	}
	if (stmt >= 0) {
		const at = lastTokenEnd();
		problems.push({ kind: 'unexpected-eof', offset: at, length: 0, message: `Unexpected end of file: "${valueOf(stmt)}" needs ";" or "{".` });
		finish(tokStart.n - stmt - 1, TERM_MISSING, at, -1);
	}
	for (let s = stack.length - 1; s >= 1; s--) {
		const b = stack[s];
		if (b >= 0) {
			const d = blockOwner.a[b];
			problems.push({ kind: 'unclosed-block', offset: blockOpen.a[b], length: 1, message: `This "{" of "${valueOf(dirTok.a[d])}" is never closed: expected "}" before the end of the file.` });
			blockEnd.a[b] = n;
			dirEnd.a[d] = n;
		}
	}
	const tree: NginxTree = {
		tokenCount: tokStart.n, tokStart: tokStart.done(), tokEnd: tokEnd.done(), tokFlags: tokFlags.done(),
		directiveCount: dirTok.n, dirTok: dirTok.done(), dirArgc: dirArgc.done(), dirId: dirId.done(), dirParent: dirParent.done(),
		dirEnd: dirEnd.done(), dirSemi: dirSemi.done(), dirBlock: dirBlock.done(), dirTerm: dirTerm.done(), dirNext: dirNext.done(),
		blockCount: blockOpen.n, blockOpen: blockOpen.done(), blockClose: blockClose.done(), blockEnd: blockEnd.done(),
		blockOwner: blockOwner.done(), blockFirst: blockFirst.done(), blockRawEnd: blockRawEnd.done(), names,
	};
	return new ParsedNginxFile(text, tree, comments, Int32Array.from(commentParent), Int32Array.from(commentAfter), problems, orphanBraces);
}

/** The value of a token: quotes removed, escapes resolved. */
export function tokenValue(text: string, start: number, end: number, flags: number): string {
	if (flags === 0) { return text.slice(start, end); }
	const quoted = (flags & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) !== 0;
	const q = quoted ? 1 : 0;
	const closed = quoted && end - start >= 2 && text.charCodeAt(end - 1) === text.charCodeAt(start);
	return unescape(text.slice(start + q, end - (closed ? 1 : 0)), (flags & TOKEN_ESCAPED) !== 0);
}

function isLuaBlockName(text: string, start: number, end: number, flags: number): boolean {
	if (flags !== 0) { return tokenValue(text, start, end, flags).endsWith(LUA_SUFFIX); }
	const len = LUA_SUFFIX.length;
	if (end - start < len || text.charCodeAt(end - 1) !== 107 /* k */) { return false; }
	return text.startsWith(LUA_SUFFIX, end - len);
}

function isDirectiveToken(text: string, start: number, end: number, flags: number, options: NginxParseOptions): boolean {
	if (options.names) {
		return (flags === 0 ? options.names.idAt(text, start, end) : options.names.id(tokenValue(text, start, end, flags))) >= 0;
	}
	return options.isDirectiveName!(tokenValue(text, start, end, flags));
}

/** Column of an offset with tabs counted as 4 columns (indentation is compared, not characters). */
function visualColumn(text: string, lineStart: number, at: number): number {
	let col = 0;
	for (let i = lineStart; i < at; i++) { col += text.charCodeAt(i) === 9 ? 4 - (col % 4) : 1; }
	return col;
}

/**
 * A token view: it keeps only offsets; its text and unescaped value are cut from the source on
 * first use (most arguments are never read as strings).
 */
class Token implements NginxToken {
	private cached: string | undefined;

	constructor(private readonly src: string, readonly offset: number, readonly length: number, private readonly flags: number) {}

	get quote(): '"' | "'" | null {
		return this.flags & TOKEN_DOUBLE_QUOTED ? '"' : this.flags & TOKEN_SINGLE_QUOTED ? "'" : null;
	}

	get raw(): string {
		return this.src.slice(this.offset, this.offset + this.length);
	}

	get value(): string {
		if (this.cached === undefined) { this.cached = tokenValue(this.src, this.offset, this.offset + this.length, this.flags); }
		return this.cached;
	}
}

class DirectiveView implements NginxDirective {
	readonly kind = 'directive';
	readonly name: NginxToken;
	readonly offset: number;
	readonly length: number;
	readonly parent: number;
	readonly semicolon: number;
	readonly terminator: NginxDirective['terminator'];
	private argList: NginxToken[] | undefined;

	constructor(private readonly file: ParsedNginxFile, private readonly index: number) {
		const t = file.tree;
		const tok = t.dirTok[index];
		this.name = file.token(tok);
		this.offset = t.tokStart[tok];
		this.length = t.dirEnd[index] - this.offset;
		this.parent = t.dirParent[index];
		this.semicolon = t.dirSemi[index];
		const term = t.dirTerm[index];
		this.terminator = term === TERM_SEMICOLON ? 'semicolon' : term === TERM_BLOCK ? 'block' : 'missing';
	}

	get args(): readonly NginxToken[] {
		if (!this.argList) {
			const t = this.file.tree;
			const first = t.dirTok[this.index] + 1;
			const list: NginxToken[] = new Array(t.dirArgc[this.index]);
			for (let k = 0; k < list.length; k++) { list[k] = this.file.token(first + k); }
			this.argList = list;
		}
		return this.argList;
	}

	get block(): NginxBlock | undefined {
		const b = this.file.tree.dirBlock[this.index];
		return b < 0 ? undefined : this.file.block(b);
	}
}

class BlockView implements NginxBlock {
	readonly kind = 'block';
	readonly offset: number;
	readonly length: number;
	readonly open: number;
	readonly close: number;
	readonly raw?: { offset: number; length: number };
	private childList: (NginxDirective | NginxComment)[] | undefined;

	constructor(private readonly file: ParsedNginxFile, readonly index: number) {
		const t = file.tree;
		this.open = t.blockOpen[index];
		this.close = t.blockClose[index];
		this.offset = index === 0 ? 0 : this.open;
		this.length = t.blockEnd[index] - this.offset;
		const rawEnd = t.blockRawEnd[index];
		if (rawEnd >= 0) { this.raw = { offset: this.open + 1, length: rawEnd - (this.open + 1) }; }
	}

	get owner(): NginxDirective | undefined {
		const d = this.file.tree.blockOwner[this.index];
		return d < 0 ? undefined : this.file.directive(d);
	}

	get children(): readonly (NginxDirective | NginxComment)[] {
		if (!this.childList) { this.childList = this.file.childrenOf(this.index); }
		return this.childList;
	}
}

/** The file as the parser returns it: the compact tree, with object views made on demand. */
class ParsedNginxFile implements NginxFile {
	// filled on first use (a packed array of the tree's size: writing far past the end of an empty one would make it a slow dictionary)
	private tokenViews: (Token | undefined)[] | undefined;
	private directiveViews: (DirectiveView | undefined)[] | undefined;
	private blockViews: (BlockView | undefined)[] | undefined;
	private allDirectives: NginxDirective[] | undefined;
	private allBlocks: NginxBlock[] | undefined;
	private commentsByBlock: Map<number, number[]> | undefined;

	constructor(
		readonly text: string, readonly tree: NginxTree, readonly comments: readonly NginxComment[],
		private readonly commentParent: Int32Array, private readonly commentAfter: Int32Array,
		readonly problems: readonly NginxSyntaxProblem[], readonly orphanBraces: readonly { offset: number; length: number }[],
	) {}

	token(t: number): Token {
		const views = (this.tokenViews ??= new Array<Token | undefined>(this.tree.tokenCount).fill(undefined));
		return (views[t] ??= new Token(this.text, this.tree.tokStart[t], this.tree.tokEnd[t] - this.tree.tokStart[t], this.tree.tokFlags[t]));
	}

	directive(d: number): DirectiveView {
		const views = (this.directiveViews ??= new Array<DirectiveView | undefined>(this.tree.directiveCount).fill(undefined));
		return (views[d] ??= new DirectiveView(this, d));
	}

	block(b: number): BlockView {
		const views = (this.blockViews ??= new Array<BlockView | undefined>(this.tree.blockCount).fill(undefined));
		return (views[b] ??= new BlockView(this, b));
	}

	get directives(): readonly NginxDirective[] {
		if (!this.allDirectives) {
			const list: NginxDirective[] = new Array(this.tree.directiveCount);
			for (let d = 0; d < list.length; d++) { list[d] = this.directive(d); }
			this.allDirectives = list;
		}
		return this.allDirectives;
	}

	get blocks(): readonly NginxBlock[] {
		if (!this.allBlocks) {
			const list: NginxBlock[] = new Array(this.tree.blockCount);
			for (let b = 0; b < list.length; b++) { list[b] = this.block(b); }
			this.allBlocks = list;
		}
		return this.allBlocks;
	}

	/** Directives and comments of a block in the order the parser met their ends. */
	childrenOf(b: number): (NginxDirective | NginxComment)[] {
		if (!this.commentsByBlock) {
			this.commentsByBlock = new Map();
			for (let c = 0; c < this.comments.length; c++) {
				const p = this.commentParent[c];
				const list = this.commentsByBlock.get(p);
				if (list) { list.push(c); } else { this.commentsByBlock.set(p, [c]); }
			}
		}
		const out: (NginxDirective | NginxComment)[] = [];
		const cs = this.commentsByBlock.get(b) ?? [];
		let k = 0;
		for (let d = this.tree.blockFirst[b]; d >= 0; d = this.tree.dirNext[d]) {
			while (k < cs.length && this.commentAfter[cs[k]] <= d) { out.push(this.comments[cs[k++]]); }
			out.push(this.directive(d));
		}
		while (k < cs.length) { out.push(this.comments[cs[k++]]); }
		return out;
	}
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
function checkRegexBrace(text: string, at: number, stmt: number, tokStart: Ints, tokEnd: Ints, tokFlags: Bytes, problems: NginxSyntaxProblem[]): void {
	const last = tokStart.n - 1;
	if (last <= stmt) { return; }
	if ((tokFlags.a[last] & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) !== 0 || tokEnd.a[last] !== at) { return; }
	if (!/^\d+(,\d*)?\}/.test(text.slice(at + 1, at + 12))) { return; }
	problems.push({
		kind: 'regex-brace', offset: tokStart.a[last], length: at + 1 - tokStart.a[last],
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
