/**
 * Shared helpers of the security and best-practice rules: the blocks enclosing a directive, what
 * one configuration level defines (its own directives plus those its includes bring in), and the
 * variables a value uses.
 */
import type { NginxBlock, NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import type { NginxContext } from '../context';
import { includeGraph } from './fileContexts';
import type { NginxIncludeGraph } from './includes';
import { directiveId, directiveIds } from './facts';
import { Memo } from '../../utils/memo';

/**
 * How many enclosing levels the rules look at. Real configs nest a handful; the limit keeps the
 * rules linear on hostile files with thousands of nested blocks.
 */
export const MAX_LEVELS = 64;

/** The directives owning the blocks around `d`, innermost first (`location`, `server`, `http`, ...). */
export function owners(file: NginxFile, d: NginxDirective): NginxDirective[] {
	const out: NginxDirective[] = [];
	let b: NginxBlock | undefined = file.block(d.parent);
	while (b?.owner && out.length < MAX_LEVELS) {
		out.push(b.owner);
		b = file.block(b.owner.parent);
	}
	return out;
}

/** The block a directive stands in, and the blocks around it, innermost first (the top level last). */
export function levels(file: NginxFile, d: NginxDirective): NginxBlock[] {
	const out: NginxBlock[] = [];
	let b: NginxBlock | undefined = file.block(d.parent);
	while (b && out.length < MAX_LEVELS) {
		out.push(b);
		b = b.owner ? file.block(b.owner.parent) : undefined;
	}
	return out;
}

/** One directive a level defines: in this file, or brought in by an include of this level. */
export interface LevelItem {
	readonly directive: NginxDirective;
	/** The file the directive is written in. */
	readonly uri: string;
	/** The include of this level that brought it in (undefined: written in the level itself). */
	readonly via?: NginxDirective;
}

const FASTCGI_PARAMS = ['QUERY_STRING', 'REQUEST_METHOD', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'SCRIPT_NAME', 'REQUEST_URI', 'DOCUMENT_URI', 'DOCUMENT_ROOT',
	'SERVER_PROTOCOL', 'REQUEST_SCHEME', 'HTTPS', 'GATEWAY_INTERFACE', 'SERVER_SOFTWARE', 'REMOTE_ADDR', 'REMOTE_PORT', 'SERVER_ADDR', 'SERVER_PORT',
	'SERVER_NAME', 'REDIRECT_STATUS'].map(k => ['fastcgi_param', k] as const);

/** Directives of the standard files nginx packages ship, by file name: (directive, first argument). */
const STANDARD_CONTENT: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
	'uwsgi_params': ['QUERY_STRING', 'REQUEST_METHOD', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'REQUEST_URI', 'PATH_INFO', 'DOCUMENT_ROOT',
		'SERVER_PROTOCOL', 'REQUEST_SCHEME', 'HTTPS', 'REMOTE_ADDR', 'REMOTE_PORT', 'SERVER_PORT', 'SERVER_NAME'].map(k => ['uwsgi_param', k] as const),
	'scgi_params': ['REQUEST_METHOD', 'REQUEST_URI', 'QUERY_STRING', 'CONTENT_TYPE', 'DOCUMENT_URI', 'DOCUMENT_ROOT', 'SCGI', 'SERVER_PROTOCOL',
		'REQUEST_SCHEME', 'HTTPS', 'REMOTE_ADDR', 'REMOTE_PORT', 'SERVER_PORT', 'SERVER_NAME'].map(k => ['scgi_param', k] as const),
	'fastcgi_params': FASTCGI_PARAMS,
	'fastcgi.conf': [['fastcgi_param', 'SCRIPT_FILENAME'], ...FASTCGI_PARAMS],
	// Debian's proxy_params
	'proxy_params': ['Host', 'X-Real-IP', 'X-Forwarded-For', 'X-Forwarded-Proto'].map(k => ['proxy_set_header', k] as const),
};

/** What one level defines of the named directives. */
export interface LevelContent {
	readonly items: LevelItem[];
	/** (directive, first argument) pairs a standard file included here brings (no text to point at). */
	readonly standard: { readonly name: string; readonly key: string; readonly via: NginxDirective }[];
	/** An include of this level could not be read (outside the workspace, or a variable in its path). */
	readonly unknown: boolean;
}

/** The directives named `names` that `block` defines, following its includes into workspace files. */
export function levelContent(ctx: NginxContext, block: NginxBlock, names: ReadonlySet<string>, uri = ctx.uri): LevelContent {
	const graph = includeGraph(ctx);
	const out: { items: LevelItem[]; standard: LevelContent['standard'][number][]; unknown: boolean } = { items: [], standard: [], unknown: false };
	const file = uri === ctx.uri ? ctx.file : graph.fileOf(uri);
	if (!file) { return { ...out, unknown: true }; }
	collect(graph, uri, file, block.index, names, undefined, out, new Set([uri]));
	return out;
}

const INCLUDE = directiveId('include');
const nameIds = new Memo<ReadonlySet<string>, { ids: Set<number>; unknown: boolean }>();

/** The ids of a set of names, and whether one of them is a name no module defines (compared as a string then). */
function idsOf(names: ReadonlySet<string>): { ids: Set<number>; unknown: boolean } {
	let x = nameIds.get(names);
	if (!x) {
		const ids = [...names].map(directiveId);
		x = { ids: new Set(ids.filter(id => id >= 0)), unknown: ids.some(id => id < 0) };
		nameIds.set(names, x);
	}
	return x;
}

/** The level's directives of `names`, read from the compact tree (views only for the matches). */
function collect(graph: NginxIncludeGraph, uri: string, file: NginxFile, block: number, names: ReadonlySet<string>, via: NginxDirective | undefined,
	out: { items: LevelItem[]; standard: LevelContent['standard'][number][]; unknown: boolean }, seen: Set<string>): void {
	const t = file.tree;
	const ids = directiveIds(file);
	const wanted = idsOf(names);
	for (let d = t.blockFirst[block]; d >= 0; d = t.dirNext[d]) {
		const id = ids[d];
		if (id >= 0 ? wanted.ids.has(id) : wanted.unknown && names.has(file.token(t.dirTok[d]).value)) {
			out.items.push({ directive: file.directive(d), uri, via });
			continue;
		}
		if (id !== INCLUDE || t.dirBlock[d] >= 0) { continue; }
		const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[d]]);
		if (!edge) { out.unknown = true; continue; }
		if (edge.standard) {
			for (const [n, key] of STANDARD_CONTENT[edge.standard] ?? []) {
				if (names.has(n)) { out.standard.push({ name: n, key, via: via ?? file.directive(d) }); }
			}
			continue;
		}
		if (!edge.targets.length) {
			if (!edge.glob) { out.unknown = true; }
			continue;
		}
		for (const target of edge.targets) {
			if (seen.has(target)) { continue; }
			const other = graph.fileOf(target);
			if (!other) { out.unknown = true; continue; }
			seen.add(target);
			collect(graph, target, other, 0, names, via ?? file.directive(d), out, seen);
		}
	}
}

/** True when other files of the workspace include this one (so its top level inherits from theirs). */
export function isIncluded(ctx: NginxContext): boolean {
	return includeGraph(ctx).includersOf(ctx.uri).length > 0;
}

/** The variables a value refers to (`$name`, `${name}`, `$1`), with their offsets in the value. */
export function variablesIn(value: string): { name: string; index: number; length: number }[] {
	const out: { name: string; index: number; length: number }[] = [];
	const re = /\$(?:\{(\w+)\}|(\d)|([A-Za-z_]\w*))/g;
	for (let m = re.exec(value); m; m = re.exec(value)) {
		out.push({ name: m[1] ?? m[2] ?? m[3], index: m.index, length: m[0].length });
	}
	return out;
}

/** The condition of an `if` as one string, without its parentheses: `$x ~* ^/a`. */
export function ifCondition(d: NginxDirective): { variable: string; operator: string; operand: string } | undefined {
	if (!d.args.length) { return undefined; }
	const parts = d.args.map(a => a.value);
	parts[0] = parts[0].replace(/^\(/, '');
	parts[parts.length - 1] = parts[parts.length - 1].replace(/\)$/, '');
	const words = parts.filter(Boolean);
	if (words.length === 3) { return { variable: words[0], operator: words[1], operand: words[2] }; }
	return undefined;
}

/** Offset in the document of the character at `index` of a token's value (the whole token when escapes shift it). */
export function valueOffset(token: { readonly offset: number; readonly raw: string; readonly value: string; readonly quote: '"' | "'" | null }, index: number): number | undefined {
	const inner = token.quote ? token.raw.slice(1, -1) : token.raw;
	return inner === token.value ? token.offset + (token.quote ? 1 : 0) + index : undefined;
}
