/**
 * nginx config templates: files such as `default.conf.template` that are nginx configs with
 * `${VAR}` parts filled in when a container starts.
 *
 * The official nginx image (docker-library's entrypoint script `20-envsubst-on-templates.sh`)
 * does this before nginx starts, when its command is nginx: it finds every file under
 * `/etc/nginx/templates` (NGINX_ENVSUBST_TEMPLATE_DIR) whose name ends in `.template`
 * (NGINX_ENVSUBST_TEMPLATE_SUFFIX), sub-folders included, and writes it through `envsubst` to
 * `/etc/nginx/conf.d` (NGINX_ENVSUBST_OUTPUT_DIR) under the same relative path minus the
 * suffix: `templates/default.conf.template` becomes `conf.d/default.conf`, which the image's
 * nginx.conf includes with `include /etc/nginx/conf.d/*.conf;`. envsubst is given the names of
 * the variables defined in the container's environment (only those matching
 * NGINX_ENVSUBST_FILTER, when set), and replaces `$NAME` and `${NAME}` of those names only: nginx's
 * own `$host` and any `${X}` the environment does not define reach nginx unchanged.
 *
 * `.tpl` and `.sample` copies of a config are filled in by other tools (or by hand); they are
 * nginx configs all the same when their content is.
 *
 * Everything here works on file names and text only (no file system).
 */

/** Endings of a template's name after the config's own `.conf`, in the order tools use them. */
export const TEMPLATE_SUFFIXES: readonly string[] = ['.template', '.tpl', '.sample'];

/** The suffix the nginx image's entrypoint looks for by default. */
export const IMAGE_TEMPLATE_SUFFIX = '.template';
/** Where the nginx image reads templates from, and writes their output to, by default. */
export const IMAGE_TEMPLATE_DIR = '/etc/nginx/templates';
export const IMAGE_OUTPUT_DIR = '/etc/nginx/conf.d';
/** The environment variable of the image that moves the templates folder. */
export const TEMPLATE_DIR_VARIABLE = 'NGINX_ENVSUBST_TEMPLATE_DIR';

/** The glob alternatives of the template endings (`{template,tpl,sample}`), for watchers and selectors. */
export const TEMPLATE_SUFFIX_GLOB = `{${TEMPLATE_SUFFIXES.map(s => s.slice(1)).join(',')}}`;

function baseName(path: string): string {
	const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
	return path.slice(i + 1);
}

/** The template suffix of a file name (`x.conf.template` → `.template`), if it is the name of a config template. */
export function templateSuffixOf(path: string): string | undefined {
	const lower = baseName(path).toLowerCase();
	for (const s of TEMPLATE_SUFFIXES) {
		if (lower.endsWith('.conf' + s) && lower.length > 5 + s.length) { return s; }
	}
	return undefined;
}

/** Whether a path names an nginx config template (by name: the content decides whether it is nginx). */
export function isTemplatePath(path: string): boolean {
	return templateSuffixOf(path) !== undefined;
}

/** The path without its template suffix (`a/default.conf.template` → `a/default.conf`), or undefined. */
export function templateBasePath(path: string): string | undefined {
	const s = templateSuffixOf(path);
	return s ? path.slice(0, path.length - s.length) : undefined;
}

/**
 * Where the nginx image writes a template's output, for a `.template` file below a folder named
 * `templates` (the image's convention): `…/templates/sub/app.conf.template` →
 * `/etc/nginx/conf.d/sub/app.conf`. Undefined for other files.
 */
export function templateOutputPath(path: string): string | undefined {
	if (templateSuffixOf(path) !== IMAGE_TEMPLATE_SUFFIX) { return undefined; }
	const parts = path.split('/');
	const at = parts.lastIndexOf('templates', parts.length - 2);
	if (at < 0) { return undefined; }
	const rel = parts.slice(at + 1).join('/');
	return `${IMAGE_OUTPUT_DIR}/${rel.slice(0, rel.length - IMAGE_TEMPLATE_SUFFIX.length)}`;
}

/** Another template language's markers (Jinja, Go and Helm, Mustache): such a file is not an nginx config yet. */
export function hasForeignTemplateSyntax(text: string): boolean {
	return /\{\{|\{%/.test(text);
}

/** One `${NAME}` or `$NAME` the container start fills in. */
export interface Placeholder {
	readonly offset: number;
	readonly length: number;
	readonly name: string;
	readonly braced: boolean;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * The placeholders in `text` between `start` and `end`: every `${NAME}`, and `$NAME` when the
 * name has an upper-case letter (environment names are written so; nginx's own variables are
 * lower case, and `$host` must stay nginx's). Which of them the environment really defines is
 * known only where the container runs, so each is a value filled in at start: never judged.
 */
export function placeholdersIn(text: string, start = 0, end = text.length): Placeholder[] {
	const out: Placeholder[] = [];
	const first = text.indexOf('$', start);
	if (first < 0 || first >= end) { return out; }
	VARIABLE.lastIndex = first;
	for (let m = VARIABLE.exec(text); m && m.index < end; m = VARIABLE.exec(text)) {
		if (m.index + m[0].length > end) { break; }
		const braced = m[1] !== undefined;
		const name = m[1] ?? m[2];
		if (braced || /[A-Z]/.test(name)) { out.push({ offset: m.index, length: m[0].length, name, braced }); }
	}
	return out;
}
