/** uwsgi-nginx-check on host files: a folder walk finds the Dockerfile, compose file and unit that run uWSGI, and checks them with the nginx configs. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');

describe('uwsgi-nginx-check on uWSGI command lines', () => {
	let dir: string;
	before(() => {
		assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-cli-cmd-'));
		fs.mkdirSync(path.join(dir, 'nginx'));
		fs.mkdirSync(path.join(dir, 'bin'));
		fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python\nCMD ["uwsgi", "--http-socket", "127.0.0.1:8000", "--vaccum"]\n');
		fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    command: uwsgi --socket :9000 --processes four\n    ports:\n      - "9000:9000"\n  db:\n    image: postgres\n');
		fs.writeFileSync(path.join(dir, 'app.service'), '[Service]\nExecStart=/usr/bin/uwsgi --socket /run/app.sock --master\n');
		fs.writeFileSync(path.join(dir, 'bin', 'start'), '#!/bin/sh\nexec uwsgi --stats :9191 --master\n');
		fs.writeFileSync(path.join(dir, 'bin', 'notes'), 'not a script: uwsgi --vaccum\n');
		fs.writeFileSync(path.join(dir, 'other.sh'), '#!/bin/sh\necho hello\n');
		fs.writeFileSync(path.join(dir, 'nginx', 'site.conf'), 'server {\n    location / {\n        include uwsgi_params;\n        uwsgi_pass 127.0.0.1:8000;\n    }\n}\n');
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('reports on the flags of each host file and across the seam', () => {
		const r = spawnSync(process.execPath, [CLI, '.'], { cwd: dir, encoding: 'utf8' });
		assert.equal(r.status, 1, r.stderr);
		const lines = r.stdout.trim().split('\n').map(l => l.split(' ').slice(0, 3).join(' '));
		assert.deepEqual(lines, [
			'Dockerfile:2:53: warning uwsgi-unknown-option',
			'app.service:2:11: information uwsgi-no-harakiri',
			'app.service:2:11: hint uwsgi-no-worker-recycling',
			'app.service:2:35: hint socket-unreferenced',
			`${path.join('bin', 'start')}:2:20: warning uwsgi-public-stats`,
			'docker-compose.yml:3:29: warning uwsgi-public-socket',
			'docker-compose.yml:3:29: hint socket-unreferenced',
			'docker-compose.yml:3:47: error uwsgi-invalid-value',
			`${path.join('nginx', 'site.conf')}:4:20: error protocol-mismatch`,
		]);
		assert.match(r.stderr, /5 files checked/);
	});

	it('checks a host file given by name', () => {
		const r = spawnSync(process.execPath, [CLI, 'Dockerfile'], { cwd: dir, encoding: 'utf8' });
		assert.equal(r.status, 0);
		assert.match(r.stdout, /^Dockerfile:2:53: warning uwsgi-unknown-option Unknown option "vaccum": uWSGI stops at startup/);
	});
});
