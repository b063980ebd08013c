/**
 * Where the uWSGI that reads a config runs, as the workspace says: a command line of a compose
 * service or a Dockerfile runs in a container; an ini file runs where the command lines that load
 * it (`--ini app.ini`) run. A host process (systemd, supervisor, a script, a Procfile) or an ini
 * no command line loads runs on a machine of its own: `undefined`.
 *
 * Who reaches a socket depends on it: a container's port is reached by the containers of its
 * network, and from outside only when its service publishes it (`ports:`) or shares the host's
 * network (`network_mode: host`).
 */
import type { ComposePort, ComposeService } from '../../parser/commands/compose';
import { publishedPort } from '../../parser/commands/compose';
import type { RunPlace } from '../../parser/commands/nodes';
import type { IniDocument } from '../../parser/ini/nodes';
import { Memo } from '../../utils/memo';
import { commandConfigOf } from '../commands/invocation';
import type { WorkspaceView } from '../context';
import { configLoads } from './loads';

export interface Placed {
	readonly place: RunPlace;
	/** The host file that says so (the compose file, the Dockerfile). */
	readonly uri: string;
}

/** Per workspace state: the container places of the command lines that load each ini file (null: a host process loads it). */
const loaders = new Memo<WorkspaceView, { at: number; byTarget: Map<string, Placed[] | null> }>();

function loadersOf(workspace: WorkspaceView): Map<string, Placed[] | null> {
	const at = workspace.changeCount();
	const hit = loaders.get(workspace);
	if (hit && hit.at === at) { return hit.byTarget; }
	const byTarget = new Map<string, Placed[] | null>();
	const commands: { uri: string; doc: IniDocument; place?: RunPlace }[] = [];
	const all = new Set<string>();
	for (const item of workspace.uwsgiFiles()) {
		all.add(item.uri);
		const command = commandConfigOf(item.doc);
		if (command) { commands.push({ uri: item.uri, doc: item.doc, place: command.invocation.runsIn }); }
	}
	const uris = commands.length ? [...all] : [];
	for (const item of commands) {
		const place = item.place;
		for (const load of configLoads(item.uri, item.doc, uris)) {
			for (const target of load.targets) {
				const list = byTarget.get(target);
				if (list === null) { continue; }
				if (!place) { byTarget.set(target, null); } else if (list) { list.push({ place, uri: item.uri }); } else { byTarget.set(target, [{ place, uri: item.uri }]); }
			}
		}
	}
	loaders.set(workspace, { at, byTarget });
	return byTarget;
}

/** The containers a config runs in, or undefined when it runs on a host (or nothing says where). */
export function runPlacesOf(uri: string, doc: IniDocument, workspace: WorkspaceView): readonly Placed[] | undefined {
	const command = commandConfigOf(doc);
	if (command) { return command.invocation.runsIn ? [{ place: command.invocation.runsIn, uri }] : undefined; }
	return loadersOf(workspace).get(uri) ?? undefined;
}

/** How a TCP port of a container is reached from outside its network, if it is. */
export type Exposure =
	| { readonly via: 'ports'; readonly service: ComposeService; readonly port: ComposePort; readonly uri: string }
	| { readonly via: 'host-network'; readonly service: ComposeService; readonly uri: string };

/** Whether a port the container listens on (on every interface) is reached beyond the containers of its network. */
export function exposureOf(placed: Placed, port: number): Exposure | undefined {
	const { place, uri } = placed;
	if (place.kind !== 'compose') { return undefined; }
	let service = place.service;
	const mode = service.networkMode ?? '';
	if (mode === 'host') { return { via: 'host-network', service, uri }; }
	// `network_mode: service:web` shares web's network: web's ports are the ones published
	const shared = /^service:(.+)$/.exec(mode);
	if (shared) {
		const other = place.services.find(s => s.name === shared[1]);
		if (!other) { return undefined; }
		if (other.networkMode === 'host') { return { via: 'host-network', service: other, uri }; }
		service = other;
	} else if (mode.startsWith('container:') || mode === 'none') {
		return undefined;
	}
	const p = publishedPort(service, port);
	return p ? { via: 'ports', service, port: p, uri } : undefined;
}
