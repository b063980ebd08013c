/**
 * nginx-conflicting-declaration: declarations that each look fine but cannot stand together in
 * one configuration, which nginx refuses at start-up. Read over the whole config tree in nginx's
 * reading order (readingOrder.ts); the later declaration is the one nginx names.
 *
 * - shared memory zones (limit_req_zone, limit_conn_zone, *_cache_path keys_zone, an upstream's
 *   `zone NAME SIZE`, ssl_session_cache shared:NAME:SIZE): one name is one zone of one use —
 *   "already declared for a different use"; its size is declared once — "the size … conflicts";
 *   a limit zone is bound to its key once — "already bound to key"; a cache zone — "duplicate zone";
 * - cache and temp folders: a cache folder is one cache's only ("the same path name … used in"),
 *   a temp folder keeps one set of levels ("has the different levels");
 * - listen addresses: one server listens on an address once ("a duplicate listen"), one address
 *   has one default server ("a duplicate default server"), a stream address and port is one
 *   server's ("duplicate … address and port pair").
 */
import { Memo } from '../../utils/memo';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import type { NginxFile } from '../../parser/nginx/nodes';
import type { NginxIncludeGraph } from './includes';
import { directiveIds, directiveId, directivesByName, tokenText } from './facts';
import { includeGraph } from './fileContexts';
import { compareReading, occurrences, ownersIn, rootsOf, type BlockRef, type FileOccurrence } from './readingOrder';

interface Conflict {
	readonly uri: string;
	readonly offset: number;
	readonly length: number;
	readonly detail: string;
	readonly first: { readonly uri: string; readonly offset: number; readonly length: number };
}

const ID = (n: string) => directiveId(n);
const LIMIT_REQ_ZONE = ID('limit_req_zone');
const LIMIT_CONN_ZONE = ID('limit_conn_zone');
const UPSTREAM = ID('upstream');
const ZONE = ID('zone');
const SSL_SESSION_CACHE = ID('ssl_session_cache');
const LISTEN = ID('listen');
const LOG_FORMAT = ID('log_format');
const SERVER = ID('server');
const HTTP = ID('http');
const STREAM = ID('stream');
const MAIL = ID('mail');
const CACHE_PATHS = new Map(['proxy', 'fastcgi', 'uwsgi', 'scgi'].map(p => [ID(`${p}_cache_path`), p]));
const TEMP_PATHS = new Set(['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(p => ID(`${p}_temp_path`)));

const WANTED = [LIMIT_REQ_ZONE, LIMIT_CONN_ZONE, ZONE, SSL_SESSION_CACHE, LISTEN, LOG_FORMAT, ...CACHE_PATHS.keys(), ...TEMP_PATHS];

/** listen parameters that set options of the listening socket: one listen per address may carry them. */
const SOCKET_OPTIONS = /^(backlog=|rcvbuf=|sndbuf=|setfib=|fastopen=|accept_filter=|deferred$|bind$|ipv6only=|reuseport$|so_keepalive=)/;
const wantedMemo = new Memo<NginxFile, readonly number[]>();

/** The directives of a file this check reads (most included snippets have none). */
function wantedIn(file: NginxFile): readonly number[] {
	let hit = wantedMemo.get(file);
	if (!hit) {
		const byName = directivesByName(file);
		const list: number[] = [];
		for (const id of WANTED) { for (const d of byName.of(id)) { list.push(d); } }
		hit = list;
		wantedMemo.set(file, hit);
	}
	return hit;
}

/** A statement in one reading of its file, with the blocks around it. */
class ReadStep {
	private around: readonly BlockRef[] | undefined;
	constructor(readonly o: FileOccurrence, readonly d: number) {}
	get uri(): string { return this.o.uri; }
	get file(): FileOccurrence['file'] { return this.o.file; }
	/** The blocks around it, outermost first (worked out when asked). */
	get owners(): readonly BlockRef[] { return (this.around ??= ownersIn(this.o, this.d)); }
}

function arg(s: ReadStep, i: number): string {
	return tokenText(s.file, s.file.tree.dirTok[s.d] + 1 + i);
}
function argc(s: ReadStep): number {
	return s.file.tree.dirArgc[s.d];
}
function span(s: ReadStep, i = -1): { uri: string; offset: number; length: number } {
	const t = s.file.tree;
	const k = t.dirTok[s.d] + 1 + i;
	return { uri: s.uri, offset: t.tokStart[k], length: t.tokEnd[k] - t.tokStart[k] };
}

/** A size as nginx reads it (k/K, m/M; g/G for offsets), or undefined. */
function size(text: string): number | undefined {
	const m = /^(\d+)([kKmMgG]?)$/.exec(text);
	if (!m) { return undefined; }
	const unit = m[2].toLowerCase();
	return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : unit === 'g' ? 1024 ** 3 : 1);
}

/** The family (http, stream, mail) a step stands in. */
function family(s: ReadStep): string {
	for (const o of s.owners) {
		const id = directiveIds(o.file)[o.d];
		if (id === HTTP) { return 'http'; }
		if (id === STREAM) { return 'stream'; }
		if (id === MAIL) { return 'mail'; }
	}
	return 'http';
}

/** A listen address as one key (`0.0.0.0:80`, `[::]:80`, `unix:/path`), or undefined when it needs a name resolved. */
export function listenKey(address: string): string | undefined {
	// the usual `listen 80;`: a port alone
	let digits = address.length > 0 && address.length < 6;
	for (let i = 0; digits && i < address.length; i++) { const c = address.charCodeAt(i); digits = c >= 48 && c <= 57; }
	if (digits) { return `0.0.0.0:${Number(address)}`; }
	if (address.includes('$')) { return undefined; }
	if (address.startsWith('unix:')) { return address; }
	let host: string;
	let port: string;
	const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(address);
	if (v6) {
		host = `[${v6[1].toLowerCase()}]`;
		port = v6[2] ?? '80';
	} else if (/^\d+$/.test(address)) {
		host = '0.0.0.0';
		port = address;
	} else {
		const m = /^([^:]*)(?::(\d+))?$/.exec(address);
		if (!m) { return undefined; }
		host = m[1] === '*' ? '0.0.0.0' : m[1] === 'localhost' ? '127.0.0.1' : m[1];
		port = m[2] ?? '80';
		if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) { return undefined; }
	}
	return `${host}:${Number(port)}`;
}

interface ZoneDecl { readonly step: ReadStep; readonly at: number; readonly use: string; readonly size?: number; readonly key?: string }

function zoneDeclarations(s: ReadStep, id: number): ZoneDecl[] {
	const out: ZoneDecl[] = [];
	if (id === LISTEN || TEMP_PATHS.has(id)) { return out; }
	const fam = family(s);
	if (id === LIMIT_REQ_ZONE || id === LIMIT_CONN_ZONE) {
		for (let i = 0; i < argc(s); i++) {
			const m = /^zone=([^:]+):(.+)$/.exec(arg(s, i));
			if (m) { out.push({ step: s, at: i, use: `${fam} ${id === LIMIT_REQ_ZONE ? 'limit_req_zone' : 'limit_conn_zone'}`, size: size(m[2]), key: arg(s, 0) }); }
		}
	} else if (CACHE_PATHS.has(id)) {
		for (let i = 1; i < argc(s); i++) {
			const m = /^keys_zone=([^:]+):(.+)$/.exec(arg(s, i));
			if (m) { out.push({ step: s, at: i, use: `${CACHE_PATHS.get(id)}_cache_path`, size: size(m[2]) }); }
		}
	} else if (id === ZONE && argc(s) === 2 && s.owners.length && directiveIds(s.owners[s.owners.length - 1].file)[s.owners[s.owners.length - 1].d] === UPSTREAM) {
		out.push({ step: s, at: 0, use: `${fam} upstream zone`, size: size(arg(s, 1)) });
	} else if (id === SSL_SESSION_CACHE) {
		for (let i = 0; i < argc(s); i++) {
			const m = /^shared:([^:]+):(.+)$/.exec(arg(s, i));
			if (m) { out.push({ step: s, at: i, use: `${fam} ssl_session_cache`, size: size(m[2]) }); }
		}
	}
	return out;
}

function zoneName(z: ZoneDecl): string {
	const text = arg(z.step, z.at);
	const m = /^(?:zone=|keys_zone=|shared:)?([^:]+)/.exec(text);
	return m ? m[1] : text;
}

type Report = (s: ReadStep, at: number, detail: string, first: ReadStep, firstAt: number) => void;

/** Whether argument `i` of the step is exactly `word` (compared in the text, no string made). */
function argIs(s: ReadStep, i: number, word: string): boolean {
	const t = s.file.tree;
	const k = t.dirTok[s.d] + 1 + i;
	return t.tokFlags[k] === 0 && t.tokEnd[k] - t.tokStart[k] === word.length && s.file.text.startsWith(word, t.tokStart[k]);
}

/**
 * Listens, in reading order: one server listens on an address once, an address has one default
 * server (http); a stream address and port (tcp or udp) is one listen's. Only the listens that can
 * conflict have their address read: the servers with two or more, and those marked default.
 */
function checkListens(listens: readonly ReadStep[], conflict: Report): void {
	const byServer = new Map<string | number, ReadStep[]>();
	const defaults = new Map<string, ReadStep>();
	const streams = new Map<string, ReadStep>();
	const occurrenceIds = new Map<FileOccurrence, number>();
	const http: ReadStep[] = [];
	for (const s of listens) {
		// the usual case without the blocks around it: the listen stands right in a server
		// that stands right in http or stream, in the same file
		const t = s.file.tree;
		const ids = directiveIds(s.file);
		const owner = t.blockOwner[t.dirParent[s.d]];
		const grand = owner >= 0 ? t.blockOwner[t.dirParent[owner]] : -1;
		let fam: string;
		let server: string | number;
		if (owner >= 0 && ids[owner] === SERVER && grand >= 0 && (ids[grand] === HTTP || ids[grand] === STREAM)) {
			fam = ids[grand] === HTTP ? 'http' : 'stream';
			let n = occurrenceIds.get(s.o);
			if (n === undefined) { occurrenceIds.set(s.o, n = occurrenceIds.size); }
			server = n * 0x1000000 + owner;
		} else {
			fam = family(s);
			server = [...s.owners].reverse().find(o => directiveIds(o.file)[o.d] === SERVER)?.key ?? '';
		}
		if (fam === 'stream') {
			const key = listenKey(arg(s, 0));
			if (!key) { continue; }
			let udp = false;
			for (let i = 1; i < argc(s); i++) { if (argIs(s, i, 'udp')) { udp = true; } }
			const k = udp ? `${key}/udp` : key;
			const before = streams.get(k);
			if (before) { conflict(s, 0, `another stream server (or this one) already listens on ${key}${udp ? ' (udp)' : ''}: nginx stops with "duplicate address and port pair".`, before, 0); } else { streams.set(k, s); }
			continue;
		}
		if (fam !== 'http') { continue; }
		http.push(s);
		const list = byServer.get(server);
		if (list) { list.push(s); } else { byServer.set(server, [s]); }
	}
	for (const list of byServer.values()) {
		if (list.length < 2) { continue; }
		const seen = new Map<string, ReadStep>();
		for (const s of list) {
			const key = listenKey(arg(s, 0));
			if (!key) { continue; }
			const before = seen.get(key);
			if (before) { conflict(s, 0, `this server already listens on ${key}: nginx stops with "a duplicate listen". Keep one listen per address (parameters such as ssl go on that one).`, before, 0); } else { seen.set(key, s); }
		}
	}
	const options = new Map<string, ReadStep>();
	for (const s of http) {
		let socketOption = -1;
		for (let i = 1; i < argc(s) && socketOption < 0; i++) {
			const t = s.file.tree;
			const k = t.dirTok[s.d] + 1 + i;
			const c = s.file.text.charCodeAt(t.tokStart[k]);
			// every socket option starts with one of these letters: read the word only then
			if ((c === 98 || c === 114 || c === 115 || c === 102 || c === 97 || c === 100 || c === 105) && SOCKET_OPTIONS.test(arg(s, i))) { socketOption = i; }
		}
		if (socketOption < 0) { continue; }
		const key = listenKey(arg(s, 0));
		if (!key) { continue; }
		const before = options.get(key);
		if (before) { conflict(s, socketOption, `another listen on ${key} already sets options of its socket (backlog, rcvbuf, reuseport, …): nginx stops with "duplicate listen options". Set them on one listen of the address only.`, before, 0); } else { options.set(key, s); }
	}
	for (const s of http) {
		for (let i = 1; i < argc(s); i++) {
			if (!argIs(s, i, 'default_server') && !argIs(s, i, 'default')) { continue; }
			const key = listenKey(arg(s, 0));
			if (!key) { break; }
			const d = defaults.get(key);
			if (d) { conflict(s, i, `another server is already the default server for ${key}: nginx stops with "a duplicate default server". Only one server per address may be default_server.`, d, 0); } else { defaults.set(key, s); }
			break;
		}
	}
}

/** Every conflict of the tree rooted at `root`. */
function treeConflicts(graph: NginxIncludeGraph, root: string): Conflict[] {
	return conflictsOf(occurrences(graph, root));
}

/** Every conflict among the readings of files given (in reading order). */
function conflictsOf(readings: readonly FileOccurrence[]): Conflict[] {
	const out: Conflict[] = [];
	const steps: ReadStep[] = [];
	for (const o of readings) {
		for (const d of wantedIn(o.file)) { steps.push(new ReadStep(o, d)); }
	}
	if (steps.length < 2) { return []; }
	steps.sort(compareReading);
	const zones = new Map<string, ZoneDecl>();
	const paths = new Map<string, { step: ReadStep; cache: boolean; levels: string }>();
	const listens: ReadStep[] = [];
	const formats = new Map<string, ReadStep>();
	const conflict = (s: ReadStep, at: number, detail: string, first: ReadStep, firstAt: number) => {
		const here = span(s, at);
		out.push({ ...here, detail, first: span(first, firstAt) });
	};
	for (const s of steps) {
		const id = directiveIds(s.file)[s.d];
		if (id < 0) { continue; }
		for (const z of zoneDeclarations(s, id)) {
			const name = zoneName(z);
			const before = zones.get(name);
			if (!before) { zones.set(name, z); continue; }
			if (before.use !== z.use) {
				conflict(s, z.at, `the shared memory zone "${name}" is already declared for a different use (${before.use}): nginx stops with "already declared for a different use". Give this ${z.use} a name of its own.`, before.step, before.at);
			} else if (before.size !== undefined && z.size !== undefined && before.size !== z.size) {
				conflict(s, z.at, `zone "${name}" is already declared with another size: nginx stops with "the size … of shared memory zone "${name}" conflicts with already declared size". Declare each zone once.`, before.step, before.at);
			} else if (/limit_(req|conn)_zone$/.test(z.use)) {
				conflict(s, z.at, `${z.use.split(' ')[1]} "${name}" is declared a second time: nginx stops with "already bound to key". Declare each zone once, or give this one another name.`, before.step, before.at);
			} else if (/_cache_path$/.test(z.use)) {
				conflict(s, z.at, `the cache zone "${name}" is declared a second time: nginx stops with "duplicate zone". Give each cache a keys_zone of its own.`, before.step, before.at);
			}
		}
		if (CACHE_PATHS.has(id) || TEMP_PATHS.has(id)) {
			const path = argc(s) ? arg(s, 0).replace(/\/+$/, '') : '';
			if (!path || path.includes('$')) { continue; }
			const cache = CACHE_PATHS.has(id);
			let levels = '';
			for (let i = 1; i < argc(s); i++) {
				const a = arg(s, i);
				if (cache) { const m = /^levels=(.*)$/.exec(a); if (m) { levels = m[1]; } } else { levels += `${a}:`; }
			}
			const before = paths.get(path);
			if (!before) { paths.set(path, { step: s, cache, levels }); continue; }
			if (cache || before.cache) {
				conflict(s, 0, `the folder "${path}" is already used by another ${before.cache ? 'cache' : 'temp path'}: nginx stops with "the same path name … used in". Give each cache a folder of its own.`, before.step, 0);
			} else if (before.levels !== levels) {
				conflict(s, 0, `the temp folder "${path}" is already used with other levels: nginx stops with "the same path name … has the different levels". Use the same levels, or another folder.`, before.step, 0);
			}
		}
		if (id === LOG_FORMAT && argc(s)) {
			// names are compared without case; http starts with "combined"
			const fam = family(s);
			const name = arg(s, 0).toLowerCase();
			if (fam === 'http' && name === 'combined') {
				conflict(s, 0, 'http already has a log format named "combined" (nginx\'s own): nginx stops with "duplicate "log_format" name". Name this one differently.', s, 0);
				continue;
			}
			const before = formats.get(`${fam} ${name}`);
			if (before) { conflict(s, 0, `a log_format "${arg(s, 0)}" is already declared in ${fam}: nginx stops with "duplicate "log_format" name". Name this one differently, or keep one.`, before, 0); } else { formats.set(`${fam} ${name}`, s); }
			continue;
		}
		if (id === LISTEN && argc(s)) { listens.push(s); }
	}
	checkListens(listens, conflict);
	return out;
}

const memo = new Memo<NginxIncludeGraph, { count: number; byRoot: Map<string, Conflict[]> }>();

/**
 * Whether what a file declares can conflict only within the file: nothing but listens that stand
 * right in a server of the file, none of them marked default or setting socket options. Then the file is read alone — an
 * edit of one host of a large tree does not read the tree again.
 */
function localOnly(file: NginxFile): boolean {
	const t = file.tree;
	const ids = directiveIds(file);
	for (const d of wantedIn(file)) {
		if (ids[d] !== LISTEN) { return false; }
		const owner = t.blockOwner[t.dirParent[d]];
		if (owner < 0 || ids[owner] !== SERVER) { return false; }
		for (let k = t.dirTok[d] + 2; k <= t.dirTok[d] + t.dirArgc[d]; k++) {
			const e = t.tokEnd[k];
			const b = t.tokStart[k];
			if ((e - b === 7 && file.text.startsWith('default', b)) || (e - b === 14 && file.text.startsWith('default_server', b))) { return false; }
			if (SOCKET_OPTIONS.test(file.text.slice(b, e))) { return false; }
		}
	}
	return true;
}

export function checkConflictingDeclarations(ctx: NginxContext): void {
	if (!wantedIn(ctx.file).length) { return; }
	if (localOnly(ctx.file)) {
		for (const c of conflictsOf([{ uri: ctx.uri, file: ctx.file, parent: undefined, at: -1, prefix: [] }])) {
			ctx.report({ code: Codes.nginxConflictingDeclaration, offset: c.offset, length: c.length, args: { detail: c.detail }, related: [{ ...c.first, message: 'declared first here' }] });
		}
		return;
	}
	const graph = includeGraph(ctx);
	const count = ctx.workspace.changeCount();
	let m = memo.get(graph);
	if (!m || m.count !== count) {
		m = { count, byRoot: new Map() };
		memo.set(graph, m);
	}
	const seen = new Set<string>();
	for (const root of rootsOf(graph, ctx.uri)) {
		let conflicts = m.byRoot.get(root);
		if (!conflicts) {
			conflicts = treeConflicts(graph, root);
			m.byRoot.set(root, conflicts);
		}
		for (const c of conflicts) {
			if (c.uri !== ctx.uri) { continue; }
			const key = `${c.offset}:${c.detail}`;
			if (seen.has(key)) { continue; }
			seen.add(key);
			ctx.report({ code: Codes.nginxConflictingDeclaration, offset: c.offset, length: c.length, args: { detail: c.detail }, related: [{ ...c.first, message: 'declared first here' }] });
		}
	}
}
