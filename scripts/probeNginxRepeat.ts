/**
 * Asks the installed nginx which directives with a custom setter refuse a second occurrence at
 * the same level ("directive is duplicate"), and writes the answers to scripts/data/nginx-repeat.json,
 * the fact table the data generator reads (scripts/generateData.ts).
 *
 *   npm run build && node out/scripts/probeNginxRepeat.js [../shared/reference]
 *
 * The reference tables mark the repeat rule of the directives whose setter is one of nginx's slot
 * setters; for the others (custom setters, `repeat_same_level: null`) the only way to know is to
 * ask. Every such definition is written twice at one level, in every context the installed nginx
 * allows it in, with arguments it accepts (SAMPLES below); a second, different value (`args2`)
 * tells "refused whatever the value" from "refused only when it repeats the same key" (limit_conn
 * of one zone). A definition the installed nginx does not have, or cannot check on this machine
 * (a GeoIP database, Perl), gets no entry: the check then stays silent on it.
 *
 * test/integration/nginxRepeat.test.ts asks the binary again for every entry of the table.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One probe sample: the arguments (as written), a different second value, and what it needs around it. */
export interface RepeatSample {
	readonly args: string;
	/** A second value that differs in its key (zone, name, path): is the repeat refused for any value? */
	readonly args2?: string;
	/** Statements the probe needs at the http (stream, mail, main) level, before the probed block. */
	readonly setup?: string;
	/** The probe is a block: its body. */
	readonly body?: string;
	/** The same key twice is refused for another reason (a name defined twice): only two different values are asked. */
	readonly keyed?: boolean;
}

/** One row of the fact table. */
export interface RepeatFact {
	readonly name: string;
	readonly module: string;
	/** Context → verdict of the same value twice: `error` (is duplicate) or `accepted`. */
	readonly same: Record<string, 'error' | 'accepted'>;
	/** Context → verdict of two different values (only when the sample has args2). */
	readonly different?: Record<string, 'error' | 'accepted'>;
	readonly sample: RepeatSample;
}

export interface RepeatTable {
	readonly nginx: string;
	readonly about: string;
	readonly directives: readonly RepeatFact[];
	/** Definitions with a custom setter that were not asked, and why (`name module: reason`). */
	readonly notAsked: readonly string[];
}

const HTTP_CACHE = (p: string) => `${p}_cache_path cache/${p} keys_zone=${p}z:1m;`;

/** Samples by `name` (or `name module` where the modules differ). */
export const SAMPLES: Record<string, RepeatSample> = {
	// main, events
	'worker_processes': { args: '1' },
	'user': { args: 'nobody nogroup' },
	'worker_priority': { args: '0' },
	'worker_cpu_affinity': { args: 'auto' },
	'env': { args: 'PROBE_A', args2: 'PROBE_B' },
	'error_log ngx_errlog_module': { args: 'logs/e1.log', args2: 'logs/e2.log' },
	'thread_pool': { args: 'p1 threads=2', args2: 'p2 threads=2', keyed: true },
	'worker_connections': { args: '512' },
	'use': { args: 'epoll' },
	'debug_connection': { args: '127.0.0.1', args2: '127.0.0.2' },
	// http
	'allow': { args: '127.0.0.1', args2: '10.0.0.0/8' },
	'deny': { args: '127.0.0.1', args2: '10.0.0.0/8' },
	'addition_types': { args: 'text/plain', args2: 'text/css' },
	'auth_basic': { args: 'realm', args2: 'other' },
	'auth_basic_user_file': { args: 'htpasswd', args2: 'htpasswd2' },
	'auth_request': { args: '/auth', args2: '/auth2' },
	'auth_request_set': { args: '$probe_a $upstream_status', args2: '$probe_b $upstream_status' },
	'modern_browser': { args: 'msie 5.5', args2: 'gecko 1.0' },
	'ancient_browser': { args: 'Lynx', args2: 'Links' },
	'modern_browser_value': { args: 'modern', args2: 'other' },
	'ancient_browser_value': { args: 'ancient', args2: 'other' },
	'charset': { args: 'utf-8', args2: 'koi8-r' },
	'source_charset': { args: 'utf-8', args2: 'koi8-r' },
	'charset_types': { args: 'text/plain', args2: 'text/css' },
	'charset_map': { args: 'koi8-r windows-1251', args2: 'koi8-u windows-1251', body: 'C0 FE;', keyed: true },
	'dav_access': { args: 'user:rw', args2: 'group:rw' },
	'degradation': { args: 'sbrk=500m' },
	'empty_gif': { args: '' },
	'flv': { args: '' },
	'mp4': { args: '' },
	'stub_status': { args: '' },
	'fastcgi_pass': { args: '127.0.0.1:9000', args2: '127.0.0.1:9001' },
	'uwsgi_pass': { args: '127.0.0.1:9000', args2: '127.0.0.1:9001' },
	'scgi_pass': { args: '127.0.0.1:9000', args2: '127.0.0.1:9001' },
	'grpc_pass': { args: '127.0.0.1:9000', args2: '127.0.0.1:9001' },
	'memcached_pass': { args: '127.0.0.1:9000', args2: '127.0.0.1:9001' },
	'proxy_pass ngx_http_proxy_module': { args: 'http://127.0.0.1:9000', args2: 'http://127.0.0.1:9001' },
	'fastcgi_split_path_info': { args: '^(.+)(/.*)$', args2: '^(.+)(/.+)$' },
	'fastcgi_store': { args: 'on', args2: 'off' },
	'scgi_store': { args: 'on', args2: 'off' },
	'uwsgi_store': { args: 'on', args2: 'off' },
	'proxy_store': { args: 'on', args2: 'off' },
	'fastcgi_store_access': { args: 'user:rw', args2: 'group:rw' },
	'scgi_store_access': { args: 'user:rw', args2: 'group:rw' },
	'uwsgi_store_access': { args: 'user:rw', args2: 'group:rw' },
	'proxy_store_access': { args: 'user:rw', args2: 'group:rw' },
	'fastcgi_bind': { args: '127.0.0.1', args2: 'off' },
	'scgi_bind': { args: '127.0.0.1', args2: 'off' },
	'uwsgi_bind': { args: '127.0.0.1', args2: 'off' },
	'grpc_bind': { args: '127.0.0.1', args2: 'off' },
	'memcached_bind': { args: '127.0.0.1', args2: 'off' },
	'tunnel_bind': { args: '127.0.0.1', args2: 'off' },
	'proxy_bind ngx_http_proxy_module': { args: '127.0.0.1', args2: 'off' },
	'fastcgi_limit_rate': { args: '1k', args2: '2k' },
	'scgi_limit_rate': { args: '1k', args2: '2k' },
	'uwsgi_limit_rate': { args: '1k', args2: '2k' },
	'proxy_limit_rate': { args: '1k', args2: '2k' },
	'limit_rate': { args: '1k', args2: '2k' },
	'limit_rate_after': { args: '1k', args2: '2k' },
	'fastcgi_cache': { args: 'fastcgiz', args2: 'off', setup: HTTP_CACHE('fastcgi') },
	'scgi_cache': { args: 'scgiz', args2: 'off', setup: HTTP_CACHE('scgi') },
	'uwsgi_cache': { args: 'uwsgiz', args2: 'off', setup: HTTP_CACHE('uwsgi') },
	'proxy_cache': { args: 'proxyz', args2: 'off', setup: HTTP_CACHE('proxy') },
	'fastcgi_cache_key': { args: '$uri', args2: '$host$uri' },
	'scgi_cache_key': { args: '$uri', args2: '$host$uri' },
	'uwsgi_cache_key': { args: '$uri', args2: '$host$uri' },
	'proxy_cache_key': { args: '$uri', args2: '$host$uri' },
	'fastcgi_cache_path': { args: 'cache/f1 keys_zone=f1:1m', args2: 'cache/f2 keys_zone=f2:1m', keyed: true },
	'scgi_cache_path': { args: 'cache/s1 keys_zone=s1:1m', args2: 'cache/s2 keys_zone=s2:1m', keyed: true },
	'uwsgi_cache_path': { args: 'cache/u1 keys_zone=u1:1m', args2: 'cache/u2 keys_zone=u2:1m', keyed: true },
	'proxy_cache_path': { args: 'cache/p1 keys_zone=p1:1m', args2: 'cache/p2 keys_zone=p2:1m', keyed: true },
	'fastcgi_cache_bypass': { args: '$cookie_a', args2: '$arg_b' },
	'scgi_cache_bypass': { args: '$cookie_a', args2: '$arg_b' },
	'uwsgi_cache_bypass': { args: '$cookie_a', args2: '$arg_b' },
	'proxy_cache_bypass': { args: '$cookie_a', args2: '$arg_b' },
	'fastcgi_no_cache': { args: '$cookie_a', args2: '$arg_b' },
	'scgi_no_cache': { args: '$cookie_a', args2: '$arg_b' },
	'uwsgi_no_cache': { args: '$cookie_a', args2: '$arg_b' },
	'proxy_no_cache': { args: '$cookie_a', args2: '$arg_b' },
	'client_body_early_read': { args: '$arg_a', args2: '$arg_b' },
	'early_hints': { args: '$arg_a', args2: '$arg_b' },
	'fastcgi_cache_valid': { args: '200 1m', args2: '404 1m' },
	'scgi_cache_valid': { args: '200 1m', args2: '404 1m' },
	'uwsgi_cache_valid': { args: '200 1m', args2: '404 1m' },
	'proxy_cache_valid': { args: '200 1m', args2: '404 1m' },
	'fastcgi_temp_path': { args: 'temp/f1', args2: 'temp/f2' },
	'scgi_temp_path': { args: 'temp/s1', args2: 'temp/s2' },
	'uwsgi_temp_path': { args: 'temp/u1', args2: 'temp/u2' },
	'proxy_temp_path': { args: 'temp/p1', args2: 'temp/p2' },
	'client_body_temp_path': { args: 'temp/c1', args2: 'temp/c2' },
	'fastcgi_param': { args: 'A b', args2: 'B c' },
	'scgi_param': { args: 'A b', args2: 'B c' },
	'uwsgi_param': { args: 'A b', args2: 'B c' },
	'geo ngx_http_geo_module': { args: '$probe_g1', args2: '$probe_g2', body: 'default 0;' },
	'geo ngx_stream_geo_module': { args: '$probe_g1', args2: '$probe_g2', body: 'default 0;' },
	'grpc_ssl_name': { args: 'a.example', args2: 'b.example' },
	'proxy_ssl_name': { args: 'a.example', args2: 'b.example' },
	'uwsgi_ssl_name': { args: 'a.example', args2: 'b.example' },
	'grpc_ssl_certificate': { args: 'c1.pem', args2: 'c2.pem' },
	'proxy_ssl_certificate': { args: 'c1.pem', args2: 'c2.pem' },
	'uwsgi_ssl_certificate': { args: 'c1.pem', args2: 'c2.pem' },
	'grpc_ssl_certificate_key': { args: 'k1.pem', args2: 'k2.pem' },
	'proxy_ssl_certificate_key': { args: 'k1.pem', args2: 'k2.pem' },
	'uwsgi_ssl_certificate_key': { args: 'k1.pem', args2: 'k2.pem' },
	'grpc_ssl_password_file': { args: 'pw', args2: 'pw2' },
	'proxy_ssl_password_file': { args: 'pw', args2: 'pw2' },
	'uwsgi_ssl_password_file': { args: 'pw', args2: 'pw2' },
	'ssl_password_file': { args: 'pw', args2: 'pw2' },
	'gzip_types': { args: 'text/plain', args2: 'text/css' },
	'ssi_types': { args: 'text/plain', args2: 'text/css' },
	'sub_filter_types': { args: 'text/plain', args2: 'text/css' },
	'xslt_types': { args: 'text/plain', args2: 'text/css' },
	'expires': { args: '1h', args2: 'off' },
	'add_header': { args: 'X-A b', args2: 'X-B c' },
	'add_trailer': { args: 'X-A b', args2: 'X-B c' },
	'image_filter': { args: 'resize 10 10', args2: 'rotate 90' },
	'image_filter_jpeg_quality': { args: '75', args2: '80' },
	'image_filter_webp_quality': { args: '75', args2: '80' },
	'image_filter_sharpen': { args: '10', args2: '20' },
	'index': { args: 'index.html', args2: 'index.htm' },
	'limit_conn_zone ngx_http_limit_conn_module': { args: '$binary_remote_addr zone=lc1:1m', args2: '$binary_remote_addr zone=lc2:1m', keyed: true },
	'limit_conn_zone ngx_stream_limit_conn_module': { args: '$binary_remote_addr zone=lc1:1m', args2: '$binary_remote_addr zone=lc2:1m', keyed: true },
	'limit_conn ngx_http_limit_conn_module': { args: 'lca 1', args2: 'lcb 1', setup: 'limit_conn_zone $binary_remote_addr zone=lca:1m; limit_conn_zone $binary_remote_addr zone=lcb:1m;' },
	'limit_conn ngx_stream_limit_conn_module': { args: 'lca 1', args2: 'lcb 1', setup: 'limit_conn_zone $binary_remote_addr zone=lca:1m; limit_conn_zone $binary_remote_addr zone=lcb:1m;' },
	'limit_req_zone': { args: '$binary_remote_addr zone=lr1:1m rate=1r/s', args2: '$binary_remote_addr zone=lr2:1m rate=1r/s', keyed: true },
	'limit_req': { args: 'zone=lra', args2: 'zone=lrb', setup: 'limit_req_zone $binary_remote_addr zone=lra:1m rate=1r/s; limit_req_zone $binary_remote_addr zone=lrb:1m rate=1r/s;' },
	'log_format ngx_http_log_module': { args: 'f1 $uri', args2: 'f2 $uri', keyed: true },
	'log_format ngx_stream_log_module': { args: 'f1 $protocol', args2: 'f2 $protocol', keyed: true },
	'access_log ngx_http_log_module': { args: 'logs/a1.log', args2: 'logs/a2.log' },
	'access_log ngx_stream_log_module': { args: 'logs/a1.log sf', args2: 'logs/a2.log sf', setup: 'log_format sf $protocol;' },
	'open_log_file_cache': { args: 'max=10', args2: 'off' },
	'map ngx_http_map_module': { args: '$uri $probe_m1', args2: '$uri $probe_m2', body: 'default 0;' },
	'map ngx_stream_map_module': { args: '$protocol $probe_m1', args2: '$protocol $probe_m2', body: 'default 0;' },
	'mirror': { args: '/m1', args2: '/m2' },
	'proxy_redirect': { args: 'http://a/ /', args2: 'http://b/ /' },
	'proxy_cookie_domain': { args: 'a.example b.example', args2: 'c.example d.example' },
	'proxy_cookie_path': { args: '/a /b', args2: '/c /d' },
	'proxy_cookie_flags': { args: 'one secure', args2: 'two httponly' },
	'proxy_method': { args: 'GET', args2: 'POST' },
	'set_real_ip_from ngx_http_realip_module': { args: '10.0.0.0/8', args2: '192.168.0.0/16' },
	'set_real_ip_from ngx_stream_realip_module': { args: '10.0.0.0/8', args2: '192.168.0.0/16' },
	'set_real_ip_from ngx_mail_realip_module': { args: '10.0.0.0/8', args2: '192.168.0.0/16' },
	'real_ip_header': { args: 'X-Real-IP', args2: 'X-Forwarded-For' },
	'valid_referers': { args: 'none a.example', args2: 'blocked b.example', keyed: true },
	'rewrite': { args: '^/a /b', args2: '^/c /d' },
	'return ngx_http_rewrite_module': { args: '200', args2: '404' },
	'break': { args: '' },
	'if': { args: '($uri)', args2: '($args)', body: 'return 404;' },
	'set ngx_http_rewrite_module': { args: '$probe_s a', args2: '$probe_t b' },
	'set ngx_stream_set_module': { args: '$probe_s a', args2: '$probe_t b' },
	'secure_link': { args: '$arg_a', args2: '$arg_b' },
	'secure_link_md5': { args: '$uri', args2: '$host' },
	'split_clients ngx_http_split_clients_module': { args: '$uri $probe_c1', args2: '$uri $probe_c2', body: '* a;' },
	'split_clients ngx_stream_split_clients_module': { args: '$remote_addr $probe_c1', args2: '$remote_addr $probe_c2', body: '* a;' },
	'ssl_session_cache ngx_http_ssl_module': { args: 'shared:S1:1m', args2: 'shared:S2:1m' },
	'ssl_session_cache ngx_stream_ssl_module': { args: 'shared:S1:1m', args2: 'shared:S2:1m' },
	'ssl_session_cache ngx_mail_ssl_module': { args: 'shared:S1:1m', args2: 'shared:S2:1m' },
	'ssl_ocsp_cache': { args: 'shared:O1:1m', args2: 'shared:O2:1m' },
	'sub_filter': { args: 'a b', args2: 'c d' },
	'try_files': { args: '$uri =404', args2: '$uri/ =404' },
	'hash ngx_http_upstream_hash_module': { args: '$uri', args2: '$host' },
	'hash ngx_stream_upstream_hash_module': { args: '$remote_addr', args2: '$server_port' },
	'ip_hash': { args: '' },
	'least_conn': { args: '' },
	'random': { args: '', args2: 'two' },
	'keepalive': { args: '8', args2: '16' },
	'zone': { args: 'z1 64k', args2: 'z2 64k' },
	'userid_expires': { args: '1d', args2: 'max' },
	'userid_mark': { args: 'A', args2: 'B' },
	'xml_entities': { args: 'entities.dtd', args2: 'entities2.dtd' },
	'xslt_stylesheet': { args: 'style.xsl', args2: 'style2.xsl' },
	'xslt_param': { args: 'a $uri', args2: 'b $uri' },
	'xslt_string_param': { args: 'a x', args2: 'b y' },
	'location': { args: '/a', args2: '/b', body: '', keyed: true },
	'server ngx_http_core_module': { args: '', body: 'listen 127.0.0.1:18081;' },
	'listen ngx_http_core_module': { args: '127.0.0.1:18082', args2: '127.0.0.1:18083', keyed: true },
	'server_name ngx_http_core_module': { args: 'a.example', args2: 'b.example' },
	'types': { args: '', body: 'text/x-a xa;' },
	'root': { args: '/srv/a', args2: '/srv/b' },
	'alias': { args: '/srv/a/', args2: '/srv/b/' },
	'limit_except': { args: 'GET', args2: 'POST', body: 'deny all;' },
	'aio': { args: 'threads', args2: 'off' },
	'directio': { args: '4m', args2: 'off' },
	'keepalive_timeout': { args: '60', args2: '30' },
	'internal': { args: '' },
	'error_page': { args: '404 /404.html', args2: '500 /500.html' },
	'error_log ngx_http_core_module': { args: 'logs/e1.log', args2: 'logs/e2.log' },
	'open_file_cache': { args: 'max=10', args2: 'off' },
	'resolver ngx_http_core_module': { args: '127.0.0.1', args2: '127.0.0.2' },
	'gzip_disable': { args: 'msie6', args2: 'x' },
	'disable_symlinks': { args: 'on', args2: 'off' },
	'upstream ngx_http_upstream_module': { args: 'u1', args2: 'u2', body: 'server 127.0.0.1:9;', keyed: true },
	'upstream ngx_stream_upstream_module': { args: 'u1', args2: 'u2', body: 'server 127.0.0.1:9;', keyed: true },
	'server ngx_http_upstream_module': { args: '127.0.0.1:8001', args2: '127.0.0.1:8002' },
	'server ngx_stream_upstream_module': { args: '127.0.0.1:8001', args2: '127.0.0.1:8002' },
	// mail
	'auth_http': { args: '127.0.0.1:9/a', args2: '127.0.0.1:9/b' },
	'auth_http_header': { args: 'X-A b', args2: 'X-B c' },
	'server ngx_mail_core_module': { args: '', body: 'listen 127.0.0.1:18025; protocol smtp;', keyed: true },
	'listen ngx_mail_core_module': { args: '127.0.0.1:18026', args2: '127.0.0.1:18027', keyed: true },
	'protocol': { args: 'smtp', args2: 'imap' },
	'error_log ngx_mail_core_module': { args: 'logs/e1.log', args2: 'logs/e2.log' },
	'resolver ngx_mail_core_module': { args: '127.0.0.1', args2: '127.0.0.2' },
	'imap_capabilities': { args: 'IMAP4', args2: 'IMAP4rev1' },
	'pop3_capabilities': { args: 'TOP', args2: 'USER' },
	'smtp_capabilities': { args: 'SIZE', args2: 'VRFY' },
	'starttls': { args: 'off', args2: 'off' },
	// stream
	'server ngx_stream_core_module': { args: '', body: 'listen 127.0.0.1:18090; return x;', keyed: true },
	'listen ngx_stream_core_module': { args: '127.0.0.1:18091', args2: '127.0.0.1:18092', keyed: true },
	'server_name ngx_stream_core_module': { args: 'a.example', args2: 'b.example' },
	'error_log ngx_stream_core_module': { args: 'logs/e1.log', args2: 'logs/e2.log' },
	'resolver ngx_stream_core_module': { args: '127.0.0.1', args2: '127.0.0.2' },
	'pass': { args: '127.0.0.1:9', args2: '127.0.0.1:10' },
	'proxy_pass ngx_stream_proxy_module': { args: '127.0.0.1:9', args2: '127.0.0.1:10' },
	'proxy_bind ngx_stream_proxy_module': { args: '127.0.0.1', args2: 'off' },
	'proxy_upload_rate': { args: '1k', args2: '2k' },
	'proxy_download_rate': { args: '1k', args2: '2k' },
	'proxy_ssl_alpn': { args: 'h2', args2: 'http/1.1' },
	'return ngx_stream_return_module': { args: 'x', args2: 'y' },
	'ssl_alpn': { args: 'h2', args2: 'http/1.1' },
	// njs
	'js_import': { args: 'p1 from probe.js', args2: 'p2 from probe.js', keyed: true },
	'js_set': { args: '$probe_j1 pj.f', args2: '$probe_j2 pj.f', setup: 'js_import pj from probe.js;' },
	'js_var': { args: '$probe_v1', args2: '$probe_v2' },
	'js_content': { args: 'pj.f', args2: 'pj.g', setup: 'js_import pj from probe.js;' },
	'js_access': { args: 'pj.f', args2: 'pj.g', setup: 'js_import pj from probe.js;' },
	'js_body_filter': { args: 'pj.f', args2: 'pj.g', setup: 'js_import pj from probe.js;' },
	'js_engine': { args: 'njs', args2: 'qjs' },
	'js_periodic': { args: 'pj.f', args2: 'pj.g', setup: 'js_import pj from probe.js;' },
	'js_preload_object': { args: 'o1 from o.json', args2: 'o2 from o.json' },
	'js_shared_dict_zone': { args: 'zone=j1:1m', args2: 'zone=j2:1m' },
	'js_fetch_proxy': { args: 'http://127.0.0.1:3128', args2: 'http://127.0.0.1:3129' },
};

/** Definitions nobody can ask on this machine (files or modules it lacks), and why. */
const CANNOT_ASK: Record<string, string> = {
	'ssl_engine': 'needs an OpenSSL engine',
	'load_module': 'loading a module twice fails for another reason ("already loaded")',
	'include': 'reads files; any number are allowed',
	'events': 'once per configuration (a rule of its own)',
	'http': 'once per configuration (a rule of its own)',
	'mail': 'once per configuration (a rule of its own)',
	'stream': 'once per configuration (a rule of its own)',
	'geoip_country': 'needs a GeoIP database',
	'geoip_org': 'needs a GeoIP database',
	'geoip_city': 'needs a GeoIP database',
	'geoip_proxy': 'needs a GeoIP database',
	'perl': 'the Perl module is not loaded',
	'perl_set': 'the Perl module is not loaded',
};

/** The probed files every probe folder gets. */
const FILES: Record<string, string> = {
	'htpasswd': 'u:x\n', 'htpasswd2': 'u:x\n', 'pw': 'secret\n', 'pw2': 'secret\n',
	'entities.dtd': '<!ENTITY probe "x">\n', 'entities2.dtd': '<!ENTITY probe2 "y">\n',
	'style.xsl': '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n',
	'style2.xsl': '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n',
	'probe.js': 'function f(r) { return "x"; }\nfunction g(r) { return "y"; }\nexport default { f, g };\n',
	'o.json': '{}\n',
};

const MODULES_DIR = '/usr/lib/nginx/modules';
const MODULES = ['ngx_stream_module.so', 'ngx_mail_module.so', 'ngx_http_image_filter_module.so', 'ngx_http_xslt_filter_module.so', 'ngx_http_js_module.so', 'ngx_stream_js_module.so'];

export function sampleFor(name: string, module: string): RepeatSample | undefined {
	return SAMPLES[`${name} ${module}`] ?? SAMPLES[name];
}

/** The statement of a sample (a block when it has a body). */
export function statement(name: string, args: string, s: RepeatSample): string {
	const head = args ? `${name} ${args}` : name;
	return s.body !== undefined ? `${head} { ${s.body} }` : `${head};`;
}

/**
 * The config text that puts the two statements `a` and `b` (one per line) in context `ctx`,
 * with the sample's setup at the level above; returns the text and the 1-based line of `b`.
 */
export function probeText(ctx: string, a: string, b: string, s: RepeatSample, name: string): { text: string; line: number } {
	const modules = MODULES.filter(m => fs.existsSync(path.join(MODULES_DIR, m))).map(m => `load_module ${path.join(MODULES_DIR, m)};`);
	const setup = s.setup ?? '';
	const inner = `${a}\n${b}\n`;
	// a stream server needs a handler, unless the probe is one
	const streamHandler = ['return', 'proxy_pass', 'pass'].includes(name) ? '' : 'return x;\n';
	const mailServer = 'listen 127.0.0.1:18025; protocol smtp; auth_http 127.0.0.1:9/a;\n';
	let body: string;
	switch (ctx) {
		case 'main': body = `${setup}\n${inner}events {}\n`; break;
		case 'events': body = `events {\n${inner}}\n`; break;
		case 'http': body = `events {}\nhttp {\n${setup}\n${inner}}\n`; break;
		case 'http.server': body = `events {}\nhttp {\n${setup}\nserver {\n${inner}}\n}\n`; break;
		case 'http.location': body = `events {}\nhttp {\n${setup}\nserver {\nlocation / {\n${inner}}\n}\n}\n`; break;
		case 'http.location.if': body = `events {}\nhttp {\n${setup}\nserver {\nlocation / {\nif ($uri) {\n${inner}}\n}\n}\n}\n`; break;
		case 'http.server.if': body = `events {}\nhttp {\n${setup}\nserver {\nif ($uri) {\n${inner}}\n}\n}\n`; break;
		case 'http.limit_except': body = `events {}\nhttp {\n${setup}\nserver {\nlocation / {\nlimit_except GET {\n${inner}}\n}\n}\n}\n`; break;
		case 'http.upstream': body = `events {}\nhttp {\n${setup}\nupstream u {\nserver 127.0.0.1:9;\n${inner}}\n}\n`; break;
		case 'stream': body = `events {}\nstream {\n${setup}\n${inner}}\n`; break;
		case 'stream.server': body = `events {}\nstream {\n${setup}\nserver {\nlisten 127.0.0.1:9999;\n${inner}${streamHandler}}\n}\n`; break;
		case 'stream.upstream': body = `events {}\nstream {\n${setup}\nupstream u {\nserver 127.0.0.1:9;\n${inner}}\n}\n`; break;
		case 'mail': body = `events {}\nmail {\n${setup}\n${inner}server {\n${mailServer}}\n}\n`; break;
		case 'mail.server': body = `events {}\nmail {\n${setup}\nserver {\n${mailServer}${inner}}\n}\n`; break;
		default: throw new Error(`no probe layout for ${ctx}`);
	}
	const text = `${modules.join('\n')}\npid nginx.pid;\n${body}`;
	// the second statement is on the line after the first (they may read the same)
	const line = text.split('\n').indexOf(a) + 2;
	return { text, line };
}

/** What nginx -t says about `text` (run in a folder of its own with the probe files); the exit status is appended when not 0. */
export function runProbe(text: string): Promise<string> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-repeat-'));
	for (const sub of ['logs', 'temp', 'cache']) { fs.mkdirSync(path.join(dir, sub)); }
	for (const [n, t] of Object.entries(FILES)) { fs.writeFileSync(path.join(dir, n), t); }
	fs.writeFileSync(path.join(dir, 'nginx.conf'), text);
	return new Promise(resolve => {
		let out = '';
		const child = spawn('nginx', ['-t', '-q', '-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
		const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
		child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
		child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
		const done = (status: number | null, extra = '') => {
			clearTimeout(timer);
			fs.rmSync(dir, { recursive: true, force: true });
			resolve(`${out}${extra}${status === 0 ? '' : `\n(exit ${status})`}`);
		};
		child.on('error', e => done(127, `cannot run nginx: ${e.message}`));
		child.on('close', code => done(code));
	});
}

/** Runs `work` over `items`, `width` at a time. */
export async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(Array.from({ length: width }, async () => {
		while (next < items.length) { await work(items[next++]); }
	}));
}

export type ProbeAnswer = 'error' | 'accepted' | 'absent' | 'not-here' | { readonly other: string };

/** Asks nginx about `a` then `b` in `ctx`: refused as a duplicate on `b`'s line, accepted, or something else. */
export async function ask(name: string, ctx: string, s: RepeatSample, second: string): Promise<ProbeAnswer> {
	const { text, line } = probeText(ctx, statement(name, s.args, s), statement(name, second, s), s, name);
	const out = await runProbe(text);
	if (out.includes(`unknown directive "${name}"`)) { return 'absent'; }
	if (out.includes(`"${name}" directive is not allowed here`)) { return 'not-here'; }
	if (!/\(exit \d+\)/.test(out)) { return 'accepted'; }
	const m = /\[emerg\] (.*) in \S+:(\d+)/.exec(out);
	if (m && new RegExp(`^"${name}" directive is duplicate`).test(m[1]) && Number(m[2]) === line) { return 'error'; }
	return { other: `${m ? `${m[1]} (line ${m[2]}, probe on ${line})` : out.trim()}` };
}

interface RawDirective { name: string; module: string; origin: string; contexts: string[]; setter: string; repeat_same_level?: string | null }

async function main(argv: string[]): Promise<number> {
	const refDir = path.resolve(argv[0] ?? path.join(__dirname, '..', '..', '..', 'shared', 'reference'));
	const raw = JSON.parse(fs.readFileSync(path.join(refDir, 'nginx-directives.json'), 'utf8')) as { directives: RawDirective[] };
	const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
	const nginx = `${version.stdout ?? ''}${version.stderr ?? ''}`.trim().replace(/^nginx version: /, '');
	const results: { d: RawDirective; fact?: RepeatFact; notAsked?: string; problems: string[] }[] = [];
	const custom = raw.directives.filter(d => !d.repeat_same_level && d.origin !== 'third-party');
	await inParallel(custom, Math.max(2, os.cpus().length * 2), async d => {
		const r: (typeof results)[number] = { d, problems: [] };
		results.push(r);
		if (CANNOT_ASK[d.name]) { r.notAsked = CANNOT_ASK[d.name]; return; }
		// obsolete in the reference's nginx (a warning there): what an older nginx answers does not hold
		if (d.setter === 'ngx_http_v2_obsolete') { r.notAsked = 'obsolete in the reference\'s nginx'; return; }
		const known = sampleFor(d.name, d.module);
		// without a sample, a probe still tells a directive the installed nginx lacks
		const s = known ?? { args: 'x' };
		const same: Record<string, 'error' | 'accepted'> = {};
		const different: Record<string, 'error' | 'accepted'> = {};
		let allowed = 0;
		for (const ctx of d.contexts) {
			const a = await ask(d.name, ctx, s, s.keyed ? s.args2 ?? s.args : s.args);
			if (a === 'absent') { r.notAsked = `not in nginx ${nginx}`; return; }
			if (a === 'not-here') { continue; }
			allowed++;
			if (!known) { continue; }
			if (!s.keyed) {
				if (typeof a === 'object') { r.problems.push(`@${ctx} (same): ${a.other}`); continue; }
				same[ctx] = a;
			}
			if (s.args2 !== undefined) {
				const b = await ask(d.name, ctx, s, s.args2);
				if (typeof b === 'object') { r.problems.push(`@${ctx} (different): ${b.other}`); continue; }
				if (b === 'error' || b === 'accepted') { different[ctx] = b; }
			}
		}
		if (!allowed) { r.notAsked = `allowed in none of its contexts in nginx ${nginx}`; return; }
		if (!known) { r.problems.push('no sample'); return; }
		r.fact = { name: d.name, module: d.module, same, ...(Object.keys(different).length ? { different } : {}), sample: s };
	});
	// the table in the reference's order
	const order = new Map(custom.map((d, i) => [d, i]));
	results.sort((a, b) => order.get(a.d)! - order.get(b.d)!);
	const facts = results.flatMap(r => (r.fact ? [r.fact] : []));
	const table: RepeatTable = {
		nginx,
		about: 'Which directives with a custom setter nginx refuses twice at one level ("is duplicate"): asked of the installed nginx by scripts/probeNginxRepeat.ts; checked again by test/integration/nginxRepeat.test.ts.',
		directives: facts,
		notAsked: results.flatMap(r => (r.notAsked ? [`${r.d.name} ${r.d.module}: ${r.notAsked}`] : [])),
	};
	const out = path.resolve(__dirname, '..', '..', 'scripts', 'data', 'nginx-repeat.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(out, JSON.stringify(table, null, '\t') + '\n');
	process.stdout.write(`${facts.length} definitions asked (${facts.filter(f => Object.values(f.same).every(v => v === 'error')).length} refuse a repeat), ${table.notAsked.length} not asked; wrote ${path.relative(process.cwd(), out)}\n`);
	const problems = results.flatMap(r => r.problems.map(p => `${r.d.name} ${r.d.module} ${p}`));
	for (const p of problems) { process.stdout.write(`  inconclusive: ${p}\n`); }
	return problems.length ? 1 : 0;
}

if (require.main === module) {
	main(process.argv.slice(2)).then(code => { process.exitCode = code; }, e => { process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 2; });
}
