/**
 * Values and combinations nginx -t refuses (and one it accepts that we used to refuse): content
 * handlers side by side, byte-order marks, upstream addresses, TLS listens without certificates,
 * regular expressions PCRE2 does not compile. Must-fire cases with exact ranges («…»),
 * must-not-fire cases, and the quick fixes. The real nginx backs each class in
 * test/integration/nginxT.test.ts and test/integration/pcre2Differential.test.ts.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, assertCode, doc, service, workspaceCodes } from '../helpers/text';

function fix(text: string, code: string, index = 0): string {
	const svc = service();
	const d = doc('nginx', text);
	const diags = svc.doValidation(d).filter(x => x.code === code);
	assert.ok(diags.length > index, `${code} did not fire`);
	const [a] = svc.doCodeActions(d, diags[index].range, [diags[index]]);
	assert.ok(a, `${code} has no quick fix`);
	return applyEdits(text, d, a.edit!.changes![d.uri]);
}

describe('nginx-overridden-handler', () => {
	it('fires on every content handler a later one of another name replaces', () => {
		assertCode('nginx', 'http { server { location / { «uwsgi_pass 127.0.0.1:9000;» proxy_pass http://127.0.0.1:9001; } } }', 'nginx-overridden-handler');
		assertCode('nginx', 'http { server { location / {\n  «proxy_pass http://a;»\n  «stub_status;»\n  fastcgi_pass 127.0.0.1:9000;\n} } }', 'nginx-overridden-handler');
		assertCode('nginx', 'http { server { location / { if ($x) { «empty_gif;» grpc_pass 127.0.0.1:1; } } } }', 'nginx-overridden-handler');
		assertCode('nginx', 'stream { server { listen 9000; «proxy_pass 127.0.0.1:1;» return x; } }', 'nginx-overridden-handler');
		assertCode('nginx', 'stream { server { listen 9000; «return x;» proxy_pass 127.0.0.1:1; } }', 'nginx-overridden-handler');
	});
	it('does not fire on one handler per block, on handlers in different blocks, or on http return', () => {
		assertCode('nginx', 'http { server { location / { uwsgi_pass a:1; location /b { proxy_pass http://b; } } location /c { return 200; proxy_pass http://c; } location /d { stub_status; stub_status; } } }', 'nginx-overridden-handler');
		assertCode('nginx', 'http { server { location / { proxy_pass http://a; if ($x) { uwsgi_pass b:1; } limit_except GET { proxy_pass http://c; } } } }', 'nginx-overridden-handler');
	});
	it('leaves two different passes alone as duplicates, and reports the same pass twice', () => {
		assertCode('nginx', 'http { server { location / { uwsgi_pass 127.0.0.1:9000; proxy_pass http://127.0.0.1:9001; fastcgi_pass 127.0.0.1:9002; } } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'http { server { location / { proxy_pass http://a; «proxy_pass» http://b; } } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'http { server { location / { memcached_pass a:1; «memcached_pass» b:1; } } }', 'nginx-duplicate-directive');
		assertCode('nginx', 'stream { server { listen 1; proxy_pass a:1; «proxy_pass» b:1; } server { listen 2; return a; «return» b; } }', 'nginx-duplicate-directive');
	});
	it('quick fix: removes the unused handler (its line, or just its statement on a shared line)', () => {
		assert.equal(fix('location / {\n    uwsgi_pass 127.0.0.1:9000;\n    proxy_pass http://127.0.0.1:9001;\n}\n', 'nginx-overridden-handler'),
			'location / {\n    proxy_pass http://127.0.0.1:9001;\n}\n');
		assert.equal(fix('location / { uwsgi_pass 127.0.0.1:9000; proxy_pass http://x; }\n', 'nginx-overridden-handler'), 'location / { proxy_pass http://x; }\n');
		assert.equal(fix('location / {\r\n\tstub_status;  # old\r\n\tproxy_pass http://x;\r\n}\r\n', 'nginx-overridden-handler'), 'location / {\r\n\t# old\r\n\tproxy_pass http://x;\r\n}\r\n');
	});
});

describe('nginx-byte-order-mark', () => {
	it('fires on a BOM before the first directive, a comment, or a blank', () => {
		const [d] = assertCode('nginx', '«\ufeffuser» www-data;\nevents {}\n', 'nginx-byte-order-mark');
		assert.match(String(d.message), /unknown directive "\\ufeffuser"/);
		assertCode('nginx', '«\ufeff#» a comment\nserver { listen 80; }\n', 'nginx-byte-order-mark');
		assertCode('nginx', '«\ufeff»\nhttp { }\n', 'nginx-byte-order-mark');
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp { include conf.d/*.conf; }\n',
			'/w/conf.d/app.conf': '«\ufeffserver» { listen 80; }\n',
		}, '/w/conf.d/app.conf', 'nginx-byte-order-mark');
	});
	it('says nothing else about the first word, and nothing without a leading BOM or in a map body', () => {
		assertCode('nginx', '\ufeffuser www-data;\n', 'nginx-unknown-directive');
		assertCode('nginx', 'user www-data; # \ufeff\nevents {}\n', 'nginx-byte-order-mark');
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp { map $uri $x { include map.conf; } }\n',
			'/w/map.conf': '\ufeff/a 1;\n/b 2;\n',
		}, '/w/map.conf', 'nginx-byte-order-mark');
	});
	it('quick fix: deletes the mark', () => {
		assert.equal(fix('\ufeffuser www-data;\nevents {}\n', 'nginx-byte-order-mark'), 'user www-data;\nevents {}\n');
	});
	it('uWSGI: a BOM before [uwsgi] is uwsgi-no-uwsgi-section, fixed by deleting the mark; before a comment it is harmless', () => {
		const svc = service();
		const text = '\ufeff[uwsgi]\nsocket = 127.0.0.1:3031\n';
		const d = doc('uwsgi', text);
		const diags = svc.doValidation(d).filter(x => x.code === 'uwsgi-no-uwsgi-section');
		assert.equal(diags.length, 1);
		assert.match(String(diags[0].message), /byte-order mark/);
		assert.deepEqual([d.offsetAt(diags[0].range.start), d.offsetAt(diags[0].range.end)], [0, 8]);
		const [a] = svc.doCodeActions(d, diags[0].range, [diags[0]]);
		assert.equal(applyEdits(text, d, a.edit!.changes![d.uri]), '[uwsgi]\nsocket = 127.0.0.1:3031\n');
		assertCode('uwsgi', '\ufeff# note\n[uwsgi]\nsocket = 127.0.0.1:3031\n', 'uwsgi-no-uwsgi-section');
	});
});

describe('addresses nginx refuses (nginx-invalid-value) and targets without a port (nginx-unknown-upstream)', () => {
	it('fire on ports, hosts, IPv6 and unix paths where nginx reads an address', () => {
		assertCode('nginx', 'http { upstream u { server «127.0.0.1:YOURPORT»; server «:8000»; server «[::1»; server «unix:»; } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { location / { uwsgi_pass «/tmp/uwsgi.socket»; } location /a { fastcgi_pass «http://127.0.0.1:9000»; } location /b { proxy_pass «127.0.0.1:8000»; } location /c { grpc_pass «grpc://[1::2::3]:50051»; } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { listen «127.0.0.1:99999»; listen «8080-80»; location / { proxy_pass «http://app:0/x»; scgi_pass «app:65536»; } } }', 'nginx-invalid-value');
		assertCode('nginx', `http { server { location / { uwsgi_pass «unix:/${'x'.repeat(107)}»; } } }`, 'nginx-invalid-value');
		assertCode('nginx', 'stream { upstream u { server «127.0.0.1»; } server { listen «[::1]:x»; proxy_pass 127.0.0.1:1; } }', 'nginx-invalid-value');
	});
	it('do not fire on the addresses nginx reads', () => {
		assertCode('nginx', `http { upstream u { server 127.0.0.1:08080; server app; server [::1]; server [::ffff:1.2.3.4]:80; server unix:/run/a.sock; server ${'a'.repeat(70)}.example:1; }
			server { listen 80; listen [::]:443 ssl; listen *:8000-8005; listen unix:/run/n.sock; listen 127.0.0.1;
				location / { uwsgi_pass uwsgi://127.0.0.1:3031; } location /a { proxy_pass HTTPS://u; } location /b { proxy_pass http://unix:/run/a.sock:/app/; }
				location /c { grpc_pass grpcs://[::1]:50051; } location /d { fastcgi_pass unix:/run/php.sock; } location /e { proxy_pass http://$host$request_uri; uwsgi_pass $backend; } } }
			stream { upstream s { server 127.0.0.1:5432; } server { listen 5432; proxy_pass s; } }`, 'nginx-invalid-value');
	});
	it('nginx-unknown-upstream: grpc_pass, stream proxy_pass and IPv6 without a port; upstream names compared without case', () => {
		assertCode('nginx', 'http { server { location / { grpc_pass «grpc://backend»; } location /a { uwsgi_pass «[::1]»; } } } stream { server { listen 1; proxy_pass «db»; } }', 'nginx-unknown-upstream');
		assertCode('nginx', 'http { upstream App { server a:1; } server { location / { uwsgi_pass app; grpc_pass grpc://APP; proxy_pass http://nothing; } } } stream { upstream db { server a:1; } server { listen 1; proxy_pass db; } }', 'nginx-unknown-upstream');
	});
	it('quick fix: unix: before a socket path, the address without a scheme, http:// before a proxy_pass address', () => {
		assert.equal(fix('location / { uwsgi_pass /tmp/uwsgi.socket; }\n', 'nginx-invalid-value'), 'location / { uwsgi_pass unix:/tmp/uwsgi.socket; }\n');
		assert.equal(fix('location / { fastcgi_pass http://127.0.0.1:9000; }\n', 'nginx-invalid-value'), 'location / { fastcgi_pass 127.0.0.1:9000; }\n');
		assert.equal(fix('location / { proxy_pass 127.0.0.1:8000; }\n', 'nginx-invalid-value'), 'location / { proxy_pass http://127.0.0.1:8000; }\n');
	});
});

describe('nginx-missing-certificate', () => {
	const CERT = 'ssl_certificate /etc/ssl/site.pem; ssl_certificate_key /etc/ssl/site.key;';
	it('fires on a TLS address whose default server has no certificate, in http and stream', () => {
		assertCode('nginx', 'events {}\nhttp { server { listen 443 «ssl»; server_name a; } }\n', 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { server { listen «443»; } server { listen 443 ssl; ${CERT} } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { server { listen [::]:443 «ssl»; } server { listen [0:0::0]:443 ssl; listen 443 ssl; ${CERT} } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { server { listen 127.0.0.1:443 «ssl»; } server { listen 443 ssl; ${CERT} } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', 'events {}\nhttp { server { listen 443 ssl; ssl_reject_handshake on; } server { listen 443 «ssl»; server_name b; } }\n', 'nginx-missing-certificate');
		assertCode('nginx', 'events {}\nstream { server { listen 9443 «ssl»; proxy_pass 127.0.0.1:9000; } }\n', 'nginx-missing-certificate');
	});
	it('fires on certificates without keys and on ssl_verify_client without CAs', () => {
		assertCode('nginx', 'events {}\nhttp { «ssl_certificate» /a.pem; server { listen 80; } }\n', 'nginx-missing-certificate');
		assertCode('nginx', 'events {}\nhttp { server { listen 443 ssl; ssl_certificate /a.pem; «ssl_certificate» /b.pem; ssl_certificate_key /a.key; } }\n', 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { «ssl_verify_client» on; server { listen 443 ssl; ${CERT} } }\n`, 'nginx-missing-certificate');
	});
	it('does not fire when a certificate reaches the default server, on rejected handshakes, or where nginx checks nothing', () => {
		assertCode('nginx', `events {}\nhttp {\n${CERT}\nserver { listen 443 ssl; } server { listen 443 ssl http2; server_name b; } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { server { listen 443 ssl; ${CERT} } server { listen 443 ssl; server_name b; } server { listen 8443 ssl; } server { listen 8443 ssl default_server; ${CERT} } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { server { listen [0::0]:443 ssl; ${CERT} } server { listen [::]:443 ssl; } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { server { listen 443 ssl; ssl_reject_handshake on; } server { listen 443 ssl; server_name b; ${CERT} } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', 'events {}\nhttp { server { listen 443 ssl; ssl_certificate /etc/ssl/$ssl_server_name.pem; ssl_certificate_key /etc/ssl/$ssl_server_name.key; } server { listen 8080 http2; } }\n', 'nginx-missing-certificate');
		assertCode('nginx', `events {}\nhttp { ssl_verify_client optional_no_ca; server { listen 443 ssl; ${CERT} } server { listen 8443 ssl; ${CERT} ssl_verify_client on; ssl_trusted_certificate /ca.pem; } server { listen 80; ssl_verify_client on; } }\n`, 'nginx-missing-certificate');
		assertCode('nginx', 'events {}\nstream { server { listen 9000; ssl_certificate /a.pem; proxy_pass 127.0.0.1:1; } }\n', 'nginx-missing-certificate');
	});
	it('follows includes both ways, and says nothing where the http level is out of sight', () => {
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp {\n    include sites-enabled/*;\n}\n',
			'/w/sites-enabled/app.conf': 'server {\n    listen 443 «ssl»;\n    server_name app;\n}\n',
		}, '/w/sites-enabled/app.conf', 'nginx-missing-certificate');
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp {\n    include ssl.conf;\n    include sites-enabled/*;\n}\n',
			'/w/ssl.conf': 'ssl_certificate /a.pem;\nssl_certificate_key /a.key;\n',
			'/w/sites-enabled/app.conf': 'server {\n    listen 443 ssl;\n}\n',
		}, '/w/sites-enabled/app.conf', 'nginx-missing-certificate');
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n    include sites-enabled/*;\n}\n',
			'/w/sites-enabled/app.conf': 'server {\n    listen 443 ssl;\n}\n',
		}, '/w/sites-enabled/app.conf', 'nginx-missing-certificate');
		workspaceCodes({
			'/w/sites-enabled/app.conf': 'server {\n    listen 443 ssl;\n    server_name app;\n}\n',
		}, '/w/sites-enabled/app.conf', 'nginx-missing-certificate');
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp {\n    server {\n        listen 443 ssl;\n        include snippets/tls.conf;\n    }\n}\n',
			'/w/snippets/tls.conf': 'ssl_certificate /a.pem;\nssl_certificate_key /a.key;\n',
		}, '/w/nginx.conf', 'nginx-missing-certificate');
	});
	it('a file two configurations include: only what both refuse', () => {
		workspaceCodes({
			'/w/prod/nginx.conf': 'events {}\nhttp {\n    ssl_certificate /a.pem;\n    ssl_certificate_key /a.key;\n    include ../sites/*.conf;\n}\n',
			'/w/dev/nginx.conf': 'events {}\nhttp {\n    include ../sites/*.conf;\n}\n',
			'/w/sites/app.conf': 'server {\n    listen 443 ssl;\n}\n',
		}, '/w/sites/app.conf', 'nginx-missing-certificate');
	});
});

describe('nginx-invalid-regex', () => {
	it('fires where nginx compiles a regex, on the regex, with PCRE2\'s reason', () => {
		const [d] = assertCode('nginx', 'http { server { location ~ "«^/(foo»" { } } }', 'nginx-invalid-regex');
		assert.match(String(d.message), /pcre2_compile\(\) failed: missing closing parenthesis in "\^\/\(foo"/);
		assertCode('nginx', 'http { server { location ~* "«a{3,2}»" { } location ~ «(?<=a+)b» { } server_name «~»; server_name ~«^(www\\.)?(.+$»; } }', 'nginx-invalid-regex');
		assertCode('nginx', 'http { server { if ($uri ~ «^/(a|b)(») { return 403; } if ($http_x !~* «[z-a]» ) { } rewrite «^/(?<n>x)(?<n>y)» /z; } }', 'nginx-invalid-regex');
		assertCode('nginx', 'http { map $uri $m { ~«^/(a» 1; "~*«\\i»" 2; default 0; } server { valid_referers ~«a**»; proxy_cookie_domain ~«*x» y; proxy_redirect ~*«[[:foo:]]» /; gzip_disable «(»; } }', 'nginx-invalid-regex');
		assertCode('nginx', 'stream { map $remote_addr $s { ~«\\y» 1; } }', 'nginx-invalid-regex');
		assertCode('nginx', 'http { server { location ~ \\.php { fastcgi_split_path_info «^(.+\\.php)$»; } } }', 'nginx-invalid-regex');
	});
	it('does not fire on what PCRE2 compiles (and JavaScript would not), nor where no regex is compiled', () => {
		assertCode('nginx', String.raw`http { server { location ~ ^/a++b\z { } location ~* \A/(?i)x(?<name>[[:alpha:]]+)\k<name>(?|(a)|(b))\1 { } location ~ "(?<=ab|c)d\Kx(?>a+)(y)(?1)\p{L}\x{41}\Qa.b\E" { }
			location /(foo { } location = "/a{3,2}" { } server_name ~^(www\.)?(?<host>.+)$ example.com; if ($uri ~ ^/(a|b)) { return 403; } if ($uri = "(") { }
			rewrite ^/(?P<n>a)(?P=n)$ /x; valid_referers none blocked ~\.example\.com; proxy_cookie_path ~*^/(a) /$1; gzip_disable msie6 "MSIE [1-6]\.";
			location ~ \.php { fastcgi_split_path_info ^(.+?\.php)(/.*)$; } } map $uri $m { ~*^/(?<x>a)+$ 1; (not-a-regex 2; default 0; } }`, 'nginx-invalid-regex');
	});
});

describe('nginx-missing-certificate over edits', () => {
	it('follows edits of the file and of the files it includes (the analysis is kept only while nothing it read changes)', () => {
		const svc = service();
		const main = TextDocument.create('file:///e/nginx.conf', 'nginx', 1, 'events {}\nhttp {\n    include sites/*.conf;\n}\n');
		const site = TextDocument.create('file:///e/sites/a.conf', 'nginx', 1, 'server {\n    expires 30d;\n    listen 443 ssl;\n}\n');
		svc.workspace.set(main, 'nginx');
		svc.workspace.set(site, 'nginx');
		const at = () => svc.doValidation(site).filter(d => d.code === 'nginx-missing-certificate').map(d => site.getText(d.range) + '@' + site.offsetAt(d.range.start));
		assert.deepEqual(at(), ['ssl@41']);
		TextDocument.update(site, [{ range: { start: { line: 1, character: 12 }, end: { line: 1, character: 12 } }, text: '1' }], 2);
		svc.workspace.set(site, 'nginx');
		assert.deepEqual(at(), ['ssl@42']);
		const main2 = TextDocument.create('file:///e/nginx.conf', 'nginx', 2, 'events {}\nhttp {\n    ssl_certificate a.pem;\n    ssl_certificate_key a.key;\n    include sites/*.conf;\n}\n');
		svc.workspace.set(main2, 'nginx');
		assert.deepEqual(at(), []);
	});
});

describe('directives with parsers of their own: if, return, geo, proxy_pass URI parts, nested locations', () => {
	it('if: fires on what ngx_http_rewrite_if_condition refuses', () => {
		assertCode('nginx', 'http { server { if «$slow» { } if ( «)» { } if «()» { } if «($slow» { } if «($a» = b c) { } if ($a «=~» b) { } if «(-z» $x) { } if «(x)» { } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { if ($slow) { } if ( $a ~ b ) { } if ($a != "b c") { } if (-f $x) { } if (!-x $x) { } if ($a ~* "^(x)$") { } } }', 'nginx-invalid-value');
	});
	it('return: a code of digits up to 999, or alone a URL', () => {
		assertCode('nginx', 'http { server { location / { return «$code»; } location /a { return «/x»; } location /b { return «1000»; } location /c { return «$code» text; } } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { server { location / { return 301 $x; } location /a { return https://$host$request_uri; } location /b { return $scheme://x; } location /c { return 0301 x; } } } stream { server { listen 1; return $remote_addr; } }', 'nginx-invalid-value');
	});
	it('geo: entries of two words, networks, ranges in order, ranges first', () => {
		assertCode('nginx', 'http { geo $a { «1.2.3.4» a b; «10.0.0.0» ; «1.2.3.4/33» x; «localhost» 1; } geo $b { ranges; «10.0.0.0/8» a; «1.2.3.4-1.2.3.3» b; } geo $c { default 1; «ranges»; } }', 'nginx-invalid-value');
		assertCode('nginx', 'http { geo $a { 10.0.0.1/8 a; default x; delete 10.0.0.0/8; proxy 1.2.3.4; proxy_recursive; volatile; 255.255.255.255 y; ::1/128 z; "127.0.0.1" "a b"; include geo.conf; } geo $remote_addr $b { ranges; default a; 1.2.3.4-1.2.3.5 b; delete 1.2.3.4-1.2.3.4; } }', 'nginx-invalid-value');
	});
	it('proxy_pass: no URI part in a regex or named location, an if, a limit_except', () => {
		assertCode('nginx', 'http { server { location ~ \\.php$ { proxy_pass «http://127.0.0.1:8000/»; } location @x { proxy_pass «http://b/a»; } location / { if ($x) { proxy_pass «http://u/»; } limit_except GET { proxy_pass «http://unix:/s:/x»; } } } }', 'nginx-misplaced-directive');
		assertCode('nginx', 'http { server { location ~ \\.php$ { proxy_pass http://127.0.0.1:8000; } location @x { proxy_pass http://$host/a; } location / { proxy_pass http://u/; location /a/ { proxy_pass http://u/b/; } } location ~ /y { proxy_pass http://unix:/s:; } } }', 'nginx-misplaced-directive');
		assert.equal(fix('location ~ \\.php$ { proxy_pass http://127.0.0.1:8000/; }\n', 'nginx-misplaced-directive'), 'location ~ \\.php$ { proxy_pass http://127.0.0.1:8000; }\n');
	});
	it('nested locations: a regex parent compares as text; nesting through includes', () => {
		assertCode('nginx', 'http { server { location ~ ^/api { location «/api/v1» { } location ^/api/v2 { } location ~ x { } } } }', 'nginx-location-nesting');
		workspaceCodes({
			'/w/nginx.conf': 'http {\n    server {\n        listen 8080;\n        include location1.conf;\n    }\n}\n',
			'/w/location1.conf': 'location /foo {\n    include location2.conf;\n}\n',
			'/w/location2.conf': 'location «/bar» {\n}\n',
		}, '/w/location2.conf', 'nginx-location-nesting');
		workspaceCodes({
			'/w/nginx.conf': 'http {\n    server {\n        location /foo/ {\n            include snippets/*.conf;\n        }\n    }\n}\n',
			'/w/snippets/a.conf': 'location /foo/bar/ {\n}\nlocation ~ \\.png$ {\n}\n',
		}, '/w/snippets/a.conf', 'nginx-location-nesting');
	});
});
