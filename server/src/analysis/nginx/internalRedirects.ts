/**
 * Which request data a client chooses where a directive runs. Everywhere a client's request
 * arrives, all of it is the client's. An `internal;` location is different: no request reaches it
 * directly; it runs after an internal redirect (error_page, try_files, rewrite, mirror, an
 * upstream's X-Accel-Redirect, ...) and its URI and arguments are the ones that redirect set.
 * The headers, cookies, `$host` and `$request_uri` stay the client's. Verified on nginx 1.22:
 *
 * - `rewrite … last` (in a server or a location) reaches an internal location and keeps the
 *   client's arguments (unless its replacement ends with `?`), its captures carry the client's URI;
 * - `try_files … /x` and `error_page … /x` reach it with the arguments written there (none: empty);
 * - a named location (`@x`) keeps the client's URI and arguments untouched.
 *
 * So in an internal location, the URI (`$uri`, captures of the location's regex, …) is the
 * client's only when a redirect of the same server that can land there builds its path from
 * request data, and the arguments only when such a redirect keeps or passes them (a rewrite
 * without a final `?`, a mirror, `?$args` in try_files or error_page). An upstream's
 * X-Accel-Redirect is the application's choice and does not count. A location whose server this
 * file does not hold (a snippet) is taken as reached with all of the client's data.
 */
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import type { NginxContext } from '../context';
import { Memo } from '../../utils/memo';
import { includeGraph } from './fileContexts';
import { directiveId, directiveIds } from './facts';
import { locationMatch } from './locations';
import { MAX_LEVELS, variablesIn } from './scope';

/** What the client chooses where a directive runs. */
export interface RequestOrigin {
	/** The URI: `$uri`, `$document_uri`, `$request_filename`, captures of regexes matched against it. */
	readonly uri: boolean;
	/** The arguments: `$args`, `$query_string`, `$arg_*`. */
	readonly args: boolean;
}

const CLIENT: RequestOrigin = { uri: true, args: true };

const LOCATION = directiveId('location');
const INTERNAL = directiveId('internal');
const SERVER = directiveId('server');
const INCLUDE = directiveId('include');
const REWRITE = directiveId('rewrite');
const TRY_FILES = directiveId('try_files');
const ERROR_PAGE = directiveId('error_page');
const MIRROR = directiveId('mirror');

/** Variables that are (or come from) the request's URI or arguments; the rest of the request is the client's everywhere. */
const URI_VARIABLES: ReadonlySet<string> = new Set(['uri', 'document_uri', 'request_filename', 'fastcgi_path_info']);
const ARGS_VARIABLES: ReadonlySet<string> = new Set(['args', 'query_string', 'is_args']);

/** Whether a variable is part of the URI (`uri`) or the arguments (`args`); undefined for the rest of the request. */
export function requestPart(name: string): 'uri' | 'args' | undefined {
	if (URI_VARIABLES.has(name)) { return 'uri'; }
	if (ARGS_VARIABLES.has(name) || name.startsWith('arg_')) { return 'args'; }
	return undefined;
}

const byLocation = new Memo<NginxContext, Map<number, RequestOrigin>>();

/** What the client chooses where `d` runs (its innermost location decides). */
export function requestOrigin(ctx: NginxContext, d: NginxDirective): RequestOrigin {
	const t = ctx.file.tree;
	const ids = directiveIds(ctx.file);
	let loc = -1;
	for (let b = d.parent, n = 0; b > 0 && n < MAX_LEVELS; n++) {
		const owner = t.blockOwner[b];
		if (owner < 0) { break; }
		if (ids[owner] === LOCATION) {
			loc = owner;
			break;
		}
		b = t.dirParent[owner];
	}
	if (loc < 0) { return CLIENT; }
	let memo = byLocation.get(ctx);
	if (!memo) {
		memo = new Map();
		byLocation.set(ctx, memo);
	}
	let origin = memo.get(loc);
	if (!origin) {
		origin = locationOrigin(ctx, loc);
		memo.set(loc, origin);
	}
	return origin;
}

function locationOrigin(ctx: NginxContext, loc: number): RequestOrigin {
	const file = ctx.file;
	const t = file.tree;
	const ids = directiveIds(file);
	const block = t.dirBlock[loc];
	if (block < 0) { return CLIENT; }
	let internal = false;
	for (let c = t.blockFirst[block]; c >= 0; c = t.dirNext[c]) {
		if (ids[c] === INTERNAL) { internal = true; }
	}
	if (!internal) { return CLIENT; }
	const match = locationMatch(file.directive(loc));
	if (!match || match.modifier === '@') { return CLIENT; }
	// the server the location is in: redirects land only within it
	let server = -1;
	for (let b = t.dirParent[loc], n = 0; b > 0 && n < MAX_LEVELS; n++) {
		const owner = t.blockOwner[b];
		if (owner < 0) { break; }
		if (ids[owner] === SERVER) {
			server = owner;
			break;
		}
		b = t.dirParent[owner];
	}
	if (server < 0 || t.dirBlock[server] < 0) { return CLIENT; }
	const out = { uri: false, args: false };
	const seen = new Set<string>([ctx.uri]);
	const serverBlock = t.dirBlock[server];
	scanRedirects(ctx, ctx.uri, file, server + 1, t.blockEnd[serverBlock], match, out, seen);
	return out;
}

type Match = NonNullable<ReturnType<typeof locationMatch>>;

/** Looks at the redirects among directives `from`… (up to offset `end`) of a file, following its includes. */
function scanRedirects(ctx: NginxContext, uri: string, file: NginxFile, from: number, end: number, loc: Match, out: { uri: boolean; args: boolean }, seen: Set<string>): void {
	const t = file.tree;
	const ids = directiveIds(file);
	const graph = includeGraph(ctx);
	for (let d = from; d < t.directiveCount && t.tokStart[t.dirTok[d]] < end; d++) {
		if (out.uri && out.args) { return; }
		const id = ids[d];
		if (id === INCLUDE) {
			const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[d]]);
			if (edge?.standard) { continue; }
			if (!edge || (!edge.targets.length && !edge.glob)) {
				// what an unreadable include holds is unknown: it may redirect with the client's data
				out.uri = out.args = true;
				return;
			}
			for (const target of edge.targets) {
				const other = graph.fileOf(target);
				if (!other || seen.has(target)) { continue; }
				seen.add(target);
				scanRedirects(ctx, target, other, 0, other.text.length, loc, out, seen);
			}
			continue;
		}
		if (id !== REWRITE && id !== TRY_FILES && id !== ERROR_PAGE && id !== MIRROR) { continue; }
		const dir = file.directive(d);
		const args = dir.args.map(a => a.value);
		if (!args.length) { continue; }
		if (id === REWRITE) {
			if (args.length < 2) { continue; }
			const [, replacement, flag] = args;
			if (flag === 'redirect' || flag === 'permanent' || /^(https?:\/\/|\$scheme)/.test(replacement)) { continue; }
			// break inside a location stays in that location; anywhere else the URI is matched again
			if (flag === 'break' && inLocation(file, dir)) { continue; }
			landing(replacement, loc, true, false, out);
		} else if (id === MIRROR) {
			if (args[0] !== 'off') { landing(args[0], loc, false, true, out); }
		} else {
			const target = args[args.length - 1];
			if (target.startsWith('@') || target.startsWith('=') || /^https?:\/\//.test(target)) { continue; }
			landing(target, loc, false, false, out);
		}
	}
}

function inLocation(file: NginxFile, d: NginxDirective): boolean {
	for (let b = file.block(d.parent), n = 0; b?.owner && n < MAX_LEVELS; n++) {
		if (b.owner.name.value === 'location') { return true; }
		b = file.block(b.owner.parent);
	}
	return false;
}

/**
 * A redirect to `target` (a URI with variables): when it may land in `loc`, what it brings from
 * the client. `keepsArgs`: the request's arguments stay unless the target ends with `?` (rewrite);
 * `passesArgs`: they are passed along whatever the target says (mirror).
 */
function landing(target: string, loc: Match, keepsArgs: boolean, passesArgs: boolean, out: { uri: boolean; args: boolean }): void {
	const q = target.indexOf('?');
	const path = q < 0 ? target : target.slice(0, q);
	const query = q < 0 ? '' : target.slice(q + 1);
	if (!mayLand(path, loc)) { return; }
	const fromClient = (s: string) => variablesIn(s).some(v => isRequestData(v.name));
	if (fromClient(path)) { out.uri = true; }
	if (passesArgs || (keepsArgs && !target.endsWith('?')) || fromClient(query)) { out.args = true; }
}

/** Variables that hold nothing of the request. Any other variable in a redirect may carry the client's data (a capture, a header, a value set from them). */
const FIXED_VARIABLES: ReadonlySet<string> = new Set(['scheme', 'server_name', 'server_port', 'server_addr', 'server_protocol', 'hostname', 'document_root', 'realpath_root', 'nginx_version', 'pid']);

function isRequestData(name: string): boolean {
	return !FIXED_VARIABLES.has(name.toLowerCase());
}

/** Whether a URI path (variables in it unknown) may be matched by the location. */
function mayLand(path: string, loc: Match): boolean {
	const dollar = path.indexOf('$');
	const literal = dollar < 0 ? path : path.slice(0, dollar);
	if (loc.modifier === '~' || loc.modifier === '~*') {
		if (dollar >= 0) { return true; }
		try {
			return new RegExp(loc.path, loc.modifier === '~*' ? 'i' : '').test(path);
		} catch {
			return true;
		}
	}
	if (loc.modifier === '=') { return dollar < 0 ? path === loc.path : loc.path.startsWith(literal); }
	return literal.startsWith(loc.path) || (dollar >= 0 && loc.path.startsWith(literal));
}
