/**
 * Which language a file is: the same rules as the extension's `contributes.languages`
 * (file names and folders), plus content sniffing for files those rules leave open.
 * Host files that run uWSGI (Dockerfiles, compose files, units, ...) are `command`.
 * Used by the server (for `ini`/plain documents and watched files) and by the CLI walker.
 */
import type { CommandHost } from '../parser/commands/nodes';

/** `command`: a host file (Dockerfile, compose, systemd unit, supervisor, Procfile, shell script) that runs uWSGI. */
export type LanguageKind = 'nginx' | 'uwsgi' | 'command';

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

const SUPERVISOR_SECTION = /^[ \t]*\[(?:program|fcgi-program|eventlistener|group):[^\]\n]*\][ \t\r]*$|^[ \t]*\[supervisord\][ \t\r]*$/my;

/**
 * Whether a text has a supervisor section line. The regular expression is tried only at the
 * `[`s that start a line (after blanks), so a large file without any costs one `indexOf` pass.
 */
function hasSupervisorSection(text: string): boolean {
	for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) {
		let k = i - 1;
		while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) { k--; }
		const before = k < 0 ? 10 : text.charCodeAt(k);
		if (before !== 10 && before !== 13 && before !== 0x2028 && before !== 0x2029) { continue; }
		SUPERVISOR_SECTION.lastIndex = k + 1;
		if (SUPERVISOR_SECTION.test(text)) { return true; }
	}
	return false;
}
const SHEBANG = /^#![^\n]*\b(?:ba|da|z|a|k)?sh\b/;

/**
 * Which kind of host file a path is, if any (by name; `.conf` by a supervisor section and
 * extension-less files by a shell shebang, when the text is given). Whether it runs uWSGI is
 * another question: see `commandHostOf`.
 */
export function hostKindOf(path: string, text?: string): CommandHost | undefined {
	const parts = splitPath(path);
	const base = parts[parts.length - 1] ?? '';
	const lower = base.toLowerCase();
	if (lower === 'dockerfile' || lower === 'containerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile') || lower.endsWith('.containerfile')) { return 'dockerfile'; }
	if (/^(?:docker-)?compose(?:[.-][\w.-]*)?\.ya?ml$/.test(lower)) { return 'compose'; }
	if (lower.endsWith('.service')) { return 'systemd'; }
	if (base === 'Procfile' || base.startsWith('Procfile.')) { return 'procfile'; }
	if (lower.endsWith('.sh') || lower.endsWith('.bash')) { return 'shell'; }
	if (lower === 'supervisord.conf') { return 'supervisor'; }
	if (text === undefined) { return undefined; }
	if (lower.endsWith('.conf') && hasSupervisorSection(text)) { return 'supervisor'; }
	if (!base.includes('.') && SHEBANG.test(text)) { return 'shell'; }
	return undefined;
}

/** A host file that mentions uWSGI (only those are ours: the rest of a Dockerfile or a script is left alone). */
export function commandHostOf(path: string, text: string): CommandHost | undefined {
	const host = hostKindOf(path, text);
	return host && /uwsgi/.test(text) ? host : undefined;
}

/** By path, then by content (`[uwsgi]` section for `.ini`, nginx shape for `.conf` and extension-less files). */
export function detectLanguage(path: string, text?: string): LanguageKind | undefined {
	// a byte-order mark is no part of what the content looks like (the checks report it)
	if (text !== undefined && text.charCodeAt(0) === 0xfeff) { text = text.slice(1); }
	if (text !== undefined && commandHostOf(path, text)) { return 'command'; }
	if (text !== undefined && hostKindOf(path, text)) { return undefined; }
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
	if (languageId === 'ini') { return hasUwsgiSection(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) ? 'uwsgi' : undefined; }
	return undefined;
}
