/**
 * The socket graph of the workspace: every socket a uWSGI config serves (with its protocol and
 * normalised address) and every target an nginx config passes requests to (with the protocol
 * nginx speaks and the addresses, through upstream blocks across files). Built once per
 * workspace state; the seam checks, navigation and quick fixes read it.
 */
import { getUwsgiOption } from '../../data/uwsgiData';
import type { UwsgiOptionData } from '../../data/types';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import type { UwsgiConfigItem } from '../context';
import type { NginxDirective, NginxFile, NginxToken } from '../../parser/nginx/nodes';
import { magicValue } from '../uwsgi/magicValues';
import { expandPlaceholders } from '../uwsgi/placeholders';
import { uwsgiSections } from '../uwsgi/sections';
import { parseUwsgiAddress, SERVER_SOCKET_HANDLERS } from '../uwsgi/sockets';
import { directiveId, directivesByName } from '../nginx/facts';
import { normalizePath, parseNginxAddress, reaches, type Address } from './addresses';

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

/** The `protocol` and `chdir` a config sets itself. */
export function socketContextOf(uri: string, doc: IniDocument): SocketContext {
	const entries = uwsgiSections(doc).flatMap(s => s.entries);
	const valueOf = (names: string[]): string | undefined => {
		const e = entries.find(x => names.includes(x.key.text));
		return e && !e.refs.some(r => r.kind === 'shell') ? expandValue(doc, uri, e.value.text) : undefined;
	};
	return { protocol: valueOf(['protocol', 'socket-protocol']), chdir: valueOf(['chdir']) };
}

/**
 * The sockets a config serves. `fallback` holds what another part of the same deployment sets
 * when this config does not (a command line and the ini it loads, the folder a command starts in).
 */
export function uwsgiSocketsOf(uri: string, doc: IniDocument, fallback: SocketContext = {}): UwsgiSocket[] {
	const out: UwsgiSocket[] = [];
	const entries = uwsgiSections(doc).flatMap(s => s.entries);
	const own = socketContextOf(uri, doc);
	const defaultProtocol = own.protocol ?? fallback.protocol ?? 'uwsgi';
	const chdir = own.chdir ?? fallback.chdir;
	for (const entry of entries) {
		const option = getUwsgiOption(entry.key.text);
		if (!option) { continue; }
		// a value the shell or the host fills in at run time (`:$PORT`) is unknown
		if (entry.refs.some(r => r.kind === 'shell')) { continue; }
		const router = option.plugin === 'http' ? ROUTER_PROTOCOL[option.name] : undefined;
		if (!SERVER_SOCKET_HANDLERS.has(option.handler) && !router) { continue; }
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

/** The address part of a pass target and the protocol its scheme implies. */
export function parsePassTarget(directive: string, raw: string): { protocol: string; host: string; address?: Address } | undefined {
	if (raw.includes('$')) { return undefined; }
	let protocol = PASS_PROTOCOL[directive];
	if (!protocol) { return undefined; }
	let rest = raw;
	const scheme = /^([a-z]+):\/\//.exec(rest);
	if (scheme) {
		const s = scheme[1];
		if (s === 'https' || s === 'suwsgi' || s === 'grpcs') { protocol = s === 'grpcs' ? 'grpc' : s; }
		rest = rest.slice(scheme[0].length);
	}
	if (rest.startsWith('unix:')) {
		// proxy_pass http://unix:/path:/uri — the path ends at the next ":"
		const body = rest.slice(5);
		const colon = scheme ? body.indexOf(':') : -1;
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

export class SocketGraph {
	readonly sockets: UwsgiSocket[] = [];
	private nginx: { targets: NginxTarget[]; user?: { readonly name: string; readonly group?: string; readonly uri: string } } | undefined;
	private readonly nginxFiles: { uri: string; file: NginxFile }[];

	constructor(uwsgi: Iterable<UwsgiConfigItem>, nginx: Iterable<{ uri: string; file: NginxFile }>) {
		const configs = [...uwsgi];
		// a command line and the ini files it loads are one deployment: each supplies what the other lacks
		const byUri = new Map(configs.filter(c => !c.loads).map(c => [c.uri, c]));
		const loadedBy = new Map<string, SocketContext>();
		const fromLoads = new Map<UwsgiConfigItem, SocketContext>();
		for (const c of configs) {
			if (!c.loads?.length) { continue; }
			const own = socketContextOf(c.uri, c.doc);
			let loaded: SocketContext = {};
			for (const target of c.loads) {
				const t = byUri.get(target);
				if (!t) { continue; }
				const ctx = socketContextOf(t.uri, t.doc);
				loaded = { protocol: loaded.protocol ?? ctx.protocol, chdir: loaded.chdir ?? ctx.chdir };
				if (!loadedBy.has(target)) { loadedBy.set(target, { protocol: own.protocol, chdir: own.chdir ?? c.cwd }); }
			}
			fromLoads.set(c, { protocol: loaded.protocol, chdir: loaded.chdir ?? c.cwd });
		}
		for (const c of configs) {
			const fallback = fromLoads.get(c) ?? (c.loads ? { chdir: c.cwd } : loadedBy.get(c.uri)) ?? { chdir: c.cwd };
			this.sockets.push(...uwsgiSocketsOf(c.uri, c.doc, fallback));
		}
		this.nginxFiles = [...nginx];
	}

	/** Every nginx target of the workspace (worked out on first use: with no uWSGI socket, the nginx checks need none). */
	get targets(): readonly NginxTarget[] {
		return this.nginxSide().targets;
	}

	/** The nginx worker user from a main-context `user` directive, if the workspace has one. */
	get nginxUser(): { readonly name: string; readonly group?: string; readonly uri: string } | undefined {
		return this.nginxSide().user;
	}

	private nginxSide(): { targets: NginxTarget[]; user?: { readonly name: string; readonly group?: string; readonly uri: string } } {
		if (this.nginx) { return this.nginx; }
		const targets: NginxTarget[] = [];
		let user: { readonly name: string; readonly group?: string; readonly uri: string } | undefined;
		const files = this.nginxFiles;
		const upstreams = new Map<string, { uri: string; directive: NginxDirective }[]>();
		for (const { uri, file } of files) {
			const t = file.tree;
			const byName = directivesByName(file);
			for (const d of byName.of(UPSTREAM)) {
				if (t.dirBlock[d] < 0 || t.dirArgc[d] === 0) { continue; }
				const name = file.token(t.dirTok[d] + 1).value;
				const directive = file.directive(d);
				const list = upstreams.get(name);
				if (list) { list.push({ uri, directive }); } else { upstreams.set(name, [{ uri, directive }]); }
			}
			if (!user) {
				for (const d of byName.of(USER)) {
					if (t.dirParent[d] === 0 && t.dirArgc[d] > 0) {
						const args = file.directive(d).args;
						user = { name: args[0].value, group: args[1]?.value, uri };
						break;
					}
				}
			}
		}
		// targets in document order per file, as the checks report them
		for (const { uri, file } of files) {
			const tree = file.tree;
			const byName = directivesByName(file);
			const passes: number[] = [];
			for (const id of PASS_IDS) { for (const d of byName.of(id)) { if (tree.dirArgc[d] === 1) { passes.push(d); } } }
			passes.sort((a, b) => a - b);
			for (const index of passes) {
				const d = file.directive(index);
				const pt = parsePassTarget(d.name.value, d.args[0].value);
				if (!pt) { continue; }
				if (pt.address) {
					targets.push({ uri, directive: d, protocol: pt.protocol, servers: [{ address: pt.address, uri, token: d.args[0] }] });
					continue;
				}
				const up = nearest(uri, upstreams.get(pt.host) ?? []);
				if (up) {
					const servers: TargetServer[] = [];
					for (const c of up.directive.block!.children) {
						if (c.kind !== 'directive' || c.name.value !== 'server' || !c.args[0]) { continue; }
						const address = parseNginxAddress(c.args[0].value) ?? (/^[\w.-]+$/.test(c.args[0].value) ? { kind: 'tcp' as const, host: c.args[0].value, port: '80' } : undefined);
						if (address) { servers.push({ address, uri: up.uri, token: c.args[0], serverDirective: c }); }
					}
					targets.push({ uri, directive: d, protocol: pt.protocol, servers, upstream: up });
				} else if (pt.protocol === 'http' || pt.protocol === 'https') {
					// proxy_pass http://host without a port: the scheme's port
					if (/^[\w.-]+$/.test(pt.host)) {
						targets.push({ uri, directive: d, protocol: pt.protocol, servers: [{ address: { kind: 'tcp', host: pt.host, port: pt.protocol === 'https' ? '443' : '80' }, uri, token: d.args[0] }] });
					}
				}
			}
		}
		this.nginx = { targets, user };
		return this.nginx;
	}

	/** uWSGI sockets an address reaches. */
	socketsAt(address: Address): UwsgiSocket[] {
		return this.sockets.filter(s => reaches(address, s.address));
	}

	/** nginx targets (with the server entry) that reach a uWSGI socket. */
	targetsOf(socket: UwsgiSocket): { target: NginxTarget; server: TargetServer }[] {
		const out: { target: NginxTarget; server: TargetServer }[] = [];
		for (const target of this.targets) {
			for (const server of target.servers) {
				if (reaches(server.address, socket.address)) { out.push({ target, server }); }
			}
		}
		return out;
	}
}
