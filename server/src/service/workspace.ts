/**
 * The workspace model: every nginx and uWSGI file the service knows (open documents, files
 * found on disk, CLI inputs), each parsed once per version. Validators see it through
 * WorkspaceView; the server and the CLI keep it current.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NginxIncludeGraph, type IncludeSettings } from '../analysis/nginx/includes';
import { SocketGraph } from '../analysis/seam/socketGraph';
import { isNginxDataBlock, isNginxDirective, nginxDataBlockIds, nginxNameTable } from '../data/nginxData';
import type { IniDocument } from '../parser/ini/nodes';
import { parseIni, type IniParseOptions } from '../parser/ini/parser';
import { LOGIC_END_KEYS } from '../parser/ini/logicKeys';
import { uwsgiOptionNames } from '../data/uwsgiData';
import type { NginxFile } from '../parser/nginx/nodes';
import { parseNginx } from '../parser/nginx/parser';
import { commandConfigs, type CommandConfig } from '../analysis/commands/invocation';
import { configLoads } from '../analysis/uwsgi/loads';
import type { NameIndex, UwsgiConfigItem, WorkspaceView as View } from '../analysis/context';
import type { CommandFile } from '../parser/commands/nodes';
import { parseCommandFile } from '../parser/commands/hosts';
import { NameTable } from '../utils/nameTable';
import { uriToPath } from '../utils/uri';
import { hostKindOf, type LanguageKind } from './languageDetection';
import { Memo } from '../utils/memo';

/** A host file that runs uWSGI: its invocations, each seen as the ini uWSGI builds from it. */
export interface CommandAnalysis {
	readonly file: CommandFile;
	readonly configs: readonly CommandConfig[];
}

export interface WorkspaceEntry {
	readonly uri: string;
	readonly kind: LanguageKind;
	readonly document: TextDocument;
}

interface Entry extends WorkspaceEntry {
	/** The text the cached trees were parsed from. */
	text?: string;
	ini?: IniDocument;
	nginx?: NginxFile;
	commands?: CommandAnalysis;
}

/** Directive names are interned with the table of every known directive (the validators read the ids). */
export const NGINX_PARSE_OPTIONS = { isDirectiveName: isNginxDirective, isDataBlock: isNginxDataBlock, names: nginxNameTable(), dataBlockIds: nginxDataBlockIds() };

/** Known ini keys share one string per name (the checks look options up by key). */
let iniOptions: IniParseOptions | undefined;
function iniParseOptions(): IniParseOptions {
	return (iniOptions ??= { names: new NameTable([...uwsgiOptionNames(), ...LOGIC_END_KEYS]) });
}

/**
 * Directives whose arguments other files' checks read (see exportsKey): includes, upstreams and
 * passes, the variables a file defines (set, map, geo, …), log formats and shared memory zones.
 */
const CROSS_FILE_DIRECTIVE = /^(include|upstream|server|user|limit_req_zone|limit_conn_zone|uwsgi_param|\w+_pass|\w+_read_timeout|set|map|geo|split_clients|perl_set|js_set|js_var|auth_request_set|keyval|num_map|log_format|\w+_cache_path|zone)$/;
const exportKeys = new Memo<object, string>();

/** The change log is dropped past this length; its readers then rebuild from scratch once. */
const MAX_LOG = 20000;

interface NameIndexState extends NameIndex {
	cursor: number;
	version: number;
	readonly files: Map<string, Set<string>>;
	readonly perFile: Map<string, { readonly tree: object; readonly names: readonly string[] }>;
}

/**
 * The workspace keeps a change log (one URI per change). Derived data — the include graph, the
 * socket graph, name indexes — applies only the files changed since it last looked, so after an
 * edit the cost follows the change, not the size of the workspace.
 */
export class Workspace implements View {
	private readonly entries = new Map<string, Entry>();
	/** Entries whose document the caller owns and may edit in place (open editor documents). */
	private readonly live = new Set<Entry>();
	/** URIs of changed files, oldest first; `logBase` is the position of log[0] since the start. */
	private log: string[] = [];
	private logBase = 0;
	/** Bumped when files are added or removed or change language (nginx: include patterns resolve against the set). */
	private filesVersion = 0;
	private nginxFilesVersion = 0;
	private graph: { cursor: number; files: number; key: string; graph: NginxIncludeGraph } | undefined;
	private sockets: { cursor: number; files: number; graph: SocketGraph } | undefined;
	private readonly nameIndexes = new Map<string, NameIndexState>();

	/**
	 * Adds or replaces a file. Trees are parsed lazily and kept while the text is the same.
	 * `live`: the caller may change the document in place (the LSP server's open documents);
	 * others (setText) are replaced, never mutated.
	 */
	set(document: TextDocument, kind: LanguageKind, live = true): WorkspaceEntry {
		const old = this.entries.get(document.uri);
		const entry: Entry = { uri: document.uri, kind, document };
		if (old && old.kind === kind && old.text !== undefined && old.text === document.getText()) {
			entry.text = old.text;
			entry.ini = old.ini;
			entry.nginx = old.nginx;
			entry.commands = old.commands;
		}
		if (old) { this.live.delete(old); }
		if (live) { this.live.add(entry); }
		this.entries.set(document.uri, entry);
		if (!old || old.kind !== kind) {
			this.filesVersion++;
			if (kind === 'nginx' || old?.kind === 'nginx') { this.nginxFilesVersion++; }
			this.touched(document.uri);
		} else if (entry.text === undefined) {
			this.touched(document.uri);
		}
		return entry;
	}

	setText(uri: string, kind: LanguageKind, text: string, version = 0): WorkspaceEntry {
		const languageId = kind === 'nginx' ? 'nginx' : kind === 'uwsgi' ? 'uwsgi-ini' : 'plaintext';
		return this.set(TextDocument.create(uri, languageId, version, text), kind, false);
	}

	delete(uri: string): boolean {
		const old = this.entries.get(uri);
		if (!old) { return false; }
		this.live.delete(old);
		this.entries.delete(uri);
		this.filesVersion++;
		if (old.kind === 'nginx') { this.nginxFilesVersion++; }
		this.touched(uri);
		return true;
	}

	private touched(uri: string): void {
		this.log.push(uri);
		if (this.log.length > MAX_LOG) {
			this.logBase += this.log.length;
			this.log = [];
		}
	}

	private get logEnd(): number {
		return this.logBase + this.log.length;
	}

	/** Distinct URIs changed since `cursor`, or undefined when that part of the log is gone. */
	private changesSince(cursor: number): Set<string> | undefined {
		if (cursor < this.logBase) { return undefined; }
		return new Set(this.log.slice(cursor - this.logBase));
	}

	get(uri: string): WorkspaceEntry | undefined {
		return this.entries.get(uri);
	}

	all(): IterableIterator<WorkspaceEntry> {
		return this.entries.values();
	}

	get size(): number {
		return this.entries.size;
	}

	ini(uri: string): IniDocument | undefined {
		const e = this.entries.get(uri);
		if (!e || e.kind !== 'uwsgi') { return undefined; }
		return (this.fresh(e).ini ??= parseIni(e.text!, iniParseOptions()));
	}

	nginx(uri: string): NginxFile | undefined {
		const e = this.entries.get(uri);
		if (!e || e.kind !== 'nginx') { return undefined; }
		return (this.fresh(e).nginx ??= parseNginx(e.text!, NGINX_PARSE_OPTIONS));
	}

	/** The uWSGI invocations of a host file (Dockerfile, compose file, unit, script, ...). */
	commands(uri: string): CommandAnalysis | undefined {
		const e = this.entries.get(uri);
		if (!e || e.kind !== 'command') { return undefined; }
		const fresh = this.fresh(e);
		if (!fresh.commands) {
			const host = hostKindOf(uriToPath(uri) ?? uri, fresh.text!) ?? 'shell';
			const file = parseCommandFile(fresh.text!, host);
			fresh.commands = { file, configs: commandConfigs(file) };
		}
		return fresh.commands;
	}

	/** Drops cached trees when the document changed in place (incremental sync updates it). */
	private fresh(e: Entry): Entry {
		const text = e.document.getText();
		if (e.text !== text) {
			const changed = e.text !== undefined;
			e.text = text;
			e.ini = undefined;
			e.nginx = undefined;
			e.commands = undefined;
			if (changed) { this.touched(e.uri); }
		}
		return e;
	}

	/** Notices in-place edits of live documents (only those can change without a call to set). */
	private refreshLive(): void {
		for (const e of this.live) { this.fresh(e); }
	}

	socketGraph(): SocketGraph {
		this.refreshLive();
		const current = this.sockets;
		const changes = current && this.changesSince(current.cursor);
		let full = !current || !changes;
		if (current && changes && changes.size) {
			const graph = current.graph;
			// command lines and the files they load are one deployment: a change there (or a new file
			// a command line may load) rebuilds, as does a new command line
			full = (graph.hasDeployments && current.files !== this.filesVersion)
				|| [...changes].some(uri => graph.involves(uri) || this.entries.get(uri)?.kind === 'command');
			if (!full) {
				for (const uri of changes) {
					const e = this.entries.get(uri);
					graph.setUwsgi(uri, e?.kind === 'uwsgi' ? this.ini(uri) : undefined);
					graph.setNginx(uri, e?.kind === 'nginx' ? this.nginx(uri) : undefined);
				}
			}
		}
		if (full || !current) {
			this.sockets = { cursor: this.logEnd, files: this.filesVersion, graph: new SocketGraph(this.deployments(), this.nginxFiles()) };
			return this.sockets.graph;
		}
		current.cursor = this.logEnd;
		current.files = this.filesVersion;
		return current.graph;
	}

	nginxGraph(settings: IncludeSettings): NginxIncludeGraph {
		this.refreshLive();
		const key = JSON.stringify([settings.prefix ?? '', settings.pathMappings ?? {}]);
		let g = this.graph;
		const same = g !== undefined && g.key === key && g.files === this.nginxFilesVersion;
		const changes = g && same ? this.changesSince(g.cursor) : undefined;
		if (g && changes) {
			// the same files under the same settings: patch edited files in when their includes and blocks are unchanged
			let patched = true;
			for (const uri of changes) {
				const file = this.nginx(uri);
				if (file && !g.graph.patch(uri, file)) {
					patched = false;
					break;
				}
			}
			if (patched) {
				g.cursor = this.logEnd;
				return g.graph;
			}
		}
		// otherwise rebuild, reusing resolutions and unchanged files' edges when the set of files is the same
		g = { cursor: this.logEnd, files: this.nginxFilesVersion, key, graph: new NginxIncludeGraph(this.nginxFiles(), settings, same ? g!.graph : undefined) };
		this.graph = g;
		return g.graph;
	}

	changeCount(): number {
		this.refreshLive();
		return this.logEnd;
	}

	changedSince(count: number): ReadonlySet<string> | undefined {
		this.refreshLive();
		return this.changesSince(count);
	}

	nginxNames(key: string, collect: (file: NginxFile) => Iterable<string>): NameIndex {
		return this.names(`nginx:${key}`, uri => {
			const file = this.nginx(uri);
			return file && { tree: file, names: () => collect(file) };
		});
	}

	uwsgiNames(key: string, collect: (doc: IniDocument) => Iterable<string>): NameIndex {
		return this.names(`uwsgi:${key}`, uri => {
			const doc = this.ini(uri);
			if (doc) { return { tree: doc, names: () => collect(doc) }; }
			const commands = this.commands(uri);
			return commands && { tree: commands, names: () => commands.configs.flatMap(c => [...collect(c.doc)]) };
		});
	}

	private names(key: string, read: (uri: string) => { tree: object; names: () => Iterable<string> } | undefined): NameIndex {
		this.refreshLive();
		let ix = this.nameIndexes.get(key);
		let changes = ix && this.changesSince(ix.cursor);
		if (!ix || !changes) {
			ix = { cursor: 0, version: 0, files: new Map(), perFile: new Map() };
			this.nameIndexes.set(key, ix);
			changes = new Set(this.entries.keys());
		}
		for (const uri of changes) {
			const now = read(uri);
			const old = ix.perFile.get(uri);
			if (old && now && old.tree === now.tree) { continue; }
			if (!old && now) {
				// a file new to the index (every file, when it is built): its names go straight in, repeats
				// found by the index itself (no set of the file's names made first)
				const names: string[] = [];
				for (const n of now.names()) {
					let users = ix.files.get(n);
					if (!users) {
						users = new Set();
						ix.files.set(n, users);
						ix.version++;
					} else if (users.has(uri)) {
						continue;
					}
					users.add(uri);
					names.push(n);
				}
				ix.perFile.set(uri, { tree: now.tree, names });
				continue;
			}
			const names = now ? [...new Set(now.names())] : [];
			// the version moves only when a name appears or disappears, so an edit that keeps a
			// file's names (most keystrokes) leaves what readers built from the index valid
			const kept = old ? new Set(names) : undefined;
			if (old) {
				for (const n of old.names) {
					if (kept!.has(n)) { continue; }
					const users = ix.files.get(n);
					users?.delete(uri);
					if (users && !users.size) {
						ix.files.delete(n);
						ix.version++;
					}
				}
			}
			if (!now) {
				ix.perFile.delete(uri);
				continue;
			}
			ix.perFile.set(uri, { tree: now.tree, names });
			for (const n of names) {
				let users = ix.files.get(n);
				if (!users) {
					users = new Set();
					ix.files.set(n, users);
					ix.version++;
				}
				users.add(uri);
			}
		}
		ix.cursor = this.logEnd;
		return ix;
	}

	/**
	 * What other files' diagnostics can depend on in this file, as a string: for nginx its
	 * blocks, top-level directive names, leading comments and the directives cross-file checks
	 * read (includes, upstreams and their servers, passes, read timeouts, uwsgi_param, user,
	 * zones, variable definitions, log formats); for uWSGI and command files every option line.
	 * When an edit leaves it unchanged, no other file's diagnostics can change (named captures and
	 * third-party setters aside: the re-validation after a pause covers those). Kept per parsed tree.
	 */
	exportsKey(uri: string): string | undefined {
		const e = this.entries.get(uri);
		if (!e) { return undefined; }
		if (e.kind !== 'nginx') {
			const docs = e.kind === 'uwsgi' ? [this.ini(uri)!] : (this.commands(uri)?.configs.map(c => c.doc) ?? []);
			const tree: object = e.kind === 'uwsgi' ? docs[0] : (this.commands(uri) ?? e);
			let key = exportKeys.get(tree);
			if (key === undefined) {
				key = 'u' + docs.map(doc => doc.entries.map(x => `${x.key.text}=${x.value.text}`).join('\n')).join('\n--\n');
				exportKeys.set(tree, key);
			}
			return key;
		}
		const file = this.nginx(uri)!;
		let key = exportKeys.get(file);
		if (key === undefined) {
			const t = file.tree;
			const text = file.text;
			const parts: string[] = ['n'];
			for (const c of file.comments) {
				if (c.offset > 4096) { break; }
				parts.push(text.slice(c.offset, c.offset + c.length));
			}
			for (let d = 0; d < t.directiveCount; d++) {
				const name = text.slice(t.tokStart[t.dirTok[d]], t.tokEnd[t.dirTok[d]]);
				const crossFile = CROSS_FILE_DIRECTIVE.test(name);
				if (t.dirBlock[d] < 0 && t.dirParent[d] !== 0 && !crossFile) { continue; }
				let part = `${name}@${t.dirParent[d]}${t.dirBlock[d] >= 0 ? '{' : ''}`;
				// the arguments only: up to `;`, or up to `{` for a block (not the block's body, which its own directives cover)
				if (crossFile) { part += ' ' + text.slice(t.tokEnd[t.dirTok[d]], t.dirSemi[d] >= 0 ? t.dirSemi[d] : t.dirBlock[d] >= 0 ? t.blockOpen[t.dirBlock[d]] : t.dirEnd[d]); }
				parts.push(part);
			}
			key = parts.join('\n');
			exportKeys.set(file, key);
		}
		return key;
	}

	*uwsgiFiles(): Iterable<UwsgiConfigItem> {
		for (const e of this.entries.values()) {
			if (e.kind === 'uwsgi' || e.kind === 'command') { yield* this.uwsgiFilesOf(e.uri); }
		}
	}

	*uwsgiFilesOf(uri: string): Iterable<UwsgiConfigItem> {
		const e = this.entries.get(uri);
		if (e?.kind === 'uwsgi') { yield { uri, doc: this.ini(uri)! }; }
		if (e?.kind === 'command') {
			for (const c of this.commands(uri)!.configs) { yield c.cwd ? { uri, doc: c.doc, cwd: c.cwd } : { uri, doc: c.doc }; }
		}
	}

	/** uwsgiFiles with, for each command line, the workspace files it loads (`--ini app.ini`). */
	private *deployments(): Iterable<UwsgiConfigItem> {
		const uris = [...this.entries.keys()];
		for (const item of this.uwsgiFiles()) {
			const isCommand = this.entries.get(item.uri)?.kind === 'command';
			yield isCommand ? { ...item, loads: configLoads(item.uri, item.doc, uris).flatMap(l => l.targets) } : item;
		}
	}

	*nginxFiles(): Iterable<{ uri: string; file: NginxFile }> {
		for (const e of this.entries.values()) {
			if (e.kind === 'nginx') { yield { uri: e.uri, file: this.nginx(e.uri)! }; }
		}
	}
}
