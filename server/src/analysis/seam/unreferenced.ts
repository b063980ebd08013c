/** socket-unreferenced (hint): a uWSGI socket that no nginx target of the workspace reaches, while nginx configs with targets exist. */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { formatAddress } from './addresses';

export function checkUnreferencedSockets(ctx: UwsgiContext): void {
	const graph = ctx.workspace.socketGraph();
	if (!graph.hasTargets) { return; }
	for (const socket of graph.socketsIn(ctx.uri)) {
		if (socket.option.plugin === 'http') { continue; }
		if (graph.targetsOf(socket).length) { continue; }
		ctx.report({ code: Codes.socketUnreferenced, offset: socket.entry.value.offset, length: socket.entry.value.length, args: { address: formatAddress(socket.address) }, tags: ['unnecessary'] });
	}
}
