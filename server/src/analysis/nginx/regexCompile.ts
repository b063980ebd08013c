/**
 * nginx-invalid-regex: a regular expression PCRE2 does not compile, in every place nginx
 * compiles one when it reads the configuration (nginx stops with `pcre2_compile() failed: …`):
 * `location ~`/`~*` (and `~re` in one word), `server_name ~re`, `if ($var ~ re)` (`~*`, `!~`,
 * `!~*`), `rewrite`, `map` keys `~re`/`~*re` (http and stream), `valid_referers ~re`,
 * `proxy_redirect ~re`/`~*re`, `proxy_cookie_path ~re`/`~*re`, `proxy_cookie_domain ~re` and
 * `proxy_cookie_flags ~re` (these two take no `*`: `~*re` is the pattern `*re`),
 * `fastcgi_split_path_info` (which must also have two captures), `gzip_disable`. The checks of
 * PCRE2 itself are in pcre2.ts. Also "empty regex" for a lone `~` in server_name and
 * valid_referers.
 */
import type { NginxFile, NginxToken } from '../../parser/nginx/nodes';
import { argumentTexts } from './special';
import { Memo } from '../../utils/memo';
import { Codes } from '../codes';
import type { NginxContext, WorkspaceView } from '../context';
import { directiveId, directiveIds, NameFilter, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { pcre2Check, type Pcre2Failure } from './pcre2';
import { valueOffset } from './scope';

const LOCATION = directiveId('location');
const SERVER_NAME = directiveId('server_name');
const IF = directiveId('if');
const REWRITE = directiveId('rewrite');
const VALID_REFERERS = directiveId('valid_referers');
const PROXY_REDIRECT = directiveId('proxy_redirect');
const PROXY_COOKIE_PATH = directiveId('proxy_cookie_path');
const PROXY_COOKIE_DOMAIN = directiveId('proxy_cookie_domain');
const PROXY_COOKIE_FLAGS = directiveId('proxy_cookie_flags');
const SPLIT_PATH_INFO = directiveId('fastcgi_split_path_info');
const GZIP_DISABLE = directiveId('gzip_disable');
const MAP = directiveId('map');

const HOLDERS = new NameFilter(['location', 'server_name', 'if', 'rewrite', 'valid_referers', 'proxy_redirect', 'proxy_cookie_path', 'proxy_cookie_domain',
	'proxy_cookie_flags', 'fastcgi_split_path_info', 'gzip_disable']);

/** PCRE2's reasons, in our words (by PCRE2 error number); others are quoted as PCRE2 words them. */
const REASONS: Readonly<Record<number, string>> = {
	101: 'it ends with a lone backslash',
	102: 'it ends with \\c, which needs a character after it',
	103: 'a backslash stands before a letter that means nothing to PCRE2 (a literal letter needs no backslash)',
	104: 'a {min,max} count has its numbers the wrong way round',
	105: 'a {} count is larger than 65535',
	106: 'a [ character class is never closed with ]',
	107: 'an escape that cannot stand in a [ ] class is used in one',
	108: 'a range in a [ ] class runs backwards (such as z-a)',
	109: 'a quantifier (*, +, ?, {n}) follows nothing it could repeat',
	111: 'an unknown letter follows (? (an inline option or group type PCRE2 lacks)',
	112: '[:name:] is used outside a character class: write [[:name:]]',
	113: '[.x.] and [=x=] (POSIX collating elements) are not supported',
	114: 'a ( is never closed',
	115: 'it refers to a group that does not exist',
	118: 'a (?# comment is never closed',
	119: 'groups are nested more than 250 deep',
	122: 'a ) closes no group',
	124: 'the condition of a (?( group is not closed with )',
	125: 'a lookbehind must match a fixed length in each alternative (no *, +, ? or {n,m} in it)',
	126: 'a relative group reference of 0 (such as \\g{-0}) means nothing',
	127: 'a conditional group has more than two alternatives',
	128: 'a (?(? condition must be a lookahead or lookbehind assertion',
	129: 'a digit must follow (?+ or (?-',
	130: 'an unknown POSIX class name is used in [[:name:]]',
	134: 'a \\x{…} or \\o{…} character code is too large (above 0xff without (*UTF))',
	135: 'a lookbehind is too complicated for PCRE2 to measure',
	137: 'PCRE2 has no \\F, \\L, \\l, \\U, \\u or \\N{name} (those are Perl\'s)',
	141: 'an unknown character follows (?P',
	142: 'a group name is not closed by its > or \'',
	143: 'two groups have the same name',
	144: 'a group name starts with a digit',
	146: 'a \\p or \\P property is malformed',
	147: 'a \\p or \\P names an unknown Unicode property',
	148: 'a group name is longer than 32 characters',
	150: 'a range in a [ ] class starts or ends with a class such as \\d or [:alpha:]',
	151: 'an octal escape is above \\377',
	154: 'a (?(DEFINE) group has more than one alternative',
	155: '\\o must be followed by {',
	157: '\\g must be followed by a group number or a name in {}, <> or \'\'',
	158: '(?R must be followed directly by )',
	160: 'an unknown (*VERB) or start setting is used',
	161: 'a group number is too large',
	162: 'a group name is missing',
	164: 'a \\o{…} holds a character that is not an octal digit',
	165: 'groups of the same number in a (?| group have different names',
	166: '(*MARK) needs a name: (*MARK:name)',
	167: 'a \\x{…} holds a character that is not a hex digit',
	168: '\\c must be followed by a printable ASCII character',
	169: '\\k must be followed by a name in {}, <> or \'\'',
	171: '\\N cannot stand in a [ ] class',
	176: 'a (*MARK) name is longer than 255 bytes',
	178: 'a \\x{} or \\o{} has no digits',
	181: 'a (?C"…" callout string is never closed',
	182: 'a (?C callout starts with a character that is no string delimiter',
	187: 'a lookbehind is longer than 65535 characters',
	193: '\\N{U+…} needs (*UTF)',
	194: 'a - in an option setting is misplaced',
	195: 'an unknown (*assertion: name is used',
	199: '\\K is not allowed inside a lookaround',
};

/** pcre2Check, remembered per workspace (configs repeat the same few expressions). */
const caches = new Memo<WorkspaceView, Map<string, Pcre2Failure | null>>();

function compileResult(ctx: NginxContext, regex: string): Pcre2Failure | undefined {
	let cache = caches.get(ctx.workspace);
	if (!cache) {
		cache = new Map();
		caches.set(ctx.workspace, cache);
	}
	let hit = cache.get(regex);
	if (hit === undefined) {
		if (cache.size > 5000) { cache.clear(); }
		hit = pcre2Check(regex) ?? null;
		cache.set(regex, hit);
	}
	return hit ?? undefined;
}

/** Number of capturing groups of a pattern that compiles (for fastcgi_split_path_info). */
function captureCount(regex: string): number {
	// the regex compiles: count "(" that open a capture as PCRE2 does, closely enough for this check
	let n = 0;
	let inClass = false;
	for (let i = 0; i < regex.length; i++) {
		const c = regex[i];
		if (c === '\\') {
			if (regex[i + 1] === 'Q') {
				const e = regex.indexOf('\\E', i + 2);
				i = e < 0 ? regex.length : e + 1;
			} else {
				i++;
			}
			continue;
		}
		if (inClass) {
			if (c === ']') { inClass = false; }
			continue;
		}
		if (c === '[') {
			inClass = true;
			if (regex[i + 1] === '^') { i++; }
			if (regex[i + 1] === ']') { i++; }
			continue;
		}
		if (c !== '(') { continue; }
		const next = regex[i + 1];
		if (next === '*') { continue; }
		if (next !== '?') { n++; continue; }
		const rest = regex.slice(i + 2);
		if (/^(?:P?<[A-Za-z_]|')/.test(rest)) { n++; }
	}
	return n;
}

/** A regex in a token: the token, the regex, where it starts in the token's value. */
interface Found { readonly tok: number; readonly regex: string; readonly skip: number; readonly strip?: number }

/** The regex nginx reads from a value that may start with `~` (and `*` where `star`). */
function tilde(file: NginxFile, tok: number, star: boolean): Found | undefined {
	const v = tokenText(file, tok);
	if (!v.startsWith('~')) { return undefined; }
	const skip = star && v[1] === '*' ? 2 : 1;
	return { tok, regex: v.slice(skip), skip };
}

/** The regexes of one directive, as its nginx module reads them. */
function regexesOf(file: NginxFile, d: number, id: number): Found[] {
	const t = file.tree;
	const first = t.dirTok[d] + 1;
	const argc = t.dirArgc[d];
	const out: Found[] = [];
	const add = (f: Found | undefined) => { if (f) { out.push(f); } };
	switch (id) {
		case LOCATION:
			if (argc === 2) {
				const m = tokenText(file, first);
				if (m === '~' || m === '~*') { out.push({ tok: first + 1, regex: tokenText(file, first + 1), skip: 0 }); }
			} else if (argc === 1) {
				add(tilde(file, first, true));
			}
			break;
		case SERVER_NAME:
		case VALID_REFERERS:
			for (let k = first; k < first + argc; k++) { add(tilde(file, k, false)); }
			break;
		case REWRITE:
			if (argc >= 2) { out.push({ tok: first, regex: tokenText(file, first), skip: 0 }); }
			break;
		case PROXY_REDIRECT:
		case PROXY_COOKIE_PATH:
			if (argc === 2) { add(tilde(file, first, true)); }
			break;
		case PROXY_COOKIE_DOMAIN:
			if (argc === 2) { add(tilde(file, first, false)); }
			break;
		case PROXY_COOKIE_FLAGS:
			if (argc >= 2) { add(tilde(file, first, false)); }
			break;
		case SPLIT_PATH_INFO:
			if (argc === 1) { out.push({ tok: first, regex: tokenText(file, first), skip: 0 }); }
			break;
		case GZIP_DISABLE:
			for (let k = first; k < first + argc; k++) {
				const v = tokenText(file, k);
				if (v !== 'msie6' && v !== 'degradation') { out.push({ tok: k, regex: v, skip: 0 }); }
			}
			break;
		case IF:
			add(ifRegex(file, d));
			break;
		default:
			break;
	}
	return out;
}

/** The regex of `if ($var ~ re)` (`~*`, `!~`, `!~*`), read as ngx_http_rewrite_if_condition reads it. */
function ifRegex(file: NginxFile, d: number): Found | undefined {
	const t = file.tree;
	const first = t.dirTok[d] + 1;
	const n = t.dirArgc[d];
	if (n === 0) { return undefined; }
	const values = argumentTexts(file, d);
	if (!values[0].startsWith('(')) { return undefined; }
	let cur = 0;
	if (values[0] === '(') { cur = 1; } else { values[0] = values[0].slice(1); }
	let last = n - 1;
	if (!values[last].endsWith(')')) { return undefined; }
	let strip = 0;
	if (values[last] === ')') { last--; } else {
		values[last] = values[last].slice(0, -1);
		strip = 1;
	}
	const v = values[cur];
	if (v === undefined || v.length < 2 || v[0] !== '$' || cur + 2 !== last) { return undefined; }
	const op = values[cur + 1];
	if (op !== '~' && op !== '~*' && op !== '!~' && op !== '!~*') { return undefined; }
	// the regex is the last word, less the ")" that closes the condition
	return { tok: first + last, regex: values[last], skip: 0, strip: last === n - 1 ? strip : 0 };
}

export function checkRegexCompile(ctx: NginxContext): void {
	const file = ctx.file;
	const t = file.tree;
	const f = runFacts(ctx);
	let lastGood: string | undefined;
	for (const d of HOLDERS.indexes(file)) {
		if (f.blockSet[t.dirParent[d]] === 0 || t.dirBlock[d] >= 0 && f.ids[d] !== LOCATION && f.ids[d] !== IF) { continue; }
		const id = f.ids[d];
		// a location without "~" holds no regex: read the first characters only
		if (id === LOCATION && t.dirArgc[d] >= 1 && t.tokFlags[t.dirTok[d] + 1] === 0 && file.text.charCodeAt(t.tokStart[t.dirTok[d] + 1]) !== 126) { continue; }
		// `location ~ re` written exactly as the last one that compiled: compared in place on the text, nothing cut or unescaped
		if (id === LOCATION && t.dirArgc[d] === 2 && lastGood !== undefined) {
			const k = t.dirTok[d] + 2;
			if (t.tokEnd[k] - t.tokStart[k] === lastGood.length && file.text.startsWith(lastGood, t.tokStart[k])) { continue; }
		}
		for (const found of regexesOf(file, d, id)) {
			if (judge(ctx, d, id, found) && id === LOCATION && t.dirArgc[d] === 2) { lastGood = file.text.slice(t.tokStart[found.tok], t.tokEnd[found.tok]); }
		}
	}
	// map entries (http and stream): a key that starts with "~" (never a name a module defines); a key
	// written exactly as the last one that compiled is compared in place (configs repeat them)
	const ids = directiveIds(file);
	let lastKey: string | undefined;
	for (const d of f.byName.of(-1)) {
		const owner = t.blockOwner[t.dirParent[d]];
		if (owner < 0 || ids[owner] !== MAP || t.dirBlock[d] >= 0) { continue; }
		const k = t.dirTok[d];
		if (t.tokFlags[k] === 0 && file.text.charCodeAt(t.tokStart[k]) !== 126) { continue; }
		if (lastKey !== undefined && t.tokEnd[k] - t.tokStart[k] === lastKey.length && file.text.startsWith(lastKey, t.tokStart[k])) { continue; }
		const found = tilde(file, k, true);
		if (found && judge(ctx, d, MAP, found)) { lastKey = file.text.slice(t.tokStart[k], t.tokEnd[k]); }
	}
}

/** Reports what is wrong with one regex; true when it compiles (and nothing was reported). */
function judge(ctx: NginxContext, d: number, id: number, found: Found): boolean {
	const file = ctx.file;
	// views of the tokens only to report (a config of a thousand regex locations reports nothing)
	if (found.regex !== '' && id !== SPLIT_PATH_INFO && !compileResult(ctx, found.regex)) { return true; }
	const token = file.token(found.tok);
	const name = file.token(file.tree.dirTok[d]).value;
	if (found.regex === '' && (id === SERVER_NAME || id === VALID_REFERERS)) {
		report(ctx, token, found, `"${token.value}" is an empty regular expression: nginx stops with "empty regex${id === SERVER_NAME ? ' in server name' : ''}".`);
		return false;
	}
	const failure = compileResult(ctx, found.regex);
	if (failure) {
		const where = failure.offset >= found.regex.length ? 'at its end' : `at "${found.regex.slice(failure.offset)}"`;
		const reason = REASONS[failure.code] ?? `PCRE2 says "${failure.message}"`;
		const said = `pcre2_compile() failed: ${failure.message} in "${found.regex}"${failure.offset >= found.regex.length ? '' : ` at "${found.regex.slice(failure.offset)}"`}`;
		report(ctx, token, found, `"${found.regex}" does not compile: ${reason} (${where}). nginx stops with "${said}".`, { code: failure.code, offset: failure.offset });
		return false;
	}
	if (id === SPLIT_PATH_INFO) {
		const n = captureCount(found.regex);
		if (n !== 2) {
			report(ctx, token, found, `the regular expression of ${name} must have exactly two captures (the script name and the path info), and "${found.regex}" has ${n}: nginx stops with "pattern must have 2 captures".`);
			return false;
		}
	}
	return true;
}

function report(ctx: NginxContext, token: NginxToken, found: Found, detail: string, data?: { code: number; offset: number }): void {
	// the squiggle covers the regex inside its token when the text shows it as it is (no escapes)
	const at = valueOffset(token, found.skip);
	const exact = at !== undefined && found.regex.length > 0 && token.value.length - found.skip - (found.strip ?? 0) === found.regex.length;
	ctx.report({
		code: Codes.nginxInvalidRegex,
		offset: exact ? at : token.offset, length: exact ? found.regex.length : token.length,
		args: { detail }, data,
	});
}
