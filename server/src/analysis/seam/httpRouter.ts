/**
 * uwsgi-http-router-public: uWSGI's own HTTP router (`http`, `https`) bound on every interface
 * while nginx in the workspace already fronts the application, either through another socket
 * of the same config or through the router itself over loopback. The router is then a second
 * way in that skips what nginx does: TLS, access rules, rate limits, request size limits, the
 * client's real address. When nginx reaches the router from another host or container (a
 * service name), listening on every interface is how it gets there, and nothing is reported.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { inOneRun, isRouterOption } from '../uwsgi/profile';
import { isAllInterfaces, isLoopback } from './addresses';
import { speaksTo, type SocketGraph, type UwsgiSocket } from './socketGraph';

/** nginx targets that reach a socket and speak its protocol. */
function usersOf(graph: SocketGraph, socket: UwsgiSocket) {
	return graph.targetsOf(socket).filter(u => speaksTo(u.target.protocol, socket.protocol));
}

export function checkHttpRouter(ctx: UwsgiContext): void {
	const graph = ctx.workspace.socketGraph();
	const mine = graph.socketsIn(ctx.uri);
	const routers = mine.filter(s => isRouterOption(s.option) && s.address.kind === 'tcp' && isAllInterfaces(s.address.host));
	if (!routers.length) { return; }
	const workers = mine.filter(s => !isRouterOption(s.option)).map(s => ({ socket: s, users: usersOf(graph, s) })).filter(u => u.users.length);
	for (const router of routers) {
		// a socket of another section ([dev], [local]) belongs to another way of running the file
		const workerUse = workers.find(w => inOneRun(ctx.doc, w.socket.entry, router.entry));
		const users = usersOf(graph, router);
		if (users.some(u => u.server.address.kind === 'tcp' && !isLoopback(u.server.address.host))) { continue; }
		const written = `${router.entry.key.text} = ${router.entry.value.text}`;
		let detail: string;
		let via: { uri: string; offset: number; length: number };
		if (users.length) {
			const { target } = users[0];
			detail = `nginx reaches uWSGI's HTTP router over loopback (${target.directive.name.value}), but "${written}" listens on every interface: anyone who can reach this host gets to the application without nginx (its TLS, access rules, rate limits and the client's real address). Bind it to 127.0.0.1.`;
			via = { uri: target.uri, offset: target.directive.offset, length: target.directive.length };
		} else if (workerUse) {
			const { target } = workerUse.users[0];
			detail = `nginx already fronts this application through "${workerUse.socket.entry.key.text} = ${workerUse.socket.entry.value.text}", yet uWSGI's own HTTP router ("${written}") listens on every interface: a second way in that skips nginx (its TLS, access rules, rate limits and the client's real address). Remove it, or bind it to 127.0.0.1.`;
			via = { uri: target.uri, offset: target.directive.offset, length: target.directive.length };
		} else {
			continue;
		}
		ctx.report({
			code: Codes.uwsgiHttpRouterPublic, offset: router.entry.value.offset, length: router.entry.value.length, args: { detail }, data: {},
			related: [{ ...via, message: 'nginx fronts the application here' }],
		});
	}
}
