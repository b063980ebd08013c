/**
 * code-server and Chromium for the tests that need a real VS Code here (see
 * scripts/test-editors.sh, which installs both and sets the environment read below):
 * starting code-server on a free loopback port with fresh user data, installing a .vsix,
 * launching Debian's Chromium through playwright-core, and stopping all of it again.
 *
 * Environment: CODE_SERVER_BIN (the code-server launcher), NODE24_BIN (the folder of Node 24,
 * put first on PATH for code-server only), EDITORS_SCRATCH (a folder for user data, logs and
 * workspace copies), CHROMIUM (default /usr/bin/chromium).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export function requireEnv(name: string): string {
	const value = process.env[name];
	if (!value) { throw new Error(`${name} is not set: run the editor tests through scripts/test-editors.sh`); }
	return value;
}

export function scratchDir(...parts: string[]): string {
	const dir = path.join(requireEnv('EDITORS_SCRATCH'), ...parts);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** A fresh copy of `source` at `target` (removed first), so the tests may change files on disk. */
export function copyTree(source: string, target: string): string {
	fs.rmSync(target, { recursive: true, force: true });
	fs.cpSync(source, target, { recursive: true });
	return target;
}

function codeServerEnv(): NodeJS.ProcessEnv {
	const node24 = requireEnv('NODE24_BIN');
	return { ...process.env, PATH: `${node24}${path.delimiter}${process.env.PATH ?? ''}` };
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			srv.close(() => typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')));
		});
	});
}

export function log(message: string): void {
	console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function tail(file: string, lines = 40): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** User data for one code-server: settings that keep the workbench quiet and predictable. */
export function prepareUserData(userDataDir: string): void {
	fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
	fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({
		'workbench.startupEditor': 'none',
		'workbench.tips.enabled': false,
		'workbench.secondarySideBar.defaultVisibility': 'hidden',
		'workbench.enableExperiments': false,
		'telemetry.telemetryLevel': 'off',
		'extensions.autoCheckUpdates': false,
		'extensions.autoUpdate': false,
		'extensions.ignoreRecommendations': true,
		'update.mode': 'none',
		'security.workspace.trust.enabled': false,
		'chat.disableAIFeatures': true,
		'editor.hover.delay': 300,
		// screenshots the same from run to run: no blinking, no fading scrollbar
		'editor.cursorBlinking': 'solid',
		'editor.scrollbar.vertical': 'visible',
		'window.restoreWindows': 'none',
	}, null, '\t'));
}

/** `code-server --install-extension vsix`; fails with code-server's output when it does not install. */
export function installVsix(vsix: string, userDataDir: string, extensionsDir: string, expectedFolderPrefix: string): void {
	const r = spawnSync(requireEnv('CODE_SERVER_BIN'), ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
		{ env: codeServerEnv(), encoding: 'utf8', timeout: 120_000 });
	const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
	if (r.status !== 0) { throw new Error(`code-server --install-extension ${vsix} failed (status ${r.status}, ${r.error?.message ?? ''}):\n${output}`); }
	const installed = fs.readdirSync(extensionsDir).filter(d => d.startsWith(expectedFolderPrefix));
	if (installed.length !== 1) { throw new Error(`after installing ${vsix}, ${extensionsDir} holds ${fs.readdirSync(extensionsDir).join(', ') || 'nothing'}:\n${output}`); }
	log(`installed ${path.basename(vsix)} → ${installed[0]}`);
}

export interface CodeServer {
	readonly url: string;
	readonly port: number;
	readonly logFile: string;
	/** Rejects when code-server exits before stop() is called. */
	readonly died: Promise<never>;
	stop(): Promise<void>;
	logTail(): string;
}

export interface CodeServerOptions {
	readonly name: string;
	readonly userDataDir: string;
	readonly extensionsDir: string;
	readonly smokeTestDriver?: boolean;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
	const port = await freePort();
	const logFile = path.join(scratchDir('logs'), `code-server-${options.name}.log`);
	const out = fs.openSync(logFile, 'w');
	const args = [
		'--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
		'--disable-workspace-trust', '--disable-getting-started-override', '--disable-file-downloads',
		'--user-data-dir', options.userDataDir, '--extensions-dir', options.extensionsDir,
	];
	if (options.smokeTestDriver) { args.push('--vscode-option', 'enable-smoke-test-driver'); }
	// Its own process group, so stop() ends code-server with its extension host and helpers.
	const child: ChildProcess = spawn(requireEnv('CODE_SERVER_BIN'), args, { env: codeServerEnv(), stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	let stopping = false;
	const exited = new Promise<void>(resolve => child.on('exit', () => resolve()));
	const died = new Promise<never>((_, reject) => {
		child.on('exit', (code, signal) => {
			if (!stopping) { reject(new Error(`code-server (${options.name}) exited early: status ${code}, signal ${signal}\n${tail(logFile)}`)); }
		});
		child.on('error', e => reject(new Error(`code-server could not start: ${e.message}`)));
	});
	died.catch(() => undefined);
	const url = `http://127.0.0.1:${port}`;
	const stop = async (): Promise<void> => {
		stopping = true;
		if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) { return; }
		const group = -child.pid;
		try { process.kill(group, 'SIGTERM'); } catch { return; }
		const done = await Promise.race([exited.then(() => true), new Promise<boolean>(r => setTimeout(() => r(false), 5000))]);
		// the group may outlive its leader (the extension host); end whatever is left
		try { process.kill(group, done ? 'SIGTERM' : 'SIGKILL'); } catch { /* already gone */ }
		await new Promise(r => setTimeout(r, 300));
		try { process.kill(group, 'SIGKILL'); } catch { /* already gone */ }
	};
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok) { break; }
		} catch { /* not listening yet */ }
		if (child.exitCode !== null || child.signalCode !== null) { await died.catch(e => { throw e; }); }
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`code-server (${options.name}) did not answer ${url}/healthz within 60 s\n${tail(logFile)}`);
		}
		await new Promise(r => setTimeout(r, 200));
	}
	log(`code-server (${options.name}) is up at ${url} (log: ${logFile})`);
	return { url, port, logFile, died, stop, logTail: () => tail(logFile) };
}

/** Debian's Chromium through playwright-core, with a fresh profile at `profileDir`. */
export async function launchChromium(profileDir: string, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
	const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
	if (!fs.existsSync(executablePath)) { throw new Error(`${executablePath} is missing: apt-get install chromium (scripts/test-editors.sh does)`); }
	fs.rmSync(profileDir, { recursive: true, force: true });
	return chromium.launchPersistentContext(profileDir, {
		executablePath,
		headless: true,
		viewport,
		deviceScaleFactor: 1,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
	});
}

/** The workbench URL that opens `folder`, optionally with a smoke-test-driver payload. */
export function workbenchUrl(server: CodeServer, folder: string, payload?: [string, string][]): string {
	let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
	if (payload) { url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`; }
	return url;
}

/** A path on the code-server machine as the remote URI the workbench uses for it. */
export function remoteUri(server: CodeServer, file: string): string {
	return `vscode-remote://127.0.0.1:${server.port}${file.split(path.sep).map(encodeURIComponent).join('/')}`;
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms); })]);
	} finally {
		clearTimeout(timer);
	}
}
