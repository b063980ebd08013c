/**
 * Which language a file is: the same rules as the extension's `contributes.languages`
 * (file names and folders), plus content sniffing for files those rules leave open.
 * Host files that run uWSGI (Dockerfiles, compose files, units, ...) are `command`.
 * Used by the server (for `ini`/plain documents and watched files) and by the CLI walker.
 */
import type { CommandHost } from '../parser/commands/nodes';
import { hasForeignTemplateSyntax, IMAGE_TEMPLATE_DIR, TEMPLATE_DIR_VARIABLE, TEMPLATE_SUFFIXES, templateBasePath } from '../parser/nginx/template';

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

/**
 * By path alone (the rules of package.json); undefined when the path says nothing. A config
 * template (`x.conf.template`, `.tpl`, `.sample`) is nginx by path where the config itself would
 * be (an nginx folder, `nginx.conf.*`); elsewhere its content decides (`detectLanguage`).
 */
export function languageFromPath(path: string): LanguageKind | undefined {
	const base = templateBasePath(path);
	if (base !== undefined) { return plainLanguageFromPath(base) === 'nginx' ? 'nginx' : undefined; }
	return plainLanguageFromPath(path);
}

function plainLanguageFromPath(path: string): LanguageKind | undefined {
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

/** A Dockerfile or compose file that hands templates to the nginx image (its environment fills them in). */
const FEEDS_TEMPLATES = new RegExp(`${IMAGE_TEMPLATE_DIR.replace(/\//g, '\\/')}|${TEMPLATE_DIR_VARIABLE}`);

/**
 * A host file that is ours: one that mentions uWSGI (its command lines are checked; the rest of a
 * Dockerfile or a script is left alone), a Dockerfile that gives the nginx image its templates,
 * or a compose file that mentions nginx (it may mount templates or build an image that copies
 * them: hover on a template's `${VAR}` shows the environment it sets).
 */
export function commandHostOf(path: string, text: string): CommandHost | undefined {
	const host = hostKindOf(path, text);
	if (!host) { return undefined; }
	if (/uwsgi/.test(text)) { return host; }
	if (host === 'compose') { return /nginx/i.test(text) ? host : undefined; }
	return host === 'dockerfile' && FEEDS_TEMPLATES.test(text) ? host : undefined;
}

/**
 * File names that may be configs, before their content is read: what the CLI walker reads and
 * the server watches (nginx and uWSGI names, `.conf`/`.ini`/`.nginx`, config templates).
 */
export const CONFIG_NAME = new RegExp(`(\\.(conf|ini|nginx)$|^nginx\\.conf|_params$|^mime\\.types$|\\.conf(${TEMPLATE_SUFFIXES.map(s => s.replace('.', '\\.')).join('|')})$)`);

/** Glob patterns of the same names, for file watchers (every `.conf`, `.ini`, ..., and `.conf.template`, `.conf.tpl`, `.conf.sample`). */
export const CONFIG_GLOBS: readonly string[] = ['**/*.conf', '**/*.ini', '**/*.nginx', '**/nginx.conf*', '**/*_params', '**/mime.types', '**/sites-available/*', '**/sites-enabled/*',
	...TEMPLATE_SUFFIXES.map(s => `**/*.conf${s}`)];

/**
 * By path, then by content (`[uwsgi]` section for `.ini`, nginx shape for `.conf` and
 * extension-less files). A config template is nginx only when its path or its content says so,
 * and never while it holds another template language's `{{ }}` or `{% %}`.
 */
export function detectLanguage(path: string, text?: string): LanguageKind | undefined {
	// a byte-order mark is no part of what the content looks like (the checks report it)
	if (text !== undefined && text.charCodeAt(0) === 0xfeff) { text = text.slice(1); }
	if (text !== undefined && commandHostOf(path, text)) { return 'command'; }
	if (text !== undefined && hostKindOf(path, text)) { return undefined; }
	if (templateBasePath(path) !== undefined) {
		if (text === undefined) { return languageFromPath(path); }
		if (hasForeignTemplateSyntax(text)) { return undefined; }
		return languageFromPath(path) ?? (looksLikeNginx(text) ? 'nginx' : undefined);
	}
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
