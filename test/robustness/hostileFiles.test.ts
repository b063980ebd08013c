/**
 * Hostile files through the real server (dist/server.js over stdio, issue 8): huge, deep,
 * binary, badly encoded, cyclic, symlinked and vanishing files. Each scenario asserts that the
 * server answers within a bound (diagnostics published, a request answered), does not exit, and
 * keeps serving a normal file afterwards. Timings are printed (test diagnostics) and summed up
 * at the end.
 */
import * as assert from 'node:assert/strict';
import childProcess = require('node:child_process');
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import type { Diagnostic, DocumentSymbol, FoldingRange, Hover } from 'vscode-languageserver-protocol';
import { generateNginxConfig } from '../../bench/generate';
import { pathToUri } from '../../server/src/utils/uri';
import { rssMb } from '../helpers/fuzz';
import { LspClient, SERVER } from '../helpers/lspClient';

const timings: [string, number][] = [];
const temps: string[] = [];

function tempDir(name: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `uwsgi-nginx-hostile-${name}-`));
	temps.push(dir);
	return dir;
}

function write(file: string, content: string | Buffer): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, content);
}

/** A server with a log of its window/logMessage lines; killed for sure at the end. */
class Session {
	readonly client: LspClient;
	readonly log: string[] = [];
	private healthy = 0;

	/** `uid`: run the server as this user (root ignores file permissions; the permission scenario needs someone else). */
	constructor(readonly folder: string | null, uid?: number) {
		assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
		const spawn = childProcess.spawn;
		if (uid !== undefined) {
			// LspClient calls child_process.spawn through the module object: give the child another user for this one call
			(childProcess as { spawn: unknown }).spawn = (cmd: string, args: string[], options: childProcess.SpawnOptions) => spawn(cmd, args, { ...options, uid, gid: uid });
		}
		try {
			this.client = new LspClient();
		} finally {
			(childProcess as { spawn: unknown }).spawn = spawn;
		}
		this.client.connection.onNotification('window/logMessage', (p: { message: string }) => { this.log.push(p.message); });
	}

	async start(): Promise<this> {
		await this.client.initialize(this.folder ? pathToUri(this.folder) : null);
		return this;
	}

	get alive(): boolean {
		return this.client.process.exitCode === null && this.client.process.signalCode === null;
	}

	/** Opens a document and waits (at most `boundMs`) for its diagnostics; returns them and the time taken. */
	async openAndWait(uri: string, languageId: string, text: string, boundMs: number): Promise<{ diagnostics: Diagnostic[]; ms: number }> {
		const started = performance.now();
		await this.client.open(uri, languageId, text);
		const diagnostics = await this.client.waitForDiagnostics(uri, p => p.version === 1, boundMs);
		return { diagnostics, ms: performance.now() - started };
	}

	/** A request answered within `boundMs` (or the test fails with what is known). */
	async request<R>(method: string, params: unknown, boundMs: number): Promise<{ result: R; ms: number }> {
		const started = performance.now();
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${method} not answered within ${boundMs} ms (server alive: ${this.alive})`)), boundMs); });
		try {
			const result = await Promise.race([this.client.request<R>(method, params), timeout]);
			return { result, ms: performance.now() - started };
		} finally {
			clearTimeout(timer);
		}
	}

	/** The server still serves a normal file: diagnostics for it, a hover on it, and it has not exited. */
	async assertServing(boundMs = 10000): Promise<number> {
		const started = performance.now();
		const dir = this.folder ?? path.join(os.tmpdir(), 'uwsgi-nginx-hostile-virtual');
		const uri = pathToUri(path.join(dir, 'sites-enabled', `healthy-${++this.healthy}.conf`));
		const { diagnostics } = await this.openAndWait(uri, 'nginx', 'server {\n    listen 80;\n    uwsgi_pas 127.0.0.1:3031;\n}\n', boundMs);
		assert.deepEqual(diagnostics.map(d => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]), [['nginx-unknown-directive', 2, 4, 13]]);
		const { result: hover } = await this.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 6 } }, boundMs);
		assert.match(JSON.stringify(hover?.contents), /listen/);
		await this.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
		assert.ok(this.alive, 'the server is running');
		return performance.now() - started;
	}

	async stop(): Promise<void> {
		if (!this.alive) { return; }
		const killer = setTimeout(() => this.client.process.kill('SIGKILL'), 5000);
		try {
			const code = await this.client.shutdown();
			assert.equal(code, 0, 'the server exits 0 after shutdown + exit');
		} finally {
			clearTimeout(killer);
		}
	}

	kill(): void {
		if (this.alive) { this.client.process.kill('SIGKILL'); }
		this.client.connection.dispose();
	}
}

function report(t: TestContext, label: string, ms: number): void {
	timings.push([label, ms]);
	t.diagnostic(`${label}: ${ms.toFixed(0)} ms`);
}

/** Raw bytes in a didOpen: the JSON-RPC body is valid JSON around a text that is not valid UTF-8. */
function rawDidOpen(uri: string, languageId: string, textBytes: Buffer): Buffer {
	const head = Buffer.from(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":${JSON.stringify(uri)},"languageId":"${languageId}","version":1,"text":"`);
	const tail = Buffer.from('"}}}');
	const body = Buffer.concat([head, textBytes, tail]);
	return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

/** Bytes that are not UTF-8 (lone continuation bytes, overlong forms, encoded surrogates, truncated sequences) but are legal inside a JSON string. */
const INVALID_UTF8 = Buffer.from([0x80, 0xbf, 0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0xfe, 0xff, 0xe2, 0x82, 0x20, 0xf0, 0x9f, 0x98]);

/** Random bytes with NUL and control characters (deterministic). */
function binary(length: number, seed = 1): Buffer {
	const out = Buffer.alloc(length);
	let x = seed;
	for (let i = 0; i < length; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		out[i] = x >>> 24;
	}
	return out;
}

describe('hostile files through the real server', { concurrency: false }, () => {
	after(() => {
		for (const d of temps) { fs.rmSync(d, { recursive: true, force: true }); }
		console.log(`hostile-file timings:\n${timings.map(([l, ms]) => `  ${l}: ${ms.toFixed(0)} ms`).join('\n')}`);
	});

	describe('huge and deep documents (one server)', { concurrency: false }, () => {
		let s: Session;
		const dir = path.join(os.tmpdir(), 'uwsgi-nginx-hostile-virtual', 'nginx');

		it('starts', async () => { s = await new Session(null).start(); });
		after(async () => { await s?.stop(); s?.kill(); });

		it('a 10 MB nginx config: diagnostics within 30 s, then a hover answered', async t => {
			const text = generateNginxConfig(10 * 1024 * 1024);
			const uri = pathToUri(path.join(dir, 'ten-mb.conf'));
			const { diagnostics, ms } = await s.openAndWait(uri, 'nginx', text, 30000);
			report(t, `10 MB nginx config (${text.split('\n').length} lines): diagnostics (${diagnostics.length})`, ms);
			const hover = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 200, character: 10 } }, 10000);
			report(t, '10 MB nginx config: hover', hover.ms);
			const symbols = await s.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }, 20000);
			report(t, `10 MB nginx config: document symbols (${symbols.result.length} top level)`, symbols.ms);
			await s.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
			report(t, 'after 10 MB: a normal file served', await s.assertServing());
		});

		it('a 100,000-line nginx config: diagnostics within 20 s', async t => {
			const lines = ['http {', '    server {'];
			for (let i = 0; lines.length < 99_998; i++) { lines.push(i % 50 === 0 ? `        location /p${i} { uwsgi_pass 127.0.0.1:${3000 + (i % 100)}; include uwsgi_params; }` : `        add_header X-H${i} v${i};`); }
			lines.push('    }', '}');
			const uri = pathToUri(path.join(dir, 'hundred-k-lines.conf'));
			const { diagnostics, ms } = await s.openAndWait(uri, 'nginx', lines.join('\n') + '\n', 20000);
			report(t, `100,000-line config: diagnostics (${diagnostics.length})`, ms);
			const hover = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 99_990, character: 10 } }, 10000);
			report(t, '100,000-line config: hover near the end', hover.ms);
			await s.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
		});

		it('10,000-deep nested blocks: diagnostics, folding and a hover answered', async t => {
			const text = 'location / {\n'.repeat(10_000) + '}\n'.repeat(10_000);
			const uri = pathToUri(path.join(dir, 'deep.conf'));
			const { diagnostics, ms } = await s.openAndWait(uri, 'nginx', text, 20000);
			report(t, `10,000-deep blocks: diagnostics (${diagnostics.length})`, ms);
			const folding = await s.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } }, 10000);
			assert.equal(folding.result.length, 9_999);
			report(t, '10,000-deep blocks: folding', folding.ms);
			const hover = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 9_999, character: 2 } }, 10000);
			report(t, '10,000-deep blocks: hover at the deepest line', hover.ms);
			report(t, 'after deep blocks: a normal file served', await s.assertServing());
		});

		it('10,000-deep nested blocks: the outline (documentSymbol) is answered with symbols, not an error', async t => {
			// BUG: nginxSymbols nests a DocumentSymbol per block; at ~3,000 levels JSON.stringify of the
			// response overflows the stack and the server answers -32603 "Maximum call stack size exceeded"
			const text = 'location / {\n'.repeat(10_000) + '}\n'.repeat(10_000);
			const uri = pathToUri(path.join(dir, 'deep-outline.conf'));
			await s.openAndWait(uri, 'nginx', text, 20000);
			const started = performance.now();
			let error: unknown;
			try {
				const symbols = await s.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }, 10000);
				assert.ok(symbols.result.length >= 1);
			} catch (e) {
				error = e;
			}
			report(t, '10,000-deep blocks: document symbols', performance.now() - started);
			assert.ok(s.alive);
			assert.equal(error, undefined, `documentSymbol failed: ${String(error)}`);
		});

		it('a 1 MB single line: diagnostics, then hover and completion in the middle of it', async t => {
			const text = 'log_format main' + ' "$remote_addr $request" ${host}x \\" \'q\''.repeat(25_000) + ';';
			assert.ok(text.length > 1_000_000 && !text.includes('\n'));
			const uri = pathToUri(path.join(dir, 'one-line.conf'));
			const { ms } = await s.openAndWait(uri, 'nginx', text, 20000);
			report(t, '1 MB single line: diagnostics', ms);
			const hover = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 500_000 } }, 10000);
			report(t, '1 MB single line: hover at character 500,000', hover.ms);
			const completion = await s.request<unknown>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 500_001 } }, 10000);
			report(t, '1 MB single line: completion', completion.ms);
			report(t, 'after 1 MB line: a normal file served', await s.assertServing());
		});

		it('binary content and lone surrogates as didOpen text (nginx and uWSGI)', async t => {
			const bytes = binary(200_000);
			const text = bytes.toString('latin1') + '\uD800\uDFFF\uDC00x\uD83D';
			const n = await s.openAndWait(pathToUri(path.join(dir, 'binary.conf')), 'nginx', text, 20000);
			report(t, `binary nginx didOpen (${n.diagnostics.length} diagnostics)`, n.ms);
			const u = await s.openAndWait(pathToUri(path.join(dir, '..', 'binary-uwsgi.ini')), 'uwsgi-ini', '[uwsgi]\n' + text, 20000);
			report(t, `binary uWSGI didOpen (${u.diagnostics.length} diagnostics)`, u.ms);
			const hover = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri: pathToUri(path.join(dir, 'binary.conf')) }, position: { line: 3, character: 1 } }, 10000);
			report(t, 'binary: hover', hover.ms);
			report(t, 'after binary: a normal file served', await s.assertServing());
		});

		it('invalid UTF-8 bytes in the didOpen message itself', async t => {
			const started = performance.now();
			const nginxUri = pathToUri(path.join(dir, 'invalid-utf8.conf'));
			const iniUri = pathToUri(path.join(dir, '..', 'invalid-utf8-uwsgi.ini'));
			const nginxText = Buffer.concat([Buffer.from('server {\\n    server_name caf'), INVALID_UTF8, Buffer.from(';\\n    uwsgi_pas x;\\n}\\n')]);
			const iniText = Buffer.concat([Buffer.from('[uwsgi]\\nchdir = /srv/'), INVALID_UTF8, Buffer.from('\\nvaccum = true\\n')]);
			s.client.process.stdin!.write(rawDidOpen(nginxUri, 'nginx', nginxText));
			s.client.process.stdin!.write(rawDidOpen(iniUri, 'uwsgi-ini', iniText));
			const nd = await s.client.waitForDiagnostics(nginxUri, p => p.version === 1, 10000);
			const id = await s.client.waitForDiagnostics(iniUri, p => p.version === 1, 10000);
			report(t, 'invalid UTF-8 in the message: diagnostics for both', performance.now() - started);
			// the text around the bad bytes is still read right: the typo on the next line is found where it is
			assert.deepEqual(nd.map(d => [d.code, d.range.start.line, d.range.start.character]), [['nginx-unknown-directive', 2, 4]]);
			assert.deepEqual(id.map(d => [d.code, d.range.start.line, d.range.start.character]), [['uwsgi-unknown-option', 2, 0]]);
			report(t, 'after invalid UTF-8: a normal file served', await s.assertServing());
		});

		it('a BOM and CRLF line endings: diagnostic ranges still point at the right text', async t => {
			const started = performance.now();
			const check = async (name: string, languageId: string, text: string, expected: [string, string][]) => {
				const uri = pathToUri(path.join(dir, name));
				const { diagnostics } = await s.openAndWait(uri, languageId, text, 10000);
				const lines = text.split(/\r\n|\r|\n/);
				const at = (d: Diagnostic) => {
					assert.equal(d.range.start.line, d.range.end.line, `one-line range for ${String(d.code)}`);
					return lines[d.range.start.line].slice(d.range.start.character, d.range.end.character);
				};
				assert.deepEqual(diagnostics.map(d => [d.code, at(d)]), expected, `${name}: ${JSON.stringify(diagnostics.map(d => d.range))}`);
				assert.ok(diagnostics.every(d => !at(d).includes('\r')), 'no range covers a \\r');
			};
			// nginx itself reads a BOM as part of the first token ("unknown directive "\ufeffserver""): so do we, and say so
			await check('bom-crlf.conf', 'nginx', '\uFEFFserver {\r\n    uwsgi_pas x;\r\n    listen 80\r\n    server_name a;\r\n}\r\n',
				[['nginx-byte-order-mark', '\uFEFFserver'], ['nginx-unknown-directive', 'uwsgi_pas'], ['nginx-syntax', '']]);
			await check('crlf.conf', 'nginx', 'server {\r\n    listen 80;\r\n    uwsgi_pas x;\r\n    keepalive_timeout abc;\r\n}\r\n',
				[['nginx-unknown-directive', 'uwsgi_pas'], ['nginx-invalid-value', 'abc']]);
			await check('../crlf-uwsgi.ini', 'uwsgi-ini', '[uwsgi]\r\nvaccum = true\r\nprocesses = four\r\nmaster = false # on\r\n',
				[['uwsgi-unknown-option', 'vaccum'], ['uwsgi-invalid-value', 'four'], ['uwsgi-inline-comment', '# on']]);
			await check('../cr-only-uwsgi.ini', 'uwsgi-ini', '[uwsgi]\nvaccum = true\r\r\nprocesses = four\r\n', [['uwsgi-unknown-option', 'vaccum'], ['uwsgi-invalid-value', 'four']]);
			report(t, 'BOM and CRLF documents', performance.now() - started);
		});
	});

	it('binary and invalid UTF-8 files on disk in the workspace (scan and watched-file events)', async t => {
		const ws = tempDir('binary');
		write(path.join(ws, 'nginx', 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
		write(path.join(ws, 'nginx', 'conf.d', 'binary.conf'), binary(100_000, 7));
		write(path.join(ws, 'nginx', 'conf.d', 'latin1.conf'), Buffer.concat([Buffer.from('server {\n    server_name caf'), INVALID_UTF8, Buffer.from(';\n    location / { uwsgi_pass 127.0.0.1:3031; include uwsgi_params; }\n}\n')]));
		write(path.join(ws, 'uwsgi', 'binary.ini'), Buffer.concat([Buffer.from('[uwsgi]\n'), binary(50_000, 9)]));
		write(path.join(ws, 'uwsgi', 'latin1.ini'), Buffer.concat([Buffer.from('[uwsgi]\nsocket = 127.0.0.1:3031\nchdir = /srv/'), INVALID_UTF8, Buffer.from('\n')]));
		const started = performance.now();
		const s = await new Session(ws).start();
		try {
			report(t, 'binary workspace: initialize', performance.now() - started);
			const main = pathToUri(path.join(ws, 'nginx', 'nginx.conf'));
			const { ms } = await s.openAndWait(main, 'nginx', fs.readFileSync(path.join(ws, 'nginx', 'nginx.conf'), 'utf8'), 10000);
			report(t, 'binary workspace: diagnostics of nginx.conf', ms);
			const changes = ['nginx/conf.d/binary.conf', 'nginx/conf.d/latin1.conf', 'uwsgi/binary.ini', 'uwsgi/latin1.ini'].map(f => ({ uri: pathToUri(path.join(ws, f)), type: 2 }));
			await s.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
			const links = await s.request<unknown[]>('textDocument/documentLink', { textDocument: { uri: main } }, 10000);
			report(t, 'binary workspace: document links after the watched-file events', links.ms);
			report(t, 'binary workspace: a normal file served', await s.assertServing());
		} finally {
			await s.stop();
			s.kill();
		}
	});

	it('an include cycle (a → b → a, and a file including itself)', async t => {
		const ws = tempDir('cycle');
		write(path.join(ws, 'nginx', 'a.conf'), 'include b.conf;\nserver_tokens off;\n');
		write(path.join(ws, 'nginx', 'b.conf'), 'include a.conf;\nsendfile on;\n');
		write(path.join(ws, 'nginx', 'self.conf'), 'include self.conf;\n');
		write(path.join(ws, 'nginx', 'glob.conf'), 'include *.conf;\n');
		const s = await new Session(ws).start();
		try {
			for (const name of ['a.conf', 'self.conf', 'glob.conf']) {
				const uri = pathToUri(path.join(ws, 'nginx', name));
				const { diagnostics, ms } = await s.openAndWait(uri, 'nginx', fs.readFileSync(path.join(ws, 'nginx', name), 'utf8'), 10000);
				report(t, `include cycle: diagnostics of ${name} (${diagnostics.map(d => d.code).join(', ')})`, ms);
				if (name !== 'glob.conf') { assert.ok(diagnostics.some(d => d.code === 'nginx-include-cycle'), `${name}: ${JSON.stringify(diagnostics.map(d => d.code))}`); }
				await s.request('textDocument/documentLink', { textDocument: { uri } }, 10000);
				await s.request('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 10 } }, 10000);
			}
			report(t, 'include cycle: a normal file served', await s.assertServing());
		} finally {
			await s.stop();
			s.kill();
		}
	});

	it('an include glob matching 10,000 files', async t => {
		const ws = tempDir('glob');
		const conf = path.join(ws, 'nginx', 'conf.d');
		fs.mkdirSync(conf, { recursive: true });
		for (let i = 0; i < 10_000; i++) {
			fs.writeFileSync(path.join(conf, `site${String(i).padStart(5, '0')}.conf`), `server {\n    listen ${8000 + (i % 1000)};\n    server_name s${i}.example.com;\n    location / { uwsgi_pass 127.0.0.1:${3000 + (i % 50)}; include uwsgi_params; }\n}\n`);
		}
		write(path.join(ws, 'nginx', 'nginx.conf'), 'events {}\nhttp {\n    include mime.types;\n    include conf.d/*.conf;\n}\n');
		write(path.join(ws, 'uwsgi.ini'), '[uwsgi]\nsocket = 127.0.0.1:3001\nmodule = app.wsgi\n');
		let started = performance.now();
		const s = await new Session(ws).start();
		try {
			report(t, '10,000 included files: initialize', performance.now() - started);
			const main = pathToUri(path.join(ws, 'nginx', 'nginx.conf'));
			const { ms } = await s.openAndWait(main, 'nginx', fs.readFileSync(path.join(ws, 'nginx', 'nginx.conf'), 'utf8'), 30000);
			report(t, '10,000 included files: workspace scan, then diagnostics of nginx.conf', ms);
			assert.ok(s.log.some(l => /^indexed 10002 config files/.test(l)), `the scan found every file: ${s.log.join(' | ')}`);
			const one = pathToUri(path.join(conf, 'site04242.conf'));
			const opened = await s.openAndWait(one, 'nginx', fs.readFileSync(path.join(conf, 'site04242.conf'), 'utf8'), 30000);
			report(t, `10,000 included files: diagnostics of one included file (${opened.diagnostics.map(d => d.code).join(', ')})`, opened.ms);
			const links = await s.request<unknown[]>('textDocument/documentLink', { textDocument: { uri: main } }, 20000);
			report(t, `10,000 included files: document links (${links.result.length})`, links.ms);
			const hover = await s.request<Hover | null>('textDocument/hover', { textDocument: { uri: main }, position: { line: 3, character: 8 } }, 10000);
			report(t, '10,000 included files: hover on the include', hover.ms);
			started = performance.now();
			await s.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: Array.from({ length: 2_000 }, (_, i) => ({ uri: pathToUri(path.join(conf, `site${String(i).padStart(5, '0')}.conf`)), type: 2 })) });
			report(t, '10,000 included files: 2,000 watched-file events, then a normal file served', (await s.assertServing(30000)) + performance.now() - started);
		} finally {
			await s.stop();
			s.kill();
		}
	});

	it('a symlink loop in the workspace (folders and files)', async t => {
		const ws = tempDir('symlinks');
		write(path.join(ws, 'nginx', 'site.conf'), 'server {\n    include loop/nginx/*.conf;\n    include deeper/deeper/deeper/site.conf;\n}\n');
		fs.symlinkSync('.', path.join(ws, 'loop'));
		fs.symlinkSync('..', path.join(ws, 'nginx', 'deeper'));
		fs.symlinkSync('self.conf', path.join(ws, 'nginx', 'self.conf'));
		fs.symlinkSync('y.conf', path.join(ws, 'nginx', 'x.conf'));
		fs.symlinkSync('x.conf', path.join(ws, 'nginx', 'y.conf'));
		fs.symlinkSync('missing.conf', path.join(ws, 'nginx', 'dangling.conf'));
		const started = performance.now();
		const s = await new Session(ws).start();
		try {
			report(t, 'symlink loops: initialize', performance.now() - started);
			const uri = pathToUri(path.join(ws, 'nginx', 'site.conf'));
			const { ms } = await s.openAndWait(uri, 'nginx', fs.readFileSync(path.join(ws, 'nginx', 'site.conf'), 'utf8'), 10000);
			report(t, 'symlink loops: workspace scan, then diagnostics', ms);
			assert.ok(s.log.some(l => /^indexed 1 config files/.test(l)), `the scan ends, and does not follow the loops: ${s.log.join(' | ')}`);
			const names = ['nginx/self.conf', 'nginx/x.conf', 'nginx/y.conf', 'nginx/dangling.conf', 'loop/loop/loop/nginx/site.conf', 'nginx/deeper/nginx/deeper/nginx/site.conf'];
			await s.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: names.map(n => ({ uri: pathToUri(path.join(ws, n)), type: 1 })) });
			// a document opened at a looping path, then closed: the server reads it from disk
			const looped = pathToUri(path.join(ws, 'nginx', 'x.conf'));
			await s.openAndWait(looped, 'nginx', 'server {}\n', 10000);
			await s.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: looped } });
			report(t, 'symlink loops: a normal file served', await s.assertServing());
		} finally {
			await s.stop();
			s.kill();
		}
	});

	it('files that vanish, lose read permission or become folders between the notification and the read', async t => {
		const ws = tempDir('vanish');
		const nginx = path.join(ws, 'nginx');
		write(path.join(nginx, 'nginx.conf'), 'events {}\nhttp {\n    include locked.conf;\n    include gone.conf;\n}\n');
		for (const name of ['gone.conf', 'locked.conf', 'dir.conf', 'open.conf', 'closed-locked.conf']) { write(path.join(nginx, name), 'server { listen 80; }\n'); }
		// as root, chmod 000 stops nobody's reads: run this server as "nobody" (the workspace must be readable to it)
		const asRoot = process.getuid?.() === 0;
		if (asRoot) {
			fs.chmodSync(ws, 0o755);
			fs.chmodSync(nginx, 0o755);
		}
		const s = await new Session(ws, asRoot ? 65534 : undefined).start();
		try {
			if (asRoot) { assert.match(fs.readFileSync(`/proc/${s.client.process.pid}/status`, 'utf8'), /^Uid:\s+65534\b/m, 'the server runs as nobody'); }
			const main = pathToUri(path.join(nginx, 'nginx.conf'));
			await s.openAndWait(main, 'nginx', fs.readFileSync(path.join(nginx, 'nginx.conf'), 'utf8'), 10000);
			// the events arrive after the change: by then the file is gone, unreadable, or a folder
			fs.rmSync(path.join(nginx, 'gone.conf'));
			fs.chmodSync(path.join(nginx, 'locked.conf'), 0o000);
			fs.rmSync(path.join(nginx, 'dir.conf'));
			fs.mkdirSync(path.join(nginx, 'dir.conf'));
			assert.throws(() => childProcess.execFileSync(process.execPath, ['-e', `require('fs').readFileSync(${JSON.stringify(path.join(nginx, 'locked.conf'))})`], { stdio: 'ignore', uid: asRoot ? 65534 : undefined }),
				'the server user cannot read locked.conf');
			const started = performance.now();
			await s.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [
				{ uri: pathToUri(path.join(nginx, 'gone.conf')), type: 2 },
				{ uri: pathToUri(path.join(nginx, 'locked.conf')), type: 2 },
				{ uri: pathToUri(path.join(nginx, 'dir.conf')), type: 1 },
				{ uri: pathToUri(path.join(nginx, 'never-existed.conf')), type: 1 },
				{ uri: 'file:///a%zz/broken-uri.conf', type: 1 },
				{ uri: 'untitled:Untitled-1', type: 2 },
			] });
			// documents closed after their file vanished or became unreadable: the server reads the disk instead
			for (const [name, spoil] of [['open.conf', (f: string) => fs.rmSync(f)], ['closed-locked.conf', (f: string) => fs.chmodSync(f, 0o000)]] as const) {
				const uri = pathToUri(path.join(nginx, name));
				await s.openAndWait(uri, 'nginx', 'server { listen 80; }\n', 10000);
				spoil(path.join(nginx, name));
				await s.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
			}
			report(t, `vanishing and unreadable files${asRoot ? ' (server run as nobody)' : ''}: a normal file served`, (await s.assertServing()) + performance.now() - started);
			// the includer is checked again without the files it lost: each lost include is reported on its line
			const lost = await s.client.waitForDiagnostics(main, p => [2, 3].every(line => p.diagnostics.some(d => d.code === 'nginx-include-not-found' && d.range.start.line === line)), 10000);
			assert.ok(lost.filter(d => d.code === 'nginx-include-not-found').every(d => /locked\.conf|gone\.conf/.test(String(d.message))), JSON.stringify(lost.map(d => d.message)));
			const again = await s.request<unknown[]>('textDocument/documentLink', { textDocument: { uri: main } }, 10000);
			assert.ok(Array.isArray(again.result));
		} finally {
			await s.stop();
			s.kill();
		}
	});

	it('a named pipe (FIFO) reported by didChangeWatchedFiles does not block the server', async t => {
		// BUG: WorkspaceFiles.reload → classifyFile → readTextFile → fs.readFileSync on the FIFO blocks
		// the whole (single-threaded) server until some process opens the pipe for writing
		const ws = tempDir('fifo');
		write(path.join(ws, 'nginx', 'site.conf'), 'server { listen 80; }\n');
		const fifo = path.join(ws, 'nginx', 'pipe.conf');
		childProcess.execFileSync('mkfifo', [fifo]);
		const s = await new Session(ws).start();
		try {
			await s.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(fifo), type: 1 }] });
			const started = performance.now();
			let error: unknown;
			try {
				await s.assertServing(5000);
			} catch (e) {
				error = e;
			}
			report(t, 'FIFO: a normal file served (bounded at 5 s)', performance.now() - started);
			assert.equal(error, undefined, `the server stopped answering after a watched-file event for a FIFO: ${String(error).slice(0, 200)}`);
		} finally {
			// unblock a server stuck in open(2) on the pipe, then stop it
			try { fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); } catch { /* no reader: not blocked */ }
			s.kill();
		}
	});

	it('a symlink to an endless device (/dev/zero) reported by didChangeWatchedFiles neither hangs the server nor eats memory', async t => {
		// BUG: classifyFile checks the size (0 for a device) but not that it is a regular file;
		// readFileSync then reads /dev/zero until memory runs out (RSS grows by ~200 MB/s)
		const ws = tempDir('devzero');
		write(path.join(ws, 'nginx', 'site.conf'), 'server { listen 80; }\n');
		const zero = path.join(ws, 'nginx', 'zero.conf');
		fs.symlinkSync('/dev/zero', zero);
		const s = await new Session(ws).start();
		const before = rssMb(s.client.process.pid!);
		try {
			await s.client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(zero), type: 1 }] });
			const started = performance.now();
			let error: unknown;
			try {
				await s.assertServing(5000);
			} catch (e) {
				error = e;
			}
			const grown = rssMb(s.client.process.pid!) - before;
			report(t, `/dev/zero: a normal file served (bounded at 5 s; RSS grew ${grown.toFixed(0)} MB)`, performance.now() - started);
			assert.equal(error, undefined, `the server stopped answering after a watched-file event for a symlink to /dev/zero: ${String(error).slice(0, 200)}`);
			assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB`);
		} finally {
			s.kill();
		}
	});
});
