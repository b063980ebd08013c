/**
 * Completion over LSP, shaped for the client: VS Code's client resolves documentation lazily and
 * takes shared values from `itemDefaults`, so the list leaves the documentation to
 * `completionItem/resolve`; a client that declares neither (Neovim 0.7's built-in client) gets
 * the documentation on every item.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, CompletionList, InitializeResult } from 'vscode-languageserver-protocol';
import { LspClient, VSCODE_COMPLETION } from '../helpers/lspClient';

const URI = 'file:///completion/nginx/site.conf';
const TEXT = 'http {\n    server {\n        location / {\n            uwsgi_p\n        }\n    }\n}\n';
const AT = { textDocument: { uri: URI }, position: { line: 3, character: 19 } };

describe('completion over LSP', () => {
	const clients: LspClient[] = [];
	after(async () => { for (const c of clients) { await c.shutdown(); } });

	async function start(completion?: typeof VSCODE_COMPLETION): Promise<{ client: LspClient; init: InitializeResult }> {
		const client = new LspClient();
		clients.push(client);
		const init = await client.initialize(null, completion);
		await client.open(URI, 'nginx', TEXT);
		return { client, init };
	}

	let vscode: { client: LspClient; init: InitializeResult };
	let plain: { client: LspClient; init: InitializeResult };
	before(async () => { vscode = await start(VSCODE_COMPLETION); plain = await start(); });

	it('advertises completionItem/resolve', () => {
		assert.equal(vscode.init.capabilities.completionProvider?.resolveProvider, true);
	});

	it('gives VS Code a list without documentation, the range and format once, and the documentation on resolve', async () => {
		const list = await vscode.client.request<CompletionList>('textDocument/completion', AT);
		assert.deepEqual(list.itemDefaults?.editRange, { start: { line: 3, character: 12 }, end: { line: 3, character: 19 } });
		assert.equal(list.itemDefaults?.insertTextFormat, 2);
		const item = list.items.find(i => i.label === 'uwsgi_pass');
		assert.deepEqual(item, { label: 'uwsgi_pass', kind: 10, detail: 'ngx_http_uwsgi_module', textEditText: 'uwsgi_pass $1;' });
		assert.ok(list.items.every(i => i.documentation === undefined && i.textEdit === undefined));
		// the client sends the item back with the list's data, as vscode-languageclient does
		const resolved = await vscode.client.request<CompletionItem>('completionItem/resolve', { ...item, data: list.itemDefaults?.data });
		assert.match((resolved.documentation as { value: string }).value, /^\*\*uwsgi_pass\*\*[\s\S]*ngx_http_uwsgi_module\.html#uwsgi_pass/);
		assert.equal(resolved.label, 'uwsgi_pass');
		assert.equal(resolved.textEditText, 'uwsgi_pass $1;');
	});

	it('gives a client without resolve the documentation on every item, and the same items', async () => {
		const list = await plain.client.request<CompletionList>('textDocument/completion', AT);
		assert.equal(list.itemDefaults, undefined);
		const item = list.items.find(i => i.label === 'uwsgi_pass')!;
		assert.deepEqual(item.textEdit, { range: { start: { line: 3, character: 12 }, end: { line: 3, character: 19 } }, newText: 'uwsgi_pass $1;' });
		assert.match((item.documentation as { value: string }).value, /^\*\*uwsgi_pass\*\*[\s\S]*ngx_http_uwsgi_module\.html#uwsgi_pass/);
		const lazy = await vscode.client.request<CompletionList>('textDocument/completion', AT);
		assert.deepEqual(lazy.items.map(i => i.label), list.items.map(i => i.label));
		// resolving an item that already has its documentation changes nothing
		assert.deepEqual(await plain.client.request<CompletionItem>('completionItem/resolve', item), item);
	});
});
