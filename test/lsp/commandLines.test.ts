/**
 * uWSGI command lines through the built server (dist/server.js over stdio): a Dockerfile found by
 * the workspace scan joins the seam with an nginx config; opened as `dockerfile` it gets the uWSGI
 * checks on its flags, the seam refactoring edits the flag in place, `-` triggers option names;
 * host files that do not run uWSGI get no diagnostics.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, Hover, Location } from 'vscode-languageserver-protocol';
import { pathToUri } from '../../server/src/utils/uri';
import { LspClient, SERVER } from '../helpers/lspClient';

const DOCKERFILE = 'FROM python:3.12\nWORKDIR /app\nCMD ["uwsgi", "--http-socket", "127.0.0.1:8000", "--vaccum", "--master"]\n';
const NGINX = 'server {\n    location / {\n        include uwsgi_params;\n        uwsgi_pass 127.0.0.1:8000;\n    }\n}\n';

describe('language server: uWSGI command lines in host files', () => {
	let client: LspClient;
	let workspace: string;

	before(async () => {
		assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
		workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-lsp-cmd-'));
		fs.mkdirSync(path.join(workspace, 'web'));
		fs.mkdirSync(path.join(workspace, 'nginx'));
		// on disk only: the scan must find it
		fs.writeFileSync(path.join(workspace, 'web', 'Dockerfile'), DOCKERFILE);
		client = new LspClient();
		const init = await client.initialize(pathToUri(workspace));
		assert.ok((init.capabilities.completionProvider?.triggerCharacters ?? []).includes('-'));
	});

	after(async () => {
		assert.equal(await client.shutdown(), 0);
		fs.rmSync(workspace, { recursive: true, force: true });
	});

	it('the nginx config sees the socket of the Dockerfile found on disk (protocol-mismatch, related to the flag)', async () => {
		const uri = pathToUri(path.join(workspace, 'nginx', 'site.conf'));
		await client.open(uri, 'nginx', NGINX);
		const diags = await client.waitForDiagnostics(uri, p => p.version === 1);
		const mismatch = diags.filter(d => d.code === 'protocol-mismatch');
		assert.equal(mismatch.length, 1, JSON.stringify(diags));
		assert.deepEqual(mismatch[0].range, { start: { line: 3, character: 19 }, end: { line: 3, character: 33 } });
		const related = mismatch[0].relatedInformation![0].location;
		assert.equal(related.uri, pathToUri(path.join(workspace, 'web', 'Dockerfile')));
		assert.equal(related.range.start.line, 2);
		const def = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: { line: 3, character: 22 } });
		assert.deepEqual(def.map(l => [l.uri, l.range.start.line]), [[related.uri, 2]]);
	});

	it('the Dockerfile, opened, gets the uWSGI checks on its flags with quick fixes in place', async () => {
		const uri = pathToUri(path.join(workspace, 'web', 'Dockerfile'));
		await client.open(uri, 'dockerfile', DOCKERFILE);
		const diags = await client.waitForDiagnostics(uri, p => p.version === 1);
		const unknown = diags.find(d => d.code === 'uwsgi-unknown-option')!;
		assert.ok(unknown, JSON.stringify(diags));
		const line = DOCKERFILE.split('\n')[2];
		assert.deepEqual(unknown.range, { start: { line: 2, character: line.indexOf('vaccum') }, end: { line: 2, character: line.indexOf('vaccum') + 6 } });
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } });
		assert.deepEqual(actions[0].edit!.changes![uri], [{ range: unknown.range, newText: 'vacuum' }]);
	});

	it('Convert to unix socket edits the Dockerfile flag and the nginx target', async () => {
		const uri = pathToUri(path.join(workspace, 'web', 'Dockerfile'));
		const at = { line: 2, character: DOCKERFILE.split('\n')[2].indexOf('127.0.0.1') + 2 };
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
		const convert = actions.find(a => a.title === 'Convert to unix socket /run/uwsgi/web.sock');
		assert.ok(convert, JSON.stringify(actions.map(a => a.title)));
		const edits = convert.edit!.changes!;
		assert.deepEqual(edits[uri].map(e => e.newText), ['/run/uwsgi/web.sock', ', "--vacuum", "--chmod-socket", "660", "--chown-socket", "www-data:www-data"']);
		assert.deepEqual(edits[pathToUri(path.join(workspace, 'nginx', 'site.conf'))].map(e => e.newText), ['unix:/run/uwsgi/web.sock']);
	});

	it('hover on a flag, and "-" triggers option names only on command lines', async () => {
		const uri = pathToUri(path.join(workspace, 'web', 'Dockerfile'));
		const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: DOCKERFILE.split('\n')[2].indexOf('master') + 1 } });
		assert.match((hover.contents as { value: string }).value, /\*\*master\*\*/);
		const script = pathToUri(path.join(workspace, 'start.sh'));
		await client.open(script, 'shellscript', '#!/bin/sh\nexec uwsgi --\n');
		await client.waitForDiagnostics(script, p => p.version === 1);
		const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: script }, position: { line: 1, character: 13 }, context: { triggerKind: 2, triggerCharacter: '-' } });
		assert.ok(list.items.some(i => i.label === '--socket'));
		const nginx = pathToUri(path.join(workspace, 'nginx', 'site.conf'));
		const none = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: nginx }, position: { line: 3, character: 8 }, context: { triggerKind: 2, triggerCharacter: '-' } });
		assert.equal(none, null);
	});

	it('host files that do not run uWSGI get no diagnostics, and are not formatted', async () => {
		const compose = pathToUri(path.join(workspace, 'docker-compose.yml'));
		await client.open(compose, 'yaml', 'services:\n  web:\n    command: gunicorn --bind :8000 --vaccum\n');
		assert.deepEqual(await client.waitForDiagnostics(compose, p => p.version === 1), []);
		const uri = pathToUri(path.join(workspace, 'web', 'Dockerfile'));
		const edits = await client.request<unknown[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
		assert.deepEqual(edits, []);
	});
});
