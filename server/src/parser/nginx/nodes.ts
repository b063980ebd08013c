/**
 * Syntax tree of an nginx config. Offsets index the original text. Every non-blank byte
 * belongs to a token, a comment or a raw body, so the tree prints back the input (printNginx).
 */
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

export interface NginxFile {
	readonly text: string;
	/** The top level is blocks[0]; every block in document order after it. */
	readonly blocks: readonly NginxBlock[];
	/** Every directive in document order. */
	readonly directives: readonly NginxDirective[];
	readonly comments: readonly NginxComment[];
	readonly problems: readonly NginxSyntaxProblem[];
	/** The `}` that closed a `{` standing without a directive (the `{` itself is a problem). */
	readonly orphanBraces: readonly Span[];
}
