/**
 * nginx's variables, log formats and zones against the real `nginx -t` (Debian 1.22.1, with its
 * dynamic modules): every built-in of our variable table is one nginx knows, or one of the list
 * below that came after 1.22 or belongs to a module Debian does not build; http and stream are
 * apart; and each rule of nginx-unknown-variable, nginx-unknown-log-format and
 * nginx-unknown-zone is shown on a config that nginx and our service both judge — nginx refuses
 * it and we report the code on the line of the mistake, or nginx accepts it and we report no
 * error at all.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { NGINX_VARIABLES } from '../../server/src/data/generated/nginxVariables';
import { getLanguageService, pathToUri } from '../../server/src/service';
import { dynamicModuleLines, makeConfigDir, nginxTest, nginxVerdict, writeConfigTree } from '../helpers/nginx';
import { requireProgram } from '../helpers/processes';

const ERROR = 1;

/** A complete config around an http body and a stream body (every path relative to the prefix). */
function config(http: string, stream = ''): string {
	return `${dynamicModuleLines()}pid nginx.pid;
error_log error.log;
events {}
http {
    access_log off;
    client_body_temp_path t_client; proxy_temp_path t_proxy; fastcgi_temp_path t_fastcgi; uwsgi_temp_path t_uwsgi; scgi_temp_path t_scgi;
${http}
}
stream {
${stream}
}
`;
}

const SERVER = (body: string) => `    server {\n        listen 127.0.0.1:18080;\n${body}\n    }`;
const LOCATION = (body: string) => SERVER(`        location / {\n${body}\n        }`);
const STREAM_SERVER = (body: string) => `    server {\n        listen 127.0.0.1:18081;\n${body}\n    }`;

/**
 * Built-ins of our table the installed nginx 1.22 does not know: added in later releases (our
 * tables are nginx 1.31.5's), or of modules Debian's nginx does not have (NGINX Plus, njs, otel,
 * acme, HTTP/3).
 */
const NOT_IN_1_22: ReadonlySet<string> = new Set([
	// NGINX Plus and separately distributed modules
	'http:acme_certificate', 'http:acme_certificate_key', 'http:jwt_claim_', 'http:jwt_header_', 'http:jwt_payload', 'http:oidc_access_token',
	'http:oidc_claim_', 'http:oidc_id_token', 'http:oidc_userinfo', 'http:otel_parent_id', 'http:otel_parent_sampled', 'http:otel_span_id',
	'http:otel_trace_id', 'http:session_log_binary_id', 'http:session_log_id', 'stream:mqtt_preread_clientid', 'stream:mqtt_preread_username',
	'http:http3',
	// added after 1.22
	'http:is_request_port', 'http:request_port', 'http:proxy_protocol_tlv_', 'stream:proxy_protocol_tlv_', 'http:ssl_sigalg', 'stream:ssl_sigalg',
	'http:ssl_sigalgs', 'stream:ssl_sigalgs', 'http:ssl_client_sigalg', 'stream:ssl_client_sigalg',
	'http:ssl_ech_status', 'stream:ssl_ech_status', 'http:ssl_ech_outer_server_name', 'stream:ssl_ech_outer_server_name', 'http:time_iso8601_ms',
	'stream:time_iso8601_ms', 'stream:server_name', 'http:upstream_last_addr', 'stream:upstream_last_addr',
	'http:upstream_last_server_name', 'http:upstream_queue_time', 'http:proxy_add_via',
]);

interface Case {
	readonly name: string;
	readonly http?: string;
	readonly stream?: string;
	/** What nginx -t says: a message, or "ok" (accepted: we must report no error). */
	readonly nginxSays: RegExp | 'ok';
	/** The code we report, as an error, on the line that holds `at`. */
	readonly code?: string;
	readonly at?: string;
}

const CASES: readonly Case[] = [
	// ---- variables nginx accepts
	{ name: 'a variable used before the set that defines it, in another server', nginxSays: 'ok',
		http: `${LOCATION('            return 200 "$later";')}\n    server { listen 127.0.0.1:18082; set $later 1; }` },
	{ name: 'a named capture of another server\'s location, server_name (?P<>), map key, if and rewrite', nginxSays: 'ok',
		http: `    map $host $m { default 0; ~^(?<fromMap>x) 1; }\n${LOCATION('            return 200 "$cap $sub $fromMap $fromIf $fromRewrite";')}\n    server { listen 127.0.0.1:18082; server_name ~^(?P<sub>.+)\\.example\\.test$; location ~ ^/(?<cap>x) { if ($uri ~ "^/(?<fromIf>y)") { } rewrite "^/(?<fromRewrite>z)" /z; } }` },
	{ name: '$1 … $9 with no regex anywhere', nginxSays: 'ok', http: LOCATION('            return 200 "$1$9";') },
	{ name: 'names compare case-insensitively', nginxSays: 'ok', http: SERVER('        set $Mixed 1;\n        location / { return 200 "$REQUEST_URI $mixed $MIXED $Http_User_Agent"; }') },
	{ name: 'every prefix family of http, and a bare prefix', nginxSays: 'ok',
		http: LOCATION('            add_header X "$http_x_a $sent_http_x_b $sent_trailer_c $cookie_d $arg_e $upstream_http_f $upstream_trailer_g $upstream_cookie_h $http_";') },
	{ name: 'map, geo and split_clients define variables; a map value uses a variable a later map defines', nginxSays: 'ok',
		http: `    map $host $first { default $second; }\n    map $host $second { default 2; }\n    geo $geo_var { default 1; }\n    split_clients "$remote_addr" $variant { 50% a; * b; }\n${LOCATION('            return 200 "$first $geo_var $variant";')}` },
	{ name: 'a $ that is no variable: regex anchors, a header name, a location', nginxSays: 'ok',
		http: SERVER('        server_name ~^www\\.(.+)$;\n        location ~ \\.php$ { rewrite ^/old$ /new; if ($uri ~ x$) { return 404; } }\n        location / { valid_referers ~\\.example\\.test$; proxy_hide_header X-$undefined_header; }') },
	{ name: 'log_format with escape=, try_files, error_page and access_log if= with defined names', nginxSays: 'ok',
		http: `    log_format json_log escape=json '{"a":"$remote_addr"}';\n    map $status $loggable { default 1; }\n${LOCATION('            try_files $uri $uri/ =404;\n            error_page 404 /404.html?from=$uri;\n            access_log logs/a.log json_log if=$loggable;')}` },
	{ name: 'stream\'s own variables, set and map in stream', nginxSays: 'ok',
		stream: `    map $remote_addr $stream_map { default 1; }\n${STREAM_SERVER('        set $stream_set "$bytes_received $stream_map";\n        return "$remote_addr $stream_set $binary_remote_addr";')}` },
	{ name: 'memcached_pass with $memcached_key set', nginxSays: 'ok', http: LOCATION('            set $memcached_key $uri;\n            memcached_pass 127.0.0.1:11211;') },
	// ---- variables nginx refuses
	{ name: 'return with an undefined variable', nginxSays: /unknown "undefined_thing" variable/, code: 'nginx-unknown-variable', at: '$undefined_thing',
		http: LOCATION('            return 200 "$undefined_thing";') },
	{ name: 'a misspelled built-in', nginxSays: /unknown "reqest_uri" variable/, code: 'nginx-unknown-variable', at: '$reqest_uri',
		http: LOCATION('            proxy_pass http://127.0.0.1:8000$reqest_uri;') },
	{ name: 'an http variable in stream', nginxSays: /unknown "request_uri" variable/, code: 'nginx-unknown-variable', at: '$request_uri',
		stream: STREAM_SERVER('        return "$request_uri";') },
	{ name: 'a variable an http map defines, used in stream', nginxSays: /unknown "from_http" variable/, code: 'nginx-unknown-variable', at: 'return "$from_http"',
		http: '    map $host $from_http { default 1; }', stream: STREAM_SERVER('        return "$from_http";') },
	{ name: '${1} is a variable named "1", not a capture', nginxSays: /unknown "1" variable/, code: 'nginx-unknown-variable', at: '${1}',
		http: SERVER('        location ~ ^/(.*)$ { return 301 /new/${1}; }') },
	{ name: '$0 is a variable named "0"', nginxSays: /unknown "0" variable/, code: 'nginx-unknown-variable', at: '$0',
		http: SERVER('        rewrite ^/(.*)$ /x/$0;') },
	{ name: 'log_format has no captures: $1 is a variable', nginxSays: /unknown "1" variable/, code: 'nginx-unknown-variable', at: '$1',
		http: "    log_format numbered '$remote_addr $1';" },
	{ name: 'the variable of an if condition', nginxSays: /unknown "undefined_if" variable/, code: 'nginx-unknown-variable', at: '$undefined_if',
		http: LOCATION('            if ($undefined_if) { return 404; }') },
	{ name: 'the path of an if -f test', nginxSays: /unknown "undefined_file" variable/, code: 'nginx-unknown-variable', at: '$undefined_file',
		http: LOCATION('            if (!-f $document_root$undefined_file) { return 404; }') },
	{ name: 'access_log if= condition', nginxSays: /unknown "undefined_cond" variable/, code: 'nginx-unknown-variable', at: '$undefined_cond',
		http: LOCATION('            access_log logs/a.log combined if=$undefined_cond;') },
	{ name: 'a map value', nginxSays: /unknown "undefined_value" variable/, code: 'nginx-unknown-variable', at: '$undefined_value',
		http: '    map $host $mapped { default $undefined_value; }' },
	{ name: 'memcached_pass with $memcached_key set nowhere', nginxSays: /unknown "memcached_key" variable/, code: 'nginx-unknown-variable', at: 'memcached_pass',
		http: LOCATION('            memcached_pass 127.0.0.1:11211;') },
	// ---- log formats
	{ name: 'the built-in combined, a format defined before, a name in other case', nginxSays: 'ok',
		http: `    log_format main '$remote_addr';\n${LOCATION('            access_log logs/a.log combined;\n            access_log logs/b.log MAIN;')}` },
	{ name: 'access_log with a format no log_format defines', nginxSays: /unknown log format "main"/, code: 'nginx-unknown-log-format', at: 'access_log logs/a.log main;',
		http: LOCATION('            access_log logs/a.log main;') },
	{ name: 'log_format after the access_log that uses it', nginxSays: /unknown log format "late"/, code: 'nginx-unknown-log-format', at: 'access_log logs/a.log late;',
		http: `${LOCATION('            access_log logs/a.log late;')}\n    log_format late '$remote_addr';` },
	{ name: 'stream has no built-in combined', nginxSays: /unknown log format "combined"/, code: 'nginx-unknown-log-format', at: 'access_log logs/s.log combined;',
		stream: STREAM_SERVER('        access_log logs/s.log combined;\n        return x;') },
	{ name: 'stream with its own log_format', nginxSays: 'ok', stream: `    log_format basic '$remote_addr';\n${STREAM_SERVER('        access_log logs/s.log basic;\n        return x;')}` },
	// ---- zones
	{ name: 'zones declared after they are used, an upstream zone sized by another upstream', nginxSays: 'ok',
		http: `${LOCATION('            limit_req zone=one;\n            limit_conn addr 10;\n            proxy_cache cache;\n            proxy_pass http://shared;')}\n    limit_req_zone $binary_remote_addr zone=one:1m rate=1r/s;\n    limit_conn_zone $binary_remote_addr zone=addr:1m;\n    proxy_cache_path t_cache keys_zone=cache:1m;\n    upstream shared { zone shared_zone 64k; server 127.0.0.1:8000; }\n    upstream other { zone shared_zone; server 127.0.0.1:8001; }` },
	{ name: 'limit_req with a zone nobody declares', nginxSays: /zero size shared memory zone "one"/, code: 'nginx-unknown-zone', at: 'limit_req zone=one;',
		http: LOCATION('            limit_req zone=one;') },
	{ name: 'limit_conn with a zone nobody declares', nginxSays: /zero size shared memory zone "addr"/, code: 'nginx-unknown-zone', at: 'limit_conn addr 10;',
		http: LOCATION('            limit_conn addr 10;') },
	{ name: 'proxy_cache with a zone no proxy_cache_path declares', nginxSays: /"proxy_cache" zone "cache" is unknown/, code: 'nginx-unknown-zone', at: 'proxy_cache cache;',
		http: LOCATION('            proxy_cache cache;\n            proxy_pass http://127.0.0.1:8000;') },
	{ name: 'uwsgi_cache with a zone only fastcgi_cache_path declares', nginxSays: /already declared for a different use|zone "fc" is unknown/, code: 'nginx-unknown-zone', at: 'uwsgi_cache fc;',
		http: `    fastcgi_cache_path t_fc keys_zone=fc:1m;\n${LOCATION('            uwsgi_cache fc;\n            uwsgi_pass 127.0.0.1:8000;')}` },
	{ name: 'an upstream zone without a size that no upstream sizes', nginxSays: /zero size shared memory zone "z"/, code: 'nginx-unknown-zone', at: 'zone z;',
		http: `    upstream u {\n        zone z;\n        server 127.0.0.1:8000;\n    }\n${LOCATION('            proxy_pass http://u;')}` },
	{ name: 'stream limit_conn with a zone only http declares', nginxSays: /zero size shared memory zone "conn"|already declared for a different use/, code: 'nginx-unknown-zone', at: 'limit_conn conn 1;',
		http: '    limit_conn_zone $binary_remote_addr zone=conn:1m;', stream: STREAM_SERVER('        limit_conn conn 1;\n        return x;') },
];

describe('nginx variables, log formats and zones: the real nginx -t and our service agree', () => {
	const dirs: string[] = [];
	before(() => requireProgram('nginx', 'apt-get install nginx-core (scripts/test-all.sh does it)'));
	after(() => { for (const d of dirs) { fs.rmSync(d, { recursive: true, force: true }); } });

	const check = (text: string): { verdict: string; ours: Diagnostic[]; text: string } => {
		const dir = makeConfigDir('nginx-vars-');
		dirs.push(dir);
		fs.mkdirSync(path.join(dir, 'logs'));
		writeConfigTree(dir, { 'nginx.conf': text }, []);
		const service = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
		const doc = TextDocument.create(pathToUri(path.join(dir, 'nginx.conf')), 'nginx', 1, text);
		service.workspace.set(doc, 'nginx');
		return { verdict: nginxVerdict(nginxTest(dir)), ours: service.doValidation(doc), text };
	};
	const show = (ds: readonly Diagnostic[]) => ds.map(d => `  ${d.range.start.line}:${d.range.start.character} [${d.severity}] ${String(d.code)}: ${d.message}`).join('\n') || '  (none)';

	for (const c of CASES) {
		it(`${c.name}: ${c.nginxSays === 'ok' ? 'nginx accepts it and we report no error' : `nginx refuses it and we report ${c.code}`}`, () => {
			const { verdict, ours, text } = check(config(c.http ?? '', c.stream ?? ''));
			const errors = ours.filter(d => d.severity === ERROR);
			if (c.nginxSays === 'ok') {
				assert.equal(verdict, 'ok', `nginx -t refused:\n${text}`);
				assert.deepEqual(errors, [], `our errors on a config nginx accepts:\n${show(errors)}\n${text}`);
				return;
			}
			assert.match(verdict, c.nginxSays, `nginx -t said something else:\n${text}`);
			const lines = text.split('\n');
			const line = lines.findIndex(l => l.includes(c.at!));
			assert.ok(line >= 0 && lines.findIndex((l, i) => i > line && l.includes(c.at!)) < 0, `"${c.at}" must be on one line`);
			const hit = errors.find(d => d.code === c.code && d.range.start.line === line);
			assert.ok(hit, `no error ${c.code} on line ${line}; nginx said: ${verdict}\nwe said:\n${show(ours)}\n${text}`);
		});
	}

	it('every built-in variable of our table is one nginx 1.22 knows, or one of the later or other modules listed', () => {
		const unknown: string[] = [];
		for (const v of NGINX_VARIABLES) {
			if (v.userSet) { continue; }
			const name = v.prefix ? `${v.name}probe` : v.name;
			const text = v.family === 'http'
				? config(LOCATION(`            return 200 "$${name}";`))
				: config('', STREAM_SERVER(`        return "$${name}";`));
			const { verdict, ours } = check(text);
			if (verdict !== 'ok') {
				assert.match(verdict, /unknown ".*" variable/, `nginx -t refused $${name} for another reason:\n${text}`);
				unknown.push(`${v.family}:${v.name}`);
			}
			assert.deepEqual(ours.filter(d => d.severity === ERROR), [], `our error on the built-in $${name} (${v.family})`);
		}
		assert.deepEqual(unknown.filter(u => !NOT_IN_1_22.has(u)), [], 'built-ins nginx 1.22 does not know and the list does not explain');
		assert.deepEqual([...NOT_IN_1_22].filter(u => !unknown.includes(u)), [], 'listed as unknown to nginx 1.22, but it knows them');
	});

	it('a variable only one family has is unknown in the other', () => {
		for (const [family, name] of [['http', 'request_uri'], ['http', 'http_host'], ['http', 'arg_x'], ['stream', 'bytes_received'], ['stream', 'session_time']] as const) {
			const text = family === 'http' ? config('', STREAM_SERVER(`        return "$${name}";`)) : config(LOCATION(`            return 200 "$${name}";`));
			const { verdict, ours } = check(text);
			assert.match(verdict, new RegExp(`unknown "${name}" variable`), `nginx -t accepted $${name} outside ${family}`);
			assert.ok(ours.some(d => d.code === 'nginx-unknown-variable' && d.severity === ERROR), `we did not report $${name} outside ${family}:\n${show(ours)}`);
		}
	});
});
