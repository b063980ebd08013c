/**
 * Reads one document from a uWSGI stats server — TCP, unix socket, abstract socket, plain or
 * `stats-http` — bounded in size and time. Shared by the CLI (`uwsgi-nginx-check stats`) and the
 * language server (the editor's live view asks it through `uwsgiNginx/stats`).
 *
 * A plain stats server writes its JSON as soon as it accepts and closes; a `stats-http` one waits
 * for a request first. So in plain mode we wait a moment for the first bytes and, if none come,
 * send an HTTP request (a plain server that gets it still just writes its JSON). Never rejects:
 * every outcome is a `StatsReading` (features/stats/model.ts).
 */
import * as net from 'net';
import * as path from 'path';
import { formatTarget, interpretPayload, MAX_STATS_BYTES, type StatsAddress, type StatsReading } from '../service/index';


export interface ReadStatsOptions {
	/** The whole exchange, connect included (default 5000 ms). */
	readonly timeoutMs?: number;
	readonly maxBytes?: number;
	/** In plain mode, how long to wait for the first bytes before sending an HTTP request (default 500 ms). */
	readonly httpAfterMs?: number;
	/** The folder a relative unix socket path is relative to (default: the process's). */
	readonly cwd?: string;
}

export const DEFAULT_STATS_TIMEOUT_MS = 5000;

function connectOptions(a: StatsAddress, cwd: string | undefined): net.NetConnectOpts {
	const t = a.target;
	if (t.kind === 'tcp') { return { host: t.host, port: t.port }; }
	if (t.kind === 'abstract') { return { path: '\0' + t.name }; }
	const home = process.env.HOME;
	const p = t.path.startsWith('~/') && home ? path.join(home, t.path.slice(2)) : t.path;
	return { path: path.resolve(cwd ?? process.cwd(), p) };
}

function unreachableMessage(e: NodeJS.ErrnoException, where: string): string {
	switch (e.code) {
		case 'ECONNREFUSED': return `nothing listens on ${where} (connection refused)`;
		case 'ENOENT': return `there is no socket at ${where}`;
		case 'EACCES': case 'EPERM': return `permission denied connecting to ${where}`;
		case 'ENOTSOCK': return `${where} is not a socket`;
		case 'ENOTFOUND': case 'EAI_AGAIN': return `unknown host in ${where}`;
		case 'EHOSTUNREACH': case 'ENETUNREACH': return `no route to ${where}`;
		case 'EADDRNOTAVAIL': return `cannot connect to ${where} (address not available)`;
		default: return `cannot connect to ${where}: ${e.code ?? e.message}`;
	}
}

export function readStats(address: StatsAddress, options: ReadStatsOptions = {}): Promise<StatsReading> {
	const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_STATS_TIMEOUT_MS);
	const maxBytes = options.maxBytes ?? MAX_STATS_BYTES;
	const httpAfterMs = options.httpAfterMs ?? 500;
	const where = formatTarget(address.target);
	const host = address.target.kind === 'tcp' ? formatTarget(address.target) : 'localhost';

	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		let bytes = 0;
		let connected = false;
		let sentRequest = false;
		let settled = false;
		let httpTimer: NodeJS.Timeout | undefined;
		let socket: net.Socket;

		const settle = (r: StatsReading) => {
			if (settled) { return; }
			settled = true;
			clearTimeout(timer);
			if (httpTimer) { clearTimeout(httpTimer); }
			socket.destroy();
			resolve(r);
		};
		const finish = (end: 'eof' | 'reset' | 'too-large') => {
			const buf = Buffer.concat(chunks);
			settle(interpretPayload({ text: buf.toString('utf8'), bytes: buf.length, end, sentHttpRequest: sentRequest, limit: maxBytes }));
		};
		const sendRequest = () => {
			if (sentRequest || settled || bytes > 0) { return; }
			sentRequest = true;
			socket.write(`GET / HTTP/1.0\r\nHost: ${host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`);
		};

		const timer = setTimeout(() => {
			settle({
				kind: 'timeout',
				message: connected
					? `${where} accepted the connection but sent ${bytes ? `only ${bytes} bytes` : 'nothing'} within ${timeoutMs} ms`
					: `no connection to ${where} within ${timeoutMs} ms`,
			});
		}, timeoutMs);

		try {
			socket = net.connect(connectOptions(address, options.cwd));
		} catch (e) {
			socket = new net.Socket();
			settle({ kind: 'unreachable', message: unreachableMessage(e as NodeJS.ErrnoException, where) });
			return;
		}
		socket.on('connect', () => {
			connected = true;
			if (address.http) { sendRequest(); } else { httpTimer = setTimeout(sendRequest, Math.min(httpAfterMs, timeoutMs / 2)); }
		});
		socket.on('data', (d: Buffer) => {
			if (httpTimer) { clearTimeout(httpTimer); httpTimer = undefined; }
			bytes += d.length;
			if (bytes > maxBytes) { finish('too-large'); return; }
			chunks.push(d);
		});
		socket.on('end', () => finish('eof'));
		socket.on('error', (e: NodeJS.ErrnoException) => {
			if (!connected) { settle({ kind: 'unreachable', message: unreachableMessage(e, where) }); return; }
			finish('reset');
		});
		socket.on('close', () => finish('eof'));
	});
}
