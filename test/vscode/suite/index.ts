/**
 * Entry point of the extension-host suite, loaded by the editor as `extensionTestsPath`: under
 * @vscode/test-electron (test/vscode/runTest.ts) and inside code-server through the smoke-test
 * driver (test/vscode/runInCodeServer.ts). Runs every `*.test.js` next to it with mocha and
 * rejects when a test fails, is skipped, or none ran, which makes the editor exit with a non-zero
 * code.
 *
 * The report is plain lines starting with "[suite]": code-server forwards the extension host's
 * console to the browser as log lines (format strings unexpanded), and the runner picks ours out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

const say = (text: string): void => console.log(text.split('\n').map(l => `[suite] ${l}`).join('\n'));

class PlainReporter extends Mocha.reporters.Base {
	constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
		super(runner, options);
		runner.on('suite', s => { if (s.title) { say(s.fullTitle()); } });
		runner.on('pass', t => say(`  ✔ ${t.title} (${t.duration ?? 0} ms)`));
		runner.on('pending', t => say(`  - ${t.title} (skipped: counts as a failure)`));
		runner.on('fail', (t, err: Error) => say(`  ✖ ${t.title}\n${(err.stack ?? err.message).replace(/^/gm, '      ')}`));
	}
}

export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
	mocha.reporter(PlainReporter);
	const files = fs.readdirSync(__dirname).filter(f => f.endsWith('.test.js')).sort();
	for (const f of files) { mocha.addFile(path.join(__dirname, f)); }
	return new Promise((resolve, reject) => {
		if (files.length === 0) {
			reject(new Error(`no *.test.js files in ${__dirname}: compile the suite first (tsc -p test/vscode)`));
			return;
		}
		try {
			const started = Date.now();
			const runner = mocha.run(failures => {
				const passes = runner.stats?.passes ?? 0;
				const pending = runner.stats?.pending ?? 0;
				const summary = `${passes} passing, ${failures} failing, ${pending} skipped (${((Date.now() - started) / 1000).toFixed(1)} s)`;
				say(summary);
				if (failures > 0 || pending > 0) { reject(new Error(`extension-host suite: ${summary}`)); } else if (passes === 0) { reject(new Error('extension-host suite: no test ran')); } else { resolve(); }
			});
		} catch (e) {
			reject(e instanceof Error ? e : new Error(String(e)));
		}
	});
}
