/**
 * Entry point of the extension-host suite, loaded by the editor as `extensionTestsPath`: under
 * @vscode/test-electron (test/vscode/runTest.ts) and inside code-server through the smoke-test
 * driver (test/vscode/runInCodeServer.ts). Runs every `*.test.js` next to it with mocha and
 * rejects when a test fails (or none ran), which makes the editor exit with a non-zero code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
	const files = fs.readdirSync(__dirname).filter(f => f.endsWith('.test.js')).sort();
	for (const f of files) { mocha.addFile(path.join(__dirname, f)); }
	return new Promise((resolve, reject) => {
		if (files.length === 0) {
			reject(new Error(`no *.test.js files in ${__dirname}: compile the suite first (tsc -p test/vscode)`));
			return;
		}
		try {
			const runner = mocha.run(failures => {
				const passes = runner.stats?.passes ?? 0;
				const summary = `extension-host suite: ${passes} passing, ${failures} failing`;
				console.log(summary);
				if (failures > 0) { reject(new Error(summary)); } else if (passes === 0) { reject(new Error('extension-host suite: no test ran')); } else { resolve(); }
			});
		} catch (e) {
			reject(e instanceof Error ? e : new Error(String(e)));
		}
	});
}
