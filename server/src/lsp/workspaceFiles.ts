/**
 * Keeps the workspace model current with files that are not open: an initial scan of the
 * workspace folders, then `workspace/didChangeWatchedFiles` (create, change, delete; a rename
 * arrives as delete + create). Open documents always win over disk content.
 */
import { FileChangeType, type DidChangeWatchedFilesParams, type TextDocuments, type WorkspaceFolder } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile, findConfigFiles } from '../host/files';
import { CONFIG_GLOBS } from '../service/languageDetection';
import type { LanguageService } from '../service/languageService';
import { pathToUri, uriToPath } from '../utils/uri';

/** Glob patterns the client is asked to watch (also listed in docs/ARCHITECTURE.md). */
export const WATCH_PATTERNS = [...CONFIG_GLOBS,
	// host files that may run uWSGI (or give the nginx image its templates)
	'**/Dockerfile*', '**/*.dockerfile', '**/Containerfile*', '**/*compose*.yml', '**/*compose*.yaml', '**/*.service', '**/Procfile*', '**/*.sh', '**/*.bash'];

export class WorkspaceFiles {
	constructor(
		private readonly service: LanguageService,
		private readonly documents: TextDocuments<TextDocument>,
		private readonly log: (message: string) => void,
	) {}

	scan(folders: readonly WorkspaceFolder[]): number {
		let count = 0;
		for (const folder of folders) {
			const root = uriToPath(folder.uri);
			if (!root) { continue; }
			const started = Date.now();
			const found = findConfigFiles(root);
			for (const f of found) {
				const uri = pathToUri(f.path);
				if (this.documents.get(uri)) { continue; }
				this.service.workspace.setText(uri, f.kind, f.text);
				count++;
			}
			this.log(`indexed ${found.length} config files under ${root} in ${Date.now() - started} ms`);
		}
		return count;
	}

	/** Applies watched-file events; returns whether the workspace changed. */
	changed(params: DidChangeWatchedFilesParams): boolean {
		let any = false;
		for (const change of params.changes) {
			if (this.documents.get(change.uri)) { continue; }
			if (change.type === FileChangeType.Deleted) {
				any = this.service.workspace.delete(change.uri) || any;
				continue;
			}
			any = this.reload(change.uri) || any;
		}
		return any;
	}

	/** Re-reads a file from disk into the workspace (or drops it when it is gone or no longer a config). */
	reload(uri: string): boolean {
		const file = uriToPath(uri);
		if (!file) { return false; }
		const found = classifyFile(file);
		if (!found) { return this.service.workspace.delete(uri); }
		this.service.workspace.setText(uri, found.kind, found.text);
		return true;
	}
}
