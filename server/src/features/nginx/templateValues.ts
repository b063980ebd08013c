/**
 * Where an nginx config template gets its values: the compose services and Dockerfiles of the
 * workspace that hand the file to the nginx image (a bind mount or a COPY into its templates
 * folder), and the environment each gives the container (compose `environment` over the
 * Dockerfile's `ENV`; an `env_file` is named, not read). Hover on a `${VAR}` of a template shows it.
 */
import type { Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CommandFile } from '../../parser/commands/nodes';
import { composeServices, dockerfileStages, isNginxImage, type ComposeService, type DockerStage } from '../../parser/commands/containers';
import { IMAGE_OUTPUT_DIR, IMAGE_TEMPLATE_DIR, IMAGE_TEMPLATE_SUFFIX, placeholdersIn, TEMPLATE_DIR_VARIABLE } from '../../parser/nginx/template';
import { dirname, joinPath } from '../../utils/paths';
import { uriToPath } from '../../utils/uri';
import { Memo } from '../../utils/memo';

/** A compose file or Dockerfile of the workspace. */
export interface HostFileView {
	readonly uri: string;
	readonly file: CommandFile;
}

/** One variable a renderer sets, and where. */
export interface TemplateValue {
	/** undefined: passed on from the environment compose runs in (`- NAME`). */
	readonly value: string | undefined;
	readonly uri: string;
	readonly offset: number;
	/** `environment` of a compose service, or `ENV` of a Dockerfile. */
	readonly source: 'environment' | 'ENV';
}

/** A compose service or an image built from a Dockerfile that fills in the template. */
export interface TemplateRenderer {
	readonly kind: 'compose' | 'dockerfile';
	/** The compose file (at the service's key) or the Dockerfile (at the COPY). */
	readonly uri: string;
	readonly offset: number;
	readonly service?: string;
	/** The template's path in the container, and the file the entrypoint writes from it. */
	readonly containerPath: string;
	readonly outputPath: string;
	readonly env: ReadonlyMap<string, TemplateValue>;
	/** `env_file` entries of the service (not read: they may set more). */
	readonly envFiles: readonly string[];
}

const composeCache = new Memo<CommandFile, ComposeService[]>();
const dockerCache = new Memo<CommandFile, DockerStage[]>();

function servicesOf(f: CommandFile): ComposeService[] {
	let s = composeCache.get(f);
	if (!s) {
		s = composeServices(f.text);
		composeCache.set(f, s);
	}
	return s;
}

function stagesOf(f: CommandFile): DockerStage[] {
	let s = dockerCache.get(f);
	if (!s) {
		s = dockerfileStages(f.text);
		dockerCache.set(f, s);
	}
	return s;
}

function isHostPath(source: string): boolean {
	return source.startsWith('.') || source.startsWith('/');
}

function under(path: string, folder: string): string | undefined {
	if (path === folder) { return ''; }
	return path.startsWith(folder.endsWith('/') ? folder : folder + '/') ? path.slice(folder.replace(/\/$/, '').length + 1) : undefined;
}

function globMatch(pattern: string, name: string): boolean {
	const re = new RegExp('^' + pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
	return re.test(name);
}

/** Where a COPY of the build context puts `path`, if it copies it. */
function copiedTo(path: string, context: string, stage: DockerStage): { at: string; offset: number } | undefined {
	for (const copy of stage.copies) {
		for (const s of copy.sources) {
			const abs = joinPath(context, s);
			const base = path.slice(path.lastIndexOf('/') + 1);
			if (/[*?]/.test(s)) {
				if (dirname(path) === dirname(abs) && globMatch(abs.slice(abs.lastIndexOf('/') + 1), base)) { return { at: joinPath(copy.dest, base), offset: copy.offset }; }
				continue;
			}
			const rel = under(path, abs);
			if (rel === undefined) { continue; }
			if (rel === '') { return { at: copy.dest.endsWith('/') || copy.sources.length > 1 ? joinPath(copy.dest, base) : joinPath('/', copy.dest), offset: copy.offset }; }
			return { at: joinPath(copy.dest, rel), offset: copy.offset };
		}
	}
	return undefined;
}

/** The file the entrypoint writes from a template at `containerPath`, when it is one (in its templates folder, with its suffix). */
function outputOf(containerPath: string, env: ReadonlyMap<string, TemplateValue>): string | undefined {
	const dir = env.get(TEMPLATE_DIR_VARIABLE)?.value ?? IMAGE_TEMPLATE_DIR;
	const suffix = env.get('NGINX_ENVSUBST_TEMPLATE_SUFFIX')?.value ?? IMAGE_TEMPLATE_SUFFIX;
	const rel = under(containerPath, dir);
	if (!rel || !rel.endsWith(suffix)) { return undefined; }
	const out = env.get('NGINX_ENVSUBST_OUTPUT_DIR')?.value ?? IMAGE_OUTPUT_DIR;
	return joinPath(out, rel.slice(0, rel.length - suffix.length));
}

function envOf(uri: string, stage: DockerStage | undefined, service: ComposeService | undefined, composeUri: string | undefined): Map<string, TemplateValue> {
	const env = new Map<string, TemplateValue>();
	for (const e of stage?.env ?? []) { env.set(e.name, { value: e.value, uri, offset: e.offset, source: 'ENV' }); }
	for (const e of service?.environment ?? []) { env.set(e.name, { value: e.value, uri: composeUri!, offset: e.offset, source: 'environment' }); }
	return env;
}

/** Segments between two paths' folders (how far apart they are in the tree). */
function distance(a: string, b: string): number {
	const x = dirname(a).split('/');
	const y = dirname(b).split('/');
	let k = 0;
	while (k < x.length && k < y.length && x[k] === y[k]) { k++; }
	return x.length - k + y.length - k;
}

/** The compose services and Dockerfiles that fill in the template at `path`, nearest first. */
export function templateRenderers(path: string, files: Iterable<HostFileView>): TemplateRenderer[] {
	const composes: { uri: string; path: string; file: CommandFile }[] = [];
	const dockerfiles = new Map<string, { uri: string; file: CommandFile }>();
	for (const f of files) {
		const p = uriToPath(f.uri);
		if (!p) { continue; }
		if (f.file.host === 'compose') { composes.push({ uri: f.uri, path: p, file: f.file }); }
		if (f.file.host === 'dockerfile') { dockerfiles.set(p, { uri: f.uri, file: f.file }); }
	}
	const out: (TemplateRenderer & { distance: number })[] = [];
	const built = new Set<string>();
	for (const c of composes) {
		const dir = dirname(c.path);
		for (const service of servicesOf(c.file)) {
			let stage: DockerStage | undefined;
			let docker: { uri: string; file: CommandFile } | undefined;
			let context: string | undefined;
			if (service.build) {
				context = joinPath(dir, service.build.context);
				const dockerPath = joinPath(context, service.build.dockerfile ?? 'Dockerfile');
				docker = dockerfiles.get(dockerPath);
				if (docker) { built.add(dockerPath); }
				stage = docker ? stagesOf(docker.file).at(-1) : undefined;
			}
			if (!(service.image && isNginxImage(service.image.value)) && !(stage && isNginxImage(stage.from.value))) { continue; }
			const env = envOf(docker?.uri ?? c.uri, stage, service, c.uri);
			let containerPath: string | undefined;
			for (const m of service.volumes) {
				if (!isHostPath(m.source)) { continue; }
				const rel = under(path, joinPath(dir, m.source));
				if (rel !== undefined) { containerPath = rel ? joinPath(m.target, rel) : m.target; }
			}
			if (!containerPath && stage && context) { containerPath = copiedTo(path, context, stage)?.at; }
			const outputPath = containerPath && outputOf(containerPath, env);
			if (!containerPath || !outputPath) { continue; }
			out.push({
				kind: 'compose', uri: c.uri, offset: service.offset, service: service.name, containerPath, outputPath, env,
				envFiles: service.envFiles.map(e => e.value), distance: distance(path, c.path),
			});
		}
	}
	// an image built from a Dockerfile no compose file builds: its folder is the build context
	for (const [dockerPath, docker] of dockerfiles) {
		if (built.has(dockerPath)) { continue; }
		const stage = stagesOf(docker.file).at(-1);
		if (!stage || !isNginxImage(stage.from.value)) { continue; }
		const copy = copiedTo(path, dirname(dockerPath), stage);
		const env = envOf(docker.uri, stage, undefined, undefined);
		const outputPath = copy && outputOf(copy.at, env);
		if (!copy || !outputPath) { continue; }
		out.push({ kind: 'dockerfile', uri: docker.uri, offset: copy.offset, containerPath: copy.at, outputPath, env, envFiles: [], distance: distance(path, dockerPath) });
	}
	return out.sort((a, b) => a.distance - b.distance).map(({ distance: _, ...r }) => r);
}

function fileName(uri: string): string {
	const p = uriToPath(uri) ?? uri;
	return p.slice(p.lastIndexOf('/') + 1);
}

function where(r: TemplateRenderer): string {
	return r.kind === 'compose' ? `the compose service \`${r.service}\` (${fileName(r.uri)})` : `the image of ${fileName(r.uri)}`;
}

/** Hover on a placeholder of a template: what fills it in, and the value each renderer gives it. */
export function templateHover(document: TextDocument, offset: number, path: string, files: () => Iterable<HostFileView>): Hover | null {
	const text = document.getText();
	const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
	let lineEnd = text.indexOf('\n', offset);
	if (lineEnd < 0) { lineEnd = text.length; }
	const hit = placeholdersIn(text, lineStart, lineEnd).find(p => offset >= p.offset && offset <= p.offset + p.length);
	if (!hit) { return null; }
	const renderers = templateRenderers(path, files());
	const lines = [`**${text.slice(hit.offset, hit.offset + hit.length)}** — filled in when the container starts`, ''];
	if (!renderers.length) {
		lines.push(`envsubst replaces it with the container's \`${hit.name}\` when the nginx image starts (for the files in ${IMAGE_TEMPLATE_DIR}); without one it stays as written, and nginx reads it as its own variable. No compose service or Dockerfile of the workspace gives this file to the nginx image.`);
	}
	for (const r of renderers.slice(0, 3)) {
		const v = r.env.get(hit.name);
		if (v && v.value !== undefined) {
			const line = lineOf(v.uri, v.offset, files) + 1;
			lines.push(`\`${v.value}\` — \`${v.source}\` of ${where(r)}, [line ${line}](${v.uri}#L${line})`);
		} else if (v) {
			lines.push(`${where(r)} passes \`${hit.name}\` on from the environment compose runs in.`);
		} else {
			const more = r.envFiles.length ? `its env_file ${r.envFiles.map(f => `\`${f}\``).join(', ')} may set it` : '`docker run -e` may set it';
			lines.push(`Not set by ${where(r)} (${more}). Unset, it stays as written and nginx reads it as its own variable.`);
		}
		lines.push('', `This file is written to \`${r.outputPath}\` in that container.`, '');
	}
	return {
		contents: { kind: 'markdown', value: lines.join('\n').trimEnd() },
		range: { start: document.positionAt(hit.offset), end: document.positionAt(hit.offset + hit.length) },
	};
}

function lineOf(uri: string, offset: number, files: () => Iterable<HostFileView>): number {
	let t: string | undefined;
	for (const f of files()) {
		if (f.uri === uri) {
			t = f.file.text;
			break;
		}
	}
	if (t === undefined) { return 0; }
	let line = 0;
	for (let i = t.indexOf('\n'); i >= 0 && i < offset; i = t.indexOf('\n', i + 1)) { line++; }
	return line;
}
