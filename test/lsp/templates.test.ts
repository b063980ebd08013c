/**
 * nginx image templates through the built server (dist/server.js over stdio): a template opened
 * with any language id is checked as nginx without findings on its `${VAR}`; hover on a `${VAR}`
 * shows the value of the compose file the workspace scan found, and follows a change of that
 * file on disk (watched-file notification).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { pathToUri } from '../../server/src/utils/uri';
import { LspClient, SERVER } from '../helpers/lspClient';

const TEMPLATE = 'server {\n    listen ${NGINX_PORT};\n    client_max_body_size ${MAX_BODY};\n    lisen 80;\n}\n';
const compose = (port: string) => `services:\n  web:\n    image: nginx:1.27-alpine\n    volumes:\n      - ./templates:/etc/nginx/templates:ro\n    environment:\n      NGINX_PORT: "${port}"\n`;

describe('language server: nginx image templates', () => {
	let client: LspClient;
	let workspace: string;
	let uri: string;

	before(async () => {
		assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
		workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-lsp-tpl-'));
		fs.mkdirSync(path.join(workspace, 'templates'));
		fs.writeFileSync(path.join(workspace, 'docker-compose.yml'), compose('8080'));
		fs.writeFileSync(path.join(workspace, 'templates', 'default.conf.template'), TEMPLATE);
		uri = pathToUri(path.join(workspace, 'templates', 'default.conf.template'));
		client = new LspClient();
		await client.initialize(pathToUri(workspace));
	});

	after(async () => {
		assert.equal(await client.shutdown(), 0);
		fs.rmSync(workspace, { recursive: true, force: true });
	});

	it('a template opened as plain text is checked as nginx, never on its ${VAR}', async () => {
		await client.open(uri, 'plaintext', TEMPLATE);
		const diags = await client.waitForDiagnostics(uri, p => p.version === 1);
		assert.deepEqual(diags.map(d => [d.code, d.range.start.line]), [['nginx-unknown-directive', 3]]);
	});

	it('hover on ${NGINX_PORT} shows the value the compose service sets, and follows the file on disk', async () => {
		const at = { textDocument: { uri }, position: { line: 1, character: 14 } };
		const hover = await client.request<Hover>('textDocument/hover', at);
		const text = (hover.contents as { value: string }).value;
		assert.match(text, /`8080` — `environment` of the compose service `web` \(docker-compose\.yml\)/);
		assert.deepEqual(hover.range, { start: { line: 1, character: 11 }, end: { line: 1, character: 24 } });
		fs.writeFileSync(path.join(workspace, 'docker-compose.yml'), compose('9090'));
		await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(path.join(workspace, 'docker-compose.yml')), type: 2 }] });
		let now = '';
		for (let i = 0; i < 50 && !now.includes('9090'); i++) {
			const h = await client.request<Hover>('textDocument/hover', at);
			now = (h.contents as { value: string }).value;
			if (!now.includes('9090')) { await new Promise(r => setTimeout(r, 50)); }
		}
		assert.match(now, /`9090` — `environment` of the compose service `web`/);
	});
});
