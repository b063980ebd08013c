/**
 * `uwsgi-nginx-check stats` as a process, against Node servers that replay documents recorded
 * from the real uWSGI (test/fixtures/stats) or misbehave: the table, JSON, an ini file as the
 * address, stats-http over a unix socket, and one exit status per outcome. The real uWSGI is read
 * in test/integration/stats.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/lspClient';
import { runNode } from '../helpers/processes';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'stats');
const fixture = (f: string) => fs.readFileSync(path.join(FIXTURES, f));

const run = (args: string[]) => runNode(CLI, args);

describe('uwsgi-nginx-check stats', () => {
	const servers: net.Server[] = [];
	let dir: string;
	const listen = async (onConnection: (c: net.Socket) => void, where?: string): Promise<string> => {
		const s = net.createServer(onConnection);
		servers.push(s);
		if (where) {
			await new Promise<void>(r => s.listen(where, r));
			return where;
		}
		await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
		return `127.0.0.1:${(s.address() as net.AddressInfo).port}`;
	};
	let plain: string;

	before(async () => {
		assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-cli-stats-'));
		plain = await listen(c => c.end(fixture('overloaded.json')));
	});
	after(() => {
		for (const s of servers) { s.close(); }
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('prints a table: one row per worker, the running requests, the alerts', async () => {
		const r = await run(['stats', plain]);
		assert.equal(r.code, 0, r.stderr);
		const lines = r.stdout.split('\n');
		assert.equal(lines[0], `uWSGI 2.0.21-debian at ${plain}, master pid 31675, load 4, listen queue 4 of 100`);
		assert.equal(lines[2], 'state: OVERLOADED');
		assert.equal(lines.filter(l => /^ +[12] +3167[78] +busy +3 /.test(l)).length, 2, r.stdout);
		assert.match(r.stdout, /GET \/slow [^;\n]+; GET \/slow /);
		assert.match(r.stdout, /^! Every worker thread is busy \(4 of 4\): new requests wait in the listen queue\.$/m);
	});

	it('--json for scripts', async () => {
		const r = await run(['stats', '--json', plain]);
		assert.equal(r.code, 0, r.stderr);
		const j = JSON.parse(r.stdout);
		assert.equal(j.outcome, 'ok');
		assert.equal(j.http, false);
		assert.equal(j.workers.length, 2);
		assert.equal(j.flags.overloaded, true);
		assert.equal(j.listenQueue, 4);
		assert.equal(j.running.length, 4);
	});

	it('an ini file as the address; stats-http on a unix socket', async () => {
		const sock = path.join(dir, 'stats.sock');
		await listen(c => c.once('data', () => c.end(fixture('stats-http-response.txt'))), sock);
		const ini = path.join(dir, 'uwsgi.ini');
		fs.writeFileSync(ini, '[uwsgi]\nchdir = ' + dir + '\nstats = stats.sock\nstats-http = true\n');
		const r = await run(['stats', '--json', ini]);
		assert.equal(r.code, 0, r.stderr);
		const j = JSON.parse(r.stdout);
		assert.equal(j.address, `http+unix:${sock}`);
		assert.equal(j.http, true);
		const none = path.join(dir, 'none.ini');
		fs.writeFileSync(none, '[uwsgi]\nmaster = true\n');
		const n = await run(['stats', none]);
		assert.equal(n.code, 2);
		assert.match(n.stderr, /none\.ini has no stats option/);
	});

	it('exit 3 not reachable, 4 not a stats server, 5 dropped, 6 timed out, 2 usage', async () => {
		const refused = await listen(c => c.destroy());
		const garbage = await listen(c => c.end('220 smtp ready\r\n'));
		const half = await listen(c => { c.write(fixture('busy.json').subarray(0, 1000)); setTimeout(() => c.destroy(), 30); });
		const silent = await listen(() => undefined);
		const closedPort = await new Promise<number>(resolve => {
			const s = net.createServer();
			s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
		});
		const cases: [string[], number, RegExp][] = [
			[['stats', `127.0.0.1:${closedPort}`], 3, /nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)/],
			[['stats', path.join(dir, 'missing.sock')], 3, /there is no socket at/],
			[['stats', garbage], 4, /not a uWSGI stats server: the answer is not JSON \(it starts with "220 smtp ready"\)/],
			[['stats', half], 5, /connection dropped: the connection closed after 1000 bytes, before the end of the document/],
			[['stats', refused], 5, /connection dropped/],
			[['stats', '--timeout', '800', silent], 6, /accepted the connection but sent nothing within 800 ms/],
			[['stats', '127.0.0.1:0'], 2, /"0" is not a TCP port/],
			[['stats', '--bogus', plain], 2, /unknown option --bogus/],
			[['stats', '--timeout', 'soon', plain], 2, /--timeout takes a whole number/],
		];
		for (const [args, code, message] of cases) {
			const r = await run(args);
			assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, message, args.join(' '));
		}
		const help = await run(['stats', '--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /Exit status: 0 read, 2 usage, 3 not reachable, 4 not a uWSGI stats server,\n5 connection dropped before the end, 6 timed out\./);
	});
});
