/** nginx navigation across files: definition, references, rename, links, upstream hover and completion. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cursor, service } from '../helpers/text';

function setup(files: Record<string, string>) {
	const svc = service();
	const docs: Record<string, { doc: TextDocument; offset: number }> = {};
	for (const [path, raw] of Object.entries(files)) {
		const hasCursor = raw.includes('|');
		const { text, offset } = hasCursor ? cursor(raw) : { text: raw, offset: -1 };
		const doc = TextDocument.create(`file://${path}`, 'nginx', 1, text);
		svc.workspace.set(doc, 'nginx');
		docs[path] = { doc, offset };
	}
	return { svc, docs };
}

const FILES = {
	'/w/nginx/nginx.conf': 'http {\n    include upstreams.conf;\n    include sites-enabled/*.conf;\n}\n',
	'/w/nginx/upstreams.conf': 'upstream django {\n    server unix:/run/uwsgi/app.sock;\n    server 127.0.0.1:3031 backup;\n}\n',
	'/w/nginx/sites-enabled/app.conf': 'server {\n    location / {\n        include uwsgi_params;\n        uwsgi_pass dj|ango;\n    }\n    location @fallback { return 503; }\n    error_page 502 @fallback;\n    location /api/ { proxy_pass http://django/api/; }\n}\n',
};

describe('nginx navigation', () => {
	it('goes from a pass to the upstream block in another file', () => {
		const { svc, docs } = setup(FILES);
		const { doc, offset } = docs['/w/nginx/sites-enabled/app.conf'];
		const defs = svc.findDefinition(doc, doc.positionAt(offset));
		assert.deepEqual(defs.map(d => [d.uri, d.range.start.line, d.range.end.line]), [['file:///w/nginx/upstreams.conf', 0, 3]]);
	});

	it('goes from an include to the included file, and from @name to the named location', () => {
		const { svc, docs } = setup(FILES);
		const main = docs['/w/nginx/nginx.conf'].doc;
		const defs = svc.findDefinition(main, { line: 1, character: 14 });
		assert.deepEqual(defs.map(d => d.uri), ['file:///w/nginx/upstreams.conf']);
		const app = docs['/w/nginx/sites-enabled/app.conf'].doc;
		const named = svc.findDefinition(app, { line: 6, character: 22 });
		assert.deepEqual(named.map(d => d.range.start.line), [5]);
	});

	it('finds every reference of an upstream across files, and renames them all', () => {
		const { svc, docs } = setup(FILES);
		const { doc, offset } = docs['/w/nginx/sites-enabled/app.conf'];
		const refs = svc.findReferences(doc, doc.positionAt(offset), true);
		assert.deepEqual(refs.map(r => [r.uri.replace('file:///w/nginx/', ''), r.range.start.line, r.range.start.character]), [
			['upstreams.conf', 0, 9], ['sites-enabled/app.conf', 3, 19], ['sites-enabled/app.conf', 7, 39],
		]);
		const range = svc.prepareRename(doc, doc.positionAt(offset));
		assert.equal(doc.getText(range!), 'django');
		const edit = svc.doRename(doc, doc.positionAt(offset), 'shop', undefined)!;
		const app = edit.changes!['file:///w/nginx/sites-enabled/app.conf'];
		assert.equal(app.length, 2);
		assert.ok(app.every(e => e.newText === 'shop' && doc.getText(e.range) === 'django'));
		assert.equal(edit.changes!['file:///w/nginx/upstreams.conf'].length, 1);
	});

	it('links includes to their files', () => {
		const { svc, docs } = setup(FILES);
		const links = svc.findDocumentLinks(docs['/w/nginx/nginx.conf'].doc);
		assert.deepEqual(links.map(l => [l.target, l.range.start.line]), [['file:///w/nginx/upstreams.conf', 1]]);
	});

	it('shows the servers of an upstream on hover, and offers upstream names after uwsgi_pass', () => {
		const { svc, docs } = setup(FILES);
		const { doc, offset } = docs['/w/nginx/sites-enabled/app.conf'];
		const h = svc.doHover(doc, doc.positionAt(offset))!;
		assert.match((h.contents as { value: string }).value, /server 127\.0\.0\.1:3031 backup;/);
		const other = TextDocument.create('file:///w/nginx/sites-enabled/new.conf', 'nginx', 1, 'server { location / { uwsgi_pass d } }');
		const labels = svc.doComplete(other, other.positionAt(other.getText().indexOf(' d }') + 2)).items.map(i => i.label);
		assert.deepEqual(labels, ['django']);
	});

	it('names servers by their server_name in the outline', () => {
		const { svc } = setup({});
		const d = TextDocument.create('file:///w/s.conf', 'nginx', 1, 'server {\n listen 80;\n server_name shop.example www.shop.example;\n}\n');
		const [s] = svc.findDocumentSymbols(d);
		assert.equal(s.name, 'server shop.example www.shop.example');
		assert.equal(s.detail, 'listen 80');
	});
});

describe('uWSGI config loading', () => {
	it('links and goes to the files an ini loads', () => {
		const svc = service();
		const base = TextDocument.create('file:///w/uwsgi/base.ini', 'uwsgi-ini', 1, '[uwsgi]\nmaster = true\n');
		svc.workspace.set(base, 'uwsgi');
		const app = TextDocument.create('file:///w/uwsgi/vassals/app.ini', 'uwsgi-ini', 1, '[uwsgi]\nini = ../base.ini:uwsgi\ninclude = %dmissing.ini\n');
		svc.workspace.set(app, 'uwsgi');
		const links = svc.findDocumentLinks(app);
		assert.deepEqual(links.map(l => [l.target, app.getText(l.range)]), [['file:///w/uwsgi/base.ini', '../base.ini']]);
		assert.deepEqual(svc.findDefinition(app, { line: 1, character: 8 }).map(l => l.uri), ['file:///w/uwsgi/base.ini']);
	});
});
