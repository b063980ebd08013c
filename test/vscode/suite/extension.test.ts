/**
 * The extension in a real extension host, through the real `vscode` API: activation, diagnostics
 * of both languages and across files, hover, completion (documentation on resolve), a quick fix,
 * "Convert to unix socket" over two files saved to disk, a settings change, and a language server
 * that dies and is restarted.
 *
 * The workspace is a temporary copy of test/vscode/fixtures/workspace (the runners copy it), so
 * the tests may edit and save its files. The tests run in order and build on each other: the
 * quick fix changes `vaccum`, the conversion then saves both files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'uwsgi-nginx.uwsgi-nginx';
const SECTION = 'uwsgiNginx';
const TIMEOUT_MS = 20_000;

// Lines (0-based) in the fixture files.
const INI = { vaccum: 4, harakiri: 5, socket: 6 };
const NGINX = { uwsgiPass: 9, uwsgiPas: 14, proxyPass: 18 };

function workspaceFolder(): vscode.Uri {
	const folder = vscode.workspace.workspaceFolders?.[0];
	assert.ok(folder, 'the suite needs a workspace folder (a copy of test/vscode/fixtures/workspace)');
	return folder.uri;
}

const iniUri = (): vscode.Uri => vscode.Uri.joinPath(workspaceFolder(), 'uwsgi', 'app_uwsgi.ini');
const nginxUri = (): vscode.Uri => vscode.Uri.joinPath(workspaceFolder(), 'nginx', 'site.conf');

function codeOf(d: vscode.Diagnostic): string | undefined {
	const c = d.code;
	if (c === undefined) { return undefined; }
	return typeof c === 'object' ? String(c.value) : String(c);
}

function describeDiagnostics(uri: vscode.Uri): string {
	const list = vscode.languages.getDiagnostics(uri);
	if (list.length === 0) { return '(none)'; }
	return list.map(d => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)} ${d.message}`).join('\n    ');
}

/** Polls `probe` every 100 ms until it returns a value other than undefined/false, or fails after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => T | undefined | false, detail: () => string = () => '', timeoutMs = TIMEOUT_MS): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined && value !== false) { return value; }
		if (Date.now() > deadline) {
			const more = detail();
			throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${more ? `\n  ${more}` : ''}`);
		}
		await new Promise(r => setTimeout(r, 100));
	}
}

function findDiagnostic(uri: vscode.Uri, code: string, line: number): vscode.Diagnostic | undefined {
	return vscode.languages.getDiagnostics(uri).find(d => codeOf(d) === code && d.range.start.line === line);
}

function waitForDiagnostic(uri: vscode.Uri, code: string, line: number): Promise<vscode.Diagnostic> {
	return waitFor(`${code} on line ${line + 1} of ${vscode.workspace.asRelativePath(uri)}`,
		() => findDiagnostic(uri, code, line), () => `diagnostics now: ${describeDiagnostics(uri)}`);
}

async function waitForNoDiagnostic(uri: vscode.Uri, code: string): Promise<void> {
	await waitFor(`${code} to disappear from ${vscode.workspace.asRelativePath(uri)}`,
		() => !vscode.languages.getDiagnostics(uri).some(d => codeOf(d) === code), () => `diagnostics now: ${describeDiagnostics(uri)}`);
}

function hoverText(hovers: vscode.Hover[]): string {
	return hovers.flatMap(h => h.contents).map(c => typeof c === 'string' ? c : c.value).join('\n');
}

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
	const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range);
	return (all ?? []).filter((a): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string'));
}

async function openDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
	const doc = await vscode.workspace.openTextDocument(uri);
	await vscode.window.showTextDocument(doc, { preview: false });
	return doc;
}

async function restoreSeverities(): Promise<void> {
	const config = vscode.workspace.getConfiguration(SECTION, workspaceFolder());
	if (config.inspect('diagnostics.severity')?.workspaceValue !== undefined) {
		await config.update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Workspace);
	}
}

describe('uWSGI + nginx in a real extension host', () => {
	before(() => {
		assert.ok(fs.existsSync(iniUri().fsPath), `fixture missing: ${iniUri().fsPath}`);
		assert.ok(fs.existsSync(nginxUri().fsPath), `fixture missing: ${nginxUri().fsPath}`);
	});

	after(async () => {
		await restoreSeverities();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('activates on an nginx file and serves a uWSGI ini, with the language ids nginx and uwsgi-ini', async () => {
		const ext = vscode.extensions.getExtension(EXTENSION_ID);
		assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this editor`);
		const events: string[] = ext.packageJSON.activationEvents ?? [];
		assert.ok(events.includes('onLanguage:nginx') && events.includes('onLanguage:uwsgi-ini'), `activation events: ${events.join(', ')}`);
		assert.equal(ext.isActive, false, 'the extension is active before any nginx or uWSGI file is open');

		const nginx = await openDocument(nginxUri());
		assert.equal(nginx.languageId, 'nginx');
		await waitFor('the extension to activate on an nginx document', () => ext.isActive);

		const ini = await openDocument(iniUri());
		assert.equal(ini.languageId, 'uwsgi-ini');
		assert.equal(ext.isActive, true);
	});

	it('reports uWSGI, nginx and cross-file diagnostics', async () => {
		const unknownOption = await waitForDiagnostic(iniUri(), 'uwsgi-unknown-option', INI.vaccum);
		assert.match(unknownOption.message, /vaccum/);
		assert.match(unknownOption.message, /vacuum/);

		const unknownDirective = await waitForDiagnostic(nginxUri(), 'nginx-unknown-directive', NGINX.uwsgiPas);
		assert.match(unknownDirective.message, /uwsgi_pas/);
		assert.equal(unknownDirective.severity, vscode.DiagnosticSeverity.Error);

		// nginx's proxy_pass http://127.0.0.1:8001 against the uWSGI ini's socket = 127.0.0.1:8001
		const mismatch = await waitForDiagnostic(nginxUri(), 'protocol-mismatch', NGINX.proxyPass);
		assert.equal(mismatch.severity, vscode.DiagnosticSeverity.Error);
		assert.match(mismatch.message, /uwsgi protocol/);
		const related = (mismatch.relatedInformation ?? []).map(r => r.location.uri.toString());
		assert.ok(related.includes(iniUri().toString()), `the mismatch points to the uWSGI file; related: ${related.join(', ') || '(none)'}`);
	});

	it('shows the documentation of a uWSGI option and an nginx directive on hover', async () => {
		const iniHovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', iniUri(), new vscode.Position(INI.harakiri, 3));
		const iniText = hoverText(iniHovers ?? []);
		assert.match(iniText, /harakiri/, `hover on harakiri: ${iniText || '(none)'}`);

		const nginxHovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', nginxUri(), new vscode.Position(NGINX.uwsgiPass, 10));
		const nginxText = hoverText(nginxHovers ?? []);
		assert.match(nginxText, /uwsgi_pass/, `hover on uwsgi_pass: ${nginxText || '(none)'}`);
	});

	it('completes uWSGI option names', async () => {
		const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', iniUri(), new vscode.Position(INI.vaccum, 3));
		const labels = (list?.items ?? []).map(i => typeof i.label === 'string' ? i.label : i.label.label);
		assert.ok(labels.includes('vacuum'), `completions at "vac": ${labels.slice(0, 20).join(', ')}${labels.length > 20 ? ', …' : ''}`);
	});

	it('completes nginx directives with their documentation, which the server sends on resolve', async () => {
		// the start of `uwsgi_pass` in a location; the first items are resolved, as the editor does for the one it shows
		const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', nginxUri(), new vscode.Position(NGINX.uwsgiPass, 8), undefined, 3);
		const items = list?.items ?? [];
		const labels = items.map(i => typeof i.label === 'string' ? i.label : i.label.label);
		assert.ok(labels.includes('uwsgi_pass'), `completions in a location: ${labels.slice(0, 20).join(', ')}`);
		for (const item of items.slice(0, 3)) {
			const doc = item.documentation;
			const text = typeof doc === 'string' ? doc : doc?.value ?? '';
			assert.match(text, /\[nginx documentation\]\(https:\/\//, `documentation of ${String(typeof item.label === 'string' ? item.label : item.label.label)}: ${text || '(none)'}`);
		}
	});

	it('follows a settings change: a code turned off disappears from open files, and comes back', async () => {
		await waitForDiagnostic(iniUri(), 'uwsgi-unknown-option', INI.vaccum);
		const config = vscode.workspace.getConfiguration(SECTION, workspaceFolder());
		await config.update('diagnostics.severity', { 'uwsgi-unknown-option': 'off' }, vscode.ConfigurationTarget.Workspace);
		try {
			await waitForNoDiagnostic(iniUri(), 'uwsgi-unknown-option');
			// the other findings stay
			assert.ok(findDiagnostic(nginxUri(), 'nginx-unknown-directive', NGINX.uwsgiPas), `nginx diagnostics now: ${describeDiagnostics(nginxUri())}`);
		} finally {
			await restoreSeverities();
		}
		await waitForDiagnostic(iniUri(), 'uwsgi-unknown-option', INI.vaccum);
	});

	it("applies the quick fix \"Change to 'vacuum'\"", async () => {
		const diagnostic = await waitForDiagnostic(iniUri(), 'uwsgi-unknown-option', INI.vaccum);
		const actions = await codeActions(iniUri(), diagnostic.range);
		const fix = actions.find(a => a.title === "Change to 'vacuum'");
		assert.ok(fix, `code actions on vaccum: ${actions.map(a => a.title).join(' | ') || '(none)'}`);
		assert.ok(fix.edit, 'the quick fix carries an edit');
		assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'workspace.applyEdit refused the edit');
		const doc = await vscode.workspace.openTextDocument(iniUri());
		assert.equal(doc.lineAt(INI.vaccum).text, 'vacuum = true');
		await waitForNoDiagnostic(iniUri(), 'uwsgi-unknown-option');
	});

	it('converts the TCP socket to a unix socket in the uWSGI and the nginx file', async () => {
		const actions = await codeActions(iniUri(), new vscode.Range(INI.socket, 10, INI.socket, 10));
		const convert = actions.find(a => a.title.startsWith('Convert to unix socket'));
		assert.ok(convert, `code actions on the socket line: ${actions.map(a => a.title).join(' | ') || '(none)'}`);
		assert.equal(convert.title, 'Convert to unix socket /run/uwsgi/app.sock');
		assert.ok(convert.edit, 'the action carries an edit');
		const touched = convert.edit.entries().map(([uri]) => uri.toString()).sort();
		assert.deepEqual(touched, [iniUri().toString(), nginxUri().toString()].sort(), 'the edit changes both files');
		assert.equal(await vscode.workspace.applyEdit(convert.edit), true, 'workspace.applyEdit refused the edit');

		for (const uri of [iniUri(), nginxUri()]) {
			const doc = await vscode.workspace.openTextDocument(uri);
			assert.equal(await doc.save(), true, `saving ${vscode.workspace.asRelativePath(uri)} failed`);
		}
		const ini = fs.readFileSync(iniUri().fsPath, 'utf8');
		const nginx = fs.readFileSync(nginxUri().fsPath, 'utf8');
		assert.match(ini, /^socket = \/run\/uwsgi\/app\.sock$/m, `uWSGI file on disk:\n${ini}`);
		assert.doesNotMatch(ini, /127\.0\.0\.1:8001/, `uWSGI file on disk:\n${ini}`);
		assert.match(ini, /^chmod-socket = 660$/m, `uWSGI file on disk:\n${ini}`);
		// vacuum was already set by the quick fix, so it is not added twice
		assert.equal(ini.match(/^vacuum = true$/gm)?.length, 1, `uWSGI file on disk:\n${ini}`);
		assert.match(nginx, /^ {4}server unix:\/run\/uwsgi\/app\.sock;$/m, `nginx file on disk:\n${nginx}`);
		assert.doesNotMatch(nginx, /server 127\.0\.0\.1:8001/, `nginx file on disk:\n${nginx}`);
	});

	it('reports on the uWSGI command line of a Dockerfile, which stays a dockerfile document', async () => {
		const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		const events: string[] = ext.packageJSON.activationEvents ?? [];
		assert.ok(events.includes('onLanguage:dockerfile'), `activation events: ${events.join(', ')}`);
		const dir = vscode.Uri.joinPath(workspaceFolder(), 'docker');
		fs.mkdirSync(dir.fsPath, { recursive: true });
		const uri = vscode.Uri.joinPath(dir, 'Dockerfile');
		// written now, not in the fixture: a Dockerfile present at startup would activate the extension early (workspaceContains)
		fs.writeFileSync(uri.fsPath, 'FROM python:3.12\nCMD ["uwsgi", "--http-socket", "127.0.0.1:38000", "--vaccum", "--master"]\n');
		const doc = await openDocument(uri);
		assert.equal(doc.languageId, 'dockerfile', 'the Dockerfile keeps its language');
		const unknown = await waitForDiagnostic(uri, 'uwsgi-unknown-option', 1);
		assert.equal(doc.getText(unknown.range), 'vaccum');
		const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, doc.lineAt(1).text.indexOf('master') + 1));
		assert.match(hoverText(hovers ?? []), /master/);
	});

	it('verifies with the installed nginx and uWSGI: nginx -t refuses uwsgi_pas on its line, and we agree', async () => {
		interface Entry { tool: string; verdict: string; agrees?: boolean; said: { uri: string; line?: number; message: string }[] }
		const result = await vscode.commands.executeCommand<{ report: { entries: Entry[] }; text: string } | undefined>('uwsgiNginx.verify');
		assert.ok(result, 'the verify command returned no report (is the workspace trusted, and nginx installed?)');
		const nginx = result.report.entries.find(e => e.tool === 'nginx');
		assert.ok(nginx, `no nginx entry in:\n${result.text}`);
		assert.equal(nginx.verdict, 'refused', result.text);
		assert.equal(nginx.agrees, true, result.text);
		assert.deepEqual(nginx.said.map(x => [x.line, x.message]), [[NGINX.uwsgiPas, '[emerg] unknown directive "uwsgi_pas"']]);
		const d = await waitFor('the nginx -t diagnostic on the uwsgi_pas line', () => vscode.languages.getDiagnostics(nginxUri()).find(x => x.source === 'nginx -t' && x.range.start.line === NGINX.uwsgiPas), () => `diagnostics now: ${describeDiagnostics(nginxUri())}`);
		assert.match(d.message, /unknown directive "uwsgi_pas" — we agree/);
	});

	it('restarts a language server that dies, tells the user, and serves again', async () => {
		const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		const api = ext.exports as { notices: readonly string[] } | undefined;
		assert.ok(api && Array.isArray(api.notices), 'activate() returns the notices it showed');
		const before = serverProcesses();
		assert.equal(before.length, 1, `one language server runs as a child of this extension host (pid ${process.pid}); found ${JSON.stringify(before)}`);
		const noticesBefore = api.notices.length;
		// what an out-of-memory kill or a crash looks like to the client: the process is gone
		process.kill(before[0], 'SIGKILL');
		const notice = await waitFor('a notice that the server was restarted', () => api.notices.slice(noticesBefore).find(n => /stopped unexpectedly and was restarted/.test(n)));
		assert.match(notice, /uWSGI \+ nginx/);
		const after = await waitFor('a new language server process', () => { const p = serverProcesses(); return p.length === 1 && p[0] !== before[0] ? p : undefined; });
		assert.notEqual(after[0], before[0]);
		// the new server has the open documents: an edit gets its diagnostic
		const doc = await openDocument(iniUri());
		const line = doc.lineCount;
		const insert = new vscode.WorkspaceEdit();
		insert.insert(iniUri(), new vscode.Position(line, 0), `${doc.getText().endsWith('\n') ? '' : '\n'}procesess = 4\n`);
		assert.equal(await vscode.workspace.applyEdit(insert), true);
		const d = await waitFor('uwsgi-unknown-option on the new line after the restart', () => vscode.languages.getDiagnostics(iniUri()).find(x => codeOf(x) === 'uwsgi-unknown-option' && /procesess/.test(x.message)), () => `diagnostics now: ${describeDiagnostics(iniUri())}`);
		assert.match(d.message, /processes/);
		const undo = new vscode.WorkspaceEdit();
		undo.replace(iniUri(), new vscode.Range(d.range.start.line, 0, d.range.start.line + 1, 0), '');
		assert.equal(await vscode.workspace.applyEdit(undo), true);
		assert.equal(await doc.save(), true);
	});
});

/** Language server processes started by this extension host: children of this process running dist/server.js. */
function serverProcesses(): number[] {
	const found: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) { continue; }
		try {
			const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
			if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) { continue; }
			const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (cmdline.some(a => /dist[\\/]server\.js$/.test(a))) { found.push(Number(entry)); }
		} catch {
			// the process ended while we looked
		}
	}
	return found;
}
