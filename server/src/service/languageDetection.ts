/**
 * Which language a file is: the same rules as the extension's `contributes.languages`
 * (file names and folders), plus content sniffing for files those rules leave open.
 * Used by the server (for `ini`/plain documents and watched files) and by the CLI walker.
 */

export type LanguageKind = 'nginx' | 'uwsgi';

const NGINX_FILE_NAMES: ReadonlySet<string> = new Set([
	'nginx.conf', 'uwsgi_params', 'fastcgi_params', 'scgi_params', 'proxy_params', 'mime.types',
]);
const NGINX_FOLDERS: ReadonlySet<string> = new Set(['nginx', 'conf.d', 'sites-available', 'sites-enabled', 'snippets']);
const UWSGI_FOLDERS: ReadonlySet<string> = new Set(['uwsgi', 'vassals']);

function splitPath(path: string): string[] {
	return path.split(/[\\/]+/).filter(Boolean);
}

/** By path alone (the rules of package.json); undefined when the path says nothing. */
export function languageFromPath(path: string): LanguageKind | undefined {
	const parts = splitPath(path);
	const base = parts[parts.length - 1] ?? '';
	const folders = parts.slice(0, -1);
	const lower = base.toLowerCase();
	if (NGINX_FILE_NAMES.has(base) || /^nginx\.conf\./.test(base) || lower.endsWith('.nginx')) { return 'nginx'; }
	if (base === 'uwsgi.ini' || (lower.endsWith('.ini') && lower.includes('uwsgi'))) { return 'uwsgi'; }
	if (lower.endsWith('.conf') && folders.some(f => NGINX_FOLDERS.has(f))) { return 'nginx'; }
	if (lower.endsWith('.ini') && folders.some(f => UWSGI_FOLDERS.has(f))) { return 'uwsgi'; }
	if (folders.length && (folders[folders.length - 1] === 'sites-available' || folders[folders.length - 1] === 'sites-enabled') && !base.includes('.')) {
		return 'nginx';
	}
	return undefined;
}

/** An ini file is uWSGI's when some line is exactly a `[uwsgi]` header. */
export function hasUwsgiSection(text: string): boolean {
	return /^[ \t]*\[uwsgi\][ \t\r]*$/m.test(text);
}

/**
 * Content sniffing for an nginx config: a known block opener (`http {`, `server {`,
 * `location ... {`, `upstream x {`, `events {`) or a pass/params directive ending in `;`.
 */
export function looksLikeNginx(text: string): boolean {
	const head = text.length > 65536 ? text.slice(0, 65536) : text;
	return /^[ \t]*(?:http|server|events|stream|mail|upstream\s+\S+|location\s+[^\n{]*)\s*\{/m.test(head)
		|| /^[ \t]*(?:uwsgi_pass|proxy_pass|fastcgi_pass|uwsgi_param|fastcgi_param|worker_processes|include)\s+[^\n;]*;/m.test(head);
}

/** By path, then by content (`[uwsgi]` section for `.ini`, nginx shape for `.conf` and extension-less files). */
export function detectLanguage(path: string, text?: string): LanguageKind | undefined {
	const byPath = languageFromPath(path);
	if (byPath) { return byPath; }
	if (text === undefined) { return undefined; }
	const lower = path.toLowerCase();
	if (lower.endsWith('.ini')) { return hasUwsgiSection(text) ? 'uwsgi' : undefined; }
	if (lower.endsWith('.conf') || !/\.[^/\\]+$/.test(lower)) {
		if (hasUwsgiSection(text)) { return 'uwsgi'; }
		if (looksLikeNginx(text)) { return 'nginx'; }
	}
	return undefined;
}

/** From an editor language id (and the text, for plain `ini` documents). */
export function languageFromLanguageId(languageId: string, text: string): LanguageKind | undefined {
	if (languageId === 'nginx') { return 'nginx'; }
	if (languageId === 'uwsgi-ini') { return 'uwsgi'; }
	if (languageId === 'ini') { return hasUwsgiSection(text) ? 'uwsgi' : undefined; }
	return undefined;
}
