/**
 * uwsgi-public-socket, uwsgi-public-stats, uwsgi-runs-as-root: what a uWSGI config exposes.
 * A uwsgi-protocol socket on every interface lets any peer that reaches it tell the server what
 * to run (UWSGI_FILE, UWSGI_SCRIPT, ...); the stats server tells anyone the server's internals.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { optionEntries } from './entries';
import { parseUwsgiAddress, SERVER_SOCKET_HANDLERS } from './sockets';

export function checkExposure(ctx: UwsgiContext): void {
	const all = optionEntries(ctx.doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option, dynamic } = all[i];
		if (dynamic) { continue; }
		const isServerSocket = SERVER_SOCKET_HANDLERS.has(option.handler);
		const isStats = option.name === 'stats' || option.name === 'stats-server';
		if (isServerSocket || isStats) {
			const addr = parseUwsgiAddress(entry.value.text, option.type === 'ssl_socket');
			if (addr?.kind !== 'tcp' || !addr.allInterfaces) { continue; }
			const protocol = option.protocol ?? 'uwsgi';
			ctx.report({
				code: isStats ? Codes.uwsgiPublicStats : Codes.uwsgiPublicSocket,
				offset: entry.value.offset, length: entry.value.length,
				args: { key: entry.key.text, port: addr.port, protocol, risk: protocol === 'uwsgi' || protocol === 'puwsgi' || protocol === 'suwsgi' ? ' The uwsgi protocol lets any peer that reaches it set what the server executes.' : '' },
				data: {},
			});
		} else if (option.name === 'uid' || option.name === 'immediate-uid') {
			const v = entry.value.text.trim();
			if (v === 'root' || v === '0') {
				ctx.report({ code: Codes.uwsgiRunsAsRoot, offset: entry.value.offset, length: entry.value.length, args: { key: entry.key.text } });
			}
		}
	}
}
