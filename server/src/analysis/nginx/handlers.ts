/**
 * nginx-overridden-handler: two different content handlers in one block. Each of them (proxy_pass,
 * uwsgi_pass, stub_status, …) only sets the block's content handler, so nginx accepts them side by
 * side and the last one wins: the others are never used. The same pass twice is refused instead
 * ("directive is duplicate", nginx-duplicate-directive).
 *
 * Which directives set a handler, from nginx's sources (each assigns the location's `handler`;
 * in stream, the server's): http proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass,
 * memcached_pass, stub_status, empty_gif, flv, mp4, perl; stream proxy_pass, return, pass.
 */
import { TERM_MISSING } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { DIRECTIVE_IDS, directiveId, SetPredicate } from './facts';
import { runFacts } from './fileContexts';

const HTTP_HANDLERS = ['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass', 'stub_status', 'empty_gif', 'flv', 'mp4', 'perl'];
const STREAM_HANDLERS = ['proxy_pass', 'return', 'pass'];

/** By directive id + 1: 1 for an http handler, 2 for a stream one, 3 for both (proxy_pass). */
const KIND = new Uint8Array(DIRECTIVE_IDS + 1);
for (const n of HTTP_HANDLERS) { const id = directiveId(n); if (id >= 0) { KIND[id + 1] |= 1; } }
for (const n of STREAM_HANDLERS) { const id = directiveId(n); if (id >= 0) { KIND[id + 1] |= 2; } }

/** Blocks where http handlers set the content handler: locations, `if` in a location, limit_except. */
const IN_HTTP_LOCATION = new SetPredicate(c => c.length > 0 && c.every(x => x === 'http.location' || x === 'http.location.if' || x === 'http.limit_except'));
const IN_STREAM_SERVER = new SetPredicate(c => c.length > 0 && c.every(x => x === 'stream.server'));

/** Payload of the finding: the text to delete to drop the unused handler (its statement, or its whole line). */
export interface OverriddenHandlerData {
	readonly remove: { readonly offset: number; readonly length: number };
}

export function checkOverriddenHandlers(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const file = ctx.file;
	const t = file.tree;
	const found = f.byName.flagged(KIND);
	if (found.length < 2) { return; }
	// from the end: by block, the last handler it holds (what nginx uses); every earlier one of another name is never used
	const lastOf = new Int32Array(t.blockCount).fill(-1);
	for (let i = found.length - 1; i >= 0; i--) {
		const d = found[i];
		const block = t.dirParent[d];
		const kind = handlerKind(f.blockSet[block], KIND[f.ids[d] + 1]);
		if (kind === 0 || t.dirTerm[d] === TERM_MISSING || t.dirBlock[d] >= 0) { continue; }
		const last = lastOf[block];
		if (last < 0) {
			lastOf[block] = d;
			continue;
		}
		if (f.ids[last] === f.ids[d]) { continue; }
		const name = file.token(t.dirTok[d]);
		const winner = file.token(t.dirTok[last]);
		const data: OverriddenHandlerData = { remove: statementSpan(file.text, t.tokStart[t.dirTok[d]], t.dirEnd[d]) };
		ctx.report({
			code: Codes.nginxOverriddenHandler, offset: name.offset, length: t.dirEnd[d] - name.offset,
			args: { name: name.value, winner: winner.value, line: lineOf(file.text, winner.offset), where: kind === 2 ? 'server' : 'location' },
			data, tags: ['unnecessary'],
			related: [{ uri: ctx.uri, offset: winner.offset, length: t.dirEnd[last] - winner.offset, message: `${winner.value} is the handler nginx uses` }],
		});
	}
}

/** 1 when a handler of `kinds` sets the content handler in a block of this context set as an http one, 2 as a stream one, else 0. */
function handlerKind(set: number, kinds: number): number {
	if (set === 0) { return 0; }
	if ((kinds & 1) !== 0 && IN_HTTP_LOCATION.has(set)) { return 1; }
	if ((kinds & 2) !== 0 && IN_STREAM_SERVER.has(set)) { return 2; }
	return 0;
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
	let n = 1;
	for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) { n++; }
	return n;
}

/**
 * What to delete to remove the statement [start, end): its whole line when nothing else stands
 * on it, else the statement and the blanks after it (a comment after it stays).
 */
export function statementSpan(text: string, start: number, end: number): { offset: number; length: number } {
	let lineStart = start;
	while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) { lineStart--; }
	let after = end;
	while (after < text.length && (text[after] === ' ' || text[after] === '\t')) { after++; }
	const aloneBefore = lineStart === 0 || text[lineStart - 1] === '\n';
	const eol = after === text.length || text[after] === '\n' || text[after] === '\r';
	if (aloneBefore && eol) {
		let lineEnd = after;
		if (text[lineEnd] === '\r') { lineEnd++; }
		if (text[lineEnd] === '\n') { lineEnd++; }
		return { offset: lineStart, length: lineEnd - lineStart };
	}
	return { offset: start, length: after - start };
}
