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

/** Read-only view of the workspace the analysis may consult. */
export interface WorkspaceView {
	/** Every uWSGI file known to the workspace, parsed. */
	uwsgiFiles(): Iterable<{ readonly uri: string; readonly doc: IniDocument }>;
	nginxFiles(): Iterable<{ readonly uri: string; readonly file: NginxFile }>;
	/** The include graph of the nginx files, built once per workspace state and include settings. */
	nginxGraph(settings: IncludeSettings): NginxIncludeGraph;
	/** The uWSGI ⇄ nginx socket graph, built once per workspace state. */
	socketGraph(): SocketGraph;
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
