/** Running real programs (uWSGI, nginx) in tests: fail loudly when they are missing, always clean up. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as assert from 'node:assert/strict';

/** Asserts a program is installed; the message says how to get it (no silent skip). */
export function requireProgram(name: string, hint: string): void {
	const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
	assert.equal(r.status, 0, `${name} is not installed: ${hint}`);
}

export interface RunResult {
	readonly log: string;
	readonly code: number | null;
	readonly signal: NodeJS.Signals | null;
	/** Whether the process was still running when `until` matched (we stopped it). */
	readonly stopped: boolean;
}

/**
 * Starts a program, waits until its output matches `until` (or it exits, or `timeoutMs`), then
 * stops it with `stopSignal` (SIGINT: uWSGI shuts down on it; SIGTERM would only reload it).
 */
export function runUntil(cmd: string, args: string[], until: RegExp, options: { cwd?: string; timeoutMs?: number; stopSignal?: NodeJS.Signals; onReady?: () => Promise<void> } = {}): Promise<RunResult> {
	const timeoutMs = options.timeoutMs ?? 10000;
	return new Promise((resolve, reject) => {
		let log = '';
		let stopped = false;
		let readyHandled = false;
		const child: ChildProcess = spawn(cmd, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
		const stop = () => {
			if (child.exitCode === null && child.signalCode === null) {
				stopped = true;
				child.kill(options.stopSignal ?? 'SIGINT');
				setTimeout(() => { if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); } }, 3000).unref();
			}
		};
		const timer = setTimeout(stop, timeoutMs);
		const onData = (d: Buffer) => {
			log += d.toString();
			if (!readyHandled && until.test(log)) {
				readyHandled = true;
				const after = options.onReady ? options.onReady() : Promise.resolve();
				after.then(stop, e => { stop(); reject(e); });
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ log, code, signal, stopped });
		});
	});
}

/** Runs `node script args...` to completion, collecting its output (for the CLI's tests). */
export function runNode(script: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => { stdout += d; });
		child.stderr.on('data', (d: Buffer) => { stderr += d; });
		child.on('close', code => resolve({ code, stdout, stderr }));
	});
}
