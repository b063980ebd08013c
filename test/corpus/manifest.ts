/**
 * The corpus manifest (manifest.jsonl: one row per file with the oracle's verdicts), shared by
 * every corpus run. A missing manifest is an error, never a skip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
