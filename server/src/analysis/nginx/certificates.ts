/**
 * nginx-missing-certificate: TLS that nginx refuses to set up for want of a certificate, a key or
 * the CA list, worked out over the whole configuration as nginx merges it (http → server, stream
 * → server), through includes:
 *
 * - An address that some `listen … ssl` (or `quic`) makes TLS, whose default server (the one with
 *   `default_server`, else the first listening there) has no `ssl_certificate`, its own or from
 *   http, and no `ssl_reject_handshake on`: `no "ssl_certificate" is defined for the "listen ...
 *   ssl" directive`. When the default server rejects handshakes, each other server on that
 *   address needs a certificate or `ssl_reject_handshake on` itself. A default server with a
 *   certificate covers the others (nginx 1.22 checks nothing more). Stream servers follow the
 *   same rule (1.22 allows one server per address, newer versions virtual servers).
 * - A server whose certificates (its own, else those of http) outnumber its keys: `no
 *   "ssl_certificate_key" is defined for certificate "…"` (in stream: for TLS servers only).
 * - `ssl_verify_client on|optional` in a server that sets up TLS, with neither
 *   `ssl_client_certificate` nor `ssl_trusted_certificate` (nginx 1.27.2+ takes either; 1.22
 *   only the first, so one with only the second is left alone).
 *
 * Only a configuration we see whole is judged: the check starts from a file nginx starts with
 * (one no file includes, holding `http` or `stream`) and follows its includes; a server in a
 * fragment no such file includes (`sites-enabled/app.conf` alone) is never reported, since the
 * http level it inherits from is out of sight, and an include that resolves to no file of the
 * workspace makes the levels it stands in unknown (nothing reported that it could change).
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext, WorkspaceView } from '../context';
import { Memo } from '../../utils/memo';
import { DIRECTIVE_IDS, directiveId, directiveIds, directivesByName, tokenText } from './facts';
import { includeGraph } from './fileContexts';
import type { NginxIncludeGraph } from './includes';
import { ipv6Bytes, parseUrl } from './urls';

const INCLUDE = directiveId('include');
const HTTP = directiveId('http');
const STREAM = directiveId('stream');
const SERVER = directiveId('server');
const LISTEN = directiveId('listen');
const CERT = directiveId('ssl_certificate');
const KEY = directiveId('ssl_certificate_key');
const REJECT = directiveId('ssl_reject_handshake');
const VERIFY = directiveId('ssl_verify_client');
const CLIENT_CA = directiveId('ssl_client_certificate');
const TRUSTED = directiveId('ssl_trusted_certificate');

/** A token of a file of the workspace (by index: the analysis outlives edits that keep it, see `analyse`). */
interface Loc { readonly uri: string; readonly tok: number }

interface Listen {
	/** The address nginx groups servers by, or undefined when it cannot be known here (a host name). */
	readonly key: string | undefined;
	readonly port: number | undefined;
	readonly tls: 'ssl' | 'quic' | undefined;
	readonly isDefault: boolean;
	/** The `ssl`/`quic` parameter, else the address. */
	readonly at: Loc;
	readonly address: string;
}

/** What one level (http, stream, or a server in them) sets of the TLS directives. */
interface Level {
	/** The certificates: where, and the token of the path (read only to report). */
	readonly certs: { loc: Loc; file: NginxFile; value: number }[];
	keys: number;
	reject: boolean | undefined;
	verify: { loc: Loc; value: string } | undefined;
	clientCa: boolean;
	trusted: boolean;
	/** An include of this level resolves to nothing we see. */
	unknown: boolean;
}

interface Server extends Level {
	/** Its listen directives, read into `listens` only when the addresses matter (see judge). */
	readonly listenAt: { readonly uri: string; readonly file: NginxFile; readonly d: number }[];
	listens?: Listen[];
	/** The `server` directive (where nginx's message points). */
	readonly at: Loc;
}

interface Block extends Level {
	readonly kind: 'http' | 'stream';
	readonly servers: Server[];
}

function newLevel(): Level {
	return { certs: [], keys: 0, reject: undefined, verify: undefined, clientCa: false, trusted: false, unknown: false };
}

/** A finding of one root's analysis: where, and what to say. */
interface Found { readonly at: Loc; readonly detail: string }

/**
 * The directives of a level in nginx's order: each include replaced by the files it names (in
 * the order nginx reads them), recursively. `onUnknown` is told of an include we cannot follow.
 */
function walkLevel(graph: NginxIncludeGraph, uri: string, file: NginxFile, block: number, visit: (uri: string, file: NginxFile, d: number, id: number) => void, onUnknown: () => void, stack: Set<string>, read?: Map<string, NginxFile>): void {
	const t = file.tree;
	const ids = directiveIds(file);
	// only the directives the analysis reads, in document order (most of a server is locations and settings)
	const children = relevantChildren(file).get(block);
	if (!children) { return; }
	for (let i = 0; i < children.length; i++) {
		const d = children[i];
		const id = ids[d];
		if (id !== INCLUDE || t.dirBlock[d] >= 0) {
			visit(uri, file, d, id);
			continue;
		}
		const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[d]]);
		if (!edge) { onUnknown(); continue; }
		if (edge.standard) { continue; }
		if (!edge.targets.length) { onUnknown(); continue; }
		for (const target of edge.targets) {
			const other = graph.fileOf(target);
			if (!other || stack.has(target)) { onUnknown(); continue; }
			stack.add(target);
			read?.set(target, other);
			walkLevel(graph, target, other, 0, visit, onUnknown, stack, read);
			stack.delete(target);
		}
	}
}

const relevant = new Memo<NginxFile, Map<number, number[]>>();

/** By block: the directives of the names the analysis reads (includes, blocks, listen, TLS), in document order. */
function relevantChildren(file: NginxFile): Map<number, number[]> {
	let m = relevant.get(file);
	if (!m) {
		m = new Map();
		const t = file.tree;
		for (const d of directivesByName(file).flagged(READ_IDS)) {
			const list = m.get(t.dirParent[d]);
			if (list) { list.push(d); } else { m.set(t.dirParent[d], [d]); }
		}
		relevant.set(file, m);
	}
	return m;
}

function loc(uri: string, _file: NginxFile, tok: number): Loc {
	return { uri, tok };
}

/** Reads a TLS directive (of id `id`) of a level; true when `d` was one. */
function readTls(level: Level, uri: string, file: NginxFile, d: number, id: number): boolean {
	if (id !== CERT && id !== KEY && id !== REJECT && id !== VERIFY && id !== CLIENT_CA && id !== TRUSTED) { return false; }
	const t = file.tree;
	const argc = t.dirArgc[d];
	if (id === CERT && argc === 1) {
		level.certs.push({ loc: loc(uri, file, t.dirTok[d]), file, value: t.dirTok[d] + 1 });
	} else if (id === KEY && argc === 1) {
		level.keys++;
	} else if (id === REJECT && argc === 1) {
		level.reject = tokenText(file, t.dirTok[d] + 1).toLowerCase() === 'on';
	} else if (id === VERIFY && argc === 1) {
		level.verify = { loc: loc(uri, file, t.dirTok[d]), value: tokenText(file, t.dirTok[d] + 1).toLowerCase() };
	} else if (id === CLIENT_CA && argc === 1) {
		level.clientCa = tokenText(file, t.dirTok[d] + 1) !== '';
	} else if (id === TRUSTED && argc === 1) {
		level.trusted = tokenText(file, t.dirTok[d] + 1) !== '';
	} else {
		return false;
	}
	return true;
}

/** The address key of a listen value (IPv6 compared by its bytes), with its port. */
function addressKey(value: string, stream: boolean, udp: boolean): { key: string | undefined; port: number | undefined; ports?: number[] } {
	const u = parseUrl(value, { listen: true });
	if (u.error) { return { key: undefined, port: undefined }; }
	const space = `${stream ? 'stream' : 'http'}${udp ? '/udp' : ''}`;
	if (u.family === 'unix') { return { key: `${space} unix:${u.host}`, port: undefined }; }
	if (!u.literal) { return { key: undefined, port: u.port }; }
	// a port range listens on each of its ports; nginx 1.22 defaults to port 80 as root
	const port = u.port ?? (stream ? undefined : 80);
	if (port === undefined) { return { key: undefined, port: undefined }; }
	const host = u.family === 'inet6' ? `[${ipv6Bytes(u.host!.slice(1, -1))!.join('.')}]` : u.wildcard ? '0.0.0.0' : u.host!;
	return { key: `${space} ${host}:${port}`, port, ports: u.lastPort ? range(port, u.lastPort) : undefined };
}

function range(from: number, to: number): number[] {
	const out: number[] = [];
	for (let p = from; p <= to && out.length < 256; p++) { out.push(p); }
	return out;
}

function readListen(uri: string, file: NginxFile, d: number, stream: boolean): Listen[] {
	const t = file.tree;
	const first = t.dirTok[d] + 1;
	const argc = t.dirArgc[d];
	if (argc === 0) { return []; }
	let tls: 'ssl' | 'quic' | undefined;
	let tlsTok = -1;
	let isDefault = false;
	let udp = false;
	for (let k = first + 1; k < first + argc; k++) {
		const p = tokenText(file, k);
		if (p === 'ssl' && tls === undefined) { tls = 'ssl'; tlsTok = k; } else if (p === 'quic') { tls = 'quic'; tlsTok = k; udp = true; } else if (p === 'default_server' || p === 'default') { isDefault = true; } else if (p === 'udp') { udp = true; }
	}
	const address = tokenText(file, first);
	const a = addressKey(address, stream, udp);
	const at = loc(uri, file, tlsTok >= 0 ? tlsTok : first);
	if (a.ports && a.key) {
		const base = a.key.slice(0, a.key.lastIndexOf(':'));
		return a.ports.map(p => ({ key: `${base}:${p}`, port: p, tls, isDefault, at, address }));
	}
	return [{ key: a.key, port: a.port, tls, isDefault, at, address }];
}

/** The blocks (http, stream) of a root file with their servers, as nginx reads them; `read` gets the files read. */
function readRoot(graph: NginxIncludeGraph, rootUri: string, root: NginxFile, read: Map<string, NginxFile>): Block[] {
	const blocks: Block[] = [];
	const stack = new Set([rootUri]);
	read.set(rootUri, root);
	walkLevel(graph, rootUri, root, 0, (uri, file, d, id) => {
		const t = file.tree;
		if ((id !== HTTP && id !== STREAM) || t.dirBlock[d] < 0) { return; }
		const stream = id === STREAM;
		const block: Block = { ...newLevel(), kind: stream ? 'stream' : 'http', servers: [] };
		let server: Server | undefined;
		const inServer = (u3: string, f3: NginxFile, d3: number, id3: number) => {
			if (readTls(server!, u3, f3, d3, id3)) { return; }
			if (id3 === LISTEN && f3.tree.dirBlock[d3] < 0) { server!.listenAt.push({ uri: u3, file: f3, d: d3 }); }
		};
		const serverUnknown = () => { server!.unknown = true; };
		walkLevel(graph, uri, file, t.dirBlock[d], (u2, f2, d2, id2) => {
			if (readTls(block, u2, f2, d2, id2)) { return; }
			const t2 = f2.tree;
			if (id2 !== SERVER || t2.dirBlock[d2] < 0 || t2.dirArgc[d2] !== 0) { return; }
			server = { certs: [], keys: 0, reject: undefined, verify: undefined, clientCa: false, trusted: false, unknown: false, listenAt: [], at: loc(u2, f2, t2.dirTok[d2]) };
			walkLevel(graph, u2, f2, t2.dirBlock[d2], inServer, serverUnknown, stack, read);
			block.servers.push(server);
		}, () => { block.unknown = true; }, stack, read);
		blocks.push(block);
	}, () => undefined, stack, read);
	return blocks;
}

const HANDSHAKE_REFUSED = 'nginx stops with "no "ssl_certificate" is defined for the "listen ... {tls}" directive"';

/** What nginx refuses in one http or stream block. */
function judge(block: Block, out: Found[]): void {
	// a level we cannot see whole: its certificates, keys and servers may be elsewhere
	if (block.unknown) { return; }
	const anyUnknownServer = block.servers.some(s => s.unknown);
	const certsOf = (s: Server) => (s.certs.length ? s.certs : block.certs);
	const keysOf = (s: Server) => (s.keys ? s.keys : block.keys);
	const rejects = (s: Server) => s.reject ?? block.reject ?? false;
	const stream = block.kind === 'stream';
	const listensOf = (s: Server): Listen[] => {
		if (!s.listens) {
			s.listens = [];
			for (const x of s.listenAt) { s.listens.push(...readListen(x.uri, x.file, x.d, stream)); }
		}
		return s.listens;
	};
	// the addresses matter only when some server gets no certificate (none in it, none in http)
	const addressesMatter = !block.certs.length && block.servers.some(s => !s.certs.length);
	// addresses in the order nginx meets them, with their servers in that order
	const addresses = new Map<string, { servers: Server[]; listens: Listen[]; tls: 'ssl' | 'quic' | undefined; explicitDefault: Server | undefined }>();
	const unsurePorts = new Set<number | undefined>();
	for (const s of addressesMatter ? block.servers : []) {
		// a server without listen listens on *:80 (*:8000 when nginx is not started as root)
		if (!s.listenAt.length) { unsurePorts.add(80).add(8000); }
		for (const l of listensOf(s)) {
			if (l.key === undefined) { unsurePorts.add(l.port); continue; }
			let a = addresses.get(l.key);
			if (!a) {
				a = { servers: [], listens: [], tls: undefined, explicitDefault: undefined };
				addresses.set(l.key, a);
			}
			// a server's listens come together: it is new to the address unless it was the last one added
			if (a.servers[a.servers.length - 1] !== s) {
				a.servers.push(s);
				a.listens.push(l);
			}
			if (l.tls) { a.tls ??= l.tls; }
			if (l.isDefault) { a.explicitDefault ??= s; }
		}
	}
	if (unsurePorts.has(undefined)) { return; }
	const reported = new Set<Server>();
	for (const [key, a] of addresses) {
		if (!a.tls) { continue; }
		const port = Number(key.slice(key.lastIndexOf(':') + 1));
		if (unsurePorts.has(port)) { continue; }
		// an unseen server could be the default one (with default_server), unless one is named here
		if (anyUnknownServer && !a.explicitDefault) { continue; }
		const def = a.explicitDefault ?? a.servers[0];
		if (def.unknown) { continue; }
		if (certsOf(def).length) { continue; }
		const listenOf = (s: Server) => a.listens[a.servers.indexOf(s)];
		const tls = a.tls;
		if (!rejects(def)) {
			reported.add(def);
			out.push({ at: listenOf(def).at, detail: `${describeListen(listenOf(def), tls, a.listens)} is the default server of ${shown(key)}${def === a.explicitDefault ? '' : ' (the first server listening there)'}, and no ssl_certificate reaches it, neither in the server nor in ${block.kind}: ${HANDSHAKE_REFUSED.replace('{tls}', tls)}. Add ssl_certificate and ssl_certificate_key, or "ssl_reject_handshake on;" to refuse TLS for names no server has.` });
			continue;
		}
		for (const s of a.servers) {
			if (s === def || s.unknown || certsOf(s).length || rejects(s) || reported.has(s)) { continue; }
			reported.add(s);
			out.push({ at: listenOf(s).at, detail: `The default server of ${shown(key)} rejects TLS handshakes (ssl_reject_handshake on), so each other server there needs a certificate of its own, and this one has none: ${HANDSHAKE_REFUSED.replace('{tls}', tls)}. Add ssl_certificate and ssl_certificate_key here, or "ssl_reject_handshake on;".` });
		}
	}
	// certificates without keys, and client verification without the CAs to verify against
	const http = block.kind === 'http';
	const reportedCerts = new Set<string>();
	for (const s of block.servers) {
		if (s.unknown) { continue; }
		const certs = certsOf(s);
		if (!certs.length) { continue; }
		// in stream only the TLS servers are checked (nginx 1.22)
		if (!http && !listensOf(s).some(l => l.tls || (l.key !== undefined && addresses.get(l.key)?.tls !== undefined))) { continue; }
		const keys = keysOf(s);
		if (keys < certs.length) {
			const cert = certs[certs.length - 1];
			const id = `${cert.loc.uri}#${cert.loc.tok}`;
			if (!reportedCerts.has(id)) {
				reportedCerts.add(id);
				out.push({ at: cert.loc, detail: `${keys ? `Only ${keys} ssl_certificate_key for ${certs.length} certificates` : 'No ssl_certificate_key goes with this certificate'}${cert.loc.uri === s.at.uri && s.certs.length ? '' : ` (a server of this ${block.kind} inherits it)`}: nginx stops with "no "ssl_certificate_key" is defined for certificate "${tokenText(cert.file, cert.value)}"". Add the key of each certificate, in the same order.` });
			}
			continue;
		}
		const verify = s.verify ?? block.verify;
		if (verify && (verify.value === 'on' || verify.value === 'optional') && !(s.clientCa || block.clientCa) && !(s.trusted || block.trusted)) {
			const id = `${verify.loc.uri}#${verify.loc.tok}`;
			if (reportedCerts.has(id)) { continue; }
			reportedCerts.add(id);
			out.push({ at: verify.loc, detail: `"ssl_verify_client ${verify.value}" has no CA certificates to check clients against (no ssl_client_certificate here or in ${block.kind}): nginx stops with "no ssl_client_certificate for ssl_verify_client". Add "ssl_client_certificate /path/ca.pem;" (or use "optional_no_ca").` });
		}
	}
}

function describeListen(l: Listen, tls: 'ssl' | 'quic', all: readonly Listen[]): string {
	if (l.tls) { return `This server listens with "${l.tls}" and`; }
	const other = all.find(x => x.tls);
	return `This server listens on ${l.address}, which "listen ... ${other?.tls ?? tls}" of another server makes a TLS address, and`;
}

function shown(key: string): string {
	return key.slice(key.indexOf(' ') + 1);
}

/** Files nginx may start with that reach `uri` through includes (itself when nothing includes it). */
function rootsOf(graph: NginxIncludeGraph, uri: string): string[] {
	const roots: string[] = [];
	const seen = new Set([uri]);
	const queue = [uri];
	for (let i = 0; i < queue.length && i < 10000; i++) {
		const u = queue[i];
		const includers = graph.includersOf(u);
		if (!includers.length) { roots.push(u); continue; }
		for (const e of includers) {
			if (!seen.has(e.from)) {
				seen.add(e.from);
				queue.push(e.from);
			}
		}
	}
	return roots;
}

/** What the analysis reads of a file: the directives it looks at, where they stand, their words (one string per tree). */
const signatures = new Memo<NginxFile, string>();
const READ_IDS = new Uint8Array(DIRECTIVE_IDS + 1);
for (const id of [INCLUDE, HTTP, STREAM, SERVER, LISTEN, CERT, KEY, REJECT, VERIFY, CLIENT_CA, TRUSTED]) { if (id >= 0) { READ_IDS[id + 1] = 1; } }

function signature(file: NginxFile): string {
	let sig = signatures.get(file);
	if (sig === undefined) {
		const t = file.tree;
		let out = '';
		for (const d of directivesByName(file).flagged(READ_IDS)) {
			out += `${d}.${t.dirTok[d]}.${t.dirParent[d]}.${t.dirBlock[d]}`;
			for (let k = 1; k <= t.dirArgc[d]; k++) { out += ` ${tokenText(file, t.dirTok[d] + k)}`; }
			out += '\n';
		}
		sig = out;
		signatures.set(file, sig);
	}
	return sig;
}

/** One root's analysis: its findings, and the trees of the files it read (to tell whether an edit can change them). */
interface Analysis {
	readonly graph: NginxIncludeGraph;
	count: number;
	readonly read: Map<string, NginxFile>;
	readonly found: Found[] | undefined;
}

/** Each root's analysis, kept across edits that change nothing it read (typing in a location leaves it as it is). */
const analyses = new Memo<WorkspaceView, Map<string, Analysis>>();

/** Whether the analysis still holds: the same include graph, and no file it read changed what it read. */
function stillHolds(ctx: NginxContext, graph: NginxIncludeGraph, a: Analysis, count: number): boolean {
	if (a.graph !== graph) { return false; }
	if (a.count === count) { return true; }
	const changed = ctx.workspace.changedSince(a.count);
	if (!changed) { return false; }
	for (const uri of changed) {
		const before = a.read.get(uri);
		if (before === undefined) { continue; }
		const now = uri === ctx.uri ? ctx.file : graph.fileOf(uri);
		if (!now) { return false; }
		if (now === before) { continue; }
		if (signature(now) !== signature(before)) { return false; }
		a.read.set(uri, now);
	}
	a.count = count;
	return true;
}

/** The findings of the configuration that starts at `root`, or undefined when it is not one we can judge. */
function analyse(ctx: NginxContext, graph: NginxIncludeGraph, root: string): Found[] | undefined {
	const count = ctx.workspace.changeCount();
	let byRoot = analyses.get(ctx.workspace);
	if (!byRoot) {
		byRoot = new Map();
		analyses.set(ctx.workspace, byRoot);
	}
	const known = byRoot.get(root);
	if (known && stillHolds(ctx, graph, known, count)) { return known.found; }
	let found: Found[] | undefined;
	const read = new Map<string, NginxFile>();
	const file = root === ctx.uri ? ctx.file : graph.fileOf(root);
	if (file) {
		read.set(root, file);
		if (graph.topContexts(root).every(c => c === 'main')) {
			const blocks = readRoot(graph, root, file, read);
			if (blocks.length) {
				found = [];
				for (const b of blocks) { judge(b, found); }
			}
		}
	}
	if (byRoot.size > 1000) { byRoot.clear(); }
	byRoot.set(root, { graph, count, read, found });
	return found;
}

/** By directive id + 1: the names this check reads (a file with none of them has nothing to report). */
const WANTED = [LISTEN, CERT, VERIFY];

export function checkCertificates(ctx: NginxContext): void {
	const byName = directivesByName(ctx.file);
	if (WANTED.every(id => byName.of(id).length === 0)) { return; }
	const graph = includeGraph(ctx);
	const roots = rootsOf(graph, ctx.uri);
	let mine: Map<string, Found> | undefined;
	for (const root of roots) {
		const found = analyse(ctx, graph, root);
		// a configuration we cannot judge whole reaches this file: say nothing it could change
		if (!found) { return; }
		const here = new Map<string, Found>();
		for (const f of found) {
			if (f.at.uri === ctx.uri) { here.set(`${f.at.tok}`, f); }
		}
		if (mine === undefined) {
			mine = here;
		} else {
			// a file several configurations include: only what each of them refuses
			for (const k of [...mine.keys()]) { if (!here.has(k)) { mine.delete(k); } }
		}
	}
	const t = ctx.file.tree;
	for (const f of mine?.values() ?? []) {
		const tok = f.at.tok;
		if (tok >= t.tokenCount) { continue; }
		ctx.report({ code: Codes.nginxMissingCertificate, offset: t.tokStart[tok], length: t.tokEnd[tok] - t.tokStart[tok], args: { detail: f.detail } });
	}
}
