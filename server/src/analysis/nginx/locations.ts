/**
 * Location blocks as ngx_http_core_location checks them: the same location twice in one block
 * (nginx: duplicate location "/x"), a prefix location nested in one it does not extend
 * (location "/media/" is outside location "/static/"; in a regex location the prefix must start
 * with the regex's text, as nginx compares them), locations inside exact or named ones — also
 * when the nested location comes from an included file. Reported as nginx-duplicate-directive
 * and nginx-location-nesting.
 */
import type { NginxDirective } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { directiveId, directiveIds, tokenText } from './facts';
import { includeGraph, runFacts } from './fileContexts';

const LOCATION = directiveId('location');

interface Match {
	readonly modifier: '' | '=' | '~' | '~*' | '^~' | '@';
	readonly path: string;
}

export function locationMatch(d: NginxDirective): Match | undefined {
	const [a, b] = d.args;
	if (!a) { return undefined; }
	if (b) { return ['=', '~', '~*', '^~'].includes(a.value) ? { modifier: a.value as Match['modifier'], path: b.value } : undefined; }
	const v = a.value;
	if (v.startsWith('@')) { return { modifier: '@', path: v }; }
	if (v.startsWith('~*')) { return { modifier: '~*', path: v.slice(2) }; }
	if (v.startsWith('^~')) { return { modifier: '^~', path: v.slice(2) }; }
	if (v.startsWith('~')) { return { modifier: '~', path: v.slice(1) }; }
	if (v.startsWith('=')) { return { modifier: '=', path: v.slice(1) }; }
	return { modifier: '', path: v };
}

/**
 * The modifier written as an argument of its own (`location ~ re`) as a small number: `^~` 0
 * (counted with plain prefixes: nginx treats them as one for duplicates), `=` 1, `~` 2, `~*` 3;
 * -1 for anything else. A plain token is read by its characters, nothing cut.
 */
function modifierKey(file: NginxContext['file'], a: number): number {
	const t = file.tree;
	if (t.tokFlags[a] !== 0) {
		const v = tokenText(file, a);
		return v === '^~' ? 0 : v === '=' ? 1 : v === '~' ? 2 : v === '~*' ? 3 : -1;
	}
	const s = t.tokStart[a];
	const len = t.tokEnd[a] - s;
	const c0 = file.text.charCodeAt(s);
	if (len === 1) { return c0 === 61 /* = */ ? 1 : c0 === 126 /* ~ */ ? 2 : -1; }
	if (len !== 2) { return -1; }
	const c1 = file.text.charCodeAt(s + 1);
	return c0 === 126 && c1 === 42 /* * */ ? 3 : c0 === 94 /* ^ */ && c1 === 126 ? 0 : -1;
}

/**
 * A location's match from its tokens, without making views: the modifier key and the path,
 * which lies in the text at [start, end) for a plain token or is `str`. False when there is none.
 */
function tokenMatch(file: NginxContext['file'], d: number, out: { key: number; start: number; end: number; str: string | undefined }): boolean {
	const t = file.tree;
	const text = file.text;
	const argc = t.dirArgc[d];
	const a = t.dirTok[d] + 1;
	out.str = undefined;
	if (argc >= 2) {
		const key = modifierKey(file, a);
		if (key < 0) { return false; }
		out.key = key;
		if (t.tokFlags[a + 1] === 0) {
			out.start = t.tokStart[a + 1];
			out.end = t.tokEnd[a + 1];
		} else {
			out.str = tokenText(file, a + 1);
		}
		return true;
	}
	let v: string;
	let s0: number;
	const plain = t.tokFlags[a] === 0;
	if (plain) {
		v = text;
		s0 = t.tokStart[a];
	} else {
		v = tokenText(file, a);
		s0 = 0;
	}
	const e0 = plain ? t.tokEnd[a] : v.length;
	const c0 = e0 > s0 ? v.charCodeAt(s0) : -1;
	const c1 = e0 > s0 + 1 ? v.charCodeAt(s0 + 1) : -1;
	let skip = 0;
	if (c0 === 64 /* @ */) { out.key = 4; } else if (c0 === 126 /* ~ */ && c1 === 42 /* * */) { out.key = 3; skip = 2; } else if (c0 === 94 /* ^ */ && c1 === 126) { out.key = 0; skip = 2; } else if (c0 === 126) { out.key = 2; skip = 1; } else if (c0 === 61 /* = */) { out.key = 1; skip = 1; } else { out.key = 0; }
	if (plain) {
		out.start = s0 + skip;
		out.end = e0;
	} else {
		out.str = v.slice(skip);
	}
	return true;
}

/** The modifier of location `d` (by index), as nginx reads it: `''` (prefix), `=`, `~`, `~*`, `^~`, `@`; undefined when there is none it takes. */
export function locationModifier(file: NginxContext['file'], d: number): '' | '=' | '~' | '~*' | '^~' | '@' | undefined {
	const t = file.tree;
	const argc = t.dirArgc[d];
	if (argc === 0) { return undefined; }
	const a = tokenText(file, t.dirTok[d] + 1);
	if (argc >= 2) { return a === '=' || a === '~' || a === '~*' || a === '^~' ? a : undefined; }
	for (const m of ['@', '~*', '^~', '~', '='] as const) {
		if (a.startsWith(m)) { return m; }
	}
	return '';
}

/**
 * The first location seen per 32-bit hash: open addressing over typed arrays. (A Map keyed by
 * the hashes cost half of this check: most hashes are outside the small-integer range, so each
 * key was a heap number.)
 */
class HashSlots {
	private readonly hashes: Int32Array;
	private readonly values: Int32Array;
	private readonly mask: number;

	constructor(n: number) {
		let size = 16;
		while (size < n * 2) { size <<= 1; }
		this.hashes = new Int32Array(size);
		this.values = new Int32Array(size).fill(-1);
		this.mask = size - 1;
	}

	/** The value stored under `h`, or -1 after storing `value` under it. */
	firstOrAdd(h: number, value: number): number {
		let slot = (h ^ (h >>> 16)) & this.mask;
		for (;;) {
			const v = this.values[slot];
			if (v < 0) {
				this.hashes[slot] = h;
				this.values[slot] = value;
				return -1;
			}
			if (this.hashes[slot] === h) { return v; }
			slot = (slot + 1) & this.mask;
		}
	}
}

function hashRange(h: number, text: string, s: number, e: number): number {
	for (let k = s; k < e; k++) { h = Math.imul(h ^ text.charCodeAt(k), 0x01000193); }
	return h;
}

export function checkLocations(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	const text = file.text;
	const f = runFacts(ctx);
	// duplicates: by a hash of (block, modifier, path) the first location seen; on equal hashes the
	// full keys are compared, and locations whose hash another key took go to a map by full key
	const locations = f.byName.of(LOCATION);
	const seen = new HashSlots(locations.length);
	let byKey: Map<string, number> | undefined;
	const m = { key: 0, start: 0, end: 0, str: undefined as string | undefined };
	const topLevel: number[] = [];
	for (const index of locations) {
		const parentBlock = t.dirParent[index];
		if (t.dirBlock[index] < 0 || f.blockSet[parentBlock] === 0 || t.dirArgc[index] === 0) { continue; }
		if (!tokenMatch(file, index, m)) {
			if (t.dirArgc[index] >= 2) {
				const mod = file.token(t.dirTok[index] + 1);
				ctx.report({ code: Codes.nginxInvalidValue, offset: mod.offset, length: mod.length, args: { name: 'location', detail: `"${mod.value}" is no location modifier (=, ~, ~*, ^~): nginx stops with "invalid location modifier". Write the path alone for a prefix location, or put the modifier before it.` } });
			}
			continue;
		}
		const seed = Math.imul(0x811c9dc5 ^ parentBlock, 0x01000193) ^ m.key;
		const h = m.str === undefined ? hashRange(seed, text, m.start, m.end) : hashRange(seed, m.str, 0, m.str.length);
		const other = seen.firstOrAdd(h, index);
		let first: number | undefined;
		if (other >= 0) {
			const mine = keyOf(file.directive(index))!;
			if (keyOf(file.directive(other)) === mine) {
				first = other;
			} else {
				byKey ??= new Map();
				first = byKey.get(mine);
				if (first === undefined) { byKey.set(mine, index); }
			}
		}
		if (first !== undefined) {
			const d = file.directive(index);
			const x = locationMatch(d)!;
			const f0 = file.directive(first);
			ctx.report({
				code: Codes.nginxDuplicateDirective, offset: d.args[0].offset, length: d.args[d.args.length - 1].offset + d.args[d.args.length - 1].length - d.args[0].offset,
				args: { name: `location ${x.path}` }, related: [{ uri: ctx.uri, offset: f0.offset, length: f0.name.length, message: 'first defined here' }],
			});
		}
		const owner = t.blockOwner[parentBlock];
		if (owner < 0) {
			if (parentBlock === 0) { topLevel.push(index); }
			continue;
		}
		if (f.ids[owner] !== LOCATION) { continue; }
		checkNesting(ctx, file.directive(index), file.directive(owner));
	}
	if (topLevel.length) { checkIncludedNesting(ctx, topLevel); }
}

/**
 * The locations at the top of a file included inside a location (directly, or through files
 * included at the top of others): each is nested in that location. Reported once, for the
 * first enclosing location it does not fit.
 */
function checkIncludedNesting(ctx: NginxContext, topLevel: readonly number[]): void {
	const graph = includeGraph(ctx);
	if (!graph.includersOf(ctx.uri).length) { return; }
	const parents: { directive: NginxDirective; uri: string }[] = [];
	const seen = new Set<string>([ctx.uri]);
	const queue = [ctx.uri];
	for (let i = 0; i < queue.length && parents.length < 64; i++) {
		for (const edge of graph.includersOf(queue[i])) {
			const from = graph.fileOf(edge.from);
			if (!from) { continue; }
			const block = from.tree.dirParent[edge.index];
			const owner = from.tree.blockOwner[block];
			if (owner >= 0) {
				if (directiveIds(from)[owner] === LOCATION) { parents.push({ directive: from.directive(owner), uri: edge.from }); }
			} else if (!seen.has(edge.from)) {
				seen.add(edge.from);
				queue.push(edge.from);
			}
		}
	}
	if (!parents.length) { return; }
	const file = ctx.file;
	for (const index of topLevel) {
		const d = file.directive(index);
		for (const p of parents) {
			const before = reported;
			checkNesting(countingReports(ctx), d, p.directive, `through an include in ${p.uri.slice(p.uri.lastIndexOf('/') + 1)}`);
			if (reported > before) { break; }
		}
	}
}

let reported = 0;

/** The context with a report that counts (to stop at a file's first misfit). */
function countingReports(ctx: NginxContext): NginxContext {
	return { ...ctx, report: f => { reported++; ctx.report(f); } };
}

/** The duplicate key of a location: block, modifier (`^~` as none), path. */
function keyOf(d: NginxDirective): string | undefined {
	const m = locationMatch(d);
	return m && `${d.parent}\u0000${m.modifier === '^~' ? '' : m.modifier}\u0000${m.path}`;
}

/** A location nested in another: nginx's rules for exact, named and prefix parents. `via`: where the parent is, when in another file. */
function checkNesting(ctx: NginxContext, d: NginxDirective, parent: NginxDirective, via?: string): void {
	const m = locationMatch(d);
	const pm = locationMatch(parent);
	if (!m || !pm) { return; }
	const where = d.args[0];
	if (pm.modifier === '=' || pm.modifier === '@') {
		ctx.report({ code: Codes.nginxLocationNesting, offset: where.offset, length: where.length, args: { detail: `nginx does not allow a location inside ${pm.modifier === '=' ? 'an exact' : 'a named'} location ("${pm.path}"${via ? `, ${via}` : ''}).` } });
	} else if (m.modifier === '@') {
		ctx.report({ code: Codes.nginxLocationNesting, offset: where.offset, length: where.length, args: { detail: `a named location ("${m.path}") must stand at the server level, not inside location "${pm.path}"${via ? ` (${via})` : ''}.` } });
	} else if ((m.modifier === '' || m.modifier === '^~' || m.modifier === '=') && !m.path.startsWith(pm.path)) {
		// nginx compares the nested location's text with the parent's, a regex parent's too (its regex as written)
		const why = pm.modifier === '~' || pm.modifier === '~*'
			? 'nginx requires a prefix location nested in a regex location to start with the regex text itself (it compares them as strings). Make it a regex location too, or move it out'
			: 'a nested prefix location must start with its parent\'s prefix';
		ctx.report({ code: Codes.nginxLocationNesting, offset: where.offset, length: where.length, args: { detail: `location "${m.path}" is outside location "${pm.path}"${via ? ` (${via})` : ''}: ${why}.` } });
	}
}
