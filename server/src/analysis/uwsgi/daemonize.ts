/**
 * uwsgi-daemonize-managed: `daemonize`/`daemonize2` in a config that a process manager starts
 * and watches. The manager follows the process it started; daemonizing forks and lets that
 * process exit, so the manager loses uWSGI. Detected without guessing:
 *
 * - an Emperor config of the workspace (`emperor = DIR` or a glob) watches the folder this file
 *   sits in (the same path, or a folder of the same name: the repository mirrors the server);
 * - a socket inherited from the parent (`socket = =0`): systemd socket activation, inetd or the
 *   Emperor's on-demand sockets start this config.
 *
 * Checked by running uWSGI 2.0.21: an Emperor vassal with daemonize cannot be stopped — each
 * stop message becomes a reload, until the Emperor kills it after its mercy time.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { dirname, normalizePath } from '../../utils/paths';
import { uriToPath } from '../../utils/uri';
import { hasDynamicValue, optionEntries } from './entries';
import { parseUwsgiAddress, SERVER_SOCKET_HANDLERS } from './sockets';

const LOG_INSTEAD: Record<string, string> = { daemonize: 'logto', daemonize2: 'logto2' };

/** The folder an `emperor` value watches, or undefined for other sources (zmq://, amqp://, ...). */
function watchedFolder(value: string): string | undefined {
	const v = value.trim();
	if (!v.startsWith('/') || v.includes('://')) { return undefined; }
	const glob = v.search(/[*?[{]/);
	const dir = glob >= 0 ? dirname(v.slice(0, glob + 1)) : v;
	return normalizePath(dir).replace(/\/+$/, '') || '/';
}

function emperorWatching(ctx: UwsgiContext): { uri: string; folder: string } | undefined {
	const path = uriToPath(ctx.uri);
	if (!path) { return undefined; }
	const here = dirname(normalizePath(path)).replace(/\/+$/, '');
	for (const { uri, doc } of ctx.workspace.uwsgiFiles()) {
		if (uri === ctx.uri) { continue; }
		for (const { entry, option } of optionEntries(doc)) {
			if (option.name !== 'emperor' || hasDynamicValue(entry)) { continue; }
			const folder = watchedFolder(entry.value.text);
			if (!folder || folder === '/') { continue; }
			const name = folder.slice(folder.lastIndexOf('/'));
			if (here === folder || here.endsWith(name)) { return { uri, folder }; }
		}
	}
	return undefined;
}

export function checkDaemonize(ctx: UwsgiContext): void {
	const entries = optionEntries(ctx.doc);
	const daemonize = entries.filter(({ option }) => option.name in LOG_INSTEAD);
	if (!daemonize.length) { return; }
	let manager: string | undefined;
	let effect = '';
	const inherited = entries.find(({ entry, option }) => SERVER_SOCKET_HANDLERS.has(option.handler) && !hasDynamicValue(entry) && parseUwsgiAddress(entry.value.text, option.type === 'ssl_socket')?.kind === 'fd');
	const emperor = emperorWatching(ctx);
	if (emperor) {
		manager = `the Emperor watching ${emperor.folder}`;
		effect = 'it loses the vassal it started, so stopping it turns into reloads until the Emperor kills it after its mercy time.';
	} else if (inherited) {
		manager = `the process that hands it its socket ("${inherited.entry.key.text} = ${inherited.entry.value.text}": systemd socket activation, inetd or the Emperor)`;
		effect = 'when the process it started exits, the manager counts the service as stopped and may start it again.';
	}
	if (!manager) { return; }
	for (const { entry, option } of daemonize) {
		const logKey = LOG_INSTEAD[option.name];
		ctx.report({
			code: Codes.uwsgiDaemonizeManaged, offset: entry.key.offset, length: entry.key.length,
			args: { key: entry.key.text, manager, effect, logKey },
			data: { candidates: [logKey] },
		});
	}
}
