/** Code actions across the seam: edits over both files that change nothing else. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { normalizeSettings } from '../../server/src/service';
import { workspaceOf } from '../helpers/text';

function apply(doc: TextDocument, edits: readonly TextEdit[]): string {
	return TextDocument.applyEdits(doc, [...edits]);
}

/** Applies an action's edits to every file; returns path → new text. */
function applyAction(docs: Map<string, TextDocument>, action: CodeAction): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [p, d] of docs) { out[p] = apply(d, action.edit?.changes?.[d.uri] ?? []); }
	return out;
}

function actionsAt(files: Record<string, string>, file: string, needle: string) {
	const { svc, docs } = workspaceOf(files);
	const d = docs.get(file)!;
	const pos = d.positionAt(d.getText().indexOf(needle));
	const diagnostics = svc.doValidation(d).filter(x => x.range.start.line === pos.line);
	return { actions: svc.doCodeActions(d, { start: pos, end: pos }, diagnostics, normalizeSettings({ unixSocketDirectory: '/run/uwsgi' })), docs };
}

describe('Use the socket uWSGI serves', () => {
	it('repoints a drifted uwsgi_pass and a proxy_pass with the wrong protocol', () => {
		const files = { '/w/app/uwsgi.ini': '[uwsgi]\nsocket = /run/uwsgi/app.sock\nhttp-socket = 127.0.0.1:8080\n', '/w/nginx/a.conf': 'location / {\n    include uwsgi_params;\n    uwsgi_pass unix:/run/uwsgi/ap.sock;  # app\n}\nlocation /x/ { proxy_pass http://unix:/run/uwsgi/app.sock:/x/; }\n' };
		const { actions, docs } = actionsAt(files, '/w/nginx/a.conf', 'uwsgi_pass');
		const fix = actions.find(a => a.title.startsWith('Use the socket'))!;
		assert.equal(applyAction(docs, fix)['/w/nginx/a.conf'], files['/w/nginx/a.conf'].replace('unix:/run/uwsgi/ap.sock', 'unix:/run/uwsgi/app.sock'));
		const r = actionsAt(files, '/w/nginx/a.conf', 'proxy_pass');
		const fix2 = r.actions.find(a => a.title.startsWith('Use the socket'))!;
		assert.equal(applyAction(r.docs, fix2)['/w/nginx/a.conf'], files['/w/nginx/a.conf'].replace('http://unix:/run/uwsgi/app.sock:/x/', 'http://127.0.0.1:8080/x/'));
	});

	it('regression: replaces a server written unix://path whole (the "unix:" is no URL scheme; the fix wrote unix://unix:/…:/path)', () => {
		const files = { '/w/app/uwsgi.ini': '[uwsgi]\nsocket = /home/pod/podv4/podv4.sock\n', '/w/nginx/a.conf': 'upstream django {\n    server unix://podv4/podv4.sock;\n}\nserver {\n    location / { include uwsgi_params; uwsgi_pass django; }\n}\n' };
		const { actions, docs } = actionsAt(files, '/w/nginx/a.conf', 'unix://');
		const fix = actions.find(a => a.title.startsWith('Use the socket'))!;
		assert.ok(fix, `no fix among ${JSON.stringify(actions.map(a => a.title))}`);
		assert.equal(applyAction(docs, fix)['/w/nginx/a.conf'], files['/w/nginx/a.conf'].replace('unix://podv4/podv4.sock', 'unix:/home/pod/podv4/podv4.sock'));
	});
});

describe('Switch to the uwsgi protocol', () => {
	it('turns scheme 1 (http-socket + proxy_pass) into scheme 2 (socket + uwsgi_pass), both files, nothing else', () => {
		const files = {
			'/w/app/uwsgi.ini': '[uwsgi]\nhttp-socket = 127.0.0.1:11112\nchdir = /code/yikaoyan/\n',
			'/w/nginx/site.conf': 'server {\n    location / {\n        proxy_pass http://127.0.0.1:11112;\n    }\n}\n',
		};
		for (const [file, needle] of [['/w/nginx/site.conf', 'proxy_pass'], ['/w/app/uwsgi.ini', 'http-socket']] as const) {
			const { actions, docs } = actionsAt(files, file, needle);
			const sw = actions.find(a => a.title.startsWith('Switch to the uwsgi protocol'))!;
			assert.ok(sw, `offered on ${file}`);
			const out = applyAction(docs, sw);
			assert.equal(out['/w/app/uwsgi.ini'], '[uwsgi]\nsocket = 127.0.0.1:11112\nchdir = /code/yikaoyan/\n');
			assert.equal(out['/w/nginx/site.conf'], 'server {\n    location / {\n        include uwsgi_params;\n        uwsgi_pass 127.0.0.1:11112;\n    }\n}\n');
		}
	});
});

describe('Convert to unix socket', () => {
	it('changes the uWSGI socket and the nginx target, adding vacuum and permissions', () => {
		const files = {
			'/w/shop/uwsgi.ini': '[uwsgi]\nsocket = :11112 \nmaster = true\n',
			'/w/nginx/site.conf': 'upstream django {\n    server 127.0.0.1:11112; # app\n}\nserver { location / { uwsgi_pass django; include uwsgi_params; } }\n',
		};
		const { actions, docs } = actionsAt(files, '/w/shop/uwsgi.ini', 'socket');
		const conv = actions.find(a => a.title.startsWith('Convert to unix socket'))!;
		assert.equal(conv.title, 'Convert to unix socket /run/uwsgi/shop.sock');
		const out = applyAction(docs, conv);
		assert.equal(out['/w/shop/uwsgi.ini'], '[uwsgi]\nsocket = /run/uwsgi/shop.sock \nvacuum = true\nchmod-socket = 660\nchown-socket = www-data:www-data\nmaster = true\n');
		assert.equal(out['/w/nginx/site.conf'], files['/w/nginx/site.conf'].replace('server 127.0.0.1:11112;', 'server unix:/run/uwsgi/shop.sock;'));
		// offered from the nginx side too
		const r = actionsAt(files, '/w/nginx/site.conf', 'server 127');
		assert.ok(r.actions.some(a => a.title.startsWith('Convert to unix socket')));
	});

	it('keeps an HTTP target HTTP: proxy_pass http://unix:…:', () => {
		const files = { '/w/app/uwsgi.ini': '[uwsgi]\nhttp-socket = 127.0.0.1:9000\nvacuum = true\nchmod-socket = 666\n', '/w/nginx/a.conf': 'location / { proxy_pass http://127.0.0.1:9000/; }\n' };
		const { actions, docs } = actionsAt(files, '/w/nginx/a.conf', 'proxy_pass');
		const out = applyAction(docs, actions.find(a => a.title.startsWith('Convert'))!);
		assert.equal(out['/w/nginx/a.conf'], 'location / { proxy_pass http://unix:/run/uwsgi/app.sock:/; }\n');
		assert.match(out['/w/app/uwsgi.ini'], /^\[uwsgi\]\nhttp-socket = \/run\/uwsgi\/app\.sock\nchown-socket = www-data:www-data\nvacuum = true\nchmod-socket = 666\n$/);
	});
});
