/**
 * The socket graph of the workspace: every socket a uWSGI config serves (with its protocol and
 * normalised address) and every target an nginx config passes requests to (with the protocol
 * nginx speaks and the addresses, through upstream blocks across files). Built once per
 * workspace state; the seam checks, navigation and quick fixes read it.
 */
import type { UwsgiOptionData } from '../../data/types';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import type { UwsgiConfigItem } from '../context';
import type { NginxDirective, NginxFile, NginxToken } from '../../parser/nginx/nodes';
import { magicValue } from '../uwsgi/magicValues';
import { expandPlaceholders } from '../uwsgi/placeholders';
import { optionEntries } from '../uwsgi/entries';
import { uwsgiSections } from '../uwsgi/sections';
import { parseUwsgiAddress, SERVER_SOCKET_HANDLERS } from '../uwsgi/sockets';
import { directiveId, directivesByName } from '../nginx/facts';
import { normalizePath, parseNginxAddress, reaches, type Address } from './addresses';
import { Memo } from '../../utils/memo';

export interface UwsgiSocket {
	readonly uri: string;
	readonly entry: IniEntryLine;
	readonly option: UwsgiOptionData;
	/** What the socket speaks: uwsgi, http, https, fastcgi, scgi, suwsgi, ... */
	readonly protocol: string;
	readonly address: Address;
	/** The value after placeholders and magic variables, as uWSGI binds it. */
	readonly expanded: string;
	readonly doc: IniDocument;
}

export interface TargetServer {
	readonly address: Address;
	/** Where the address is written: the pass argument or the upstream `server` argument. */
	readonly uri: string;
	readonly token: NginxToken;
	/** The upstream `server` directive, when the pass names an upstream. */
	readonly serverDirective?: NginxDirective;
}

export interface NginxTarget {
	readonly uri: string;
	/** The parsed file the pass directive is in. */
	readonly file: NginxFile;
	readonly directive: NginxDirective;
	/** What nginx speaks to it: uwsgi (uwsgi_pass), http/https (proxy_pass), fastcgi, scgi, grpc. */
	readonly protocol: string;
	readonly servers: readonly TargetServer[];
	/** The upstream block it names, if any. */
	readonly upstream?: { readonly uri: string; readonly directive: NginxDirective };
}

const PASS_PROTOCOL: Record<string, string> = { uwsgi_pass: 'uwsgi', proxy_pass: 'http', fastcgi_pass: 'fastcgi', scgi_pass: 'scgi', grpc_pass: 'grpc' };
const PASS_IDS = Object.keys(PASS_PROTOCOL).map(directiveId);
const UPSTREAM = directiveId('upstream');
const USER = directiveId('user');

/** Protocols of a uWSGI socket that an nginx protocol can talk to. */
const COMPATIBLE: Record<string, readonly string[]> = {
	uwsgi: ['uwsgi'],
	suwsgi: ['suwsgi'],
	http: ['http', 'http11'],
	https: ['https'],
	fastcgi: ['fastcgi', 'fastcgi-nph'],
	scgi: ['scgi', 'scgi-nph'],
	grpc: [],
};

export function speaksTo(nginxProtocol: string, socketProtocol: string): boolean {
	return (COMPATIBLE[nginxProtocol] ?? [nginxProtocol]).includes(socketProtocol);
}

/** uWSGI's own HTTP router options: a separate process that speaks HTTP on the address. */
const ROUTER_PROTOCOL: Record<string, string> = { 'http': 'http', 'httprouter': 'http', 'https': 'https' };

/** Expands placeholders and magic variables; undefined when the value depends on the environment or a file. */
export function expandValue(doc: IniDocument, uri: string, value: string): string | undefined {
	const expanded = expandPlaceholders(doc, value).replace(/%([a-zA-Z%])/g, (whole, letter: string) => magicValue(letter, uri) ?? whole);
	return /\$\(|@\(|%\(|%[a-zA-Z]/.test(expanded) ? undefined : expanded;
}

/** What a config's sockets depend on: `protocol` and `chdir` (a relative unix path lives below it). */
export interface SocketContext {
	readonly protocol?: string;
	readonly chdir?: string;
}

const socketContexts = new Memo<IniDocument, { readonly uri: string; readonly context: SocketContext }>();

/** The `protocol` and `chdir` a config sets itself (kept per parsed tree). */
export function socketContextOf(uri: string, doc: IniDocument): SocketContext {
	const hit = socketContexts.get(doc);
	if (hit && hit.uri === uri) { return hit.context; }
	// the first entry of each, in one pass over the entries of the uWSGI sections
	let protocol: IniEntryLine | undefined;
	let chdir: IniEntryLine | undefined;
	const sections = uwsgiSections(doc);
	for (let s = 0; s < sections.length; s++) {
		const entries = sections[s].entries;
		for (let i = 0; i < entries.length; i++) {
			const e = entries[i];
			const key = e.key.text;
			if (!protocol && (key === 'protocol' || key === 'socket-protocol')) { protocol = e; }
			if (!chdir && key === 'chdir') { chdir = e; }
		}
	}
	const valueOf = (e: IniEntryLine | undefined): string | undefined => (e && !e.refs.some(r => r.kind === 'shell') ? expandValue(doc, uri, e.value.text) : undefined);
	const context = { protocol: valueOf(protocol), chdir: valueOf(chdir) };
	socketContexts.set(doc, { uri, context });
	return context;
}

/**
 * The sockets a config serves. `fallback` holds what another part of the same deployment sets
 * when this config does not (a command line and the ini it loads, the folder a command starts in).
 */
export function uwsgiSocketsOf(uri: string, doc: IniDocument, fallback: SocketContext = {}): UwsgiSocket[] {
	const out: UwsgiSocket[] = [];
	let own: SocketContext | undefined;
	for (const { entry, option } of optionEntries(doc)) {
		const router = option.plugin === 'http' ? ROUTER_PROTOCOL[option.name] : undefined;
		if (!SERVER_SOCKET_HANDLERS.has(option.handler) && !router) { continue; }
		// a value the shell or the host fills in at run time (`:$PORT`) is unknown
		if (entry.refs.some(r => r.kind === 'shell')) { continue; }
		own ??= socketContextOf(uri, doc);
		const defaultProtocol = own.protocol ?? fallback.protocol ?? 'uwsgi';
		const chdir = own.chdir ?? fallback.chdir;
		const expanded = expandValue(doc, uri, entry.value.text);
		if (expanded === undefined) { continue; }
		const parsed = parseUwsgiAddress(expanded, option.type === 'ssl_socket' || router === 'https');
		if (!parsed || parsed.kind === 'fd') { continue; }
		let address: Address;
		// `%d`, `%p`, `%c`, `%v`... depend on where the file sits on the server, not in the workspace
		const locationDependent = /%[dpcvo0-9DPCO]/.test(entry.value.text);
		if (parsed.kind === 'unix' && locationDependent) {
			address = { kind: 'unix', path: parsed.path.slice(parsed.path.lastIndexOf('/') + 1), relative: true };
		} else if (parsed.kind === 'unix') {
			if (parsed.path.startsWith('/')) {
				address = { kind: 'unix', path: normalizePath(parsed.path) };
			} else if (chdir?.startsWith('/')) {
				// uWSGI binds after chdir: a relative socket path lives below it
				address = { kind: 'unix', path: normalizePath(`${chdir}/${parsed.path}`) };
			} else {
				address = { kind: 'unix', path: parsed.path.replace(/^\.\//, ''), relative: true };
			}
		} else if (parsed.kind === 'abstract') {
			address = { kind: 'abstract', name: parsed.name };
		} else {
			address = { kind: 'tcp', host: parsed.host, port: parsed.port };
		}
		const protocol = router ?? option.protocol ?? (option.name === 'socket' || option.name === 'shared-socket' ? defaultProtocol : 'uwsgi');
		out.push({ uri, entry, option, protocol, address, expanded, doc });
	}
	return out;
}

/**
 * The URL prefixes each pass directive strips before reading the address, and the protocol each
 * implies (nginx 1.22: ngx_http_uwsgi_pass, ngx_http_grpc_pass, ngx_http_proxy_pass; fastcgi_pass
 * and scgi_pass take the address as it is). Compared ignoring case. `unix:` is no scheme: it is
 * part of the address, and whatever follows it is the path (`unix:///run/app.sock` is
 * `///run/app.sock`, which the kernel reads as `/run/app.sock`).
 */
const PASS_SCHEMES: Record<string, readonly (readonly [string, string])[]> = {
	uwsgi_pass: [['uwsgi://', 'uwsgi'], ['suwsgi://', 'suwsgi']],
	proxy_pass: [['http://', 'http'], ['https://', 'https']],
	grpc_pass: [['grpc://', 'grpc'], ['grpcs://', 'grpc']],
	fastcgi_pass: [],
	scgi_pass: [],
};

/** The address part of a pass target and the protocol its scheme implies. */
export function parsePassTarget(directive: string, raw: string): { protocol: string; host: string; address?: Address } | undefined {
	if (raw.includes('$')) { return undefined; }
	let protocol = PASS_PROTOCOL[directive];
	if (!protocol) { return undefined; }
	let rest = raw;
	const lower = raw.toLowerCase();
	for (const [prefix, p] of PASS_SCHEMES[directive] ?? []) {
		if (lower.startsWith(prefix)) {
			protocol = p;
			rest = rest.slice(prefix.length);
			break;
		}
	}
	if (rest.slice(0, 5).toLowerCase() === 'unix:') {
		// proxy_pass http://unix:/path:/uri — the path ends at the next ":" (nginx reads a URI part only there)
		const body = rest.slice(5);
		const colon = directive === 'proxy_pass' ? body.indexOf(':') : -1;
		const path = colon >= 0 ? body.slice(0, colon) : body;
		return { protocol, host: 'unix:' + path, address: parseNginxAddress('unix:' + path) };
	}
	const host = rest.replace(/\/.*$/, '');
	return { protocol, host, address: parseNginxAddress(host) };
}

/** Of several definitions, the one nearest to a file: the same file, else the deepest common folder. */
export function nearest<T extends { uri: string }>(uri: string, candidates: readonly T[]): T | undefined {
	let best: T | undefined;
	let bestScore = -1;
	for (const c of candidates) {
		let score: number;
		if (c.uri === uri) {
			score = Number.MAX_SAFE_INTEGER;
		} else {
			const a = uri.split('/');
			const b = c.uri.split('/');
			let i = 0;
			while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) { i++; }
			score = i;
		}
		if (score > bestScore) {
			best = c;
			bestScore = score;
		}
	}
	return best;
}

/** What one nginx file contributes to the graph; kept per parsed tree (a tree is never mutated). */
interface NginxFacts {
	readonly upstreams: readonly { readonly name: string; readonly directive: NginxDirective }[];
	readonly user?: { readonly name: string; readonly group?: string };
	readonly passes: readonly { readonly directive: NginxDirective; readonly target: NonNullable<ReturnType<typeof parsePassTarget>> }[];
}

const nginxFacts = new Memo<NginxFile, NginxFacts>();
const upstreamServers = new Memo<NginxDirective, { readonly uri: string; readonly servers: TargetServer[] }>();

function factsOf(file: NginxFile): NginxFacts {
	let f = nginxFacts.get(file);
	if (f) { return f; }
	const t = file.tree;
	const byName = directivesByName(file);
	const upstreams: { name: string; directive: NginxDirective }[] = [];
	for (const d of byName.of(UPSTREAM)) {
		if (t.dirBlock[d] < 0 || t.dirArgc[d] === 0) { continue; }
		upstreams.push({ name: file.token(t.dirTok[d] + 1).value, directive: file.directive(d) });
	}
	let user: NginxFacts['user'];
	for (const d of byName.of(USER)) {
		if (t.dirParent[d] === 0 && t.dirArgc[d] > 0) {
			const args = file.directive(d).args;
			user = { name: args[0].value, group: args[1]?.value };
			break;
		}
	}
	// passes in document order, as the checks report them
	const indexes: number[] = [];
	for (const id of PASS_IDS) { for (const d of byName.of(id)) { if (t.dirArgc[d] === 1) { indexes.push(d); } } }
	indexes.sort((a, b) => a - b);
	const passes: { directive: NginxDirective; target: NonNullable<ReturnType<typeof parsePassTarget>> }[] = [];
	for (const index of indexes) {
		const d = file.directive(index);
		const target = parsePassTarget(d.name.value, d.args[0].value);
		if (target) { passes.push({ directive: d, target }); }
	}
	f = { upstreams, user, passes };
	nginxFacts.set(file, f);
	return f;
}

function serversOf(up: { uri: string; directive: NginxDirective }): TargetServer[] {
	const hit = upstreamServers.get(up.directive);
	if (hit && hit.uri === up.uri) { return hit.servers; }
	const servers: TargetServer[] = [];
	for (const c of up.directive.block!.children) {
		if (c.kind !== 'directive' || c.name.value !== 'server' || !c.args[0]) { continue; }
		const address = parseNginxAddress(c.args[0].value) ?? (/^[\w.-]+$/.test(c.args[0].value) ? { kind: 'tcp' as const, host: c.args[0].value, port: '80' } : undefined);
		if (address) { servers.push({ address, uri: up.uri, token: c.args[0], serverDirective: c }); }
	}
	upstreamServers.set(up.directive, { uri: up.uri, servers });
	return servers;
}

/** A key every address that reaches `a` shares (unix path, abstract name, TCP port); relative unix paths have none. */
function addressKey(a: Address): string | undefined {
	if (a.kind === 'unix') { return a.relative ? undefined : 'u' + a.path; }
	if (a.kind === 'abstract') { return 'a' + a.name; }
	return 't' + a.port;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) { list.push(value); } else { map.set(key, [value]); }
}

function removeFrom<K, V>(map: Map<K, V[]>, key: K, drop: (v: V) => boolean): void {
	const list = map.get(key);
	if (!list) { return; }
	const kept = list.filter(v => !drop(v));
	if (kept.length) { map.set(key, kept); } else { map.delete(key); }
}

type ServerRef = { readonly target: NginxTarget; readonly server: TargetServer };
type User = { readonly name: string; readonly group?: string; readonly uri: string };

/**
 * The socket graph of the workspace, kept current file by file: the workspace hands it each
 * changed file (`setUwsgi`, `setNginx`) and it replaces that file's sockets, upstreams and
 * targets, re-resolving only the passes that name an upstream the file defines or defined. The
 * nginx side is worked out when first asked for (with no uWSGI socket the nginx checks need
 * none). Lookups by file and by address go through indexes, so checking one file never scans
 * every socket and target of the workspace.
 *
 * Command lines (host files) and the ini files they load form one deployment; the workspace
 * rebuilds the graph when one of those changes (`involves`), which is rare and cheap.
 */
export class SocketGraph {
	/** Per file, in the order files were added (the workspace's order). */
	private readonly uwsgiByUri = new Map<string, { readonly doc: IniDocument | undefined; readonly sockets: readonly UwsgiSocket[] }>();
	private readonly socketsByKey = new Map<string, UwsgiSocket[]>();
	private readonly relativeSockets = new Set<UwsgiSocket>();
	/** Command lines and the files they load: changes to these rebuild the graph. */
	private readonly deployment = new Set<string>();
	private readonly nginxByUri = new Map<string, { file: NginxFile; facts?: NginxFacts; targets: readonly NginxTarget[] }>();
	/** nginx files whose facts and targets are not worked out yet. */
	private readonly nginxDirty = new Set<string>();
	private readonly upstreams = new Map<string, { uri: string; directive: NginxDirective }[]>();
	/** Files with passes to a name (an upstream, or a host without a port). */
	private readonly passesByHost = new Map<string, Set<string>>();
	private readonly serversByKey = new Map<string, ServerRef[]>();
	/** A sequence number per file: its place in workspace order. */
	private readonly seq = new Map<string, number>();
	private nextSeq = 0;
	/** Flat lists made on first use: the uWSGI side's is dropped when a uWSGI file changes, the nginx side's when an nginx file does. */
	private uwsgiFlat: { sockets?: UwsgiSocket[] } = {};
	private flat: { targets?: NginxTarget[]; unixServers?: ServerRef[]; user?: User | null } = {};
	private socketCount = 0;
	private targetCount = 0;
	/** How many nginx servers are relative unix paths (rare: `unix:app.sock`, `unix:@name`). */
	private relativeTargets = 0;

	constructor(uwsgi: Iterable<UwsgiConfigItem>, nginx: Iterable<{ uri: string; file: NginxFile }>) {
		const configs = [...uwsgi];
		// a command line and the ini files it loads are one deployment: each supplies what the other lacks
		const byUri = new Map(configs.filter(c => !c.loads).map(c => [c.uri, c]));
		const loadedBy = new Map<string, SocketContext>();
		const fromLoads = new Map<UwsgiConfigItem, SocketContext>();
		for (const c of configs) {
			if (!c.loads) { continue; }
			this.deployment.add(c.uri);
			if (!c.loads.length) { continue; }
			const own = socketContextOf(c.uri, c.doc);
			let loaded: SocketContext = {};
			for (const target of c.loads) {
				this.deployment.add(target);
				const t = byUri.get(target);
				if (!t) { continue; }
				const ctx = socketContextOf(t.uri, t.doc);
				loaded = { protocol: loaded.protocol ?? ctx.protocol, chdir: loaded.chdir ?? ctx.chdir };
				if (!loadedBy.has(target)) { loadedBy.set(target, { protocol: own.protocol, chdir: own.chdir ?? c.cwd }); }
			}
			fromLoads.set(c, { protocol: loaded.protocol, chdir: loaded.chdir ?? c.cwd });
		}
		const perUri = new Map<string, UwsgiSocket[]>();
		for (const c of configs) {
			const fallback = fromLoads.get(c) ?? (c.loads ? { chdir: c.cwd } : loadedBy.get(c.uri)) ?? { chdir: c.cwd };
			const list = perUri.get(c.uri) ?? [];
			list.push(...uwsgiSocketsOf(c.uri, c.doc, fallback));
			perUri.set(c.uri, list);
			if (c.loads) { this.deployment.add(c.uri); }
		}
		for (const c of configs) {
			if (this.uwsgiByUri.has(c.uri)) { continue; }
			this.putSockets(c.uri, c.loads ? undefined : c.doc, perUri.get(c.uri) ?? []);
		}
		for (const { uri, file } of nginx) {
			this.order(uri);
			this.nginxByUri.set(uri, { file, targets: [] });
			this.nginxDirty.add(uri);
		}
	}

	/** Whether the workspace has command lines (whose loads depend on the set of files). */
	get hasDeployments(): boolean {
		return this.deployment.size > 0;
	}

	/** Whether a change of this file needs a rebuild (a command line, or a file one loads). */
	involves(uri: string): boolean {
		return this.deployment.has(uri);
	}

	/**
	 * Every socket of the workspace, in workspace order. A new list after each uWSGI change: checks
	 * run on every edit ask `hasSockets` or look sockets up by file or address instead.
	 */
	get sockets(): readonly UwsgiSocket[] {
		return (this.uwsgiFlat.sockets ??= [...this.uwsgiByUri.values()].flatMap(f => f.sockets));
	}

	/** Whether the workspace serves any uWSGI socket (without making the flat list). */
	get hasSockets(): boolean {
		return this.socketCount > 0;
	}

	/** Whether any nginx file passes to a target (without making the flat list). */
	get hasTargets(): boolean {
		this.nginxSide();
		return this.targetCount > 0;
	}

	/** Every nginx target of the workspace, in workspace order. */
	get targets(): readonly NginxTarget[] {
		this.nginxSide();
		return (this.flat.targets ??= [...this.nginxByUri.values()].flatMap(f => f.targets));
	}

	/** The nginx worker user from a main-context `user` directive, if the workspace has one. */
	get nginxUser(): User | undefined {
		this.nginxSide();
		if (this.flat.user === undefined) {
			this.flat.user = null;
			for (const [uri, f] of this.nginxByUri) {
				if (f.facts?.user) {
					this.flat.user = { ...f.facts.user, uri };
					break;
				}
			}
		}
		return this.flat.user ?? undefined;
	}

	private order(uri: string): number {
		let n = this.seq.get(uri);
		if (n === undefined) {
			n = this.nextSeq++;
			this.seq.set(uri, n);
		}
		return n;
	}

	private putSockets(uri: string, doc: IniDocument | undefined, sockets: readonly UwsgiSocket[]): void {
		this.order(uri);
		this.uwsgiByUri.set(uri, { doc, sockets });
		this.socketCount += sockets.length;
		for (const s of sockets) {
			const k = addressKey(s.address);
			if (k === undefined) { this.relativeSockets.add(s); } else { push(this.socketsByKey, k, s); }
		}
	}

	/** Replaces (or with no document, removes) the sockets of a uWSGI ini file that no command line loads. */
	setUwsgi(uri: string, doc: IniDocument | undefined): void {
		const old = this.uwsgiByUri.get(uri);
		if (old && old.doc === doc) { return; }
		if (!old && !doc) { return; }
		this.uwsgiFlat = {};
		if (old) {
			this.socketCount -= old.sockets.length;
			for (const s of old.sockets) {
				const k = addressKey(s.address);
				if (k === undefined) { this.relativeSockets.delete(s); } else { removeFrom(this.socketsByKey, k, x => x === s); }
			}
			this.uwsgiByUri.delete(uri);
		}
		if (doc) { this.putSockets(uri, doc, uwsgiSocketsOf(uri, doc)); }
	}

	/** Replaces (or with no file, removes) an nginx file; its upstreams and targets are worked out on the next lookup. */
	setNginx(uri: string, file: NginxFile | undefined): void {
		const old = this.nginxByUri.get(uri);
		if (old?.file === file) { return; }
		if (!old && !file) { return; }
		this.flat = {};
		if (old?.facts) {
			// take the old facts out now: the dirty pass only sees the new tree
			this.dropTargets(uri, old);
			for (const u of old.facts.upstreams) {
				removeFrom(this.upstreams, u.name, x => x.uri === uri);
				for (const other of this.passesByHost.get(u.name) ?? []) { this.nginxDirty.add(other); }
			}
			old.facts = undefined;
		}
		if (file) {
			this.order(uri);
			if (old) { old.file = file; } else { this.nginxByUri.set(uri, { file, targets: [] }); }
			this.nginxDirty.add(uri);
		} else {
			this.nginxByUri.delete(uri);
			this.nginxDirty.delete(uri);
		}
	}

	/** Works out the facts and targets of the files changed since the last lookup. */
	private nginxSide(): void {
		if (!this.nginxDirty.size) { return; }
		this.flat = {};
		const dirty = [...this.nginxDirty];
		// first every new upstream, so the passes below resolve against all of them
		for (const uri of dirty) {
			const entry = this.nginxByUri.get(uri);
			if (!entry || entry.facts) { continue; }
			entry.facts = factsOf(entry.file);
			for (const u of entry.facts.upstreams) {
				push(this.upstreams, u.name, { uri, directive: u.directive });
				for (const other of this.passesByHost.get(u.name) ?? []) { this.nginxDirty.add(other); }
			}
		}
		for (const uri of this.nginxDirty) { this.resolveTargets(uri); }
		this.nginxDirty.clear();
	}

	private dropTargets(uri: string, entry: { facts?: NginxFacts; targets: readonly NginxTarget[] }): void {
		const gone = new Set(entry.targets);
		for (const t of entry.targets) {
			for (const server of t.servers) {
				const k = addressKey(server.address);
				if (k !== undefined) { removeFrom(this.serversByKey, k, x => gone.has(x.target)); } else { this.relativeTargets--; }
			}
		}
		for (const p of entry.facts?.passes ?? []) {
			if (p.target.address) { continue; }
			const set = this.passesByHost.get(p.target.host);
			set?.delete(uri);
			if (set && !set.size) { this.passesByHost.delete(p.target.host); }
		}
		this.targetCount -= entry.targets.length;
		entry.targets = [];
	}

	/** (Re)builds the targets of one nginx file against the current upstreams. */
	private resolveTargets(uri: string): void {
		const entry = this.nginxByUri.get(uri);
		if (!entry?.facts) { return; }
		this.dropTargets(uri, entry);
		const file = entry.file;
		const targets: NginxTarget[] = [];
		for (const { directive: d, target: pt } of entry.facts.passes) {
			let target: NginxTarget | undefined;
			if (pt.address) {
				target = { uri, file, directive: d, protocol: pt.protocol, servers: [{ address: pt.address, uri, token: d.args[0] }] };
			} else {
				let set = this.passesByHost.get(pt.host);
				if (!set) {
					set = new Set();
					this.passesByHost.set(pt.host, set);
				}
				set.add(uri);
				const candidates = this.upstreams.get(pt.host);
				const up = candidates && (candidates.length === 1 ? candidates[0] : nearest(uri, candidates));
				if (up) {
					target = { uri, file, directive: d, protocol: pt.protocol, servers: serversOf(up), upstream: up };
				} else if ((pt.protocol === 'http' || pt.protocol === 'https') && /^[\w.-]+$/.test(pt.host)) {
					// proxy_pass http://host without a port: the scheme's port
					target = { uri, file, directive: d, protocol: pt.protocol, servers: [{ address: { kind: 'tcp', host: pt.host, port: pt.protocol === 'https' ? '443' : '80' }, uri, token: d.args[0] }] };
				}
			}
			if (!target) { continue; }
			targets.push(target);
			for (const server of target.servers) {
				const k = addressKey(server.address);
				if (k !== undefined) { push(this.serversByKey, k, { target, server }); } else { this.relativeTargets++; }
			}
		}
		entry.targets = targets;
		this.targetCount += targets.length;
	}

	/** The sockets a uWSGI config file serves, in file order. */
	socketsIn(uri: string): readonly UwsgiSocket[] {
		return this.uwsgiByUri.get(uri)?.sockets ?? [];
	}

	/** The targets an nginx file passes to, in file order. */
	targetsIn(uri: string): readonly NginxTarget[] {
		this.nginxSide();
		return this.nginxByUri.get(uri)?.targets ?? [];
	}

	/** Position of a socket or target in workspace order, for stable choices. */
	orderOf(x: UwsgiSocket | NginxTarget): number {
		const inFile = 'entry' in x ? this.socketsIn(x.uri).indexOf(x) : this.targetsIn(x.uri).indexOf(x);
		return (this.seq.get(x.uri) ?? 0) * 1e6 + inFile;
	}

	/** uWSGI sockets an address reaches, in workspace order. */
	socketsAt(address: Address): UwsgiSocket[] {
		const k = addressKey(address);
		if (k === undefined) { return this.sockets.filter(s => reaches(address, s.address)); }
		const keyed = (this.socketsByKey.get(k) ?? []).filter(s => reaches(address, s.address));
		const relative = address.kind === 'unix' && this.relativeSockets.size ? [...this.relativeSockets].filter(s => reaches(address, s.address)) : [];
		const all = relative.length ? [...keyed, ...relative] : keyed;
		return all.length > 1 ? all.sort((a, b) => this.orderOf(a) - this.orderOf(b)) : all;
	}

	/** nginx targets (with the server entry) that reach a uWSGI socket, in workspace order. */
	targetsOf(socket: UwsgiSocket): ServerRef[] {
		this.nginxSide();
		const k = addressKey(socket.address);
		const unixServers = () => (this.flat.unixServers ??= this.targets.flatMap(target => target.servers.filter(s => s.address.kind === 'unix').map(server => ({ target, server }))));
		let candidates = k === undefined ? unixServers() : (this.serversByKey.get(k) ?? []);
		if (k !== undefined && socket.address.kind === 'unix' && this.relativeTargets) {
			// a relative nginx path (its folder unknown) may reach any socket file that ends the same way
			candidates = [...candidates, ...unixServers().filter(r => r.server.address.kind === 'unix' && r.server.address.relative)];
		}
		const found = candidates.filter(({ server }) => reaches(server.address, socket.address));
		if (found.length < 2) { return found; }
		return found.sort((a, b) => this.orderOf(a.target) - this.orderOf(b.target) || a.target.servers.indexOf(a.server) - b.target.servers.indexOf(b.server));
	}
}
