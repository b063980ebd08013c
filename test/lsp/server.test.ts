/** LSP-level tests: the built server (dist/server.js) over stdio, real JSON-RPC. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, Hover, DocumentSymbol, FoldingRange } from 'vscode-languageserver-protocol';
import { pathToUri } from '../../server/src/utils/uri';
import { LspClient, SERVER } from '../helpers/lspClient';

describe('language server over stdio', () => {
	let client: LspClient;
	let workspace: string;

	before(async () => {
		assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
		workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-lsp-'));
		fs.mkdirSync(path.join(workspace, 'nginx'));
		fs.writeFileSync(path.join(workspace, 'base.ini'), '[uwsgi]\nsocket = %(sockdir)/app.sock\n');
		client = new LspClient();
		const init = await client.initialize(pathToUri(workspace));
		assert.equal(init.serverInfo?.name, 'uwsgi-nginx-language-server');
		assert.equal((init.capabilities.textDocumentSync as { change: number }).change, 2, 'incremental sync');
		assert.ok(init.capabilities.hoverProvider);
		assert.ok(init.capabilities.completionProvider);
		assert.ok(init.capabilities.codeActionProvider);
		assert.ok(init.capabilities.documentSymbolProvider);
		assert.ok(init.capabilities.foldingRangeProvider);
	});

	after(async () => {
		const code = await client.shutdown();
		assert.equal(code, 0, 'server exits 0 after shutdown + exit');
		fs.rmSync(workspace, { recursive: true, force: true });
	});

	it('publishes uwsgi-unknown-option for a uWSGI ini and offers the quick fix', async () => {
		const uri = pathToUri(path.join(workspace, 'uwsgi.ini'));
		await client.open(uri, 'uwsgi-ini', '[uwsgi]\nvaccum = true\nmaster = true\n');
		const diags = await client.waitForDiagnostics(uri, p => p.version === 1);
		assert.equal(diags.length, 1);
		const d = diags[0];
		assert.equal(d.code, 'uwsgi-unknown-option');
		assert.equal(d.source, 'uwsgi');
		assert.equal(d.severity, 2);
		assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
		assert.match(d.codeDescription!.href, /DIAGNOSTICS\.md#uwsgi-unknown-option/);
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
		assert.equal(actions[0].title, "Change to 'vacuum'");
		assert.deepEqual(actions[0].edit!.changes![uri], [{ range: d.range, newText: 'vacuum' }]);
	});

	it('publishes nginx-unknown-directive for an nginx config and offers the quick fix', async () => {
		const uri = pathToUri(path.join(workspace, 'nginx', 'site.conf'));
		await client.open(uri, 'nginx', 'server {\n    location / {\n        uwsgi_pas unix:/run/uwsgi/app.sock;\n    }\n}\n');
		const diags = await client.waitForDiagnostics(uri, p => p.version === 1);
		assert.deepEqual(diags.map(d => [d.code, d.severity, d.source, d.range.start.line, d.range.start.character, d.range.end.character]), [['nginx-unknown-directive', 1, 'nginx', 2, 8, 17]]);
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } });
		assert.equal(actions[0].title, "Change to 'uwsgi_pass'");
	});

	it('re-publishes after incremental changes, for the new version', async () => {
		const uri = pathToUri(path.join(workspace, 'edit_uwsgi.ini'));
		await client.open(uri, 'uwsgi-ini', '[uwsgi]\nvacuum = true\n');
		assert.equal((await client.waitForDiagnostics(uri, p => p.version === 1)).length, 0);
		// vacuum -> vaccum (insert a "c" after "vac")
		await client.change(uri, 2, [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }, text: 'c' }]);
		const d2 = await client.waitForDiagnostics(uri, p => p.version === 2);
		assert.deepEqual(d2.map(d => d.code), ['uwsgi-unknown-option']);
		await client.change(uri, 3, [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 4 } }, text: '' }]);
		assert.equal((await client.waitForDiagnostics(uri, p => p.version === 3)).length, 0);
	});

	it('answers hover and completion', async () => {
		const uri = pathToUri(path.join(workspace, 'hover_uwsgi.ini'));
		await client.open(uri, 'uwsgi-ini', '[uwsgi]\nharakiri = 30\nmas\n');
		const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 2 } });
		assert.match((hover.contents as { value: string }).value, /\*\*harakiri\*\*/);
		const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 3 } });
		assert.ok(list.items.some(i => i.label === 'master'));
		const nginxUri = pathToUri(path.join(workspace, 'nginx', 'hover.conf'));
		await client.open(nginxUri, 'nginx', 'location / {\n    uwsgi_pass unix:/a.sock;\n}\n');
		const h2 = await client.request<Hover>('textDocument/hover', { textDocument: { uri: nginxUri }, position: { line: 1, character: 6 } });
		assert.match((h2.contents as { value: string }).value, /nginx\.org\/en\/docs\/http\/ngx_http_uwsgi_module\.html#uwsgi_pass/);
	});

	it('answers document symbols and folding ranges', async () => {
		const uri = pathToUri(path.join(workspace, 'nginx', 'sym.conf'));
		await client.open(uri, 'nginx', 'http {\n  server {\n    listen 80;\n  }\n}\n');
		const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
		assert.equal(symbols[0].name, 'http');
		assert.equal(symbols[0].children![0].name, 'server');
		const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
		assert.deepEqual(folds.map(f => [f.startLine, f.endLine]), [[0, 3], [1, 2]]);
	});

	it('formats a document and a range, changing only blanks', async () => {
		const uri = pathToUri(path.join(workspace, 'nginx', 'fmt.conf'));
		await client.open(uri, 'nginx', 'server {\nlisten 80;\n    location / {\n  return 200;\n}\n}\n');
		const edits = await client.request<{ range: { start: { line: number } }; newText: string }[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
		assert.ok(edits.length > 0);
		assert.ok(edits.every(e => /^[ \t\r\n]*$/.test(e.newText)), 'only blanks are written');
		const ranged = await client.request<{ range: { start: { line: number }; end: { line: number } } }[]>('textDocument/rangeFormatting', { textDocument: { uri }, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 11 } }, options: { tabSize: 4, insertSpaces: true } });
		assert.ok(ranged.every(e => e.range.start.line === 3 && e.range.end.line === 3));
	});

	it('treats an ini document as uWSGI only when it has a [uwsgi] section', async () => {
		const plain = pathToUri(path.join(workspace, 'setup.ini'));
		await client.open(plain, 'ini', '[metadata]\nnmae = x\n');
		const ours = pathToUri(path.join(workspace, 'app.ini'));
		await client.open(ours, 'ini', '[uwsgi]\nvaccum = 1\n');
		assert.deepEqual((await client.waitForDiagnostics(ours, p => p.version === 1)).map(d => d.code), ['uwsgi-unknown-option']);
		assert.deepEqual(await client.waitForDiagnostics(plain, p => p.version === 1), []);
	});

	it('pulls settings per resource and re-validates open documents when they change', async () => {
		const uri = pathToUri(path.join(workspace, 'settings_uwsgi.ini'));
		await client.open(uri, 'uwsgi-ini', '[uwsgi]\nvaccum = true\n');
		assert.equal((await client.waitForDiagnostics(uri, p => p.version === 1 && p.diagnostics.length === 1))[0].severity, 2);
		assert.ok(client.configurationRequests > 0, 'workspace/configuration was used');
		client.settings = { diagnostics: { severity: { 'uwsgi-unknown-option': 'off' } } };
		await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
		await client.waitForDiagnostics(uri, p => p.diagnostics.length === 0);
		client.settings = { diagnostics: { severity: { 'uwsgi-unknown-option': 'error' } } };
		await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
		const d = await client.waitForDiagnostics(uri, p => p.diagnostics.length === 1 && p.diagnostics[0].severity === 1);
		assert.equal(d[0].code, 'uwsgi-unknown-option');
		client.settings = {};
		await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
		await client.waitForDiagnostics(uri, p => p.diagnostics.length === 1 && p.diagnostics[0].severity === 2);
	});

	it('knows the workspace files on disk: a placeholder used by base.ini is not an unknown option', async () => {
		const uri = pathToUri(path.join(workspace, 'vassal_uwsgi.ini'));
		await client.open(uri, 'uwsgi-ini', '[uwsgi]\nsockdir = /run/uwsgi\nini = base.ini\n');
		assert.deepEqual(await client.waitForDiagnostics(uri, p => p.version === 1), []);
	});

	it('follows watched file events: a deleted file no longer counts', async () => {
		const uri = pathToUri(path.join(workspace, 'vassal2_uwsgi.ini'));
		await client.open(uri, 'uwsgi-ini', '[uwsgi]\nsockdir = /run/uwsgi\n');
		assert.deepEqual(await client.waitForDiagnostics(uri, p => p.version === 1), []);
		fs.rmSync(path.join(workspace, 'base.ini'));
		await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(path.join(workspace, 'base.ini')), type: 3 }] });
		const d = await client.waitForDiagnostics(uri, p => p.diagnostics.length === 1);
		assert.equal(d[0].code, 'uwsgi-unknown-option');
	});
});

describe('language server entry point', () => {
	it('prints usage and exits 2 without a transport', async () => {
		const { spawnSync } = await import('node:child_process');
		const r = spawnSync(process.execPath, [SERVER], { encoding: 'utf8' });
		assert.equal(r.status, 2);
		assert.match(r.stdout, /--stdio/);
	});
});
