/**
 * The nginx variable model and the checks on names defined nowhere: nginx-unknown-variable,
 * nginx-unknown-log-format, nginx-unknown-zone. «…» marks where a code must fire; texts without
 * markers must not fire it. (The verdicts these rules claim are nginx's own: see
 * test/integration/nginxVariables.test.ts and nginxVariableArgs.test.ts.)
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileVariables, resolveVariable, variableIndex } from '../../server/src/analysis/nginx/variables';
import { builtinVariable } from '../../server/src/data/nginxVariables';
import { parseNginx } from '../../server/src/parser/nginx/parser';
import { NGINX_PARSE_OPTIONS, Workspace } from '../../server/src/service/workspace';
import { applyEdits, assertCode, marked, service, workspaceCodes } from '../helpers/text';

const V = 'nginx-unknown-variable';
const LF = 'nginx-unknown-log-format';
const Z = 'nginx-unknown-zone';

/** A complete configuration (main context) around an http body. */
const http = (body: string) => `events {}\nhttp {\n${body}\n}\n`;
const loc = (body: string) => http(`server { listen 80; location / { ${body} } }`);

describe('nginx-unknown-variable', () => {
	it('fires on a name nothing defines, in every argument nginx compiles', () => {
		assertCode('nginx', loc('return 200 "«$undefined_thing»";'), V);
		assertCode('nginx', loc('proxy_pass http://127.0.0.1:8000«$reqest_uri»;'), V);
		assertCode('nginx', loc('set $a «$b»; add_header X «${c}»; try_files $uri «$d» =404;'), V);
		assertCode('nginx', loc('if («$e») { return 404; } if ($uri = «$f») { } if (!-f $document_root«$g») { }'), V);
		assertCode('nginx', loc('access_log logs/a.log combined if=«$h»; error_page 404 /e?«$i»;'), V);
		assertCode('nginx', http('map «$src» $m { default «$val»; }\nlog_format f \'«$j» $status\';'), V);
	});

	it('fires on $0 and ${1} (captures are $1 … $9 without braces) and on $1 in log_format', () => {
		assertCode('nginx', http('server { listen 80; location ~ ^/(.*)$ { return 301 /n/«${1}»; rewrite ^/(.*)$ /x/«$0» last; } }'), V);
		assertCode('nginx', http('log_format f \'$status «$1»\';'), V);
	});

	it('tells http and stream apart', () => {
		assertCode('nginx', 'events {}\nstream { server { listen 1; return "«$request_uri» $remote_addr «$http_host»"; } }\n', V);
		assertCode('nginx', 'events {}\nhttp { server { listen 80; return 200 "«$bytes_received»"; } }\n', V);
		assertCode('nginx', 'events {}\nhttp { map $host $from_http { default 1; } }\nstream { server { listen 1; return "«$from_http»"; } }\n', V);
	});

	it('does not fire on built-ins, prefix families, captures, definitions in any order, names in any case', () => {
		assertCode('nginx', loc('return 200 "$request_uri $http_x_forwarded_for $sent_http_location $cookie_a $arg_b $upstream_http_c $upstream_cookie_d $upstream_trailer_e $sent_trailer_f $http_";'), V);
		assertCode('nginx', loc('return 200 "$1 $9 $1a $REQUEST_URI";'), V);
		assertCode('nginx', http('server { listen 81; server_name ~^(?P<fromServerName>.+)$; set $later 1; location ~ ^/(?<capture>.*)$ { } }\n' +
			'server { listen 80; location / { return 200 "$later $capture $fromServerName $LATER"; } }'), V);
		assertCode('nginx', http('map $host $a { default $b; }\nmap $host $b { default 1; ~^(?<host_part>x) 2; }\ngeo $g { default 0; }\nsplit_clients $remote_addr $s { 50% a; * b; }\n' +
			'server { listen 80; location / { auth_request_set $auth $upstream_status; return 200 "$a $g $s $host_part $auth"; } }'), V);
		assertCode('nginx', 'events {}\nstream { map $remote_addr $m { default 1; } server { listen 1; set $x 1; return "$remote_addr $bytes_received $m $x"; } }\n', V);
	});

	it('does not fire on a $ nginx keeps as text: regex anchors, header names, locations, rewrite patterns, log_format escape=', () => {
		assertCode('nginx', http('log_format j escape=json \'{"a":"$remote_addr"}\';\nserver { listen 80; server_name ~^www\\.(.+)$; location ~ \\.php$ { rewrite ^/old$ /new; if ($uri ~ x$undefined) { } proxy_hide_header X-$undefined_h; } }'), V);
	});

	it('counts third-party setters and the variables of third-party modules', () => {
		assertCode('nginx', loc('set_by_lua $lua_value "return 1"; set_secure_random_alphanum $token 32; brotli on; return 200 "$lua_value $token $brotli_ratio";'), V);
		assertCode('nginx', http('geoip2 /etc/GeoLite2-Country.mmdb { $geoip2_country country iso_code; }\nserver { listen 80; return 200 "$geoip2_country"; }'), V);
	});

	it('reports memcached_pass when nothing sets $memcached_key', () => {
		assertCode('nginx', loc('«memcached_pass» 127.0.0.1:11211;'), V);
		assertCode('nginx', loc('set $memcached_key $uri; memcached_pass 127.0.0.1:11211;'), V);
	});

	it('takes definitions from any file of the workspace, order and tree aside', () => {
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp { include /w/conf.d/*.conf; }\n',
			'/w/conf.d/site.conf': 'server { listen 80; return 200 "$from_maps «$nowhere»"; }\n',
			'/w/other/maps.conf': 'map $host $from_maps { default 1; }\n',
		}, '/w/conf.d/site.conf', V);
	});

	it('in a fragment whose surroundings are not in the workspace, reports only near misses of built-ins and $0/${1}', () => {
		// a site file nothing includes: its nginx.conf may define $my_flag
		assertCode('nginx', 'server { listen 80; location / { return 200 "$my_flag «$reqest_uri» «${1}»"; } }\n', V);
		// short names and names that extend a built-in are often variables of their own
		assertCode('nginx', 'server { listen 80; location / { return 200 "$uri2 $hosts $shema $request_uri_path"; } }\n', V);
		// a complete tree with an include that matches nothing in the workspace is not complete either
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp { include /etc/nginx/conf.d/*.conf; include /w/site.conf; }\n',
			'/w/site.conf': 'server { listen 80; return 200 "$defined_elsewhere «$scheeme»"; }\n',
		}, '/w/site.conf', V);
		// an include of load_module snippets that matches nothing does not make the tree incomplete
		workspaceCodes({
			'/w/nginx.conf': 'include /etc/nginx/modules-enabled/*.conf;\nevents {}\nhttp { include /w/site.conf; }\n',
			'/w/site.conf': 'server { listen 80; return 200 "«$defined_nowhere»"; }\n',
		}, '/w/site.conf', V);
	});

	it('offers the closest names as quick fixes, braces kept', () => {
		const svc = service();
		const { text } = marked(loc('return 301 https://$host$reqest_uri; return 200 ${reqest_uri}; rewrite ^/(.*)$ /${1};'));
		const d = TextDocument.create('file:///w/nginx.conf', 'nginx', 1, text);
		const diags = svc.doValidation(d).filter(x => x.code === V);
		const fixes = diags.map(diag => svc.doCodeActions(d, diag.range, [diag])[0]);
		assert.deepEqual(fixes.map(f => f.title), ["Change to '$request_uri'", "Change to '${request_uri}'", "Change to '$1'"]);
		const fixed = applyEdits(text, d, fixes.flatMap(f => Object.values(f.edit!.changes!)[0]));
		assert.ok(fixed.includes('https://$host$request_uri;') && fixed.includes('200 ${request_uri};') && fixed.includes('/$1;'), fixed);
	});
});

describe('the variable model', () => {
	const parse = (text: string) => parseNginx(text, NGINX_PARSE_OPTIONS);

	it('finds every definition with its place, kind and family', () => {
		const text = 'http { map $host $M { default 1; } server { set $a 1; location ~ ^/(?<cap>.)$ { } } }\nstream { server { set $s 1; } }\nset_misc_x $third 1;\n';
		const defs = fileVariables(parse(text)).definitions.map(d => [d.key, d.kind, d.via, d.family, text.slice(d.nameOffset, d.nameOffset + d.nameLength)]);
		assert.deepEqual(defs, [
			['a', 'directive', 'set', 'http', 'a'], ['s', 'directive', 'set', 'stream', 's'], ['m', 'directive', 'map', 'http', 'M'],
			['third', 'third-party', 'set_misc_x', undefined, 'third'], ['cap', 'capture', 'location', 'http', 'cap'],
		]);
	});

	it('resolves a name to its source: built-in with its module, a prefix family, definitions by file', () => {
		const ws = new Workspace();
		ws.setText('file:///w/a.conf', 'nginx', 'map $host $mine { default 1; }\n');
		ws.setText('file:///w/b.conf', 'nginx', 'server { set $mine 2; brotli on; }\n');
		const index = variableIndex({ workspace: ws });
		assert.deepEqual(resolveVariable(index, 'request_uri', 'http'), { kind: 'builtin', variable: builtinVariable('http', 'request_uri') });
		assert.equal((resolveVariable(index, 'http_user_agent', 'http') as { variable: { name: string } }).variable.name, 'http_user_agent');
		assert.equal((resolveVariable(index, 'http_x_custom', 'http') as { variable: { name: string; prefix?: boolean } }).variable.name, 'http_');
		assert.deepEqual(resolveVariable(index, 'request_uri', 'stream'), { kind: 'unknown' });
		const mine = resolveVariable(index, 'mine', 'http');
		assert.equal(mine.kind, 'defined');
		assert.deepEqual([...(mine as { files: ReadonlySet<string> }).files].sort(), ['file:///w/a.conf', 'file:///w/b.conf']);
		assert.deepEqual(resolveVariable(index, 'brotli_ratio', 'http'), { kind: 'third-party', prefix: 'brotli_' });
	});

	it('keeps the index current edit by edit, collecting only the edited file', () => {
		const ws = new Workspace();
		ws.setText('file:///w/a.conf', 'nginx', 'map $host $one { default 1; }\n');
		ws.setText('file:///w/b.conf', 'nginx', 'server { set $two 2; }\n');
		const v0 = variableIndex({ workspace: ws }).http.version + variableIndex({ workspace: ws }).any.version;
		const a = ws.nginx('file:///w/a.conf')!;
		// a keystroke that keeps b's names: the version stays, a's tree (and facts) are untouched
		ws.setText('file:///w/b.conf', 'nginx', 'server { set $two 3; }\n');
		assert.equal(variableIndex({ workspace: ws }).http.version + variableIndex({ workspace: ws }).any.version, v0);
		assert.equal(ws.nginx('file:///w/a.conf'), a);
		ws.setText('file:///w/b.conf', 'nginx', 'server { set $three 3; }\n');
		const after = variableIndex({ workspace: ws });
		assert.notEqual(after.http.version + after.any.version, v0);
		assert.equal(resolveVariable(after, 'two', 'http').kind, 'unknown');
		assert.equal(resolveVariable(after, 'three', 'http').kind, 'defined');
	});
});

describe('nginx-unknown-log-format', () => {
	it('fires on a format defined nowhere, defined only further down, and on combined in stream', () => {
		assertCode('nginx', loc('access_log logs/a.log «main»;'), LF);
		assertCode('nginx', http('server { listen 80; access_log logs/a.log «late»; }\nlog_format late \'$status\';'), LF);
		assertCode('nginx', 'events {}\nstream { server { listen 1; access_log logs/s.log «combined»; return x; } }\n', LF);
	});

	it('does not fire on combined, a format defined before, a name in other case, off, stream\'s own format', () => {
		assertCode('nginx', http('log_format main \'$status\';\nserver { listen 80; access_log logs/a.log combined; access_log logs/b.log MAIN; access_log off; }'), LF);
		assertCode('nginx', 'events {}\nstream { log_format basic \'$remote_addr\'; server { listen 1; access_log logs/s.log basic; return x; } }\n', LF);
	});

	it('takes formats from other files; in a fragment, reports only what is defined further down', () => {
		workspaceCodes({
			'/w/nginx.conf': 'events {}\nhttp { include /w/formats.conf; include /w/site.conf; }\n',
			'/w/formats.conf': 'log_format main \'$status\';\n',
			'/w/site.conf': 'server { listen 80; access_log logs/a.log main; access_log logs/b.log «mian»; }\n',
		}, '/w/site.conf', LF);
		assertCode('nginx', 'server { listen 80; access_log logs/a.log main; access_log logs/b.log «late»; }\nlog_format late \'$status\';\n', LF);
	});
});

describe('nginx-unknown-zone', () => {
	it('fires on limit_req, limit_conn, *_cache and upstream zones nothing declares', () => {
		assertCode('nginx', loc('limit_req zone=«one» burst=5; limit_conn «addr» 10; proxy_cache «cache»; uwsgi_cache «ucache»;'), Z);
		assertCode('nginx', http('upstream u { zone «shared»; server 127.0.0.1:1; }'), Z);
		assertCode('nginx', 'events {}\nhttp { limit_conn_zone $binary_remote_addr zone=conn:1m; }\nstream { server { listen 1; limit_conn «conn» 1; return x; } }\n', Z);
	});

	it('fires on a zone declared for another use', () => {
		const [d] = assertCode('nginx', http('limit_conn_zone $binary_remote_addr zone=c1:1m;\nserver { location / { limit_req zone=«c1»; } }'), Z);
		assert.match(String(d.message), /already declared for a different use/);
	});

	it('does not fire on zones declared anywhere, in any order; off; variables', () => {
		assertCode('nginx', http('server { location / { limit_req zone=one; limit_conn addr 1; proxy_cache $cache_zone; uwsgi_cache off; fastcgi_cache fc; } }\n' +
			'limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s; limit_conn_zone $binary_remote_addr zone=addr:1m; fastcgi_cache_path /tmp/fc keys_zone=fc:1m;\n' +
			'map $host $cache_zone { default fc; }\nupstream a { zone z 64k; server 127.0.0.1:1; } upstream b { zone z; server 127.0.0.1:2; }'), Z);
	});

	it('in a fragment, reports only a near miss of a zone of the workspace', () => {
		workspaceCodes({
			'/w/zones.conf': 'limit_req_zone $binary_remote_addr zone=perip:10m rate=1r/s;\n',
			'/w/site.conf': 'server { location / { limit_req zone=«per_ip»; limit_req zone=declared_in_the_unseen_nginx_conf; } }\n',
		}, '/w/site.conf', Z);
	});

	it('offers the declared names as quick fixes', () => {
		const svc = service();
		const text = http('limit_req_zone $binary_remote_addr zone=perip:10m rate=1r/s;\nserver { location / { limit_req zone=per_ip; } }');
		const d = TextDocument.create('file:///w/nginx.conf', 'nginx', 1, text);
		const [diag] = svc.doValidation(d).filter(x => x.code === Z);
		const fix = svc.doCodeActions(d, diag.range, [diag])[0];
		assert.equal(fix.title, "Change to 'perip'");
		assert.ok(applyEdits(text, d, Object.values(fix.edit!.changes!)[0]).includes('limit_req zone=perip;'));
	});
});

describe('nginx-unknown-variable in directives compiled on merge', () => {
	it('http-level proxy_set_header and *_param count only when a server inherits them', () => {
		// no server, or every server with its own: nginx never compiles the http-level one
		assertCode('nginx', 'events {}\nhttp {\n    fastcgi_param X $ugid_got;\n}\n', 'nginx-unknown-variable');
		assertCode('nginx', 'events {}\nhttp {\n    fastcgi_param X $ugid_got;\n    server { fastcgi_param Y 1; }\n}\n', 'nginx-unknown-variable');
		// a server without its own inherits it: compiled, refused
		assertCode('nginx', 'events {}\nhttp {\n    fastcgi_param X «$ugid_got»;\n    server { fastcgi_param Y 1; }\n    server { listen 8080; }\n}\n', 'nginx-unknown-variable');
		// add_header is compiled where it stands
		assertCode('nginx', 'events {}\nhttp {\n    add_header X «$ugid_got»;\n}\n', 'nginx-unknown-variable');
	});
});

describe('types_hash_max_size 0', () => {
	it('counts where the types hash is built: a level with its own types, or a server with no types above it', () => {
		assertCode('nginx', 'events {}\nhttp {\n    server { types_hash_max_size «0»; }\n}\n', 'nginx-invalid-value');
		// the first server that inherits the http types builds their hash with its own sizes; later ones take it as built
		assertCode('nginx', 'events {}\nhttp {\n    types { application/json json; }\n    server { types_hash_max_size «0»; }\n    server { location / { types {} types_hash_max_size «0»; } }\n}\n', 'nginx-invalid-value');
		assertCode('nginx', 'events {}\nhttp {\n    types { application/json json; }\n    server { }\n    server { types_hash_max_size 0; }\n}\n', 'nginx-invalid-value');
		// nginx's default types, declared nowhere: every server builds its own
		assertCode('nginx', 'events {}\nhttp {\n    server { }\n    server { types_hash_max_size «0»; }\n}\n', 'nginx-invalid-value');
	});
});
