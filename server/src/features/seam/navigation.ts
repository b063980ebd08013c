/**
 * Navigation across the seam: from an nginx target to the uWSGI socket line that serves it
 * (definition), from a uWSGI socket to every nginx line that reaches it (references), hover text
 * on either side naming the other, and the workspace's sockets as completions for nginx targets.
 */
import type { Location } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatAddress } from '../../analysis/seam/addresses';
import { speaksTo, type NginxTarget, type SocketGraph, type TargetServer, type UwsgiSocket } from '../../analysis/seam/socketGraph';
import { protocolName, socketAddressForNginx } from '../../analysis/seam/wiring';

export interface SeamView {
	graph(): SocketGraph;
	document(uri: string): TextDocument | undefined;
}

function loc(view: SeamView, uri: string, offset: number, length: number): Location | undefined {
	const d = view.document(uri);
	return d ? { uri, range: { start: d.positionAt(offset), end: d.positionAt(offset + length) } } : undefined;
}

function lineOf(view: SeamView, uri: string, offset: number): number {
	return (view.document(uri)?.positionAt(offset).line ?? 0) + 1;
}

function fileName(uri: string): string {
	return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

/** The target address under the cursor in an nginx file (a direct pass argument or an upstream server argument). */
function serverAt(graph: SocketGraph, uri: string, offset: number): { target: NginxTarget; server: TargetServer } | undefined {
	for (const target of graph.targets) {
		for (const server of target.servers) {
			if (server.uri === uri && offset >= server.token.offset && offset <= server.token.offset + server.token.length) {
				return { target, server };
			}
		}
	}
	return undefined;
}

function socketAt(graph: SocketGraph, uri: string, offset: number): UwsgiSocket | undefined {
	return graph.socketsIn(uri).find(s => offset >= s.entry.offset && offset <= s.entry.offset + s.entry.length);
}

export function seamDefinition(view: SeamView, uri: string, offset: number): Location[] {
	const graph = view.graph();
	const at = serverAt(graph, uri, offset);
	if (!at) { return []; }
	return graph.socketsAt(at.server.address)
		.map(s => loc(view, s.uri, s.entry.key.offset, s.entry.value.offset + s.entry.value.length - s.entry.key.offset))
		.filter((l): l is Location => !!l);
}

export function seamReferences(view: SeamView, uri: string, offset: number): Location[] {
	const graph = view.graph();
	const socket = socketAt(graph, uri, offset);
	if (!socket) { return []; }
	return graph.targetsOf(socket).map(({ server }) => loc(view, server.uri, server.token.offset, server.token.length)).filter((l): l is Location => !!l);
}

/** Markdown naming the other side, or undefined when the cursor is on no seam element. */
export function seamHover(view: SeamView, uri: string, offset: number): string | undefined {
	const graph = view.graph();
	const socket = socketAt(graph, uri, offset);
	if (socket) {
		const users = graph.targetsOf(socket);
		const head = `**${formatAddress(socket.address)}** — ${protocolName(socket.protocol)}`;
		if (!users.length) { return `${head}\n\nNo nginx config of the workspace passes requests here.`; }
		return `${head}\n\nnginx reaches it from:\n${users.map(({ target, server }) => `- ${fileName(target.uri)}:${lineOf(view, target.uri, target.directive.offset)} \`${target.directive.name.value} ${target.directive.args[0]?.raw ?? ''}\`${server.serverDirective ? ` (upstream server, ${fileName(server.uri)}:${lineOf(view, server.uri, server.token.offset)})` : ''}${speaksTo(target.protocol, socket.protocol) ? '' : ' — **speaks ' + protocolName(target.protocol) + '**'}`).join('\n')}`;
	}
	const at = serverAt(graph, uri, offset);
	if (!at) { return undefined; }
	const served = graph.socketsAt(at.server.address);
	const head = `**${formatAddress(at.server.address)}** — nginx speaks ${protocolName(at.target.protocol)}`;
	if (!served.length) { return `${head}\n\nNo uWSGI config of the workspace serves this address.`; }
	return `${head}\n\nServed by uWSGI:\n${served.map(s => `- ${fileName(s.uri)}:${lineOf(view, s.uri, s.entry.offset)} \`${s.entry.key.text} = ${s.entry.value.text}\` (${protocolName(s.protocol)})`).join('\n')}`;
}

export interface SocketCompletion {
	readonly label: string;
	readonly detail: string;
}

/** Addresses of the workspace's sockets in the form nginx needs for a directive. */
export function socketCompletions(view: SeamView, directive: string): SocketCompletion[] {
	const protocol = directive === 'proxy_pass' ? 'http' : directive === 'fastcgi_pass' ? 'fastcgi' : directive === 'scgi_pass' ? 'scgi' : 'uwsgi';
	const out: SocketCompletion[] = [];
	const labels = new Set<string>();
	for (const s of view.graph().sockets) {
		if (directive !== 'server' && !speaksTo(protocol, s.protocol)) { continue; }
		const address = socketAddressForNginx(s);
		if (!address) { continue; }
		const label = directive === 'proxy_pass' ? (address.startsWith('unix:') ? `http://${address}:` : `http://${address}`) : address;
		if (!labels.has(label)) {
			labels.add(label);
			out.push({ label, detail: `${s.entry.key.text} in ${fileName(s.uri)}` });
		}
	}
	return out;
}
