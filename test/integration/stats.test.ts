/**
 * The stats reader and model against Debian's real uWSGI 2.0 on loopback: its stats server over
 * TCP, over a unix socket and with `stats-http`. The model shows the right number of workers,
 * counts the requests we send, notices a worker busy on a slow request and an overloaded server;
 * every failure has its own verdict (nothing listens, not a stats server, dropped, timed out, too
 * large), and the CLI prints the same. The servers that are not uWSGI (garbage, half a document,
 * silence) are tiny Node servers: they stand for what is not a stats server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readStats } from '../../server/src/host/statsReader';
import { parseStatsAddress, StatsTracker, type StatsAddress, type StatsReading, type StatsSnapshot } from '../../server/src/service';
import { ROOT } from '../helpers/lspClient';
import { runNode } from '../helpers/processes';
import { freePort, httpGet, makeTempDir, removeTempDirs, startUwsgi, stopAll, UWSGI_PLUGIN_DIR, type UwsgiHandle } from '../helpers/stack';

const CLI = path.join(ROOT, 'dist', 'cli.js');

const APP = `import time


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/slow":
        time.sleep(float(environ.get("QUERY_STRING", "").partition("=")[2] or "2"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
`;

function requireUwsgi(): void {
	assert.ok(fs.existsSync('/usr/bin/uwsgi'), 'uwsgi is not installed: apt-get install uwsgi uwsgi-plugin-python3');
	assert.ok(fs.existsSync(path.join(UWSGI_PLUGIN_DIR, 'python3_plugin.so')), `uWSGI's python3 plugin is missing (${UWSGI_PLUGIN_DIR}): apt-get install uwsgi-plugin-python3`);
}

interface Server {
	readonly handle: UwsgiHandle;
	readonly httpPort: number;
	readonly dir: string;
	readonly ini: string;
}

/** A uWSGI with the WSGI app above on an http-socket and a stats server at `stats`. */
async function startServer(opts: { stats: (dir: string, port: number) => string; statsHttp?: boolean; processes?: number; threads?: number; extra?: string }): Promise<Server & { statsValue: string }> {
	const dir = makeTempDir('uwsgi-nginx-stats-');
	fs.writeFileSync(path.join(dir, 'app.py'), APP);
	const httpPort = await freePort();
	const statsValue = opts.stats(dir, await freePort());
	const ini = path.join(dir, 'uwsgi.ini');
	fs.writeFileSync(ini, `[uwsgi]
plugin = python3
master = true
processes = ${opts.processes ?? 2}
threads = ${opts.threads ?? 2}
http-socket = 127.0.0.1:${httpPort}
chdir = ${dir}
wsgi-file = app.py
stats = ${statsValue}
${opts.statsHttp ? 'stats-http = true\n' : ''}memory-report = true
die-on-term = true
${opts.extra ?? ''}`);
	const statsEndpoint = statsValue.includes(':') ? { port: Number(statsValue.split(':').pop()) } : { path: statsValue };
	const handle = await startUwsgi(ini, { endpoints: [{ port: httpPort }, statsEndpoint] });
	return { handle, httpPort, dir, ini, statsValue };
}

function addressOf(text: string, http = false): StatsAddress {
	const r = parseStatsAddress(text, http);
	assert.ok('address' in r, JSON.stringify(r));
	return r.address;
}

function ok(r: StatsReading): StatsSnapshot & { http: boolean } {
	assert.equal(r.kind, 'ok', `expected a snapshot, got ${JSON.stringify(r)}`);
	const o = r as Extract<StatsReading, { kind: 'ok' }>;
	return { ...o.snapshot, http: o.http };
}

const total = (s: StatsSnapshot) => s.workers.reduce((n, w) => n + w.requests, 0);

/** Reads until `check` holds (a worker becomes busy a moment after the request is sent). */
async function readUntil(address: StatsAddress, check: (s: StatsSnapshot) => boolean, what: string, timeoutMs = 8000): Promise<StatsSnapshot> {
	const deadline = Date.now() + timeoutMs;
	let last: StatsReading | undefined;
	for (;;) {
		last = await readStats(address, { timeoutMs: 3000 });
		if (last.kind === 'ok' && check(last.snapshot)) { return last.snapshot; }
		if (Date.now() > deadline) { throw new Error(`${what}: not seen within ${timeoutMs} ms; last reading ${JSON.stringify(last).slice(0, 2000)}`); }
		await new Promise(r => setTimeout(r, 150));
	}
}

const runCli = (args: string[]) => runNode(CLI, args);

/** A TCP server on loopback that does `onConnection` with each client; closed in `after`. */
const fakes: net.Server[] = [];
async function fakeServer(onConnection: (s: net.Socket) => void): Promise<number> {
	const server = net.createServer(onConnection);
	fakes.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as net.AddressInfo).port;
}

describe('live stats from the real uWSGI', { timeout: 180_000 }, () => {
	before(() => {
		requireUwsgi();
		assert.ok(fs.existsSync(CLI), `${CLI} is missing: npm run build`);
	});
	after(async () => {
		await stopAll();
		removeTempDirs();
		for (const f of fakes) { f.close(); }
	});

	it('TCP: the right number of workers, and the requests we send are counted', async () => {
		const s = await startServer({ stats: (_dir, port) => `127.0.0.1:${port}`, processes: 3, threads: 1 });
		const address = addressOf(s.statsValue);
		const tracker = new StatsTracker();
		const first = ok(await readStats(address));
		assert.equal(first.workers.length, 3);
		assert.equal(first.version.startsWith('2.0'), true, first.version);
		assert.equal(first.pid, s.handle.pid);
		assert.deepEqual(first.sockets.map(k => [k.name, k.proto]), [[`127.0.0.1:${s.httpPort}`, 'http']]);
		tracker.update(first, Date.now());
		const before0 = total(first);
		const N = 9;
		for (let i = 0; i < N; i++) {
			const r = await httpGet(s.httpPort, '/');
			assert.equal(r.status, 200, r.error);
		}
		// a worker counts a request when it has finished it: the last one may land a moment later
		const after0 = await readUntil(address, x => total(x) >= before0 + N, `${N} more requests in the totals`);
		const view = tracker.update(after0, Date.now());
		assert.equal(total(after0), before0 + N);
		assert.equal(view.totals.requests, before0 + N);
		assert.ok(view.rps !== undefined && view.rps > 0, `requests per second: ${view.rps}`);
		assert.ok(view.totals.rss > 0, 'memory-report is on: RSS is reported once a worker has served a request');
		assert.equal(view.flags.memoryNotReported, false);
	});

	it('notices a worker busy on a slow request: which request, and that it runs; idle again after', async () => {
		const s = await startServer({ stats: (_dir, port) => `127.0.0.1:${port}`, processes: 2, threads: 1 });
		const address = addressOf(s.statsValue);
		const slow = httpGet(s.httpPort, '/slow?s=3', 10_000);
		// uWSGI marks the worker busy as it accepts the request and fills in the request's variables
		// once it has read them: wait for both (the first snapshot can fall in between)
		const busy = await readUntil(address, x => x.workers.some(w => w.state === 'busy' && w.cores.some(c => c.method !== undefined)), 'a busy worker with its request read');
		const view = new StatsTracker().update(busy, Date.now());
		assert.equal(view.totals.busy, 1);
		assert.equal(view.running.length, 1);
		assert.equal(view.running[0].method, 'GET');
		assert.equal(view.running[0].uri, '/slow?s=3');
		assert.ok(view.running[0].seconds !== undefined && view.running[0].seconds >= 0 && view.running[0].seconds <= 4, `seconds: ${view.running[0].seconds}`);
		assert.equal(view.flags.allBusy, false, 'one of two workers is free');
		assert.equal((await slow).status, 200);
		await readUntil(address, x => x.workers.every(w => w.state === 'idle'), 'every worker idle again');
	});

	it('an overloaded server: every worker busy and requests waiting in the listen queue', async () => {
		const s = await startServer({ stats: (_dir, port) => `127.0.0.1:${port}`, processes: 1, threads: 1 });
		const address = addressOf(s.statsValue);
		const pending = Array.from({ length: 4 }, () => httpGet(s.httpPort, '/slow?s=2', 20_000));
		const tracker = new StatsTracker();
		// the master updates listen_queue once per cycle (about a second)
		const snap = await readUntil(address, x => (x.listenQueue ?? 0) > 0 && x.workers[0].state === 'busy', 'a listen queue above 0 with the worker busy');
		const view = tracker.update(snap, Date.now());
		assert.equal(view.flags.allBusy, true);
		assert.equal(view.flags.queued, true);
		assert.equal(view.flags.overloaded, true);
		assert.match(view.alerts[0], /^Every worker is busy \(1 of 1\)/);
		for (const p of await Promise.all(pending)) { assert.equal(p.status, 200, p.error); }
	});

	it('unix socket: the same document', async () => {
		const s = await startServer({ stats: dir => path.join(dir, 'stats.sock'), processes: 2 });
		const snap = ok(await readStats(addressOf(s.statsValue)));
		assert.equal(snap.workers.length, 2);
		assert.equal(snap.http, false);
		// relative to a folder, as the code lens resolves it
		const rel = ok(await readStats(addressOf('stats.sock'), { cwd: s.dir }));
		assert.equal(rel.pid, snap.pid);
	});

	it('stats-http over TCP and over a unix socket: with --http at once, and found by itself without', async () => {
		const tcp = await startServer({ stats: (_dir, port) => `127.0.0.1:${port}`, statsHttp: true, processes: 2 });
		const a = ok(await readStats(addressOf(tcp.statsValue, true)));
		assert.equal(a.http, true);
		assert.equal(a.workers.length, 2);
		const viaUrl = ok(await readStats(addressOf(`http://${tcp.statsValue}`)));
		assert.equal(viaUrl.pid, a.pid);
		// without being told: no bytes within the wait, so the reader sends a request
		const started = Date.now();
		const auto = ok(await readStats(addressOf(tcp.statsValue), { httpAfterMs: 300 }));
		assert.equal(auto.http, true);
		assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
		const unix = await startServer({ stats: dir => path.join(dir, 'stats-http.sock'), statsHttp: true, processes: 1 });
		const u = ok(await readStats(addressOf(unix.statsValue, true)));
		assert.equal(u.http, true);
		assert.equal(u.workers.length, 1);
	});

	it('not reachable: a port nothing listens on, a socket file that does not exist', async () => {
		const port = await freePort();
		const r = await readStats(addressOf(`127.0.0.1:${port}`));
		assert.deepEqual(r, { kind: 'unreachable', message: `nothing listens on 127.0.0.1:${port} (connection refused)` });
		const missing = path.join(makeTempDir(), 'nope.sock');
		assert.deepEqual(await readStats(addressOf(missing)), { kind: 'unreachable', message: `there is no socket at ${missing}` });
	});

	it('not a uWSGI stats server: the app\'s own HTTP socket, a server sending garbage, other JSON', async () => {
		const s = await startServer({ stats: (_dir, port) => `127.0.0.1:${port}`, processes: 1 });
		const app = await readStats(addressOf(`127.0.0.1:${s.httpPort}`));
		assert.equal(app.kind, 'not-stats');
		assert.match((app as { message: string }).message, /an HTTP server answered with text\/plain, not uWSGI stats JSON/);
		const garbage = await fakeServer(c => c.end(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x42, 0x42])));
		const g = await readStats(addressOf(`127.0.0.1:${garbage}`));
		assert.equal(g.kind, 'not-stats');
		assert.match((g as { message: string }).message, /not JSON/);
		const json = await fakeServer(c => c.end('{"status": "ok"}\n'));
		assert.deepEqual(await readStats(addressOf(`127.0.0.1:${json}`)), { kind: 'not-stats', message: 'the answer is JSON, but has no "workers" list' });
	});

	it('connection dropped: half of a real document, or closed at once', async () => {
		const s = await startServer({ stats: (_dir, port) => `127.0.0.1:${port}`, processes: 1 });
		const real = await new Promise<Buffer>((resolve, reject) => {
			const chunks: Buffer[] = [];
			net.connect(Number(s.statsValue.split(':')[1]), '127.0.0.1').on('data', d => chunks.push(d)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
		});
		const half = real.subarray(0, Math.floor(real.length / 2));
		const cut = await fakeServer(c => { c.write(half); setTimeout(() => c.destroy(), 50); });
		const d = await readStats(addressOf(`127.0.0.1:${cut}`));
		assert.equal(d.kind, 'dropped', JSON.stringify(d));
		assert.match((d as { message: string }).message, new RegExp(`after ${half.length} bytes, before the end of the document`));
		const closer = await fakeServer(c => c.destroy());
		const e = await readStats(addressOf(`127.0.0.1:${closer}`));
		assert.equal(e.kind, 'dropped', JSON.stringify(e));
	});

	it('timed out: a server that accepts and stays silent, even after our HTTP request', async () => {
		const silent = await fakeServer(() => undefined);
		const started = Date.now();
		const r = await readStats(addressOf(`127.0.0.1:${silent}`), { timeoutMs: 1200, httpAfterMs: 200 });
		const took = Date.now() - started;
		assert.deepEqual(r, { kind: 'timeout', message: `127.0.0.1:${silent} accepted the connection but sent nothing within 1200 ms` });
		assert.ok(took >= 1100 && took < 3000, `took ${took} ms`);
	});

	it('bounded in size: an endless answer stops at the limit', async () => {
		const endless = await fakeServer(c => {
			c.write('{"version": "');
			const chunk = Buffer.alloc(64 * 1024, 0x61);
			const pump = () => { while (!c.destroyed && c.write(chunk)) { /* until the buffer is full */ } };
			c.on('drain', pump);
			c.on('error', () => undefined);
			pump();
		});
		const r = await readStats(addressOf(`127.0.0.1:${endless}`), { maxBytes: 1024 * 1024, timeoutMs: 5000 });
		assert.equal(r.kind, 'not-stats', JSON.stringify(r).slice(0, 300));
		assert.match((r as { message: string }).message, /larger than 1 MB/);
	});

	it('the CLI: a table, JSON, the ini file as the address, and an exit status per outcome', async () => {
		const s = await startServer({ stats: (_dir, port) => `127.0.0.1:${port}`, processes: 2 });
		await httpGet(s.httpPort, '/');
		const table = await runCli(['stats', s.statsValue]);
		assert.equal(table.code, 0, table.stderr);
		assert.match(table.stdout, new RegExp(`^uWSGI 2\\.0\\.\\S+ at ${s.statsValue.replace(/\./g, '\\.')}, master pid ${s.handle.pid}`));
		assert.equal(table.stdout.split('\n').filter(l => /^ +\d+ +\d+ +(idle|busy) /.test(l)).length, 2, table.stdout);
		const json = await runCli(['stats', '--json', s.statsValue]);
		assert.equal(json.code, 0, json.stderr);
		const j = JSON.parse(json.stdout);
		assert.equal(j.outcome, 'ok');
		assert.equal(j.workers.length, 2);
		assert.ok(j.totals.requests >= 1);
		// the config itself, with a placeholder in the stats line
		const ini = path.join(s.dir, 'stats-from-placeholder.ini');
		fs.writeFileSync(ini, `[uwsgi]\nstats-port = ${s.statsValue.split(':')[1]}\nstats = 127.0.0.1:%(stats-port)\n`);
		const fromIni = await runCli(['stats', ini, '--samples', '2', '--interval', '200']);
		assert.equal(fromIni.code, 0, fromIni.stderr);
		assert.match(fromIni.stdout, /requests \d+ \([\d.]+\/s\)/);
		const refused = await runCli(['stats', `127.0.0.1:${await freePort()}`]);
		assert.equal(refused.code, 3);
		assert.match(refused.stderr, /nothing listens on/);
		const app = await runCli(['stats', `127.0.0.1:${s.httpPort}`, '--json']);
		assert.equal(app.code, 4);
		assert.equal(JSON.parse(app.stdout).outcome, 'not-stats');
		const usage = await runCli(['stats']);
		assert.equal(usage.code, 2);
		assert.match(usage.stderr, /no ADDRESS given/);
	});
});
