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

function grow32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
	const b = new Int32Array(size);
	b.set(a);
	return b;
}

function grow8(a: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
	const b = new Uint8Array(size);
	b.set(a);
	return b;
}

const LUA_SUFFIX = '_by_lua_block';

// The flags and terminators the scanner writes, as constants of this module: an imported name
// compiles to a property load from the other module's exports at each use (5% of a parse).
const DOUBLE_QUOTED = TOKEN_DOUBLE_QUOTED;
const SINGLE_QUOTED = TOKEN_SINGLE_QUOTED;
const QUOTED = TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED;
const ESCAPED = TOKEN_ESCAPED;
const ENDS_SEMICOLON = TERM_SEMICOLON;
const ENDS_BLOCK = TERM_BLOCK;
const ENDS_MISSING = TERM_MISSING;
/** Four spaces, read as one little-endian word. */
const FOUR_SPACES = 0x20202020;
/** The id of a plain directive name not looked up yet (namesOf). */
const PENDING = -2;

const encoder = new TextEncoder();

/**
 * An ArrayBuffer of `size` bytes whose contents are left as they were (every byte is written
 * before the tree is returned): in Node, one not zeroed first; elsewhere, a plain one.
 */
const uninitialized: (size: number) => ArrayBuffer = typeof Buffer === 'function' && typeof Buffer.allocUnsafeSlow === 'function'
	? size => Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer
	: size => new ArrayBuffer(size);

/**
 * The parser's working arrays: the text as bytes (see fillBytes) and the tree's columns, with
 * room to grow. They are kept from one parse to the next (the tree is copied out of them, cut to
 * size, at the end), so a parse allocates and zeroes only what it returns; what stays is the
 * size of the largest file parsed (up to KEEP_WORK_CHARS), about 3 bytes per character. A parse
 * takes them (spare = undefined) while it runs, so a parse started from inside another (an
 * option callback) gets its own.
 */
class Work {
	bytes = new Uint8Array(0);
	/** The bytes again, for reading four at a time (NameTable.idInBytes). */
	view = new DataView(this.bytes.buffer);
	tokStart = new Int32Array(0);
	tokEnd = new Int32Array(0);
	tokFlags = new Uint8Array(0);
	dirTok = new Int32Array(0);
	dirArgc = new Int32Array(0);
	dirId = new Int32Array(0);
	dirParent = new Int32Array(0);
	dirEnd = new Int32Array(0);
	dirSemi = new Int32Array(0);
	dirBlock = new Int32Array(0);
	dirNext = new Int32Array(0);
	dirTerm = new Uint8Array(0);
	dirDollar = new Uint8Array(0);
	blockOpen = new Int32Array(0);
	blockClose = new Int32Array(0);
	blockEnd = new Int32Array(0);
	blockOwner = new Int32Array(0);
	blockFirst = new Int32Array(0);
	blockLast = new Int32Array(0);
	blockRawEnd = new Int32Array(0);
	blockData = new Uint8Array(0);
}

let spare: Work | undefined;
/** The largest text whose working arrays are kept for the next parse (about 24 MB of them). */
const KEEP_WORK_CHARS = 8 << 20;

/** The working arrays, with room for the text and a typical tree of its size. */
function takeWork(text: string): Work {
	const w = spare ?? new Work();
	spare = undefined;
	const n = text.length;
	if (w.bytes.length < n + 4) {
		// room for the 0 after the text, a word read there (up to 3 bytes more) and growth
		w.bytes = new Uint8Array(n + 4 + (n >> 4));
		w.view = new DataView(w.bytes.buffer);
	}
	fillBytes(text, w.bytes);
	// capacities from typical configs (about 15 bytes a token, 36 a directive, 170 a block); they grow when short
	const tCap = ((n / 14) | 0) + 16;
	if (w.tokStart.length < tCap) {
		w.tokStart = new Int32Array(tCap);
		w.tokEnd = new Int32Array(tCap);
		w.tokFlags = new Uint8Array(tCap);
	}
	const dCap = ((n / 32) | 0) + 16;
	if (w.dirTok.length < dCap) {
		w.dirTok = new Int32Array(dCap);
		w.dirArgc = new Int32Array(dCap);
		w.dirId = new Int32Array(dCap);
		w.dirParent = new Int32Array(dCap);
		w.dirEnd = new Int32Array(dCap);
		w.dirSemi = new Int32Array(dCap);
		w.dirBlock = new Int32Array(dCap);
		w.dirNext = new Int32Array(dCap);
		w.dirTerm = new Uint8Array(dCap);
		w.dirDollar = new Uint8Array(dCap);
	}
	const bCap = ((n / 160) | 0) + 16;
	if (w.blockOpen.length < bCap) {
		w.blockOpen = new Int32Array(bCap);
		w.blockClose = new Int32Array(bCap);
		w.blockEnd = new Int32Array(bCap);
		w.blockOwner = new Int32Array(bCap);
		w.blockFirst = new Int32Array(bCap);
		w.blockLast = new Int32Array(bCap);
		w.blockRawEnd = new Int32Array(bCap);
		w.blockData = new Uint8Array(bCap);
	}
	return w;
}

/**
 * Writes the text as one byte per UTF-16 unit, followed by a 0: each ASCII character as itself,
 * any other as 128 (the scanner only tells ASCII delimiters apart). Reading a byte array is
 * cheaper than `charCodeAt`, which checks how the string is stored at every call; the trailing 0
 * stops the blank and token loops at the end without a bounds test. An ASCII text (nearly every
 * config) is copied natively by `encodeInto`; any other is copied in a loop.
 */
function fillBytes(text: string, bytes: Uint8Array): void {
	const n = text.length;
	const done = encoder.encodeInto(text, bytes.subarray(0, n));
	if (done.read !== n || done.written !== n) {
		// a character beyond ASCII: UTF-8 has moved the bytes after it, so copy unit by unit
		for (let k = 0; k < n; k++) {
			const c = text.charCodeAt(k);
			bytes[k] = c < 128 ? c : 128;
		}
	}
	bytes[n] = 0;
}

/**
 * 1 for the bytes that continue an unquoted token with nothing to note: all but blanks, ";",
 * "{", "$", "\\" and 0 (which may be the end of the text).
 */
const PLAIN = new Uint8Array(256).fill(1);
for (const c of [0, 9, 10, 13, 32, 36, 59, 92, 123]) { PLAIN[c] = 0; }

/**
 * Parses a file into the compact tree (NginxFile.tree); the object views (directives, blocks,
 * tokens) are created from it on first use. One pass over the text; tokens, directives and
 * blocks go straight into typed arrays that grow by doubling.
 *
 * Written for speed:
 * - all mutable state is in locals of this one function and no closure captures any of it, so
 *   V8 keeps it in registers instead of a context object that every access would load from;
 * - a directive gets its index when its name is read (statements never nest: one ends before
 *   the next begins, so this is the order of their ends too), and its fixed fields and its link
 *   into the parent block are written then; the end of the statement writes only the five that
 *   depend on how it ends. The directive code is written out where it is needed (no helper call);
 * - no small helper is called on a path only some texts take (a quoted string, a comment). V8
 *   compiles this function while it runs (its loop is long) and writes such a helper into it;
 *   a helper called fewer than about eight times before that has recorded nothing about its
 *   values, so the compiled code gives up when a later text takes that path, and from then on
 *   each parse starts slow and switches to code compiled inside the loop, about a quarter
 *   slower. For the same reason no array is filled with objects inside the scan (comments).
 */
export function parseNginx(text: string, options: NginxParseOptions = {}): NginxFile {
	const n = text.length;
	const names = options.names;
	const dataBlockIds = options.dataBlockIds;
	const splitting = names !== undefined || options.isDirectiveName !== undefined;
	const problems: NginxSyntaxProblem[] = [];
	// comments as offsets (their objects are made after the scan: see commentNodes)
	const commentStart: number[] = [];
	const commentEnd: number[] = [];
	const commentParent: number[] = [];
	/** How many directives were finished when each comment was seen (children order). */
	const commentAfter: number[] = [];
	const orphanBraces: { offset: number; length: number }[] = [];

	const plain = PLAIN;
	const work = takeWork(text);
	const src = work.bytes;
	const view = work.view;
	let tokStart = work.tokStart;
	let tokEnd = work.tokEnd;
	let tokFlags = work.tokFlags;
	let tCap = tokStart.length;
	let tn = 0;
	let dirTok = work.dirTok;
	let dirArgc = work.dirArgc;
	let dirId = work.dirId;
	let dirParent = work.dirParent;
	let dirEnd = work.dirEnd;
	let dirSemi = work.dirSemi;
	let dirBlock = work.dirBlock;
	let dirNext = work.dirNext;
	let dirTerm = work.dirTerm;
	let dirDollar = work.dirDollar;
	let dCap = dirTok.length;
	let dn = 0;
	let blockOpen = work.blockOpen;
	let blockClose = work.blockClose;
	let blockEnd = work.blockEnd;
	let blockOwner = work.blockOwner;
	let blockFirst = work.blockFirst;
	let blockLast = work.blockLast;
	let blockRawEnd = work.blockRawEnd;
	let blockData = work.blockData;
	let bCap = blockOpen.length;
	let bn = 1;
	// block 0: the file's top level
	blockOpen[0] = -1;
	blockClose[0] = -1;
	blockEnd[0] = n;
	blockOwner[0] = -1;
	blockFirst[0] = -1;
	blockLast[0] = -1;
	blockRawEnd[0] = -1;

	// the open blocks: a real block's index, or -1 for a `{` with no directive (kept to balance braces)
	const stack: number[] = [0];
	// the nearest real block of each stack level, kept alongside so lookups are O(1)
	const owners: number[] = [0];
	let owner = 0;

	// the pending statement: its name token (-1: none), its directive, the start of the line the name is on
	let stmt = -1;
	let sd = -1;
	let stmtLineStart = 0;
	let stmtColumn = -1;
	/** An argument of the pending statement holds a `$`. */
	let stmtDollar = 0;
	let lineStart = 0;
	let newlineSinceToken = false;
	let i = 0;

	while (i < n) {
		let c = src[i];
		// blanks: runs of spaces (indentation) in a tight loop, stopped at the end by the trailing 0
		if (c === 32 || c === 9) {
			do { c = src[++i]; } while (c === 32 || c === 9);
			if (i >= n) { break; }
		}
		if (c === 10) {
			lineStart = ++i;
			newlineSinceToken = true;
			// indentation, four spaces at a time (the 0 after the text ends the run)
			while (view.getInt32(i, true) === FOUR_SPACES) { i += 4; }
			continue;
		}
		if (c === 13) { i++; continue; }
		if (c === 59 /* ; */) {
			if (stmt < 0) {
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: 'Unexpected ";": there is no directive before it.' });
			} else {
				dirArgc[sd] = tn - stmt - 1;
				dirEnd[sd] = i + 1;
				dirSemi[sd] = i;
				dirTerm[sd] = ENDS_SEMICOLON;
				dirDollar[sd] = stmtDollar;
				stmt = -1;
			}
			i++;
			continue;
		}
		if (c === 35 /* # */) {
			let e = text.indexOf('\n', i);
			if (e < 0) { e = n; }
			commentStart.push(i);
			commentEnd.push(e);
			commentParent.push(owner);
			// the pending statement's directive is not finished yet
			commentAfter.push(stmt < 0 ? dn : dn - 1);
			i = e;
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
			checkRegexBrace(text, i, stmt, tn, tokStart, tokEnd, tokFlags, problems);
			if (blockData[owner] !== 0 && owner > 0) {
				// the entries of map, types, geo … never open a block: nginx stops at this "{"
				const ownerTok = dirTok[blockOwner[owner]];
				problems.push({ kind: 'unexpected', offset: i, length: 1, message: `Unexpected "{" inside the "${tokenValue(text, tokStart[ownerTok], tokEnd[ownerTok], tokFlags[ownerTok])}" block: its entries cannot open a block, so nginx stops here. Probably the "}" that closes it is missing above.` });
			}
			const nameTok = stmt;
			const d = sd;
			stmt = -1;
			dirArgc[d] = tn - nameTok - 1;
			dirEnd[d] = i + 1;
			dirSemi[d] = -1;
			dirTerm[d] = ENDS_BLOCK;
			dirDollar[d] = stmtDollar;
			let data = 0;
			if (names) {
				let id = dirId[d];
				if (id === PENDING) {
					id = names.idInBytes(view, text, tokStart[nameTok], tokEnd[nameTok]);
					dirId[d] = id;
				}
				data = id >= 0 && dataBlockIds ? dataBlockIds[id] : 0;
			} else if (options.isDataBlock) {
				data = options.isDataBlock(tokenValue(text, tokStart[nameTok], tokEnd[nameTok], tokFlags[nameTok])) ? 1 : 0;
			}
			if (bn === bCap) {
				bCap *= 2;
				blockOpen = grow32(blockOpen, bCap);
				blockClose = grow32(blockClose, bCap);
				blockEnd = grow32(blockEnd, bCap);
				blockOwner = grow32(blockOwner, bCap);
				blockFirst = grow32(blockFirst, bCap);
				blockLast = grow32(blockLast, bCap);
				blockRawEnd = grow32(blockRawEnd, bCap);
				blockData = grow8(blockData, bCap);
			}
			const b = bn++;
			blockOpen[b] = i;
			blockClose[b] = -1;
			blockEnd[b] = i + 1;
			blockOwner[b] = d;
			blockFirst[b] = -1;
			blockLast[b] = -1;
			blockRawEnd[b] = -1;
			blockData[b] = data;
			dirBlock[d] = b;
			if (isLuaBlockName(text, tokStart[nameTok], tokEnd[nameTok], tokFlags[nameTok])) {
				const close = scanLuaBody(text, i + 1);
				if (close < 0) {
					problems.push({ kind: 'lua-unterminated', offset: i, length: 1, message: `The Lua block of "${tokenValue(text, tokStart[nameTok], tokEnd[nameTok], tokFlags[nameTok])}" is never closed: no matching "}" was found.` });
					blockRawEnd[b] = n;
					blockEnd[b] = n;
					dirEnd[d] = n;
					i = n;
				} else {
					blockRawEnd[b] = close;
					blockClose[b] = close;
					blockEnd[b] = close + 1;
					dirEnd[d] = close + 1;
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
				const at = tokEnd[tn - 1];
				problems.push({ kind: 'missing-semicolon', offset: at, length: 0, message: `Missing ";" after "${tokenValue(text, tokStart[stmt], tokEnd[stmt], tokFlags[stmt])}" before "}".` });
				dirArgc[sd] = tn - stmt - 1;
				dirEnd[sd] = at;
				dirSemi[sd] = -1;
				dirTerm[sd] = ENDS_MISSING;
				dirDollar[sd] = stmtDollar;
				stmt = -1;
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
					blockClose[closed] = i;
					blockEnd[closed] = i + 1;
					dirEnd[blockOwner[closed]] = i + 1;
				}
			}
			i++;
			continue;
		}
		// a token
		const tokStartAt = i;
		let flags = 0;
		let dollar = 0;
		let j = i;
		if (c === 34 || c === 39) {
			flags = c === 34 ? DOUBLE_QUOTED : SINGLE_QUOTED;
			for (j = i + 1; j < n; j++) {
				const x = src[j];
				if (x === 92) {
					flags |= ESCAPED;
					if (src[++j] === 36) { dollar = 1; }
					continue;
				}
				if (x === c) { break; }
				if (x === 36) { dollar = 1; }
			}
			if (j >= n) {
				problems.push({ kind: 'unterminated-string', offset: i, length: n - i, message: `This ${c === 34 ? 'double' : 'single'}-quoted string is never closed.` });
				j = n;
			} else {
				j++;
				if (j < n) {
					const after = src[j];
					// not a blank, ";", "{" or ")": written out, not a helper (see the note on parseNginx)
					if (after !== 32 && after !== 9 && after !== 10 && after !== 13 && after !== 59 && after !== 123 && after !== 41) {
						problems.push({ kind: 'need-space', offset: j, length: 1, message: `Unexpected "${text[j]}" right after a quoted string: nginx needs a space, ";" or "{" there.` });
					}
				}
			}
		} else {
			// an unquoted token ends at a blank, ";" or "{" (but "${" does not end it); "\" escapes.
			// Plain characters are skipped by one table look-up each; the trailing 0 ends the token
			// at the end of the text.
			let x = c;
			for (;;) {
				while (plain[x] !== 0) { x = src[++j]; }
				if (x === 36 /* $ */) {
					dollar = 1;
					// "${" does not end the token: take the "{" with the "$"
					if (src[j + 1] === 123) { j++; }
				} else if (x === 92 /* \ */) {
					flags = ESCAPED;
					// the escaped character belongs to the token, whatever it is
					if (++j >= n) { j = n; break; }
					if (src[j] === 36) { dollar = 1; }
				} else if (x !== 0 || j >= n) {
					break;
				}
				x = src[++j];
			}
		}
		i = j;
		if (tn === tCap) {
			tCap *= 2;
			tokStart = grow32(tokStart, tCap);
			tokEnd = grow32(tokEnd, tCap);
			tokFlags = grow8(tokFlags, tCap);
		}
		const tok = tn++;
		tokStart[tok] = tokStartAt;
		tokEnd[tok] = j;
		tokFlags[tok] = flags;
		const hadNewline = newlineSinceToken;
		newlineSinceToken = false;
		let id = -1;
		if (stmt >= 0) {
			// an argument, unless it starts a line with a directive name no deeper than the statement's
			if (!hadNewline || !splitting || (flags & QUOTED) !== 0 || blockData[owner] !== 0) {
				stmtDollar |= dollar;
				continue;
			}
			if (names) {
				id = flags === 0 ? names.idInBytes(view, text, tokStartAt, j) : names.id(tokenValue(text, tokStartAt, j, flags));
				if (id < 0) {
					stmtDollar |= dollar;
					continue;
				}
			} else if (!options.isDirectiveName!(tokenValue(text, tokStartAt, j, flags))) {
				stmtDollar |= dollar;
				continue;
			}
			// the token is the first of its line, so its column costs only its indentation
			if (stmtColumn < 0) { stmtColumn = visualColumn(text, stmtLineStart, tokStart[stmt]); }
			if (visualColumn(text, lineStart, tokStartAt) > stmtColumn) {
				stmtDollar |= dollar;
				continue;
			}
			const at = tokEnd[tok - 1];
			problems.push({ kind: 'missing-semicolon', offset: at, length: 0, message: `Missing ";" after "${tokenValue(text, tokStart[stmt], tokEnd[stmt], tokFlags[stmt])}": the next line starts a new directive.` });
			dirArgc[sd] = tok - stmt - 1;
			dirEnd[sd] = at;
			dirSemi[sd] = -1;
			dirTerm[sd] = ENDS_MISSING;
			dirDollar[sd] = stmtDollar;
		} else if (names) {
			// looked up after the scan (namesOf), or at its "{" if it opens a block (data blocks)
			id = flags === 0 ? PENDING : names.id(tokenValue(text, tokStartAt, j, flags));
		}
		// the token starts a statement: its directive is numbered and linked into the block now
		stmt = tok;
		stmtLineStart = lineStart;
		stmtColumn = -1;
		stmtDollar = 0;
		if (dn === dCap) {
			dCap *= 2;
			dirTok = grow32(dirTok, dCap);
			dirArgc = grow32(dirArgc, dCap);
			dirId = grow32(dirId, dCap);
			dirParent = grow32(dirParent, dCap);
			dirEnd = grow32(dirEnd, dCap);
			dirSemi = grow32(dirSemi, dCap);
			dirBlock = grow32(dirBlock, dCap);
			dirNext = grow32(dirNext, dCap);
			dirTerm = grow8(dirTerm, dCap);
			dirDollar = grow8(dirDollar, dCap);
		}
		const d = dn++;
		sd = d;
		dirTok[d] = tok;
		dirId[d] = id;
		dirParent[d] = owner;
		dirBlock[d] = -1;
		dirNext[d] = -1;
		const last = blockLast[owner];
		if (last < 0) { blockFirst[owner] = d; } else { dirNext[last] = d; }
		blockLast[owner] = d;
	}
	if (stmt >= 0) {
		const at = tokEnd[tn - 1];
		problems.push({ kind: 'unexpected-eof', offset: at, length: 0, message: `Unexpected end of file: "${tokenValue(text, tokStart[stmt], tokEnd[stmt], tokFlags[stmt])}" needs ";" or "{".` });
		dirArgc[sd] = tn - stmt - 1;
		dirEnd[sd] = at;
		dirSemi[sd] = -1;
		dirTerm[sd] = ENDS_MISSING;
		dirDollar[sd] = stmtDollar;
	}
	for (let s = stack.length - 1; s >= 1; s--) {
		const b = stack[s];
		if (b >= 0) {
			const d = blockOwner[b];
			const t = dirTok[d];
			problems.push({ kind: 'unclosed-block', offset: blockOpen[b], length: 1, message: `This "{" of "${tokenValue(text, tokStart[t], tokEnd[t], tokFlags[t])}" is never closed: expected "}" before the end of the file.` });
			blockEnd[b] = n;
			dirEnd[d] = n;
		}
	}
	if (names) { namesOf(names, view, text, tokStart, tokEnd, dirTok, dirId, dn); }
	// the arrays as grown, kept for the next parse
	work.tokStart = tokStart;
	work.tokEnd = tokEnd;
	work.tokFlags = tokFlags;
	work.dirTok = dirTok;
	work.dirArgc = dirArgc;
	work.dirId = dirId;
	work.dirParent = dirParent;
	work.dirEnd = dirEnd;
	work.dirSemi = dirSemi;
	work.dirBlock = dirBlock;
	work.dirNext = dirNext;
	work.dirTerm = dirTerm;
	work.dirDollar = dirDollar;
	work.blockOpen = blockOpen;
	work.blockClose = blockClose;
	work.blockEnd = blockEnd;
	work.blockOwner = blockOwner;
	work.blockFirst = blockFirst;
	work.blockLast = blockLast;
	work.blockRawEnd = blockRawEnd;
	work.blockData = blockData;
	// kept for the next parse unless the file was huge: a one-off 10 MB file must not pin 30 MB
	if (n <= KEEP_WORK_CHARS) { spare = work; }
	// the arrays cut to size and packed into one buffer: a workspace of small files keeps one
	// allocation per file instead of twenty, and no capacity left over from growing. Copied in a
	// loop here rather than by a helper: a helper called only a few times per parse gets no type
	// feedback of its own before V8 optimizes this function, and its code made the optimized
	// parser deoptimize again and again, leaving it on slower on-stack-replaced code.
	const columns = [tokStart, tokEnd, dirTok, dirArgc, dirId, dirParent, dirEnd, dirSemi, dirBlock, dirNext,
		blockOpen, blockClose, blockEnd, blockOwner, blockFirst, blockRawEnd, tokFlags, dirTerm, dirDollar];
	const lengths = [tn, tn, dn, dn, dn, dn, dn, dn, dn, dn, bn, bn, bn, bn, bn, bn, tn, dn, dn];
	// the Int32 columns first: they stay aligned; the one-byte columns last
	const byteColumns = 16;
	const buffer = uninitialized(4 * (2 * tn + 8 * dn + 6 * bn) + tn + 2 * dn);
	const packed: (Int32Array | Uint8Array)[] = [];
	let at = 0;
	for (let k = 0; k < columns.length; k++) {
		const length = lengths[k];
		const view = k < byteColumns ? new Int32Array(buffer, at, length) : new Uint8Array(buffer, at, length);
		view.set(columns[k].subarray(0, length));
		packed.push(view);
		at += view.byteLength;
	}
	const tree: NginxTree = {
		tokenCount: tn, tokStart: packed[0] as Int32Array, tokEnd: packed[1] as Int32Array, tokFlags: packed[16] as Uint8Array,
		directiveCount: dn, dirTok: packed[2] as Int32Array, dirArgc: packed[3] as Int32Array, dirId: packed[4] as Int32Array,
		dirParent: packed[5] as Int32Array, dirEnd: packed[6] as Int32Array, dirSemi: packed[7] as Int32Array, dirBlock: packed[8] as Int32Array,
		dirNext: packed[9] as Int32Array, dirTerm: packed[17] as Uint8Array, dirDollar: packed[18] as Uint8Array,
		blockCount: bn, blockOpen: packed[10] as Int32Array, blockClose: packed[11] as Int32Array, blockEnd: packed[12] as Int32Array,
		blockOwner: packed[13] as Int32Array, blockFirst: packed[14] as Int32Array, blockRawEnd: packed[15] as Int32Array, names,
	};
	return new ParsedNginxFile(text, tree, commentNodes(commentStart, commentEnd), Int32Array.from(commentParent), Int32Array.from(commentAfter), problems, orphanBraces);
}

/**
 * The ids of the plain directive names the scan left PENDING. Names are looked up in this loop
 * of its own rather than as the scan meets them: the scan's loop stays small (with the lookup
 * written into it, V8 compiled the whole scan slower than the lookups cost).
 */
function namesOf(names: NameTable, view: DataView, text: string, tokStart: Int32Array, tokEnd: Int32Array, dirTok: Int32Array, dirId: Int32Array, dn: number): void {
	for (let d = 0; d < dn; d++) {
		if (dirId[d] === PENDING) {
			const t = dirTok[d];
			dirId[d] = names.idInBytes(view, text, tokStart[t], tokEnd[t]);
		}
	}
}

/**
 * The comment nodes, made after the scan: an array that the scan itself filled with objects
 * changed its kind (from an empty array to one of objects) inside the scan's compiled code, and
 * a file with comments after one without sent that code back to the interpreter.
 */
function commentNodes(start: readonly number[], end: readonly number[]): NginxComment[] {
	return start.map((offset, k) => ({ kind: 'comment', offset, length: end[k] - offset }));
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
	// copies the runs between escapes in one slice each
	let out = '';
	let from = 0;
	for (let k = s.indexOf('\\'); k >= 0 && k + 1 < s.length; k = s.indexOf('\\', k + 1)) {
		const d = s.charCodeAt(k + 1);
		const r = d === 34 || d === 39 || d === 92 ? s[k + 1] : d === 116 ? '\t' : d === 114 ? '\r' : d === 110 ? '\n' : undefined;
		if (r === undefined) { continue; }
		out += s.slice(from, k) + r;
		from = k + 2;
		k++;
	}
	return from === 0 ? s : out + s.slice(from);
}

/** A `{` glued to a regex-looking argument and followed by `n}` or `n,m}` is a regex quantifier. */
function checkRegexBrace(text: string, at: number, stmt: number, tn: number, tokStart: Int32Array, tokEnd: Int32Array, tokFlags: Uint8Array, problems: NginxSyntaxProblem[]): void {
	const last = tn - 1;
	if (last <= stmt) { return; }
	if ((tokFlags[last] & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) !== 0 || tokEnd[last] !== at) { return; }
	if (!/^\d+(,\d*)?\}/.test(text.slice(at + 1, at + 12))) { return; }
	problems.push({
		kind: 'regex-brace', offset: tokStart[last], length: at + 1 - tokStart[last],
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
