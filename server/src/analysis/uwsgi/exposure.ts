/**
 * uwsgi-public-socket, uwsgi-public-stats, uwsgi-runs-as-root: what a uWSGI config exposes.
 * A uwsgi-protocol socket on every interface lets any peer that reaches it tell the server what
 * to run (UWSGI_FILE, UWSGI_SCRIPT, ...); the stats server tells anyone the server's internals.
 *
 * "Every interface" means different things by where uWSGI runs (analysis/uwsgi/runPlaces.ts):
 * on a host (systemd, supervisor, a script, an ini nothing else loads) it is every address of the
 * machine. In a container it is the container's own network: nginx in the next container reaches
 * it by the service name, and binding 127.0.0.1 would cut nginx off. There the port is public
 * only when the compose service publishes it (`ports:`, not `expose:`) on an address beyond
 * loopback, or runs on the host's network (`network_mode: host`). A Dockerfile publishes nothing:
 * `docker run -p` or a compose file does, so its command lines are not reported.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import type { RelatedLocation } from '../findings';
import { optionEntries } from './entries';
import { exposureOf, runPlacesOf, type Exposure } from './runPlaces';
import { parseUwsgiAddress, SERVER_SOCKET_HANDLERS } from './sockets';

/** Payload for the quick fix: `loopback: false` where binding 127.0.0.1 would cut nginx off (a container). */
export interface ExposureData {
	readonly loopback?: false;
}

export function checkExposure(ctx: UwsgiContext): void {
	const all = optionEntries(ctx.doc);
	let places: ReturnType<typeof runPlacesOf> | null = null;
	for (let i = 0; i < all.length; i++) {
		const { entry, option, dynamic } = all[i];
		if (dynamic) { continue; }
		const isServerSocket = SERVER_SOCKET_HANDLERS.has(option.handler);
		const isStats = option.name === 'stats' || option.name === 'stats-server';
		if (isServerSocket || isStats) {
			const addr = parseUwsgiAddress(entry.value.text, option.type === 'ssl_socket');
			if (addr?.kind !== 'tcp' || !addr.allInterfaces) { continue; }
			if (places === null) { places = runPlacesOf(ctx.uri, ctx.doc, ctx.workspace); }
			let exposure: Exposure | undefined;
			if (places) {
				// in containers: public only where a service publishes the port or uses the host's network
				for (const p of places) {
					exposure = exposureOf(p, Number(addr.port));
					if (exposure) { break; }
				}
				if (!exposure) { continue; }
			}
			const protocol = option.protocol ?? 'uwsgi';
			const risk = !isStats && (protocol === 'uwsgi' || protocol === 'puwsgi' || protocol === 'suwsgi') ? ' The uwsgi protocol lets any peer that reaches it set what the server executes.' : '';
			const related: RelatedLocation[] = [];
			let where = ` of every interface`;
			let fix = 'Bind it to 127.0.0.1 or use a unix socket.';
			let data: ExposureData = {};
			if (exposure?.via === 'ports') {
				where = ` of its container, and the compose service "${exposure.service.name}" publishes it on ${exposure.port.hostIp ? `the host address ${exposure.port.hostIp}` : 'every address of the host'}`;
				fix = `nginx in the compose network reaches the service by name without it: remove the ports entry, or publish it on 127.0.0.1 ("127.0.0.1:${addr.port}:${addr.port}").`;
				related.push({ uri: exposure.uri, offset: exposure.port.offset, length: exposure.port.length, message: 'the port is published here' });
				data = { loopback: false };
			} else if (exposure?.via === 'host-network') {
				where = ` of every interface of the host: the compose service "${exposure.service.name}" runs on the host's network (network_mode: host)`;
				related.push({ uri: exposure.uri, offset: exposure.service.offset, length: exposure.service.name.length, message: 'this service uses the host network' });
			}
			ctx.report({
				code: isStats ? Codes.uwsgiPublicStats : Codes.uwsgiPublicSocket,
				offset: entry.value.offset, length: entry.value.length,
				args: { key: entry.key.text, port: addr.port, protocol, risk, where, fix },
				data, related,
			});
		} else if (option.name === 'uid' || option.name === 'immediate-uid') {
			const v = entry.value.text.trim();
			if (v === 'root' || v === '0') {
				ctx.report({ code: Codes.uwsgiRunsAsRoot, offset: entry.value.offset, length: entry.value.length, args: { key: entry.key.text } });
			}
		}
	}
}
