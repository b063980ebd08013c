/**
 * Runs the extension-host suite (test/vscode/suite) inside code-server — the real VS Code
 * workbench and extension host — the way @vscode/test-electron runs it in VS Code desktop:
 * code-server starts with the smoke-test driver, the workbench URL carries the payload
 * extensionDevelopmentPath (the repository root) + extensionTestsPath (the compiled suite), and
 * the workbench reports the suite's result by calling window.codeAutomationExit(code), which
 * Playwright exposes. Exits with that code.
 *
 * Run by scripts/test-editors.sh (which installs code-server and Chromium and sets the
 * environment); needs the compiled suite (tsc -p test/vscode) and dist/ (node esbuild.mjs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, copyTree, launchChromium, log, prepareUserData, remoteUri, scratchDir, startCodeServer, withTimeout, workbenchUrl } from './codeServer';

const SUITE_TIMEOUT_MS = 240_000;

async function main(): Promise<number> {
	const suite = path.join(__dirname, 'suite', 'index.js');
	for (const f of [suite, path.join(ROOT, 'dist', 'extension.js'), path.join(ROOT, 'dist', 'server.js')]) {
		if (!fs.existsSync(f)) { throw new Error(`${f} is missing: build first (node esbuild.mjs; tsc -p test/vscode)`); }
	}
	const workspace = copyTree(path.join(ROOT, 'test', 'vscode', 'fixtures', 'workspace'), path.join(scratchDir(), 'suite-workspace'));
	const userDataDir = scratchDir('suite-user-data');
	prepareUserData(userDataDir);
	const server = await startCodeServer({ name: 'suite', userDataDir, extensionsDir: scratchDir('suite-extensions'), smokeTestDriver: true });
	const consoleLog = path.join(scratchDir('logs'), 'suite-browser-console.log');
	const consoleOut = fs.createWriteStream(consoleLog);
	let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
	let suiteLines = 0;
	const recent: string[] = [];
	try {
		browser = await launchChromium(scratchDir('suite-chromium'));
		const page = browser.pages()[0] ?? await browser.newPage();
		let reportExit: (code: number) => void = () => undefined;
		const exit = new Promise<number>(resolve => { reportExit = resolve; });
		await page.exposeFunction('codeAutomationExit', (code: number) => { reportExit(Number(code)); });
		page.on('console', msg => {
			const text = msg.text();
			consoleOut.write(`[${msg.type()}] ${text}\n`);
			recent.push(`[${msg.type()}] ${text.slice(0, 2000)}`);
			if (recent.length > 30) { recent.shift(); }
			// the extension host's console (the suite's report) arrives as workbench log lines
			for (const line of text.split('\n')) {
				const m = /\[suite\] (.*)$/.exec(line);
				if (m) { suiteLines++; process.stdout.write(`    ${m[1]}\n`); }
			}
		});
		page.on('pageerror', e => consoleOut.write(`[pageerror] ${e.message}\n`));
		const payload: [string, string][] = [
			['extensionDevelopmentPath', remoteUri(server, ROOT)],
			['extensionTestsPath', remoteUri(server, suite)],
		];
		log(`opening the workbench with the suite (workspace ${workspace})`);
		await page.goto(workbenchUrl(server, workspace, payload));
		await withTimeout(Promise.race([page.locator('.monaco-workbench').first().waitFor({ timeout: 60_000 }), server.died]), 61_000, 'the workbench to load');
		const code = await withTimeout(Promise.race([exit, server.died]), SUITE_TIMEOUT_MS,
			`the suite did not report its result (window.codeAutomationExit); browser console: ${consoleLog}`);
		log(`the workbench reported exit code ${code}`);
		if (code !== 0 && suiteLines === 0) {
			console.error(`the suite printed nothing: did the extension host load it? Browser console (${consoleLog}) ends with:`);
			console.error(recent.join('\n'));
			console.error(`code-server log:\n${server.logTail()}`);
		}
		return code;
	} finally {
		consoleOut.end();
		await browser?.close().catch(() => undefined);
		await server.stop();
	}
}

main().then(code => {
	if (code !== 0) { console.error(`extension-host suite in code-server: FAILED (exit code ${code})`); }
	process.exit(code);
}, e => {
	console.error(`extension-host suite in code-server: could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
	process.exit(1);
});
