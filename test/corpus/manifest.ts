/**
 * The corpus manifest (manifest.jsonl: one row per file with the oracle's verdicts), shared by
 * every corpus run. A missing manifest is an error, never a skip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToUri, type LanguageKind, type LanguageService } from '../../server/src/service';

export interface ManifestRow { readonly file: string; readonly repo?: string; readonly notes?: string }

/** The rows of DIR/manifest.jsonl, or undefined after saying on stderr why they cannot be read. */
export function readManifest<R extends ManifestRow>(tool: string, dir: string): R[] | undefined {
	const manifest = path.join(dir, 'manifest.jsonl');
	if (!fs.existsSync(manifest)) {
		process.stderr.write(`${tool}: ${manifest} not found — a corpus run needs the corpus; it does not skip\n`);
		return undefined;
	}
	return fs.readFileSync(manifest, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as R);
}

/**
 * The files of one repository form a workspace; documentation snippets, fragments and nginx's own
 * test configs stand alone.
 */
export function workspacesOf<R extends ManifestRow>(rows: readonly R[]): Map<string, R[]> {
	const byRepo = new Map<string, R[]>();
	for (const r of rows) {
		const key = /snippet|fragment|nginx-tests config/.test(r.notes ?? '') ? `${r.repo}#${r.file}` : r.repo ?? r.file;
		const list = byRepo.get(key);
		if (list) { list.push(r); } else { byRepo.set(key, [r]); }
	}
	return byRepo;
}

/** Puts the files of one workspace group into `service`; returns each row with its document. */
export function openGroup<R extends ManifestRow & { readonly kind: LanguageKind; readonly path?: string }>(service: LanguageService, dir: string, group: readonly R[]): { r: R; doc: TextDocument }[] {
	// a file of a repository sits where it sits in the repository (so its includes find each other); others where the corpus keeps them
	const inRepo = group.length > 1 && group.every(r => r.repo && r.path);
	return group.map(r => {
		const text = fs.readFileSync(path.join(dir, r.file), 'utf8');
		const where = inRepo ? path.resolve(dir, 'repos', r.repo!, r.path!) : path.resolve(dir, r.file);
		const doc = TextDocument.create(pathToUri(where), r.kind === 'nginx' ? 'nginx' : 'uwsgi-ini', 1, text);
		service.workspace.set(doc, r.kind);
		return { r, doc };
	});
}
