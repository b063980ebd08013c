/**
 * What a validator sees: the parsed file, a way to report, and a read-only view of the rest
 * of the workspace (for checks that depend on other files).
 */
import type { IniDocument } from '../parser/ini/nodes';
import type { NginxFile } from '../parser/nginx/nodes';
import type { Settings } from '../service/settings';
import type { Report } from './findings';
import type { IncludeSettings, NginxIncludeGraph } from './nginx/includes';
import type { SocketGraph } from './seam/socketGraph';

export interface UwsgiConfigItem {
	readonly uri: string;
	readonly doc: IniDocument;
	/** For a command line: the folder uWSGI starts in, when the host file says. */
	readonly cwd?: string;
	/** For a command line: the workspace files it loads (`--ini`, `--yaml`, a positional `app.ini`). */
	readonly loads?: readonly string[];
}

/** Read-only view of the workspace the analysis may consult. */
export interface WorkspaceView {
	/**
	 * Every uWSGI config known to the workspace, parsed: ini files, and each uWSGI command line of a
	 * host file (Dockerfile, compose, unit, script, ...) as its ini, with the folder it starts in.
	 */
	uwsgiFiles(): Iterable<UwsgiConfigItem>;
	/** The uWSGI configs of one file (as uwsgiFiles gives them): one for an ini file, one per command line of a host file. */
	uwsgiFilesOf(uri: string): Iterable<UwsgiConfigItem>;
	nginxFiles(): Iterable<{ readonly uri: string; readonly file: NginxFile }>;
	/** The include graph of the nginx files, kept current with the files and include settings. */
	nginxGraph(settings: IncludeSettings): NginxIncludeGraph;
	/** The uWSGI ⇄ nginx socket graph, kept current file by file. */
	socketGraph(): SocketGraph;
	/**
	 * Every name `collect` finds in the nginx (uWSGI) files of the workspace, with the files that
	 * hold it, kept current file by file: after an edit only the edited file is collected again.
	 * `key` names the index.
	 */
	/**
	 * A number that changes whenever any file of the workspace changes: a cache of something
	 * derived from every file can key on it (rebuilt once per change, not once per check).
	 */
	changeCount(): number;
	/** The files changed since `changeCount()` gave `count`, or undefined when that is too far back (derive from every file again). */
	changedSince(count: number): ReadonlySet<string> | undefined;
	nginxNames(key: string, collect: (file: NginxFile) => Iterable<string>): NameIndex;
	uwsgiNames(key: string, collect: (doc: IniDocument) => Iterable<string>): NameIndex;
}

export interface NameIndex {
	/** Name → URIs of the files that hold it. */
	readonly files: ReadonlyMap<string, ReadonlySet<string>>;
	/** Bumped whenever a name appears or disappears. */
	readonly version: number;
}

export interface UwsgiContext {
	readonly uri: string;
	readonly doc: IniDocument;
	readonly settings: Settings;
	readonly workspace: WorkspaceView;
	readonly report: Report;
}

export interface NginxContext {
	readonly uri: string;
	readonly file: NginxFile;
	readonly settings: Settings;
	readonly workspace: WorkspaceView;
	readonly report: Report;
}

export type UwsgiValidator = (ctx: UwsgiContext) => void;
export type NginxValidator = (ctx: NginxContext) => void;
