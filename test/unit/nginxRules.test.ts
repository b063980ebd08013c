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

describe('nginx-directive-not-allowed: an included file read where it does not belong', () => {
	it('reports at the include when the file it reads holds what the include\'s block refuses (a standard file too)', () => {
		const [d] = assertCode('nginx', 'http { server { location / { if ($x) { «include» uwsgi_params; } include uwsgi_params; } } }', 'nginx-directive-not-allowed');
		assert.match(d.message as string, /"uwsgi_param" \(uwsgi_params, line 2, read by this include\) is not allowed in if in location/);
		assertCode('nginx', 'http { server { if ($x) { «include» mime.types; } } }', 'nginx-directive-not-allowed');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { include snippets/listen.conf; location / { «include» snippets/listen.conf; } } }\n',
			'/w/nginx/snippets/listen.conf': 'listen 8080;\n',
		}, '/w/nginx/nginx.conf', 'nginx-directive-not-allowed');
	});
	it('reports in a file included from several places at the directive one of them refuses, with that include', () => {
		const files = {
			'/w/nginx/nginx.conf': 'http { server { include snippets/listen.conf; location / { include snippets/listen.conf; } } }\n',
			'/w/nginx/snippets/listen.conf': '«listen» 8080;\nadd_header X 1;\n',
		};
		workspaceCodes(files, '/w/nginx/snippets/listen.conf', 'nginx-directive-not-allowed');
	});
	it('does not fire where every place allows what the file holds', () => {
		assertCode('nginx', 'http { include uwsgi_params; server { include uwsgi_params; location / { include uwsgi_params; include mime.types; } if ($x) { include snippets/none.conf; } } }', 'nginx-directive-not-allowed');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { include snippets/common.conf; location / { include snippets/common.conf; } } }\n',
			'/w/nginx/snippets/common.conf': 'add_header X 1;\nuwsgi_param A b;\nlocation /x { return 404; }\n',
		}, '/w/nginx/snippets/common.conf', 'nginx-directive-not-allowed');
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

describe('nginx-invalid-value: what nginx checks beyond the value type', () => {
	it('fires on sizes nginx takes only from a list, pool sizes, powers of two, zero chunk sizes', () => {
		assertCode('nginx', 'http { gzip_window «64k»; gzip_hash «3k»; connection_pool_size «100»; request_pool_size «120»; http2_pool_size «64»; http2_streams_index_size «12»; http2_chunk_size «0»; }', 'nginx-invalid-value');
	});
	it('does not fire on the values nginx takes', () => {
		assertCode('nginx', 'http { gzip_window 32k; gzip_hash 512; connection_pool_size 512; request_pool_size 4k; http2_pool_size 112; http2_streams_index_size 32; http2_chunk_size 8k; }', 'nginx-invalid-value');
	});
	it('fires on index, error_page and access_log parameters nginx refuses', () => {
		const [i] = assertCode('nginx', 'http { server { index a.html «""»; error_page «499» /x; error_page «200» /x; error_page 404 «=x» /x; error_page «=404» /x; access_log logs/a.log combined «flush=5s»; access_log logs/b.log combined «buffer=0»; access_log «logs/$host.log» combined buffer=32k; access_log «syslog:server=127.0.0.1» combined gzip; } }', 'nginx-invalid-value');
		assert.match(i.message as string, /index "a.html" in "index" directive is invalid/);
	});
	it('does not fire on good index, error_page and access_log lines', () => {
		assertCode('nginx', 'http { server { index index.html /index.php; error_page 404 = /x; error_page 500 502 =200 /x; error_page 301 https://a/; access_log logs/a.log combined flush=5s gzip; access_log logs/a.log combined buffer=32k flush=1m; access_log logs/$host.log combined; access_log syslog:server=127.0.0.1; } }', 'nginx-invalid-value');
	});
	it('fires on the names of defined variables without $ or a name', () => {
		assertCode('nginx', 'http { map $uri «m» { default 0; } geo $remote_addr «g» { default 0; } geo «g2» { default 0; } split_clients $uri «s» { * a; } js_set «x» m.f; server { set «$» 1; set «y» 2; location / { auth_request_set «z» $upstream_status; } } } stream { server { set «x» 1; } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { map $uri $m { default 0; } geo $g { default 0; } split_clients $uri $s { * a; } server { set $a 1; set $a-b 2; set ${c} 3; } }', 'nginx-invalid-value');
	});
	it('fires on numbers custom setters refuse', () => {
		assertCode('nginx', 'worker_processes «-1»;\nworker_priority «x»;\nevents { worker_connections «0x10»; use «foo»; }\nhttp { image_filter_jpeg_quality «0»; image_filter_webp_quality «x»; upstream u { server a:1; keepalive «0»; } limit_conn z «70000»; limit_conn y «0»; }', 'nginx-invalid-value');
		assertCode('nginx', 'worker_processes auto;\nworker_priority -5;\nevents { worker_connections 1024; use epoll; }\nhttp { image_filter_jpeg_quality $arg_q; image_filter_webp_quality 101; image_filter_sharpen x; upstream u { server a:1; keepalive 16; } limit_conn z 65535; }', 'nginx-invalid-value');
	});
	it('fires on return codes, rewrite flags, add_header parameters, limit_except methods, http2 read buffers nginx refuses', () => {
		assertCode('nginx', 'http { http2_recv_buffer_size «32»; server { return «ok»; return «$status»; return «HTTP://x»; rewrite ^ /x «Last»; add_header X y «Always»; add_trailer X y «yes»; location / { limit_except get «FETCH» { deny all; } } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { http2_recv_buffer_size 64k; server { return https://x; return $scheme://$host; return 301 $x; return 200 "ok"; rewrite ^ /y last; rewrite ^ /z; add_header X y always; location / { limit_except get POST Patch { deny all; } } } } stream { server { return $remote_addr; } }', 'nginx-invalid-value');
	});
	it('fires on valid_referers with only none and blocked, and on upstreams of backup servers only', () => {
		assertCode('nginx', 'http { server { location / { «valid_referers» none ~\\.google\\.; } } upstream u { server a:1 backup; server b:1 backup; } } stream { upstream s { server a:1 backup; } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { location / { valid_referers none ~\\.google\\.; } } upstream «u» { server a:1 backup; server b:1 backup; } } stream { upstream «s» { server a:1 backup; } }', 'nginx-empty-upstream');
		assertCode('nginx', 'http { server { location / { valid_referers blocked; valid_referers a.example; } location /b { valid_referers none server_names; } } upstream u { server a:1; server b:1 backup; } upstream v { include servers.conf; server b:1 backup; } }', 'nginx-invalid-value');
	});
	it('fires on types and proxy headers hash sizes of 0 in effect where nginx builds those hashes (servers, locations with their own)', () => {
		assertCode('nginx', 'http { types_hash_max_size «0»; proxy_headers_hash_bucket_size «0»; server { } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { location / { types_hash_max_size «0»; include mime.types; } location /b { proxy_headers_hash_max_size «0»; proxy_set_header X 1; } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { types_hash_max_size 0; proxy_headers_hash_max_size 0; server { types_hash_max_size 1024; proxy_headers_hash_max_size 512; location / { types_hash_bucket_size 0; proxy_headers_hash_bucket_size 0; default_type text/plain; } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { types_hash_max_size 0; }', 'nginx-invalid-value');
	});
	it('fires on charset and source_charset in effect without a charset_map between them', () => {
		assertCode('nginx', 'http { source_charset «koi8-r»; charset utf-8; server { } server { location / { if ($x) { charset «windows-1251»; } } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { include koi-utf; include win-utf; source_charset koi8-r; charset utf-8; server { charset off; location / { charset UTF-8; } location /w { source_charset windows-1251; } location /s { source_charset utf-8; } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { charset_map koi8-r windows-1251 { C0 FE; } source_charset windows-1251; charset koi8-r; server { } }', 'nginx-invalid-value');
	});
	it('fires on hash sizes of 0 where nginx builds the hash', () => {
		assertCode('nginx', 'http { variables_hash_max_size «0»; map_hash_bucket_size «0»; map $uri $m { default 0; /a 1; } } stream { variables_hash_bucket_size «0»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { map_hash_bucket_size 0; map $uri $m { default 0; ~^/a 1; } variables_hash_max_size 1024; }', 'nginx-invalid-value');
	});
	it('fires on cache path parameters nginx refuses, a cache without keys_zone, two caches on one folder', () => {
		assertCode('nginx', 'http { proxy_cache_path /c/a keys_zone=a:10m «levels=1:3»; uwsgi_cache_path /c/b keys_zone=b:10m «foo=1»; fastcgi_cache_path /c/c «keys_zone=c:4k»; scgi_cache_path «/c/d» levels=1:2; proxy_cache_path /c/e keys_zone=e:10m «inactive=1ms»; proxy_cache_path /c/f keys_zone=f:1m; uwsgi_cache_path /c/f/ keys_zone=g:1m; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { proxy_cache_path /c/f keys_zone=f:1m; uwsgi_cache_path «/c/f/» keys_zone=g:1m; }', 'nginx-conflicting-declaration');
		assertCode('nginx', 'http { proxy_cache_path /c/a keys_zone=a:10m levels=1:2 inactive=60m max_size=1g min_free=1m use_temp_path=off loader_files=100 loader_sleep=50ms manager_threshold=200; uwsgi_cache_path /c/b levels= keys_zone=b:8k; }', 'nginx-invalid-value');
	});
	it('reads times and sizes as nginx does: units in falling order, nothing past 2^63', () => {
		assertCode('nginx', 'http { send_timeout «30s1m»; send_timeout «1h1h»; send_timeout «" 30s"»; keepalive_requests «9223372036854775808»; client_max_body_size «9223372036854775808»; client_body_buffer_size «8796093022208m»; client_body_timeout «99999999999999999»; }', 'nginx-invalid-value');
		assertCode('nginx', 'http { send_timeout 1m30s; send_timeout "1m 30s"; send_timeout 1d12h; send_timeout 5m5; keepalive_requests 9223372036854775807; client_max_body_size 8589934591g; client_body_buffer_size 8796093022207m; client_body_timeout 9223372036854775ms; ssl_session_timeout 1y; }', 'nginx-invalid-value');
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
	it('fires on custom setters nginx refuses twice (asked of nginx: scripts/data/nginx-repeat.json)', () => {
		assertCode('nginx', 'events { worker_connections 512; «worker_connections» 1024; use epoll; «use» epoll; }', 'nginx-duplicate-directive');
		assertCode('nginx', 'worker_processes 1;\n«worker_processes» auto;\n', 'nginx-duplicate-directive');
		assertCode('nginx', 'http { server { location / { expires 1h; «expires» off; try_files $uri =404; «try_files» $uri/ =404; internal; «internal»; } } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'http { keepalive_timeout 60; «keepalive_timeout» 30; proxy_temp_path /a; «proxy_temp_path» /b; resolver 127.0.0.1; «resolver» 127.0.0.2; }', 'nginx-duplicate-directive');
		assertCode('nginx', 'http { server { location / { limit_except GET { deny all; } «limit_except» POST { deny all; } } } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'stream { server { listen 1.2.3.4:5; return x; «return» y; } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'http { upstream u { server a:1; keepalive 8; «keepalive» 16; } }', 'nginx-duplicate-directive');
		const [m] = assertCode('nginx', 'http { map_hash_max_size 4096; map $uri $a { default 0; } «map_hash_bucket_size» 64; } stream { map $protocol $b { } «map_hash_max_size» 1; }', 'nginx-duplicate-directive');
		assert.match(m.message as string, /the map block before it/);
	});
	it('does not fire on custom setters nginx accepts twice, or in other blocks', () => {
		assertCode('nginx', 'http { index a.html; index b.html; add_header A b; add_header A c; error_page 404 /a; error_page 404 /b; server { location / { expires 1h; return 200; return 404; if ($x) { expires off; } } location /b { expires 1h; } } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'events { worker_connections 512; } http { upstream u { server a:1; server b:1; ip_hash; } server { location / { limit_except GET { deny all; } location /x { limit_except GET { deny all; } } } } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'http { map_hash_max_size 4096; map_hash_bucket_size 64; map $uri $a { default 0; } map $uri $b { default 0; } }', 'nginx-duplicate-directive');
	});
	it('fires across an include: the later of a level\'s own line and the included file\'s', () => {
		const files = {
			'/w/nginx/nginx.conf': 'http { server { location /a { include buf.conf; «proxy_buffering» on; } location /b { proxy_buffering on; include buf.conf; } location /c { include buf.conf; include buf.conf; } location /d { include buf.conf; add_header X 1; expires 1h; } } }\n',
			'/w/nginx/buf.conf': '«proxy_buffering» off;\nadd_header Y 2;\n',
		};
		workspaceCodes(files, '/w/nginx/nginx.conf', 'nginx-duplicate-directive');
		workspaceCodes(files, '/w/nginx/buf.conf', 'nginx-duplicate-directive');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { include buf.conf; server { proxy_buffering on; location / { include buf.conf; } } }\n',
			'/w/nginx/buf.conf': 'proxy_buffering off;\n',
		}, '/w/nginx/buf.conf', 'nginx-duplicate-directive');
		// two different content handlers are accepted (the last wins): not a duplicate across an include either
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location / { include pass.conf; uwsgi_pass 127.0.0.1:3031; } location /r { include root.conf; «alias» /srv/; } } }\n',
			'/w/nginx/pass.conf': 'proxy_pass http://app/;\n',
			'/w/nginx/root.conf': 'root /srv;\n',
		}, '/w/nginx/nginx.conf', 'nginx-duplicate-directive');
	});
	it('fires on limit_conn and limit_req of the same zone twice, and on off next to other lines', () => {
		const [d] = assertCode('nginx', 'http { limit_conn one 1; limit_conn two 1; «limit_conn» one 2; server { limit_req zone=a; limit_req zone=b burst=5; «limit_req» burst=2 zone=a; } }', 'nginx-duplicate-directive');
		assert.match(d.message as string, /for the zone "one"/);
		assertCode('nginx', 'stream { limit_conn z 1; «limit_conn» z 2; }', 'nginx-duplicate-directive');
		const [o] = assertCode('nginx', 'http { server { location / { proxy_pass http://a; proxy_redirect default; proxy_redirect http://b/ /; «proxy_redirect» off; mirror off; «mirror» /m; proxy_cookie_path /a /b; «proxy_cookie_path» off; } } }', 'nginx-duplicate-directive');
		assert.match(o.message as string, /does not combine "proxy_redirect off"/);
		assertCode('nginx', 'http { proxy_cookie_domain off; «proxy_cookie_domain» off; proxy_cookie_flags a secure; «proxy_cookie_flags» off; }', 'nginx-duplicate-directive');
	});
	it('does not fire on limit_conn of different zones or off alone', () => {
		assertCode('nginx', 'http { limit_conn one 1; limit_conn two 1; limit_req zone=a; limit_req zone=b; proxy_redirect off; mirror /a; mirror /b; proxy_cookie_path /a /b; proxy_cookie_path /c /d; server { limit_conn one 1; proxy_redirect off; location / { mirror off; } } }', 'nginx-duplicate-directive');
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
		assertCode('nginx', 'http { limit_req_zone $binary_remote_addr zone=ip:10m rate=1r/s; upstream u { server b:1; server a:1 weight=2 max_fails=3 fail_timeout=10s backup; } server { listen 80 default_server reuseport backlog=512; listen [::]:443 ssl; listen unix:/run/n.sock; if ($request_method = POST) { return 405; } keepalive_timeout 75s 60s; location / { limit_req zone=ip burst=5; return 301 https://$host$request_uri; } } }', 'nginx-invalid-value');
	});
});

describe('nginx-misplaced-directive', () => {
	it('fires on a proxy_pass URI part where nginx has no prefix to replace', () => {
		const [d] = assertCode('nginx', 'http { server { location ~ \\.php$ { proxy_pass «http://127.0.0.1:8000/»; } location @app { proxy_pass «http://app/api»; } location / { if ($x) { proxy_pass «http://a?x=1»; } limit_except GET { proxy_pass «HTTP://unix:/run/a.sock:/x»; } } } }', 'nginx-misplaced-directive');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.match(d.message as string, /cannot have URI part/);
	});
	it('does not fire on proxy_pass without a URI, with variables, or in prefix and exact locations', () => {
		assertCode('nginx', 'http { server { location ~ \\.php$ { proxy_pass http://127.0.0.1:8000; } location @app { proxy_pass http://unix:/run/a.sock:; } location ~ ^/(.*)$ { proxy_pass http://app/$1; } location / { proxy_pass http://app/; if ($x) { proxy_pass http://a; } } location = /x { proxy_pass http://b/y; } } } stream { server { proxy_pass 127.0.0.1:1; } }', 'nginx-misplaced-directive');
	});
	it('fires on proxy_redirect default before its proxy_pass, at the http or server level, or after a proxy_pass with variables', () => {
		assertCode('nginx', 'http { proxy_redirect «default»; server { proxy_redirect «default»; location /a { proxy_redirect «default»; proxy_pass http://a; } location /b { proxy_pass http://a$uri; proxy_redirect «default»; } } }', 'nginx-misplaced-directive');
	});
	it('does not fire on proxy_redirect default after proxy_pass, other values, or after an include that may hold the proxy_pass', () => {
		assertCode('nginx', 'http { proxy_redirect off; server { proxy_redirect http://a/ /; location /a { proxy_pass http://a; proxy_redirect default; } location /b { include proxy.conf; proxy_redirect default; } location /c { proxy_pass http://a; proxy_redirect Default; } } }', 'nginx-misplaced-directive');
		assertCode('nginx', '# uwsgi-nginx: context=http.location\nproxy_redirect default;\n', 'nginx-misplaced-directive');
	});
	it('fires on alias in a named location only', () => {
		assertCode('nginx', 'http { server { location @app { «alias» /srv/a/; } location /x { alias /srv/x/; } location ~ ^/y(.*)$ { alias /srv/y$1; } location @r { root /srv; } } }', 'nginx-misplaced-directive');
	});
	it('follows includes for proxy_redirect default and alias: what comes before the include, and where the file is included', () => {
		const files = {
			'/w/nginx/nginx.conf': 'http { server { location /a { proxy_pass http://a; include snippets/redirect.conf; } location /b { include snippets/redirect.conf; } location @n { include snippets/alias.conf; } location /c { include snippets/pass.conf; proxy_redirect default; } location /d { include snippets/redirect-only.conf; proxy_redirect «default»; } } }\n',
			'/w/nginx/snippets/redirect.conf': 'proxy_redirect «default»;\n',
			'/w/nginx/snippets/alias.conf': '«alias» /srv/x/;\n',
			'/w/nginx/snippets/pass.conf': 'proxy_pass http://b;\n',
			'/w/nginx/snippets/redirect-only.conf': 'proxy_redirect off;\n',
		};
		workspaceCodes(files, '/w/nginx/snippets/redirect.conf', 'nginx-misplaced-directive');
		workspaceCodes(files, '/w/nginx/snippets/alias.conf', 'nginx-misplaced-directive');
		workspaceCodes(files, '/w/nginx/nginx.conf', 'nginx-misplaced-directive');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location /a { proxy_pass http://a; include snippets/redirect.conf; } location /x { alias /srv/; include snippets/pass.conf; } } }\n',
			'/w/nginx/snippets/redirect.conf': 'proxy_redirect default;\n',
			'/w/nginx/snippets/pass.conf': 'proxy_pass http://b/;\n',
		}, '/w/nginx/snippets/redirect.conf', 'nginx-misplaced-directive');
	});
	it('judges an included file by where it is included (an if, a regex location)', () => {
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location / { if ($x) { include /w/nginx/pass.conf; } } } }\n',
			'/w/nginx/pass.conf': 'proxy_pass «http://a/»;\n',
		}, '/w/nginx/pass.conf', 'nginx-misplaced-directive');
		workspaceCodes({
			'/w/nginx/nginx.conf': 'http { server { location ~ \\.php$ { include /w/nginx/pass.conf; } } }\n',
			'/w/nginx/pass.conf': 'proxy_pass «http://a/»;\n',
		}, '/w/nginx/pass.conf', 'nginx-misplaced-directive');
	});
});

describe('nginx-buffer-sizes', () => {
	it('fires where the merged values of a server or location contradict each other, at the directive nginx names', () => {
		const [d] = assertCode('nginx', 'http { «proxy_busy_buffers_size» 64k; server { listen 80; } }', 'nginx-buffer-sizes');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.match(d.message as string, /more than all proxy_buffers but one \(7 × 4k = 28k\)/);
		// unset, the busy size is twice the larger buffer: the directive that made it wrong is reported
		assertCode('nginx', 'http { «uwsgi_buffers» 2 4k; «fastcgi_buffer_size» 16k; server { listen 80; } }', 'nginx-buffer-sizes');
		// nginx stops at a module's first contradiction: scgi's write size is not judged after its buffer count
		assertCode('nginx', 'http { «scgi_buffers» 1 8k; scgi_temp_file_write_size 1k; «uwsgi_temp_file_write_size» 1k; server { «proxy_max_temp_file_size» 1k; } }', 'nginx-buffer-sizes');
		// values from different levels: the location's buffer size against the http busy size
		const [m] = assertCode('nginx', 'http { proxy_buffers 4 16k; «proxy_busy_buffers_size» 32k; server { location / { proxy_buffer_size 64k; } location /b { } } }', 'nginx-buffer-sizes');
		assert.match(m.message as string, /below 64k/);
		assert.equal(m.relatedInformation?.length, 3);
		assertCode('nginx', 'http { server { fastcgi_buffers 8 16k; location / { «fastcgi_busy_buffers_size» 8k; } } }', 'nginx-buffer-sizes');
		assertCode('nginx', 'http { «connection_pool_size» 16k; server { } server { «large_client_header_buffers» 4 256; } }', 'nginx-buffer-sizes');
	});
	it('does not fire on consistent values, without a server, or on values nginx refuses for another reason', () => {
		assertCode('nginx', 'http { proxy_busy_buffers_size 64k; uwsgi_buffers 1 4k; }', 'nginx-buffer-sizes');
		assertCode('nginx', 'http { proxy_buffers 16 8k; proxy_busy_buffers_size 64k; uwsgi_buffers 3 4k; scgi_max_temp_file_size 0; fastcgi_buffer_size 16k; fastcgi_buffers 8 16k; large_client_header_buffers 4 1k; server { location / { proxy_busy_buffers_size 16k; } } }', 'nginx-buffer-sizes');
		assertCode('nginx', 'http { proxy_busy_buffers_size 64x; uwsgi_buffers 0 4k; server { } }', 'nginx-buffer-sizes');
		// a fragment whose http level is out of sight: only what the levels in sight define in full is judged
		assertCode('nginx', 'server { proxy_busy_buffers_size 64k; location / { uwsgi_buffers 2 4k; } }', 'nginx-buffer-sizes');
		assertCode('nginx', 'server { «proxy_buffers» 1 4k; location / { «fastcgi_busy_buffers_size» 4k; fastcgi_buffer_size 8k; fastcgi_buffers 8 8k; } }', 'nginx-buffer-sizes');
	});
	it('follows includes both ways, reporting in the file that holds the directive', () => {
		const files = {
			'/w/nginx/nginx.conf': 'events {}\nhttp {\n    «proxy_busy_buffers_size» 64k;\n    include conf.d/*.conf;\n}\n',
			'/w/nginx/conf.d/site.conf': 'server {\n    listen 80;\n    location / { include /w/nginx/snippets/buf.conf; }\n}\n',
			'/w/nginx/snippets/buf.conf': 'proxy_buffer_size 8k;\n«uwsgi_busy_buffers_size» 2k;\n',
		};
		workspaceCodes(files, '/w/nginx/nginx.conf', 'nginx-buffer-sizes');
		workspaceCodes(files, '/w/nginx/snippets/buf.conf', 'nginx-buffer-sizes');
		workspaceCodes({ ...files, '/w/nginx/nginx.conf': 'events {}\nhttp {\n    proxy_buffers 16 8k;\n    proxy_busy_buffers_size 64k;\n    include conf.d/*.conf;\n}\n' }, '/w/nginx/conf.d/site.conf', 'nginx-buffer-sizes');
	});
});

describe('nginx-location-nesting and nginx-empty-upstream', () => {
	it('fire on a nested location outside its parent, in an exact location, on an empty upstream', () => {
		assertCode('nginx', 'http { server { location /static/ { location «/media/» { } } location = /x { location «/x/y» { } } } }', 'nginx-location-nesting');
		assertCode('nginx', 'http { upstream «empty» { } }', 'nginx-empty-upstream');
		// a regex parent's name is its regex text: nginx compares a nested prefix with that
		const [r] = assertCode('nginx', 'http { server { location ~ ^/a { location «/b» { } } location ~* \\.php$ { location «=» /x.php { } } } }', 'nginx-location-nesting');
		assert.match(r.message as string, /regex text/);
	});
	it('an unknown location modifier is an invalid value', () => {
		assertCode('nginx', 'http { server { location «x» /a { } location «~~» /b { } location = /c { } location ^~ /d { } location ~* /e { } location @f { } } }', 'nginx-invalid-value');
	});
	it('do not fire on extending prefixes, regex children, or upstreams with servers or includes', () => {
		assertCode('nginx', 'http { server { location /static/ { location /static/img/ { } location ~ \\.css$ { } } location ~ ^/a { location ~ /b { } } location ~ / { location /x { } location = /y { } } } }', 'nginx-location-nesting');
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

describe('includes of a main config', () => {
	it('resolve relative to its own folder only: another config of a monorepo is not included', () => {
		// ubuntu/nginx.conf includes conf.d/*.conf, which does not exist beside it; regular/conf.d/details.conf is another config's
		workspaceCodes({
			'/w/configs/ubuntu/nginx.conf': 'events {}\nhttp {\n    tcp_nodelay on;\n    include conf.d/*.conf;\n}\n',
			'/w/configs/regular/conf.d/details.conf': 'tcp_nodelay off;\n',
		}, '/w/configs/regular/conf.d/details.conf', 'nginx-duplicate-directive');
		// beside it, it is included (and the repeat is refused)
		workspaceCodes({
			'/w/configs/ubuntu/nginx.conf': 'events {}\nhttp {\n    tcp_nodelay on;\n    include conf.d/*.conf;\n}\n',
			'/w/configs/ubuntu/conf.d/details.conf': '«tcp_nodelay» off;\n',
		}, '/w/configs/ubuntu/conf.d/details.conf', 'nginx-duplicate-directive');
	});
});

describe('nginx-invalid-value: zones of limit_req and limit_conn, js_import, mail listen', () => {
	it('fires on the parameters nginx refuses', () => {
		assertCode('nginx', 'http {\n    limit_req_zone $binary_remote_addr «5x» rate=1r/s;\n    limit_req_zone $binary_remote_addr zone=a:10m «rate=1r/h»;\n    limit_req_zone $binary_remote_addr «zone=b» rate=1r/s;\n    limit_req_zone $binary_remote_addr «zone=c:1k» rate=1r/s;\n    limit_conn_zone $binary_remote_addr «c:10m»;\n    js_import main «=» js/main.js;\n}\nmail {\n    server { listen «127.0.0.1:0»; protocol smtp; }\n}\n', 'nginx-invalid-value');
		assertCode('nginx', 'http {\n    limit_req_zone $binary_remote_addr zone=a:32k rate=10r/m;\n    limit_req_zone $binary_remote_addr rate=5r/s zone=b:10m;\n    limit_conn_zone $server_name zone=c:10m;\n    js_import main from js/main.js;\n    js_import js/other.js;\n}\nmail {\n    server { listen 2525; protocol smtp; }\n}\n', 'nginx-invalid-value');
	});
});
