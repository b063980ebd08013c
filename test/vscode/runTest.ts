/**
 * `npm run test:vscode`: the extension-host suite (test/vscode/suite) in VS Code desktop through
 * @vscode/test-electron, which downloads VS Code — for machines with internet access. Where VS
 * Code cannot be downloaded, scripts/test-editors.sh runs the same suite inside code-server.
 *
 * The workspace is a fresh temporary copy of test/vscode/fixtures/workspace (the suite edits and
 * saves its files). Needs dist/ (node esbuild.mjs) and the compiled suite (tsc -p test/vscode).
 * VSCODE_TEST_VERSION picks the VS Code version (default: stable).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
	const root = path.resolve(__dirname, '..', '..', '..');
	const extensionTestsPath = path.join(__dirname, 'suite', 'index');
	for (const f of [path.join(root, 'dist', 'extension.js'), path.join(root, 'dist', 'server.js'), `${extensionTestsPath}.js`]) {
		if (!fs.existsSync(f)) { throw new Error(`${f} is missing: build first (node esbuild.mjs; tsc -p test/vscode)`); }
	}
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-vscode-'));
	const workspace = path.join(scratch, 'workspace');
	fs.cpSync(path.join(root, 'test', 'vscode', 'fixtures', 'workspace'), workspace, { recursive: true });
	try {
		await runTests({
			version: process.env.VSCODE_TEST_VERSION || 'stable',
			extensionDevelopmentPath: root,
			extensionTestsPath,
			launchArgs: [
				workspace,
				'--disable-extensions',
				'--disable-workspace-trust',
				'--skip-welcome',
				'--skip-release-notes',
				`--user-data-dir=${path.join(scratch, 'user-data')}`,
			],
		});
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

main().catch(e => {
	console.error(`extension-host suite (VS Code desktop): FAILED: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
});
