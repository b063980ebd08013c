/**
 * uwsgi-world-writable-socket: `chmod-socket` that lets every local user connect to a unix
 * socket (666, 777, the bare option or `1`, any mode with the others' write bit). Connecting
 * needs write permission, so nginx only needs the socket's group: `chown-socket` to nginx's
 * group with mode 660 does the same for nginx and nothing for everyone else.
 *
 * The quick fix (mode 660) is offered only when `chown-socket` already gives the socket to
 * nginx's worker user or group (the workspace's `user` directive, else www-data): then 660 keeps
 * nginx connecting. Otherwise changing the mode alone could lock nginx out.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { ASSUMED_NGINX_USER } from '../seam/permission';
import { hasDynamicValue, optionEntriesNamed } from './entries';
import { inOneRun, isRouterOption } from './profile';

function modeOf(value: string): number | undefined {
	const v = value.trim();
	if (v === '' || v === '1') { return 0o666; }
	return /^[0-7]{3}$/.test(v) ? parseInt(v, 8) : undefined;
}

export function checkSocketMode(ctx: UwsgiContext): void {
	const entries = optionEntriesNamed(ctx.doc, 'chmod-socket', 'chmod');
	if (!entries.length) { return; }
	const graph = ctx.workspace.socketGraph();
	const sockets = graph.socketsIn(ctx.uri).filter(s => s.address.kind === 'unix' && !isRouterOption(s.option));
	if (!sockets.length) { return; }
	const user = graph.nginxUser?.name ?? ASSUMED_NGINX_USER;
	const group = graph.nginxUser?.group ?? user;
	const chown = optionEntriesNamed(ctx.doc, 'chown-socket').at(-1);
	const [owner, ownerGroup] = chown && !hasDynamicValue(chown.entry) ? chown.entry.value.text.trim().split(':') : [];
	const nginxOwns = owner === user || (ownerGroup !== undefined && ownerGroup === group);
	for (const { entry } of entries) {
		if (hasDynamicValue(entry)) { continue; }
		const mode = modeOf(entry.value.text);
		if (mode === undefined || !(mode & 0o002)) { continue; }
		// chmod-socket applies to the unix sockets of the same run of the file
		const socket = sockets.find(s => inOneRun(ctx.doc, s.entry, entry));
		if (!socket) { continue; }
		const written = entry.value.text.trim() || '(bare, 666)';
		const fix = nginxOwns
			? `"chown-socket = ${chown!.entry.value.text.trim()}" already gives the socket to nginx, so chmod-socket = 660 is enough.`
			: `chmod-socket = 660 with chown-socket = <uWSGI's user>:${group}.`;
		const uwsgiProtocol = socket.protocol === 'uwsgi' || socket.protocol === 'suwsgi';
		ctx.report({
			code: Codes.uwsgiWorldWritableSocket, offset: entry.value.length ? entry.value.offset : entry.key.offset, length: entry.value.length || entry.key.length,
			args: { mode: written, socket: socket.entry.value.text, protocol: socket.protocol, risk: uwsgiProtocol ? ' The uwsgi protocol lets any peer that reaches it set what the server executes.' : '', fix },
			data: nginxOwns && entry.value.length ? { replacement: '660' } : {},
		});
	}
}
