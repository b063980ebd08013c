/**
 * The real `nginx -t` (Debian's nginx-core) against our nginx diagnostics: a valid Django/uWSGI
 * front end passes both, and each variant with exactly one mistake fails `nginx -t` with the
 * expected message while our service reports the expected code, as an error, on the mistake's
 * line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService, pathToUri } from '../../server/src/service';
import { makeConfigDir, nginxTest, writeConfigTree, type ConfigFiles } from '../helpers/nginx';
import { requireProgram } from '../helpers/processes';

const ERROR = 1;
const MAIN = 'nginx.conf';
/** `nginx -t` opens no listening socket, so any port will do. */
const PORT = 18080;

/**
 * The valid base: every path is relative to the prefix (`-p DIR/`), so `nginx -t` writes
 * nothing outside the temp dir and the text is the same for every variant.
 */
const BASE = `daemon off;
pid nginx.pid;
error_log error.log;

events {}

http {
    include mime.types;
    access_log off;
    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;

    upstream app {
        server unix:/run/uwsgi/app.sock;
    }

    server {
        listen 127.0.0.1:${PORT};
        server_name example.test;
        client_max_body_size 10m;

        location /static/ {
            alias /srv/app/static/;
        }

        location / {
            include uwsgi_params;
            uwsgi_pass app;
            uwsgi_read_timeout 60s;
        }
    }
}
`;

/** 0-based line of the only line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
	const lines = text.split('\n');
	const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i] : []));
	assert.equal(hits.length, 1, `"${needle}" must be on exactly one line of the base config, found ${hits.length}`);
	return hits[0];
}

/** `text` with its only occurrence of `from` replaced by `to`. */
function replaceOnce(text: string, from: string, to: string): string {
	const at = text.indexOf(from);
	assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" must occur exactly once in the base config`);
	return text.slice(0, at) + to + text.slice(at + from.length);
}

/** `text` with the line `added` inserted after the only line that contains `needle`. */
function insertAfter(text: string, needle: string, added: string): string {
	const lines = text.split('\n');
	const i = lineOf(text, needle);
	lines.splice(i + 1, 0, added);
	return lines.join('\n');
}

interface Variant {
	readonly name: string;
	/** The files of the variant's config tree; `nginx.conf` is the one nginx -t checks. */
	readonly mutate: (base: string) => ConfigFiles;
	/** What nginx -t says about it. */
	readonly nginxSays: RegExp;
	/** The code our service must report, with error severity. */
	readonly code: string;
	/** 0-based line of the mistake in `file`. */
	readonly line: number;
	/** The file whose validation must report it (default: nginx.conf). */
	readonly file?: string;
}

const main = (text: string): ConfigFiles => ({ [MAIN]: text });

const VARIANTS: readonly Variant[] = [
	// ---- nginx-unknown-directive
	{
		name: 'unknown directive (uwsgi_pas)',
		mutate: b => main(replaceOnce(b, 'uwsgi_pass app;', 'uwsgi_pas app;')),
		nginxSays: /unknown directive "uwsgi_pas"/,
		code: 'nginx-unknown-directive',
		line: lineOf(BASE, 'uwsgi_pass app;'),
	},
	{
		name: 'unknown directive in upstream (keepalive_requestz)',
		mutate: b => main(insertAfter(b, 'server unix:/run/uwsgi/app.sock;', '        keepalive_requestz 10;')),
		nginxSays: /unknown directive "keepalive_requestz"/,
		code: 'nginx-unknown-directive',
		line: lineOf(BASE, 'server unix:/run/uwsgi/app.sock;') + 1,
	},
	// ---- nginx-directive-not-allowed
	{
		name: 'not allowed here (uwsgi_pass in server)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        uwsgi_pass app;')),
		nginxSays: /"uwsgi_pass" directive is not allowed here/,
		code: 'nginx-directive-not-allowed',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'not allowed here (listen in location)',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', `            listen 127.0.0.1:${PORT + 1};`)),
		nginxSays: /"listen" directive is not allowed here/,
		code: 'nginx-directive-not-allowed',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'not allowed here (worker_processes in http)',
		mutate: b => main(insertAfter(b, 'access_log off;', '    worker_processes 2;')),
		nginxSays: /"worker_processes" directive is not allowed here/,
		code: 'nginx-directive-not-allowed',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'not allowed here (server_name in http)',
		mutate: b => main(insertAfter(b, 'access_log off;', '    server_name other.test;')),
		nginxSays: /"server_name" directive is not allowed here/,
		code: 'nginx-directive-not-allowed',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'not allowed here (uwsgi_pass in if in server)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        if ($request_method = POST) { uwsgi_pass app; }')),
		nginxSays: /"uwsgi_pass" directive is not allowed here/,
		code: 'nginx-directive-not-allowed',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	// ---- nginx-invalid-arguments
	{
		name: 'invalid number of arguments (client_max_body_size 10m 20m)',
		mutate: b => main(replaceOnce(b, 'client_max_body_size 10m;', 'client_max_body_size 10m 20m;')),
		nginxSays: /invalid number of arguments in "client_max_body_size" directive/,
		code: 'nginx-invalid-arguments',
		line: lineOf(BASE, 'client_max_body_size 10m;'),
	},
	{
		name: 'invalid number of arguments (uwsgi_param FOO)',
		mutate: b => main(insertAfter(b, 'uwsgi_pass app;', '            uwsgi_param FOO;')),
		nginxSays: /invalid number of arguments in "uwsgi_param" directive/,
		code: 'nginx-invalid-arguments',
		line: lineOf(BASE, 'uwsgi_pass app;') + 1,
	},
	{
		name: 'invalid number of arguments (set $x)',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            set $x;')),
		nginxSays: /invalid number of arguments in "set" directive/,
		code: 'nginx-invalid-arguments',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'invalid number of arguments (location without a URI)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location { }')),
		nginxSays: /invalid number of arguments in "location" directive/,
		code: 'nginx-invalid-arguments',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'block directive without a block (location /media/;)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location /media/;')),
		nginxSays: /directive "location" has no opening "\{"/,
		code: 'nginx-invalid-arguments',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'simple directive with a block (client_max_body_size 10m { })',
		mutate: b => main(replaceOnce(b, 'client_max_body_size 10m;', 'client_max_body_size 10m { }')),
		nginxSays: /directive "client_max_body_size" is not terminated by ";"/,
		code: 'nginx-invalid-arguments',
		line: lineOf(BASE, 'client_max_body_size 10m;'),
	},
	// ---- nginx-invalid-value
	{
		name: 'invalid flag (proxy_buffering yes)',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            proxy_buffering yes;')),
		nginxSays: /invalid value "yes" in "proxy_buffering" directive, it must be "on" or "off"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 1,
	},
	{
		name: 'invalid flag (gzip maybe)',
		mutate: b => main(insertAfter(b, 'access_log off;', '    gzip maybe;')),
		nginxSays: /invalid value "maybe" in "gzip" directive, it must be "on" or "off"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'invalid size (client_max_body_size 10mb)',
		mutate: b => main(replaceOnce(b, 'client_max_body_size 10m;', 'client_max_body_size 10mb;')),
		nginxSays: /"client_max_body_size" directive invalid value/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;'),
	},
	{
		name: 'invalid buffers (uwsgi_buffers 8 4x)',
		mutate: b => main(insertAfter(b, 'uwsgi_pass app;', '            uwsgi_buffers 8 4x;')),
		nginxSays: /"uwsgi_buffers" directive invalid value/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_pass app;') + 1,
	},
	{
		name: 'invalid time (uwsgi_read_timeout 60x)',
		mutate: b => main(replaceOnce(b, 'uwsgi_read_timeout 60s;', 'uwsgi_read_timeout 60x;')),
		nginxSays: /"uwsgi_read_timeout" directive invalid value/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;'),
	},
	{
		name: 'months in a millisecond time (uwsgi_read_timeout 1M)',
		mutate: b => main(replaceOnce(b, 'uwsgi_read_timeout 60s;', 'uwsgi_read_timeout 1M;')),
		nginxSays: /"uwsgi_read_timeout" directive invalid value/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;'),
	},
	{
		name: 'invalid number (uwsgi_modifier1 x)',
		mutate: b => main(insertAfter(b, 'uwsgi_pass app;', '            uwsgi_modifier1 x;')),
		nginxSays: /"uwsgi_modifier1" directive invalid number/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_pass app;') + 1,
	},
	{
		name: 'invalid enum (proxy_http_version 3.0)',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            proxy_http_version 3.0;')),
		nginxSays: /invalid value "3\.0"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'invalid bitmask (uwsgi_next_upstream error timeoutt)',
		mutate: b => main(insertAfter(b, 'uwsgi_pass app;', '            uwsgi_next_upstream error timeoutt;')),
		nginxSays: /invalid value "timeoutt"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_pass app;') + 1,
	},
	{
		name: 'invalid bitmask (ssl_protocols TLSv1.4)',
		mutate: b => main(insertAfter(b, 'access_log off;', '    ssl_protocols TLSv1.4;')),
		nginxSays: /invalid value "TLSv1\.4"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'invalid address (allow localhost)',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            allow localhost;')),
		nginxSays: /invalid parameter "localhost"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	// ---- nginx-duplicate-directive
	{
		name: 'duplicate (client_max_body_size twice in server)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        client_max_body_size 20m;')),
		nginxSays: /"client_max_body_size" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'duplicate (a second events block)',
		mutate: b => main(replaceOnce(b, 'events {}\n', 'events {}\nevents {}\n')),
		nginxSays: /"events" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'events {}') + 1,
	},
	{
		name: 'duplicate (a second http block)',
		mutate: b => main(b + 'http {}\n'),
		nginxSays: /"http" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: BASE.split('\n').length - 1,
	},
	// ---- nginx-unknown-upstream
	{
		name: 'no port in upstream (uwsgi_pass django)',
		mutate: b => main(replaceOnce(b, 'uwsgi_pass app;', 'uwsgi_pass django;')),
		nginxSays: /no port in upstream "django"/,
		code: 'nginx-unknown-upstream',
		line: lineOf(BASE, 'uwsgi_pass app;'),
	},
	// ---- checks of directives with their own parsers
	{
		name: 'if without parentheses',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        if $request_method = POST { return 405; }')),
		nginxSays: /invalid condition/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'months in keepalive_timeout (1M)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        keepalive_timeout 1M;')),
		nginxSays: /"keepalive_timeout" directive invalid value/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'proxy_pass twice in one location',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            proxy_pass http://127.0.0.1:8000;\n            proxy_pass http://127.0.0.1:8001;')),
		nginxSays: /"proxy_pass" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 2,
	},
	{
		name: 'uwsgi_pass twice in one location',
		mutate: b => main(insertAfter(b, 'uwsgi_pass app;', '            uwsgi_pass unix:/run/uwsgi/other.sock;')),
		nginxSays: /"uwsgi_pass" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'uwsgi_pass app;') + 1,
	},
	{
		name: 'root and alias in one location',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            root /srv/app;')),
		nginxSays: /"root" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'the same location twice',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location /static/ { return 404; }')),
		nginxSays: /duplicate location "\/static\/"/,
		code: 'nginx-duplicate-directive',
		// the base's own /static/ is now the second one, one line further down
		line: lineOf(BASE, 'location /static/ {') + 1,
	},
	{
		name: 'a nested location outside its parent',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            location /media/ { return 404; }')),
		nginxSays: /location "\/media\/" is outside location "\/static\/"/,
		code: 'nginx-location-nesting',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'an upstream without servers',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    upstream empty { }')),
		nginxSays: /no servers are inside upstream/,
		code: 'nginx-empty-upstream',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 1,
	},
	{
		name: 'listen on port 99999',
		mutate: b => main(replaceOnce(b, `listen 127.0.0.1:${PORT};`, 'listen 127.0.0.1:99999;')),
		nginxSays: /invalid port/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`),
	},
	{
		name: 'listen with a misspelled parameter (defualt_server)',
		mutate: b => main(replaceOnce(b, `listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT} defualt_server;`)),
		nginxSays: /invalid parameter "defualt_server"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`),
	},
	{
		name: 'upstream server with a misspelled parameter (wieght=2)',
		mutate: b => main(replaceOnce(b, 'server unix:/run/uwsgi/app.sock;', 'server unix:/run/uwsgi/app.sock wieght=2;')),
		nginxSays: /invalid parameter "wieght=2"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'server unix:/run/uwsgi/app.sock;'),
	},
	{
		name: 'uwsgi_pass with an empty port (app:)',
		mutate: b => main(replaceOnce(b, 'uwsgi_pass app;', 'uwsgi_pass app:;')),
		nginxSays: /invalid port in upstream "app:"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_pass app;'),
	},
	{
		name: 'return 1000',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            return 1000;')),
		nginxSays: /invalid return code "1000"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	// ---- nginx-unknown-zone
	{
		name: 'limit_req with a zone nobody defines',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    limit_req_zone $binary_remote_addr zone=ip:10m rate=1r/s;').replace('uwsgi_read_timeout 60s;', 'uwsgi_read_timeout 60s;\n            limit_req zone=one;')),
		nginxSays: /zero size shared memory zone "one"/,
		code: 'nginx-unknown-zone',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 2,
	},
	{
		name: 'uwsgi_cache with a zone no uwsgi_cache_path declares',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            uwsgi_cache django;')),
		nginxSays: /"uwsgi_cache" zone "django" is unknown/,
		code: 'nginx-unknown-zone',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 1,
	},
	// ---- nginx-unknown-variable
	{
		name: 'a variable nothing defines ($undefined_thing)',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            add_header X-Debug "$undefined_thing";')),
		nginxSays: /unknown "undefined_thing" variable/,
		code: 'nginx-unknown-variable',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'a misspelled built-in in a uwsgi_param ($reqest_uri)',
		mutate: b => main(insertAfter(b, 'uwsgi_pass app;', '            uwsgi_param REQUEST_URI $reqest_uri;')),
		nginxSays: /unknown "reqest_uri" variable/,
		code: 'nginx-unknown-variable',
		line: lineOf(BASE, 'uwsgi_pass app;') + 1,
	},
	{
		name: 'a variable of a map in an included file, misspelled in the site file',
		mutate: b => ({
			[MAIN]: insertAfter(b, 'include mime.types;', '    include maps.conf;').replace('uwsgi_read_timeout 60s;', 'uwsgi_read_timeout 60s;\n            uwsgi_param HTTP_X_MOBILE $is_mobil;'),
			'maps.conf': 'map $http_user_agent $is_mobile {\n    default 0;\n    ~*android 1;\n}\n',
		}),
		nginxSays: /unknown "is_mobil" variable/,
		code: 'nginx-unknown-variable',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 2,
	},
	// ---- nginx-unknown-log-format
	{
		name: 'access_log with a format nobody defines (main)',
		mutate: b => main(replaceOnce(b, 'access_log off;', 'access_log logs/access.log main;')),
		nginxSays: /unknown log format "main"/,
		code: 'nginx-unknown-log-format',
		line: lineOf(BASE, 'access_log off;'),
	},
	{
		name: 'access_log before the log_format it uses',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        access_log logs/access.log main;').replace(/\}\n$/, "    log_format main '$remote_addr $status';\n}\n")),
		nginxSays: /unknown log format "main"/,
		code: 'nginx-unknown-log-format',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	// ---- nginx-conflicting-declaration
	{
		name: 'a limit_req_zone declared twice',
		mutate: b => main(insertAfter(insertAfter(b, 'scgi_temp_path scgi_temp;', '    limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;'), 'zone=one:10m rate=1r/s;', '    limit_req_zone $server_name zone=one:10m rate=5r/s;')),
		nginxSays: /limit_req_zone "one" is already bound to key/,
		code: 'nginx-conflicting-declaration',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 2,
	},
	{
		name: 'two cache zones of one name',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    uwsgi_cache_path cache1 keys_zone=app:10m;\n    proxy_cache_path cache2 keys_zone=app:10m;')),
		nginxSays: /the shared memory zone "app" is already declared for a different use/,
		code: 'nginx-conflicting-declaration',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 2,
	},
	{
		name: 'a server listening twice on one address',
		mutate: b => main(insertAfter(b, `listen 127.0.0.1:${PORT};`, `        listen 127.0.0.1:${PORT} ssl;`)),
		nginxSays: /a duplicate listen 127\.0\.0\.1:18080/,
		code: 'nginx-conflicting-declaration',
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`) + 1,
	},
	{
		name: 'two default servers for one address',
		mutate: b => main(replaceOnce(b, `listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT} default_server;`).replace('    upstream app {', `    server {\n        listen 127.0.0.1:${PORT} default_server;\n        return 444;\n    }\n    upstream app {`)),
		nginxSays: /a duplicate default server for 127\.0\.0\.1:18080/,
		code: 'nginx-conflicting-declaration',
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`) + 4,
	},
	// ---- addresses (targets.ts) and targets without a port
	{
		name: 'upstream server with a placeholder port (127.0.0.1:YOURPORT)',
		mutate: b => main(replaceOnce(b, 'server unix:/run/uwsgi/app.sock;', 'server 127.0.0.1:YOURPORT;')),
		nginxSays: /invalid port in upstream "127\.0\.0\.1:YOURPORT"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'server unix:/run/uwsgi/app.sock;'),
	},
	{
		name: 'uwsgi_pass to a socket path without unix:',
		mutate: b => main(replaceOnce(b, 'uwsgi_pass app;', 'uwsgi_pass /tmp/uwsgi.socket;')),
		nginxSays: /invalid host in upstream "\/tmp\/uwsgi\.socket"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_pass app;'),
	},
	{
		name: 'proxy_pass without a scheme',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            proxy_pass 127.0.0.1:8000;')),
		nginxSays: /invalid URL prefix/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'proxy_pass to port 0',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            proxy_pass http://127.0.0.1:0/;')),
		nginxSays: /invalid port in upstream "127\.0\.0\.1:0\/"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'grpc_pass to a name without a port',
		mutate: b => main(replaceOnce(b, 'uwsgi_pass app;', 'grpc_pass grpc://backend;')),
		nginxSays: /no port in upstream "backend"/,
		code: 'nginx-unknown-upstream',
		line: lineOf(BASE, 'uwsgi_pass app;'),
	},
	{
		name: 'listen with a port range that runs backwards',
		mutate: b => main(replaceOnce(b, `listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT}-${PORT - 1};`)),
		nginxSays: /invalid port range in "127\.0\.0\.1:\d+-\d+" of the "listen" directive/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`),
	},
	// ---- nginx-missing-certificate (variables in the paths: nginx -t loads no file for them)
	{
		name: 'listen ssl without a certificate',
		mutate: b => main(replaceOnce(b, `listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT} ssl;`)),
		nginxSays: /no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive/,
		code: 'nginx-missing-certificate',
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`),
	},
	{
		name: 'listen ssl in a second server, whose address the first one holds without a certificate',
		mutate: b => main(b.replace(/\n\}\n$/, `\n    server {\n        listen 127.0.0.1:${PORT} ssl;\n        server_name tls.test;\n        ssl_certificate /tmp/$ssl_server_name.crt;\n        ssl_certificate_key /tmp/$ssl_server_name.key;\n    }\n}\n`)),
		nginxSays: /no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive/,
		code: 'nginx-missing-certificate',
		// the base server listens there first: it is the default server, and has no certificate
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`),
	},
	{
		name: 'a certificate without its key',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        ssl_certificate /tmp/$ssl_server_name.crt;')),
		nginxSays: /no "ssl_certificate_key" is defined for certificate/,
		code: 'nginx-missing-certificate',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'ssl_verify_client without ssl_client_certificate',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        ssl_certificate /tmp/$ssl_server_name.crt;\n        ssl_certificate_key /tmp/$ssl_server_name.key;\n        ssl_verify_client on;')),
		nginxSays: /no ssl_client_certificate for ssl_verify_client/,
		code: 'nginx-missing-certificate',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 3,
	},
	{
		name: 'stream listen ssl without a certificate',
		mutate: b => main(`load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n${b}stream {\n    server {\n        listen 127.0.0.1:${PORT + 2} ssl;\n        proxy_pass 127.0.0.1:${PORT + 3};\n    }\n}\n`),
		nginxSays: /no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive/,
		code: 'nginx-missing-certificate',
		line: BASE.split('\n').length + 2,
	},
	{
		name: 'listen ssl in an included server, no certificate in http',
		mutate: b => ({ [MAIN]: insertAfter(b, 'scgi_temp_path scgi_temp;', '    include sites/*.conf;'), 'sites/tls.conf': `server {\n    listen 127.0.0.1:${PORT + 1} ssl;\n    server_name tls.test;\n}\n` }),
		nginxSays: /no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive/,
		code: 'nginx-missing-certificate',
		line: 1,
		file: 'sites/tls.conf',
	},
	// ---- nginx-invalid-regex (every kind of place: test/integration/pcre2Differential.test.ts)
	{
		name: 'a regex location with an unclosed group',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location ~ "^/(foo" { return 404; }')),
		nginxSays: /pcre2_compile\(\) failed: missing closing parenthesis in "\^\/\(foo"/,
		code: 'nginx-invalid-regex',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'an if regex with a lookbehind of varying length',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        if ($uri ~ "(?<=/a+)b" ) { return 404; }')),
		nginxSays: /pcre2_compile\(\) failed: lookbehind assertion is not fixed length/,
		code: 'nginx-invalid-regex',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'a map key with an escape PCRE2 does not know',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    map $uri $section {\n        ~^/\\i 1;\n        default 0;\n    }')),
		nginxSays: /pcre2_compile\(\) failed: unrecognized character follows \\/,
		code: 'nginx-invalid-regex',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 2,
	},
	// ---- conditions, return codes, geo entries, proxy_pass URI parts, nesting (special.ts, geo.ts, targets.ts, locations.ts)
	{
		name: 'if with an empty condition',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        if ( ) { return 405; }')),
		nginxSays: /invalid condition "\)"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'if with an unknown operator',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        if ($request_method =~ POST) { return 405; }')),
		nginxSays: /unexpected "=~" in condition/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'return with a variable as the code',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            return $request_method;')),
		nginxSays: /invalid return code "\$request_method"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'a geo entry with three words',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    geo $office {\n        10.0.0.0/8 yes please;\n        default no;\n    }')),
		nginxSays: /invalid number of the geo parameters/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 2,
	},
	{
		name: 'a CIDR network in a geo with ranges',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    geo $office {\n        ranges;\n        10.0.0.0/8 yes;\n    }')),
		nginxSays: /invalid range "10\.0\.0\.0\/8"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 3,
	},
	{
		name: 'proxy_pass with a URI in a regex location',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location ~ \\.php$ {\n            proxy_pass http://127.0.0.1:9000/;\n        }')),
		nginxSays: /"proxy_pass" cannot have URI part in location given by regular expression/,
		code: 'nginx-misplaced-directive',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 2,
	},
	{
		name: 'a prefix location inside a regex location',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location ~ ^/api {\n            location /api/v1 { return 404; }\n        }')),
		nginxSays: /location "\/api\/v1" is outside location "\^\/api"/,
		code: 'nginx-location-nesting',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 2,
	},
	{
		name: 'a location from an included file outside the location that includes it',
		mutate: b => ({ [MAIN]: replaceOnce(b, 'alias /srv/app/static/;', 'alias /srv/app/static/;\n            include media.conf;'), 'media.conf': 'location /media/ {\n    return 404;\n}\n' }),
		nginxSays: /location "\/media\/" is outside location "\/static\/"/,
		code: 'nginx-location-nesting',
		line: 0,
		file: 'media.conf',
	},
	// ---- nginx-byte-order-mark
	{
		name: 'a UTF-8 byte-order mark before the first directive',
		mutate: b => main(`\ufeff${b}`),
		nginxSays: /unknown directive "\ufeffdaemon"/,
		code: 'nginx-byte-order-mark',
		line: 0,
	},
	{
		name: 'a byte-order mark at the start of an included file',
		mutate: b => ({ [MAIN]: insertAfter(b, 'access_log off;', '    include tuning.conf;'), 'tuning.conf': '\ufeffserver_tokens off;\n' }),
		nginxSays: /unknown directive "\ufeffserver_tokens"/,
		code: 'nginx-byte-order-mark',
		line: 0,
		file: 'tuning.conf',
	},
	// ---- nginx-syntax
	{
		name: 'missing semicolon (listen … before server_name)',
		mutate: b => main(replaceOnce(b, `listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT}`)),
		nginxSays: /invalid parameter "server_name"/,
		code: 'nginx-syntax',
		line: lineOf(BASE, `listen 127.0.0.1:${PORT};`),
	},
	{
		name: 'missing semicolon (last directive of a block)',
		mutate: b => main(replaceOnce(b, 'uwsgi_read_timeout 60s;', 'uwsgi_read_timeout 60s')),
		nginxSays: /unexpected "\}"/,
		code: 'nginx-syntax',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;'),
	},
	{
		name: 'unbalanced brace (last } dropped)',
		mutate: b => main(b.replace(/\}\n$/, '')),
		nginxSays: /unexpected end of file, expecting "\}"/,
		code: 'nginx-syntax',
		line: lineOf(BASE, 'http {'),
	},
	{
		name: 'unbalanced brace (one } too many)',
		mutate: b => main(b + '}\n'),
		nginxSays: /unexpected "\}"/,
		code: 'nginx-syntax',
		line: BASE.split('\n').length - 1,
	},
	{
		name: 'unterminated quote (server_name "example.test;)',
		mutate: b => main(replaceOnce(b, 'server_name example.test;', 'server_name "example.test;')),
		nginxSays: /unexpected end of file, expecting ";" or "\}"/,
		code: 'nginx-syntax',
		line: lineOf(BASE, 'server_name example.test;'),
	},
	{
		name: 'character glued to a closing quote (server_name "example.test"x)',
		mutate: b => main(replaceOnce(b, 'server_name example.test;', 'server_name "example.test"x;')),
		nginxSays: /unexpected "x"/,
		code: 'nginx-syntax',
		line: lineOf(BASE, 'server_name example.test;'),
	},
	{
		name: '{ inside an unquoted regex (location ~ ^/x{2}/)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location ~ ^/x{2}/ { return 200; }')),
		nginxSays: /unknown directive "2\}\/"/,
		code: 'nginx-syntax',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'the } of a types block missing (the next block opens inside it)',
		mutate: b => main(replaceOnce(b, '    include mime.types;\n', '    types {\n        text/html html;\n')),
		nginxSays: /unexpected "\{"/,
		code: 'nginx-syntax',
		line: lineOf(BASE, 'upstream app {') + 1,
	},
	// ---- nginx-include-cycle
	{
		name: 'include cycle (a.conf -> b.conf -> a.conf)',
		mutate: b => ({
			[MAIN]: insertAfter(b, 'include mime.types;', '    include a.conf;'),
			'a.conf': 'include b.conf;\n',
			'b.conf': 'include a.conf;\n',
		}),
		// nginx recurses until it runs out of file descriptors or of stack, whichever comes first
		nginxSays: /Too many open files|killed by SIGSEGV/,
		code: 'nginx-include-cycle',
		// every include of the cycle is reported (a.conf's and b.conf's); nginx.conf's include leads into it but is not part of it
		line: 0,
		file: 'b.conf',
	},
];

/**
 * Refusals of one directive's value or placement that the slot data cannot describe: custom
 * setters refusing a repeat, proxy_redirect default before its proxy_pass, what named and regex
 * locations refuse, buffer relations on the merged values, single-value constraints.
 */
const CONSTRAINT_VARIANTS: readonly Variant[] = [
	{
		name: 'duplicate custom setter (worker_connections twice)',
		mutate: b => main(replaceOnce(b, 'events {}', 'events {\n    worker_connections 512;\n    worker_connections 1024;\n}')),
		nginxSays: /"worker_connections" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'events {}') + 2,
	},
	{
		name: 'duplicate custom setter (expires twice in a location)',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            expires 30d;\n            expires 1h;')),
		nginxSays: /"expires" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 2,
	},
	{
		name: 'map_hash_bucket_size after a map',
		mutate: b => main(insertAfter(b, 'access_log off;', '    map $uri $probe { default 0; }\n    map_hash_bucket_size 128;')),
		nginxSays: /"map_hash_bucket_size" directive is duplicate/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'access_log off;') + 2,
	},
	{
		name: 'proxy_redirect default before its proxy_pass',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location /api/ { proxy_redirect default; proxy_pass http://127.0.0.1:8000; }')),
		nginxSays: /"proxy_redirect default" should be placed after the "proxy_pass" directive/,
		code: 'nginx-misplaced-directive',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'proxy_redirect default at the server level',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        proxy_redirect default;')),
		nginxSays: /"proxy_redirect default" should be placed after the "proxy_pass" directive/,
		code: 'nginx-misplaced-directive',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'alias in a named location',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location @fallback { alias /srv/app/; }')),
		nginxSays: /the "alias" directive cannot be used inside the named location/,
		code: 'nginx-misplaced-directive',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'proxy_pass with a URI part in a regex location',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location ~ \\.php$ { proxy_pass http://127.0.0.1:8000/; }')),
		nginxSays: /"proxy_pass" cannot have URI part in location given by regular expression/,
		code: 'nginx-misplaced-directive',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'proxy_pass with a URI part in an if',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            if ($http_x_debug) { proxy_pass http://127.0.0.1:8000/debug; }')),
		nginxSays: /"proxy_pass" cannot have URI part/,
		code: 'nginx-misplaced-directive',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 1,
	},
	{
		name: 'a prefix location nested in a regex location it does not start with',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location ~ \\.php$ { location /x { return 404; } }')),
		nginxSays: /location "\/x" is outside location "\\\.php\$"/,
		code: 'nginx-location-nesting',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'proxy_busy_buffers_size above all proxy_buffers but one (http level, checked in the server)',
		mutate: b => main(insertAfter(b, 'access_log off;', '    proxy_busy_buffers_size 64k;')),
		nginxSays: /"proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer/,
		code: 'nginx-buffer-sizes',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'one uwsgi_buffers',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            uwsgi_buffers 1 16k;')),
		nginxSays: /there must be at least 2 "uwsgi_buffers"/,
		code: 'nginx-buffer-sizes',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 1,
	},
	{
		name: 'uwsgi_busy_buffers_size (http) below the uwsgi_buffer_size of a location',
		mutate: b => main(insertAfter(insertAfter(b, 'uwsgi_read_timeout 60s;', '            uwsgi_buffer_size 16k;'), 'access_log off;', '    uwsgi_busy_buffers_size 8k;')),
		nginxSays: /"uwsgi_busy_buffers_size" must be equal to or greater than the maximum of the value of "uwsgi_buffer_size" and one of the "uwsgi_buffers"/,
		code: 'nginx-buffer-sizes',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'uwsgi_max_temp_file_size neither 0 nor a buffer',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            uwsgi_max_temp_file_size 1k;')),
		nginxSays: /"uwsgi_max_temp_file_size" must be equal to zero to disable temporary files usage/,
		code: 'nginx-buffer-sizes',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 1,
	},
	{
		name: 'large_client_header_buffers smaller than connection_pool_size',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        large_client_header_buffers 4 256;')),
		nginxSays: /the "large_client_header_buffers" size must be equal to or greater than "connection_pool_size"/,
		code: 'nginx-buffer-sizes',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'gzip_window not in 512 … 32k',
		mutate: b => main(insertAfter(b, 'access_log off;', '    gzip_window 64k;')),
		nginxSays: /"gzip_window" directive must be 512, 1k, 2k, 4k, 8k, 16k, or 32k/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'connection_pool_size below 112',
		mutate: b => main(insertAfter(b, 'access_log off;', '    connection_pool_size 100;')),
		nginxSays: /the pool size must be no less than 112/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'http2_streams_index_size not a power of two',
		mutate: b => main(insertAfter(b, 'access_log off;', '    http2_streams_index_size 12;')),
		nginxSays: /"http2_streams_index_size" directive must be a power of two/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'an empty index name',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        index index.html "";')),
		nginxSays: /index "index.html" in "index" directive is invalid/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'error_page for a status error pages cannot catch (200)',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        error_page 200 /ok.html;')),
		nginxSays: /value "200" must be between 300 and 599/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'access_log flush= without a buffer',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        access_log logs/a.log combined flush=5s;')),
		nginxSays: /no buffer is defined for access_log "logs\/a.log"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'set of a name without $',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            set backend app;')),
		nginxSays: /invalid variable name "backend"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 1,
	},
	{
		name: 'worker_priority that is no number',
		mutate: b => main(insertAfter(b, 'daemon off;', 'worker_priority high;')),
		nginxSays: /"worker_priority" directive invalid number/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'daemon off;') + 1,
	},
	{
		name: 'an event method nginx does not have (use fast)',
		mutate: b => main(replaceOnce(b, 'events {}', 'events {\n    use fast;\n}')),
		nginxSays: /invalid event type "fast"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'events {}') + 1,
	},
	{
		name: 'keepalive 0 in an upstream',
		mutate: b => main(insertAfter(b, 'server unix:/run/uwsgi/app.sock;', '        keepalive 0;')),
		nginxSays: /invalid value "0" in "keepalive" directive/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'server unix:/run/uwsgi/app.sock;') + 1,
	},
	{
		name: 'variables_hash_max_size 0',
		mutate: b => main(insertAfter(b, 'access_log off;', '    variables_hash_max_size 0;')),
		nginxSays: /could not build variables_hash, you should increase variables_hash_max_size: 0/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'a time with its units out of order (30s1m)',
		mutate: b => main(insertAfter(b, 'access_log off;', '    send_timeout 30s1m;')),
		nginxSays: /"send_timeout" directive invalid value/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'a size past 2^63 (client_max_body_size 9223372036854775808)',
		mutate: b => main(replaceOnce(b, 'client_max_body_size 10m;', 'client_max_body_size 9223372036854775808;')),
		nginxSays: /"client_max_body_size" directive invalid value/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;'),
	},
	{
		name: 'include uwsgi_params inside an if: reported in uwsgi_params',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            if ($http_x_debug) { include uwsgi_params; }')),
		nginxSays: /"uwsgi_param" directive is not allowed here in .*uwsgi_params:2/,
		code: 'nginx-directive-not-allowed',
		file: 'uwsgi_params',
		line: 1,
	},
	{
		name: 'include uwsgi_params inside an if: reported at the include',
		mutate: b => main(insertAfter(b, 'uwsgi_read_timeout 60s;', '            if ($http_x_debug) { include uwsgi_params; }')),
		nginxSays: /"uwsgi_param" directive is not allowed here/,
		code: 'nginx-directive-not-allowed',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 1,
	},
	{
		name: 'a snippet with listen included in a location as well as in a server: reported in the snippet and at the include',
		mutate: b => ({ [MAIN]: insertAfter(insertAfter(b, 'uwsgi_read_timeout 60s;', '            include listen.conf;'), 'client_max_body_size 10m;', '        include listen.conf;'), 'listen.conf': `listen 127.0.0.1:${PORT + 1};\n` }),
		nginxSays: /"listen" directive is not allowed here in .*listen.conf:1/,
		code: 'nginx-directive-not-allowed',
		file: 'listen.conf',
		line: 0,
	},
	{
		name: 'duplicate across an include (a snippet sets proxy_buffering, the location again after it)',
		mutate: b => ({ [MAIN]: insertAfter(b, 'uwsgi_read_timeout 60s;', '            include buffering.conf;\n            uwsgi_buffering on;'), 'buffering.conf': 'uwsgi_buffering off;\n' }),
		nginxSays: /"uwsgi_buffering" directive is duplicate in .*nginx.conf/,
		code: 'nginx-duplicate-directive',
		line: lineOf(BASE, 'uwsgi_read_timeout 60s;') + 2,
	},
	{
		name: 'duplicate across an include (the location sets it before the snippet does): reported in the snippet',
		mutate: b => ({ [MAIN]: insertAfter(b, 'uwsgi_read_timeout 60s;', '            uwsgi_buffering on;\n            include buffering.conf;'), 'buffering.conf': 'uwsgi_buffering off;\n' }),
		nginxSays: /"uwsgi_buffering" directive is duplicate in .*buffering.conf:1/,
		code: 'nginx-duplicate-directive',
		file: 'buffering.conf',
		line: 0,
	},
	{
		name: 'proxy_redirect default in a snippet included before the proxy_pass',
		mutate: b => ({ [MAIN]: insertAfter(b, 'client_max_body_size 10m;', '        location /api/ { include redirect.conf; proxy_pass http://127.0.0.1:8000; }'), 'redirect.conf': 'proxy_redirect default;\n' }),
		nginxSays: /"proxy_redirect default" should be placed after the "proxy_pass" directive in .*redirect.conf:1/,
		code: 'nginx-misplaced-directive',
		file: 'redirect.conf',
		line: 0,
	},
	{
		name: 'a cache path parameter nginx does not have',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    uwsgi_cache_path cache keys_zone=app:10m levels=1:2 inactive=1h purge=on;')),
		nginxSays: /invalid parameter "purge=on"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 1,
	},
	{
		name: 'two caches on one folder',
		mutate: b => main(insertAfter(b, 'scgi_temp_path scgi_temp;', '    uwsgi_cache_path cache keys_zone=app:10m;\n    proxy_cache_path cache/ keys_zone=proxy:10m;')),
		nginxSays: /the same path name ".*cache" used in/,
		code: 'nginx-conflicting-declaration',
		line: lineOf(BASE, 'scgi_temp_path scgi_temp;') + 2,
	},
	{
		name: 'types_hash_max_size 0 at the http level (each server builds the types hash)',
		mutate: b => main(insertAfter(b, 'access_log off;', '    types_hash_max_size 0;')),
		nginxSays: /could not build types_hash, you should increase types_hash_max_size: 0/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'access_log off;') + 1,
	},
	{
		name: 'source_charset and charset without a charset_map between them',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        source_charset koi8-r;\n        charset utf-8;')),
		nginxSays: /no "charset_map" between the charsets "koi8-r" and "utf-8"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'return of a word that is neither a code nor a URL',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location = /gone { return gone; }')),
		nginxSays: /invalid return code "gone"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'a rewrite flag in the wrong case',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        rewrite ^/old/(.*)$ /new/$1 Permanent;')),
		nginxSays: /invalid parameter "Permanent"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
	{
		name: 'valid_referers with only none and blocked',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            valid_referers none blocked;')),
		nginxSays: /the "none" or "blocked" referers are specified in the "valid_referers" directive without any valid referer/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'alias /srv/app/static/;') + 1,
	},
	{
		name: 'an upstream of backup servers only',
		mutate: b => main(replaceOnce(b, 'server unix:/run/uwsgi/app.sock;', 'server unix:/run/uwsgi/app.sock backup;')),
		nginxSays: /no servers in upstream "app"/,
		code: 'nginx-empty-upstream',
		line: lineOf(BASE, 'upstream app {'),
	},
	{
		name: 'an unknown location modifier',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location ~~ /x { return 404; }')),
		nginxSays: /invalid location modifier "~~"/,
		code: 'nginx-invalid-value',
		line: lineOf(BASE, 'client_max_body_size 10m;') + 1,
	},
];

/** Mutations nginx -t accepts, next to the refusals above: we must report no error on them. */
const ACCEPTED: readonly { readonly name: string; readonly mutate: (base: string) => ConfigFiles }[] = [
	{ name: 'uwsgi_pass and proxy_pass in one location (the last one wins)', mutate: b => main(insertAfter(b, 'uwsgi_pass app;', '            proxy_pass http://127.0.0.1:8000;')) },
	{ name: 'a TLS default server with a certificate, another server on that address without one', mutate: b => main(b.replace(`listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT} ssl;\n        ssl_certificate /tmp/$ssl_server_name.crt;\n        ssl_certificate_key /tmp/$ssl_server_name.key;`).replace(/\n\}\n$/, `\n    server {\n        listen 127.0.0.1:${PORT} ssl;\n        server_name other.test;\n    }\n}\n`)) },
	{ name: 'a default server rejecting handshakes, the other one with a certificate', mutate: b => main(b.replace(`listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT} ssl;\n        ssl_reject_handshake on;`).replace(/\n\}\n$/, `\n    server {\n        listen 127.0.0.1:${PORT} ssl;\n        server_name other.test;\n        ssl_certificate /tmp/$ssl_server_name.crt;\n        ssl_certificate_key /tmp/$ssl_server_name.key;\n    }\n}\n`)) },
	{ name: 'the certificate in an include at http level', mutate: b => ({ [MAIN]: insertAfter(b.replace(`listen 127.0.0.1:${PORT};`, `listen 127.0.0.1:${PORT} ssl http2;`), 'access_log off;', '    include tls.conf;'), 'tls.conf': 'ssl_certificate /tmp/$ssl_server_name.crt;\nssl_certificate_key /tmp/$ssl_server_name.key;\nssl_verify_client optional_no_ca;\n' }) },
	{ name: 'upstream names are compared without case; addresses nginx reads', mutate: b => main(replaceOnce(b, 'uwsgi_pass app;', 'uwsgi_pass APP;').replace('server unix:/run/uwsgi/app.sock;', 'server unix:/run/uwsgi/app.sock;\n        server 127.0.0.1:08080;\n        server [::ffff:127.0.0.1]:3031;')) },
	{
		name: 'directives nginx takes twice (index, add_header, error_page, return) and one value per level',
		mutate: b => main(insertAfter(b, 'alias /srv/app/static/;', '            index a.html;\n            index b.html;\n            add_header X-A 1;\n            add_header X-A 2;\n            error_page 404 /a;\n            error_page 404 /b;\n            expires 1h;\n            if ($http_x_a) { expires off; }')),
	},
	{
		name: 'map_hash_bucket_size before the maps',
		mutate: b => main(insertAfter(b, 'access_log off;', '    map_hash_bucket_size 128;\n    map $uri $probe { default 0; }\n    map $uri $probe2 { default 1; }')),
	},
	{
		name: 'proxy_redirect default after proxy_pass, URI parts where nginx takes them',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location /api/ { proxy_pass http://127.0.0.1:8000/v1/; proxy_redirect default; }\n        location ~ \\.php$ { proxy_pass http://127.0.0.1:8000; }\n        location @app { proxy_pass http://unix:/run/app.sock:; }\n        location ~ ^/u/(.*)$ { proxy_pass http://127.0.0.1:8000/$1; }\n        location = /exact { proxy_pass http://127.0.0.1:8000/x; }')),
	},
	{
		name: 'buffer sizes that agree once merged (a location raising what http sets, 0 for max_temp_file_size)',
		mutate: b => main(insertAfter(insertAfter(b, 'uwsgi_read_timeout 60s;', '            uwsgi_buffer_size 16k;\n            uwsgi_busy_buffers_size 32k;'), 'access_log off;', '    uwsgi_buffers 8 16k;\n    uwsgi_max_temp_file_size 0;\n    proxy_busy_buffers_size 64k;\n    proxy_buffers 16 8k;')),
	},
	{
		name: 'values nginx takes next to the refused ones (gzip sizes, pool sizes, index, error_page, access_log, variables, times)',
		mutate: b => main(insertAfter(insertAfter(b, 'uwsgi_read_timeout 60s;', '            set $backend app;\n            index index.html /index.php;\n            error_page 404 = /x;\n            error_page 500 502 =200 /x;\n            access_log a.log combined buffer=32k flush=5s;\n            access_log b.log combined flush=1m gzip;'), 'access_log off;', '    gzip_window 32k;\n    gzip_hash 512;\n    connection_pool_size 512;\n    http2_streams_index_size 64;\n    send_timeout "1m 30s";\n    keepalive_requests 9223372036854775807;\n    map $uri $probe { default 0; ~^/a 1; }')),
	},
	{
		name: 'one snippet included in a server and in a location, holding what both allow',
		mutate: b => ({ [MAIN]: insertAfter(insertAfter(b, 'uwsgi_read_timeout 60s;', '            include common.conf;'), 'client_max_body_size 10m;', '        include common.conf;'), 'common.conf': 'add_header X-Frame-Options DENY;\nuwsgi_param HTTP_X_APP 1;\n' }),
	},
	{
		name: 'a snippet included in several locations, each setting other once-only values; proxy_redirect default in a snippet after the proxy_pass',
		mutate: b => ({ [MAIN]: insertAfter(insertAfter(b, 'uwsgi_read_timeout 60s;', '            include buffering.conf;'), 'client_max_body_size 10m;', '        location /api/ { proxy_pass http://127.0.0.1:8000; include redirect.conf; include buffering.conf; }'), 'buffering.conf': 'uwsgi_buffering off;\n', 'redirect.conf': 'proxy_redirect default;\n' }),
	},
	{
		name: 'source_charset and charset with the koi-utf map included',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        source_charset koi8-r;\n        charset utf-8;').replace('include mime.types;', 'include mime.types;\n    include /etc/nginx/koi-utf;')),
	},
	{
		name: 'root in a named location, a prefix location nested in a regex location it starts with',
		mutate: b => main(insertAfter(b, 'client_max_body_size 10m;', '        location @fallback { root /srv/app; }\n        location ~ /api { location /api/v1 { return 404; } }')),
	},
];

/** Every file of the tree (sub-folders too), main first (called before nginx runs, so these are config files only). */
function configFiles(dir: string): string[] {
	const names = [MAIN, ...(fs.readdirSync(dir, { recursive: true }) as string[]).filter(n => n !== MAIN).sort()];
	return names.filter(n => fs.statSync(path.join(dir, n)).isFile()).map(n => path.join(dir, n));
}

/** Our diagnostics for every file of the tree, by file path. */
function validateTree(dir: string): Map<string, Diagnostic[]> {
	const service = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
	const docs = configFiles(dir).map(f => ({ file: f, doc: TextDocument.create(pathToUri(f), 'nginx', 1, fs.readFileSync(f, 'utf8')) }));
	for (const { doc } of docs) { service.workspace.set(doc, 'nginx'); }
	return new Map(docs.map(({ file, doc }) => [file, service.doValidation(doc)]));
}

const show = (ds: readonly Diagnostic[]) =>
	ds.map(d => `  ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} [${d.severity}] ${String(d.code)}: ${d.message}`).join('\n') || '  (none)';

describe('real nginx -t agrees with our nginx diagnostics', () => {
	const dirs: string[] = [];
	before(() => requireProgram('nginx', 'apt-get install nginx-core (scripts/test-all.sh does it)'));
	after(() => { for (const d of dirs) { fs.rmSync(d, { recursive: true, force: true }); } });

	/** Writes a variant's tree into a fresh temp dir; returns nginx's verdict and our diagnostics. */
	const check = (files: ConfigFiles) => {
		const dir = makeConfigDir();
		dirs.push(dir);
		writeConfigTree(dir, files);
		const ours = validateTree(dir);
		const nginx = nginxTest(dir);
		return { dir, ours, nginx };
	};

	it('the base config passes nginx -t and has no error from us', () => {
		const { dir, ours, nginx } = check(main(BASE));
		assert.equal(nginx.status, 0, `nginx -t refused the base config:\n${nginx.output}`);
		const errors = [...ours.values()].flat().filter(d => d.severity === ERROR);
		assert.deepEqual(errors, [], `our errors on the base config:\n${show(errors)}`);
		assert.ok(ours.has(path.join(dir, MAIN)));
	});

	it('a missing ; before a line nginx swallows into server_name: nginx -t accepts, we warn (nginx-missing-semicolon), no error', () => {
		const text = replaceOnce(BASE, 'server_name example.test;', 'server_name example.test\n        charset utf-8;');
		const { dir, ours, nginx } = check(main(text));
		assert.equal(nginx.status, 0, `nginx -t refused it:\n${nginx.output}`);
		const all = ours.get(path.join(dir, MAIN)) ?? [];
		assert.deepEqual(all.filter(d => d.severity === ERROR), [], show(all));
		assert.ok(all.some(d => d.code === 'nginx-missing-semicolon' && d.range.start.line === lineOf(BASE, 'server_name example.test;')), show(all));
	});

	it('times and sizes: nginx -t and our reading agree on each (unit order, blanks, overflow past 2^63)', () => {
		const times = ['30s', '1m30s', '"1m 30s"', '30s1m', '1h1h', '500ms', '1s500ms', '1y', '1M', '2w', '1d12h', '1m30', '" 30s"', '"30 s"', '"30 "', '1ms1s', 's', '0',
			'99999999999999999', '9223372036854775ms', '106751991167d', '106751991168d', '"1h 30m 10s"', '10h5m3s20ms', '1y2M', '1y1y', '12x'];
		const sizes = ['1k', '1K', '9007199254740991k', '9007199254740992k', '9223372036854775807', '9223372036854775808', '8796093022207m', '8796093022208m', '1g', '8589934591g', '8589934592g', 'k', '1kb'];
		const lines = [
			...times.flatMap(t => [`send_timeout ${t};`, `ssl_session_timeout ${t};`]),
			...sizes.flatMap(v => [`client_body_buffer_size ${v};`, `client_max_body_size ${v};`]),
		];
		const wrong: string[] = [];
		for (const line of lines) {
			const text = insertAfter(BASE, 'access_log off;', `    ${line}`);
			const { dir, ours, nginx } = check(main(text));
			const refused = nginx.status !== 0;
			const mine = (ours.get(path.join(dir, MAIN)) ?? []).some(d => d.severity === ERROR && d.range.start.line === lineOf(BASE, 'access_log off;') + 1);
			if (refused !== mine) { wrong.push(`${line}: nginx ${refused ? 'refuses' : 'accepts'} it, we ${mine ? 'report an error' : 'report none'}${refused ? ` (${nginx.output.trim().split('\n')[0]})` : ''}`); }
		}
		assert.deepEqual(wrong, []);
	});

	for (const v of ACCEPTED) {
		it(`${v.name}: nginx -t accepts it and we report no error`, () => {
			const { ours, nginx } = check(v.mutate(BASE));
			assert.equal(nginx.status, 0, `nginx -t refused it:\n${nginx.output}`);
			const errors = [...ours.values()].flat().filter(d => d.severity === ERROR);
			assert.deepEqual(errors, [], `our errors:\n${show(errors)}`);
		});
	}

	for (const v of [...VARIANTS, ...CONSTRAINT_VARIANTS]) {
		it(`${v.name}: nginx -t fails and we report ${v.code}`, () => {
			const files = v.mutate(BASE);
			const { dir, ours, nginx } = check(files);
			assert.notEqual(nginx.status, 0, `nginx -t accepted the variant:\n${files[MAIN]}`);
			const said = nginx.output + (nginx.signal ? `\n(killed by ${nginx.signal})` : '');
			assert.match(said, v.nginxSays, `nginx -t said something else:\n${said}`);
			const file = path.join(dir, v.file ?? MAIN);
			const diagnostics = ours.get(file) ?? [];
			const hit = diagnostics.find(d => d.code === v.code && d.severity === ERROR && d.range.start.line <= v.line && v.line <= d.range.end.line);
			assert.ok(hit, `no error ${v.code} on line ${v.line} of ${v.file ?? MAIN}; nginx said:\n${nginx.output.trim()}\nwe said:\n${show(diagnostics)}`);
		});
	}
});
