/**
 * uWSGI command lines on the real stack: the command of a Dockerfile, a compose file and a
 * systemd unit, as our parser reads it, is started as the real uWSGI (Debian's 2.0.21 with the
 * python3 plugin, a Django 3.2 project) — the argv is exactly the words we parsed — and the socket
 * it binds is the one our socket graph computed for it: the TCP port listens (and answers), the
 * unix socket file exists at the path we placed below `--chdir`, and nginx reaches it with the
 * `uwsgi_pass` our service finds no fault with.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../../server/src/service';
import type { UwsgiSocket } from '../../../server/src/analysis/seam/socketGraph';
import { pathToUri } from '../../../server/src/utils/uri';
import {
	createDjangoProject, freePort, httpGet, isListening, isSocketFile, makeTempDir, NGINX_CONF_DIR, nginxConf, removeTempDirs, requireStack,
	startNginx, startUwsgiCommand, stopAll, type DjangoProject, type Endpoint,
} from '../../helpers/stack';

/** Our reading of a host file: the argv of its one invocation, where it starts, and the sockets we computed. */
function readHostFile(file: string, text: string): { argv: string[]; cwd?: string; sockets: UwsgiSocket[]; errors: string[] } {
	const service = getLanguageService({ onInternalError: (where, e) => { throw new Error(`${where}: ${String(e)}`); } });
	const uri = pathToUri(file);
	const doc = TextDocument.create(uri, 'plaintext', 1, text);
	assert.equal(service.languageOf(doc), 'command', `${file} is not read as a host file that runs uWSGI`);
	service.workspace.set(doc, 'command');
	const configs = service.workspace.commands(uri)!.configs;
	assert.equal(configs.length, 1, `${file}: expected one uWSGI invocation`);
	const inv = configs[0].invocation;
	const errors = service.doValidation(doc).filter(d => d.severity === 1).map(d => `${d.code}: ${d.message}`);
	return { argv: inv.args.map(w => w.text), cwd: inv.cwd, sockets: service.workspace.socketGraph().sockets.filter(s => s.uri === uri), errors };
}

function endpointOf(s: UwsgiSocket): Endpoint {
	if (s.address.kind === 'tcp') { return { port: Number(s.address.port) }; }
	assert.equal(s.address.kind, 'unix');
	assert.ok(s.address.kind === 'unix' && !s.address.relative, 'the computed unix path is absolute');
	return { path: s.address.path };
}

describe('command lines we parse, started as the real uWSGI', () => {
	let project: DjangoProject;
	let root: string;

	before(() => {
		requireStack();
		root = makeTempDir('uwsgi-nginx-cmdline-');
		project = createDjangoProject(path.join(root, 'project'));
	});

	after(async () => {
		await stopAll();
		removeTempDirs();
	});

	it('Dockerfile exec form: --http-socket on the port we computed, answering HTTP', async () => {
		const port = await freePort();
		const file = path.join(root, 'Dockerfile');
		const text = `FROM python:3.12\nWORKDIR ${project.dir}\nCMD ["uwsgi", "--plugin", "python3", "--http-socket", "127.0.0.1:${port}", "--module", "${project.module}", "--master", "--workers", "1", "--die-on-term"]\n`;
		fs.writeFileSync(file, text);
		const r = readHostFile(file, text);
		assert.deepEqual(r.errors, []);
		assert.equal(r.cwd, project.dir);
		assert.deepEqual(r.sockets.map(s => [s.protocol, s.address]), [['http', { kind: 'tcp', host: '127.0.0.1', port: String(port) }]]);
		const uwsgi = await startUwsgiCommand(r.argv, r.cwd!, r.sockets.map(endpointOf));
		assert.ok(isListening(port), `uWSGI does not listen on ${port}:\n${uwsgi.log}`);
		assert.match(uwsgi.log, new RegExp(`bound to TCP address 127\\.0\\.0\\.1:${port} `));
		const res = await httpGet(port, '/');
		assert.equal(res.status, 200, uwsgi.log);
		assert.equal(res.body, 'ok');
		await uwsgi.stop();
	});

	it('systemd unit with short options (-s socket, -p processes, -M master): the uwsgi socket on the port we computed, reached by nginx', async () => {
		const port = await freePort();
		const nginxPort = await freePort();
		const dir = makeTempDir('uwsgi-nginx-cmdline-unit-', root);
		const file = path.join(dir, 'app.service');
		const text = `[Unit]\nDescription=app\n\n[Service]\nWorkingDirectory=${project.dir}\nExecStart=/usr/bin/uwsgi --plugin python3 -s 127.0.0.1:${port} -M -p 1 \\\n    --module ${project.module} --die-on-term\n`;
		fs.writeFileSync(file, text);
		const r = readHostFile(file, text);
		assert.deepEqual(r.errors, []);
		assert.deepEqual(r.sockets.map(s => [s.option.name, s.protocol, s.address]), [['socket', 'uwsgi', { kind: 'tcp', host: '127.0.0.1', port: String(port) }]]);
		const uwsgi = await startUwsgiCommand(r.argv, r.cwd!, r.sockets.map(endpointOf));
		assert.match(uwsgi.log, new RegExp(`bound to TCP address 127\\.0\\.0\\.1:${port} `));
		assert.match(uwsgi.log, /spawned uWSGI master process/);
		// nginx passes to the address our service matched with the socket
		fs.copyFileSync(path.join(NGINX_CONF_DIR, 'uwsgi_params'), path.join(dir, 'uwsgi_params'));
		const conf = path.join(dir, 'nginx.conf');
		const server = `server {\n    listen 127.0.0.1:${nginxPort};\n    location / {\n        include uwsgi_params;\n        uwsgi_pass 127.0.0.1:${port};\n    }\n}\n`;
		fs.writeFileSync(conf, nginxConf(dir, server));
		const service = getLanguageService();
		const unit = TextDocument.create(pathToUri(file), 'plaintext', 1, text);
		const site = TextDocument.create(pathToUri(path.join(dir, 'site.conf')), 'nginx', 1, server);
		service.workspace.set(unit, 'command');
		service.workspace.set(site, 'nginx');
		assert.deepEqual(service.doValidation(site).filter(d => d.source === 'uwsgi-nginx'), []);
		const nginx = await startNginx(conf, dir, { port: nginxPort });
		const res = await httpGet(nginxPort, '/');
		assert.equal(res.status, 200, nginx.errorLog());
		assert.equal(res.body, 'ok');
		await nginx.stop();
		await uwsgi.stop();
	});

	it('compose block list: a relative --socket is bound below --chdir, at the path we computed', async () => {
		const dir = makeTempDir('uwsgi-nginx-cmdline-compose-', root);
		const file = path.join(dir, 'docker-compose.yml');
		const text = [
			'services:', '  web:', '    build: .', `    working_dir: ${dir}`, '    command:', '      - uwsgi', '      - --plugin', '      - python3',
			'      - "--chdir"', `      - ${project.dir}`, '      - --socket', '      - "app.sock"', '      - --chmod-socket=666',
			'      - --module', `      - ${project.module}`, '      - --master', '      - --workers=1', '      - --die-on-term', '      - --vacuum',
		].join('\n') + '\n';
		fs.writeFileSync(file, text);
		const r = readHostFile(file, text);
		assert.deepEqual(r.errors, []);
		const expected = path.join(project.dir, 'app.sock');
		assert.deepEqual(r.sockets.map(s => [s.protocol, s.address]), [['uwsgi', { kind: 'unix', path: expected }]]);
		// started from working_dir: uWSGI changes into --chdir before binding, so the socket is not here
		const uwsgi = await startUwsgiCommand(r.argv, r.cwd!, r.sockets.map(endpointOf));
		assert.ok(isSocketFile(expected), `no socket at ${expected}:\n${uwsgi.log}`);
		assert.ok(!fs.existsSync(path.join(dir, 'app.sock')), 'uWSGI bound the socket in the starting folder, not below --chdir');
		await uwsgi.stop();
	});
});
