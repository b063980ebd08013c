/**
 * uwsgi-daemonize-managed: `daemonize`/`daemonize2` in a config that a process manager starts
 * and watches. The manager follows the process it started; daemonizing forks and lets that
 * process exit, so the manager loses uWSGI. Detected without guessing:
 *
 * - an Emperor config of the workspace (`emperor = DIR` or a glob) watches the folder this file
 *   sits in (the same path, or a folder of the same name: the repository mirrors the server);
 * - a socket inherited from the parent (`socket = =0`): systemd socket activation, inetd or the
 *   Emperor's on-demand sockets start this config;
 * - a host file of the workspace runs it under a manager: a systemd unit (unless `Type=forking`,
 *   which expects the fork), a supervisor program, a Dockerfile or compose service, a Procfile —
 *   the command line itself (`--daemonize`), or the ini it loads (`--ini app.ini`).
 *
 * Checked by running uWSGI 2.0.21: an Emperor vassal with daemonize cannot be stopped — each
 * stop message becomes a reload, until the Emperor kills it after its mercy time.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { dirname, normalizePath } from '../../utils/paths';
import { uriToPath } from '../../utils/uri';
import type { IniDocument } from '../../parser/ini/nodes';
import { commandConfigOf } from '../commands/invocation';
import { hasDynamicValue, optionEntries, optionEntriesNamed } from './entries';
import { configLoads } from './loads';
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
		for (const { entry, dynamic } of optionEntriesNamed(doc, 'emperor')) {
			if (dynamic) { continue; }
			const folder = watchedFolder(entry.value.text);
			if (!folder || folder === '/') { continue; }
			const name = folder.slice(folder.lastIndexOf('/'));
			if (here === folder || here.endsWith(name)) { return { uri, folder }; }
		}
	}
	return undefined;
}

/** What each process manager does when the process it started exits. */
const MANAGED: Record<string, { name: (file: string) => string; effect: string }> = {
	systemd: { name: f => `the systemd unit ${f}`, effect: 'systemd takes the exit of the process it started for the end of the service and stops the rest of it, or restarts it in a loop (Type=forking is the setting for a uWSGI that daemonizes).' },
	supervisor: { name: f => `the supervisor program in ${f}`, effect: 'supervisord sees the program exit, restarts it until it gives up (FATAL), while the detached copy keeps the socket.' },
	dockerfile: { name: f => `the container of ${f}`, effect: 'the container\'s main process exits at once, so the container stops.' },
	compose: { name: f => `the compose service in ${f}`, effect: 'the container\'s main process exits at once, so the container stops.' },
	procfile: { name: f => `the Procfile ${f}`, effect: 'the process manager sees the process exit, and restarts it or shuts the others down.' },
};

function baseName(uri: string): string {
	const p = uriToPath(uri) ?? uri;
	return p.slice(p.lastIndexOf('/') + 1);
}

/** The manager of a command line, unless it expects the fork (a systemd unit with Type=forking). */
function managerOfCommand(doc: IniDocument, uri: string): { manager: string; effect: string } | undefined {
	const host = commandConfigOf(doc)?.host;
	const m = host ? MANAGED[host] : undefined;
	if (!m || (host === 'systemd' && /^[ \t]*Type[ \t]*=[ \t]*forking[ \t]*$/m.test(doc.text))) { return undefined; }
	return { manager: m.name(baseName(uri)), effect: m.effect };
}

/** A command line of a managed host file that loads this ini (`uwsgi --ini app.ini`). */
function managingCommand(ctx: UwsgiContext): { manager: string; effect: string } | undefined {
	const items = [...ctx.workspace.uwsgiFiles()];
	const uris = [...new Set(items.map(i => i.uri))];
	for (const item of items) {
		if (item.uri === ctx.uri || !commandConfigOf(item.doc)) { continue; }
		const m = managerOfCommand(item.doc, item.uri);
		if (m && configLoads(item.uri, item.doc, uris).some(l => l.targets.includes(ctx.uri))) { return m; }
	}
	return undefined;
}

export function checkDaemonize(ctx: UwsgiContext): void {
	const entries = optionEntries(ctx.doc);
	const daemonize = optionEntriesNamed(ctx.doc, ...Object.keys(LOG_INSTEAD));
	if (!daemonize.length) { return; }
	const inherited = entries.find(({ entry, option }) => SERVER_SOCKET_HANDLERS.has(option.handler) && !hasDynamicValue(entry) && parseUwsgiAddress(entry.value.text, option.type === 'ssl_socket')?.kind === 'fd');
	const emperor = emperorWatching(ctx);
	const isCommand = commandConfigOf(ctx.doc) !== undefined;
	const found: { manager: string; effect: string } | undefined =
		(emperor ? { manager: `the Emperor watching ${emperor.folder}`, effect: 'it loses the vassal it started, so stopping it turns into reloads until the Emperor kills it after its mercy time.' } : undefined)
		?? (isCommand ? managerOfCommand(ctx.doc, ctx.uri) : undefined)
		?? (inherited ? { manager: `the process that hands it its socket ("${inherited.entry.key.text} = ${inherited.entry.value.text}": systemd socket activation, inetd or the Emperor)`, effect: 'when the process it started exits, the manager counts the service as stopped and may start it again.' } : undefined)
		?? (isCommand ? undefined : managingCommand(ctx));
	if (!found) { return; }
	const { manager, effect } = found;
	for (const { entry, option } of daemonize) {
		const logKey = LOG_INSTEAD[option.name];
		ctx.report({
			code: Codes.uwsgiDaemonizeManaged, offset: entry.key.offset, length: entry.key.length,
			args: { key: entry.key.text, manager, effect, logKey },
			data: { candidates: [logKey] },
		});
	}
}
