/**
 * socket-permission: a unix socket whose mode and owner would not let nginx's worker user
 * connect (connecting needs write permission on the socket file): nginx answers 502 and logs
 * "connect() ... failed (13: Permission denied)".
 *
 * Mode: `chmod-socket` (bare or `1`: 666), else uWSGI's default 0777 minus the umask (`umask`,
 * else 022 assumed: 755). Owner: `chown-socket`, else `uid`/`gid`, else the user that starts
 * uWSGI. nginx's worker user: the `user` directive of the workspace's main config, else
 * www-data (the user Debian and Ubuntu's nginx.conf sets; nginx's compiled-in default is nobody).
 */
import { Codes } from '../codes';
import type { NginxContext, UwsgiContext } from '../context';
import { expandValue, type SocketGraph, type UwsgiSocket } from './socketGraph';
import { socketLocation } from './wiring';
import { uwsgiSections } from '../uwsgi/sections';

export const ASSUMED_NGINX_USER = 'www-data';

interface Verdict {
	readonly ok: boolean;
	readonly detail: string;
}

function optionValue(s: UwsgiSocket, names: string[]): string | undefined {
	for (const section of uwsgiSections(s.doc)) {
		for (const e of section.entries) {
			if (names.includes(e.key.text)) { return expandValue(s.doc, s.uri, e.value.text) ?? undefined; }
		}
	}
	return undefined;
}

export function socketAccess(s: UwsgiSocket, graph: SocketGraph): Verdict {
	const chmod = optionValue(s, ['chmod-socket', 'chmod']);
	let mode: number;
	let modeWhy: string;
	if (chmod !== undefined) {
		mode = chmod === '' || chmod === '1' ? 0o666 : /^[0-7]{3}$/.test(chmod) ? parseInt(chmod, 8) : 0o755;
		modeWhy = `chmod-socket = ${chmod || '(empty)'}`;
	} else {
		const umask = optionValue(s, ['umask']);
		const mask = umask && /^[0-7]+$/.test(umask) ? parseInt(umask, 8) : 0o022;
		mode = 0o777 & ~mask;
		modeWhy = `no chmod-socket: uWSGI's default, 777 minus the umask${umask ? '' : ' (022 assumed)'}`;
	}
	const chown = optionValue(s, ['chown-socket']);
	let owner: string | undefined;
	let group: string | undefined;
	let ownerWhy: string;
	if (chown) {
		[owner, group] = chown.split(':');
		ownerWhy = `chown-socket = ${chown}`;
	} else {
		owner = optionValue(s, ['uid']);
		group = optionValue(s, ['gid']);
		ownerWhy = owner ? `owned by uid = ${owner}` : 'owned by the user that starts uWSGI';
	}
	const user = graph.nginxUser?.name ?? ASSUMED_NGINX_USER;
	const userGroup = graph.nginxUser?.group ?? user;
	const userWhy = graph.nginxUser ? `nginx's workers run as ${user} (user directive)` : `nginx's workers run as ${user} (assumed: no "user" directive in the workspace; Debian and Ubuntu set www-data, nginx's own default is nobody)`;
	const m = mode.toString(8).padStart(3, '0');
	if (user === 'root') { return { ok: true, detail: '' }; }
	if (mode & 0o002) { return { ok: true, detail: '' }; }
	if (owner === user && mode & 0o200) { return { ok: true, detail: '' }; }
	if (group !== undefined && group === userGroup && mode & 0o020) { return { ok: true, detail: '' }; }
	if (owner === undefined && group === undefined && mode & 0o220) {
		// who starts uWSGI is unknown: it may be nginx's user
		return { ok: true, detail: '' };
	}
	return {
		ok: false,
		detail: `nginx may not open ${s.expanded}: mode ${m} (${modeWhy}), ${ownerWhy}, and ${userWhy}; connecting needs write permission, so nginx answers 502 and logs "(13: Permission denied)". Set chmod-socket = 660 with chown-socket = <uwsgi user>:${userGroup}, or run uWSGI's socket as ${user}.`,
	};
}

/** On the nginx side: each unix target whose socket refuses nginx's user. */
export function checkSocketPermissionNginx(ctx: NginxContext): void {
	const graph = ctx.workspace.socketGraph();
	// no uWSGI socket in the workspace: nothing to open
	if (!graph.hasSockets) { return; }
	for (const target of graph.targetsIn(ctx.uri)) {
		for (const server of target.servers) {
			if (server.address.kind !== 'unix') { continue; }
			const socket = graph.socketsAt(server.address)[0];
			if (!socket) { continue; }
			const v = socketAccess(socket, graph);
			if (v.ok) { continue; }
			const token = server.uri === ctx.uri ? server.token : target.directive.args[0];
			ctx.report({ code: Codes.socketPermission, offset: token.offset, length: token.length, args: { detail: v.detail }, related: [socketLocation(socket, 'the socket uWSGI creates')] });
		}
	}
}

/** On the uWSGI side: each unix socket that nginx targets but may not open. */
export function checkSocketPermissionUwsgi(ctx: UwsgiContext): void {
	const graph = ctx.workspace.socketGraph();
	for (const socket of graph.socketsIn(ctx.uri)) {
		if (socket.address.kind !== 'unix') { continue; }
		const users = graph.targetsOf(socket);
		if (!users.length) { continue; }
		const v = socketAccess(socket, graph);
		if (v.ok) { continue; }
		const { target, server } = users[0];
		ctx.report({
			code: Codes.socketPermission, offset: socket.entry.value.offset, length: socket.entry.value.length, args: { detail: v.detail },
			related: [{ uri: server.uri, offset: server.token.offset, length: server.token.length, message: `nginx connects here (${target.directive.name.value})` }],
		});
	}
}
