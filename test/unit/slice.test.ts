/** The foundation's slice: unknown uWSGI option and unknown nginx directive, with their quick fixes. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { normalizeSettings } from '../../server/src/service';
import { applyEdits, assertCode, doc, service } from '../helpers/text';

describe('uwsgi-unknown-option', () => {
	it('fires on a misspelled key, exactly on the key, as a warning with candidates', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\n«vaccum» = true\nmaster = true\n', 'uwsgi-unknown-option');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.equal(d.source, 'uwsgi');
		assert.deepEqual((d.data as { candidates: string[] }).candidates[0], 'vacuum');
		assert.match(d.codeDescription!.href, /DIAGNOSTICS\.md#uwsgi-unknown-option$/);
	});

	it('does not fire on options of core or plugins, aliases, logic keys, placeholders or other tools\' sections', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket = :3031\nprocesses = 4\nworkers = 4\nmodule = app.wsgi\nhttp-socket = :80\nstatic-map = /s=/x\nif-env = X\nendif =\nend =\n', 'uwsgi-unknown-option');
		assertCode('uwsgi', '[uwsgi]\nproject = myapp\nchdir = /srv/%(project)\nbase = /x\nsocket = %(base + 1)\n', 'uwsgi-unknown-option');
		assertCode('uwsgi', '[uwsgi]\nmaster = true\n[app:main]\nuse = egg:myapp\npyramid.reload_templates = false\n', 'uwsgi-unknown-option');
		assertCode('uwsgi', '[uwsgi]\ndeclare-option = mysock=socket=$1\nmysock = :1\n', 'uwsgi-unknown-option');
	});

	it('fires on keys that look like options but are case- or underscore-different (uWSGI matches exactly)', () => {
		assertCode('uwsgi', '[uwsgi]\n«Master» = true\n«harakiri_verbose» = true\n', 'uwsgi-unknown-option');
	});

	it('offers "Change to \'vacuum\'" that replaces only the key', () => {
		const svc = service();
		const text = '[uwsgi]\nvaccum = true # keep\n';
		const document = doc('uwsgi', text);
		const diagnostics = svc.doValidation(document);
		const actions = svc.doCodeActions(document, diagnostics[0].range, diagnostics);
		assert.equal(actions[0].title, "Change to 'vacuum'");
		assert.equal(actions[0].isPreferred, true);
		const edits = actions[0].edit!.changes![document.uri];
		assert.equal(applyEdits(text, document, edits), '[uwsgi]\nvacuum = true # keep\n');
	});

	it('honours the severity setting, including off', () => {
		const off = normalizeSettings({ diagnostics: { severity: { 'uwsgi-unknown-option': 'off' } } });
		assertCode('uwsgi', '[uwsgi]\nvaccum = true\n', 'uwsgi-unknown-option', off);
		const err = normalizeSettings({ 'uwsgiNginx.diagnostics.severity': { 'uwsgi-unknown-option': 'error' } });
		const [d] = assertCode('uwsgi', '[uwsgi]\n«vaccum» = true\n', 'uwsgi-unknown-option', err);
		assert.equal(d.severity, DiagnosticSeverity.Error);
	});
});

describe('nginx-unknown-directive', () => {
	it('fires on a misspelled directive as an error, exactly on the name', () => {
		const [d] = assertCode('nginx', 'http {\n server {\n  location / {\n   «uwsgi_pas» 127.0.0.1:3031;\n  }\n }\n}\n', 'nginx-unknown-directive');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.equal(d.source, 'nginx');
		assert.equal((d.data as { candidates: string[] }).candidates[0], 'uwsgi_pass');
	});

	it('does not fire on real directives, map/types entries, Lua bodies, third-party or extra directives', () => {
		assertCode('nginx', 'http {\n map $a $b { default 0; ~x 1; hostnames; }\n types { text/html html; }\n server { location / { uwsgi_pass unix:/run/a.sock; include uwsgi_params; } }\n}\n', 'nginx-unknown-directive');
		assertCode('nginx', 'location / { content_by_lua_block { ngx.say("x") } }\n', 'nginx-unknown-directive');
		const extra = normalizeSettings({ nginx: { extraDirectives: ['my_directive'] } });
		assertCode('nginx', 'http { my_directive on; }\n', 'nginx-unknown-directive', extra);
	});

	it('suggests directives allowed in the context first', () => {
		const [d] = assertCode('nginx', 'http { server { location / { «proxy_pas» http://x; } } }\n', 'nginx-unknown-directive');
		assert.equal((d.data as { candidates: string[] }).candidates[0], 'proxy_pass');
	});

	it('offers "Change to \'uwsgi_pass\'" that replaces only the name', () => {
		const svc = service();
		const text = 'location / {\n    uwsgi_pas  127.0.0.1:3031;  # app\n}\n';
		const document = doc('nginx', text);
		const diagnostics = svc.doValidation(document);
		const unknown = diagnostics.filter(d => d.code === 'nginx-unknown-directive');
		const actions = svc.doCodeActions(document, unknown[0].range, unknown);
		assert.equal(actions[0].title, "Change to 'uwsgi_pass'");
		assert.equal(applyEdits(text, document, actions[0].edit!.changes![document.uri]), 'location / {\n    uwsgi_pass  127.0.0.1:3031;  # app\n}\n');
	});

	it('never builds a fix from message text: a diagnostic without data gets no fix', () => {
		const svc = service();
		const document = doc('nginx', 'uwsgi_pas x;');
		const fake = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } }, message: "Did you mean 'uwsgi_pass'?", code: 'nginx-unknown-directive' };
		assert.deepEqual(svc.doCodeActions(document, fake.range, [fake]), []);
	});
});
