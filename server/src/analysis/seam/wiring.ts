/**
 * protocol-mismatch and socket-not-served, on the nginx side: a target that a uWSGI socket of
 * the workspace serves in another protocol (nginx speaks HTTP to a uwsgi-protocol socket: 502,
 * "invalid request block size"), or a `uwsgi_pass` that no uWSGI socket of the workspace serves
 * (a drifted path or port: 502, "No such file or directory" / "Connection refused").
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import type { RelatedLocation } from '../findings';
import { formatAddress, type Address } from './addresses';
import { speaksTo, type NginxTarget, type TargetServer, type UwsgiSocket } from './socketGraph';

/** A socket nginx could be pointed at instead, as text for the pass and for an upstream server. */
export interface SocketCandidate {
	readonly label: string;
	/** For `uwsgi_pass`/upstream `server`: `unix:/run/app.sock` or `127.0.0.1:3031`. */
	readonly address: string;
	readonly uri: string;
}

export interface WiringData {
	readonly candidates: readonly SocketCandidate[];
	/** For protocol-mismatch from proxy_pass to an http-socket/socket: the socket line to switch. */
	readonly socketUri?: string;
}

const PROTOCOL_NAMES: Record<string, string> = { uwsgi: 'the uwsgi protocol', http: 'HTTP', http11: 'HTTP', https: 'HTTPS', fastcgi: 'FastCGI', scgi: 'SCGI', suwsgi: 'uwsgi over TLS', grpc: 'gRPC', raw: 'raw TCP', puwsgi: 'persistent uwsgi' };

export function protocolName(p: string): string {
	return PROTOCOL_NAMES[p] ?? p;
}

/** What the user sees when nginx speaks `nginxProtocol` to a socket that speaks `socketProtocol`. */
function consequence(nginxProtocol: string, socketProtocol: string): string {
	if (nginxProtocol === 'http' && socketProtocol === 'uwsgi') { return 'every request fails with 502 Bad Gateway and uWSGI logs "invalid request block size"'; }
	if (nginxProtocol === 'uwsgi' && (socketProtocol === 'http' || socketProtocol === 'http11')) { return 'every request fails with 502 Bad Gateway ("upstream prematurely closed connection" in nginx\'s error log)'; }
	return 'every request fails with 502 Bad Gateway';
}

export function socketAddressForNginx(s: UwsgiSocket): string | undefined {
	const a = s.address;
	if (a.kind === 'unix') { return a.relative ? undefined : `unix:${a.path}`; }
	// nginx has no abstract sockets: `unix:@name` is a file of that name, not this socket
	if (a.kind === 'abstract') { return undefined; }
	const host = a.host === '' || a.host === '0.0.0.0' || a.host === '*' ? '127.0.0.1' : a.host === '[::]' || a.host === '::' ? '[::1]' : a.host;
	return `${host}:${a.port}`;
}

export function socketLocation(s: UwsgiSocket, message: string): RelatedLocation {
	return { uri: s.uri, offset: s.entry.key.offset, length: s.entry.value.offset + s.entry.value.length - s.entry.key.offset, message };
}

function candidatesFor(target: NginxTarget, sockets: readonly UwsgiSocket[]): SocketCandidate[] {
	const out: SocketCandidate[] = [];
	for (const s of sockets) {
		if (out.length === 5) { break; }
		if (!speaksTo(target.protocol, s.protocol)) { continue; }
		const address = socketAddressForNginx(s);
		if (address && !out.some(c => c.address === address)) {
			out.push({ label: `${s.entry.key.text} = ${s.entry.value.text}`, address, uri: s.uri });
		}
	}
	return out;
}

/** `unix:@name` where uWSGI serves the abstract socket `@name`: nginx cannot connect to abstract sockets. */
function abstractHint(address: Address, sockets: readonly UwsgiSocket[]): string | undefined {
	if (address.kind !== 'unix' || !address.path.startsWith('@')) { return undefined; }
	const name = address.path.slice(1);
	if (!sockets.some(s => s.address.kind === 'abstract' && s.address.name === name)) { return undefined; }
	return ` uWSGI serves the abstract socket @${name}, but nginx has no abstract sockets: it looks for a file named "@${name}" in its working folder. Give uWSGI a socket file (socket = /run/uwsgi/${name}.sock) and pass to unix: with that path.`;
}

export function checkWiring(ctx: NginxContext): void {
	const graph = ctx.workspace.socketGraph();
	if (!graph.hasSockets) { return; }
	const reportedServers = new Set<TargetServer['token']>();
	for (const target of graph.targetsIn(ctx.uri)) {
		const passArg = target.directive.args[0];
		for (const server of target.servers) {
			const served = graph.socketsAt(server.address);
			const viaUpstream = server.serverDirective !== undefined;
			if (served.length) {
				if (served.some(s => speaksTo(target.protocol, s.protocol))) { continue; }
				const s = served[0];
				const data: WiringData = { candidates: candidatesFor(target, graph.sockets), socketUri: s.uri };
				ctx.report({
					code: Codes.protocolMismatch, offset: passArg.offset, length: passArg.length,
					args: {
						directive: target.directive.name.value, nginx: protocolName(target.protocol), address: formatAddress(server.address),
						uwsgi: protocolName(s.protocol), option: s.entry.key.text, effect: consequence(target.protocol, s.protocol),
					},
					data,
					related: [socketLocation(s, `uWSGI serves ${protocolName(s.protocol)} here`)],
				});
				continue;
			}
			// only uwsgi-protocol passes are surely meant for uWSGI; proxy_pass may go to any HTTP service
			if (target.protocol !== 'uwsgi' && target.protocol !== 'suwsgi') { continue; }
			const token = viaUpstream && server.uri === ctx.uri ? server.token : passArg;
			if (reportedServers.has(token)) { continue; }
			reportedServers.add(token);
			const data: WiringData = { candidates: candidatesFor(target, graph.sockets) };
			const served2: UwsgiSocket[] = [];
			for (const s of graph.sockets) {
				if (served2.length === 3) { break; }
				if (speaksTo(target.protocol, s.protocol)) { served2.push(s); }
			}
			ctx.report({
				code: Codes.socketNotServed, offset: token.offset, length: token.length,
				args: {
					address: formatAddress(server.address),
					failure: server.address.kind === 'unix' ? '"No such file or directory"' : '"Connection refused"',
					served: abstractHint(server.address, graph.sockets) ?? (served2.length ? ` uWSGI serves ${served2.map(s => formatAddress(s.address)).join(', ')}.` : ''),
				},
				data,
				related: served2.map(s => socketLocation(s, 'a socket uWSGI serves')),
			});
		}
	}
}
