/**
 * nginx-unknown-upstream: `uwsgi_pass`, `fastcgi_pass`, `scgi_pass`, `memcached_pass`,
 * `grpc_pass` (its grpc:// brings no port) and stream `proxy_pass` to a name or address without a
 * port, where no `upstream` block anywhere in the workspace has that name (nginx compares names
 * without case). nginx -t stops with "no port in upstream". An http `proxy_pass` is never
 * reported: its scheme brings a default port.
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { NameTable } from '../../utils/nameTable';
import { Codes } from '../codes';
import type { NameIndex, NginxContext } from '../context';
import { closestMatches } from '../../utils/strings';
import { didYouMean } from '../findings';
import { directiveId, directiveIds as directiveIdsOf, directivesByName, IdPredicate, SetPredicate } from './facts';
import { runFacts } from './fileContexts';

/** Directives that take an address or an upstream name, and whether a scheme gives a default port. */
export const PASS_DIRECTIVES: ReadonlySet<string> = new Set(['uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'memcached_pass', 'proxy_pass', 'grpc_pass']);

const UPSTREAM = directiveId('upstream');
const SERVER = directiveId('server');
const INCLUDE = directiveId('include');
/** Pass directives whose target without a port must name an upstream (proxy_pass only in stream: see bareUpstreamName). */
const NAMING_PASS_IDS = ['uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'memcached_pass', 'grpc_pass', 'proxy_pass'].map(directiveId);
const PROXY_PASS = directiveId('proxy_pass');
const IN_STREAM_SERVER = new SetPredicate(c => c.length > 0 && c.every(x => x === 'stream.server'));

const tables = new WeakMap<NameIndex, { version: number; table: NameTable }>();

/** Names of every `upstream` block in the workspace (kept current file by file), interned for lookups by offsets. */
function workspaceUpstreams(ctx: NginxContext): NameTable {
	// the index takes a file's names as a plain list (it removes repeats itself): no table per file
	const ix = ctx.workspace.nginxNames('upstreams', file => upstreamNameList(file));
	let hit = tables.get(ix);
	if (!hit || hit.version !== ix.version) {
		// nginx compares upstream names without case: the table holds them lower-cased
		hit = { version: ix.version, table: new NameTable([...ix.files.keys()].map(n => n.toLowerCase())) };
		tables.set(ix, hit);
	}
	return hit.table;
}

/** Names of every `upstream` block in the given nginx files, interned for lookups by offsets. */
export function upstreamNames(files: Iterable<{ readonly file: NginxFile }>): NameTable {
	const names: string[] = [];
	for (const { file } of files) { upstreamNameList(file, names); }
	return new NameTable(names);
}

/** Names of the `upstream` blocks of a file, in document order (repeats kept), appended to `names`. */
function upstreamNameList(file: NginxFile, names: string[] = []): string[] {
	const t = file.tree;
	for (const d of directivesByName(file).of(UPSTREAM)) {
		if (t.dirBlock[d] < 0 || t.dirArgc[d] !== 1) { continue; }
		// a plain name is cut from the text, without a token view (a big config has a thousand upstreams)
		const a = t.dirTok[d] + 1;
		names.push(t.tokFlags[a] === 0 ? file.text.slice(t.tokStart[a], t.tokEnd[a]) : file.token(a).value);
	}
	return names;
}

/**
 * The part of a pass target nginx looks up as an upstream because it has no port: a name or an
 * address (`127.0.0.1`, `[::1]`), after the scheme uwsgi_pass and grpc_pass take. Undefined when
 * the target has a port, is a unix socket, holds a variable, or is an http proxy_pass (whose
 * scheme brings a default port); `stream`: a stream proxy_pass, which has none.
 */
export function bareUpstreamName(directive: string, target: string, stream = false): string | undefined {
	if (target.includes('$')) { return undefined; }
	if (directive === 'proxy_pass' && !stream) { return undefined; }
	let host = target;
	const scheme = /^([a-z]+):\/\//i.exec(host);
	if (scheme) {
		const s = scheme[1].toLowerCase();
		const taken = directive === 'uwsgi_pass' ? s === 'uwsgi' || s === 'suwsgi' : directive === 'grpc_pass' ? s === 'grpc' || s === 'grpcs' : false;
		// another scheme is refused as "invalid host" (targets.ts)
		if (!taken) { return undefined; }
		host = host.slice(scheme[0].length);
	}
	if (host.slice(0, 5).toLowerCase() === 'unix:' || host.includes('/') || host.includes('?')) { return undefined; }
	if (host.startsWith('[')) {
		const close = host.indexOf(']');
		return close > 0 && close === host.length - 1 ? host : undefined;
	}
	if (!host || host.includes(':')) { return undefined; }
	return host;
}

export interface UnknownUpstreamData {
	readonly candidates: readonly string[];
}

export function checkUnknownUpstreams(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	const text = file.text;
	const byName = directivesByName(file);
	let names: NameTable | undefined;
	let facts: ReturnType<typeof runFacts> | undefined;
	for (const id of NAMING_PASS_IDS) {
		for (const d of byName.of(id)) {
			if (t.dirArgc[d] !== 1) { continue; }
			let stream = false;
			if (id === PROXY_PASS) {
				facts ??= runFacts(ctx);
				stream = IN_STREAM_SERVER.has(facts.blockSet[t.dirParent[d]]);
				if (!stream) { continue; }
			}
			const a = t.dirTok[d] + 1;
			const s = t.tokStart[a];
			const e = t.tokEnd[a];
			// a plain target without ":" or "$": the name is what comes before any "/"
			if (t.tokFlags[a] === 0) {
				let k = s;
				for (; k < e; k++) {
					const c = text.charCodeAt(k);
					if (c === 58 /* : */ || c === 36 /* $ */ || c === 47 /* / */) { break; }
				}
				if (k === e || text.charCodeAt(k) === 47) {
					if (k === s) { continue; }
					names ??= workspaceUpstreams(ctx);
					if (names.idAt(text, s, k) >= 0) { continue; }
				}
			}
			const arg = file.token(a);
			const directive = file.token(t.dirTok[d]).value;
			const name = bareUpstreamName(directive, arg.value, stream);
			if (!name) { continue; }
			names ??= workspaceUpstreams(ctx);
			if (names.id(name.toLowerCase()) >= 0) { continue; }
			const candidates = closestMatches(name, names.names, 3);
			const data: UnknownUpstreamData = { candidates };
			ctx.report({
				code: Codes.nginxUnknownUpstream, offset: arg.offset, length: arg.length,
				args: { name, directive, hint: didYouMean(candidates) }, data,
			});
		}
	}
}

/** Parameters of `server` in an http upstream (ngx_http_upstream_server and NGINX Plus). */
const SERVER_PARAMS = ['weight=', 'max_fails=', 'fail_timeout=', 'backup', 'down', 'max_conns=', 'resolve', 'service=', 'route=', 'slow_start=', 'drain'];

const DYNAMIC = new IdPredicate(name => /^(upsync|dynamic|zone_sync|jdomain|consul|dyups)/.test(name));

/** nginx-empty-upstream, and upstream `server` lines with a parameter nginx does not know (nginx-invalid-value). */
export function checkUpstreamBlocks(ctx: NginxContext): void {
	const { file } = ctx;
	const t = file.tree;
	const byName = directivesByName(file);
	const dirIds = directiveIdsOf(file);
	for (const d of byName.of(UPSTREAM)) {
		const b = t.dirBlock[d];
		if (b < 0 || t.dirArgc[d] === 0 || t.blockRawEnd[b] >= 0) { continue; }
		let servers = 0;
		let includes = false;
		let dynamic = false;
		for (let c = t.blockFirst[b]; c >= 0; c = t.dirNext[c]) {
			const id = dirIds[c];
			if (id === SERVER) { servers++; } else if (id === INCLUDE) { includes = true; }
			// third-party balancers (upsync, dynamic upstreams) fill servers at run time
			if (!dynamic && DYNAMIC.has(id, () => file.token(t.dirTok[c]).value)) { dynamic = true; }
		}
		if (!servers && !includes && !dynamic) {
			const name = file.token(t.dirTok[d] + 1);
			ctx.report({ code: Codes.nginxEmptyUpstream, offset: name.offset, length: name.length, args: { name: name.value, what: 'has no server', says: 'no servers are inside upstream' } });
		}
		if (!servers) { continue; }
		// a balancer that picks by hash or at random has no backup servers: it refuses "backup"
		// on a server after it (one before it is taken), and servers that are all backups leave
		// the round robin nothing to start with
		let balancer = '';
		let primary = false;
		for (let c = t.blockFirst[b]; c >= 0; c = t.dirNext[c]) {
			if (BACKUPLESS.has(dirIds[c])) { balancer = file.token(t.dirTok[c]).value; continue; }
			if (dirIds[c] !== SERVER) { continue; }
			const first = t.dirTok[c] + 1;
			let backup = false;
			for (let k = first + 1; k < first + t.dirArgc[c]; k++) {
				if (t.tokFlags[k] === 0 && t.tokEnd[k] - t.tokStart[k] === 6 && file.text.startsWith('backup', t.tokStart[k])) {
					backup = true;
					if (balancer) {
						const a = file.token(k);
						ctx.report({ code: Codes.nginxInvalidValue, offset: a.offset, length: a.length, args: { name: 'server', detail: `the "${balancer}" balancing above takes no backup servers: nginx stops with "balancing method does not support parameter "backup"". Remove "backup", or balance with least_conn or round robin.` } });
					}
				}
				if (t.tokFlags[k] === 0 && knownServerParam(file.text, t.tokStart[k], t.tokEnd[k])) { continue; }
				const a = file.token(k);
				if (a.value.includes('$') || SERVER_PARAMS.some(p => (p.endsWith('=') ? a.value.startsWith(p) : a.value === p))) { continue; }
				const guess = closestMatches(a.value.replace(/=.*$/, ''), SERVER_PARAMS.map(p => p.replace(/=$/, '')), 1);
				ctx.report({ code: Codes.nginxInvalidValue, offset: a.offset, length: a.length, args: { name: 'server', detail: `"${a.value}" is not a parameter of an upstream server: nginx stops with "invalid parameter".${didYouMean(guess)}` } });
			}
			if (!backup) { primary = true; }
		}
		if (!primary && !includes && !dynamic) {
			const name = file.token(t.dirTok[d] + 1);
			ctx.report({ code: Codes.nginxEmptyUpstream, offset: name.offset, length: name.length, args: { name: name.value, what: 'has only backup servers, none to start with', says: `no servers in upstream "${name.value}"` } });
		}
	}
}

/** Balancers that refuse backup servers. */
const BACKUPLESS: ReadonlySet<number> = new Set(['hash', 'ip_hash', 'random'].map(directiveId));

function knownServerParam(text: string, s: number, e: number): boolean {
	for (const p of SERVER_PARAMS) {
		if (p.endsWith('=') ? e - s >= p.length && text.startsWith(p, s) : e - s === p.length && text.startsWith(p, s)) { return true; }
	}
	return false;
}
