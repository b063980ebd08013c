/**
 * Where the regex captures a directive refers to ($1 … $9, named captures) come from. nginx keeps
 * the captures of the last regular expression that matched: the regex location, an `if` condition,
 * a `rewrite`, a regex `server_name`. For a `rewrite`, its replacement refers to its own regex.
 */
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import type { NginxContext, WorkspaceView } from '../context';
import { locationMatch } from './locations';
import { readRegex, type RegexInfo } from './regex';
import { ifCondition } from './scope';
import { Memo } from '../../utils/memo';

export interface RegexSource {
	readonly directive: NginxDirective;
	readonly regex: string;
	/** What the regex is matched against: `$uri` for locations and rewrites, the variable of an if, `$host` for server_name. */
	readonly subject: string;
	readonly info: RegexInfo;
}

/** Directives whose first argument may be a regex (`~…`) that their other arguments refer to. */
const OWN_REGEX: ReadonlySet<string> = new Set(['proxy_redirect', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_cookie_flags', 'uwsgi_cookie_domain', 'uwsgi_cookie_path',
	'fastcgi_cookie_domain', 'fastcgi_cookie_path', 'scgi_cookie_domain', 'scgi_cookie_path', 'grpc_cookie_domain', 'grpc_cookie_path']);

/** What readRegex found, by regex text (configs repeat the same few expressions). */
export type RegexCache = Map<string, RegexInfo>;

const caches = new Memo<WorkspaceView, RegexCache>();

/**
 * The regex cache of a workspace: it lasts as long as the language service does, so an edit
 * re-reads only the regexes it changed, while a new service (each run of the benchmark) starts
 * cold and pays for reading every regex of the file.
 */
export function regexCache(ctx: Pick<NginxContext, 'workspace'>): RegexCache {
	let cache = caches.get(ctx.workspace);
	if (!cache) {
		cache = new Map();
		caches.set(ctx.workspace, cache);
	}
	return cache;
}

/** readRegex, remembered in `cache`. */
export function regexInfo(cache: RegexCache, re: string): RegexInfo {
	let info = cache.get(re);
	if (!info) {
		if (cache.size > 5000) { cache.clear(); }
		info = readRegex(re);
		cache.set(re, info);
	}
	return info;
}

/** The regexes a directive itself matches with (that set captures): location ~, if (… ~ …), rewrite, server_name ~. */
function ownRegexes(cache: RegexCache, d: NginxDirective): RegexSource[] {
	const name = d.name.value;
	const make = (regex: string, subject: string): RegexSource => ({ directive: d, regex, subject, info: regexInfo(cache, regex) });
	if (name === 'location') {
		const m = locationMatch(d);
		return m && (m.modifier === '~' || m.modifier === '~*') ? [make(m.path, '$uri')] : [];
	}
	if (name === 'if') {
		const c = ifCondition(d);
		return c && (c.operator === '~' || c.operator === '~*') ? [make(c.operand, c.variable)] : [];
	}
	if (name === 'rewrite') {
		return d.args.length >= 2 ? [make(d.args[0].value, '$uri')] : [];
	}
	if (name === 'server_name') {
		return d.args.filter(a => a.value.startsWith('~')).map(a => make(a.value.slice(1), '$host'));
	}
	return [];
}

/**
 * Every regex whose captures may be in effect where `d` runs: its own (rewrite), the enclosing
 * regex locations and ifs, and the rewrites, ifs and regex server names of the enclosing levels.
 * `nearest` is the one that most likely set them: the rewrite itself, else the innermost
 * enclosing if or regex location.
 */
export function captureSources(ctx: Pick<NginxContext, 'file' | 'workspace'>, d: NginxDirective): { all: RegexSource[]; nearest?: RegexSource } {
	const cache = regexCache(ctx);
	if (d.name.value === 'rewrite') {
		const own = ownRegexes(cache, d);
		return { all: own, nearest: own[0] };
	}
	if (OWN_REGEX.has(d.name.value)) {
		// proxy_redirect ~regex replacement: the replacement refers to its own regex
		const first = d.args[0]?.value ?? '';
		if (first.startsWith('~')) {
			const regex = first.replace(/^~\*?/, '');
			const own = { directive: d, regex, subject: '', info: regexInfo(cache, regex) };
			return { all: [own], nearest: own };
		}
	}
	return blockSources(ctx.file, cache, d.parent);
}

const memo = new Memo<NginxFile, Map<number, { all: RegexSource[]; nearest?: RegexSource }>>();

/** The sources of a block: its owner's own regex, the rewrites, ifs and server names among its children, and its parent's (memoised: linear in the file). */
function blockSources(file: NginxFile, cache: RegexCache, index: number): { all: RegexSource[]; nearest?: RegexSource } {
	let byBlock = memo.get(file);
	if (!byBlock) { byBlock = new Map(); memo.set(file, byBlock); }
	const hit = byBlock.get(index);
	if (hit) { return hit; }
	// walk up to the first memoised block (iteratively: nesting may be deep)
	const chain: number[] = [];
	let i: number | undefined = index;
	while (i !== undefined && !byBlock.has(i)) {
		chain.push(i);
		const owner: NginxDirective | undefined = file.block(i).owner;
		i = owner ? owner.parent : undefined;
	}
	let above = i === undefined ? { all: [] as RegexSource[], nearest: undefined as RegexSource | undefined } : byBlock.get(i)!;
	for (let k = chain.length - 1; k >= 0; k--) {
		const block = file.block(chain[k]);
		const all = [...above.all];
		let nearest = above.nearest;
		const owner = block?.owner;
		if (owner && owner.name.value !== 'server') {
			const mine = ownRegexes(cache, owner);
			if (mine.length) { nearest = mine[0]; all.push(...mine); }
		}
		for (const c of block?.children ?? []) {
			if (c.kind !== 'directive') { continue; }
			const n = c.name.value;
			if (n === 'rewrite' || n === 'if' || n === 'server_name') { all.push(...ownRegexes(cache, c)); }
		}
		// keep the lists short on hostile nesting: the most recent sources are what matter
		const entry = { all: all.length > 256 ? all.slice(-256) : all, nearest };
		byBlock.set(chain[k], entry);
		above = entry;
	}
	return above;
}

/** References to captures in a value: `$1` … `$9`, `${1}`, and names (checked against named groups by the caller). */
export function numberedRefs(value: string): { ref: string; index: number; length: number }[] {
	const out: { ref: string; index: number; length: number }[] = [];
	if (!value.includes('$')) { return out; }
	const re = /\$(?:\{(\d)\}|(\d))/g;
	for (let m = re.exec(value); m; m = re.exec(value)) {
		out.push({ ref: m[1] ?? m[2], index: m.index, length: m[0].length });
	}
	return out;
}
