/**
 * What a uWSGI config sets, taken together with the configs it loads (`ini =`, `include`, ...)
 * and the configs of the workspace that load it: the basis of the rules about options that are
 * absent (no harakiri, no master, ...). When a load does not resolve to a workspace file, the
 * profile is incomplete and those rules stay silent.
 */
import { getUwsgiOption } from '../../data/uwsgiData';
import type { UwsgiOptionData } from '../../data/types';
import type { IniDocument, IniEntryLine, IniSectionLine } from '../../parser/ini/nodes';
import type { WorkspaceView } from '../context';
import { configLoads, type ConfigLoad } from './loads';
import { canonicalName, optionEntries, optionEntriesByName, SMALL_FILE } from './entries';
import { uwsgiSections } from './sections';
import { SERVER_SOCKET_HANDLERS } from './sockets';
import { readsAsFalse } from './values';
import { Memo } from '../../utils/memo';

export interface ProfileEntry {
	readonly uri: string;
	readonly entry: IniEntryLine;
	readonly option: UwsgiOptionData;
}

export interface ConfigProfile {
	/** False when a config this one loads is not in the workspace: absent options may be set there. */
	readonly complete: boolean;
	/** The first entry of this file that binds a socket the workers serve, or uWSGI's HTTP router. */
	readonly serving?: { readonly entry: IniEntryLine; readonly header: IniSectionLine };
	/** This file and the related files (see profileEntries for their entries by option). */
	readonly files: readonly { readonly uri: string; readonly doc: IniDocument }[];
	/** true: the master process runs (`master`, or an option that turns it on); false: it does not; undefined: unknown. */
	readonly master: boolean | undefined;
}

/** uWSGI's own HTTP router options (plugin http): a process of its own in front of the workers. */
export const ROUTER_OPTIONS: ReadonlySet<string> = new Set(['http', 'httprouter', 'https']);

export function isRouterOption(option: UwsgiOptionData): boolean {
	return option.plugin === 'http' && ROUTER_OPTIONS.has(option.name);
}

export { canonicalName };

/** The uWSGI files of one workspace state, and which of them load other configs (loads kept per file). */
interface WorkspaceConfigs {
	at: number;
	readonly files: Map<string, IniDocument>;
	readonly uris: string[];
	/** Files with a loader option (ini =, include =, ...): the only ones that can load this one. */
	loaders: string[];
	readonly loads: Map<string, ConfigLoad[]>;
}

const perWorkspace = new Memo<WorkspaceView, WorkspaceConfigs>();
const hasLoaderMemo = new Memo<IniDocument, boolean>();

function hasLoader(doc: IniDocument): boolean {
	let has = hasLoaderMemo.get(doc);
	if (has === undefined) {
		has = optionEntries(doc).some(({ option }) => option.type === 'config_file');
		hasLoaderMemo.set(doc, has);
	}
	return has;
}

/** The config of a file as the workspace's list holds it (the last one of a host file with several command lines). */
function configOf(workspace: WorkspaceView, uri: string): IniDocument | undefined {
	let doc: IniDocument | undefined;
	for (const f of workspace.uwsgiFilesOf(uri)) { doc = f.doc; }
	return doc;
}

/**
 * Kept current file by file: an edit replaces the edited file's config (and drops its loads);
 * only a file that appears, disappears or changes language rebuilds the list (`uris` is in
 * workspace order), so a keystroke costs nothing per file of the workspace.
 */
function workspaceConfigs(workspace: WorkspaceView): WorkspaceConfigs {
	const at = workspace.changeCount();
	const c = perWorkspace.get(workspace);
	if (c && c.at === at) { return c; }
	const changed = c && workspace.changedSince(c.at);
	if (c && changed && [...changed].every(u => (configOf(workspace, u) !== undefined) === c.files.has(u))) {
		let loadersChanged = false;
		for (const u of changed) {
			const doc = configOf(workspace, u);
			if (!doc || c.files.get(u) === doc) { continue; }
			loadersChanged ||= hasLoader(doc) !== hasLoader(c.files.get(u)!);
			c.files.set(u, doc);
			c.loads.delete(u);
		}
		if (loadersChanged) { c.loaders = c.uris.filter(u => hasLoader(c.files.get(u)!)); }
		c.at = at;
		return c;
	}
	const files = new Map<string, IniDocument>();
	for (const f of workspace.uwsgiFiles()) { files.set(f.uri, f.doc); }
	const uris = [...files.keys()];
	const fresh: WorkspaceConfigs = { at, files, uris, loaders: uris.filter(u => hasLoader(files.get(u)!)), loads: new Map() };
	perWorkspace.set(workspace, fresh);
	return fresh;
}

export function configProfile(uri: string, doc: IniDocument, workspace: WorkspaceView): ConfigProfile {
	// the workspace's configs are collected once per state of the workspace, not once per check
	const shared = workspaceConfigs(workspace);
	const files = shared.files.get(uri) === doc ? shared.files : new Map(shared.files).set(uri, doc);
	const uris = shared.files.has(uri) ? shared.uris : [...shared.uris, uri];
	const loadsOf = (u: string): ConfigLoad[] => {
		if (u === uri || files !== shared.files || uris !== shared.uris) { return configLoads(u, files.get(u)!, uris); }
		let l = shared.loads.get(u);
		if (!l) {
			l = configLoads(u, files.get(u)!, uris);
			shared.loads.set(u, l);
		}
		return l;
	};
	let complete = true;
	// the configs this one loads, transitively
	const related = new Set<string>([uri]);
	const queue = [uri];
	while (queue.length) {
		const u = queue.pop()!;
		for (const load of loadsOf(u)) {
			if (!load.targets.length) { complete = false; }
			for (const t of load.targets) {
				if (!related.has(t)) { related.add(t); queue.push(t); }
			}
		}
	}
	// the configs that load this one (they set options for it too): only files with a loader can
	for (const u of shared.loaders) {
		if (related.has(u)) { continue; }
		const loads = loadsOf(u);
		if (loads.some(l => l.targets.includes(uri))) {
			related.add(u);
			if (loads.some(l => !l.targets.length)) { complete = false; }
		}
	}
	const profileFiles: { uri: string; doc: IniDocument }[] = [];
	let serving: ConfigProfile['serving'];
	let masterOn = false;
	let masterUnknown = false;
	for (const u of related) {
		const doc = files.get(u)!;
		profileFiles.push({ uri: u, doc });
		const all = optionEntries(doc);
		for (let i = 0; i < all.length; i++) {
			const { entry, option, dynamic } = all[i];
			if (u === uri && !serving && (SERVER_SOCKET_HANDLERS.has(option.handler) || isRouterOption(option))) {
				serving = { entry, header: doc.sections[entry.section].header };
			}
			const turnsOnMaster = option.name === 'master' || (option.flags.length > 0 && option.flags.includes('master'));
			if (turnsOnMaster) {
				if (dynamic) {
					masterUnknown = true;
				} else if (option.type !== 'boolean' || !readsAsFalse(entry.value.text)) {
					masterOn = true;
				}
			}
		}
	}
	return { complete, serving, files: profileFiles, master: masterOn ? true : masterUnknown ? undefined : false };
}

/** The entries setting an option (any alias) in the profile: this file's and the related files', in that order. */
export function profileEntries(profile: ConfigProfile, name: string): readonly ProfileEntry[] {
	const option = getUwsgiOption(name);
	if (!option) { return []; }
	const canonical = canonicalName(option);
	const out: ProfileEntry[] = [];
	for (const { uri, doc } of profile.files) {
		const all = optionEntries(doc);
		if (all.length > SMALL_FILE) {
			for (const e of optionEntriesByName(doc).get(canonical) ?? []) { out.push({ uri, entry: e.entry, option: e.option }); }
			continue;
		}
		// a small file is read as it is: no index kept for it
		for (let i = 0; i < all.length; i++) {
			if (canonicalName(all[i].option) === canonical) { out.push({ uri, entry: all[i].entry, option: all[i].option }); }
		}
	}
	return out;
}

/**
 * The sections one run of a file reads: uWSGI reads one section (`[uwsgi]`, or the one named with
 * `--ini file:name`) plus the sections it loads from the same file (`ini = :base`, `%p:base`).
 * Other sections of the file are alternatives (`[dev]`, `[local]`): their options never meet.
 */
const runsCache = new Memo<IniDocument, ReadonlyMap<string, ReadonlySet<string>>>();

export function sectionRuns(doc: IniDocument): ReadonlyMap<string, ReadonlySet<string>> {
	const cached = runsCache.get(doc);
	if (cached) { return cached; }
	const direct = new Map<string, Set<string>>();
	for (const section of uwsgiSections(doc)) {
		const loads = direct.get(section.name) ?? new Set<string>();
		direct.set(section.name, loads);
		for (const entry of section.entries) {
			if (!['ini', 'include', 'inherit'].includes(entry.key.text)) { continue; }
			const m = /^(?:%p)?:([^/:]+)$/.exec(entry.value.text.trim());
			if (m) { loads.add(m[1]); }
		}
	}
	const runs = new Map<string, Set<string>>();
	for (const name of direct.keys()) {
		const run = new Set<string>([name]);
		const queue = [name];
		while (queue.length) {
			for (const next of direct.get(queue.pop()!) ?? []) {
				if (!run.has(next)) { run.add(next); queue.push(next); }
			}
		}
		runs.set(name, run);
	}
	runsCache.set(doc, runs);
	return runs;
}

/** Whether two entries of a file are read in one run (see sectionRuns). */
export function inOneRun(doc: IniDocument, a: IniEntryLine, b: IniEntryLine): boolean {
	const sa = doc.sections[a.section]?.name;
	const sb = doc.sections[b.section]?.name;
	if (sa === undefined || sb === undefined) { return false; }
	if (sa === sb) { return true; }
	for (const run of sectionRuns(doc).values()) {
		if (run.has(sa) && run.has(sb)) { return true; }
	}
	return false;
}
