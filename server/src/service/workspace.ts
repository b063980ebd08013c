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
import { parseIni } from '../parser/ini/parser';
import type { NginxFile } from '../parser/nginx/nodes';
import { parseNginx } from '../parser/nginx/parser';
import { commandConfigs, type CommandConfig } from '../analysis/commands/invocation';
import { configLoads } from '../analysis/uwsgi/loads';
import type { UwsgiConfigItem, WorkspaceView as View } from '../analysis/context';
import type { CommandFile } from '../parser/commands/nodes';
import { parseCommandFile } from '../parser/commands/hosts';
import { uriToPath } from '../utils/uri';
import { hostKindOf, type LanguageKind } from './languageDetection';

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

export class Workspace implements View {
	private readonly entries = new Map<string, Entry>();
	/** Bumped on every change; caches of derived data key on it. */
	private version = 0;
	private graph: { version: number; key: string; graph: NginxIncludeGraph } | undefined;
	private sockets: { version: number; graph: SocketGraph } | undefined;

	/** Adds or replaces a file. Trees are parsed lazily and kept while the text is the same. */
	set(document: TextDocument, kind: LanguageKind): WorkspaceEntry {
		const old = this.entries.get(document.uri);
		const entry: Entry = { uri: document.uri, kind, document };
		if (old && old.kind === kind && old.text !== undefined && old.text === document.getText()) {
			entry.text = old.text;
			entry.ini = old.ini;
			entry.nginx = old.nginx;
			entry.commands = old.commands;
		}
		this.entries.set(document.uri, entry);
		this.version++;
		return entry;
	}

	setText(uri: string, kind: LanguageKind, text: string, version = 0): WorkspaceEntry {
		const languageId = kind === 'nginx' ? 'nginx' : kind === 'uwsgi' ? 'uwsgi-ini' : 'plaintext';
		return this.set(TextDocument.create(uri, languageId, version, text), kind);
	}

	delete(uri: string): boolean {
		this.version++;
		return this.entries.delete(uri);
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
		return (this.fresh(e).ini ??= parseIni(e.text!));
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
			e.text = text;
			e.ini = undefined;
			e.nginx = undefined;
			e.commands = undefined;
			this.version++;
		}
		return e;
	}

	socketGraph(): SocketGraph {
		for (const e of this.entries.values()) { this.fresh(e); }
		if (!this.sockets || this.sockets.version !== this.version) {
			this.sockets = { version: this.version, graph: new SocketGraph(this.deployments(), this.nginxFiles()) };
		}
		return this.sockets.graph;
	}

	nginxGraph(settings: IncludeSettings): NginxIncludeGraph {
		// documents edited in place bump the version when read
		for (const e of this.entries.values()) { if (e.kind === 'nginx') { this.fresh(e); } }
		const key = JSON.stringify([settings.prefix ?? '', settings.pathMappings ?? {}]);
		if (!this.graph || this.graph.version !== this.version || this.graph.key !== key) {
			this.graph = { version: this.version, key, graph: new NginxIncludeGraph(this.nginxFiles(), settings) };
		}
		return this.graph.graph;
	}

	*uwsgiFiles(): Iterable<UwsgiConfigItem> {
		for (const e of this.entries.values()) {
			if (e.kind === 'uwsgi') { yield { uri: e.uri, doc: this.ini(e.uri)! }; }
			if (e.kind === 'command') {
				for (const c of this.commands(e.uri)!.configs) { yield c.cwd ? { uri: e.uri, doc: c.doc, cwd: c.cwd } : { uri: e.uri, doc: c.doc }; }
			}
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
