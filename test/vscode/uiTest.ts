/**
 * The UI test: the packaged extension (uwsgi-nginx.vsix, installed with
 * `code-server --install-extension`) in code-server, driven in Debian's Chromium by
 * playwright-core, on a temporary copy of examples/. What a user sees: the language of each file,
 * squiggles, the Problems panel, a hover with the documentation, a quick fix applied from the
 * Ctrl+. menu and saved to disk, and the "Convert to unix socket" action in the menu.
 *
 * Writes the README's screenshots to docs/images/ (1280x800 PNG, under 300 KB each):
 *   cross-file-diagnostic.png  the protocol-mismatch squiggle in nginx with its hover, Problems open
 *   hover.png                  the hover of a uWSGI option (harakiri)
 *   convert-to-unix-socket.png the code action menu on a uWSGI TCP socket
 *   live-stats.png             the live stats view beside the uWSGI config that runs the server
 *                              (Debian's uWSGI, started here on loopback, with traffic and a slow request)
 *
 * A step that fails is retried once (the reason is logged, a screenshot of the failure is kept in
 * the scratch folder); a second failure fails the test. Run by scripts/test-editors.sh.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT, copyTree, freePort, installVsix, launchChromium, log, prepareUserData, scratchDir, startCodeServer, workbenchUrl, type CodeServer } from './codeServer';

const IMAGES = path.join(ROOT, 'docs', 'images');
const MAX_SCREENSHOT_BYTES = 300 * 1024;
const VIEWPORT = { width: 1280, height: 800 };

let retries = 0;

async function step(page: Page, name: string, fn: () => Promise<void>): Promise<void> {
	const started = Date.now();
	try {
		await fn();
	} catch (e) {
		retries++;
		const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
		const shot = path.join(scratchDir('failures'), `${name.replace(/\W+/g, '-')}-1.png`);
		await page.screenshot({ path: shot }).catch(() => undefined);
		log(`RETRY "${name}": the first attempt failed: ${reason} (screenshot: ${shot})`);
		for (let i = 0; i < 3; i++) { await page.keyboard.press('Escape'); }
		try {
			await fn();
		} catch (e2) {
			const shot2 = path.join(scratchDir('failures'), `${name.replace(/\W+/g, '-')}-2.png`);
			await page.screenshot({ path: shot2 }).catch(() => undefined);
			throw new Error(`step "${name}" failed twice; last: ${e2 instanceof Error ? e2.message : String(e2)} (screenshot: ${shot2})`);
		}
	}
	log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function screenshot(page: Page, file: string): Promise<void> {
	const target = path.join(IMAGES, file);
	fs.mkdirSync(IMAGES, { recursive: true });
	// animations fast-forwarded: the hover's fade-in complete, not half-transparent
	await page.screenshot({ path: target, type: 'png', animations: 'disabled', caret: 'hide' });
	const size = fs.statSync(target).size;
	if (size > MAX_SCREENSHOT_BYTES) { throw new Error(`${target} is ${Math.round(size / 1024)} KB, more than ${MAX_SCREENSHOT_BYTES / 1024} KB`); }
	log(`     wrote docs/images/${file} (${Math.round(size / 1024)} KB)`);
}

const editor = (page: Page): Locator => page.locator('.editor-group-container.active .monaco-editor').first();

async function openFile(page: Page, relative: string, language: RegExp): Promise<void> {
	await page.keyboard.press('Control+P');
	const input = page.locator('.quick-input-widget input').first();
	await waitFor(input, 'the Quick Open input (Ctrl+P)', 10_000);
	await input.fill(relative);
	const name = path.basename(relative);
	await waitFor(page.locator('.quick-input-widget .monaco-list-row', { hasText: name }), `${relative} in Quick Open`, 10_000);
	await page.keyboard.press('Enter');
	await waitFor(page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`), `the editor tab of ${relative}`, 10_000);
	await expectText(page.locator('#status\\.editor\\.mode'), language, 15_000, `the language of ${relative} in the status bar`);
}

/** Moves the cursor in the active editor (1-based line and column) with Quick Open's ":line:column". */
async function goTo(page: Page, line: number, column: number): Promise<void> {
	await page.keyboard.press('Control+P');
	const input = page.locator('.quick-input-widget input').first();
	await waitFor(input, 'the Quick Open input (Ctrl+P)', 10_000);
	await input.fill(`:${line}:${column}`);
	await waitFor(page.locator('.quick-input-widget .monaco-list-row', { hasText: `line ${line}` }), `"line ${line}" in Quick Open`, 10_000);
	await page.keyboard.press('Enter');
	await waitFor(input, 'Quick Open to close', 10_000, 'hidden');
	await expectText(page.locator('#status\\.editor\\.selection'), new RegExp(`Ln ${line}, Col ${column}\\b`), 10_000, 'the cursor position in the status bar');
}

/** Waits for `locator` (its first match) to reach `state`; the error says what was awaited. */
async function waitFor(locator: Locator, what: string, timeout: number, state: 'visible' | 'attached' | 'hidden' | 'detached' = 'visible'): Promise<void> {
	try {
		await locator.first().waitFor({ state, timeout });
	} catch {
		throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} (${state})`);
	}
}

const problemRows = (page: Page): Locator => page.locator('.markers-panel .monaco-list-row');

/** Opens the Problems panel unless it is open (Ctrl+Shift+M toggles it when focused). */
async function showProblems(page: Page): Promise<void> {
	if (!await page.locator('.markers-panel').first().isVisible()) { await page.keyboard.press('Control+Shift+M'); }
	await waitFor(page.locator('.markers-panel'), 'the Problems panel', 10_000);
}

async function problem(page: Page, text: string, timeout: number): Promise<void> {
	await waitFor(problemRows(page).filter({ hasText: text }), `"${text}" in the Problems panel`, timeout);
}

/** Hides the panel (Ctrl+J toggles it), for more room in the editor. */
async function hidePanel(page: Page): Promise<void> {
	const panel = page.locator('.part.panel');
	if (await panel.first().isVisible()) { await page.keyboard.press('Control+J'); }
	await waitFor(panel, 'the panel to close', 5000, 'hidden');
}

/** Waits until the text of `locator` matches `pattern` (and not `unless`, when given). */
async function expectText(locator: Locator, pattern: RegExp, timeout: number, what: string, unless?: RegExp): Promise<string> {
	const deadline = Date.now() + timeout;
	let last = '';
	for (;;) {
		last = (await locator.first().textContent({ timeout: 1000 }).catch(() => null)) ?? '';
		if (pattern.test(last) && !unless?.test(last)) { return last; }
		if (Date.now() > deadline) { throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} to match ${pattern}; it is "${last.slice(0, 300)}"`); }
		await new Promise(r => setTimeout(r, 200));
	}
}

/**
 * Shows the hover at the cursor (Ctrl+K Ctrl+I) and waits until it contains `pattern` and is
 * complete (no "Checking for quick fixes…" left), so screenshots are the same from run to run.
 */
async function showHover(page: Page, pattern: RegExp): Promise<string> {
	await page.keyboard.press('Control+K');
	await page.keyboard.press('Control+I');
	return expectText(page.locator('.monaco-hover:not(.hidden)'), pattern, 15_000, 'the hover', /Checking for quick fixes/);
}

async function openCodeActions(page: Page, title: RegExp): Promise<Locator> {
	await page.keyboard.press('Control+.');
	const row = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
	await waitFor(row, `${title} in the code action menu (Ctrl+.)`, 15_000);
	return row;
}

async function waitForFile(file: string, pattern: RegExp, timeout: number): Promise<void> {
	const deadline = Date.now() + timeout;
	for (;;) {
		const text = fs.readFileSync(file, 'utf8');
		if (pattern.test(text)) { return; }
		if (Date.now() > deadline) { throw new Error(`${file} on disk does not match ${pattern} after ${timeout / 1000} s:\n${text}`); }
		await new Promise(r => setTimeout(r, 200));
	}
}

async function run(page: Page, server: CodeServer, workspace: string): Promise<void> {
	await step(page, 'the workbench loads', async () => {
		await page.goto(workbenchUrl(server, workspace));
		await waitFor(page.locator('.monaco-workbench'), 'the workbench', 60_000);
		await waitFor(page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'classic-mistakes' }), 'the examples folder in the explorer', 30_000);
	});

	await step(page, 'nginx file: language nginx, squiggles', async () => {
		await openFile(page, 'classic-mistakes/nginx/shop.conf', /^nginx$/);
		await waitFor(editor(page).locator('.squiggly-error'), 'an error squiggle in shop.conf', 60_000, 'attached');
	});

	await step(page, 'Problems panel: the nginx findings, the cross-file one pointing to uwsgi.ini', async () => {
		await showProblems(page);
		await problem(page, 'Unknown directive "uwsgi_pas"', 15_000);
		await problem(page, 'proxy_pass speaks HTTP to 127.0.0.1:8001', 15_000);
		await problem(page, 'uWSGI serves the uwsgi protocol here', 15_000); // its related information in uwsgi.ini
	});

	await step(page, 'hover on the cross-file protocol mismatch (cross-file-diagnostic.png)', async () => {
		await goTo(page, 16, 20);
		await expectText(page.locator('.breadcrumbs-control'), /location \/api\/[\s\S]*proxy_pass/, 15_000, 'the breadcrumbs (document symbols)');
		// the finding with its related information in uwsgi.ini, the seam hover from the uWSGI side, a fix
		await showHover(page, /proxy_pass speaks HTTP to 127\.0\.0\.1:8001[\s\S]*uwsgi\.ini[\s\S]*Served by uWSGI[\s\S]*Quick Fix/);
		await screenshot(page, 'cross-file-diagnostic.png');
		await page.keyboard.press('Escape');
	});

	await step(page, 'uWSGI file: language uwsgi-ini, squiggles, Problems', async () => {
		await openFile(page, 'classic-mistakes/uwsgi.ini', /uWSGI ini/);
		await waitFor(editor(page).locator('.squiggly-warning'), 'a warning squiggle in uwsgi.ini', 30_000, 'attached');
		await waitFor(editor(page).locator('.squiggly-error'), 'an error squiggle in uwsgi.ini', 30_000, 'attached');
		await showProblems(page);
		await problem(page, 'Unknown option "vaccum"', 15_000);
		await problem(page, 'Invalid value for "workers"', 15_000);
		await hidePanel(page); // more room for the editor in the next screenshots
	});

	await step(page, 'hover on a uWSGI option (hover.png)', async () => {
		await goTo(page, 10, 3);
		await showHover(page, /harakiri[\s\S]{40,}/); // the name, then its documentation
		await screenshot(page, 'hover.png');
		await page.keyboard.press('Escape');
	});

	await step(page, 'the Ctrl+. menu offers "Convert to unix socket" (convert-to-unix-socket.png)', async () => {
		await goTo(page, 8, 12);
		await openCodeActions(page, /^Convert to unix socket/);
		await screenshot(page, 'convert-to-unix-socket.png');
		await page.keyboard.press('Escape');
		await page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
	});

	const ini = path.join(workspace, 'classic-mistakes', 'uwsgi.ini');
	await step(page, "quick fix \"Change to 'vacuum'\" from the Ctrl+. menu, saved to disk", async () => {
		const fixedLine = editor(page).locator('.view-line').filter({ hasText: /^vacuum\s=\strue$/ });
		if (!/^vacuum = true$/m.test(fs.readFileSync(ini, 'utf8'))) {
			if (await fixedLine.count() === 0) { // (a retry finds the fix applied but not saved)
				await goTo(page, 5, 3);
				const row = await openCodeActions(page, /Change to 'vacuum'/);
				await row.click();
				await waitFor(fixedLine, 'the fixed line "vacuum = true" in the editor', 10_000);
			}
			await page.keyboard.press('Control+S');
		}
		await waitForFile(ini, /^vacuum = true$/m, 10_000);
		const text = fs.readFileSync(ini, 'utf8');
		if (/vaccum/.test(text)) { throw new Error(`the typo is still in ${ini}:\n${text}`); }
	});

	await step(page, 'the Problems entry of the typo is gone, the others stay', async () => {
		await showProblems(page);
		await problem(page, 'Invalid value for "workers"', 15_000);
		await waitFor(problemRows(page).filter({ hasText: 'Unknown option "vaccum"' }), 'the "vaccum" entry in Problems to go', 20_000, 'detached');
	});
}

// ---------------------------------------------------------------------------------------------
// Live stats: a real uWSGI whose config sits in the workspace, with some traffic

const LIVE_APP = `import time


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/slow":
        time.sleep(120)
    elif environ.get("PATH_INFO") == "/report":
        time.sleep(0.05)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
`;

interface LiveUwsgi {
	readonly statsPort: number;
	readonly closedPort: number;
	stop(): void;
}

function get(port: number, urlPath: string): void {
	const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, res => { res.resume(); });
	req.on('error', () => undefined);
	req.setTimeout(130_000, () => req.destroy());
}

/** uWSGI from workspace/live-stats/live_uwsgi.ini (the file the test opens), plus a traffic loop. */
async function startLiveUwsgi(workspace: string): Promise<LiveUwsgi> {
	if (!fs.existsSync('/usr/bin/uwsgi')) { throw new Error('uwsgi is not installed: apt-get install uwsgi uwsgi-plugin-python3'); }
	const dir = path.join(workspace, 'live-stats');
	fs.mkdirSync(dir, { recursive: true });
	const httpPort = await freePort();
	const statsPort = await freePort();
	const closedPort = await freePort();
	fs.writeFileSync(path.join(dir, 'app.py'), LIVE_APP);
	fs.writeFileSync(path.join(dir, 'live_uwsgi.ini'), `[uwsgi]
plugin = python3
master = true
processes = 3
threads = 2
http-socket = 127.0.0.1:${httpPort}
wsgi-file = app.py
memory-report = true
harakiri = 300
stats = 127.0.0.1:${statsPort}
die-on-term = true
`);
	// the same app "in a container": its stats address is not reachable from here
	fs.writeFileSync(path.join(dir, 'container_uwsgi.ini'), `[uwsgi]
master = true
processes = 3
stats = 127.0.0.1:${closedPort}
`);
	const child: ChildProcess = spawn('uwsgi', ['--ini', 'live_uwsgi.ini'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const logFile = fs.createWriteStream(path.join(scratchDir('logs'), 'live-uwsgi.log'));
	child.stdout!.pipe(logFile);
	child.stderr!.pipe(logFile);
	const deadline = Date.now() + 15_000;
	for (;;) {
		const up = await new Promise<boolean>(resolve => {
			const c = net.connect(statsPort, '127.0.0.1');
			c.on('data', () => { c.destroy(); resolve(true); }).on('end', () => resolve(true)).on('error', () => resolve(false));
		});
		if (up) { break; }
		if (child.exitCode !== null || Date.now() > deadline) { throw new Error(`uWSGI did not start (exit ${child.exitCode}); log in ${scratchDir('logs')}/live-uwsgi.log`); }
		await new Promise(r => setTimeout(r, 200));
	}
	// one request that runs for minutes (a worker shows it as busy), and a varying stream of quick ones
	get(httpPort, '/slow');
	let tick = 0;
	const timer = setInterval(() => {
		tick++;
		const burst = 1 + Math.round(3 + 3 * Math.sin(tick / 12));
		for (let i = 0; i < burst; i++) { get(httpPort, i % 3 === 0 ? '/report' : '/'); }
	}, 250);
	return {
		statsPort, closedPort,
		stop: () => {
			clearInterval(timer);
			if (child.pid && child.exitCode === null) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
		},
	};
}

/** The webview's content frame (VS Code nests the page in two iframes). */
const statsFrame = (page: Page) => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

async function liveStats(page: Page, live: LiveUwsgi): Promise<void> {
	await step(page, 'the "Show live stats" code lens on the stats option opens the view', async () => {
		await hidePanel(page);
		// the side bar closed (Ctrl+B): room for the config and the view side by side
		if (await page.locator('.part.sidebar').first().isVisible()) { await page.keyboard.press('Control+B'); }
		await waitFor(page.locator('.part.sidebar'), 'the side bar to close', 5000, 'hidden');
		await openFile(page, 'live-stats/live_uwsgi.ini', /uWSGI ini/);
		const lens = page.locator('.codelens-decoration a', { hasText: `Show live stats · 127.0.0.1:${live.statsPort}` });
		await waitFor(lens, 'the "Show live stats" code lens', 30_000);
		await lens.first().click();
		await waitFor(page.locator('.tabs-container .tab', { hasText: `uWSGI stats · 127.0.0.1:${live.statsPort}` }), 'the stats view tab', 20_000);
	});

	await step(page, 'the view shows the workers, the busy one with its request, and fills its charts (live-stats.png)', async () => {
		const frame = statsFrame(page);
		await waitFor(frame.locator('table.workers tbody tr'), 'the workers table', 20_000);
		const rows = frame.locator('table.workers tbody tr');
		const deadline = Date.now() + 20_000;
		while (await rows.count() !== 3) {
			if (Date.now() > deadline) { throw new Error(`expected 3 worker rows, got ${await rows.count()}`); }
			await page.waitForTimeout(200);
		}
		await waitFor(frame.locator('.req code', { hasText: 'GET /slow' }), 'the slow request in the busy worker\'s row', 20_000);
		await waitFor(frame.locator('header h1', { hasText: /uWSGI 2\.0\./ }), 'the uWSGI version', 10_000);
		// about a dozen refreshes: the requests/s and memory lines have some history
		await waitFor(frame.locator('polyline.line.rps'), 'the requests/s line', 20_000, 'attached');
		await page.waitForTimeout(15_000);
		const rps = Number(await frame.locator('.card .value').first().textContent());
		if (!(rps > 0)) { throw new Error(`requests/s shows ${rps} while requests are sent`); }
		await screenshot(page, 'live-stats.png');
	});

	await step(page, 'Pause stops the refresh, Resume starts it again', async () => {
		const frame = statsFrame(page);
		await frame.locator('#pause').click();
		await expectText(frame.locator('#pause'), /^Resume$/, 5000, 'the Pause button to read Resume');
		const stamp = await frame.locator('#time').textContent();
		await page.waitForTimeout(3500);
		const after = await frame.locator('#time').textContent();
		if (after !== stamp) { throw new Error(`the view refreshed while paused: ${stamp} → ${after}`); }
		await frame.locator('#pause').click();
		await expectText(frame.locator('#pause'), /^Pause$/, 5000, 'the button to read Pause again');
		const until = Date.now() + 10_000;
		while (await frame.locator('#time').textContent() === after) {
			if (Date.now() > until) { throw new Error('no refresh within 10 s after Resume'); }
			await page.waitForTimeout(200);
		}
	});

	await step(page, 'an address not reachable from here asks for another one (a forwarded port), then shows it', async () => {
		// close everything: the prompt's answer must open a new view
		await page.keyboard.press('F1');
		const palette = page.locator('.quick-input-widget input').first();
		await waitFor(palette, 'the command palette', 10_000);
		await palette.fill('>View: Close All Editors');
		await waitFor(page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Close All Editors' }), '"Close All Editors" in the palette', 10_000);
		await page.keyboard.press('Enter');
		await waitFor(page.locator('.tabs-container .tab', { hasText: 'uWSGI stats' }), 'the stats view to close', 10_000, 'hidden');
		await openFile(page, 'live-stats/container_uwsgi.ini', /uWSGI ini/);
		const lens = page.locator('.codelens-decoration a', { hasText: `Show live stats · 127.0.0.1:${live.closedPort}` });
		await waitFor(lens, 'the code lens of the unreachable address', 30_000);
		await lens.first().click();
		const input = page.locator('.quick-input-widget input').first();
		await waitFor(page.locator('.quick-input-widget', { hasText: `Not reachable: nothing listens on 127.0.0.1:${live.closedPort}` }), 'the prompt for another address', 15_000);
		await input.fill(`127.0.0.1:${live.statsPort}`);
		await page.keyboard.press('Enter');
		await waitFor(page.locator('.tabs-container .tab', { hasText: `uWSGI stats · 127.0.0.1:${live.statsPort}` }), 'the stats view of the forwarded address', 20_000);
		await waitFor(statsFrame(page).locator('table.workers tbody tr'), 'the workers of the forwarded address', 20_000);
	});
}

async function main(): Promise<void> {
	const vsix = path.join(ROOT, 'uwsgi-nginx.vsix');
	if (!fs.existsSync(vsix)) { throw new Error(`${vsix} is missing: npm run package`); }
	const workspace = copyTree(path.join(ROOT, 'examples'), path.join(scratchDir(), 'ui-workspace', 'examples'));
	const userDataDir = scratchDir('ui-user-data');
	const extensionsDir = scratchDir('ui-extensions');
	prepareUserData(userDataDir);
	installVsix(vsix, userDataDir, extensionsDir, 'uwsgi-nginx.uwsgi-nginx-');
	const live = await startLiveUwsgi(workspace);
	process.on('exit', () => live.stop());
	const server = await startCodeServer({ name: 'ui', userDataDir, extensionsDir });
	let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
	try {
		browser = await launchChromium(scratchDir('ui-chromium'), VIEWPORT);
		const page = browser.pages()[0] ?? await browser.newPage();
		const consoleOut = fs.createWriteStream(path.join(scratchDir('logs'), 'ui-browser-console.log'));
		page.on('console', msg => consoleOut.write(`[${msg.type()}] ${msg.text()}\n`));
		try {
			await Promise.race([run(page, server, workspace).then(() => liveStats(page, live)), server.died]);
		} finally {
			consoleOut.end();
		}
	} finally {
		await browser?.close().catch(() => undefined);
		await server.stop();
		live.stop();
	}
}

main().then(() => {
	log(`UI test in code-server: passed${retries ? ` (${retries} step(s) needed their retry, see RETRY above)` : ''}`);
	process.exit(0);
}, e => {
	console.error(`UI test in code-server: FAILED: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
});
