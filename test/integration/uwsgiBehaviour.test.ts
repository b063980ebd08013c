/**
 * The real uWSGI (Debian's 2.0.21) shows each behaviour our uWSGI diagnostics claim, and our
 * diagnostic fires on the very file uWSGI ran.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, pathToUri } from '../../server/src/service';
import { requireProgram, runUntil } from '../helpers/processes';

const READY = /spawned uWSGI worker 1|Operational MODE: no-workers/;

function codesFor(file: string): string[] {
	const svc = getLanguageService();
	const d = TextDocument.create(pathToUri(file), 'uwsgi-ini', 1, fs.readFileSync(file, 'utf8'));
	return svc.doValidation(d).map(x => String(x.code));
}

async function freePort(): Promise<number> {
	return new Promise(resolve => {
		const s = net.createServer().listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

/** Sends one HTTP request and returns the raw response (or '' when the server closes without one). */
function rawHttp(port: number, request: string): Promise<string> {
	return new Promise(resolve => {
		let data = '';
		const sock = net.connect(port, '127.0.0.1', () => sock.write(request));
		sock.on('data', d => { data += d.toString(); });
		sock.on('close', () => resolve(data));
		sock.on('error', () => resolve(data));
		sock.setTimeout(4000, () => sock.destroy());
	});
}

describe('real uWSGI agrees with our uWSGI diagnostics', () => {
	let dir: string;
	before(() => {
		requireProgram('uwsgi', 'apt-get install uwsgi uwsgi-plugin-python3 (scripts/test-all.sh does it)');
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-behaviour-'));
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	const write = (name: string, text: string) => {
		const f = path.join(dir, name);
		fs.writeFileSync(f, text);
		return f;
	};

	it('keeps an inline comment in the socket path (uwsgi-inline-comment)', async () => {
		const ini = write('inline.ini', `[uwsgi]\nsocket = ${dir}/app.sock # main\nmaster = true\nworkers = 1\n`);
		assert.ok(codesFor(ini).includes('uwsgi-inline-comment'));
		let seen: string[] = [];
		const r = await runUntil('uwsgi', ['--ini', ini], READY, { onReady: async () => { seen = fs.readdirSync(dir); } });
		assert.ok(seen.includes('app.sock # main'), `socket files: ${JSON.stringify(seen)}\n${r.log}`);
		assert.ok(!seen.includes('app.sock'));
	});

	it('ignores a [ uwsgi ] section (uwsgi-no-uwsgi-section)', async () => {
		const ini = write('spaced.ini', `[ uwsgi ]\nsocket = ${dir}/spaced.sock\nmaster = true\n`);
		assert.ok(codesFor(ini).includes('uwsgi-no-uwsgi-section'));
		const r = await runUntil('uwsgi', ['--ini', ini], READY);
		assert.ok(!fs.existsSync(path.join(dir, 'spaced.sock')), 'the socket of the ignored section was bound');
		assert.match(r.log, /Can't find section "uwsgi"/);
	});

	it('starts with no workers for "workers = four" (uwsgi-invalid-value)', async () => {
		const ini = write('four.ini', `[uwsgi]\nsocket = ${dir}/four.sock\nmaster = true\nworkers = four\n`);
		assert.ok(codesFor(ini).includes('uwsgi-invalid-value'));
		const r = await runUntil('uwsgi', ['--ini', ini], READY);
		assert.match(r.log, /Operational MODE: no-workers/);
		assert.doesNotMatch(r.log, /spawned uWSGI worker/);
	});

	it('refuses "chmod-socket = 0660" at startup (uwsgi-invalid-value)', async () => {
		const ini = write('chmod.ini', `[uwsgi]\nsocket = ${dir}/chmod.sock\nchmod-socket = 0660\n`);
		assert.ok(codesFor(ini).includes('uwsgi-invalid-value'));
		const r = await runUntil('uwsgi', ['--ini', ini], READY);
		assert.equal(r.stopped, false, 'uWSGI should have exited by itself');
		assert.notEqual(r.code, 0);
		assert.match(r.log, /invalid chmod value: 0660/);
	});

	it('silently accepts a misspelled key: "vaccum" does nothing (uwsgi-unknown-option)', async () => {
		const sock = path.join(dir, 'typo.sock');
		const ini = write('typo.ini', `[uwsgi]\nsocket = ${sock}\nmaster = true\nworkers = 1\nvaccum = true\n`);
		assert.ok(codesFor(ini).includes('uwsgi-unknown-option'));
		const r = await runUntil('uwsgi', ['--ini', ini], READY);
		assert.doesNotMatch(r.log, /vaccum|unknown/i, 'uWSGI said nothing about the typo');
		assert.ok(fs.existsSync(sock), 'without vacuum the socket file stays after exit');
		// only strict mode notices (it stops before binding anything)
		const strict = await runUntil('uwsgi', ['--strict', '--ini', ini], READY);
		assert.match(strict.log, /unknown config directive: vaccum/);
	});

	it('reads "master = false # later" as true (uwsgi-inline-comment on a switch)', async () => {
		const ini = write('master.ini', `[uwsgi]\nsocket = ${dir}/m.sock\nmaster = false # later\nworkers = 1\n`);
		assert.ok(codesFor(ini).includes('uwsgi-inline-comment'));
		const r = await runUntil('uwsgi', ['--ini', ini], READY);
		assert.match(r.log, /spawned uWSGI master process/);
	});

	it('reads "buffer-size = 64k" as 64 bytes: requests fail (uwsgi-invalid-value)', async () => {
		const port = await freePort();
		const request = `GET /some/path?with=a&query=string HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: uwsgi-nginx-test\r\nConnection: close\r\n\r\n`;
		const bad = write('buf64k.ini', `[uwsgi]\nplugin = python3\nhttp-socket = 127.0.0.1:${port}\nbuffer-size = 64k\nworkers = 1\n`);
		assert.ok(codesFor(bad).includes('uwsgi-invalid-value'));
		let badResponse = '';
		const r = await runUntil('uwsgi', ['--ini', bad], READY, { onReady: async () => { badResponse = await rawHttp(port, request); } });
		assert.equal(badResponse, '', `with 64 bytes the request gets no response; got ${badResponse}\n${r.log}`);
		assert.match(r.log, /invalid HTTP request size \(max 64\)/);
		const good = write('buf64.ini', `[uwsgi]\nplugin = python3\nhttp-socket = 127.0.0.1:${port}\nbuffer-size = 65535\nworkers = 1\n`);
		assert.ok(!codesFor(good).includes('uwsgi-invalid-value'));
		let goodResponse = '';
		await runUntil('uwsgi', ['--ini', good], READY, { onReady: async () => { goodResponse = await rawHttp(port, request); } });
		assert.match(goodResponse, /^HTTP\/1\.[01] \d{3}/, 'with a real buffer the same request gets an HTTP response');
	});
});
