/**
 * nginx-byte-order-mark: a file that starts with a UTF-8 byte-order mark (U+FEFF, the bytes
 * EF BB BF some Windows editors write). nginx has no notion of it: the three bytes are the start
 * of the first word, so `\ufeffuser www-data;` is `unknown directive "\ufeffuser"` (a BOM before
 * a comment makes `\ufeff#` a directive name; before a blank, the BOM alone is one), in the main
 * file and in every included one. Only a file included inside a data block (`map`, `types`, …)
 * survives it, as an odd first key. The unknown-directive check leaves that first name to this one.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { runFacts } from './fileContexts';

export const BOM = 0xfeff;

export interface ByteOrderMarkData {
	/** The quick fix deletes the mark: the first character of the document. */
	readonly removeBom: true;
}

export function checkByteOrderMark(ctx: NginxContext): void {
	const { file } = ctx;
	if (file.text.charCodeAt(0) !== BOM) { return; }
	// a file read only as the body of a data block (map, types): the mark is part of a key there
	if (runFacts(ctx).allData[0] === 1) { return; }
	const t = file.tree;
	// the squiggle covers the mark and the word it sticks to (the mark alone has no width on screen)
	let length = 1;
	let word = '';
	if (t.tokenCount > 0 && t.tokStart[0] === 0) {
		length = t.tokEnd[0];
		word = file.text.slice(1, t.tokEnd[0]);
	}
	const data: ByteOrderMarkData = { removeBom: true };
	const said = word ? `unknown directive "\\ufeff${word}"` : t.tokenCount > 0 ? 'unknown directive "\\ufeff"' : 'unexpected end of file';
	ctx.report({ code: Codes.nginxByteOrderMark, offset: 0, length, args: { said }, data });
}
