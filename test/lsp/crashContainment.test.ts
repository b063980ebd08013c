/**
 * Crash containment through the real server (issue 8): with UWSGI_NGINX_FAULTS naming
 * validators, features and LSP handlers that throw, the server logs each as an internal error,
 * answers that request with its empty result (never a JSON-RPC error), keeps publishing the
 * other validators' diagnostics and keeps serving — then shuts down cleanly. A request cancelled
 * before it runs is answered RequestCancelled.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type CompletionList, type Diagnostic } from 'vscode-languageserver-protocol';
import { FAULTS_ENV } from '../../server/src/lsp/server';
import { LspClient, SERVER } from '../helpers/lspClient';

const NGINX_URI = 'file:///crash/nginx/site.conf';
const INI_URI = 'file:///crash/uwsgi.ini';
const NGINX_TEXT = 'server {\n    uwsgi_pas x;\n    listen 99999;\n    location / {\n        uwsgi_pass 127.0.0.1:3031;\n    }\n}\n';
const INI_TEXT = '[uwsgi]\nvaccum = true\nmaster = flase\n';
const doc = (uri: string) => ({ textDocument: { uri } });
const pos = (line: number, character: number) => ({ line, character });

function start(faults: string[]): LspClient {
	assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
	return new LspClient(['--stdio'], { env: { ...process.env, [FAULTS_ENV]: faults.join(',') } });
}

/** The internal-error lines the server logged (type 1: error), by where they happened. */
function internalErrors(client: LspClient): string[] {
	return client.logs.filter(l => l.type === 1).map(l => /^internal error in (.+?): /.exec(l.message)?.[1] ?? l.message);
}

async function waitForLog(client: LspClient, where: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!internalErrors(client).includes(where)) {
		if (Date.now() > deadline) { throw new Error(`no internal error logged for ${where}; logged: ${JSON.stringify(internalErrors(client))}; stderr: ${client.stderr}`); }
		await new Promise(r => setTimeout(r, 20));
	}
}

const codes = (ds: Diagnostic[]) => ds.map(d => `${String(d.code)} ${d.range.start.line}`);

/** `got` holds every one of `present` and none of `absent` (other checks may add findings of their own). */
function hasAll(got: string[], present: string[], absent: string[]): void {
	for (const p of present) { assert.ok(got.includes(p), `${p} missing from ${JSON.stringify(got)}`); }
	for (const a of absent) { assert.ok(!got.includes(a), `${a} in ${JSON.stringify(got)}`); }
}

describe('crash containment through the real server', () => {
	describe('a throwing validator and throwing features', () => {
		let client: LspClient;
		before(async () => {
			client = start(['checkUnknownDirectives', 'checkUnknownOptions', 'hover', 'completion', 'code actions', 'symbols', 'definition', 'formatting']);
			await client.initialize(null);
		});
		after(async () => {
			assert.equal(await client.shutdown(), 0, 'the server exits 0 after shutdown + exit');
		});

		it('the other validators still publish; the throwing one is logged and its findings are missing', async () => {
			await client.open(NGINX_URI, 'nginx', NGINX_TEXT);
			await client.open(INI_URI, 'uwsgi-ini', INI_TEXT);
			const nginx = await client.waitForDiagnostics(NGINX_URI, p => p.version === 1);
			const ini = await client.waitForDiagnostics(INI_URI, p => p.version === 1);
			// without the fault: nginx-unknown-directive on line 1, uwsgi-unknown-option on line 1
			hasAll(codes(nginx), ['nginx-invalid-value 2', 'nginx-missing-uwsgi-params 4'], ['nginx-unknown-directive 1']);
			hasAll(codes(ini), ['uwsgi-suspicious-boolean 2'], ['uwsgi-unknown-option 1']);
			await waitForLog(client, 'validator checkUnknownDirectives');
			await waitForLog(client, 'validator checkUnknownOptions');
			assert.match(client.logs.find(l => l.message.includes('validator checkUnknownDirectives'))!.message, /InjectedFault: injected fault/);
		});

		it('each throwing feature answers with its empty result, not an error, and is logged', async () => {
			assert.equal(await client.request('textDocument/hover', { ...doc(NGINX_URI), position: pos(2, 6) }), null);
			assert.deepEqual(await client.request<CompletionList>('textDocument/completion', { ...doc(NGINX_URI), position: pos(2, 6) }), { isIncomplete: false, items: [] });
			const diagnostics = client.diagnostics.get(NGINX_URI)!.diagnostics;
			assert.deepEqual(await client.request('textDocument/codeAction', { ...doc(NGINX_URI), range: diagnostics[0].range, context: { diagnostics } }), []);
			assert.deepEqual(await client.request('textDocument/documentSymbol', doc(NGINX_URI)), []);
			assert.deepEqual(await client.request('textDocument/definition', { ...doc(NGINX_URI), position: pos(4, 20) }), []);
			assert.deepEqual(await client.request('textDocument/formatting', { ...doc(NGINX_URI), options: { tabSize: 4, insertSpaces: true } }), []);
			for (const where of ['hover', 'completion', 'code actions', 'symbols', 'definition', 'formatting']) { await waitForLog(client, where); }
		});

		it('the features that do not throw keep working, and so does validation after an edit', async () => {
			const folding = await client.request<{ startLine: number }[]>('textDocument/foldingRange', doc(NGINX_URI));
			assert.deepEqual(folding.map(f => f.startLine), [0, 3]);
			const links = await client.request<unknown[]>('textDocument/documentLink', doc(INI_URI));
			assert.deepEqual(links, []);
			await client.change(NGINX_URI, 2, [{ range: { start: pos(2, 11), end: pos(2, 16) }, text: '80' }]);
			const nginx = await client.waitForDiagnostics(NGINX_URI, p => p.version === 2);
			hasAll(codes(nginx), ['nginx-missing-uwsgi-params 4'], ['nginx-invalid-value 2', 'nginx-unknown-directive 1']);
			assert.ok(client.process.exitCode === null && !client.process.killed, 'the server is still running');
		});
	});

	describe('throwing LSP handlers and a throwing publisher', () => {
		let client: LspClient;
		before(async () => {
			client = start(['lsp textDocument/documentSymbol', 'lsp textDocument/hover', 'lsp workspace/didChangeWatchedFiles', 'lsp publish']);
			await client.initialize(null);
		});
		after(async () => {
			assert.equal(await client.shutdown(), 0, 'the server exits 0 after shutdown + exit');
		});

		it('a throwing request handler gives the empty result and a logged internal error', async () => {
			await client.open(NGINX_URI, 'nginx', NGINX_TEXT);
			assert.deepEqual(await client.request('textDocument/documentSymbol', doc(NGINX_URI)), []);
			assert.equal(await client.request('textDocument/hover', { ...doc(NGINX_URI), position: pos(2, 6) }), null);
			await waitForLog(client, 'lsp textDocument/documentSymbol');
			await waitForLog(client, 'lsp textDocument/hover');
		});

		it('a throwing notification handler and a publisher that throws are logged; requests are still answered', async () => {
			await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'file:///crash/x.conf', type: 1 }] });
			await waitForLog(client, 'lsp workspace/didChangeWatchedFiles');
			await waitForLog(client, `publishing diagnostics for ${NGINX_URI}`);
			assert.equal(client.diagnostics.get(NGINX_URI), undefined, 'nothing was published');
			const folding = await client.request<{ startLine: number }[]>('textDocument/foldingRange', doc(NGINX_URI));
			assert.deepEqual(folding.map(f => f.startLine), [0, 3]);
			const completion = await client.request<CompletionList>('textDocument/completion', { ...doc(NGINX_URI), position: pos(1, 8) });
			assert.ok(completion.items.some(i => i.label === 'listen'), 'completion still answers');
		});
	});

	it('a request cancelled before it runs is answered RequestCancelled, not computed', async () => {
		const client = new LspClient(['--stdio']);
		try {
			await client.initialize(null);
			// a large document keeps the server busy validating, so the requests below queue up behind it
			const big = 'server {\n' + '    location /x { uwsgi_pass 127.0.0.1:3031; include uwsgi_params; }\n'.repeat(40_000) + '}\n';
			await client.open(NGINX_URI, 'nginx', big);
			const source = new CancellationTokenSource();
			const hover = client.connection.sendRequest('textDocument/hover', { ...doc(NGINX_URI), position: pos(1, 20) }, source.token);
			source.cancel();
			await assert.rejects(hover, (e: { code?: number }) => e.code === -32800, 'RequestCancelled');
			// the next request is answered as usual
			assert.match(JSON.stringify(await client.request('textDocument/hover', { ...doc(NGINX_URI), position: pos(1, 22) })), /uwsgi_pass/);
			assert.deepEqual(internalErrors(client), []);
		} finally {
			assert.equal(await client.shutdown(), 0);
		}
	});

	it('without the variable, no fault is injected and nothing is logged as an internal error', async () => {
		const env = { ...process.env };
		delete env[FAULTS_ENV];
		const client = new LspClient(['--stdio'], { env });
		try {
			await client.initialize(null);
			await client.open(NGINX_URI, 'nginx', NGINX_TEXT);
			const nginx = await client.waitForDiagnostics(NGINX_URI, p => p.version === 1);
			hasAll(codes(nginx), ['nginx-unknown-directive 1', 'nginx-invalid-value 2', 'nginx-missing-uwsgi-params 4'], []);
			assert.ok((await client.request<unknown[]>('textDocument/documentSymbol', doc(NGINX_URI))).length > 0);
			assert.deepEqual(internalErrors(client), []);
			assert.ok(!client.logs.some(l => l.message.includes(FAULTS_ENV)), 'no mention of the variable');
		} finally {
			assert.equal(await client.shutdown(), 0);
		}
	});
});
