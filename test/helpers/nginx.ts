/**
 * Running the real `nginx -t` in tests: a config tree in a temp dir, checked as an unprivileged
 * test would (prefix, error log and pid inside the dir, nothing under /var), always cleaned up.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where Debian's nginx-core keeps the standard include files (`mime.types`, `uwsgi_params`, …). */
export const NGINX_CONF_DIR = '/etc/nginx';

/** Files of a config tree, by path relative to its folder. */
export type ConfigFiles = Record<string, string>;

export interface NginxTestResult {
	/** nginx's exit status (null when it died from a signal). */
	readonly status: number | null;
	/** The signal that killed it (an include cycle may overflow its stack: SIGSEGV). */
	readonly signal: NodeJS.Signals | null;
	/** stdout and stderr together (nginx -t writes to stderr). */
	readonly output: string;
}

/** Creates an empty temp folder for one config tree. */
export function makeConfigDir(prefix = 'nginx-t-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes `files` into `dir`, plus copies of nginx's standard files (`standard`, from
 * /etc/nginx) that `files` does not define, so relative includes such as `include mime.types;`
 * resolve against the config's own folder.
 */
export function writeConfigTree(dir: string, files: ConfigFiles, standard: readonly string[] = ['mime.types', 'uwsgi_params']): void {
	for (const name of standard) {
		if (!(name in files)) { fs.copyFileSync(path.join(NGINX_CONF_DIR, name), path.join(dir, name)); }
	}
	for (const [name, text] of Object.entries(files)) {
		const file = path.join(dir, name);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
	}
}

/**
 * Runs `nginx -t` on `dir/main` with `dir` as the prefix (relative `pid`, temp paths and logs
 * land there) and `dir/error.log` as the start-up error log. The config sets its own `pid`, so
 * no `-g 'pid …;'` (nginx would refuse it as a duplicate). Runs in `dir`, so even a core dump
 * (nginx overflows its stack on an include cycle) stays in the temp dir.
 */
export function nginxTest(dir: string, main = 'nginx.conf', timeoutMs = 10000): NginxTestResult {
	const prefix = dir.endsWith('/') ? dir : dir + '/';
	const r = spawnSync('nginx', ['-t', '-q', '-p', prefix, '-c', path.join(dir, main), '-e', path.join(dir, 'error.log')], { cwd: dir, encoding: 'utf8', timeout: timeoutMs });
	if (r.error) { throw r.error; }
	return { status: r.status, signal: r.signal, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Where Debian keeps nginx's dynamic modules. */
export const NGINX_MODULES_DIR = '/usr/lib/nginx/modules';

/**
 * `load_module` lines for the dynamic modules of the installed nginx that a test config may use
 * (stream, GeoIP, image filter, XSLT), those that are present.
 */
export function dynamicModuleLines(): string {
	const wanted = ['ngx_stream_module.so', 'ngx_http_geoip_module.so', 'ngx_stream_geoip_module.so', 'ngx_http_image_filter_module.so', 'ngx_http_xslt_filter_module.so'];
	return wanted.filter(m => fs.existsSync(path.join(NGINX_MODULES_DIR, m))).map(m => `load_module ${path.join(NGINX_MODULES_DIR, m)};\n`).join('');
}

/** The first `[emerg]` line of an nginx -t output without its prefix, or "ok" when nginx accepted the config. */
export function nginxVerdict(r: NginxTestResult): string {
	if (r.status === 0) { return 'ok'; }
	const lines = r.output.split('\n').filter(l => l.includes('[emerg]'));
	return (lines[0] ?? r.output.split('\n')[0] ?? '').replace(/^nginx: \[emerg\] /, '').trim();
}

/**
 * `nginx -t` on many configs, several at a time (each run takes a few milliseconds; nginx stops
 * at the first error, so one config per case). Each config is `nginx.conf` of a temp dir of its
 * own, made and removed here; results come back in the order of `configs`.
 */
export async function nginxTestMany(configs: readonly string[], concurrency = Math.max(2, Math.min(8, os.cpus().length * 2))): Promise<NginxTestResult[]> {
	const { spawn } = await import('node:child_process');
	const root = makeConfigDir('nginx-t-many-');
	const results: NginxTestResult[] = new Array(configs.length);
	let next = 0;
	const one = (i: number): Promise<void> => new Promise((resolve, reject) => {
		const dir = path.join(root, String(i));
		fs.mkdirSync(dir);
		fs.writeFileSync(path.join(dir, 'nginx.conf'), configs[i]);
		const child = spawn('nginx', ['-t', '-q', '-p', dir + '/', '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (b: Buffer) => { output += b.toString('utf8'); });
		child.stderr.on('data', (b: Buffer) => { output += b.toString('utf8'); });
		const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
		child.on('error', reject);
		child.on('close', (status, signal) => {
			clearTimeout(timer);
			results[i] = { status, signal, output: output.split(dir).join('<dir>') };
			fs.rmSync(dir, { recursive: true, force: true });
			resolve();
		});
	});
	const worker = async (): Promise<void> => {
		while (next < configs.length) { await one(next++); }
	};
	try {
		await Promise.all(Array.from({ length: Math.min(concurrency, configs.length) }, worker));
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
	return results;
}
