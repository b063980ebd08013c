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
import { readRegex } from '../../server/src/analysis/nginx/regex';
import { applyEdits, assertCode, doc, service, workspaceCodes } from '../helpers/text';

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

const http = (body: string) => `http {\n    server {\n        listen 80;\n${body}\n    }\n}\n`;

describe('nginx-alias-traversal', () => {
	it('fires on a prefix location without a slash whose alias has one', () => {
		const [d] = assertCode('nginx', http('        location /static {\n            alias «/srv/app/static/»;\n        }'), 'nginx-alias-traversal');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.equal(d.relatedInformation?.length, 1);
		assertCode('nginx', http('        location ^~ /media { alias «"/srv/media/"»; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location /a { location /a/b { alias «/srv/b/»; } }'), 'nginx-alias-traversal');
		assert.equal(d.message, '"location /static" with the alias "/srv/app/static/": a request for "/static../" reaches the folder above the alias. End the location with "/" too.');
	});
	it('fires on a regex location whose capture can start with "../" after an alias folder', () => {
		const [d] = assertCode('nginx', http('        location ~ ^/img(.*)$ { alias «/srv/img/$1»; }'), 'nginx-alias-traversal');
		assert.equal(d.message, '"location ~ ^/img(.*)$" with the alias "/srv/img/$1": a request whose $1 starts with "../" reaches the folder above the alias. Match a "/" just before the group in the regex.');
		assertCode('nginx', http('        location ~* ^/files(?<rest>.+)$ { alias «/srv/files/$rest»; }'), 'nginx-alias-traversal');
		// the group starts after a "/", or cannot hold dots and slashes, or starts with "/" itself
		assertCode('nginx', http('        location ~ ^/img/(.*)$ { alias /srv/img/$1; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location ~ ^/img([0-9]+)$ { alias /srv/img/$1; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location ~ ^/img(/.*)$ { alias /srv/img$1; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location ~ ^/img(?:/x)?(.*)$ { alias $root/$1; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location ~ (.+/)tail$ { alias /srv/t/$1; }\n        location ~ ^(.*)$ { alias /srv/all/$1; }'), 'nginx-alias-traversal');
	});
	it('_fp: slashes that agree, regex and exact locations, root; both without a slash is nginx-alias-sibling', () => {
		assertCode('nginx', http('        location /static/ { alias /srv/app/static/; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location /static { alias /srv/app/static; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location = /favicon.ico { alias /srv/app/static/; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location ~ ^/img/(.*)$ { alias /srv/img/$1; }'), 'nginx-alias-traversal');
		assertCode('nginx', http('        location /static { root /srv/app/; }'), 'nginx-alias-traversal');
	});
	it('quick fix: a slash on the location (taking the alias\'s off would reach the folders beside it)', () => {
		const text = 'location /static {\n    alias /srv/static/;\n}\n';
		const add = fix(text, 'nginx-alias-traversal', 0);
		assert.equal(add.text, 'location /static/ {\n    alias /srv/static/;\n}\n');
		assert.deepEqual(add.titles, ["Add '/' to the end of the location"]);
		assert.equal(fix('location "/static" { alias "/srv/static/"; }\n', 'nginx-alias-traversal', 0).text, 'location "/static/" { alias "/srv/static/"; }\n');
	});
});

describe('nginx-alias-sibling', () => {
	it('fires on a prefix location and alias joined without a slash: both without, or only the location with one', () => {
		const [d] = assertCode('nginx', http('        location /files {\n            alias «/home»;\n        }'), 'nginx-alias-sibling');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.equal(d.message, '"location /files" with the alias "/home": a request for "/files-old/secret.txt" is served from "/home-old/secret.txt", outside the alias folder. End both with "/".');
		assert.equal(d.relatedInformation?.length, 1);
		assertCode('nginx', http('        location ^~ /media { alias «"/srv/media"»; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location /media/ { alias «/srv/media»; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location /static { alias «$app_root/static»; }'), 'nginx-alias-sibling');
	});
	it('_fp: slashes on both, a slash only on the alias (nginx-alias-traversal), exact and regex locations, one file, an alias ending in a variable', () => {
		assertCode('nginx', http('        location /static/ { alias /srv/app/static/; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location /static { alias /srv/app/static/; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location = /static { alias /srv/app/static; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location ~ ^/img/(.*)$ { alias /srv/img/$1; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location /favicon.ico { alias /srv/static/favicon.png; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location /health { alias /srv/health.json; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location /site { alias /srv/$host; }'), 'nginx-alias-sibling');
	});
	it('fires on a regex location whose capture is joined to the alias folder\'s name', () => {
		const [d] = assertCode('nginx', http('        location ~ ^/files(.*)$ { alias «/home$1»; }'), 'nginx-alias-sibling');
		assert.equal(d.message, '"location ~ ^/files(.*)$" with the alias "/home$1": a request whose $1 is "-old/secret.txt" is served from "/home-old/secret.txt", outside the alias folder. Match a "/" just before the group in the regex and end "/home" with "/".');
		assertCode('nginx', http('        location ~ ^/files/(.*)$ { alias «/home$1»; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location ~ ^/files/(.*)$ { alias /home/$1; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location ~ ^/files(/.*)$ { alias /home$1; }'), 'nginx-alias-sibling');
		assertCode('nginx', http('        location ~ ^/favicon.(\\w*)$ { alias /srv/static/favicon.$1; }'), 'nginx-alias-sibling');
		noFix('location ~ ^/files(.*)$ { alias /home$1; }\n', 'nginx-alias-sibling');
	});
	it('quick fix: a slash at the end of both, or of the alias alone', () => {
		const both = fix('location /files {\n    alias "/home";\n}\n', 'nginx-alias-sibling');
		assert.equal(both.text, 'location /files/ {\n    alias "/home/";\n}\n');
		assert.deepEqual(both.titles, ["Add '/' to the end of the location and of the alias"]);
		assert.equal(fix('location /files/ { alias /home; }\n', 'nginx-alias-sibling').text, 'location /files/ { alias /home/; }\n');
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

describe('nginx-header-inheritance', () => {
	it('fires when a nested block redefines add_header and drops the outer ones', () => {
		const [d] = assertCode('nginx', http('        add_header X-Frame-Options DENY;\n        add_header X-Content-Type-Options nosniff;\n        location /static/ {\n            «add_header» Cache-Control public;\n        }'), 'nginx-header-inheritance');
		assert.match(d.message as string, /"x-frame-options", "x-content-type-options" are not sent here/);
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		// through a level that defines none
		assertCode('nginx', 'http {\n    add_header X-A a;\n    server {\n        location / {\n            «add_header» X-B b;\n        }\n    }\n}\n', 'nginx-header-inheritance');
		// an if inside a location
		assertCode('nginx', 'location / {\n    add_header X-A a;\n    if ($request_method = OPTIONS) {\n        «add_header» X-B b;\n        return 204;\n    }\n}\n', 'nginx-header-inheritance');
		assertCode('nginx', http('        proxy_set_header X-Real-IP $remote_addr;\n        location / {\n            «proxy_set_header» X-App shop;\n            proxy_pass http://127.0.0.1:8000;\n        }'), 'nginx-header-inheritance');
		assertCode('nginx', http('        include uwsgi_params;\n        uwsgi_param HTTP_X_TENANT a;\n        location / {\n            include uwsgi_params;\n            «uwsgi_param» HTTP_X_APP shop;\n            uwsgi_pass unix:/run/a.sock;\n        }'), 'nginx-header-inheritance');
	});
	it('_fp: the inner block repeats them, the outer has none, the dropped ones are only the standard uwsgi params', () => {
		assertCode('nginx', http('        add_header X-A a;\n        location / {\n            add_header X-A a;\n            add_header X-B b;\n        }'), 'nginx-header-inheritance');
		assertCode('nginx', http('        location / {\n            add_header X-B b;\n        }'), 'nginx-header-inheritance');
		assertCode('nginx', http('        add_header X-A a;\n        location / {\n            proxy_set_header X-B b;\n        }'), 'nginx-header-inheritance');
		// nginx-missing-uwsgi-params reports this one, on the uwsgi_pass
		assertCode('nginx', http('        include uwsgi_params;\n        location / {\n            uwsgi_param HTTP_X_APP shop;\n            uwsgi_pass unix:/run/a.sock;\n        }'), 'nginx-header-inheritance');
		// an include the extension cannot read may bring them
		assertCode('nginx', http('        add_header X-A a;\n        location / {\n            include /etc/nginx/security-headers.conf;\n            add_header X-B b;\n        }'), 'nginx-header-inheritance');
	});
	it('follows includes of the workspace on both levels', () => {
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { include snippets/headers.conf; location / { «add_header» X-B b; } } }\n',
			'/w/nginx/snippets/headers.conf': 'add_header X-A a;\n',
		}, '/w/nginx/nginx.conf', 'nginx-header-inheritance');
		// a location in a snippet inherits from the server that includes it
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { add_header X-A a; include snippets/locations.conf; } }\n',
			'/w/nginx/snippets/locations.conf': 'location /static/ {\n    «add_header» Cache-Control public;\n}\n',
		}, '/w/nginx/snippets/locations.conf', 'nginx-header-inheritance');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { include snippets/locations.conf; } }\n',
			'/w/nginx/snippets/locations.conf': 'location /static/ {\n    add_header Cache-Control public;\n}\n',
		}, '/w/nginx/snippets/locations.conf', 'nginx-header-inheritance');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { include snippets/headers.conf; location / { include snippets/headers.conf; add_header X-B b; } } }\n',
			'/w/nginx/snippets/headers.conf': 'add_header X-A a;\n',
		}, '/w/nginx/nginx.conf', 'nginx-header-inheritance');
	});
	it('quick fix: repeat the outer lines in the inner block', () => {
		assert.equal(fix('server {\n    add_header X-A a;\n    add_header X-C c;\n    location / {\n        add_header X-B b;\n    }\n}\n', 'nginx-header-inheritance').text,
			'server {\n    add_header X-A a;\n    add_header X-C c;\n    location / {\n        add_header X-A a;\n        add_header X-C c;\n        add_header X-B b;\n    }\n}\n');
		// an include that brings them is repeated as the include
		workspaceFix();
		assert.equal(fix('server { add_header X-A "a b" always; location / { add_header X-B b; } }', 'nginx-header-inheritance').text,
			'server { add_header X-A "a b" always; location / { add_header X-A "a b" always; add_header X-B b; } }');
	});
});

/** The header-inheritance fix repeats an include of the workspace rather than its lines. */
function workspaceFix(): void {
	const svc = service();
	const main = 'http { server { include snippets/h.conf; location / { add_header X-B b; } } }\n';
	const snippet = TextDocument.create('file:///w/nginx/snippets/h.conf', 'nginx', 1, 'add_header X-A a;\n');
	const d = TextDocument.create('file:///w/nginx/nginx.conf', 'nginx', 1, main);
	svc.workspace.set(snippet, 'nginx');
	svc.workspace.set(d, 'nginx');
	const [diag] = svc.doValidation(d).filter(x => x.code === 'nginx-header-inheritance');
	const [a] = svc.doCodeActions(d, diag.range, [diag]);
	assert.equal(applyEdits(main, d, a.edit!.changes![d.uri]), 'http { server { include snippets/h.conf; location / { include snippets/h.conf; add_header X-B b; } } }\n');
}

describe('nginx-host-spoofing', () => {
	it('fires on $http_host passed upstream as the host', () => {
		assertCode('nginx', http('        location / {\n            proxy_set_header Host «$http_host»;\n            proxy_set_header X-Forwarded-Host «$http_host»;\n            proxy_pass http://app;\n        }'), 'nginx-host-spoofing');
		assertCode('nginx', http('        location / { uwsgi_param HTTP_HOST «$http_host»; uwsgi_param SERVER_NAME "«$http_host»"; }'), 'nginx-host-spoofing');
	});
	it('fires on any host the client chooses: a query argument, another header, a cookie, a capture of the URI, a set variable built from them', () => {
		const [d] = assertCode('nginx', http('        location / { proxy_set_header Host «$arg_host»; proxy_pass http://app; }'), 'nginx-host-spoofing');
		assert.equal(d.message, 'Host gets $arg_host, a query argument the client writes, so the application sees a host nginx never checked. Use $host.');
		assertCode('nginx', http('        location / { proxy_set_header X-Forwarded-Host «$http_x_forwarded_host»; proxy_set_header Host "«$cookie_site».example.com"; }'), 'nginx-host-spoofing');
		assertCode('nginx', http('        location ~ ^/site/([^/]+)/ { uwsgi_param HTTP_HOST «$1»; }'), 'nginx-host-spoofing');
		assertCode('nginx', http('        location / { fastcgi_param SERVER_NAME «$args»; grpc_set_header Host «$request_uri»; }'), 'nginx-host-spoofing');
		const [set] = assertCode('nginx', http('        location / { set $h $arg_h; set $site "$h.example.com"; proxy_set_header Host «$site»; }'), 'nginx-host-spoofing');
		assert.match(String(set.message), /Host gets \$site, set from request data \(\$h\)/);
	});
	it('_fp: $host, $proxy_host, other headers, fixed values and set variables, the arguments of an internal location no client reaches', () => {
		assertCode('nginx', http('        location / {\n            proxy_set_header Host $host;\n            proxy_set_header X-Original-Host $http_host;\n            uwsgi_param SERVER_NAME $server_name;\n        }'), 'nginx-host-spoofing');
		assertCode('nginx', http('        location / { proxy_set_header Host $proxy_host; proxy_set_header X-Forwarded-Host $host:$server_port; uwsgi_param HTTP_HOST $host:8443; }'), 'nginx-host-spoofing');
		assertCode('nginx', http('        location / { set $site "www.example.com"; proxy_set_header Host $site; }'), 'nginx-host-spoofing');
		assertCode('nginx', http('        location /int/ { internal; proxy_set_header Host $arg_host; }'), 'nginx-host-spoofing');
		assertCode('nginx', http('        location ~ ^/site/([0-9]+)/ { uwsgi_param X_SITE $1; proxy_set_header Host $1.shards.internal; }'), 'nginx-host-spoofing');
	});
	it('quick fix: $host', () => {
		assert.equal(fix('proxy_set_header Host $http_host;', 'nginx-host-spoofing').text, 'proxy_set_header Host $host;');
		assert.equal(fix('proxy_set_header Host "$http_host";', 'nginx-host-spoofing').text, 'proxy_set_header Host "$host";');
		assert.equal(fix('proxy_set_header Host $arg_host;', 'nginx-host-spoofing').text, 'proxy_set_header Host $host;');
	});
});

describe('nginx-ssrf', () => {
	it('fires on a pass target whose host comes from the request', () => {
		assertCode('nginx', http('        location /p { proxy_pass http://«$arg_target»/x; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /p { proxy_pass http://«$host»$request_uri; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /p { uwsgi_pass «$http_x_backend»; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location ~ ^/proxy/(.+)$ { proxy_pass http://«$1»; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /p { set $target $arg_t; proxy_pass https://«$target»; }'), 'nginx-ssrf');
	});
	it('_fp: request data only in the path, fixed hosts, captures that cannot name a host, map results', () => {
		assertCode('nginx', http('        location /p { proxy_pass http://backend$request_uri; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location ~ ^/api/(.*)$ { proxy_pass http://127.0.0.1:8000/$1$is_args$args; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location ~ ^/shard/([0-9]+)/ { proxy_pass http://shard$1.internal:8080; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { proxy_pass http://$backend_from_map; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { uwsgi_pass unix:/run/app.sock; }'), 'nginx-ssrf');
	});
	it('_fp: a fixed host followed by the URI, also through set variables (the host stays fixed)', () => {
		assertCode('nginx', http('        location / { proxy_pass "http://backend$request_uri"; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { set $target "http://backend$request_uri"; proxy_pass $target; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { set $t "backend:8080$request_uri"; proxy_pass http://$t; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { set $path $request_uri; proxy_pass http://backend$path; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { proxy_pass $backend_from_map$request_uri; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { proxy_pass $scheme://backend$uri$is_args$args; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /a { set $target http://a$request_uri; proxy_pass $target; }\n        location /b { set $target http://$arg_t; }'), 'nginx-ssrf');
	});
	it('fires where the value that makes the host comes from the request: after a fixed host, through set, at the start', () => {
		assertCode('nginx', http('        location / { proxy_pass http://backend«$arg_suffix»/; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { set $t "http://$http_x_target"; proxy_pass «$t»$request_uri; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { set $proto https; proxy_pass $proto://«$arg_h»; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { proxy_pass http:/«$uri»; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location / { proxy_pass «$arg_url»; }'), 'nginx-ssrf');
	});
	it('internal locations: the URI and arguments are the redirect\'s, the headers stay the client\'s; named locations keep everything', () => {
		// reached only by an upstream's X-Accel-Redirect: the application chose the URI
		assertCode('nginx', http('        location ~ ^/internal_redirect/(.*?)/(.*) { internal; proxy_pass http://$1/$2$is_args$args; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /int/ { internal; set $t $arg_target; proxy_pass http://$t; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /int/ { internal; proxy_pass http://«$http_x_target»; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location @fallback { proxy_pass http://«$arg_target»; }'), 'nginx-ssrf');
		// try_files and error_page bring their own arguments (none here), a literal path
		assertCode('nginx', http('        location / { try_files $uri /int/x; error_page 404 /int/y; }\n        location /int/ { internal; proxy_pass http://$arg_target; }'), 'nginx-ssrf');
		// ... unless they pass the client's on
		assertCode('nginx', http('        location / { try_files $uri /int/x?$args; }\n        location /int/ { internal; proxy_pass http://«$arg_target»; }'), 'nginx-ssrf');
		// a rewrite keeps the client's arguments and its captures carry the client's URI
		assertCode('nginx', http('        location /go/ { rewrite ^/go/(.*)$ /int/$1 last; }\n        location /int/ { internal; proxy_pass http://«$arg_target»; }'), 'nginx-ssrf');
		assertCode('nginx', http('        rewrite ^/dl/(.*)$ /internal_redirect/$1;\n        location ~ ^/internal_redirect/(.*?)/(.*) { internal; proxy_pass http://«$1»/$2; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /go/ { rewrite ^/go/(.*)$ /int/fixed? last; }\n        location /int/ { internal; proxy_pass http://$arg_target; }'), 'nginx-ssrf');
		// a redirect that cannot land there, an external redirect, a break inside its own location
		assertCode('nginx', http('        location /go/ { rewrite ^/go/(.*)$ /other/$1 last; rewrite ^ https://x/$1 redirect; }\n        location /int/ { internal; proxy_pass http://$arg_target; }'), 'nginx-ssrf');
		assertCode('nginx', http('        location /mirror { mirror /int/m; }\n        location /int/ { internal; proxy_pass http://«$arg_target»; }'), 'nginx-ssrf');
	});
	it('internal locations in a snippet (its server not in this file) count as reached with the client\'s data', () => {
		assertCode('nginx', 'location /int/ { internal; proxy_pass http://«$arg_target»; }\n', 'nginx-ssrf');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { listen 80; include snippets/redirects.conf; location /int/ { internal; proxy_pass http://«$arg_target»; } } }\n',
			'/w/nginx/snippets/redirects.conf': 'rewrite ^/go/(.*)$ /int/$1 last;\n',
		}, '/w/nginx/nginx.conf', 'nginx-ssrf');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { listen 80; include snippets/other.conf; location /int/ { internal; proxy_pass http://$arg_target; } } }\n',
			'/w/nginx/snippets/other.conf': 'add_header X-A a;\n',
		}, '/w/nginx/nginx.conf', 'nginx-ssrf');
	});
	it('has no quick fix', () => {
		noFix('location / { proxy_pass http://$arg_t; }', 'nginx-ssrf');
	});
});

describe('nginx-response-splitting', () => {
	it('fires on decoded URIs and captures that can hold a line break, in headers and redirects', () => {
		assertCode('nginx', http('        location / { add_header X-Path «$uri»; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location / { return 302 https://example.com«$document_uri»; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location ~ ^/old/([^/]+)$ { return 301 /new/«$1»; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location / { rewrite ^/a/(\\s*.*)$ https://example.com/«$1» redirect; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location / { proxy_pass http://127.0.0.1:8000«$uri»; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location ~ /docs/(?<page>[^/]+) { add_header Link "</«$page»>; rel=canonical"; }'), 'nginx-response-splitting');
	});
	it('_fp: $request_uri, captures that stop at line breaks, non-redirect rewrites, plain returns', () => {
		assertCode('nginx', http('        location / { return 301 https://example.com$request_uri; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location ~ ^/old/(.*)$ { return 301 /new/$1; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location ~ ^/old/([^/\\n]+)$ { return 301 /new/$1; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location / { rewrite ^/a/([^/]+)$ /b/$1 last; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location / { return 200 $uri; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        location / { proxy_pass http://127.0.0.1:8000; add_header X-Id $request_id; }'), 'nginx-response-splitting');
		assertCode('nginx', http('        if ($request_uri ~ ^/x/([^?]+)) { return 301 /y/$1; }'), 'nginx-response-splitting');
	});
});

describe('nginx-if-in-location', () => {
	it('fires on an if in a location that does more than return/rewrite and does not return', () => {
		assertCode('nginx', http('        location / {\n            «if» (!-f $request_filename) {\n                uwsgi_pass unix:/run/app.sock;\n            }\n        }'), 'nginx-if-in-location');
		assertCode('nginx', http('        location / { «if» ($slow) { limit_rate 10k; } }'), 'nginx-if-in-location');
	});
	it('_fp: return, rewrite, set, break; an if that ends with return; an if in a server', () => {
		assertCode('nginx', http('        location / { if ($bad) { return 403; } }'), 'nginx-if-in-location');
		assertCode('nginx', http('        location / { if ($x) { set $y 1; rewrite ^ /z last; break; } }'), 'nginx-if-in-location');
		assertCode('nginx', http('        location / { if ($request_method = OPTIONS) { add_header Access-Control-Allow-Origin *; return 204; } }'), 'nginx-if-in-location');
		assertCode('nginx', http('        if ($host != example.com) { return 301 https://example.com$request_uri; }'), 'nginx-if-in-location');
	});
});

describe('nginx-map-no-default', () => {
	it('fires on a map or geo without a default, as information', () => {
		const [d] = assertCode('nginx', 'http {\n    «map» $http_upgrade $connection_upgrade {\n        websocket upgrade;\n    }\n    «geo» $office {\n        10.0.0.0/8 1;\n    }\n}\n', 'nginx-map-no-default');
		assert.equal(d.severity, DiagnosticSeverity.Information);
	});
	it('_fp: a default, an include, a geo entry for every address, an empty map', () => {
		assertCode('nginx', 'http {\n    map $a $b { default 0; x 1; }\n    map $a $c { include maps/c.map; }\n    geo $d { 10.0.0.0/8 1; 0.0.0.0/0 0; }\n    map $a $e { }\n}\n', 'nginx-map-no-default');
	});
	it('quick fix: default "" as the first entry', () => {
		assert.equal(fix('map $a $b {\n    x 1;\n}\n', 'nginx-map-no-default').text, 'map $a $b {\n    default "";\n    x 1;\n}\n');
	});
});

describe('nginx-missing-capture', () => {
	it('fires on $N beyond the groups of the regexes in effect', () => {
		assertCode('nginx', http('        location / { rewrite ^/a/(.*)$ /b/$1/«$2» last; }'), 'nginx-missing-capture');
		assertCode('nginx', http('        location ~ ^/a/(.*)$ { return 301 /b/«$2»; }'), 'nginx-missing-capture');
		assertCode('nginx', http('        location /a/ { return 301 /b/«$1»; }'), 'nginx-missing-capture');
		assertCode('nginx', 'http { map $uri $m { ~^/a/(.*)$ /b/«$2»; default ""; } }', 'nginx-missing-capture');
		assertCode('nginx', http('        location / { proxy_redirect ~^http://a/(.*)$ /«$3»; }'), 'nginx-missing-capture');
	});
	it('_fp: captures that exist (numbered, named, from an if, a rewrite, server_name, own regex), an included file, a named location', () => {
		assertCode('nginx', http('        location ~ ^/a/(x)/(.*)$ { return 301 /b/$1/$2; }'), 'nginx-missing-capture');
		assertCode('nginx', http('        location /a/ { if ($uri ~ ^/a/(.*)$) { return 301 /b/$1; } }'), 'nginx-missing-capture');
		assertCode('nginx', http('        location /a/ { rewrite ^/a/(.*)$ /c/$1; return 301 /b/$1; }'), 'nginx-missing-capture');
		assertCode('nginx', 'http { server { server_name ~^(www\\.)?(.+)$; location / { return 301 https://$2$request_uri; } } }', 'nginx-missing-capture');
		assertCode('nginx', http('        location / { proxy_redirect ~^http://a/(.*)$ /$1; proxy_cookie_path ~^/x/(.*)$ /$1; }'), 'nginx-missing-capture');
		assertCode('nginx', http('        location @fallback { return 301 /b/$1; }'), 'nginx-missing-capture');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location ~ ^/a/(.*)$ { include snippets/r.conf; } } }\n',
			'/w/nginx/snippets/r.conf': 'return 301 /b/$1;\n',
		}, '/w/nginx/snippets/r.conf', 'nginx-missing-capture');
	});
});

describe('nginx-regex-backtracking', () => {
	it('fires on nested unbounded quantifiers', () => {
		assertCode('nginx', http('        location ~ ^/x/«(a+)+»$ { return 404; }'), 'nginx-regex-backtracking');
		assertCode('nginx', http('        location ~* "^/«(\\w*)*»\\.php$" { return 404; }'), 'nginx-regex-backtracking');
		assertCode('nginx', http('        rewrite ^/«(?:[a-z]+|-)*»$ /x last;'), 'nginx-regex-backtracking');
		assertCode('nginx', 'http { map $uri $m { ~^/«(.*)*»$ 1; default 0; } }', 'nginx-regex-backtracking');
	});
	it('_fp: separated repeats, possessive and atomic groups, single quantifiers', () => {
		assertCode('nginx', http('        location ~ ^/(\\w+/)*index\\.html$ { return 404; }'), 'nginx-regex-backtracking');
		assertCode('nginx', http('        location ~ ^/(\\.\\w+)+$ { return 404; }'), 'nginx-regex-backtracking');
		assertCode('nginx', http('        location ~ ^/(?>a+)+$ { return 404; }'), 'nginx-regex-backtracking');
		assertCode('nginx', http('        location ~ ^/(a+)++$ { return 404; }'), 'nginx-regex-backtracking');
		assertCode('nginx', http('        location ~ ^/(.*)/(.+)\\.jpg$ { return 404; }'), 'nginx-regex-backtracking');
		assertCode('nginx', http('        location ~ "^/(a{2})+$" { return 404; }'), 'nginx-regex-backtracking');
	});
});

describe('nginx-regex-unanchored', () => {
	it('fires on origin and referer checks that do not pin the host', () => {
		assertCode('nginx', http('        location / { valid_referers ~«\\.example\\.com»; }'), 'nginx-regex-unanchored');
		assertCode('nginx', http('        location / { if ($http_origin ~* «https://example\\.com»$) { add_header Access-Control-Allow-Origin $http_origin; } }').replace('»$)', '»)'), 'nginx-regex-unanchored');
		assertCode('nginx', http('        if ($http_origin !~ «^https://(www\\.)?example\\.com») { return 403; }'), 'nginx-regex-unanchored');
		assertCode('nginx', 'http { map $http_origin $cors { ~«^https://.*\\.example\\.com» $http_origin; default ""; } }', 'nginx-regex-unanchored');
	});
	it('_fp: pinned hosts, deny lists, other variables', () => {
		assertCode('nginx', http('        location / { valid_referers ~^example\\.com/ ~^(www\\.)?example\\.org$; }'), 'nginx-regex-unanchored');
		assertCode('nginx', http('        if ($http_origin !~ ^https://(www\\.)?example\\.com$) { return 403; }'), 'nginx-regex-unanchored');
		assertCode('nginx', http('        if ($http_origin ~* ^https?://example\\.com(:[0-9]+)?$) { set $cors 1; }'), 'nginx-regex-unanchored');
		assertCode('nginx', http('        if ($http_referer ~* (poker|casino)) { return 403; }'), 'nginx-regex-unanchored');
		assertCode('nginx', http('        if ($http_referer ~* spam\\.example) { return 403; }'), 'nginx-regex-unanchored');
		assertCode('nginx', http('        location ~ \\.php$ { return 404; }'), 'nginx-regex-unanchored');
	});
});

describe('the regex reader behind the capture and regex rules', () => {
	it('counts numbered and named groups, and knows which can hold a line break', () => {
		const info = readRegex('^/(?:a|b)/(?<slug>[^/]+)/(.*)/(\\s?x)$');
		assert.deepEqual(info.captures.map(c => [c.index, c.name ?? '']), [[1, 'slug'], [2, ''], [3, '']]);
		assert.deepEqual(info.captures.map(c => c.canMatch(10)), [true, false, true]);
		assert.equal(readRegex('(?s)(.*)').captures[0].canMatch(10), true);
		assert.equal(readRegex('([^/\\n]+)').captures[0].canMatch(10), false);
		assert.equal(readRegex('([\\x00-\\x1f])').captures[0].canMatch(10), true);
		assert.equal(readRegex('\\((a)\\)[(]').captures.length, 1);
	});
	it('never throws or hangs on hostile input', () => {
		const started = Date.now();
		for (const re of ['('.repeat(20000), ')'.repeat(100), '[', '[^', '\\', '(?', '(?<', '(?P<x', '{1,', 'a{99999999999}', '[z-a]', '(?#', '\\x{', '\\p{', `${'(a+)+'.repeat(2000)}`]) {
			const info = readRegex(re);
			assert.ok(Array.isArray(info.captures));
		}
		assert.ok(Date.now() - started < 2000);
	});
});
