/**
 * nginx-header-inheritance: a block that defines `add_header` (or `proxy_set_header`,
 * `uwsgi_param`, `fastcgi_param`, `scgi_param`, `grpc_set_header`) while an enclosing level has
 * some too. nginx inherits these lists only into a level that defines none itself, so the outer
 * ones — often the security headers of the server — silently vanish for this block.
 *
 * The standard uwsgi parameters are left to nginx-missing-uwsgi-params (reported on the
 * uwsgi_pass), so a level that drops only them is not reported here.
 */
import type { NginxBlock, NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { includeGraph, isUncheckable } from './fileContexts';
import { NameFilter } from './facts';
import { levelContent, MAX_LEVELS, type LevelContent } from './scope';

/** Directive groups that nginx inherits as one list. */
const GROUPS: readonly (readonly string[])[] = [
	['add_header', 'add_trailer'],
	['proxy_set_header'],
	['grpc_set_header'],
	['uwsgi_param'],
	['fastcgi_param'],
	['scgi_param'],
];

const filters = new Map(GROUPS.map(g => [g, new NameFilter(g)]));
const INCLUDE = new NameFilter(['include']);
/** What a level with no directive of the group and no include defines. */
const NOTHING: LevelContent = { items: [], standard: [], unknown: false };

const LEVEL_OWNERS = new Set(['http', 'server', 'location', 'if', 'limit_except']);

/** The standard uwsgi parameters nginx-missing-uwsgi-params looks after. */
const UWSGI_STANDARD = new Set(['QUERY_STRING', 'REQUEST_METHOD', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'REQUEST_URI', 'PATH_INFO', 'DOCUMENT_ROOT',
	'SERVER_PROTOCOL', 'REQUEST_SCHEME', 'HTTPS', 'REMOTE_ADDR', 'REMOTE_PORT', 'SERVER_PORT', 'SERVER_NAME']);

interface Entry {
	readonly key: string;
	/** Text to copy into the inner level to restore it: the directive, or the include that brings it. */
	readonly copy?: string;
	readonly copyFrom?: NginxDirective;
}

function keyOf(name: string, arg: string | undefined): string {
	const a = arg ?? '';
	return name.endsWith('_header') || name === 'add_trailer' ? `${name === 'add_trailer' ? 'trailer:' : ''}${a.toLowerCase()}` : a;
}

function entries(text: string, content: LevelContent): Entry[] {
	const out: Entry[] = [];
	for (const it of content.items) {
		const d = it.directive;
		const from = it.via ?? d;
		out.push({ key: keyOf(d.name.value, d.args[0]?.value), copy: textOf(text, from), copyFrom: from });
	}
	for (const s of content.standard) {
		out.push({ key: keyOf(s.name, s.key), copy: textOf(text, s.via), copyFrom: s.via });
	}
	return out;
}

function textOf(text: string, d: NginxDirective): string | undefined {
	if (d.semicolon < 0) { return undefined; }
	return text.slice(d.offset, d.semicolon + 1);
}

/** The level that `block`'s list would inherit from: the nearest enclosing one that defines any, in this file or (for the top level of an included file) where it is included. */
interface Outer {
	readonly uri: string;
	readonly file: NginxFile;
	readonly block: NginxBlock;
	readonly content: LevelContent;
}

function findOuter(ctx: NginxContext, contentOf: (uri: string, b: NginxBlock) => LevelContent, start: NginxBlock | undefined): Outer | undefined {
	const graph = includeGraph(ctx);
	let uri = ctx.uri;
	let file: NginxFile = ctx.file;
	let b = start;
	const seen = new Set<string>([uri]);
	for (let steps = 0; steps < MAX_LEVELS; steps++) {
		if (!b) { return undefined; }
		const c = contentOf(uri, b);
		if (c.unknown) { return undefined; }
		if (c.items.length || c.standard.length) { return { uri, file, block: b, content: c }; }
		if (b.owner) {
			b = file.block(b.owner.parent);
			continue;
		}
		// the top level of a file: go on where it is included, when that is one place
		const includers = graph.includersOf(uri);
		if (includers.length !== 1) { return undefined; }
		const edge = includers[0];
		const next = graph.fileOf(edge.from);
		if (!next || seen.has(edge.from)) { return undefined; }
		seen.add(edge.from);
		uri = edge.from;
		file = next;
		b = file.block(edge.directive.parent);
	}
	return undefined;
}

export function checkHeaderInheritance(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	// a block of this file with neither an include nor a directive of the group defines nothing of it
	const withInclude = new Uint8Array(t.blockCount);
	for (const d of INCLUDE.indexes(file)) { withInclude[t.dirParent[d]] = 1; }
	const includedOnce = includeGraph(ctx).includersOf(ctx.uri).length === 1;
	/**
	 * Whether findOuter can find a level for block b: some enclosing block of this file (within
	 * its step limit) defines some of the group or cannot be read (only blocks that write the
	 * group or include something are looked at), or the walk reaches the top level of a file
	 * included from one place. Walks the tree: no view of the candidate is made when it is false.
	 */
	const mayInherit = (b: number, written: Uint8Array, contentOf: (uri: string, b: NginxBlock) => LevelContent): boolean => {
		const owner = t.blockOwner[b];
		if (owner < 0) { return false; }
		let x = t.dirParent[owner];
		for (let steps = 0; steps < MAX_LEVELS; steps++) {
			if (written[x] || withInclude[x]) {
				const c = contentOf(ctx.uri, file.block(x));
				if (c.unknown || c.items.length || c.standard.length) { return true; }
			}
			const o = t.blockOwner[x];
			if (o < 0) { return includedOnce; }
			x = t.dirParent[o];
		}
		return false;
	};
	for (const group of GROUPS) {
		const names = new Set(group);
		const cache = new Map<NginxBlock, LevelContent>();
		const written = new Uint8Array(t.blockCount);
		const contentOf = (uri: string, b: NginxBlock) => {
			if (uri === ctx.uri && !written[b.index] && !withInclude[b.index]) { return NOTHING; }
			let c = cache.get(b);
			if (!c) { c = levelContent(ctx, b, names, uri); cache.set(b, c); }
			return c;
		};
		// only a block that writes one of the group itself can be reported: those are the parents of the group's directives
		// (listed as they are marked, then put in block order: no pass over every block per group)
		const list: number[] = [];
		for (const d of filters.get(group)!.indexes(file)) {
			const p = t.dirParent[d];
			if (!written[p]) { written[p] = 1; list.push(p); }
		}
		const parents = Int32Array.from(list).sort();
		for (const b of parents) {
			if (!mayInherit(b, written, contentOf)) { continue; }
			const block = file.block(b);
			const owner = block.owner;
			if (!owner || !LEVEL_OWNERS.has(owner.name.value)) { continue; }
			const own = contentOf(ctx.uri, block);
			const first = own.items.find(i => !i.via)?.directive;
			if (!first || own.unknown || isUncheckable(ctx, first)) { continue; }
			const found = findOuter(ctx, contentOf, file.block(owner.parent));
			if (!found) { continue; }
			const { block: outer, content: outerContent } = found;
			const inner = new Set(entries(file.text, own).map(e => e.key));
			const outerEntries = entries(found.file.text, outerContent);
			let dropped = outerEntries.filter(e => !inner.has(e.key));
			if (group[0] === 'uwsgi_param') { dropped = dropped.filter(e => !UWSGI_STANDARD.has(e.key)); }
			if (!dropped.length) { continue; }
			const keys = [...new Set(dropped.map(e => e.key.replace(/^trailer:/, '')))];
			// copy each outer directive (or include) once, unless an include also brings keys the inner level redefines
			const copies: string[] = [];
			const seen = new Set<NginxDirective>();
			let copyable = true;
			for (const e of dropped) {
				if (!e.copy || !e.copyFrom) { copyable = false; break; }
				if (seen.has(e.copyFrom)) { continue; }
				seen.add(e.copyFrom);
				copies.push(e.copy);
			}
			const viaIncludes = outerEntries.filter(e => e.copyFrom?.name.value === 'include');
			if (viaIncludes.some(e => seen.has(e.copyFrom!) && inner.has(e.key))) { copyable = false; }
			const outerName = outer.owner ? outer.owner.name.value : 'top level of the file';
			const elsewhere = found.uri !== ctx.uri;
			ctx.report({
				code: Codes.nginxHeaderInheritance, offset: first.name.offset, length: first.name.length,
				args: {
					name: first.name.value, here: owner.name.value, outer: elsewhere ? `${outerName} (in the file that includes this one)` : outerName,
					list: keys.slice(0, 5).map(k => `"${k}"`).join(', ') + (keys.length > 5 ? ` and ${keys.length - 5} more` : ''),
					verb: keys.length > 1 ? 'are' : 'is',
				},
				data: copyable ? { lines: copies, at: first.offset } : {},
				related: outer.owner ? [{ uri: found.uri, offset: outer.owner.name.offset, length: outer.owner.name.length, message: `the ${outerName} level whose ${first.name.value} lines are dropped` }] : undefined,
			});
		}
	}
}
