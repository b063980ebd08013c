/**
 * The seam's refactorings on the real stack, applied through the language server as an editor
 * would: the code action is requested over LSP, its WorkspaceEdit written to both files, both
 * services restarted — the site still answers 200, and no byte outside the edits changed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { pathToUri } from '../../../server/src/service';
import { LspClient, SERVER } from '../../helpers/lspClient';
import {
	createDjangoProject, freePort, httpGet, makeTempDir, nginxConf, NGINX_CONF_DIR, removeTempDirs, requireStack, startNginx, startUwsgi, stopAll, type DjangoProject,
} from '../../helpers/stack';

/** nginx.conf of a scenario: `upstream` (if any) and one server on `port` whose location has `location`. */
function siteConf(dir: string, port: number, upstream: string, location: string, main = ''): string {
	return nginxConf(dir, `${upstream}server {
    listen 127.0.0.1:${port};
    location / {
        ${location}
    }
}`, main);
}

/** Asks the server for the code actions at `needle` in `file` and returns the one titled `title`. */
async function actionAt(client: LspClient, file: string, needle: string, title: RegExp): Promise<CodeAction> {
	const text = fs.readFileSync(file, 'utf8');
	const doc = TextDocument.create(pathToUri(file), 'x', 1, text);
	const pos = doc.positionAt(text.indexOf(needle));
	const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: doc.uri }, range: { start: pos, end: pos }, context: { diagnostics: [] } });
	const action = actions.find(a => title.test(a.title));
	assert.ok(action, `no action ${title} at "${needle}" in ${path.basename(file)}; got: ${actions.map(a => a.title).join(' | ')}`);
	return action;
}

/** Writes a WorkspaceEdit's changes to disk, as an editor saving both files would. */
function applyToDisk(action: CodeAction): void {
	for (const [uri, edits] of Object.entries(action.edit!.changes!)) {
		const file = decodeURIComponent(uri.replace('file://', ''));
		const doc = TextDocument.create(uri, 'x', 1, fs.readFileSync(file, 'utf8'));
		fs.writeFileSync(file, TextDocument.applyEdits(doc, edits));
	}
}

async function openAll(client: LspClient, files: { file: string; languageId: string }[]): Promise<void> {
	for (const f of files) { await client.open(pathToUri(f.file), f.languageId, fs.readFileSync(f.file, 'utf8')); }
	for (const f of files) { await client.waitForDiagnostics(pathToUri(f.file)); }
}

describe('seam refactorings through LSP on the real stack', () => {
	let project: DjangoProject;
	before(() => {
		requireStack();
		assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
		project = createDjangoProject(path.join(makeTempDir('uwsgi-nginx-refactor-'), 'project'));
	});
	after(async () => {
		await stopAll();
		removeTempDirs();
	});

	it('Switch to the uwsgi protocol: scheme 1 becomes scheme 2, still 200', async () => {
		const dir = makeTempDir('uwsgi-nginx-switch-');
		fs.chmodSync(dir, 0o755);
		fs.copyFileSync(path.join(NGINX_CONF_DIR, 'uwsgi_params'), path.join(dir, 'uwsgi_params'));
		const [web, app] = [await freePort(), await freePort()];
		const ini = path.join(dir, 'uwsgi.ini');
		const conf = path.join(dir, 'nginx.conf');
		const iniText = `[uwsgi]\nplugin = python3\nchdir = ${project.dir}\nmodule = ${project.module}\nmaster = true\nworkers = 1\ndie-on-term = true\nhttp-socket = 127.0.0.1:${app}\n`;
		const confText = siteConf(dir, web, '', `proxy_pass http://127.0.0.1:${app};`);
		fs.writeFileSync(ini, iniText);
		fs.writeFileSync(conf, confText);

		let uwsgi = await startUwsgi(ini);
		let nginx = await startNginx(conf, dir);
		assert.equal((await httpGet(web, '/')).status, 200, 'scheme 1 serves before the refactoring');

		const client = new LspClient();
		await client.initialize(pathToUri(dir));
		await openAll(client, [{ file: ini, languageId: 'uwsgi-ini' }, { file: conf, languageId: 'nginx' }]);
		const action = await actionAt(client, conf, 'proxy_pass', /^Switch to the uwsgi protocol/);
		await client.shutdown();
		applyToDisk(action);

		// exactly the two edits, every other byte as it was
		assert.equal(fs.readFileSync(ini, 'utf8'), iniText.replace('http-socket = ', 'socket = '));
		assert.equal(fs.readFileSync(conf, 'utf8'), confText.replace(`proxy_pass http://127.0.0.1:${app};`, `include uwsgi_params;\n            uwsgi_pass 127.0.0.1:${app};`));

		await Promise.all([uwsgi.stop(), nginx.stop()]);
		uwsgi = await startUwsgi(ini);
		nginx = await startNginx(conf, dir);
		const after = await httpGet(web, '/');
		assert.equal(after.status, 200, `after switching to uwsgi_pass: ${after.body}\n${nginx.errorLog()}`);
		assert.equal(after.body.trim(), 'ok');
		await Promise.all([uwsgi.stop(), nginx.stop()]);
	});

	it('Convert to unix socket: TCP socket and upstream server both become the unix socket, still 200', async () => {
		const dir = makeTempDir('uwsgi-nginx-convert-');
		fs.chmodSync(dir, 0o755);
		fs.copyFileSync(path.join(NGINX_CONF_DIR, 'uwsgi_params'), path.join(dir, 'uwsgi_params'));
		const [web, app] = [await freePort(), await freePort()];
		const ini = path.join(dir, 'shop.ini');
		const conf = path.join(dir, 'nginx.conf');
		const iniText = `[uwsgi]\nplugin = python3\nchdir = ${project.dir}\nmodule = ${project.module}\nmaster = true\nworkers = 1\ndie-on-term = true\nsocket = 127.0.0.1:${app}\n`;
		const upstream = `upstream django {\n    server 127.0.0.1:${app}; # the app\n}\n`;
		const confText = siteConf(dir, web, upstream, 'include uwsgi_params;\n        uwsgi_pass django;', 'user www-data www-data;');
		fs.writeFileSync(ini, iniText);
		fs.writeFileSync(conf, confText);

		let uwsgi = await startUwsgi(ini);
		let nginx = await startNginx(conf, dir);
		assert.equal((await httpGet(web, '/')).status, 200, 'the TCP wiring serves before the refactoring');

		const client = new LspClient();
		client.settings = { unixSocketDirectory: dir };
		await client.initialize(pathToUri(dir));
		await openAll(client, [{ file: ini, languageId: 'uwsgi-ini' }, { file: conf, languageId: 'nginx' }]);
		const action = await actionAt(client, ini, 'socket = ', /^Convert to unix socket/);
		await client.shutdown();
		applyToDisk(action);

		const sock = `${dir}/shop.sock`;
		assert.equal(fs.readFileSync(ini, 'utf8'), iniText.replace(`socket = 127.0.0.1:${app}\n`, `socket = ${sock}\nvacuum = true\nchmod-socket = 660\nchown-socket = www-data:www-data\n`));
		assert.equal(fs.readFileSync(conf, 'utf8'), confText.replace(`server 127.0.0.1:${app};`, `server unix:${sock};`));

		await Promise.all([uwsgi.stop(), nginx.stop()]);
		uwsgi = await startUwsgi(ini);
		nginx = await startNginx(conf, dir);
		const after = await httpGet(web, '/');
		assert.equal(after.status, 200, `after converting to ${sock}: ${after.body}\n${nginx.errorLog()}\n${uwsgi.log.slice(-2000)}`);
		assert.equal(after.body.trim(), 'ok');
		await Promise.all([uwsgi.stop(), nginx.stop()]);
	});
});
