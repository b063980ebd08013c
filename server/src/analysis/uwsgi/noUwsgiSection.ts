/**
 * uwsgi-no-uwsgi-section: uWSGI reads the section named exactly `uwsgi` (compared literally,
 * the header's last character dropped). `[ uwsgi ]`, `[uWSGI]` or `[uwsgi] # x` are other
 * sections, and keys before any header belong to none: uWSGI only warns and starts without them.
 * Reported when such a near miss exists or the file has keys but no header at all; a file whose
 * sections are meant for `file.ini:name` is left alone.
 */
import type { IniSectionLine } from '../../parser/ini/nodes';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { DEFAULT_SECTION } from './sections';

export interface NoUwsgiSectionData {
	/** `rename`: the diagnostic covers a header to replace with `[uwsgi]`; `insert`: put `[uwsgi]` above the diagnostic's line. */
	readonly fix?: 'rename' | 'insert';
	/** The header is hidden by a byte-order mark before it: the fix deletes the mark (the same fix as nginx-byte-order-mark's). */
	readonly removeBom?: true;
}

const BOM = 0xfeff;

/** `[ uwsgi ]`, `[uWSGI]`, `[uwsgi] # note`, `[uwsgi` — headers meant as `[uwsgi]` that uWSGI reads as another name. */
export function isNearMiss(header: IniSectionLine): boolean {
	const name = header.name;
	if (name === DEFAULT_SECTION) { return false; }
	const n = name.trim().toLowerCase();
	if (n === DEFAULT_SECTION || /^uwsgi\s*\]/.test(n)) { return true; }
	return !header.closed && n.length >= 4 && DEFAULT_SECTION.startsWith(n);
}

/** The header as written: from `[` to its last non-blank character. */
function headerSpan(text: string, h: IniSectionLine): { offset: number; length: number } {
	const start = h.nameSpan.offset - 1;
	let end = h.offset + h.length;
	while (end > start && /[ \t\r]/.test(text[end - 1])) { end--; }
	return { offset: start, length: end - start };
}

export function checkNoUwsgiSection(ctx: UwsgiContext): void {
	const { doc } = ctx;
	if (doc.text.charCodeAt(0) === BOM && checkByteOrderMark(ctx)) { return; }
	if (doc.sections.some(s => s.name === DEFAULT_SECTION)) { return; }
	const nearMisses = doc.sections.filter(s => isNearMiss(s.header));
	for (const s of nearMisses) {
		const span = headerSpan(doc.text, s.header);
		const data: NoUwsgiSectionData = { fix: 'rename' };
		ctx.report({
			code: Codes.uwsgiNoUwsgiSection, offset: span.offset, length: span.length,
			args: { detail: `uWSGI reads this header as the section "${s.name}", not "uwsgi" (names are compared exactly), so ${s.entries.length === 1 ? 'its option does not apply' : `none of its ${s.entries.length} options apply`}; uWSGI only prints a warning.` },
			data,
		});
	}
	if (!nearMisses.length && doc.orphanEntries.length && !doc.sections.length) {
		const first = doc.orphanEntries[0];
		const data: NoUwsgiSectionData = { fix: 'insert' };
		ctx.report({
			code: Codes.uwsgiNoUwsgiSection, offset: first.key.offset, length: first.key.length,
			args: { detail: 'These options come before any section header, so uWSGI ignores all of them (it only prints a warning). Start the file with [uwsgi].' },
			data,
		});
	}
}

/**
 * A UTF-8 byte-order mark before `[uwsgi]` on the first line: uWSGI does not skip it, so the line
 * does not start with `[` — it is no header, and the options under it belong to no section. uWSGI
 * prints "Can't find section "uwsgi"" and starts without them (it exits when they held the socket).
 * Editors hide the mark, so the message names it.
 */
function checkByteOrderMark(ctx: UwsgiContext): boolean {
	const text = ctx.doc.text;
	let eol = text.indexOf('\n');
	if (eol < 0) { eol = text.length; }
	const line = text.slice(1, eol).trim();
	if (!/^\[uwsgi\]$/.test(line)) { return false; }
	// the mark and the header as written
	const end = text.slice(0, eol).trimEnd().length;
	// the header line itself reads as a key without a value
	const lost = ctx.doc.orphanEntries.filter(e => e.offset > 0).length;
	const data: NoUwsgiSectionData = { removeBom: true };
	ctx.report({
		code: Codes.uwsgiNoUwsgiSection, offset: 0, length: end,
		args: { detail: `The file starts with an invisible UTF-8 byte-order mark (BOM, bytes EF BB BF) before "[uwsgi]". uWSGI does not skip it, so this line is no section header: it prints "Can't find section "uwsgi"" and starts without ${lost === 1 ? 'the option' : `the ${lost} options`} below it (with the socket among them it exits: "The -s/--socket option is missing"). Save the file as UTF-8 without a BOM.` },
		data,
	});
	return true;
}
