/**
 * The stats model on snapshots recorded from Debian's uWSGI 2.0.21 (test/fixtures/stats, see its
 * README): parsing, totals, requests per second between snapshots, running requests, the busy and
 * overloaded states, verdicts on what is not a stats document, addresses, the code lens, and the
 * renderers (escaping, no inline styles or scripts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
	formatStatsAddress, interpretPayload, parseStatsAddress, renderStatsHtml, renderStatsText, statsJson, StatsTracker,
	type StatsReading, type StatsSnapshot,
} from '../../server/src/service';
import { isUnfinishedJson, snapshotFromJson, MAX_WORKERS } from '../../server/src/features/stats/model';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { doc, marked, service } from '../helpers/text';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'stats');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function read(text: string, end: 'eof' | 'reset' | 'too-large' = 'eof'): StatsReading {
	return interpretPayload({ text, bytes: Buffer.byteLength(text), end, sentHttpRequest: false });
}

function snapshot(name: string): StatsSnapshot {
	const r = read(fixture(name));
	assert.equal(r.kind, 'ok', JSON.stringify(r));
	return (r as Extract<StatsReading, { kind: 'ok' }>).snapshot;
}

describe('stats model: recorded uWSGI 2.0.21 snapshots', () => {
	it('reads the workers, cores, sockets and master fields', () => {
		const s = snapshot('fresh.json');
		assert.equal(s.version, '2.0.21-debian');
		assert.equal(s.pid, 31675);
		assert.equal(s.workers.length, 2);
		assert.deepEqual(s.workers.map(w => [w.number, w.id, w.pid, w.state, w.cores.length]), [[1, 1, 31677, 'idle', 2], [2, 2, 31678, 'idle', 2]]);
		assert.deepEqual(s.sockets, [{ name: '127.0.0.1:18181', proto: 'http', queue: 0, maxQueue: 100, shared: false }]);
		assert.equal(s.listenQueue, 0);
		assert.equal(s.truncated, false);
	});

	it('counts requests per second from the change between two snapshots, per worker too', () => {
		const t = new StatsTracker();
		const first = t.update(snapshot('fresh.json'), 10_000);
		assert.equal(first.rps, undefined);
		assert.equal(first.totals.requests, 0);
		assert.equal(first.flags.memoryNotReported, false, 'no request yet: nothing to tell');
		const v = t.update(snapshot('after-5-requests.json'), 12_000);
		assert.equal(v.totals.requests, 5);
		assert.equal(v.rps, 2.5);
		assert.deepEqual(v.workers.map(w => w.rps), [1, 1.5]);
		assert.equal(v.totals.rss, 2 * 11382784);
		assert.equal(v.totals.vsz, 2 * 136515584);
		assert.deepEqual(v.history.map(p => [p.t, p.rps]), [[10_000, undefined], [12_000, 2.5]]);
		assert.deepEqual(v.workers.map(w => w.worker.avgRtUs), [86, 111]);
	});

	it('shows the request a busy worker runs and for how long', () => {
		const s = snapshot('busy.json');
		const start = s.workers[0].cores[1].requestStart!;
		const v = new StatsTracker().update(s, (start + 7) * 1000 + 400);
		assert.deepEqual(v.workers.map(w => [w.worker.status, w.busyCores]), [['busy', 1], ['idle', 0]]);
		assert.equal(v.totals.busy, 1);
		assert.deepEqual(v.running, [{ worker: 1, pid: 31677, core: 1, method: 'GET', uri: '/slow', remoteAddr: '127.0.0.1', seconds: 7 }]);
		assert.equal(v.flags.allBusy, false);
		assert.equal(v.flags.overloaded, false);
		assert.ok(v.alerts.some(a => /1 request has run 5 s or longer \(longest 7 s\)/.test(a)), v.alerts.join('\n'));
	});

	it('flags every thread busy with requests waiting in the listen queue as overloaded', () => {
		const v = new StatsTracker().update(snapshot('overloaded.json'), Date.now());
		assert.equal(v.totals.busyCores, 4);
		assert.equal(v.listenQueue, 4);
		assert.equal(v.maxQueue, 100);
		assert.deepEqual(v.flags, { allBusy: true, queued: true, queueNearFull: false, overloaded: true, memoryNotReported: false, restarted: false });
		assert.equal(v.alerts[0], 'Every worker thread is busy (4 of 4): new requests wait in the listen queue.');
		assert.ok(v.alerts.includes('4 requests wait in the listen queue (at most 100).'));
	});

	it('counts cheaped workers apart (uWSGI reports them with id 0 and pid 0)', () => {
		const v = new StatsTracker().update(snapshot('cheaper.json'), Date.now());
		assert.deepEqual(v.workers.map(w => [w.worker.number, w.worker.id, w.worker.state]), [[1, 1, 'idle'], [2, 0, 'cheap'], [3, 0, 'cheap']]);
		assert.equal(v.totals.workers, 3);
		assert.equal(v.totals.active, 1);
	});

	it('reads a stats-http answer (HTTP headers, then the JSON)', () => {
		const r = read(fixture('stats-http-response.txt'));
		assert.equal(r.kind, 'ok');
		assert.equal((r as { http: boolean }).http, true);
	});

	it('a queue at 80 % of its maximum is nearly full; a listen queue overflow is reported', () => {
		const doc0 = JSON.parse(fixture('overloaded.json'));
		doc0.sockets[0].queue = 85;
		doc0.listen_queue = 85;
		doc0.listen_queue_errors = 3;
		const v = new StatsTracker().update(snapshotOf(doc0), Date.now());
		assert.equal(v.flags.queueNearFull, true);
		assert.ok(v.alerts.includes('The listen queue of 127.0.0.1:18181 is nearly full (85 of 100): new connections will be refused.'), v.alerts.join('\n'));
		assert.ok(v.alerts.includes('3 connections overflowed the listen queue since start.'));
	});

	it('a respawned worker counts from zero; a new master pid is a restart and starts the history again', () => {
		const a = JSON.parse(fixture('after-5-requests.json'));
		const b = JSON.parse(fixture('after-5-requests.json'));
		b.workers[1].pid = 40000;
		b.workers[1].requests = 1;
		const t = new StatsTracker();
		t.update(snapshotOf(a), 1000);
		const v = t.update(snapshotOf(b), 2000);
		assert.deepEqual(v.workers.map(w => [w.respawned, w.rps]), [[false, 0], [true, 1]]);
		const c = JSON.parse(fixture('fresh.json'));
		c.pid = 50000;
		const r = t.update(snapshotOf(c), 3000);
		assert.equal(r.flags.restarted, true);
		assert.equal(r.history.length, 1);
	});

	it('memory reads as not reported when every worker shows 0 after requests', () => {
		const d = JSON.parse(fixture('after-5-requests.json'));
		for (const w of d.workers) { w.rss = 0; w.vsz = 0; }
		const v = new StatsTracker().update(snapshotOf(d), Date.now());
		assert.equal(v.flags.memoryNotReported, true);
		assert.ok(v.alerts.some(a => /memory-report = true/.test(a)));
	});

	it('keeps the history to its window', () => {
		const t = new StatsTracker(10_000);
		const s = snapshot('fresh.json');
		for (let i = 0; i <= 30; i++) { t.update(s, i * 1000); }
		const v = t.update(s, 31_000);
		assert.equal(v.history[0].t, 21_000);
		assert.equal(v.history.length, 11);
	});
});

function snapshotOf(d: unknown): StatsSnapshot {
	const r = snapshotFromJson(d);
	assert.ok('snapshot' in r, JSON.stringify(r));
	return r.snapshot;
}

describe('stats model: what is not a stats document', () => {
	const cases: [string, string, 'eof' | 'reset' | 'too-large', StatsReading['kind'], RegExp][] = [
		['a document cut in the middle', fixture('fresh.json').slice(0, 900), 'eof', 'dropped', /closed after 900 bytes, before the end of the document/],
		['a reset in the middle', fixture('fresh.json').slice(0, 900), 'reset', 'dropped', /was reset after 900 bytes/],
		['nothing, then close', '', 'eof', 'dropped', /closed the connection without sending anything/],
		['a banner', 'SSH-2.0-OpenSSH_9.2\r\n', 'eof', 'not-stats', /not JSON \(it starts with "SSH-2\.0-OpenSSH_9\.2"\)/],
		['binary garbage', '\u0000\u0001\u0002garbage', 'eof', 'not-stats', /not JSON/],
		['another HTTP server', 'HTTP/1.1 404 Not Found\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n<html>', 'eof', 'not-stats', /answered 404 Not Found \(text\/html\): not a uWSGI stats server/],
		['an HTTP app', 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nok', 'eof', 'not-stats', /answered with text\/plain/],
		['headers cut short', 'HTTP/1.0 200 OK\r\nContent-Ty', 'reset', 'dropped', /in the middle of the HTTP headers/],
		['other JSON', '{"status": "ok"}', 'eof', 'not-stats', /no "workers" list/],
		['workers without version', '{"workers": []}', 'eof', 'not-stats', /no uWSGI "version" and "pid"/],
		['a JSON array', '[1, 2]', 'eof', 'not-stats', /not an object/],
		['too much', '{"version":', 'too-large', 'not-stats', /larger than 8 MB/],
	];
	for (const [name, text, end, kind, message] of cases) {
		it(name, () => {
			const r = read(text, end);
			assert.equal(r.kind, kind, JSON.stringify(r));
			assert.match((r as { message: string }).message, message);
		});
	}

	it('a whole document followed by a reset still counts', () => {
		assert.equal(read(fixture('busy.json'), 'reset').kind, 'ok');
	});

	it('knows an unfinished document from a malformed one', () => {
		assert.equal(isUnfinishedJson('{"a": [1, {"b": "x}'), true);
		assert.equal(isUnfinishedJson('{"a": "}"'), true);
		assert.equal(isUnfinishedJson('{"a": 1}}'), false);
		assert.equal(isUnfinishedJson('garbage'), false);
	});

	it('caps the number of workers it keeps', () => {
		const d = JSON.parse(fixture('fresh.json'));
		d.workers = Array.from({ length: MAX_WORKERS + 10 }, (_, i) => ({ ...d.workers[0], id: i + 1 }));
		const s = snapshotOf(d);
		assert.equal(s.workers.length, MAX_WORKERS);
		assert.equal(s.truncated, true);
	});

	it('takes odd field types without throwing (numbers as strings, missing lists)', () => {
		const s = snapshotOf({ version: '2.0', pid: 1, workers: [{ id: '1', requests: 'x', cores: 'no', status: 5 }, null], sockets: [null, { name: 7 }] });
		assert.deepEqual(s.workers.map(w => [w.number, w.requests, w.status, w.state, w.cores.length]), [[1, 0, 'unknown', 'other', 0], [2, 0, 'unknown', 'other', 0]]);
		assert.deepEqual(s.sockets.map(k => [k.name, k.proto]), [['', 'uwsgi']]);
	});
});

describe('stats addresses', () => {
	const ok: [string, boolean, string][] = [
		['127.0.0.1:9191', false, '127.0.0.1:9191'],
		[':9191', false, '127.0.0.1:9191'],
		['0.0.0.0:9191', false, '127.0.0.1:9191'],
		['[::]:9191', false, '[::1]:9191'],
		['[::1]:9191', false, '[::1]:9191'],
		['localhost:9191', false, 'localhost:9191'],
		['9191', false, '127.0.0.1:9191'],
		['http://127.0.0.1:9191', true, 'http://127.0.0.1:9191'],
		['http://127.0.0.1:9191/', true, 'http://127.0.0.1:9191'],
		['/tmp/stats.socket', false, '/tmp/stats.socket'],
		['unix:///run/uwsgi/stats.sock', false, '/run/uwsgi/stats.sock'],
		['unix:/run/uwsgi/stats.sock', false, '/run/uwsgi/stats.sock'],
		['@stats', false, '@stats'],
		['stats.sock', false, 'stats.sock'],
		['  tcp://10.0.0.5:1717  ', false, '10.0.0.5:1717'],
	];
	for (const [input, http, shown] of ok) {
		it(`reads ${JSON.stringify(input)}`, () => {
			const r = parseStatsAddress(input);
			assert.ok('address' in r, JSON.stringify(r));
			assert.equal(r.address.http, http);
			assert.equal(formatStatsAddress(r.address), shown);
		});
	}
	for (const [input, message] of [['', /no address/], ['127.0.0.1:99999', /not a TCP port/], ['host:abc', /not a TCP port/], ['https://x:1', /does not speak HTTPS/], ['unix:', /needs a path/]] as const) {
		it(`refuses ${JSON.stringify(input)}`, () => {
			const r = parseStatsAddress(input);
			assert.ok('error' in r);
			assert.match(r.error, message);
		});
	}
	it('HTTP mode from the config carries over', () => {
		const r = parseStatsAddress('/run/stats.sock', true);
		assert.ok('address' in r);
		assert.equal(formatStatsAddress(r.address), 'http+unix:/run/stats.sock');
		const back = parseStatsAddress('http+unix:/run/stats.sock');
		assert.ok('address' in back && back.address.http && back.address.target.kind === 'unix');
	});
});

describe('stats code lens', () => {
	function lenses(text: string, uri = 'file:///srv/app/uwsgi.ini') {
		const { text: clean, spans } = marked(text);
		const d = doc('uwsgi', clean, uri);
		const got = service().findCodeLenses(d);
		assert.deepEqual(got.map(l => [d.offsetAt(l.range.start), d.offsetAt(l.range.end) - d.offsetAt(l.range.start)]), spans.map(s => [s.offset, s.length]));
		return got.map(l => ({ title: l.command!.title, command: l.command!.command, args: l.command!.arguments![0] }));
	}

	it('on every stats and stats-server option, placeholders resolved, stats-http noted', () => {
		const got = lenses('[uwsgi]\nport = 9191\n«stats = 127.0.0.1:%(port)»\nstats-http = true\n[other]\n«stats = :1»\nmaster = true\n[uwsgi]\n«stats-server = @mystats»\n[app:main]\nuse = egg:app\nstats = :2\n');
		assert.deepEqual(got.map(g => [g.command, g.args.address, g.args.http, g.args.configured]), [
			['uwsgiNginx.showStats', 'http://127.0.0.1:9191', true, '127.0.0.1:%(port)'],
			// another section is another config (file.ini:other): no stats-http there
			['uwsgiNginx.showStats', '127.0.0.1:1', false, ':1'],
			['uwsgiNginx.showStats', 'http+unix:@mystats', true, '@mystats'],
		]);
		assert.equal(got[0].title, '$(pulse) Show live stats · http://127.0.0.1:9191');
	});

	it('places a relative unix path below chdir, else next to the file', () => {
		assert.equal(lenses('[uwsgi]\nchdir = /srv/site\n«stats = run/stats.sock»\n')[0].args.address, '/srv/site/run/stats.sock');
		assert.equal(lenses('[uwsgi]\n«stats = stats.sock»\n')[0].args.address, '/srv/app/stats.sock');
	});

	it('an address from the environment still gets a lens, which will ask', () => {
		const [l] = lenses('[uwsgi]\n«stats = $(STATS_ADDR)»\nstats-http = false\n');
		assert.equal(l.args.address, undefined);
		assert.equal(l.args.http, false);
		assert.match(l.args.problem, /environment/);
		assert.equal(l.title, '$(pulse) Show live stats');
	});

	it('on --stats flags of uWSGI command lines (a Dockerfile), relative to WORKDIR; an environment value asks', () => {
		const text = 'FROM python:3.12\nWORKDIR /app\nCMD ["uwsgi", "--http-socket", ":8000", "--stats", "run/stats.sock", "--stats-http"]\n'
			+ 'RUN uwsgi --stats $STATS_ADDR --master\n';
		const d = TextDocument.create('file:///srv/app/Dockerfile', 'dockerfile', 1, text);
		const got = service().findCodeLenses(d);
		assert.deepEqual(got.map(l => [d.getText(l.range), l.command!.arguments![0].address, l.command!.arguments![0].http]), [
			['stats", "run/stats.sock', 'http+unix:/app/run/stats.sock', true],
			['stats $STATS_ADDR', undefined, false],
		]);
	});

	it('none in nginx files or without a stats option', () => {
		assert.deepEqual(service().findCodeLenses(doc('nginx', 'events {}\n')), []);
		lenses('[uwsgi]\nsocket = :3031\nstats-http = true\n');
	});
});

describe('stats renderers', () => {
	function view() {
		const d = JSON.parse(fixture('busy.json'));
		d.workers[0].cores[1].vars = ['REQUEST_METHOD=GET', 'REQUEST_URI=/<script>alert(1)</script>?a="b"&c', ''];
		d.cwd = '/srv/<b>';
		const s = snapshotOf(d);
		const t = new StatsTracker();
		t.update(snapshot('fresh.json'), 0);
		t.update(snapshot('after-5-requests.json'), 1000);
		return t.update(s, 3000);
	}

	it('HTML escapes what the server reports and has no inline style or script', () => {
		const html = renderStatsHtml(view(), { address: '127.0.0.1:9191' });
		assert.ok(html.includes('<code>GET /&lt;script&gt;alert(1)&lt;/script&gt;?a=&quot;b&quot;&amp;c</code>'), html);
		assert.ok(html.includes('/srv/&lt;b&gt;'));
		assert.doesNotMatch(html, /<script|style=|on\w+=/i);
		assert.match(html, /<svg viewBox="0 0 320 90"[^>]*>.*<polyline class="line rps" points="[\d., ]+"\/>/s);
		assert.match(html, /<tr class="busy"><td>1<\/td><td>31677<\/td>/);
	});

	it('text: a header, one row per worker with status and the running request, alerts', () => {
		const text = renderStatsText(view(), '127.0.0.1:9191');
		const lines = text.split('\n');
		assert.match(lines[0], /^uWSGI 2\.0\.21-debian at 127\.0\.0\.1:9191, master pid 31675, load 0, listen queue 0 of 100$/);
		assert.match(text, /^WID +PID +STATUS +REQ +RPS +EXC +HARAKIRI +AVG RT +RSS +VSZ +TX +RUNNING$/m);
		assert.match(text, /^ +1 +31677 +busy +2 +0\.00 .*GET \/<script>alert\(1\)<\/script>\?a="b"&c/m);
		assert.match(text, /^ +2 +31678 +idle +3 /m);
	});

	it('JSON: totals, flags and workers for scripts', () => {
		const j = statsJson(view(), 'x') as { totals: { requests: number; busy: number }; workers: { status: string }[]; requestsPerSecond: number };
		assert.equal(j.totals.requests, 5);
		assert.equal(j.totals.busy, 1);
		assert.deepEqual(j.workers.map(w => w.status), ['busy', 'idle']);
		assert.equal(j.requestsPerSecond, 0);
		assert.equal(j.totals.requests, 5);
	});
});
