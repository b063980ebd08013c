/**
 * timeout-mismatch: uWSGI's `harakiri` at or above the read timeout nginx uses for a location
 * that reaches it (`uwsgi_read_timeout`, `proxy_read_timeout`, ...; default 60 s). nginx gives up
 * first and answers 504 Gateway Time-out while the worker runs on until harakiri kills it.
 */
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import { directiveId, directiveIds } from '../nginx/facts';
import { Codes } from '../codes';
import type { NginxContext, UwsgiContext } from '../context';
import { expandValue, speaksTo, type NginxTarget, type SocketGraph, type UwsgiSocket } from './socketGraph';
import { socketLocation } from './wiring';
import { uwsgiSections } from '../uwsgi/sections';

const READ_TIMEOUT: Record<string, string> = { uwsgi_pass: 'uwsgi_read_timeout', proxy_pass: 'proxy_read_timeout', fastcgi_pass: 'fastcgi_read_timeout', scgi_pass: 'scgi_read_timeout', grpc_pass: 'grpc_read_timeout' };
const DEFAULT_TIMEOUT_S = 60;

/** nginx time to seconds (`ms s m h d w`, bare = seconds); undefined when unreadable. */
export function nginxSeconds(value: string): number | undefined {
	const re = /(\d+)(ms|[smhdw])?/y;
	const mult: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
	let total = 0;
	let pos = 0;
	while (pos < value.length) {
		re.lastIndex = pos;
		const m = re.exec(value);
		if (!m) { return undefined; }
		total += Number(m[1]) * (m[2] ? mult[m[2]] : 1);
		pos = re.lastIndex;
	}
	return pos ? total : undefined;
}

/** The read timeout in force at a pass directive, and the directive that sets it (if any). */
export function effectiveReadTimeout(file: NginxFile, pass: NginxDirective): { seconds: number; directive?: NginxDirective; name: string } {
	const name = READ_TIMEOUT[pass.name.value] ?? 'uwsgi_read_timeout';
	// up the enclosing blocks on the compact tree: only a directive of that name becomes a view
	const t = file.tree;
	const ids = directiveIds(file);
	const id = directiveId(name);
	for (let b = pass.parent; b >= 0;) {
		for (let d = t.blockFirst[b]; d >= 0; d = t.dirNext[d]) {
			if (t.dirArgc[d] === 0 || (id >= 0 ? ids[d] !== id : file.token(t.dirTok[d]).value !== name)) { continue; }
			const c = file.directive(d);
			const s = nginxSeconds(c.args[0].value);
			if (s !== undefined) { return { seconds: s, directive: c, name }; }
		}
		const owner = t.blockOwner[b];
		b = owner >= 0 ? t.dirParent[owner] : -1;
	}
	return { seconds: DEFAULT_TIMEOUT_S, name };
}

function harakiriOf(s: UwsgiSocket): { seconds: number; entry: UwsgiSocket['entry'] } | undefined {
	for (const section of uwsgiSections(s.doc)) {
		for (const e of section.entries) {
			if (e.key.text !== 'harakiri') { continue; }
			const v = expandValue(s.doc, s.uri, e.value.text);
			const n = v !== undefined ? parseInt(v, 10) : NaN;
			if (n > 0) { return { seconds: n, entry: e }; }
		}
	}
	return undefined;
}

interface Mismatch {
	readonly target: NginxTarget;
	readonly socket: UwsgiSocket;
	readonly harakiri: { seconds: number; entry: UwsgiSocket['entry'] };
	readonly timeout: { seconds: number; directive?: NginxDirective; name: string };
}

function mismatchOf(target: NginxTarget, socket: UwsgiSocket): Mismatch | undefined {
	if (!speaksTo(target.protocol, socket.protocol)) { return undefined; }
	const harakiri = harakiriOf(socket);
	if (!harakiri) { return undefined; }
	const timeout = effectiveReadTimeout(target.file, target.directive);
	return harakiri.seconds >= timeout.seconds ? { target, socket, harakiri, timeout } : undefined;
}

/** Mismatches of the targets of one nginx file: by target, server, then socket in workspace order. */
function mismatchesOfTargets(graph: SocketGraph, uri: string): Mismatch[] {
	const out: Mismatch[] = [];
	for (const target of graph.targetsIn(uri)) {
		for (const server of target.servers) {
			for (const socket of graph.socketsAt(server.address)) {
				const m = mismatchOf(target, socket);
				if (m) { out.push(m); }
			}
		}
	}
	return out;
}

/** Mismatches of the sockets of one uWSGI file, in the order a walk over every target would find them. */
function mismatchesOfSockets(graph: SocketGraph, uri: string): Mismatch[] {
	const found: { m: Mismatch; key: [number, number, number] }[] = [];
	for (const socket of graph.socketsIn(uri)) {
		for (const { target, server } of graph.targetsOf(socket)) {
			const m = mismatchOf(target, socket);
			if (m) { found.push({ m, key: [graph.orderOf(target), target.servers.indexOf(server), graph.orderOf(socket)] }); }
		}
	}
	found.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
	return found.map(f => f.m);
}

function detail(m: Mismatch): string {
	const t = m.timeout.directive ? `${m.timeout.name} ${m.timeout.directive.args[0].value}` : `${m.timeout.name}, default ${DEFAULT_TIMEOUT_S}s`;
	return `uWSGI's harakiri = ${m.harakiri.seconds} lets a request run at least as long as nginx waits for it (${t}): on slow requests nginx answers 504 Gateway Time-out first and the worker runs on. Keep harakiri below nginx's read timeout.`;
}

export function checkTimeoutsNginx(ctx: NginxContext): void {
	const graph = ctx.workspace.socketGraph();
	// no uWSGI socket in the workspace: no harakiri to compare with
	if (!graph.hasSockets) { return; }
	const seen = new Set<NginxDirective>();
	for (const m of mismatchesOfTargets(graph, ctx.uri)) {
		const anchor = m.timeout.directive && m.target.uri === ctx.uri ? m.timeout.directive : m.target.directive;
		if (seen.has(anchor)) { continue; }
		seen.add(anchor);
		const span = anchor.args[0] ?? anchor.name;
		ctx.report({ code: Codes.timeoutMismatch, offset: span.offset, length: span.length, args: { detail: detail(m) }, related: [socketLocation(m.socket, `harakiri = ${m.harakiri.seconds} applies to this socket`)] });
	}
}

export function checkTimeoutsUwsgi(ctx: UwsgiContext): void {
	const graph = ctx.workspace.socketGraph();
	const seen = new Set<UwsgiSocket['entry']>();
	for (const m of mismatchesOfSockets(graph, ctx.uri)) {
		if (seen.has(m.harakiri.entry)) { continue; }
		seen.add(m.harakiri.entry);
		const e = m.harakiri.entry;
		const anchor = m.timeout.directive ?? m.target.directive;
		ctx.report({
			code: Codes.timeoutMismatch, offset: e.value.offset, length: e.value.length, args: { detail: detail(m) },
			related: [{ uri: m.target.uri, offset: anchor.offset, length: anchor.length, message: 'nginx waits this long' }],
		});
	}
}
