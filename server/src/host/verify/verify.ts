/**
 * Verification with the installed binaries, for `uwsgi-nginx-check --verify` and the editor's
 * *Verify with the installed nginx and uWSGI*: each nginx config tree of the workspace runs
 * through `nginx -t` in a throw-away folder (features/verify/nginxPlan.ts says how), each uWSGI
 * ini file through uWSGI's own option parsing, and their verdicts are set beside ours.
 * Nothing of the machine's own nginx configuration is read or written but its standard files
 * (mime.types, uwsgi_params) where a config includes them and the workspace has none.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
	errorsAnswer, INSTALL_NGINX, INSTALL_UWSGI, neutralizeUwsgiIni, nginxRoots, planNginxSandbox, uriToPath, uwsgiAgreement, uwsgiVerdict,
	type LanguageService, type NginxPlan, type OurError, type PlanOverrides, type Settings, type VerifyEntry, type VerifyLine, type VerifyReport,
} from '../../service';
import { nginxVersion, runNginxTestSync } from './nginxRun';

export interface VerifyOptions {
	readonly nginx?: string;
	readonly uwsgi?: string;
	/** Where the standard files come from when a config includes them and the workspace has none. */
	readonly standardDir?: string;
}

const SEVERITY = ['error', 'error', 'warning', 'information', 'hint'] as const;

type Diagnostic = ReturnType<LanguageService['doValidation']>[number];

function ourLines(service: LanguageService, uri: string, settings: Settings, keep: (d: Diagnostic) => boolean): VerifyLine[] {
	const doc = service.workspace.get(uri)?.document;
	if (!doc) { return []; }
	return service.doValidation(doc, settings).filter(keep).map(d => ({
		uri, line: d.range.start.line, character: d.range.start.character, message: typeof d.message === 'string' ? d.message : d.message.value,
		code: String(d.code), severity: SEVERITY[d.severity ?? 1],
	}));
}

/** Test files for stubs, made once per process (openssl). */
let material: { cert: string; key: string; dhparam: string } | undefined;
function stubMaterial(): { cert: string; key: string; dhparam: string } {
	if (material) { return material; }
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-stubs-'));
	const cert = path.join(dir, 'test.crt');
	const key = path.join(dir, 'test.key');
	const dhparam = path.join(dir, 'dhparam.pem');
	spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=uwsgi-nginx verify stub', '-days', '3650', '-keyout', key, '-out', cert], { stdio: 'ignore' });
	spawnSync('openssl', ['dhparam', '-dsaparam', '-out', dhparam, '1024'], { stdio: 'ignore' });
	const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0));
	material = { cert: read(cert).toString(), key: read(key).toString(), dhparam: read(dhparam).toString() };
	fs.rmSync(dir, { recursive: true, force: true });
	return material;
}

function materialize(plan: NginxPlan, sandbox: string, standardDir: string): void {
	fs.rmSync(sandbox, { recursive: true, force: true });
	fs.mkdirSync(path.join(sandbox, 'var'), { recursive: true });
	const write = (rel: string, data: string | Buffer) => {
		const f = path.join(sandbox, rel);
		fs.mkdirSync(path.dirname(f), { recursive: true });
		fs.writeFileSync(f, data);
	};
	for (const f of plan.files) { write(f.rel, f.text); }
	for (const s of plan.stubs) {
		switch (s.kind) {
			case 'certificate': write(s.rel, stubMaterial().cert); break;
			case 'key': write(s.rel, stubMaterial().key); break;
			case 'dhparam': write(s.rel, stubMaterial().dhparam); break;
			case 'ticket-key': write(s.rel, Buffer.alloc(80, 7)); break;
			case 'standard': {
				const p = path.join(standardDir, s.source ?? '');
				write(s.rel, fs.existsSync(p) ? fs.readFileSync(p) : '');
				break;
			}
			case 'copy': write(s.rel, fs.readFileSync(s.source!)); break;
			default: write(s.rel, '');
		}
	}
}

/** The host name in "host not found in upstream "app:8000"" and the like. */
function unresolvedHost(text: string): string | undefined {
	const m = /^host not found in (?:upstream |resolver )?"([^"]+)"/.exec(text);
	if (!m) { return undefined; }
	const h = m[1].replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
	return h.startsWith('[') ? undefined : h.replace(/:\d*$/, '');
}

function verifyNginxTree(service: LanguageService, settings: Settings, root: string, options: VerifyOptions, binary: string): VerifyEntry {
	const graph = service.workspace.nginxGraph({ prefix: settings.nginx.prefix, pathMappings: settings.nginx.pathMappings });
	const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-verify-'));
	const host = { graph, text: (uri: string) => service.workspace.get(uri)?.document.getText(), exists: (p: string) => { try { return fs.statSync(p).isFile(); } catch { return false; } } };
	const hosts = new Map<string, string>();
	let overrides: PlanOverrides = {};
	try {
		let plan = planNginxSandbox(host, root, sandbox, overrides);
		let run = undefined as ReturnType<typeof runNginxTestSync> | undefined;
		// a refusal for a reason of this machine (a host name, a user) is stubbed and the run repeated
		for (let attempt = 0; attempt < 8; attempt++) {
			materialize(plan, sandbox, options.standardDir ?? '/etc/nginx');
			run = runNginxTestSync(sandbox, plan.main, { binary });
			const v = run.verdict;
			if (v.kind !== 'environment' || !v.reason) { break; }
			const h = v.lack === 'host' ? unresolvedHost(v.reason.text) : undefined;
			if (h && !hosts.has(h)) {
				hosts.set(h, '127.0.0.1');
				overrides = { ...overrides, hosts };
			} else if (v.lack === 'user' && !overrides.user) {
				overrides = { ...overrides, user: 'root' };
			} else {
				break;
			}
			plan = planNginxSandbox(host, root, sandbox, overrides);
		}
		const v = run!.verdict;
		const byRel = new Map(plan.files.filter(f => f.uri).map(f => [path.join(sandbox, f.rel), f.uri!]));
		const toUri = (p: string) => byRel.get(p) ?? p;
		const said: VerifyLine[] = v.kind === 'ok' ? [] : [{ uri: v.reason?.file ? toUri(v.reason.file) : root, line: v.reason?.line ? v.reason.line - 1 : undefined, message: `[${v.reason?.level}] ${(v.reason?.text ?? '').split(sandbox).join('…')}` }];
		for (const m of v.messages) {
			if (m.level === 'warn') { said.push({ uri: m.file ? toUri(m.file) : root, line: m.line ? m.line - 1 : undefined, message: `[warn] ${m.text.split(sandbox).join('…')}` }); }
		}
		// nginx -t judges the nginx side only: the checks against uWSGI (the seam) are ours alone
		const ours = plan.tree.flatMap(uri => ourLines(service, uri, settings, d => d.severity === 1 && d.source !== 'uwsgi-nginx'));
		let agrees: boolean | undefined;
		let why: string;
		if (v.kind === 'environment') {
			agrees = undefined;
			why = `nginx could not judge it here: ${v.lack === 'module' ? 'a module it loads is not installed' : v.lack === 'certificate' ? 'a certificate or key it names could not be read' : `something of this machine is missing (${v.lack})`}`;
		} else if (v.kind === 'ok') {
			agrees = !ours.length;
			why = agrees ? 'nginx accepts it and we report no error' : `nginx accepts it, but we report ${ours.length} error${ours.length > 1 ? 's' : ''}`;
		} else {
			const errors: OurError[] = ours.map(o => ({ file: o.uri, line: o.line ?? 0, endLine: o.line ?? 0, code: o.code ?? '', message: o.message }));
			agrees = errorsAnswer(v, errors, toUri, key => service.workspace.get(key)?.document.getText());
			why = agrees ? 'we report an error where nginx refuses it' : ours.length ? 'nginx refuses it on a line where we report no error' : 'nginx refuses it and we report no error';
		}
		return { tool: 'nginx', uri: root, files: plan.tree, verdict: v.kind === 'ok' || v.kind === 'environment' ? v.kind : 'refused', said, ours, agrees, why, notes: plan.notes };
	} finally {
		fs.rmSync(sandbox, { recursive: true, force: true });
	}
}

/** Plugin names to try for an option's plugin (Debian names the Python 3 plugin python3). */
const PLUGIN_NAMES: Record<string, string[]> = { python: ['python3', 'python'] };

function commonDir(paths: readonly string[]): string {
	let common = path.dirname(paths[0]);
	for (const p of paths) {
		while (common !== '/' && !(p === common || p.startsWith(common + '/'))) { common = path.dirname(common); }
	}
	return common;
}

/**
 * uWSGI reads a copy of the workspace's ini files in a throw-away folder, with the options it
 * would run or that write files made harmless (features/verify/uwsgiPlan.ts).
 */
function verifyUwsgiFile(service: LanguageService, settings: Settings, uri: string, binary: string, all: readonly string[]): VerifyEntry {
	const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-verify-'));
	try {
		const paths = all.map(u => uriToPath(u) ?? u);
		const base = commonDir(paths);
		const mirror = (p: string) => path.join(sandbox, 'conf', path.relative(base, p));
		const scratch = path.join(sandbox, 'var');
		fs.mkdirSync(scratch, { recursive: true });
		const mapPath = (p: string) => (p === base || p.startsWith(base + '/') ? mirror(p) : undefined);
		const notes = new Set<string>();
		for (const u of all) {
			const text = service.workspace.get(u)?.document.getText() ?? '';
			const copy = neutralizeUwsgiIni(text, mapPath, scratch);
			const target = mirror(uriToPath(u) ?? u);
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.writeFileSync(target, copy.text);
			if (u === uri) { for (const n of copy.notes) { notes.add(n); } }
		}
		// folders the copies name (chdir into the workspace) exist in the copy too
		for (const d of new Set(paths.map(p => path.dirname(p)))) { fs.mkdirSync(mirror(d), { recursive: true }); }
		const file = mirror(uriToPath(uri) ?? uri);
		const plugins: string[] = [];
		let v: ReturnType<typeof uwsgiVerdict>;
		// strict mode stops at the first unknown key: an option of a plugin the config does not load
		// (the usual case for the python plugin) is loaded for the check and the run repeated
		for (;;) {
			const args = [...plugins.flatMap(p => ['--plugin', p]), '--strict', '--ini', file, '--get', 'socket'];
			const r = spawnSync(binary, args, { cwd: path.dirname(file), encoding: 'utf8', timeout: 10000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } });
			const printed = (r.stdout ?? '').split('\n').find(l => l.trim() && !/^\[uWSGI\]/.test(l))?.trim();
			v = uwsgiVerdict(`${r.stdout ?? ''}\n${r.stderr ?? ''}`.split(path.join(sandbox, 'conf')).join(base), printed?.split(path.join(sandbox, 'conf')).join(base));
			const missing = v.messages.find(m => m.plugin && !plugins.some(p => (PLUGIN_NAMES[m.plugin!] ?? [m.plugin!]).includes(p)));
			if (v.kind !== 'refused' || !missing || plugins.length >= 6) { break; }
			const name = (PLUGIN_NAMES[missing.plugin!] ?? [missing.plugin!]).find(n => !plugins.includes(n));
			if (!name) { break; }
			plugins.push(name);
			notes.add(`"${missing.unknown}" is an option of the ${missing.plugin} plugin, which the config does not load: checked with --plugin ${name} (on an installation without that plugin built in, add "plugin = ${name}")`);
		}
		const ours = ourLines(service, uri, settings, d => d.severity === 1 || d.code === 'uwsgi-unknown-option');
		const a = uwsgiAgreement(v.kind, v.messages, ours);
		const said: VerifyLine[] = v.messages.map(m => ({ uri, message: m.plugin ? `${m.text} (an option of the ${m.plugin} plugin, which this uWSGI has not loaded)` : m.text.split(sandbox).join('…') }));
		return { tool: 'uwsgi', uri, files: [uri], verdict: v.kind, said, ours, agrees: a.agrees, why: a.why, notes: [...notes] };
	} finally {
		fs.rmSync(sandbox, { recursive: true, force: true });
	}
}

/** Whether a program runs here (`-v`/`--version`), with its version line. */
function version(binary: string, arg: string): string | undefined {
	if (arg === '-v') { return nginxVersion(binary)?.replace(/^nginx version: /, ''); }
	const r = spawnSync(binary, [arg], { encoding: 'utf8', timeout: 5000 });
	return r.error || r.status !== 0 ? undefined : `uWSGI ${(r.stdout ?? '').trim()}`;
}

/** Verifies the given workspace files (URIs) with the installed nginx and uWSGI. */
export function verifyWorkspace(service: LanguageService, settings: Settings, uris: readonly string[], options: VerifyOptions = {}): VerifyReport {
	const nginxBinary = options.nginx ?? 'nginx';
	const uwsgiBinary = options.uwsgi ?? 'uwsgi';
	const nginxFiles = uris.filter(u => service.workspace.get(u)?.kind === 'nginx');
	const uwsgiFiles = uris.filter(u => service.workspace.get(u)?.kind === 'uwsgi');
	const missing: string[] = [];
	const entries: VerifyEntry[] = [];
	const tools: { nginx?: string; uwsgi?: string } = {};
	if (nginxFiles.length) {
		tools.nginx = version(nginxBinary, '-v');
		if (!tools.nginx) {
			missing.push(INSTALL_NGINX);
		} else {
			const graph = service.workspace.nginxGraph({ prefix: settings.nginx.prefix, pathMappings: settings.nginx.pathMappings });
			for (const root of nginxRoots(graph, nginxFiles)) { entries.push(verifyNginxTree(service, settings, root, options, nginxBinary)); }
		}
	}
	if (uwsgiFiles.length) {
		tools.uwsgi = version(uwsgiBinary, '--version');
		if (!tools.uwsgi) {
			missing.push(INSTALL_UWSGI);
		} else {
			for (const uri of uwsgiFiles) { entries.push(verifyUwsgiFile(service, settings, uri, uwsgiBinary, uwsgiFiles)); }
		}
	}
	return { tools, missing, entries };
}
