/**
 * The nginx security and good-practice rules, in the style of gixy's tests: for each rule, configs
 * that must fire (exact ranges in «…»), `_fp` configs that must not, and the quick fixes with their
 * exact edits.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { normalizeSettings } from '../../server/src/service';
import { applyEdits, assertCode, doc, marked, service } from '../helpers/text';

/** Applies the quick fix number `n` of the first `code` finding; returns the new text and the fix titles. */
function fix(text: string, code: string, n = 0): { text: string; titles: string[] } {
	const svc = service();
	const d = doc('nginx', text);
	const diags = svc.doValidation(d).filter(x => x.code === code);
	assert.ok(diags.length, `${code} did not fire on:\n${text}`);
	const actions = svc.doCodeActions(d, diags[0].range, [diags[0]]);
	assert.ok(actions[n], `${code}: no quick fix #${n}`);
	return { text: applyEdits(text, d, actions[n].edit!.changes![d.uri]), titles: actions.map(a => a.title) };
}

function noFix(text: string, code: string): void {
	const svc = service();
	const d = doc('nginx', text);
	const diags = svc.doValidation(d).filter(x => x.code === code);
	assert.ok(diags.length, `${code} did not fire`);
	assert.deepEqual(svc.doCodeActions(d, diags[0].range, [diags[0]]), []);
}

/** `code` fires on the «marked» ranges of `main` in a workspace of several files. */
function workspaceCodes(files: Record<string, string>, main: string, code: string): void {
	const svc = service();
	let target: TextDocument | undefined;
	let spans: { offset: number; length: number }[] = [];
	for (const [p, raw] of Object.entries(files)) {
		const { text, spans: s } = marked(raw);
		const d = TextDocument.create(`file://${p}`, 'nginx', 1, text);
		svc.workspace.set(d, 'nginx');
		if (p === main) { target = d; spans = s; }
	}
	const got = svc.doValidation(target!).filter(x => x.code === code).map(x => `${target!.offsetAt(x.range.start)}+${target!.offsetAt(x.range.end) - target!.offsetAt(x.range.start)}`);
	assert.deepEqual(got, spans.map(s => `${s.offset}+${s.length}`));
}

const http = (body: string) => `http {\n    server {\n        listen 80;\n${body}\n    }\n}\n`;

describe('nginx-alias-traversal', () => {
	it('fires on a prefix location without a slash whose alias has one', () => {
		const [d] = assertCode('nginx', http('        location /static {\n            alias «/srv/app/static/»;\n        }'), 'nginx-alias-traversal');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.equal(d.relatedInformation?.length, 1);
		assertCode('nginx', http('        location ^~ /media { alias «"/srv/media/"»; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location /a { location /a/b { alias «/srv/b/»; } }'), 'nginx-alias-traversal');
	});
	it('_fp: slashes that agree, regex and exact locations, root', () => {
		assertCode('nginx', http('        location /static/ { alias /srv/app/static/; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location /static { alias /srv/app/static; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location = /favicon.ico { alias /srv/app/static/; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location ~ ^/img/(.*)$ { alias /srv/img/$1; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location /static { root /srv/app/; }'), 'nginx-alias-traversal');
	});
	it('quick fixes: a slash on the location (preferred), or none on the alias', () => {
		const text = 'location /static {\n    alias /srv/static/;\n}\n';
		const add = fix(text, 'nginx-alias-traversal', 0);
		assert.equal(add.text, 'location /static/ {\n    alias /srv/static/;\n}\n');
		assert.deepEqual(add.titles, ["Add '/' to the end of the location", "Remove the trailing '/' of the alias"]);
		assert.equal(fix(text, 'nginx-alias-traversal', 1).text, 'location /static {\n    alias /srv/static;\n}\n');
		assert.equal(fix('location "/static" { alias "/srv/static/"; }\n', 'nginx-alias-traversal', 0).text, 'location "/static/" { alias "/srv/static/"; }\n');
		assert.equal(fix('location "/static" { alias "/srv/static/"; }\n', 'nginx-alias-traversal', 1).text, 'location "/static" { alias "/srv/static"; }\n');
	});
});

describe('nginx-allow-without-deny', () => {
	it('fires on allow rules with no deny on their level, even when an outer level denies', () => {
		assertCode('nginx', http('        location /admin/ {\n            «allow» 10.0.0.0/8;\n            allow 192.168.0.0/16;\n        }'), 'nginx-allow-without-deny');
		assertCode('nginx', http('        deny all;\n        location /admin/ { «allow» 10.0.0.0/8; }'), 'nginx-allow-without-deny');
	});
	it('_fp: a deny on the level, allow all, deny brought in by an include, an unreadable include', () => {
		assertCode('nginx', http('        location /admin/ { allow 10.0.0.0/8; deny all; }'), 'nginx-allow-without-deny');
		assertCode('nginx', http('        location / { allow all; }'), 'nginx-allow-without-deny');
		assertCode('nginx', http('        location /admin/ { allow 10.0.0.0/8; include /etc/nginx/deny-rest.conf; }'), 'nginx-allow-without-deny');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location /a/ { allow 10.0.0.1; include snippets/deny.conf; } } }\n',
			'/w/nginx/snippets/deny.conf': 'deny all;\n',
		}, '/w/nginx/nginx.conf', 'nginx-allow-without-deny');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location /a/ { include snippets/allow.conf; deny all; } } }\n',
			'/w/nginx/snippets/allow.conf': 'allow 10.0.0.1;\n',
		}, '/w/nginx/snippets/allow.conf', 'nginx-allow-without-deny');
	});
	it('quick fix: deny all after the last allow', () => {
		assert.equal(fix('location /a/ {\n    allow 10.0.0.1;\n    allow 10.0.0.2;\n    return 200;\n}\n', 'nginx-allow-without-deny').text,
			'location /a/ {\n    allow 10.0.0.1;\n    allow 10.0.0.2;\n    deny all;\n    return 200;\n}\n');
	});
});

describe('nginx-open-stub-status', () => {
	it('fires where nothing restricts stub_status', () => {
		assertCode('nginx', http('        location /nginx_status { «stub_status»; }'), 'nginx-open-stub-status');
		assertCode('nginx', 'http { server { listen 0.0.0.0:8080; location = /s { «stub_status» on; access_log off; } } }', 'nginx-open-stub-status');
	});
	it('_fp: allow/deny or auth on any level, internal, an if guard, a loopback-only server, an included snippet', () => {
		assertCode('nginx', http('        location /nginx_status { stub_status; allow 127.0.0.1; deny all; }'), 'nginx-open-stub-status');
		assertCode('nginx', http('        allow 10.0.0.0/8; deny all;\n        location /nginx_status { stub_status; }'), 'nginx-open-stub-status');
		assertCode('nginx', http('        location /nginx_status { auth_basic "x"; auth_basic_user_file /etc/htpasswd; stub_status; }'), 'nginx-open-stub-status');
		assertCode('nginx', http('        location /nginx_status { internal; stub_status; }'), 'nginx-open-stub-status');
		assertCode('nginx', http('        location /nginx_status { if ($hide) { return 404; } stub_status; }'), 'nginx-open-stub-status');
		assertCode('nginx', 'http { server { listen 127.0.0.1:8080; location / { stub_status; } } }', 'nginx-open-stub-status');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { listen 80; allow 10.0.0.1; deny all; include snippets/status.conf; } }\n',
			'/w/nginx/snippets/status.conf': 'location /nginx_status { stub_status; }\n',
		}, '/w/nginx/snippets/status.conf', 'nginx-open-stub-status');
	});
	it('quick fix: allow 127.0.0.1 and deny all before stub_status', () => {
		assert.equal(fix('server {\n    location /s {\n        stub_status;\n    }\n}\n', 'nginx-open-stub-status').text,
			'server {\n    location /s {\n        allow 127.0.0.1;\n        deny all;\n        stub_status;\n    }\n}\n');
		assert.equal(fix('server { location /s { stub_status; } }\n', 'nginx-open-stub-status').text,
			'server { location /s { allow 127.0.0.1; deny all; stub_status; } }\n');
	});
});

describe('nginx-server-tokens', () => {
	it('fires on server_tokens on and build, as information', () => {
		const [d] = assertCode('nginx', 'http { server_tokens «on»; server { server_tokens «build»; } }', 'nginx-server-tokens');
		assert.equal(d.severity, DiagnosticSeverity.Information);
	});
	it('_fp: off, a variable, unset', () => {
		assertCode('nginx', 'http { server_tokens off; server { server_tokens $tokens; } }', 'nginx-server-tokens');
		assertCode('nginx', 'http { server { listen 80; } }', 'nginx-server-tokens');
	});
	it('quick fix: off', () => {
		assert.equal(fix('http { server_tokens on; }', 'nginx-server-tokens').text, 'http { server_tokens off; }');
	});
});

describe('nginx-weak-tls', () => {
	it('fires on old protocol versions and broken ciphers', () => {
		assertCode('nginx', http('        ssl_protocols «TLSv1 TLSv1.1» TLSv1.2;'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_protocols TLSv1.2 «SSLv3»;'), 'nginx-weak-tls');
		assertCode('nginx', 'http { proxy_ssl_protocols «TLSv1» TLSv1.2; }', 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers «ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA»;'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers «"ALL:RC4:!aNULL"»;'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers «EXP-RC4-MD5»;'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers «HIGH:aNULL»;'), 'nginx-weak-tls');
	});
	it('_fp: modern versions, nginx\'s default cipher list, exclusions and reordering', () => {
		assertCode('nginx', http('        ssl_protocols TLSv1.2 TLSv1.3;'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers HIGH:!aNULL:!MD5;'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers "EECDH+AESGCM:EDH+AESGCM:-RC4:!3DES:+SHA1:@STRENGTH";'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES256-GCM-SHA384;'), 'nginx-weak-tls');
		assertCode('nginx', http('        ssl_ciphers $ciphers;'), 'nginx-weak-tls');
	});
	it('quick fix: keep the strong versions, or write TLSv1.2 TLSv1.3', () => {
		const r = fix('ssl_protocols TLSv1 TLSv1.1 TLSv1.2;', 'nginx-weak-tls');
		assert.equal(r.text, 'ssl_protocols TLSv1.2;');
		assert.deepEqual(r.titles, ['Allow only TLSv1.2']);
		assert.equal(fix('ssl_protocols   SSLv3 TLSv1;', 'nginx-weak-tls').text, 'ssl_protocols   TLSv1.2 TLSv1.3;');
		noFix('ssl_ciphers RC4-SHA;', 'nginx-weak-tls');
	});
});

describe('nginx-error-log-off', () => {
	it('fires on error_log off', () => {
		assertCode('nginx', 'error_log «off»;\nhttp { server { error_log «"off"» crit; } }', 'nginx-error-log-off');
	});
	it('_fp: a file, stderr, access_log off', () => {
		assertCode('nginx', 'error_log /var/log/nginx/error.log warn;\nhttp { access_log off; server { error_log stderr; } }', 'nginx-error-log-off');
	});
	it('quick fix: /dev/null', () => {
		assert.equal(fix('error_log off;', 'nginx-error-log-off').text, 'error_log /dev/null;');
	});
});

describe('nginx-root-at-slash', () => {
	it('fires on root / and alias /', () => {
		assertCode('nginx', http('        «root /»;\n        location /x/ { «alias "/"»; }'), 'nginx-root-at-slash');
	});
	it('_fp: a folder, a path below /', () => {
		assertCode('nginx', http('        root /srv/www;\n        location /x/ { alias /srv/x/; }\n        location /y/ { root /$x; }'), 'nginx-root-at-slash');
	});
	it('has no quick fix (no folder to guess)', () => {
		noFix('server { root /; }', 'nginx-root-at-slash');
	});
});

describe('nginx-valid-referers-none', () => {
	it('fires on none', () => {
		assertCode('nginx', http('        location /img/ { valid_referers «none» blocked *.example.com; }'), 'nginx-valid-referers-none');
	});
	it('_fp: blocked, server names, regexes', () => {
		assertCode('nginx', http('        location /img/ { valid_referers blocked server_names *.example.com ~\\.example\\.org/; }'), 'nginx-valid-referers-none');
	});
	it('quick fix: remove none', () => {
		assert.equal(fix('valid_referers none blocked *.example.com;', 'nginx-valid-referers-none').text, 'valid_referers blocked *.example.com;');
	});
});

describe('the security rules and the shared machinery', () => {
	it('follow uwsgiNginx.diagnostics.severity, including off', () => {
		const settings = normalizeSettings({ diagnostics: { severity: { 'nginx-server-tokens': 'error', 'nginx-alias-traversal': 'off' } } });
		const svc = service();
		const diags = svc.doValidation(doc('nginx', 'http { server_tokens on; server { location /s { alias /srv/s/; } } }'), settings);
		assert.equal(diags.find(d => d.code === 'nginx-server-tokens')?.severity, DiagnosticSeverity.Error);
		assert.ok(!diags.some(d => d.code === 'nginx-alias-traversal'));
	});
	it('can be suppressed with a reason, and an unused suppression of a new code is reported', () => {
		assertCode('nginx', 'http {\n    # uwsgi-nginx-ignore nginx-server-tokens -- internal host\n    server_tokens on;\n}\n', 'nginx-server-tokens');
		assertCode('nginx', 'location /s {\n    alias /srv/s/; # uwsgi-nginx-ignore nginx-alias-traversal -- reviewed\n}\n', 'nginx-alias-traversal');
		assertCode('nginx', 'http {\n    «# uwsgi-nginx-ignore nginx-weak-tls -- legacy clients»\n    ssl_protocols TLSv1.2;\n}\n', 'unused-suppression');
	});
});
