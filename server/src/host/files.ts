/**
 * Node file-system access shared by the adapters (the LSP server and the CLI): walking folders
 * for config files and reading them safely. The language service itself never touches disk.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_NAME, detectLanguage, type LanguageKind } from '../service/languageDetection';

export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', 'dist', 'out', '.cache']);
/** Files larger than this are not sniffed or loaded when found by a walk. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Reads a text file; binary content (NUL bytes) and read errors come back as a reason, never
 * thrown. `stat`: the file's stat when the caller has just taken it (not taken twice).
 */
export function readTextFile(file: string, stat?: fs.Stats): ReadResult {
	let buf: Buffer;
	try {
		// a FIFO would block the read forever and a device (/dev/zero) never ends: regular files only
		const st = stat ?? fs.statSync(file);
		if (st.isDirectory()) { return { ok: false, reason: 'is a directory' }; }
		if (!st.isFile()) { return { ok: false, reason: 'not a regular file' }; }
		if (st.size > MAX_FILE_BYTES * 4) { return { ok: false, reason: `too large (${st.size} bytes)` }; }
		buf = fs.readFileSync(file);
	} catch (e) {
		const err = e as NodeJS.ErrnoException;
		const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : (err.message || String(e));
		return { ok: false, reason };
	}
	if (buf.indexOf(0) >= 0) { return { ok: false, reason: 'binary file (contains NUL bytes)' }; }
	// a byte-order mark stays: nginx and uWSGI read it as text (nginx-byte-order-mark, uwsgi-no-uwsgi-section)
	return { ok: true, text: buf.toString('utf8') };
}

export interface FoundFile {
	readonly path: string;
	readonly kind: LanguageKind;
	readonly text: string;
}

/**
 * Walks a folder (iteratively, without following symlinked folders) and returns every nginx or
 * uWSGI file, detected by path rules and content sniffing. Unreadable entries are skipped.
 */
export function findConfigFiles(root: string, limit = 20000): FoundFile[] {
	const out: FoundFile[] = [];
	const stack = [root];
	while (stack.length && out.length < limit) {
		const dir = stack.pop()!;
		let names: fs.Dirent[];
		try {
			names = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			continue;
		}
		names.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
		for (const d of names) {
			const full = path.join(dir, d.name);
			if (d.isDirectory()) {
				if (!SKIPPED_FOLDERS.has(d.name)) { stack.push(full); }
				continue;
			}
			if (!d.isFile()) { continue; }
			const found = classifyFile(full);
			if (found) { out.push(found); }
		}
	}
	return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Host files that may run uWSGI (Dockerfile, compose, unit, Procfile, script). */
const HOST_NAME = /^(dockerfile|containerfile)([.-].*)?$|\.(dockerfile|containerfile|service|sh|bash)$|^(docker-)?compose([.-].*)?\.ya?ml$|^procfile(\..*)?$/i;
/** Extension-less files are read (for a shell shebang) only when this small. */
const MAX_SCRIPT_BYTES = 256 * 1024;

/** Reads a file found by a walk when its name makes it a candidate and its content confirms it. */
export function classifyFile(file: string): FoundFile | undefined {
	const base = path.basename(file);
	const parent = path.basename(path.dirname(file));
	const extensionless = !base.includes('.');
	if (!CONFIG_NAME.test(base) && !HOST_NAME.test(base) && !extensionless) { return undefined; }
	const sitesFile = extensionless && (parent === 'sites-available' || parent === 'sites-enabled');
	let st: fs.Stats;
	try {
		st = fs.statSync(file);
		if (!st.isFile() || st.size > MAX_FILE_BYTES) { return undefined; }
		// other extension-less files are candidates only as small shell scripts
		if (extensionless && !sitesFile && !HOST_NAME.test(base) && st.size > MAX_SCRIPT_BYTES) { return undefined; }
	} catch {
		return undefined;
	}
	const r = readTextFile(file, st);
	if (!r.ok) { return undefined; }
	const kind = detectLanguage(file, r.text.charCodeAt(0) === 0xfeff ? r.text.slice(1) : r.text);
	// an extension-less file outside sites-* folders counts only as a script that runs uWSGI
	if (extensionless && !sitesFile && kind !== 'command') { return undefined; }
	return kind ? { path: file, kind, text: r.text } : undefined;
}
