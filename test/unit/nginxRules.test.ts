/** Every nginx code: must-fire cases with exact ranges («…»), must-not-fire cases, and the quick fixes. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { normalizeSettings } from '../../server/src/service';
import { applyEdits, assertCode, doc, service, workspaceCodes } from '../helpers/text';

function fix(text: string, code: string): string {
	const svc = service();
	const d = doc('nginx', text);
	const diags = svc.doValidation(d).filter(x => x.code === code);
	assert.ok(diags.length, `${code} did not fire`);
	const [a] = svc.doCodeActions(d, diags[0].range, [diags[0]]);
	return applyEdits(text, d, a.edit!.changes![d.uri]);
}

describe('nginx-syntax', () => {
	it('fires on braces, semicolons, quotes and a { in an unquoted regex', () => {
		assertCode('nginx', 'server {\n    listen 80«»\n    server_name x;\n}\n', 'nginx-syntax');
		assertCode('nginx', 'server «{»\n    listen 80;\n', 'nginx-syntax');
		assertCode('nginx', 'server { listen 80; }\n«}»\n', 'nginx-syntax');
		// a data block's "}" missing: the next block's "{" is where nginx stops (and the outer block stays open)
		assertCode('nginx', 'http «{»\n    types {\n        text/html html;\n    server «{»\n    }\n}\n', 'nginx-syntax');
		const svc = service();
		const regex = svc.doValidation(doc('nginx', 'http { server { location ~ ^/x{2}/ { return 200; } } }')).filter(d => d.code === 'nginx-syntax');
		assert.ok(regex.some(d => /Put the regular expression in quotes/.test(d.message as string)));
	});
	it('does not fire on valid nginx, multi-line strings, Lua or map regexes', () => {
		assertCode('nginx', 'http {\n  log_format main \'$remote_addr {x} ;\'\n                  \'"$request"\';\n  map $uri $x { "~^/a{2}$" 1; default 0; }\n  server { location / { content_by_lua_block { local t = { "}" } } } }\n}\n', 'nginx-syntax');
	});
});

describe('nginx-directive-not-allowed', () => {
	it('fires where the module does not allow the directive', () => {
		const [d] = assertCode('nginx', 'http { server { «uwsgi_pass» unix:/a.sock; } }', 'nginx-directive-not-allowed');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.match(d.message as string, /belongs in location, if in location/);
		assertCode('nginx', 'http { server { location / { «listen» 80; } } }', 'nginx-directive-not-allowed');
		assertCode('nginx', 'http { server { if ($x) { «add_header» X y; } } }', 'nginx-directive-not-allowed');
		assertCode('nginx', 'events { «worker_processes» 2; }', 'nginx-directive-not-allowed');
	});
	it('does not fire on allowed directives, include anywhere, stream, or a file read in its inferred context', () => {
		assertCode('nginx', 'worker_processes 2;\nevents { worker_connections 512; }\nhttp { include mime.types; server { listen 80; location / { include uwsgi_params; uwsgi_pass unix:/a.sock; if ($x) { return 404; } } } }\nstream { server { listen 53 udp; proxy_pass 1.1.1.1:53; } }\n', 'nginx-directive-not-allowed');
		assertCode('nginx', 'location /api/ {\n    uwsgi_pass unix:/a.sock;\n}\nlocation / {\n    try_files $uri =404;\n}\n', 'nginx-directive-not-allowed');
		assertCode('nginx', 'add_header X y;\nif ($request_method = OPTIONS) {\n    add_header Z w;\n    return 204;\n}\n', 'nginx-directive-not-allowed');
		assertCode('nginx', '# uwsgi-nginx: context=http.location\nuwsgi_pass unix:/a.sock;\n', 'nginx-directive-not-allowed');
	});
	it('checks an included file in the context it is included in', () => {
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http {\n    include conf.d/*.conf;\n}\n',
			'/w/nginx/conf.d/app.conf': 'server {\n    listen 80;\n}\n«listen» 81;\n',
		}, '/w/nginx/conf.d/app.conf', 'nginx-directive-not-allowed');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location / { include /etc/nginx/snippets/app.conf; } } }\n',
			'/w/nginx/snippets/app.conf': 'uwsgi_pass unix:/a.sock;\n',
		}, '/w/nginx/snippets/app.conf', 'nginx-directive-not-allowed');
	});
});

describe('nginx-invalid-arguments', () => {
	it('fires on wrong counts and block shape', () => {
		assertCode('nginx', 'http { client_max_body_size «10m 20m»; }', 'nginx-invalid-arguments');
		assertCode('nginx', 'http { server { location / { uwsgi_pass «127.0.0.1 3031»; } } }', 'nginx-invalid-arguments');
		assertCode('nginx', 'http { «server»; }', 'nginx-invalid-arguments');
		assertCode('nginx', 'http { gzip on «{»}', 'nginx-invalid-arguments');
		assertCode('nginx', 'http { server { location / { «return»; } } }', 'nginx-invalid-arguments');
	});
	it('treats TAKE flags as sets and accepts any matching definition', () => {
		assertCode('nginx', 'http { server { location / { return 200; return 301 /x; error_page 404 /404.html; error_page 500 502 503 504 /50x.html; } } upstream u { server a:1; sticky cookie srv_id; } }', 'nginx-invalid-arguments');
		assertCode('nginx', 'http { uwsgi_param A b; uwsgi_param C d if_not_empty; }', 'nginx-invalid-arguments');
	});
});

describe('nginx-invalid-value', () => {
	it('fires on bad switches, sizes, times, numbers, enums and addresses', () => {
		assertCode('nginx', 'http { proxy_buffering «yes»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { client_max_body_size «10mb»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { keepalive_requests «lots»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { uwsgi_read_timeout «60x»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { uwsgi_read_timeout «1M»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { ssl_protocols TLSv1.2 «TLSv4»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { location / { allow «localhost»; deny all; } } }', 'nginx-invalid-value');
	});
	it('does not fire on good values, any case, or complex values', () => {
		assertCode('nginx', 'http { proxy_buffering ON; client_max_body_size 10M; uwsgi_read_timeout 1h30m; uwsgi_read_timeout 500ms; keepalive_requests 100; ssl_protocols tlsv1.2 TLSv1.3; proxy_buffers 8 4k; server { location / { allow 10.0.0.0/8; allow ::1; allow all; deny unix:; add_header X $host; } } }', 'nginx-invalid-value');
	});
});

describe('nginx-duplicate-directive', () => {
	it('fires on the second occurrence', () => {
		const [d] = assertCode('nginx', 'http { server { client_max_body_size 10m; «client_max_body_size» 20m; } }', 'nginx-duplicate-directive');
		assert.equal(d.relatedInformation?.[0].message, 'first set here');
		assertCode('nginx', 'events { }\n«events» { }\nhttp { }\n', 'nginx-duplicate-directive');
	});
	it('does not fire on accumulating directives or other levels', () => {
		assertCode('nginx', 'http { client_max_body_size 1m; server { client_max_body_size 10m; add_header A b; add_header C d; uwsgi_param X y; uwsgi_param Z w; location / { client_max_body_size 20m; } } }', 'nginx-duplicate-directive');
	});
});

describe('nginx-unknown-upstream', () => {
	it('fires on a bare name with no upstream', () => {
		const [d] = assertCode('nginx', 'http { upstream django_app { server unix:/a.sock; } server { location / { uwsgi_pass «django»; } } }', 'nginx-unknown-upstream');
		assert.deepEqual((d.data as { candidates: string[] }).candidates, ['django_app']);
		assertCode('nginx', 'http { server { location ~ \\.php$ { fastcgi_pass «php»; } } }', 'nginx-unknown-upstream');
	});
	it('does not fire on upstreams (anywhere in the workspace), ports, unix sockets, variables or proxy_pass hosts', () => {
		assertCode('nginx', 'http { upstream app { server 127.0.0.1:3031; } server { location / { uwsgi_pass app; uwsgi_pass 127.0.0.1:3031; uwsgi_pass unix:/a.sock; uwsgi_pass $backend; proxy_pass http://backend; grpc_pass grpc://svc:50051; } } }', 'nginx-unknown-upstream');
		workspaceCodes({ '/w/nginx/up.conf': 'upstream app { server unix:/a.sock; }\n', '/w/nginx/site.conf': 'server { location / { uwsgi_pass app; } }\n' }, '/w/nginx/site.conf', 'nginx-unknown-upstream');
	});
	it('points at an upstream that exists', () => {
		assert.equal(fix('http { upstream django_app { server unix:/a.sock; } server { location / { uwsgi_pass django; } } }', 'nginx-unknown-upstream'),
			'http { upstream django_app { server unix:/a.sock; } server { location / { uwsgi_pass django_app; } } }');
	});
});

describe('nginx-missing-uwsgi-params', () => {
	it('fires without uwsgi_params, and when one uwsgi_param drops the inherited set', () => {
		const [d] = assertCode('nginx', 'http { server { location / { «uwsgi_pass» unix:/a.sock; } } }', 'nginx-missing-uwsgi-params');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assertCode('nginx', 'http { server { include uwsgi_params; location / { uwsgi_param HTTP_X 1; «uwsgi_pass» unix:/a.sock; } } }', 'nginx-missing-uwsgi-params');
	});
	it('does not fire when the standard set reaches the pass', () => {
		assertCode('nginx', 'http { include uwsgi_params; server { location / { uwsgi_pass unix:/a.sock; } } }', 'nginx-missing-uwsgi-params');
		assertCode('nginx', 'http { server { location / { include /etc/nginx/uwsgi_params; uwsgi_param HTTP_X 1; uwsgi_pass unix:/a.sock; } } }', 'nginx-missing-uwsgi-params');
		assertCode('nginx', 'http { server { location / { uwsgi_param REQUEST_METHOD $request_method; uwsgi_pass unix:/a.sock; } } }', 'nginx-missing-uwsgi-params');
		assertCode('nginx', 'http { server { location / { include snippets/unknown_params.conf; uwsgi_pass unix:/a.sock; } } }', 'nginx-missing-uwsgi-params');
	});
	it('follows includes into a cycle without looping, and knows a shared snippet once', () => {
		// a.conf and b.conf include each other and hold no uwsgi_param: the pass has none
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location / { include a.conf; «uwsgi_pass» 127.0.0.1:1; } } }\n',
			'/w/nginx/a.conf': 'include b.conf;\n', '/w/nginx/b.conf': 'include a.conf;\n',
		}, '/w/nginx/nginx.conf', 'nginx-missing-uwsgi-params');
		// the same cycle with the standard set inside: no report
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location / { include a.conf; uwsgi_pass 127.0.0.1:1; } } }\n',
			'/w/nginx/a.conf': 'include b.conf;\n', '/w/nginx/b.conf': 'include a.conf;\ninclude uwsgi_params;\n',
		}, '/w/nginx/nginx.conf', 'nginx-missing-uwsgi-params');
		// one snippet included by many locations: each location gets its own verdict
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server {\n location /a { include s.conf; uwsgi_pass 127.0.0.1:1; }\n location /b { include s.conf; uwsgi_param X 1; uwsgi_pass 127.0.0.1:1; }\n location /c { include t.conf; «uwsgi_pass» 127.0.0.1:1; }\n} }\n',
			'/w/nginx/s.conf': 'include uwsgi_params;\n', '/w/nginx/t.conf': 'uwsgi_param X 1;\n',
		}, '/w/nginx/nginx.conf', 'nginx-missing-uwsgi-params');
	});
	it('adds include uwsgi_params; next to the pass', () => {
		assert.equal(fix('location / {\n    uwsgi_pass unix:/a.sock;\n}\n', 'nginx-missing-uwsgi-params'), 'location / {\n    include uwsgi_params;\n    uwsgi_pass unix:/a.sock;\n}\n');
		assert.equal(fix('location / { uwsgi_pass unix:/a.sock; }\n', 'nginx-missing-uwsgi-params'), 'location / { include uwsgi_params; uwsgi_pass unix:/a.sock; }\n');
	});
});

describe('nginx-include-not-found and nginx-include-cycle', () => {
	it('fire on a missing file and on a cycle', () => {
		assertCode('nginx', 'http { include «snippets/nothing.conf»; include conf.d/*.conf; include mime.types; include /etc/nginx/uwsgi_params; }', 'nginx-include-not-found');
		workspaceCodes({ '/w/nginx/a.conf': 'include «b.conf»;\n', '/w/nginx/b.conf': 'include a.conf;\n' }, '/w/nginx/a.conf', 'nginx-include-cycle');
	});
	it('resolve through the prefix, the including folder, path mappings and path tails', () => {
		workspaceCodes({
			'/w/deploy/nginx/nginx.conf': 'http { include sites-enabled/*.conf; include /etc/nginx/snippets/ssl.conf; include /etc/nginx/conf.d/app.conf; }\n',
			'/w/deploy/nginx/snippets/ssl.conf': 'ssl_protocols TLSv1.2;\n',
			'/w/other/conf.d/app.conf': 'server { }\n',
		}, '/w/deploy/nginx/nginx.conf', 'nginx-include-not-found');
		const settings = normalizeSettings({ nginx: { pathMappings: { '/srv/conf': '/w/x' } } });
		const svc = service();
		svc.workspace.set(TextDocument.create('file:///w/x/extra.conf', 'nginx', 1, 'server_tokens off;\n'), 'nginx');
		const main = TextDocument.create('file:///w/y/site.nginx', 'nginx', 1, 'http { include /srv/conf/extra.conf; }\n');
		assert.deepEqual(svc.doValidation(main, settings).map(d => d.code), []);
	});
});

describe('directives with their own parsers', () => {
	it('fire on listen ports and parameters, pass ports, return codes, if conditions, keepalive_timeout', () => {
		assertCode('nginx', 'http { server { listen «127.0.0.1:99999»; listen 80 «defualt_server»; } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { upstream u { server a:1 «wieght=2»; } server { location / { uwsgi_pass «app:»; return «1000»; } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { if «$request_method» = POST { return 405; } keepalive_timeout «1M»; } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { limit_req_zone $binary_remote_addr zone=ip:10m rate=1r/s; server { location / { limit_req zone=one; } } }', 'nginx-invalid-value');
	});
	it('do not fire on valid forms', () => {
		assertCode('nginx', 'http { limit_req_zone $binary_remote_addr zone=ip:10m rate=1r/s; upstream u { server a:1 weight=2 max_fails=3 fail_timeout=10s backup; } server { listen 80 default_server reuseport backlog=512; listen [::]:443 ssl; listen unix:/run/n.sock; if ($request_method = POST) { return 405; } keepalive_timeout 75s 60s; location / { limit_req zone=ip burst=5; return 301 https://$host$request_uri; } } }', 'nginx-invalid-value');
	});
});

describe('nginx-location-nesting and nginx-empty-upstream', () => {
	it('fire on a nested location outside its parent, in an exact location, on an empty upstream', () => {
		assertCode('nginx', 'http { server { location /static/ { location «/media/» { } } location = /x { location «/x/y» { } } } }', 'nginx-location-nesting');
		assertCode('nginx', 'http { upstream «empty» { } }', 'nginx-empty-upstream');
	});
	it('do not fire on extending prefixes, regex children, or upstreams with servers or includes', () => {
		assertCode('nginx', 'http { server { location /static/ { location /static/img/ { } location ~ \\.css$ { } } location ~ ^/a { location ~ /b { } } } }', 'nginx-location-nesting');
		assertCode('nginx', 'http { upstream a { server x:1; } upstream b { include upstream-servers.conf; } }', 'nginx-empty-upstream');
	});
	it('reports the same location twice as a duplicate', () => {
		assertCode('nginx', 'http { server { location /a/ { } location «/a/» { } location ~ /a/ { } location = /a/ { } } }', 'nginx-duplicate-directive');
	});
});

describe('nginx-missing-semicolon', () => {
	it('warns where nginx reads the next line as more free-form arguments, and the fix adds the ;', () => {
		const [d] = assertCode('nginx', 'http { server {\n    server_name example.com«»\n    charset utf-8;\n} }\n', 'nginx-missing-semicolon');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /server_name example\.com charset utf-8/);
		assertCode('nginx', 'http {\n    gzip_types text/css«»\n    gzip_vary on;\n}\n', 'nginx-missing-semicolon');
		assert.equal(fix('http { server {\n    server_name example.com\n    charset utf-8;\n} }\n', 'nginx-missing-semicolon'), 'http { server {\n    server_name example.com;\n    charset utf-8;\n} }\n');
	});
	it('is an error (nginx-syntax) where nginx refuses the longer statement', () => {
		// listen checks its parameters, root takes one argument, a block cannot be swallowed
		assertCode('nginx', 'http { server {\n    listen 80«»\n    server_name x;\n} }\n', 'nginx-syntax');
		assertCode('nginx', 'http { server {\n    root /srv«»\n    index index.html;\n} }\n', 'nginx-syntax');
		assertCode('nginx', 'http { server {\n    server_name x«»\n    location / { }\n} }\n', 'nginx-syntax');
		assertCode('nginx', 'http { server {\n    listen 80\n    server_name x;\n} }\n', 'nginx-missing-semicolon');
	});
});

describe('nginx-conflicting-declaration', () => {
	const code = 'nginx-conflicting-declaration';
	it('fires on a zone declared twice, or for two uses, or with two sizes', () => {
		assertCode('nginx', 'http {\n    limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;\n    limit_req_zone $server_name «zone=one:10m» rate=1r/s;\n}\n', code);
		assertCode('nginx', 'http {\n    limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;\n    limit_conn_zone $binary_remote_addr «zone=one:10m»;\n}\n', code);
		assertCode('nginx', 'http {\n    proxy_cache_path c1 keys_zone=z:10m;\n    proxy_cache_path c2 «keys_zone=z:10m»;\n}\n', code);
		assertCode('nginx', 'http {\n    upstream a { zone z 64k; server 127.0.0.1:1; }\n    upstream b { zone «z» 128k; server 127.0.0.1:2; }\n}\n', code);
		assertCode('nginx', 'http {\n    ssl_session_cache shared:S:10m;\n    server { ssl_session_cache «shared:S:20m»; }\n}\n', code);
	});
	it('fires on a cache folder used twice and a temp folder with two sets of levels', () => {
		assertCode('nginx', 'http {\n    proxy_cache_path c1 keys_zone=z:10m;\n    proxy_cache_path «c1» keys_zone=y:10m;\n}\n', code);
		assertCode('nginx', 'http {\n    proxy_temp_path t1 1;\n    uwsgi_temp_path «t1» 2;\n}\n', code);
	});
	it('fires on a server listening twice on one address, and on two default servers', () => {
		assertCode('nginx', 'http { server {\n    listen 80;\n    listen «0.0.0.0:80» ssl;\n} }\n', code);
		assertCode('nginx', 'http { server {\n    listen [::]:80;\n    listen «[::]:80»;\n} }\n', code);
		assertCode('nginx', 'http {\n    server { listen 80 default_server; }\n    server { listen *:80 «default»; }\n}\n', code);
		assertCode('nginx', 'stream {\n    server { listen 5000; return x; }\n    server { listen «5000»; return y; }\n}\n', code);
	});
	it('reads the whole tree in nginx\'s order: a snippet included twice, servers of included files', () => {
		workspaceCodes({
			'/w/nginx/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n    server { listen 80 «default_server»; }\n}\n',
			'/w/nginx/conf.d/a.conf': 'server { listen 80 default_server; }\n',
		}, '/w/nginx/nginx.conf', code);
		workspaceCodes({
			'/w/nginx/nginx.conf': 'events {}\nhttp {\n    include zones.conf;\n    include zones.conf;\n}\n',
			'/w/nginx/zones.conf': 'limit_req_zone $binary_remote_addr «zone=one:10m» rate=1r/s;\n',
		}, '/w/nginx/zones.conf', code);
	});
	it('does not fire on what nginx accepts', () => {
		assertCode('nginx', 'http {\n    upstream a { zone z 64k; server 127.0.0.1:1; }\n    upstream b { zone z 64k; server 127.0.0.1:2; }\n    ssl_session_cache shared:S:10m;\n    server { ssl_session_cache shared:S:10m; listen 80 default_server; listen 127.0.0.1:80; listen 443 ssl; }\n    server { listen 80; listen 127.0.0.1:80 default_server; }\n    proxy_temp_path t1;\n    uwsgi_temp_path t1;\n    limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;\n    limit_conn_zone $binary_remote_addr zone=two:10m;\n}\nstream {\n    server { listen 5000; return x; }\n    server { listen 5000 udp; return y; }\n    limit_conn_zone $binary_remote_addr zone=three:10m;\n}\n', code);
	});
});

describe('nginx-conflicting-declaration: log formats and socket options', () => {
	const code = 'nginx-conflicting-declaration';
	it('fires on a log_format name declared twice (or "combined") and on socket options set twice for one address', () => {
		assertCode('nginx', "http {\n    log_format main '$remote_addr';\n    log_format «MAIN» '$status';\n    log_format «combined» '$request';\n}\nstream {\n    log_format main '$remote_addr';\n}\n", code);
		assertCode('nginx', 'http {\n    server { listen 8080 rcvbuf=64k; }\n    server { listen 8080 «backlog=128»; }\n    server { listen 8080; }\n    server { listen 127.0.0.1:8080 reuseport; }\n}\n', code);
	});
});

describe('nginx-empty-upstream and backup servers', () => {
	it('fires on an upstream of backup servers only, and on backup under a hash or random balancer', () => {
		assertCode('nginx', 'http { upstream «u» { server 127.0.0.1:1 backup; } }', 'nginx-empty-upstream');
		assertCode('nginx', 'http { upstream u { server 127.0.0.1:1 backup; server 127.0.0.1:2 down; } }', 'nginx-empty-upstream');
		assertCode('nginx', 'http { upstream u { ip_hash; server 127.0.0.1:2; server 127.0.0.1:1 «backup»; } }', 'nginx-invalid-value');
		// the balancer after the backup server: nginx takes it
		assertCode('nginx', 'http { upstream u { server 127.0.0.1:1 backup; server 127.0.0.1:2; hash $uri; } upstream v { least_conn; server 127.0.0.1:2; server 127.0.0.1:1 backup; } }', 'nginx-invalid-value');
	});
});
