/**
 * How to run the installed `nginx -t` on a workspace's config without touching the machine's own
 * nginx: a throw-away folder with a copy of each file of one config tree, where every include
 * names the copy it resolves to in the workspace (deployment paths such as /etc/nginx mapped onto
 * the workspace as our include graph maps them), the logs, pid, temp and cache paths nginx opens
 * or creates are moved into the folder, and what this machine lacks is stubbed: an include that
 * matches nothing, a certificate or key that is not in the workspace. Only argument tokens are
 * replaced, each on its own line, so every line nginx names is the line of the workspace file.
 * Pure: the caller writes the files and runs nginx (server/src/host/verify).
 */
import type { NginxDirective, NginxToken } from '../../parser/nginx/nodes';
import type { IncludeEdge, NginxIncludeGraph } from '../../analysis/nginx/includes';
import { topLevelContext } from '../../analysis/nginx/contexts';
import { uriToPath } from '../../utils/uri';

export type StubKind = 'certificate' | 'key' | 'dhparam' | 'ticket-key' | 'empty' | 'standard' | 'copy';

export interface SandboxFile {
	/** Path inside the sandbox folder. */
	readonly rel: string;
	readonly text: string;
	/** The workspace file it copies (absent for a wrapper). */
	readonly uri?: string;
}

export interface SandboxStub {
	readonly rel: string;
	readonly kind: StubKind;
	/** For `standard`: the standard file's name; for `copy`: the path on this machine to copy. */
	readonly source?: string;
	/** What was stubbed, for the report. */
	readonly note: string;
}

export interface NginxPlan {
	/** The workspace file the tree starts from. */
	readonly root: string;
	/** The file to give `nginx -t -c` (inside the sandbox). */
	readonly main: string;
	readonly files: readonly SandboxFile[];
	readonly stubs: readonly SandboxStub[];
	/** The workspace files of the tree (root first). */
	readonly tree: readonly string[];
	/** How the tree was made runnable here (wrapped, stubbed, rewritten). */
	readonly notes: readonly string[];
}

export interface PlanHost {
	readonly graph: NginxIncludeGraph;
	text(uri: string): string | undefined;
	/** Whether a path exists on this machine (a certificate next to the config, say). */
	exists(path: string): boolean;
}

/** Rewrites made after a run refused for a reason of this machine (the host adapter's retry loop). */
export interface PlanOverrides {
	/** Host name → address (a name that does not resolve here). */
	readonly hosts?: ReadonlyMap<string, string>;
	/** The user nginx runs as, when the config's does not exist here. */
	readonly user?: string;
}

const WRAPPERS: Record<string, [string, string]> = {
	events: ['events {\n', '}\n'],
	http: ['events {}\nhttp {\n', '}\n'],
	'http.server': ['events {}\nhttp {\nserver {\n', '}\n}\n'],
	'http.location': ['events {}\nhttp {\nserver {\nlocation / {\n', '}\n}\n}\n'],
	'http.upstream': ['events {}\nhttp {\nupstream wrapped {\n', '}\n}\n'],
	stream: ['events {}\nstream {\n', '}\n'],
	'stream.server': ['events {}\nstream {\nserver {\n', '}\n}\n'],
	mail: ['events {}\nmail {\n', '}\n'],
};

const LOGS = new Set(['error_log', 'access_log']);
const VAR_PATHS = new Set(['pid', 'lock_file', 'client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path', 'proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path']);
const CERTS = new Set(['ssl_certificate', 'proxy_ssl_certificate', 'grpc_ssl_certificate', 'uwsgi_ssl_certificate', 'ssl_trusted_certificate', 'ssl_client_certificate', 'proxy_ssl_trusted_certificate', 'grpc_ssl_trusted_certificate', 'uwsgi_ssl_trusted_certificate']);
const KEYS = new Set(['ssl_certificate_key', 'proxy_ssl_certificate_key', 'grpc_ssl_certificate_key', 'uwsgi_ssl_certificate_key']);
const OTHER_FILES: Record<string, StubKind> = { ssl_dhparam: 'dhparam', ssl_session_ticket_key: 'ticket-key', ssl_password_file: 'empty', proxy_ssl_password_file: 'empty', grpc_ssl_password_file: 'empty', uwsgi_ssl_password_file: 'empty' };

function dirname(p: string): string {
	const i = p.lastIndexOf('/');
	return i <= 0 ? '/' : p.slice(0, i);
}

function basename(p: string): string {
	return p.slice(p.lastIndexOf('/') + 1);
}

function commonDir(paths: readonly string[]): string {
	let common = dirname(paths[0]);
	for (const p of paths) {
		while (common !== '/' && !(p === common || p.startsWith(common + '/'))) { common = dirname(common); }
	}
	return common;
}

/** A token's new text: quoted when it needs to be. */
function raw(value: string): string {
	return /^[^\s;{}"'#\\$]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The config trees of a workspace: files nothing includes (standard files aside). */
export function nginxRoots(graph: NginxIncludeGraph, uris: Iterable<string>): string[] {
	const out: string[] = [];
	for (const uri of uris) {
		if (graph.includersOf(uri).length) { continue; }
		const p = uriToPath(uri) ?? uri;
		if (/(^|\/)(mime\.types|uwsgi_params|fastcgi_params|fastcgi\.conf|scgi_params|proxy_params|koi-utf|koi-win|win-utf)$/.test(p)) { continue; }
		out.push(uri);
	}
	return out;
}

/** The plan for the tree that starts at `root`, inside a sandbox at `sandbox` (an absolute path). */
export function planNginxSandbox(host: PlanHost, root: string, sandbox: string, overrides: PlanOverrides = {}): NginxPlan {
	const { graph } = host;
	// the tree: the root and every file its includes reach
	const tree: string[] = [root];
	for (let i = 0; i < tree.length; i++) {
		for (const e of graph.edgesFrom(tree[i])) {
			for (const t of e.targets) { if (!tree.includes(t)) { tree.push(t); } }
		}
	}
	const paths = new Map(tree.map(u => [u, uriToPath(u) ?? u]));
	const base = commonDir([...paths.values()]);
	const relOf = (uri: string) => `conf${paths.get(uri)!.slice(base === '/' ? 0 : base.length)}`;
	const abs = (rel: string) => `${sandbox}/${rel}`;
	const stubs: SandboxStub[] = [];
	const notes: string[] = [];
	const stubFor = new Map<string, string>();
	let counter = 0;
	const stub = (key: string, kind: StubKind, note: string, name: string, source?: string): string => {
		let rel = stubFor.get(key);
		if (!rel) {
			rel = `stubs/${++counter}-${name}`;
			stubFor.set(key, rel);
			stubs.push({ rel, kind, note, source });
		}
		return rel;
	};
	const files: SandboxFile[] = [];
	for (const uri of tree) {
		const file = graph.fileOf(uri);
		const text = host.text(uri);
		if (!file || text === undefined) { continue; }
		const confDir = dirname(paths.get(uri)!);
		const edits: { offset: number; length: number; text: string }[] = [];
		const replace = (t: NginxToken, value: string) => {
			if (!t.raw.includes('\n')) { edits.push({ offset: t.offset, length: t.length, text: raw(value) }); }
		};
		const byIndex = new Map<number, IncludeEdge>(graph.edgesFrom(uri).map(e => [e.index, e]));
		file.directives.forEach((d: NginxDirective, index: number) => {
			const name = d.name.value;
			const a0 = d.args[0];
			if (name === 'include' && a0) {
				const e = byIndex.get(index);
				if (!e) { return; }
				if (e.targets.length === 1 && !e.glob) {
					replace(a0, abs(relOf(e.targets[0])));
				} else if (e.targets.length) {
					const dirs = new Set(e.targets.map(t => dirname(paths.get(t)!)));
					if (dirs.size === 1) {
						replace(a0, `${dirname(abs(relOf(e.targets[0])))}/${basename(e.pattern)}`);
					} else {
						const list = e.targets.map(t => `include ${raw(abs(relOf(t)))};\n`).join('');
						const rel = `stubs/${++counter}-includes.conf`;
						files.push({ rel, text: list });
						replace(a0, abs(rel));
					}
				} else if (e.standard) {
					replace(a0, abs(stub(`standard:${e.standard}`, 'standard', `${e.standard}: this machine's standard file (not in the workspace)`, e.standard, e.standard)));
				} else if (!e.glob) {
					replace(a0, abs(stub(`include:${e.pattern}`, 'empty', `include ${e.pattern}: matches no file of the workspace, stubbed with an empty file`, basename(e.pattern) || 'include.conf')));
				} else {
					notes.push(`include ${e.pattern} matches no file of the workspace (a glob that matches nothing is no error for nginx)`);
					replace(a0, `${sandbox}/stubs/nothing/${basename(e.pattern)}`);
				}
				return;
			}
			if (!a0 || a0.value.includes('$')) { return; }
			if (LOGS.has(name)) {
				if (/^(off|stderr|syslog:|memory:|\/dev\/)/.test(a0.value)) { return; }
				replace(a0, `${sandbox}/var/${++counter}-${basename(a0.value) || 'log'}`);
			} else if (VAR_PATHS.has(name)) {
				replace(a0, `${sandbox}/var/${++counter}-${basename(a0.value) || 'path'}`);
			} else if (CERTS.has(name) || KEYS.has(name) || OTHER_FILES[name]) {
				if (/^(data:|engine:|store:)/.test(a0.value)) { return; }
				const onDisk = a0.value.startsWith('/') ? a0.value : `${confDir}/${a0.value}`;
				if (host.exists(onDisk)) {
					replace(a0, abs(stub(`copy:${onDisk}`, 'copy', '', basename(onDisk), onDisk)));
					return;
				}
				const kind: StubKind = CERTS.has(name) ? 'certificate' : KEYS.has(name) ? 'key' : OTHER_FILES[name];
				replace(a0, abs(stub(`${kind}:${a0.value}`, kind, `${name} ${a0.value}: not on this machine, stubbed with a test ${kind === 'key' ? 'key' : kind === 'certificate' ? 'certificate' : 'file'}`, basename(a0.value) || kind)));
			} else if (name === 'user' && overrides.user) {
				replace(a0, overrides.user);
				if (d.args[1]) { replace(d.args[1], overrides.user === 'root' ? 'root' : 'nogroup'); }
			}
			if (overrides.hosts?.size && /^(server|proxy_pass|uwsgi_pass|fastcgi_pass|scgi_pass|grpc_pass|memcached_pass|listen|resolver)$/.test(name)) {
				for (const t of d.args) {
					for (const [host, address] of overrides.hosts) {
						const re = new RegExp(`(^|//|\\[)${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[:/\\]]|$)`);
						if (re.test(t.value)) { replace(t, t.value.replace(re, `$1${address}`)); }
					}
				}
			}
		});
		edits.sort((a, b) => b.offset - a.offset);
		let out = text;
		for (const e of edits) { out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length); }
		files.push({ rel: relOf(uri), text: out, uri });
	}
	for (const [host, address] of overrides.hosts ?? []) { notes.push(`host "${host}" does not resolve here: ${address} used instead`); }
	if (overrides.user) { notes.push(`user: the config's user does not exist here, ${overrides.user} used instead`); }
	// a tree whose top is not the main context runs inside a wrapper
	let main = relOf(root);
	const rootFile = graph.fileOf(root);
	const top = rootFile ? topLevelContext(rootFile) : 'main';
	const wrapper = WRAPPERS[top];
	if (wrapper) {
		main = 'wrapper.conf';
		files.push({ rel: main, text: `pid ${sandbox}/var/nginx.pid;\n${wrapper[0]}include ${raw(abs(relOf(root)))};\n${wrapper[1]}` });
		notes.push(`no nginx.conf of the workspace includes it: checked inside ${wrapper[0].replace(/\n/g, ' ').replace(/events \{\} /, '').trim()} … }`);
	}
	return { root, main, files, stubs, tree, notes: [...notes, ...stubs.filter(s => s.note).map(s => s.note)] };
}
