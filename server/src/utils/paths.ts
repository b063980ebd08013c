/** POSIX path helpers over plain strings (the language service never touches the disk). */

/** Folds repeated slashes and `.`/`..` segments of an absolute path. */
export function normalizePath(p: string): string {
	const out: string[] = [];
	for (const seg of p.split('/')) {
		if (!seg || seg === '.') { continue; }
		if (seg === '..') { out.pop(); } else { out.push(seg); }
	}
	return '/' + out.join('/');
}

/** The folder of a path (`/` for a top-level file). */
export function dirname(p: string): string {
	const i = p.lastIndexOf('/');
	return i <= 0 ? '/' : p.slice(0, i);
}

/** `rel` resolved against `dir`, unless it is absolute. */
export function joinPath(dir: string, rel: string): string {
	return normalizePath(rel.startsWith('/') ? rel : `${dir}/${rel}`);
}
