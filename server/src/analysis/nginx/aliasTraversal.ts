/**
 * Requests that reach outside an alias's folder. nginx serves a prefix location with `alias` by
 * replacing the matched prefix with the alias, character for character (verified on nginx 1.22
 * with files on disk and raw requests, test/integration/requestReach.test.ts):
 *
 * - nginx-alias-traversal: `location /static { alias /srv/static/; }`. A request for
 *   `/static../app/settings.py` still matches the location and maps to
 *   `/srv/static/../app/settings.py` — the folder above the alias.
 * - nginx-alias-sibling: `location /files { alias /home; }` — neither ends in `/` — maps
 *   `/files-old/x` to `/home-old/x` (and `/files../x` to the folder `/home..`): every folder or
 *   file beside the alias whose name starts with the alias's name. `location /files/ { alias
 *   /home; }` does the same with `/files/-old/x`, and serves `/files/a.txt` from `/homea.txt`.
 *
 * Only prefix locations (plain or `^~`) map by prefix; `=` and regex locations do not. A location
 * whose last segment names a file (`/favicon.ico`), or an alias that does (`/srv/t.html`), is
 * meant for that one file and left alone, as is an alias that ends in a variable (what follows
 * it is unknown).
 */
import type { NginxDirective, NginxToken } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';
import { directiveId, directiveIds, NameFilter } from './facts';
import { locationMatch } from './locations';
import { regexCache, regexInfo } from './captures';
import { captureFor } from './regex';

const ALIAS = new NameFilter(['alias']);
/** An alias that names a file by its extension. */
const FILE_NAME = /\.(?:html?|txt|xml|json|js|css|ico|png|jpe?g|gif|svg|webp|pdf|zip|gz|woff2?|ttf|map|php|py)$/i;
const LOCATION = directiveId('location');

export function checkAliasTraversal(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	const text = file.text;
	const ids = directiveIds(file);
	for (const index of ALIAS.indexes(file)) {
		if (t.dirArgc[index] !== 1) { continue; }
		const ownerIndex = t.blockOwner[t.dirParent[index]];
		if (ownerIndex < 0 || ids[ownerIndex] !== LOCATION || t.dirArgc[ownerIndex] === 0) { continue; }
		// on the tree first: a plain alias and a plain location path that both end in "/" are fine (the usual case)
		const a = t.dirTok[index] + 1;
		const p = t.dirTok[ownerIndex] + (t.dirArgc[ownerIndex] >= 2 ? 2 : 1);
		if (t.tokFlags[a] === 0 && t.tokFlags[p] === 0 && text.charCodeAt(t.tokEnd[a] - 1) === 47 /* / */ && text.charCodeAt(t.tokEnd[p] - 1) === 47) { continue; }
		const d = file.directive(index);
		const target = d.args[0];
		if (!target.value || isUncheckable(ctx, d)) { continue; }
		const owner = file.directive(ownerIndex);
		const m = locationMatch(owner);
		if (!m || !m.path) { continue; }
		const loc = owner.args[owner.args.length - 1];
		const related = (what: string) => [{ uri: ctx.uri, offset: loc.offset, length: loc.length, message: `the location "${m.path}" ${what}` }];
		if (m.modifier === '~' || m.modifier === '~*') {
			checkRegexAlias(ctx, owner, m.path, target, related);
			continue;
		}
		if (m.modifier !== '' && m.modifier !== '^~') { continue; }
		// the path written in the location's last token, whatever its modifier
		const pathEnd = loc.offset + loc.length - (loc.quote ? 1 : 0);
		const aliasEnd = target.offset + target.length - (target.quote ? 1 : 0);
		const locSlash = m.path.endsWith('/');
		const aliasSlash = target.value.endsWith('/');
		if (!locSlash && aliasSlash) {
			ctx.report({
				code: Codes.nginxAliasTraversal, offset: target.offset, length: target.length,
				args: { location: m.path, alias: target.value, how: `a request for "${m.path}../"`, fix: 'End the location with "/" too' },
				data: { insertAt: pathEnd },
				related: related('has no trailing slash'),
			});
			continue;
		}
		if (aliasSlash || /\$\{?\w*\}?$/.test(target.value)) { continue; }
		// a location for one file (`/favicon.ico`, `/robots.txt`), or an alias that is one (`/srv/t.html`): nothing beside it is a folder meant
		if (!locSlash && (m.path.slice(m.path.lastIndexOf('/') + 1).includes('.') || FILE_NAME.test(target.value))) { continue; }
		ctx.report({
			code: Codes.nginxAliasSibling, offset: target.offset, length: target.length,
			args: {
				location: m.path, alias: target.value, how: `a request for "${m.path}${SIBLING}"`, served: `${target.value}${SIBLING}`,
				fix: locSlash ? 'End the alias with "/" as well' : 'End both with "/"',
			},
			data: locSlash ? { aliasSlashAt: aliasEnd } : { insertAt: pathEnd, aliasSlashAt: aliasEnd },
			related: related(locSlash ? 'ends with a slash, the alias does not' : 'has no trailing slash either'),
		});
	}
}

/** What the examples add after a prefix to reach beside the alias. */
const SIBLING = '-old/secret.txt';

/**
 * A regex location whose alias puts a capture after a fixed part (`alias /srv/img/$1;`): the
 * same joins as a prefix location's, with "the regex has a "/" just before the group" in the
 * place of "the location ends with "/"". A group that starts with "/" itself, or where the URI
 * starts, joins safely; a capture that cannot hold "/" only completes a file name
 * (`favicon.$1`) in the alias's own folder.
 */
function checkRegexAlias(ctx: NginxContext, owner: NginxDirective, regex: string, target: NginxToken, related: (what: string) => { uri: string; offset: number; length: number; message: string }[]): void {
	const ref = /\$(?:\{(\w+)\}|(\d)|([A-Za-z_]\w*))/.exec(target.value);
	if (!ref || ref.index === 0) { return; }
	const before = target.value.slice(0, ref.index);
	if (before.includes('$')) { return; }
	const name = ref[1] ?? ref[2] ?? ref[3];
	const capture = captureFor(regexInfo(regexCache(ctx), regex), name);
	const open = groupStart(regex, name);
	if (!capture || open < 0) { return; }
	// the group starts with "/" itself, or where the URI starts (which is "/"): joined safely
	if (regex[open + 1] === '/' || regex[open + 1] === '\\' && regex[open + 2] === '/' || open === 0 || (open === 1 && regex[0] === '^')) { return; }
	const afterSlash = open > 0 && regex[open - 1] === '/' && regex[open - 2] !== '\\';
	const aliasSlash = before.endsWith('/');
	if (afterSlash && aliasSlash) { return; }
	const location = owner.args.map(a => a.value).join(' ');
	if (!afterSlash && aliasSlash) {
		if (!capture.canMatch(46 /* . */) || !capture.canMatch(47 /* / */)) { return; }
		ctx.report({
			code: Codes.nginxAliasTraversal, offset: target.offset, length: target.length,
			args: { location, alias: target.value, how: `a request whose ${ref[0]} starts with "../"`, fix: 'Match a "/" just before the group in the regex' },
			related: related('has no "/" before the captured part'),
		});
		return;
	}
	// a capture without "/" only completes a name in the alias's own folder (`favicon.$1`); one with "/" uses the alias as a folder
	if (!capture.canMatch(47 /* / */) || (!capture.canMatch(45 /* - */) && !capture.canMatch(97 /* a */))) { return; }
	ctx.report({
		code: Codes.nginxAliasSibling, offset: target.offset, length: target.length,
		args: {
			location, alias: target.value, how: `a request whose ${ref[0]} is "${SIBLING}"`, served: `${before}${SIBLING}`,
			fix: afterSlash ? `End "${before}" with "/"` : `Match a "/" just before the group in the regex and end "${before}" with "/"`,
		},
		related: related(afterSlash ? 'captures after a "/", the alias has none' : 'has no "/" before the captured part'),
	});
}

/** Where the capturing group `name` (a number or a group name) opens in a regex, or -1. */
function groupStart(regex: string, name: string): number {
	const wanted = /^\d$/.test(name) ? Number(name) : -1;
	let count = 0;
	for (let i = 0; i < regex.length; i++) {
		const c = regex[i];
		if (c === '\\') { i++; continue; }
		if (c === '[') {
			// a class: up to its closing "]" (a "]" first in it is a member)
			let k = i + 1;
			if (regex[k] === '^') { k++; }
			if (regex[k] === ']') { k++; }
			while (k < regex.length && regex[k] !== ']') { k += regex[k] === '\\' ? 2 : 1; }
			i = k;
			continue;
		}
		if (c !== '(') { continue; }
		const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(regex.slice(i, i + 40));
		if (regex[i + 1] === '?' && !named) { continue; }
		count++;
		if (count === wanted || (named && (named[1] ?? named[2]) === name)) { return i; }
	}
	return -1;
}
