/**
 * The real stack in tests: a Django 3.2 project served by uWSGI (Debian's 2.0.21 with the python3
 * plugin) behind nginx (Debian's nginx-core), every process a child of the test, on loopback,
 * every file in a temp dir. Whatever happens, `stopAll()` (call it in `after`) ends the processes
 * and `removeTempDirs()` removes the dirs; a process still running when Node exits is killed.
 *
 * Linux only: whether a port listens is read from /proc/net/tcp, so no probe connection reaches
 * the server (a probe would show up in uWSGI's log as a broken request).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const APT_HINT = 'apt-get install nginx-core uwsgi uwsgi-plugin-python3 python3-django (scripts/test-all.sh does it)';
/** Debian's Python: the one the uwsgi python3 plugin embeds, with python3-django on its path. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const UWSGI_PLUGIN_DIR = '/usr/lib/uwsgi/plugins';
/** Where Debian's nginx-core keeps `uwsgi_params`, `mime.types`, … */
export const NGINX_CONF_DIR = '/etc/nginx';
/**
 * The Django project's package. Not `site`: `django-admin startproject site` refuses the name
 * ("'site' conflicts with the name of an existing Python module"), Python has a `site` module.
 */
export const DJANGO_PROJECT_NAME = 'seamsite';

// ---------------------------------------------------------------------------------------------
// Prerequisites

function commandPath(name: string): string | undefined {
	const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Asserts nginx, uWSGI with its python3 plugin and Django 3.2 are installed; returns Django's version. */
export function requireStack(): string {
	assert.ok(commandPath('nginx'), `nginx is not installed: ${APT_HINT}`);
	assert.ok(commandPath('uwsgi'), `uwsgi is not installed: ${APT_HINT}`);
	assert.ok(fs.existsSync(path.join(UWSGI_PLUGIN_DIR, 'python3_plugin.so')), `uWSGI's python3 plugin is not installed (${UWSGI_PLUGIN_DIR}/python3_plugin.so): ${APT_HINT}`);
	assert.ok(fs.existsSync(DEBIAN_PYTHON), `${DEBIAN_PYTHON} is missing: ${APT_HINT}`);
	const r = spawnSync(DEBIAN_PYTHON, ['-c', 'import django; print(django.get_version())'], { encoding: 'utf8' });
	assert.equal(r.status, 0, `Django is not importable by ${DEBIAN_PYTHON} (the Python uWSGI embeds): ${APT_HINT}\n${r.stderr}`);
	const version = r.stdout.trim();
	assert.match(version, /^3\.2(\.|$)/, `expected Django 3.2 (Debian's python3-django), found ${version}`);
	assert.ok(fs.existsSync(path.join(NGINX_CONF_DIR, 'uwsgi_params')), `${NGINX_CONF_DIR}/uwsgi_params is missing: ${APT_HINT}`);
	return version;
}

/** Asserts the tests run as root (needed to start nginx's workers as another user, to start uWSGI with `uid`). */
export function requireRoot(why: string): void {
	assert.equal(process.getuid?.(), 0, `this test must run as root: ${why}`);
}

/** Creates the system user (and its group of the same name) when missing; returns its uid and gid. */
export function ensureSystemUser(name: string): { uid: number; gid: number } {
	const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
	if (id('-u').status !== 0) {
		assert.ok(commandPath('useradd'), `useradd is missing (apt-get install passwd) and user ${name} does not exist`);
		const r = spawnSync('useradd', ['--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', name], { encoding: 'utf8' });
		assert.equal(r.status, 0, `useradd ${name} failed: ${r.stderr}`);
	}
	const uid = Number(id('-u').stdout.trim());
	const gid = Number(id('-g').stdout.trim());
	assert.ok(Number.isInteger(uid) && Number.isInteger(gid), `no uid/gid for ${name}`);
	return { uid, gid };
}

// ---------------------------------------------------------------------------------------------
// Temp dirs

const tempDirs: string[] = [];

/**
 * A new temp dir, mode 755: nginx's workers run as `nobody` when the master is root, and they
 * must traverse the dirs down to a unix socket (a mkdtemp dir is 700).
 */
export function makeTempDir(prefix = 'uwsgi-nginx-stack-', parent = os.tmpdir()): string {
	const dir = fs.mkdtempSync(path.join(parent, prefix));
	fs.chmodSync(dir, 0o755);
	tempDirs.push(dir);
	return dir;
}

/** Removes every dir `makeTempDir` made (call after `stopAll`). */
export function removeTempDirs(): void {
	for (const dir of tempDirs.splice(0)) { fs.rmSync(dir, { recursive: true, force: true }); }
}

// ---------------------------------------------------------------------------------------------
// The Django project

export interface DjangoProject {
	/** The folder with manage.py: uWSGI's `chdir`. */
	readonly dir: string;
	/** For uWSGI's `module`. */
	readonly module: string;
}

const VIEWS = `import time

from django.http import HttpResponse


def index(request):
    return HttpResponse("ok", content_type="text/plain")


def slow(request):
    time.sleep(float(request.GET.get("s", "1")))
    return HttpResponse("slow done", content_type="text/plain")
`;

const URLS = `from django.urls import path

from . import views

urlpatterns = [
    path("", views.index),
    path("slow", views.slow),
]
`;

/**
 * `django-admin startproject seamsite DIR` (as `python3 -m django`, with Debian's Python), then
 * `DEBUG = False`, `ALLOWED_HOSTS = ['*']`, and a view module: `/` answers "ok", `/slow?s=N`
 * sleeps N seconds and answers "slow done". `dir` must not exist yet.
 */
export function createDjangoProject(dir: string, name = DJANGO_PROJECT_NAME): DjangoProject {
	fs.mkdirSync(dir, { mode: 0o755 });
	fs.chmodSync(dir, 0o755);
	const r = spawnSync(DEBIAN_PYTHON, ['-m', 'django', 'startproject', name, dir], { encoding: 'utf8' });
	assert.equal(r.status, 0, `django-admin startproject failed: ${r.stderr}`);
	const pkg = path.join(dir, name);
	const settingsFile = path.join(pkg, 'settings.py');
	const settings = fs.readFileSync(settingsFile, 'utf8');
	const patched = settings.replace(/^DEBUG = True$/m, 'DEBUG = False').replace(/^ALLOWED_HOSTS = \[\]$/m, "ALLOWED_HOSTS = ['*']");
	assert.match(patched, /^DEBUG = False$/m, 'settings.py: no DEBUG line to patch');
	assert.match(patched, /^ALLOWED_HOSTS = \['\*'\]$/m, 'settings.py: no ALLOWED_HOSTS line to patch');
	fs.writeFileSync(settingsFile, patched);
	fs.writeFileSync(path.join(pkg, 'views.py'), VIEWS);
	fs.writeFileSync(path.join(pkg, 'urls.py'), URLS);
	// compile now, as root: a uWSGI running as another user cannot write __pycache__ here
	spawnSync(DEBIAN_PYTHON, ['-m', 'compileall', '-q', pkg], { encoding: 'utf8' });
	return { dir, module: `${name}.wsgi:application` };
}

// ---------------------------------------------------------------------------------------------
// Ports and sockets

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

/** Whether some socket listens on this TCP port (read from /proc/net/tcp{,6}; connects nowhere). */
export function isListening(port: number): boolean {
	const hex = port.toString(16).toUpperCase().padStart(4, '0');
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text: string;
		try { text = fs.readFileSync(table, 'utf8'); } catch { continue; }
		for (const line of text.split('\n').slice(1)) {
			const cols = line.trim().split(/\s+/);
			// cols[1] = local address "0100007F:1F90", cols[3] = state ("0A" = LISTEN)
			if (cols.length > 3 && cols[3] === '0A' && cols[1].endsWith(`:${hex}`)) { return true; }
		}
	}
	return false;
}

/** Whether `file` is a unix socket. */
export function isSocketFile(file: string): boolean {
	try { return fs.statSync(file).isSocket(); } catch { return false; }
}

/** What a server listens on: a TCP port on loopback, or a unix socket file. */
export type Endpoint = { readonly port: number } | { readonly path: string };

function endpointReady(e: Endpoint): boolean {
	return 'port' in e ? isListening(e.port) : isSocketFile(e.path);
}

function describeEndpoint(e: Endpoint): string {
	return 'port' in e ? `port ${e.port}` : `unix socket ${e.path}`;
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it is true; false after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (check()) { return true; }
		if (Date.now() >= deadline) { return false; }
		await sleep(50);
	}
}

// ---------------------------------------------------------------------------------------------
// Processes

/** A server process of the test. */
export interface ServerHandle {
	readonly name: string;
	readonly pid: number;
	/** Its stdout and stderr so far. */
	readonly output: string;
	/** Whether it has exited. */
	readonly exited: boolean;
	/** Stops it (a signal, then SIGKILL to its process group); resolves when it has exited. */
	stop(): Promise<void>;
}

export interface UwsgiHandle extends ServerHandle {
	/** uWSGI's log (it logs to stderr). */
	readonly log: string;
}

export interface NginxHandle extends ServerHandle {
	readonly errorLogPath: string;
	/** The error log's text so far (nginx's workers write it directly). */
	errorLog(): string;
}

const live = new Set<ManagedProcess>();

class ManagedProcess {
	output = '';
	exited = false;
	readonly done: Promise<void>;
	readonly child: ChildProcess;

	constructor(readonly name: string, cmd: string, args: string[], cwd: string, private readonly stopSignals: readonly NodeJS.Signals[]) {
		// own process group: a SIGKILL fallback reaches the workers too
		this.child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		this.child.stdout!.on('data', (d: Buffer) => { this.output += d.toString(); });
		this.child.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
		this.done = new Promise(resolve => {
			this.child.on('error', e => { this.output += `\n[spawn error] ${e.message}\n`; this.exited = true; live.delete(this); resolve(); });
			this.child.on('exit', () => { this.exited = true; live.delete(this); resolve(); });
		});
		live.add(this);
	}

	get pid(): number {
		return this.child.pid ?? -1;
	}

	private signal(sig: NodeJS.Signals, group = false): void {
		if (this.exited || this.child.pid === undefined) { return; }
		try { process.kill(group ? -this.child.pid : this.child.pid, sig); } catch { /* already gone */ }
	}

	/** Each signal of `stopSignals` in turn (waiting `stepMs` for an exit), then SIGKILL to the group. */
	async stop(stepMs: number): Promise<void> {
		for (const sig of this.stopSignals) {
			if (this.exited) { break; }
			this.signal(sig);
			await Promise.race([this.done, sleep(stepMs)]);
		}
		if (!this.exited) {
			this.signal('SIGKILL', true);
			await Promise.race([this.done, sleep(2000)]);
		}
		// workers left behind by a master that died first
		if (this.child.pid !== undefined) { try { process.kill(-this.child.pid, 'SIGKILL'); } catch { /* none */ } }
	}

	killNow(): void {
		if (this.child.pid !== undefined) { try { process.kill(-this.child.pid, 'SIGKILL'); } catch { /* gone */ } }
	}
}

process.on('exit', () => { for (const p of live) { p.killNow(); } });

/** Stops every process started by this helper that still runs. Call it in `after`, even on failure. */
export async function stopAll(): Promise<void> {
	await Promise.all([...live].map(p => p.stop(3000)));
}

/** Reads the endpoints a uWSGI ini serves (`socket`, `uwsgi-socket`, `http-socket` lines; a relative unix path from `chdir`). */
export function uwsgiEndpoints(iniText: string): Endpoint[] {
	const chdir = /^\s*chdir\s*=\s*(.+?)\s*$/m.exec(iniText)?.[1];
	const out: Endpoint[] = [];
	for (const m of iniText.matchAll(/^\s*(?:socket|uwsgi-socket|http-socket)\s*=\s*(.+?)\s*$/gm)) {
		const value = m[1];
		const tcp = /^(?:[\d.]*|\[[^\]]*\]|localhost):(\d+)$/.exec(value);
		if (tcp) { out.push({ port: Number(tcp[1]) }); } else { out.push({ path: path.resolve(chdir ?? '/', value) }); }
	}
	return out;
}

async function waitReady(p: ManagedProcess, what: string, ready: () => boolean, describe: () => string, timeoutMs: number): Promise<void> {
	const ok = await waitUntil(() => p.exited || ready(), timeoutMs);
	if (!p.exited && ok) { return; }
	const reason = p.exited ? `${what} exited (code ${p.child.exitCode}, signal ${p.child.signalCode})` : `${what} not ready after ${timeoutMs} ms`;
	await p.stop(1000);
	throw new Error(`${reason}: waiting for ${describe()}\n--- output ---\n${p.output}`);
}

/**
 * `uwsgi --ini iniPath`; resolves when every socket of the ini exists / listens and worker 1
 * has been spawned (10 s at most). The ini should have `die-on-term = true` or be stoppable by
 * SIGINT (it is: `stop()` sends SIGINT, then SIGKILL after 3 s).
 */
export async function startUwsgi(iniPath: string, options: { endpoints?: Endpoint[]; timeoutMs?: number } = {}): Promise<UwsgiHandle> {
	const text = fs.readFileSync(iniPath, 'utf8');
	const endpoints = options.endpoints ?? uwsgiEndpoints(text);
	assert.ok(endpoints.length > 0, `${iniPath} binds no socket`);
	return startUwsgiCommand(['--ini', iniPath], path.dirname(iniPath), endpoints, options);
}

/**
 * `uwsgi ARGS...` started in `cwd`, as a host file's command line starts it (the arguments as
 * uWSGI receives them); resolves when every endpoint is ready and worker 1 has been spawned.
 */
export async function startUwsgiCommand(args: readonly string[], cwd: string, endpoints: readonly Endpoint[], options: { timeoutMs?: number } = {}): Promise<UwsgiHandle> {
	assert.ok(endpoints.length > 0, 'the command binds no socket we know of');
	const p = new ManagedProcess('uwsgi', 'uwsgi', [...args], cwd, ['SIGINT']);
	await waitReady(p, 'uWSGI',
		() => endpoints.every(endpointReady) && /spawned uWSGI worker 1 /.test(p.output),
		() => `${endpoints.map(describeEndpoint).join(', ')} and "spawned uWSGI worker 1"`,
		options.timeoutMs ?? 10000);
	return {
		name: p.name,
		get pid() { return p.pid; },
		get output() { return p.output; },
		get log() { return p.output; },
		get exited() { return p.exited; },
		stop: () => p.stop(3000),
	};
}

/**
 * `nginx -p prefixDir/ -c confPath -e prefixDir/error.log` (the config has `daemon off;`, its own
 * `pid`, `error_log` and `*_temp_path` inside prefixDir); resolves when the port listens (the
 * first `listen 127.0.0.1:PORT` of the config unless given). `stop()` sends SIGQUIT, then
 * SIGTERM, then SIGKILL.
 */
export async function startNginx(confPath: string, prefixDir: string, options: { port?: number; timeoutMs?: number } = {}): Promise<NginxHandle> {
	const text = fs.readFileSync(confPath, 'utf8');
	const port = options.port ?? Number(/\blisten\s+127\.0\.0\.1:(\d+)/.exec(text)?.[1]);
	assert.ok(Number.isInteger(port) && port > 0, `${confPath}: no "listen 127.0.0.1:PORT" and no port given`);
	assert.match(text, /^\s*daemon\s+off\s*;/m, `${confPath} needs "daemon off;" (the test owns the process)`);
	const errorLogPath = path.join(prefixDir, 'error.log');
	const prefix = prefixDir.endsWith('/') ? prefixDir : prefixDir + '/';
	const p = new ManagedProcess('nginx', 'nginx', ['-p', prefix, '-c', confPath, '-e', errorLogPath], prefixDir, ['SIGQUIT', 'SIGTERM']);
	const errorLog = () => { try { return fs.readFileSync(errorLogPath, 'utf8'); } catch { return ''; } };
	try {
		await waitReady(p, 'nginx', () => isListening(port), () => `port ${port}`, options.timeoutMs ?? 10000);
	} catch (e) {
		throw new Error(`${(e as Error).message}\n--- ${errorLogPath} ---\n${errorLog()}`);
	}
	return {
		name: p.name,
		get pid() { return p.pid; },
		get output() { return p.output; },
		get exited() { return p.exited; },
		errorLogPath,
		errorLog,
		stop: () => p.stop(1500),
	};
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpResult {
	/** The status code; 0 when the connection failed or timed out. */
	readonly status: number;
	readonly body: string;
	/** Why the status is 0. */
	readonly error?: string;
	readonly elapsedMs: number;
}

/** GET http://127.0.0.1:port/path, no keep-alive; never rejects. */
export function httpGet(port: number, urlPath: string, timeoutMs = 5000): Promise<HttpResult> {
	const start = Date.now();
	return new Promise(resolve => {
		let settled = false;
		const finish = (r: Omit<HttpResult, 'elapsedMs'>) => {
			if (settled) { return; }
			settled = true;
			resolve({ ...r, elapsedMs: Date.now() - start });
		};
		const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, headers: { Connection: 'close' } }, res => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (d: string) => { body += d; });
			res.on('end', () => finish({ status: res.statusCode ?? 0, body }));
			res.on('error', e => finish({ status: 0, body, error: e.message }));
		});
		req.setTimeout(timeoutMs, () => { req.destroy(new Error(`timed out after ${timeoutMs} ms`)); });
		req.on('error', e => finish({ status: 0, body: '', error: e.message }));
	});
}

/** A whole nginx.conf, everything inside `dir`; `http` is the body of the http block. */
export function nginxConf(dir: string, http: string, main = ''): string {
	return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
${main}
events {
    worker_connections 64;
}

http {
    access_log off;
    client_body_temp_path ${dir}/client_body_temp;
    proxy_temp_path ${dir}/proxy_temp;
    fastcgi_temp_path ${dir}/fastcgi_temp;
    uwsgi_temp_path ${dir}/uwsgi_temp;
    scgi_temp_path ${dir}/scgi_temp;

${http.replace(/^/gm, '    ').replace(/^\s+$/gm, '')}
}
`;
}
