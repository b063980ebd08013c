/**
 * Regular expressions that misbehave:
 * - nginx-regex-backtracking: a group with an unbounded quantifier around content that repeats on
 *   its own (`(a+)+`, `(\w*)*`, `(.*)*`): on a long input that almost matches, PCRE tries every way
 *   to split it, and one request can keep a worker busy for seconds or minutes.
 * - nginx-regex-unanchored: a regex that checks where a request comes from (`$http_origin`,
 *   `$http_referer`, `valid_referers ~…`) without pinning the host: `example\.com` also matches
 *   `example.com.attacker.net` and `attacker.net/example.com`.
 */
import type { NginxDirective, NginxFile, NginxToken } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { regexCache, regexInfo } from './captures';
import { isUncheckable, runFacts } from './fileContexts';
import { locationMatch } from './locations';
import { ifCondition, valueOffset } from './scope';
import { directiveId, directiveIds, directivesByName, mayBeOneOf, NameFilter, tokenText } from './facts';

const LOCATION = directiveId('location');
const SERVER_NAME = directiveId('server_name');
const VALID_REFERERS = directiveId('valid_referers');
const MAP = directiveId('map');
import type { RegexInfo } from './regex';

/** Directives that can hold a regex by their name (map entries with a `~` key are found among the unknown names). */
const REGEX_HOLDERS = new NameFilter(['location', 'if', 'rewrite', 'server_name', 'valid_referers']);

/** The regexes a directive holds: (token, the regex text, offset of the regex in the token's value). */
function regexesOf(ctx: NginxContext, d: NginxDirective): { token: NginxToken; regex: string; skip: number }[] {
	const name = d.name.value;
	const out: { token: NginxToken; regex: string; skip: number }[] = [];
	if (name === 'location') {
		const m = locationMatch(d);
		if (m && (m.modifier === '~' || m.modifier === '~*')) {
			const t = d.args[d.args.length - 1];
			out.push({ token: t, regex: m.path, skip: t.value.length - m.path.length });
		}
	} else if (name === 'if') {
		const c = ifCondition(d);
		if (c && /^!?~\*?$/.test(c.operator)) {
			const t = d.args.length === 3 ? d.args[2] : d.args[d.args.length - 1];
			out.push({ token: t, regex: c.operand, skip: Math.max(0, t.value.indexOf(c.operand)) });
		}
	} else if (name === 'rewrite' && d.args.length >= 2) {
		out.push({ token: d.args[0], regex: d.args[0].value, skip: 0 });
	} else if (name === 'server_name' || name === 'valid_referers') {
		for (const a of d.args) {
			if (a.value.startsWith('~')) { out.push({ token: a, regex: a.value.slice(1), skip: 1 }); }
		}
	} else if (mapParent(ctx, d) && d.name.value.startsWith('~')) {
		const re = d.name.value.replace(/^~\*?/, '');
		out.push({ token: d.name, regex: re, skip: d.name.value.length - re.length });
	}
	return out;
}

/** The `map` a directive is an entry of (entries are parsed as directives of the map's block). */
function mapParent(ctx: NginxContext, d: NginxDirective): NginxDirective | undefined {
	const owner = ctx.file.block(d.parent).owner;
	return owner && owner.name.value === 'map' ? owner : undefined;
}

/**
 * Whether a plain `~regex value` entry can be reported: its regex has a group (backtracking), or
 * it stands in a map whose source is an origin or referer variable (anchoring). Read on the text.
 */
function mapEntryMatters(file: NginxFile, d: number): boolean {
	const t = file.tree;
	const k = t.dirTok[d];
	for (let i = t.tokStart[k]; i < t.tokEnd[k]; i++) {
		if (file.text.charCodeAt(i) === 40 /* ( */) { return true; }
	}
	const owner = t.blockOwner[t.dirParent[d]];
	return owner >= 0 && t.dirArgc[owner] > 0 && mayBeOneOf(file, t.dirTok[owner] + 1, ORIGIN_VARIABLES);
}

/** Indexes of the directives that can hold a regex, in document order. */
function regexDirectives(file: NginxFile): number[] {
	const t = file.tree;
	const ids = directiveIds(file);
	const out = REGEX_HOLDERS.indexes(file);
	let n = 0;
	// on the text first: a location without ~ and server names or referers without ~ hold no regex
	// (a plain loop with a write index, not filter with a closure: this runs on every location)
	for (let i = 0; i < out.length; i++) {
		const d = out[i];
		const first = t.dirTok[d] + 1;
		const argc = t.dirArgc[d];
		let keep = true;
		if (ids[d] === LOCATION) {
			keep = argc === 0 || !noTilde(file, first);
		} else if (ids[d] === SERVER_NAME || ids[d] === VALID_REFERERS) {
			keep = false;
			for (let k = first; k < first + argc; k++) { if (!noTilde(file, k)) { keep = true; break; } }
		}
		if (keep) { out[n++] = d; }
	}
	out.length = n;
	let extra = false;
	for (const d of directivesByName(file).of(-1)) {
		// a name no module defines holds a regex only as a `~` key of a map entry (checkRegexes finds
		// no regex in it elsewhere); one that cannot be reported (no group, a source that is not an
		// origin or referer) is left out on the text. For a quoted key too: its text has a "(" whenever
		// its value does; only a map on the word `referer` is kept, which the check reads as a referer.
		const owner = t.blockOwner[t.dirParent[d]];
		if (owner < 0 || ids[owner] !== MAP) { continue; }
		const k = t.dirTok[d];
		// a plain key that does not start with ~ is no regex (most maps' `default` and exact keys): read nothing more
		if (t.tokFlags[k] === 0 && file.text.charCodeAt(t.tokStart[k]) !== 126 /* ~ */) { continue; }
		if (!mapEntryMatters(file, d) && (t.tokFlags[k] === 0 || !sourceIsReferer(file, owner))) { continue; }
		if (t.tokFlags[k] === 0 ? file.text.charCodeAt(t.tokStart[k]) === 126 /* ~ */ : file.token(k).value.startsWith('~')) {
			out.push(d);
			extra = true;
		}
	}
	if (extra) { out.sort((a, b) => a - b); }
	return out;
}

/** Whether a map's source is the plain word `referer`. */
function sourceIsReferer(file: NginxFile, map: number): boolean {
	const t = file.tree;
	if (t.dirArgc[map] === 0) { return false; }
	const a = t.dirTok[map] + 1;
	return t.tokFlags[a] !== 0 ? file.token(a).value === 'referer' : t.tokEnd[a] - t.tokStart[a] === 7 && file.text.startsWith('referer', t.tokStart[a]);
}

/** Whether token k is plain and does not start with `~` (so it holds no regex). */
function noTilde(file: NginxFile, k: number): boolean {
	return file.tree.tokFlags[k] === 0 && file.text.charCodeAt(file.tree.tokStart[k]) !== 126;
}

/**
 * The regex of a regex location (`location ~ re`, `location ~* re`, `location ~re`), read from
 * the tokens as locationMatch reads it, without a view; undefined for other locations.
 */
function locationRegex(file: NginxFile, d: number): string | undefined {
	const t = file.tree;
	const argc = t.dirArgc[d];
	const a = t.dirTok[d] + 1;
	if (argc === 0) { return undefined; }
	if (argc >= 2) {
		const m = tokenText(file, a);
		return m === '~' || m === '~*' ? tokenText(file, a + 1) : undefined;
	}
	const v = tokenText(file, a);
	return v.startsWith('~*') ? v.slice(2) : v.startsWith('~') ? v.slice(1) : undefined;
}

const NO_GROUPS: RegexInfo = { captures: [] };

const ORIGIN_VARIABLES = new Set(['$http_origin', '$http_referer']);

export function checkRegexes(ctx: NginxContext): void {
	const file = ctx.file;
	const t = file.tree;
	const f = runFacts(ctx);
	const cache = regexCache(ctx);
	for (const index of regexDirectives(file)) {
		const owner = t.blockOwner[t.dirParent[index]];
		if ((owner < 0 || f.ids[owner] !== MAP) && f.blockSet[t.dirParent[index]] === 0) { continue; }
		if (f.ids[index] === LOCATION && (owner < 0 || f.ids[owner] !== MAP)) {
			// a regex location is matched against $uri, so only backtracking can be reported: read
			// its regex on the tokens and make the views only when there is something to report
			const regex = locationRegex(file, index);
			if (regex === undefined || !regex.includes('(') || !regexInfo(cache, regex).catastrophic) { continue; }
		}
		const d = file.directive(index);
		const n = d.name.value;
		const inMap = mapParent(ctx, d);
		if (!inMap && isUncheckable(ctx, d)) { continue; }
		for (const { token, regex, skip } of regexesOf(ctx, d)) {
			// a regex without "(" has no group, so nothing to backtrack over (and nothing for the reader to do)
			const info = regex.includes('(') ? regexInfo(cache, regex) : NO_GROUPS;
			if (info.catastrophic) {
				const at = valueOffset(token, skip + info.catastrophic.start);
				ctx.report({
					code: Codes.nginxRegexBacktracking,
					offset: at ?? token.offset, length: at === undefined ? token.length : info.catastrophic.end - info.catastrophic.start,
					args: { group: regex.slice(info.catastrophic.start, info.catastrophic.end) },
				});
			}
			const subject = n === 'valid_referers' ? 'referer' : n === 'if' ? ifCondition(d)?.variable : inMap ? inMap.args[0]?.value : undefined;
			if (subject === 'referer' || (subject && ORIGIN_VARIABLES.has(subject) && isTrustCheck(d, regex))) {
				const problem = unpinned(regex, subject === 'referer');
				if (problem) {
					const at = valueOffset(token, skip);
					ctx.report({
						code: Codes.nginxRegexUnanchored, offset: at ?? token.offset, length: at === undefined ? token.length : regex.length,
						args: { what: subject === 'referer' ? 'valid_referers' : subject, problem },
					});
				}
			}
		}
	}
}

/**
 * Whether an origin/referer regex lists what is trusted (an allow list), not what is refused: it
 * names a host (an escaped dot or a template), and an `if` that refuses on a match is a deny list.
 */
function isTrustCheck(d: NginxDirective, regex: string): boolean {
	if (!/\\\.|\$\{/.test(regex)) { return false; }
	if (d.name.value !== 'if') { return true; }
	const op = ifCondition(d)?.operator ?? '';
	if (op.startsWith('!')) { return true; }
	const refuses = d.block?.children.some(c => c.kind === 'directive' && c.name.value === 'return' && /^4\d\d$/.test(c.args[0]?.value ?? '')) ?? false;
	return !refuses;
}

/**
 * Why a regex that checks an origin or referer does not pin the host, or undefined when it does:
 * it must start at the beginning (`^`), and the host must end (`$`, `/`, `:` or `\.`-free end).
 * `schemeless`: valid_referers matches the text after `http://` or `https://`.
 */
export function unpinned(regex: string, schemeless: boolean): string | undefined {
	const re = regex.replace(/^\(\?[a-z]+\)/, '');
	if (!re.startsWith('^') && !re.startsWith('\\A')) { return 'it is not anchored with ^, so the trusted name can appear anywhere in the header'; }
	if (/(\$|\\z|\\Z)\)*$/.test(re)) { return undefined; }
	let rest = re.slice(1);
	if (!schemeless) {
		const scheme = /^.*?(:\/\/|:\\\/\\\/|\\:\/\/)/.exec(rest);
		if (!scheme) { return undefined; }
		rest = rest.slice(scheme[0].length);
	}
	if (/\//.test(rest) || /(^|[^\\]):/.test(rest)) { return undefined; }
	return 'nothing marks the end of the host (no $ or /), so the trusted name followed by another domain matches too';
}
