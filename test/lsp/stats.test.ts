/**
 * The live-stats route through the built server: the code lens on `stats` options, and the
 * `uwsgiNginx/stats` request reading a stats server (here a Node server replaying a document
 * recorded from the real uWSGI; test/integration/stats.test.ts reads the real one).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { pathToUri } from '../../server/src/utils/uri';
import { LspClient, ROOT, SERVER } from '../helpers/lspClient';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'stats');

interface Result { outcome: string; message?: string; address?: string; html?: string; summary?: { workers: number; busy: number; requests: number; rps: number | null; running: number } }

describe('live stats through the language server', () => {
	let client: LspClient;
	let dir: string;
	let port: number;
	let served = 0;
	const documents = ['after-5-requests.json', 'busy.json'].map(f => fs.readFileSync(path.join(FIXTURES, f)));
	let server: net.Server;

	before(async () => {
		assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-lsp-stats-'));
		server = net.createServer(c => { c.end(documents[Math.min(served++, documents.length - 1)]); });
		await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
		port = (server.address() as net.AddressInfo).port;
		client = new LspClient();
		const init = await client.initialize(pathToUri(dir));
		assert.deepEqual(init.capabilities.codeLensProvider, { resolveProvider: false });
	});
	after(async () => {
		await client.shutdown();
		server.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('a code lens on the stats option, with the resolved address as the argument', async () => {
		const uri = pathToUri(path.join(dir, 'uwsgi.ini'));
		await client.open(uri, 'uwsgi-ini', `[uwsgi]\nmaster = true\nstats-port = ${port}\nstats = 127.0.0.1:%(stats-port)\n`);
		const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
		assert.equal(lenses.length, 1);
		assert.deepEqual(lenses[0].range, { start: { line: 3, character: 0 }, end: { line: 3, character: 'stats = 127.0.0.1:%(stats-port)'.length } });
		assert.equal(lenses[0].command!.command, 'uwsgiNginx.showStats');
		assert.deepEqual(lenses[0].command!.arguments, [{ address: `127.0.0.1:${port}`, http: false, configured: '127.0.0.1:%(stats-port)', uri }]);
	});

	it('uwsgiNginx/stats: the rendered view and a summary; the session gives requests per second', async () => {
		const first = await client.request<Result>('uwsgiNginx/stats', { address: `127.0.0.1:${port}`, session: 's1' });
		assert.equal(first.outcome, 'ok', first.message);
		assert.deepEqual(first.summary, { version: '2.0.21-debian', workers: 2, busy: 0, requests: 5, rps: null, listenQueue: 0, overloaded: false, allBusy: false, running: 0 });
		assert.match(first.html!, /<table class="workers">/);
		await new Promise(r => setTimeout(r, 200));
		const second = await client.request<Result>('uwsgiNginx/stats', { address: `127.0.0.1:${port}`, session: 's1' });
		assert.equal(second.summary!.busy, 1);
		assert.equal(second.summary!.running, 1);
		assert.equal(second.summary!.rps, 0, 'no request finished between the two snapshots');
		assert.match(second.html!, /<code>GET \/slow<\/code>/);
		assert.deepEqual(await client.request<Result>('uwsgiNginx/stats', { close: true, session: 's1' }), { outcome: 'closed' });
	});

	it('uwsgiNginx/stats: clear outcomes for a bad address and for nothing listening', async () => {
		assert.deepEqual(await client.request<Result>('uwsgiNginx/stats', { address: 'x:99999' }), { outcome: 'bad-address', message: '"99999" is not a TCP port (1 to 65535)' });
		const missing = path.join(dir, 'none.sock');
		assert.deepEqual(await client.request<Result>('uwsgiNginx/stats', { address: missing }), { outcome: 'unreachable', message: `there is no socket at ${missing}`, address: missing });
	});
});
