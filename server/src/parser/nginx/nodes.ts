/**
 * Syntax tree of an nginx config. Offsets index the original text. Every non-blank byte
 * belongs to a token, a comment or a raw body, so the tree prints back the input (printNginx).
 */
import type { NameTable } from '../../utils/nameTable';
import type { Span } from '../../utils/positions';

export interface NginxToken extends Span {
	/** The token as written, quotes included. */
	readonly raw: string;
	/** The value nginx sees: quotes removed, `\"`, `\'`, `\\`, `\t`, `\r`, `\n` unescaped. */
	readonly value: string;
	readonly quote: '"' | "'" | null;
}

export interface NginxComment extends Span {
	readonly kind: 'comment';
}

export interface NginxDirective extends Span {
	readonly kind: 'directive';
	readonly name: NginxToken;
	readonly args: readonly NginxToken[];
	/** How the statement ends: `;`, a `{ ... }` block, or nothing (a syntax error was reported). */
	readonly terminator: 'semicolon' | 'block' | 'missing';
	/** Offset of the `;` (or -1). */
	readonly semicolon: number;
	readonly block?: NginxBlock;
	/** Index of the parent block in NginxFile.blocks (0 is the file's top level). */
	readonly parent: number;
}

export interface NginxBlock extends Span {
	readonly kind: 'block';
	/** Offset of `{` (the top-level pseudo block: -1). */
	readonly open: number;
	/** Offset of `}`, or -1 when unclosed (and for the top level). */
	readonly close: number;
	readonly children: readonly (NginxDirective | NginxComment)[];
	/** For `*_by_lua_block`: the body kept verbatim (between the braces). */
	readonly raw?: Span;
	readonly index: number;
	/** The directive that owns this block (undefined for the top level). */
	readonly owner?: NginxDirective;
}

export interface NginxSyntaxProblem extends Span {
	readonly kind: 'unexpected' | 'unterminated-string' | 'missing-semicolon' | 'unclosed-block' | 'unexpected-eof'
	| 'regex-brace' | 'need-space' | 'lua-unterminated';
	readonly message: string;
}

/** Token flags in NginxTree.tokFlags. */
export const TOKEN_DOUBLE_QUOTED = 1;
export const TOKEN_SINGLE_QUOTED = 2;
/** The token holds a backslash: its value differs from its text. */
export const TOKEN_ESCAPED = 4;

/** How a statement ends, in NginxTree.dirTerm. */
export const TERM_SEMICOLON = 0;
export const TERM_BLOCK = 1;
export const TERM_MISSING = 2;

/**
 * The same tree as plain integer arrays (struct of arrays), which is what the parser builds and
 * what the hot paths read: no object per token or directive. Tokens are in document order and a
 * directive's tokens are consecutive: its name is token `dirTok[d]`, its arguments the
 * `dirArgc[d]` tokens after it. Directives and blocks are numbered as in NginxFile.
 */
export interface NginxTree {
	readonly tokenCount: number;
	readonly tokStart: Int32Array;
	readonly tokEnd: Int32Array;
	readonly tokFlags: Uint8Array;
	readonly directiveCount: number;
	readonly dirTok: Int32Array;
	readonly dirArgc: Int32Array;
	/** Id of the name in `names` (by the name's value), -1 when the table does not hold it. */
	readonly dirId: Int32Array;
	readonly dirParent: Int32Array;
	/** End offset of the statement (after `;` or `}`). */
	readonly dirEnd: Int32Array;
	readonly dirSemi: Int32Array;
	/** Index of the block the directive opens, or -1. */
	readonly dirBlock: Int32Array;
	readonly dirTerm: Uint8Array;
	/** Next directive in the same block, or -1. */
	readonly dirNext: Int32Array;
	/** 1 when an argument of the directive holds a `$` (a variable, or a regex end anchor); else 0. */
	readonly dirDollar: Uint8Array;
	readonly blockCount: number;
	readonly blockOpen: Int32Array;
	readonly blockClose: Int32Array;
	readonly blockEnd: Int32Array;
	/** Owning directive, -1 for the top level. */
	readonly blockOwner: Int32Array;
	/** First directive in the block, or -1. */
	readonly blockFirst: Int32Array;
	/** A Lua block: its verbatim body ends here (-1 for other blocks); it starts after `{`. */
	readonly blockRawEnd: Int32Array;
	/** The table directive names were interned with (the parse options' `names`). */
	readonly names: NameTable | undefined;
}

export interface NginxFile {
	readonly text: string;
	/** The compact form of the tree below; the object views are built from it on first use. */
	readonly tree: NginxTree;
	/** The top level is blocks[0]; every block in document order after it. */
	readonly blocks: readonly NginxBlock[];
	/** Every directive in document order. */
	readonly directives: readonly NginxDirective[];
	readonly comments: readonly NginxComment[];
	readonly problems: readonly NginxSyntaxProblem[];
	/** The `}` that closed a `{` standing without a directive (the `{` itself is a problem). */
	readonly orphanBraces: readonly Span[];
	/** The view of one directive, block or token of the tree by index (made once, then kept). */
	directive(index: number): NginxDirective;
	block(index: number): NginxBlock;
	token(index: number): NginxToken;
}
