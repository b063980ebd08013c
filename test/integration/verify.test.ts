/**
 * `uwsgi-nginx-check --verify` with the real nginx and uWSGI: deployment paths mapped onto the
 * workspace, certificates and host names this machine lacks stubbed, the binaries' refusals
 * placed on workspace lines and held against ours, nothing of the machine touched (a live pid
 * file survives, commands in the config are not run), and a clear message when a binary is
 * missing.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/lspClient';
import { requireProgram } from '../helpers/processes';

const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Entry { tool: string; uri: string; verdict: string; said: { uri: string; line?: number; message: string }[]; agrees?: boolean; why: string; notes: string[] }

function verify(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { code: number | null; report: { missing: string[]; entries: Entry[] }; stderr: string } {
	const r = spawnSync(process.execPath, [CLI, '--verify', '--format', 'json', ...args], { cwd, encoding: 'utf8', env });
	let report = { missing: [] as string[], entries: [] as Entry[] };
	try { report = JSON.parse(r.stdout); } catch { assert.fail(`not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`); }
	return { code: r.status, report, stderr: r.stderr };
}

describe('uwsgi-nginx-check --verify with the installed binaries', () => {
	let dir: string;
	const write = (rel: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
		fs.writeFileSync(path.join(dir, rel), text);
	};
	before(() => {
		requireProgram('nginx', 'apt-get install nginx-core (scripts/test-all.sh does it)');
		requireProgram('uwsgi', 'apt-get install uwsgi uwsgi-plugin-python3 (scripts/test-all.sh does it)');
		assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-verify-test-'));
		write('settings.json', JSON.stringify({ 'uwsgiNginx.nginx.pathMappings': { '/etc/nginx': path.join(dir, 'good', 'nginx') } }));
		write('good/nginx/nginx.conf', 'user www-data;\nerror_log /var/log/nginx/error.log;\nevents {}\nhttp {\n    include /etc/nginx/mime.types;\n    include /etc/nginx/conf.d/*.conf;\n}\n');
		write('good/nginx/conf.d/app.conf', 'upstream app {\n    server web:8000;\n}\nserver {\n    listen 443 ssl;\n    server_name example.com;\n    ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;\n    ssl_certificate_key /etc/letsencrypt/live/example.com/privkey.pem;\n    access_log /var/log/nginx/app.access.log;\n    location / {\n        include uwsgi_params;\n        uwsgi_pass app;\n    }\n}\n');
		write('bad/nginx/site.conf', 'server {\n    listen 80;\n    location / {\n        uwsgi_pas unix:/run/app.sock;\n    }\n}\n');
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('runs nginx -t on a tree whose includes, certificates and host names live elsewhere: accepted, and we agree', () => {
		const r = verify(['--config', 'settings.json', 'good'], dir);
		const [e] = r.report.entries.filter(x => x.tool === 'nginx');
		assert.ok(e, JSON.stringify(r.report, null, 2));
		assert.equal(e.verdict, 'ok', JSON.stringify(e, null, 2));
		assert.equal(e.agrees, true);
		assert.ok(e.notes.some(n => /fullchain\.pem: not on this machine, stubbed/.test(n)), e.notes.join('\n'));
		assert.ok(e.notes.some(n => /host "web" does not resolve here/.test(n)), e.notes.join('\n'));
		assert.equal(r.code, 0);
	});

	it('places a refusal on the workspace line and marks our agreement', () => {
		const r = verify(['bad'], dir);
		const [e] = r.report.entries;
		assert.equal(e.verdict, 'refused');
		assert.deepEqual(e.said.map(s => [s.uri, s.line, s.message]), [['bad/nginx/site.conf', 3, '[emerg] unknown directive "uwsgi_pas"']]);
		assert.equal(e.agrees, true);
		assert.equal(r.code, 1);
	});

	it('lets uWSGI read an ini without running its commands or removing a live pid file', () => {
		const pid = path.join(dir, 'live.pid');
		const marker = path.join(dir, 'ran');
		fs.writeFileSync(pid, '4242\n');
		write('uwsgi/app.ini', `[uwsgi]\nplugin = python3\nmodule = app\nsocket = ${dir}/app.sock\npidfile = ${pid}\nvacuum = true\nexec-asap = touch ${marker}\nvaccum = true\n`);
		const r = verify(['uwsgi/app.ini'], dir);
		const [e] = r.report.entries;
		assert.equal(e.tool, 'uwsgi');
		assert.equal(e.verdict, 'refused');
		assert.match(e.said[0].message, /unknown config directive: vaccum/);
		assert.equal(e.agrees, true, e.why);
		assert.ok(fs.existsSync(pid), 'the pid file of a live deployment was removed');
		assert.ok(!fs.existsSync(marker), 'a command of the config was run');
	});

	it('says how to install a binary that is missing', () => {
		const r = verify(['bad'], dir, { ...process.env, PATH: '/nonexistent' });
		assert.equal(r.code, 2);
		assert.match(r.stderr, /nginx is not installed here: install it to verify \(Debian\/Ubuntu: apt-get install nginx-core/);
	});
});
