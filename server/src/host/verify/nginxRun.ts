/**
 * Runs the installed `nginx -t` on a config tree in a folder of its own: the folder is nginx's
 * prefix (`-p`), so the pid file, temp paths and logs a config names relatively land there, and
 * nothing of the machine's own nginx (/etc/nginx, /var/log/nginx) is read or written but what
 * the config itself names.
 */
import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { nginxVerdict, type NginxVerdict } from '../../service';

export interface NginxRun {
	readonly status: number | null;
	readonly signal: string | null;
	readonly output: string;
	readonly verdict: NginxVerdict;
}

export interface NginxRunOptions {
	/** The nginx binary (default: `nginx` on the PATH). */
	readonly binary?: string;
	readonly timeoutMs?: number;
}

function args(dir: string, main: string): string[] {
	const prefix = dir.endsWith('/') ? dir : dir + '/';
	return ['-t', '-q', '-p', prefix, '-c', path.resolve(dir, main), '-e', path.join(dir, 'error.log')];
}

/** `nginx -t` on `dir/main` (async; many can run side by side). */
export function runNginxTest(dir: string, main = 'nginx.conf', options: NginxRunOptions = {}): Promise<NginxRun> {
	return new Promise(resolve => {
		let output = '';
		let done = false;
		const child = spawn(options.binary ?? 'nginx', args(dir, main), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
		const finish = (status: number | null, signal: string | null, extra = '') => {
			if (done) { return; }
			done = true;
			clearTimeout(timer);
			output += extra;
			resolve({ status, signal, output, verdict: nginxVerdict(status, signal, output) });
		};
		const timer = setTimeout(() => { child.kill('SIGKILL'); }, options.timeoutMs ?? 10000);
		child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
		child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
		child.on('error', e => finish(127, null, `nginx: [emerg] cannot run nginx: ${e.message}\n`));
		child.on('close', (code, signal) => finish(code, signal));
	});
}

/** `nginx -t` on `dir/main`, synchronously. */
export function runNginxTestSync(dir: string, main = 'nginx.conf', options: NginxRunOptions = {}): NginxRun {
	const r = spawnSync(options.binary ?? 'nginx', args(dir, main), { cwd: dir, encoding: 'utf8', timeout: options.timeoutMs ?? 10000 });
	const output = r.error ? `nginx: [emerg] cannot run nginx: ${r.error.message}\n` : `${r.stdout ?? ''}${r.stderr ?? ''}`;
	const status = r.error ? 127 : r.status;
	return { status, signal: r.signal, output, verdict: nginxVerdict(status, r.signal, output) };
}

/** The installed nginx's version line (`nginx version: nginx/1.22.1`), or undefined when none runs. */
export function nginxVersion(binary = 'nginx'): string | undefined {
	const r = spawnSync(binary, ['-v'], { encoding: 'utf8' });
	if (r.error || r.status !== 0) { return undefined; }
	return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}
