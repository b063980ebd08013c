/** Navigation across the seam: definition, references, hover and completion between nginx and uWSGI. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { workspaceOf } from '../helpers/text';

const FILES = {
	'/w/app/uwsgi.ini': '[uwsgi]\nsocket = /run/uwsgi/app.sock\nhttp-socket = 127.0.0.1:8080\n',
	'/w/nginx/site.conf': 'upstream app {\n    server unix:/run/uwsgi/app.sock;\n}\nserver {\n    location / { include uwsgi_params; uwsgi_pass app; }\n    location /x/ { include uwsgi_params; uwsgi_pass unix:/run/uwsgi/app.sock; }\n}\n',
};

function setup() {
	const { svc, docs } = workspaceOf(FILES);
	return { svc, nginx: docs.get('/w/nginx/site.conf')!, ini: docs.get('/w/app/uwsgi.ini')! };
}

describe('seam navigation', () => {
	it('goes from an nginx target to the uWSGI socket line', () => {
		const { svc, nginx } = setup();
		const pos = nginx.positionAt(nginx.getText().indexOf('unix:/run/uwsgi/app.sock;  }'.slice(0, 10), 100));
		const defs = svc.findDefinition(nginx, pos);
		assert.deepEqual(defs.map(d => [d.uri, d.range.start.line]), [['file:///w/app/uwsgi.ini', 1]]);
		const upstreamServer = nginx.positionAt(nginx.getText().indexOf('unix:'));
		assert.deepEqual(svc.findDefinition(nginx, upstreamServer).map(d => d.range.start.line), [1]);
	});

	it('finds every nginx line that reaches a uWSGI socket', () => {
		const { svc, ini } = setup();
		const refs = svc.findReferences(ini, { line: 1, character: 3 }, true);
		assert.deepEqual(refs.map(r => [r.uri, r.range.start.line]), [['file:///w/nginx/site.conf', 1], ['file:///w/nginx/site.conf', 5]]);
	});

	it('shows the other side on hover', () => {
		const { svc, ini, nginx } = setup();
		const h = svc.doHover(ini, { line: 1, character: 12 })!;
		const text = (h.contents as { value: string }).value;
		assert.match(text, /nginx reaches it from:/);
		assert.match(text, /site\.conf:5 `uwsgi_pass app` \(upstream server, site\.conf:2\)/);
		const h2 = svc.doHover(nginx, nginx.positionAt(nginx.getText().indexOf('unix:/run/uwsgi/app.sock;', 150) + 3))!;
		assert.match((h2.contents as { value: string }).value, /Served by uWSGI:\n- uwsgi\.ini:2 `socket = \/run\/uwsgi\/app\.sock`/);
	});

	it('offers the workspace sockets after uwsgi_pass, proxy_pass and an upstream server', () => {
		const { svc } = setup();
		const complete = (text: string) => {
			const d = TextDocument.create('file:///w/nginx/new.conf', 'nginx', 1, text);
			return svc.doComplete(d, d.positionAt(text.length)).items.map(i => i.label);
		};
		assert.deepEqual(complete('server { location / { uwsgi_pass '), ['unix:/run/uwsgi/app.sock', 'app']);
		assert.deepEqual(complete('server { location / { proxy_pass '), ['http://127.0.0.1:8080', 'app']);
		assert.deepEqual(complete('http { upstream b { server '), ['unix:/run/uwsgi/app.sock', '127.0.0.1:8080']);
	});
});
