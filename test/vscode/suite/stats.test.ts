/**
 * Live stats in a real extension host: the "Show live stats" code lens on a uWSGI config's
 * `stats` option, and the command it runs opening the view on the real uWSGI (Debian's, started
 * here on loopback) — the command answers with the view's first reading.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const APP = 'def application(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"ok"]\n';

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer().on('error', reject);
		s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
	});
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const up = await new Promise<boolean>(resolve => {
			const c = net.connect(port, '127.0.0.1');
			c.on('data', () => { c.destroy(); resolve(true); }).on('end', () => resolve(true)).on('error', () => resolve(false));
		});
		if (up) { return; }
		if (child.exitCode !== null || Date.now() > deadline) { throw new Error(`uWSGI's stats server on ${port} did not come up (exit ${child.exitCode}):\n${log()}`); }
		await new Promise(r => setTimeout(r, 200));
	}
}

describe('live uWSGI stats in a real extension host', () => {
	let uwsgi: ChildProcess | undefined;
	let dir: string;
	let statsPort: number;
	let output = '';

	before(async function () {
		this.timeout(30_000);
		assert.ok(fs.existsSync('/usr/bin/uwsgi'), 'uwsgi is not installed: apt-get install uwsgi uwsgi-plugin-python3');
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-ext-stats-'));
		fs.writeFileSync(path.join(dir, 'app.py'), APP);
		statsPort = await freePort();
		const httpPort = await freePort();
		fs.writeFileSync(path.join(dir, 'run.ini'), `[uwsgi]\nplugin = python3\nmaster = true\nprocesses = 2\nhttp-socket = 127.0.0.1:${httpPort}\nchdir = ${dir}\nwsgi-file = app.py\nstats = 127.0.0.1:${statsPort}\ndie-on-term = true\n`);
		uwsgi = spawn('uwsgi', ['--ini', path.join(dir, 'run.ini')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		uwsgi.stdout!.on('data', d => { output += d; });
		uwsgi.stderr!.on('data', d => { output += d; });
		await waitForPort(statsPort, uwsgi, () => output);
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (uwsgi?.pid && uwsgi.exitCode === null) { try { process.kill(-uwsgi.pid, 'SIGKILL'); } catch { /* gone */ } }
		if (dir) { fs.rmSync(dir, { recursive: true, force: true }); }
	});

	it('offers "Show live stats" on the stats option, with the address resolved, and opens the view on the real uWSGI', async function () {
		this.timeout(30_000);
		const folder = vscode.workspace.workspaceFolders![0].uri;
		const ini = vscode.Uri.joinPath(folder, 'uwsgi', 'stats_uwsgi.ini');
		fs.writeFileSync(ini.fsPath, `[uwsgi]\nmaster = true\nstats-port = ${statsPort}\nstats = 127.0.0.1:%(stats-port)\n`);
		const doc = await vscode.workspace.openTextDocument(ini);
		await vscode.window.showTextDocument(doc, { preview: false });
		let lenses: vscode.CodeLens[] = [];
		const deadline = Date.now() + 20_000;
		while (!lenses.length && Date.now() < deadline) {
			lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', ini)) ?? [];
			if (!lenses.length) { await new Promise(r => setTimeout(r, 200)); }
		}
		assert.equal(lenses.length, 1, 'one code lens on the stats line');
		assert.equal(lenses[0].range.start.line, 3);
		const command = lenses[0].command!;
		assert.equal(command.title, `$(pulse) Show live stats · 127.0.0.1:${statsPort}`);
		assert.equal(command.command, 'uwsgiNginx.showStats');
		const outcome = await vscode.commands.executeCommand<{ outcome: string; address: string; summary: { workers: number; requests: number } }>(command.command, ...(command.arguments ?? []));
		assert.equal(outcome.outcome, 'ok', JSON.stringify(outcome));
		assert.equal(outcome.address, `127.0.0.1:${statsPort}`);
		assert.equal(outcome.summary.workers, 2);
		// the view is open beside the file
		const tabs = () => vscode.window.tabGroups.all.flatMap(g => g.tabs).map(t => t.label);
		const until = Date.now() + 10_000;
		while (!tabs().includes(`uWSGI stats · 127.0.0.1:${statsPort}`)) {
			assert.ok(Date.now() < until, `no stats view among the tabs: ${tabs().join(', ')}`);
			await new Promise(r => setTimeout(r, 100));
		}
	});
});
