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
import { getUwsgiOption } from '../../server/src/data/uwsgiData';
import { UWSGI_VALUE_RULES } from '../../server/src/data/uwsgiValues';
import { requireProgram, runUntil, type RunResult } from '../helpers/processes';

const READY = /spawned uWSGI worker 1|Operational MODE: no-workers/;

function codesFor(file: string): string[] {
	return diagnosticsFor(file).map(x => x.code);
}

/** Our diagnostics on a file as uWSGI reads it (a byte-order mark included): code, severity, the text they cover, message. */
function diagnosticsFor(file: string): { code: string; severity: number; text: string; message: string }[] {
	const svc = getLanguageService();
	const d = TextDocument.create(pathToUri(file), 'uwsgi-ini', 1, fs.readFileSync(file, 'utf8'));
	return svc.doValidation(d).map(x => ({ code: String(x.code), severity: x.severity ?? 0, text: d.getText(x.range), message: String(x.message) }));
}

/** uWSGI stopped by itself with a failure status (it did not start serving). */
function exitedAtStartup(r: RunResult): boolean {
	return !r.stopped && r.code !== 0;
}

/** uWSGI exited, or its master keeps respawning workers that die as they start: nothing is served. */
function servesNothing(r: RunResult): boolean {
	return exitedAtStartup(r) || /DAMN ! worker \d+ \(pid: \d+\) died/.test(r.log);
}

const pause = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/** Whether something accepts TCP connections on the port. */
function listening(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const sock = net.connect(port, '127.0.0.1', () => { sock.destroy(); resolve(true); });
		sock.on('error', () => resolve(false));
		sock.setTimeout(2000, () => { sock.destroy(); resolve(false); });
	});
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

	it('stops at startup on a comment after chmod-socket, chdir or protocol (uwsgi-invalid-value, an error)', async () => {
		const cases: [string, RegExp][] = [
			[`chmod-socket = 664 # nginx group`, /invalid chmod value: 664 # nginx group/],
			[`chdir = ${dir}  # the app`, /chdir\(\): No such file or directory/],
			[`protocol = uwsgi # the default`, /unable to find protocol uwsgi # the default/],
		];
		for (const [line, log] of cases) {
			const ini = write('comment-exit.ini', `[uwsgi]\nsocket = ${dir}/ce.sock\nmaster = true\nworkers = 1\n${line}\n`);
			const ours = diagnosticsFor(ini).filter(d => d.code === 'uwsgi-invalid-value');
			assert.equal(ours.length, 1, `${line}: ${JSON.stringify(diagnosticsFor(ini))}`);
			assert.equal(ours[0].severity, 1);
			assert.ok(!codesFor(ini).includes('uwsgi-inline-comment'), line);
			const r = await runUntil('uwsgi', ['--ini', ini], READY);
			assert.ok(exitedAtStartup(r), `${line}: uWSGI should have exited\n${r.log}`);
			assert.match(r.log, log);
		}
	});

	it('stops at startup on protocol = htpp and HTTP: protocols are compared exactly (uwsgi-invalid-value)', async () => {
		for (const value of ['htpp', 'HTTP']) {
			const ini = write('proto.ini', `[uwsgi]\nsocket = ${dir}/proto.sock\nworkers = 1\nprotocol = ${value}\n`);
			assert.ok(codesFor(ini).includes('uwsgi-invalid-value'), value);
			const r = await runUntil('uwsgi', ['--ini', ini], READY);
			assert.ok(exitedAtStartup(r), `${value}: uWSGI should have exited\n${r.log}`);
			assert.match(r.log, new RegExp(`unable to find protocol ${value}`));
		}
	});

	it('every option with a fixed set of names: an unknown name stops uWSGI exactly where we report an error, and only there', async () => {
		const port = await freePort();
		const options = Object.keys(UWSGI_VALUE_RULES).filter(name => getUwsgiOption(name)?.since === '2.0');
		assert.ok(options.length >= 15, options.join(' '));
		const disagreements: string[] = [];
		for (const name of options) {
			const extra = name === 'cheaper-algo' ? 'cheaper = 1\nworkers = 2\n' : 'workers = 1\n';
			const ini = write('fixed.ini', `[uwsgi]\nsocket = 127.0.0.1:${port}\nmaster = true\n${extra}${name} = nosuchname\n`);
			const ours = diagnosticsFor(ini).filter(d => d.code === 'uwsgi-invalid-value' || d.code === 'uwsgi-ignored-value').map(d => d.code);
			// a worker that dies as it starts is reported by the master on its next round (about a second)
			const r = await runUntil('uwsgi', ['--ini', ini], READY, { onReady: () => pause(UWSGI_VALUE_RULES[name].inWorkers ? 2500 : 500) });
			const uwsgi = servesNothing(r) ? 'uwsgi-invalid-value' : 'uwsgi-ignored-value';
			if (ours.length !== 1 || ours[0] !== uwsgi) { disagreements.push(`${name}: uWSGI ${servesNothing(r) ? 'serves nothing' : 'serves'}, we report ${JSON.stringify(ours)}\n${r.log.split('\n').slice(-4).join('\n')}`); }
			if (name === 'cheaper-algo') { assert.match(r.log, /unable to find requested cheaper algorithm, falling back to spare/); }
		}
		assert.deepEqual(disagreements, []);
	});

	it('stops at startup on value shapes it cannot read: *:port, an SSL socket without certificate, key=value without =, a route, a hook', async () => {
		const port = await freePort();
		const cases: [string, RegExp][] = [
			[`socket = *:${port}`, /bind\(\): Cannot assign requested address/],
			[`https-socket = 127.0.0.1:${port}`, /invalid https-socket syntax/],
			['static-map = /static', /invalid document root in static map/],
			['set = base', /invalid placeholder\/--set value/],
			['route = ^/x$ nosuchaction:y', /unable to register route/],
			['route-run = last', /invalid route syntax/],
			['route-if = nosuchcondition:x last:', /unable to find "nosuchcondition" route condition/],
			['hook-pre-app = nosuchhook:x', /hook action not found: nosuchhook/],
			['hook-asap = mkdir /run/x', /invalid hook syntax/],
			['alarm = mail nosuchtype:x', /invalid alarm: mail nosuchtype:x/],
			['alarm = mailonly', /invalid alarm syntax: mailonly/],
		];
		for (const [line, log] of cases) {
			const ini = write('shape.ini', `[uwsgi]\nsocket = ${dir}/shape.sock\nworkers = 1\n${line}\n`);
			assert.ok(codesFor(ini).includes('uwsgi-invalid-value'), `${line}: ${JSON.stringify(diagnosticsFor(ini))}`);
			const r = await runUntil('uwsgi', ['--ini', ini], READY);
			assert.ok(exitedAtStartup(r), `${line}: uWSGI should have exited\n${r.log}`);
			assert.match(r.log, log, line);
		}
		// the good forms start
		const ok = write('shape-ok.ini', `[uwsgi]\nsocket = ${dir}/shape.sock\nworkers = 1\nstatic-map = /static=${dir}\nset = base=${dir}\nroute-run = last:\nroute = ^/x$ break:403\nhook-asap = print:hello\nalarm = mail cmd:true\n`);
		assert.ok(!codesFor(ok).includes('uwsgi-invalid-value'), JSON.stringify(diagnosticsFor(ok)));
		const r = await runUntil('uwsgi', ['--ini', ok], READY);
		assert.ok(r.stopped, r.log);
	});

	it('reads a number up to the blank: a comment after it changes nothing (no uwsgi-inline-comment)', async () => {
		const ini = write('numbers.ini', `[uwsgi]\nsocket = ${dir}/n.sock\nmaster = true # on\nworkers = 2  # two workers\nsocket-timeout = 600  # seconds\n`);
		const ours = diagnosticsFor(ini).filter(d => ['uwsgi-inline-comment', 'uwsgi-misread-number', 'uwsgi-invalid-value'].includes(d.code));
		assert.deepEqual(ours, []);
		const r = await runUntil('uwsgi', ['--ini', ini], /spawned uWSGI worker 2/);
		assert.match(r.log, /spawned uWSGI master process/);
		assert.match(r.log, /spawned uWSGI worker 2/);
	});

	it('binds the port before a comment; a ":" in the comment moves it (uwsgi-inline-comment only there)', async () => {
		const port = await freePort();
		const good = write('port-comment.ini', `[uwsgi]\nsocket = 127.0.0.1:${port} ; the uwsgi port\nworkers = 1\n`);
		assert.ok(!codesFor(good).includes('uwsgi-inline-comment'));
		let up = false;
		await runUntil('uwsgi', ['--ini', good], READY, { onReady: async () => { up = await listening(port); } });
		assert.ok(up, `port ${port} should listen`);
		const moved = write('port-moved.ini', `[uwsgi]\nsocket = 127.0.0.1:${port} # note: main\nworkers = 1\n`);
		assert.deepEqual(diagnosticsFor(moved).filter(d => d.code === 'uwsgi-inline-comment').map(d => d.text), ['# note: main']);
		up = true;
		const r = await runUntil('uwsgi', ['--ini', moved], READY, { onReady: async () => { up = await listening(port); } });
		assert.equal(up, false, `port ${port} should not listen\n${r.log}`);
	});

	it('reads "buffer-size = 65536" as 65535, not as a tiny buffer (no finding)', async () => {
		const port = await freePort();
		const ini = write('buf65536.ini', `[uwsgi]\nplugin = python3\nhttp-socket = 127.0.0.1:${port}\nbuffer-size = 65536\nworkers = 1\n`);
		assert.deepEqual(diagnosticsFor(ini).filter(d => d.code.includes('buffer') || d.code === 'uwsgi-misread-number' || d.code === 'uwsgi-invalid-value'), []);
		const big = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(70000)}\r\nConnection: close\r\n\r\n`;
		const r = await runUntil('uwsgi', ['--ini', ini], READY, { onReady: async () => { await rawHttp(port, big); } });
		assert.match(r.log, /invalid HTTP request size \(max 65535\)/);
	});

	it('takes a short umask as an error it only logs, and uses 000 (uwsgi-misread-number)', async () => {
		const sock = path.join(dir, 'umask.sock');
		const ini = write('umask.ini', `[uwsgi]\nsocket = ${sock}\nworkers = 1\numask = 22\n`);
		assert.ok(codesFor(ini).includes('uwsgi-misread-number'));
		let mode = 0;
		const r = await runUntil('uwsgi', ['--ini', ini], READY, { onReady: async () => { mode = fs.statSync(sock).mode & 0o777; } });
		assert.match(r.log, /invalid umask: 22/);
		assert.equal(mode.toString(8), '777', r.log);
	});

	it('does not find [uwsgi] after a byte-order mark and stops without its socket (uwsgi-no-uwsgi-section)', async () => {
		const ini = path.join(dir, 'bom.ini');
		fs.writeFileSync(ini, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`[uwsgi]\nsocket = ${dir}/bom.sock\nworkers = 1\n`)]));
		const ours = diagnosticsFor(ini).filter(d => d.code === 'uwsgi-no-uwsgi-section');
		assert.equal(ours.length, 1);
		assert.equal(ours[0].severity, 1);
		assert.match(ours[0].message, /byte-order mark/);
		const r = await runUntil('uwsgi', ['--ini', ini], READY);
		assert.ok(exitedAtStartup(r), r.log);
		assert.match(r.log, /Can't find section "uwsgi"/);
		assert.match(r.log, /The -s\/--socket option is missing/);
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
