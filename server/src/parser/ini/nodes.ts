/**
 * Syntax tree of a uWSGI ini file. Every node holds offsets into the original text; the
 * lines together cover the whole text, so nothing is lost (see printIni in parser.ts).
 */
import type { Span } from '../../utils/positions';

export interface IniToken extends Span {
	readonly text: string;
}

/**
 * A reference inside a value: `%(name)`, `$(ENV)`, `@(file)`, a magic `%x`, or `%%`; `shell` is a
 * command-line value the host fills in before uWSGI starts (`$PORT`, `${VAR}`, `{{ var }}`).
 */
export interface IniValueRef extends Span {
	readonly kind: 'placeholder' | 'env' | 'file' | 'magic' | 'escape' | 'shell';
	/** Placeholder/env/file: the text between the parentheses; magic: the letter. */
	readonly name: string;
	/** Offset and length of `name` in the document. */
	readonly nameOffset: number;
}

interface LineBase extends Span {
	/** Length of the line ending after the line (0, 1 for `\n`). `\r` belongs to the line. */
	readonly eolLength: number;
}

export interface IniBlankLine extends LineBase {
	readonly kind: 'blank';
}

export interface IniCommentLine extends LineBase {
	readonly kind: 'comment';
}

export interface IniSectionLine extends LineBase {
	readonly kind: 'section';
	/** The name as uWSGI reads it: the text after `[` with its last character dropped. */
	readonly name: string;
	/** Span of the name inside the brackets as written. */
	readonly nameSpan: Span;
	/** Whether the dropped last character is `]`. */
	readonly closed: boolean;
	/** Index in IniDocument.sections. */
	readonly index: number;
}

export interface IniEntryLine extends LineBase {
	readonly kind: 'entry';
	readonly key: IniToken;
	/** Offset of `=`, or -1 for a line without one (`master`), whose value is empty. */
	readonly equals: number;
	/** The trimmed value (empty token at the end of the line when absent). */
	readonly value: IniToken;
	readonly refs: readonly IniValueRef[];
	/** Index of the enclosing section in IniDocument.sections, -1 before any header. */
	readonly section: number;
	/** Index in IniDocument.entries. */
	readonly index: number;
}

export type IniLine = IniBlankLine | IniCommentLine | IniSectionLine | IniEntryLine;

export interface IniSection {
	readonly name: string;
	readonly header: IniSectionLine;
	/** Offset just past the last line that belongs to this section part. */
	readonly end: number;
	readonly entries: readonly IniEntryLine[];
}

/** A config-logic block: `for`/`if-*` ... `endfor`/`endif`/`end`. */
export interface IniLogicBlock {
	readonly start: IniEntryLine;
	/** The closing entry, or undefined when the block is never closed. */
	readonly end?: IniEntryLine;
}

export interface IniSyntaxProblem extends Span {
	readonly kind: 'unknown-line' | 'unclosed-block' | 'nested-block' | 'stray-end' | 'percent-at-eol' | 'unclosed-ref' | 'command-line';
	readonly message: string;
}

export interface IniDocument {
	readonly text: string;
	readonly lines: readonly IniLine[];
	readonly sections: readonly IniSection[];
	/** Every key line in order, in every section (repeated keys kept). */
	readonly entries: readonly IniEntryLine[];
	/** Entries before the first section header (uWSGI ignores them). */
	readonly orphanEntries: readonly IniEntryLine[];
	readonly blocks: readonly IniLogicBlock[];
	readonly problems: readonly IniSyntaxProblem[];
}
