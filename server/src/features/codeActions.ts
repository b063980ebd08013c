/**
 * Quick fixes. Each fix is registered for a diagnostic code and reads its payload from
 * `diagnostic.data` — never from the message text.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Codes } from '../analysis/codes';

type FixBuilder = (diagnostic: Diagnostic, document: TextDocument) => CodeAction[];

function hasCandidates(data: unknown): data is { candidates: string[] } {
	return typeof data === 'object' && data !== null && Array.isArray((data as { candidates?: unknown }).candidates)
		&& (data as { candidates: unknown[] }).candidates.every(c => typeof c === 'string');
}

/** "Change to 'X'" for each candidate, replacing exactly the diagnostic's range. */
const changeToCandidate: FixBuilder = (diagnostic, document) => {
	if (!hasCandidates(diagnostic.data)) { return []; }
	return diagnostic.data.candidates.map((candidate, i) => {
		const edit: TextEdit = { range: diagnostic.range, newText: candidate };
		return {
			title: `Change to '${candidate}'`,
			kind: CodeActionKind.QuickFix,
			diagnostics: [diagnostic],
			isPreferred: i === 0,
			edit: { changes: { [document.uri]: [edit] } },
		};
	});
};

function action(title: string, diagnostic: Diagnostic, document: TextDocument, edits: TextEdit[], preferred = true): CodeAction {
	return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: { changes: { [document.uri]: edits } } };
}

function dataOf<T>(diagnostic: Diagnostic): Partial<T> {
	return typeof diagnostic.data === 'object' && diagnostic.data !== null ? diagnostic.data as Partial<T> : {};
}

/**
 * uwsgi-invalid-value, uwsgi-misread-number: write the value uWSGI would read as meant (`64k` →
 * `65535`, `2m` → `120`, `0660` → `660`); where an inline comment is the problem, move it away.
 */
const replaceValue: FixBuilder = (diagnostic, document) => {
	const { replacement, comment } = dataOf<{ replacement: string; comment: number }>(diagnostic);
	if (typeof comment === 'number') {
		return [moveComment(diagnostic, document, comment, document.offsetAt(diagnostic.range.end))];
	}
	if (typeof replacement !== 'string') { return []; }
	return [action(`Change to '${replacement}'`, diagnostic, document, [{ range: diagnostic.range, newText: replacement }])];
};

/** Cuts the comment [commentStart, commentEnd) and the blanks before it from a value, and puts it on its own line above. */
function moveComment(diagnostic: Diagnostic, document: TextDocument, commentStart: number, commentEnd: number): CodeAction {
	const text = document.getText();
	let cut = commentStart;
	while (cut > 0 && (text[cut - 1] === ' ' || text[cut - 1] === '\t')) { cut--; }
	const startPos = document.positionAt(commentStart);
	const lineStart = document.offsetAt({ line: startPos.line, character: 0 });
	const indent = /^[ \t]*/.exec(text.slice(lineStart, commentStart))![0];
	const comment = text.slice(commentStart, commentEnd);
	return action('Move the comment to its own line', diagnostic, document, [
		{ range: { start: document.positionAt(lineStart), end: document.positionAt(lineStart) }, newText: `${indent}${comment}${eolOf(document)}` },
		{ range: { start: document.positionAt(cut), end: document.positionAt(commentEnd) }, newText: '' },
	]);
}

/** uwsgi-inline-comment: cut ` # comment` from the value and put it on its own line above. */
const moveCommentAbove: FixBuilder = (diagnostic, document) =>
	[moveComment(diagnostic, document, document.offsetAt(diagnostic.range.start), document.offsetAt(diagnostic.range.end))];

/** uwsgi-no-uwsgi-section: rename the near-miss header, insert `[uwsgi]` above keys that have none, or delete a byte-order mark that hides the header. */
const fixSection: FixBuilder = (diagnostic, document) => {
	const { fix, removeBom } = dataOf<{ fix: string; removeBom: boolean }>(diagnostic);
	if (removeBom === true) { return removeByteOrderMark(diagnostic, document); }
	if (fix === 'rename') {
		return [action("Rename the section to '[uwsgi]'", diagnostic, document, [{ range: diagnostic.range, newText: '[uwsgi]' }])];
	}
	if (fix === 'insert') {
		const at = { line: diagnostic.range.start.line, character: 0 };
		return [action("Add a '[uwsgi]' section header", diagnostic, document, [{ range: { start: at, end: at }, newText: `[uwsgi]${eolOf(document)}` }])];
	}
	return [];
};

/** uwsgi-public-socket / uwsgi-public-stats: bind to 127.0.0.1 instead of every interface. */
const bindToLoopback: FixBuilder = (diagnostic, document) => {
	// a published container port: 127.0.0.1 inside the container would cut nginx off
	if (dataOf<{ loopback: boolean }>(diagnostic).loopback === false) { return []; }
	const value = document.getText(diagnostic.range);
	const address = value.split(',')[0];
	const colon = address.lastIndexOf(':');
	if (colon < 0) { return []; }
	const start = document.offsetAt(diagnostic.range.start);
	return [action('Bind to 127.0.0.1 only', diagnostic, document, [{ range: { start: diagnostic.range.start, end: document.positionAt(start + colon) }, newText: '127.0.0.1' }])];
};

/**
 * uwsgi-no-master, uwsgi-no-worker-recycling, uwsgi-buffer-too-small: add an option line just
 * below the section header (`data.insert`, `data.headerOffset`); uwsgi-buffer-too-small with the
 * option already set replaces its value (`data.replacement`).
 */
const setOption: FixBuilder = (diagnostic, document) => {
	const { insert, headerOffset, replacement } = dataOf<{ insert: string; headerOffset: number; replacement: string }>(diagnostic);
	if (typeof replacement === 'string') { return replaceValue(diagnostic, document); }
	if (typeof insert !== 'string' || typeof headerOffset !== 'number') { return []; }
	const text = document.getText();
	if (text[headerOffset] !== '[') { return []; }
	const line = document.positionAt(headerOffset).line;
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	const edit: TextEdit = line + 1 < document.lineCount
		? { range: { start: { line: line + 1, character: 0 }, end: { line: line + 1, character: 0 } }, newText: `${insert}${eol}` }
		: { range: { start: document.positionAt(text.length), end: document.positionAt(text.length) }, newText: `${eol}${insert}` };
	return [action(`Add '${insert}'`, diagnostic, document, [edit])];
};

/** uwsgi-duplicate-option: delete the overridden line (on a command line: the overridden flag and its value). */
const removeLine: FixBuilder = (diagnostic, document) => {
	const { remove, keep } = dataOf<{ remove: { offset: number; length: number }; keep: boolean }>(diagnostic);
	if (keep) { return []; }
	if (remove && typeof remove.offset === 'number' && typeof remove.length === 'number') {
		const range = { start: document.positionAt(remove.offset), end: document.positionAt(remove.offset + remove.length) };
		return [action('Remove the overridden flag', diagnostic, document, [{ range, newText: '' }], false)];
	}
	const line = diagnostic.range.start.line;
	const start = { line, character: 0 };
	const end = line + 1 < document.lineCount ? { line: line + 1, character: 0 } : document.positionAt(document.getText().length);
	return [action('Remove the overridden line', diagnostic, document, [{ range: { start, end }, newText: '' }], false)];
};

/** nginx-unknown-upstream: point at an upstream that exists (the name inside the target is replaced). */
const useExistingUpstream: FixBuilder = (diagnostic, document) => {
	if (!hasCandidates(diagnostic.data)) { return []; }
	const target = document.getText(diagnostic.range);
	const start = document.offsetAt(diagnostic.range.start);
	const scheme = /^[a-z]+:\/\//.exec(target)?.[0].length ?? 0;
	const nameEnd = target.indexOf('/', scheme) < 0 ? target.length : target.indexOf('/', scheme);
	return diagnostic.data.candidates.map((candidate, i) => action(`Use upstream '${candidate}'`, diagnostic, document, [{
		range: { start: document.positionAt(start + scheme), end: document.positionAt(start + nameEnd) }, newText: candidate,
	}], i === 0));
};

/** nginx-missing-uwsgi-params: `include uwsgi_params;` on its own line just before the uwsgi_pass. */
const includeUwsgiParams: FixBuilder = (diagnostic, document) => {
	const line = diagnostic.range.start.line;
	const lineStart = document.offsetAt({ line, character: 0 });
	const text = document.getText();
	const before = text.slice(lineStart, document.offsetAt(diagnostic.range.start));
	const title = "Add 'include uwsgi_params;'";
	if (!/^[ \t]*$/.test(before)) {
		// uwsgi_pass shares its line with other code: insert right before it
		return [action(title, diagnostic, document, [{ range: { start: diagnostic.range.start, end: diagnostic.range.start }, newText: 'include uwsgi_params; ' }])];
	}
	const at = { line, character: 0 };
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	return [action(title, diagnostic, document, [{ range: { start: at, end: at }, newText: `${before}include uwsgi_params;${eol}` }])];
};


/** A number from the diagnostic's data (an offset into the document), or undefined. */
function offsetData(diagnostic: Diagnostic, key: string): number | undefined {
	const v = (dataOf<Record<string, unknown>>(diagnostic))[key];
	return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** The indentation of the line holding `offset`. */
function indentAt(document: TextDocument, offset: number): string {
	const text = document.getText();
	const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
	return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

function eolOf(document: TextDocument): string {
	return document.getText().includes('\r\n') ? '\r\n' : '\n';
}

/** nginx-alias-traversal: end the location with "/" (taking the "/" off the alias instead would reach the folders beside it). */
const fixAliasTraversal: FixBuilder = (diagnostic, document) => {
	const insertAt = offsetData(diagnostic, 'insertAt');
	if (insertAt === undefined) { return []; }
	const at = document.positionAt(insertAt);
	return [action("Add '/' to the end of the location", diagnostic, document, [{ range: { start: at, end: at }, newText: '/' }])];
};

/** nginx-alias-sibling: end the alias with "/", and the location too when it lacks one. */
const fixAliasSibling: FixBuilder = (diagnostic, document) => {
	const insertAt = offsetData(diagnostic, 'insertAt');
	const aliasAt = offsetData(diagnostic, 'aliasSlashAt');
	if (aliasAt === undefined) { return []; }
	const edit = (offset: number) => ({ range: { start: document.positionAt(offset), end: document.positionAt(offset) }, newText: '/' });
	return insertAt === undefined
		? [action("Add '/' to the end of the alias", diagnostic, document, [edit(aliasAt)])]
		: [action("Add '/' to the end of the location and of the alias", diagnostic, document, [edit(insertAt), edit(aliasAt)])];
};

/** nginx-allow-without-deny: `deny all;` on its own line after the last allow of the level. */
const addDenyAll: FixBuilder = (diagnostic, document) => {
	const after = offsetData(diagnostic, 'after');
	if (after === undefined) { return []; }
	const at = document.positionAt(after);
	const indent = indentAt(document, document.offsetAt(diagnostic.range.start));
	return [action("Add 'deny all;' after the allow rules", diagnostic, document, [{ range: { start: at, end: at }, newText: `${eolOf(document)}${indent}deny all;` }])];
};

/** nginx-open-stub-status: `allow 127.0.0.1; deny all;` just before stub_status. */
const restrictStubStatus: FixBuilder = (diagnostic, document) => {
	const before = offsetData(diagnostic, 'before');
	if (before === undefined) { return []; }
	const at = document.positionAt(before);
	const indent = indentAt(document, before);
	const text = document.getText();
	const lineStart = text.lastIndexOf('\n', before - 1) + 1;
	const eol = eolOf(document);
	const newText = /^[ \t]*$/.test(text.slice(lineStart, before))
		? `allow 127.0.0.1;${eol}${indent}deny all;${eol}${indent}`
		: 'allow 127.0.0.1; deny all; ';
	return [action('Allow only 127.0.0.1', diagnostic, document, [{ range: { start: at, end: at }, newText }])];
};

/** nginx-weak-tls on ssl_protocols: replace the list of versions with the strong ones it holds (or TLSv1.2 TLSv1.3). */
const dropWeakProtocols: FixBuilder = (diagnostic, document) => {
	const from = offsetData(diagnostic, 'from');
	const to = offsetData(diagnostic, 'to');
	const { replacement } = dataOf<{ replacement: string }>(diagnostic);
	if (from === undefined || to === undefined || to < from || typeof replacement !== 'string') { return []; }
	return [action(`Allow only ${replacement}`, diagnostic, document, [{ range: { start: document.positionAt(from), end: document.positionAt(to) }, newText: replacement }])];
};

/** nginx-valid-referers-none: delete the `none` argument and the blank before it. */
const removeToken: FixBuilder = (diagnostic, document) => {
	if (!dataOf<{ remove: boolean }>(diagnostic).remove) { return []; }
	const text = document.getText();
	let start = document.offsetAt(diagnostic.range.start);
	while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) { start--; }
	const title = `Remove '${document.getText(diagnostic.range)}'`;
	return [action(title, diagnostic, document, [{ range: { start: document.positionAt(start), end: diagnostic.range.end }, newText: '' }], false)];
};

/** Inserts lines before the directive at `at`: on lines of their own with its indentation, or inline when it shares its line. */
function insertBefore(document: TextDocument, at: number, lines: readonly string[]): TextEdit {
	const text = document.getText();
	const lineStart = text.lastIndexOf('\n', at - 1) + 1;
	const before = text.slice(lineStart, at);
	const pos = document.positionAt(at);
	if (/^[ \t]*$/.test(before)) {
		const eol = eolOf(document);
		return { range: { start: pos, end: pos }, newText: lines.map(l => `${l}${eol}${before}`).join('') };
	}
	return { range: { start: pos, end: pos }, newText: lines.map(l => `${l} `).join('') };
}

/** nginx-header-inheritance: repeat the dropped outer lines (or the includes that bring them) in the inner block. */
const repeatInherited: FixBuilder = (diagnostic, document) => {
	const { lines } = dataOf<{ lines: unknown }>(diagnostic);
	const at = offsetData(diagnostic, 'at');
	if (at === undefined || !Array.isArray(lines) || !lines.length || !lines.every(l => typeof l === 'string' && !l.includes('\n'))) { return []; }
	return [action('Repeat the inherited lines in this block', diagnostic, document, [insertBefore(document, at, lines as string[])])];
};

/** nginx-map-no-default: `default "";` as the first entry — what nginx does anyway, now written out. */
const addEmptyDefault: FixBuilder = (diagnostic, document) => {
	const at = offsetData(diagnostic, 'at');
	if (at === undefined) { return []; }
	return [action("Add 'default \"\";'", diagnostic, document, [insertBefore(document, at, ['default "";'])])];
};

/** nginx-missing-semicolon: add the ";" where the statement was meant to end. */
const addSemicolon: FixBuilder = (diagnostic, document) => [action('Add the missing ";"', diagnostic, document, [{ range: { start: diagnostic.range.start, end: diagnostic.range.start }, newText: ';' }])];
/** nginx-overridden-handler: delete the handler nginx never uses (its statement, or its whole line: `data.remove`). */
const removeSpan: FixBuilder = (diagnostic, document) => {
	const { remove } = dataOf<{ remove: { offset: unknown; length: unknown } }>(diagnostic);
	if (!remove || typeof remove.offset !== 'number' || typeof remove.length !== 'number' || remove.offset < 0 || remove.length <= 0) { return []; }
	const range = { start: document.positionAt(remove.offset), end: document.positionAt(remove.offset + remove.length) };
	return [action(`Remove '${document.getText(diagnostic.range).replace(/\s+/g, ' ')}'`, diagnostic, document, [{ range, newText: '' }])];
};

/** nginx-byte-order-mark, uwsgi-no-uwsgi-section on a header a BOM hides: delete the invisible U+FEFF at the start of the file. */
const removeByteOrderMark: FixBuilder = (diagnostic, document) => {
	if (dataOf<{ removeBom: boolean }>(diagnostic).removeBom !== true || document.getText().charCodeAt(0) !== 0xfeff) { return []; }
	const range = { start: document.positionAt(0), end: document.positionAt(1) };
	return [action('Remove the byte-order mark (save as UTF-8 without BOM)', diagnostic, document, [{ range, newText: '' }])];
};

const FIXES: ReadonlyMap<string, FixBuilder> = new Map([
	[Codes.uwsgiUnknownOption.id, changeToCandidate],
	[Codes.uwsgiSuspiciousBoolean.id, changeToCandidate],
	[Codes.uwsgiInvalidValue.id, replaceValue],
	[Codes.uwsgiMisreadNumber.id, replaceValue],
	[Codes.uwsgiIgnoredValue.id, replaceValue],
	[Codes.uwsgiInlineComment.id, moveCommentAbove],
	[Codes.uwsgiNoUwsgiSection.id, fixSection],
	[Codes.uwsgiPublicSocket.id, bindToLoopback],
	[Codes.uwsgiPublicStats.id, bindToLoopback],
	[Codes.uwsgiDuplicateOption.id, removeLine],
	[Codes.uwsgiNoMaster.id, setOption],
	[Codes.uwsgiNoWorkerRecycling.id, setOption],
	[Codes.uwsgiBufferTooSmall.id, setOption],
	[Codes.uwsgiWorldWritableSocket.id, replaceValue],
	[Codes.uwsgiDaemonizeManaged.id, changeToCandidate],
	[Codes.uwsgiHttpRouterPublic.id, bindToLoopback],
	[Codes.nginxMissingSemicolon.id, addSemicolon],
	[Codes.nginxUnknownDirective.id, changeToCandidate],
	[Codes.nginxInvalidValue.id, changeToCandidate],
	[Codes.nginxUnknownUpstream.id, useExistingUpstream],
	[Codes.nginxUnknownVariable.id, changeToCandidate],
	[Codes.nginxUnknownLogFormat.id, changeToCandidate],
	[Codes.nginxUnknownZone.id, changeToCandidate],
	[Codes.nginxMissingUwsgiParams.id, includeUwsgiParams],
	[Codes.nginxAliasTraversal.id, fixAliasTraversal],
	[Codes.nginxAliasSibling.id, fixAliasSibling],
	[Codes.nginxAllowWithoutDeny.id, addDenyAll],
	[Codes.nginxOpenStubStatus.id, restrictStubStatus],
	[Codes.nginxServerTokens.id, replaceValue],
	[Codes.nginxErrorLogOff.id, replaceValue],
	[Codes.nginxWeakTls.id, dropWeakProtocols],
	[Codes.nginxValidReferersNone.id, removeToken],
	[Codes.nginxHeaderInheritance.id, repeatInherited],
	[Codes.nginxHostSpoofing.id, replaceValue],
	[Codes.nginxMapNoDefault.id, addEmptyDefault],
	[Codes.nginxOverriddenHandler.id, removeSpan],
	[Codes.nginxMisplacedDirective.id, changeToCandidate],
	[Codes.nginxByteOrderMark.id, removeByteOrderMark],
]);
export function codesWithFixes(): readonly string[] {
	return [...FIXES.keys()];
}

export function quickFixes(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
	const out: CodeAction[] = [];
	for (const d of diagnostics) {
		const build = typeof d.code === 'string' ? FIXES.get(d.code) : undefined;
		if (build) { out.push(...build(d, document)); }
	}
	return out;
}
