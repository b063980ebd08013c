/**
 * Random but plausible nginx configs, built from our directive tables and what the installed
 * nginx knows (probe.ts): every context, arity and value type, blocks, includes, variables from
 * every source (built-ins, set/map/geo/split_clients/js_set, captures, prefix families), maps,
 * geo, upstreams, zones, log formats, regex locations with captures, TLS. The base config is meant
 * to be valid; mutate.ts breaks it.
 */
import { NGINX_DIRECTIVES } from '../../../server/src/data/generated/nginxDirectives';
import type { NginxDirectiveData } from '../../../server/src/data/types';
import type { Rng } from '../../helpers/rng';
import { MAIN, type Case, type Stmt } from './model';
import { dynamicModules, type Knowledge } from './probe';

/** Directives placed by the skeleton, or never generated (they need files or data this sandbox has not). */
const STRUCTURAL = new Set(['events', 'http', 'stream', 'mail', 'server', 'location', 'if', 'upstream', 'map', 'geo', 'split_clients', 'types', 'limit_except',
	'include', 'load_module', 'pid', 'listen', 'server_name', 'charset_map', 'perl', 'perl_set', 'perl_modules', 'perl_require']);
const NEVER = new Set(['ssl_engine', 'ssl_dhparam', 'ssl_crl', 'ssl_stapling_file', 'ssl_session_ticket_key', 'ssl_password_file', 'proxy_ssl_crl', 'grpc_ssl_crl', 'uwsgi_ssl_crl',
	'proxy_ssl_password_file', 'grpc_ssl_password_file', 'uwsgi_ssl_password_file', 'ssl_ocsp_cache', 'xslt_stylesheet', 'xslt_param', 'xslt_string_param', 'xml_entities',
	'working_directory', 'lock_file', 'thread_pool', 'js_preload_object', 'js_path', 'js_import', 'js_content', 'js_access', 'js_filter', 'js_preread', 'js_body_filter', 'js_header_filter', 'js_var', 'js_set',
	'js_fetch_trusted_certificate', 'js_fetch_ciphers', 'ssl_conf_command', 'proxy_ssl_conf_command', 'grpc_ssl_conf_command', 'uwsgi_ssl_conf_command',
	'worker_cpu_affinity', 'worker_rlimit_core', 'debug_points', 'google_perftools_profiles', 'daemon', 'master_process', 'env', 'user', 'error_log',
	'proxy_ssl_certificate', 'proxy_ssl_certificate_key', 'grpc_ssl_certificate', 'grpc_ssl_certificate_key', 'uwsgi_ssl_certificate', 'uwsgi_ssl_certificate_key',
	'ssl_certificate', 'ssl_certificate_key', 'ssl_trusted_certificate', 'ssl_client_certificate', 'proxy_ssl_trusted_certificate', 'grpc_ssl_trusted_certificate', 'uwsgi_ssl_trusted_certificate',
	'ssl_ciphers', 'proxy_ssl_ciphers', 'grpc_ssl_ciphers', 'uwsgi_ssl_ciphers', 'ssl_ecdh_curve', 'mp4', 'flv', 'empty_gif', 'image_filter', 'stub_status', 'random_index',
	'aio', 'aio_write', 'directio', 'sendfile_max_chunk', 'accept_mutex_delay', 'post_action', 'http2_push', 'http2_push_preload', 'proxy_store', 'fastcgi_store', 'scgi_store', 'uwsgi_store', 'mirror',
	'protocol', 'auth_http', 'auth_http_header', 'starttls', 'imap_capabilities', 'pop3_capabilities', 'smtp_capabilities', 'ssl_alpn', 'timer_resolution', 'worker_priority']);

/** Directives real configs use often: picked more often. */
const COMMON = new Set(['sendfile', 'tcp_nopush', 'tcp_nodelay', 'keepalive_timeout', 'client_max_body_size', 'gzip', 'gzip_types', 'gzip_comp_level', 'server_tokens', 'proxy_set_header',
	'proxy_read_timeout', 'proxy_connect_timeout', 'proxy_buffering', 'uwsgi_read_timeout', 'uwsgi_param', 'add_header', 'expires', 'access_log', 'root', 'index', 'try_files', 'return', 'rewrite',
	'set', 'allow', 'deny', 'error_page', 'client_body_timeout', 'proxy_http_version', 'ssl_protocols', 'ssl_session_timeout', 'ssl_prefer_server_ciphers', 'charset', 'default_type',
	'limit_req', 'limit_conn', 'auth_basic', 'proxy_cache', 'proxy_cache_valid', 'uwsgi_buffers', 'proxy_buffers', 'large_client_header_buffers', 'open_file_cache', 'internal', 'alias',
	'autoindex', 'log_not_found', 'etag', 'resolver', 'real_ip_header', 'set_real_ip_from', 'proxy_redirect', 'proxy_pass', 'uwsgi_pass', 'fastcgi_param', 'fastcgi_pass', 'fastcgi_index']);

export interface GenState {
	readonly rng: Rng;
	readonly k: Knowledge;
	/** User variables (defined by set, map, geo, split_clients, auth_request_set, captures), per config kind. */
	readonly vars: { http: Set<string>; stream: Set<string> };
	readonly upstreams: { http: string[]; stream: string[] };
	readonly zones: { req: string[]; conn: string[]; streamConn: string[]; cache: Map<string, string[]> };
	readonly logFormats: { http: string[]; stream: string[] };
	ports: number;
	names: number;
	/** Stub files the config names. */
	readonly stubs: Map<string, string>;
	/** Whether the listen address:port already has a default server. */
	readonly defaults: Set<string>;
}

const data = new Map<string, NginxDirectiveData[]>();
for (const d of NGINX_DIRECTIVES) {
	if (d.origin === 'third-party') { continue; }
	const list = data.get(d.name);
	if (list) { list.push(d); } else { data.set(d.name, [d]); }
}

function defIn(k: Knowledge, name: string, ctx: string): NginxDirectiveData | undefined {
	if (!(k.contexts[name] ?? []).includes(ctx)) { return undefined; }
	return (data.get(name) ?? []).find(d => d.contexts.includes(ctx));
}

let pools: Map<string, NginxDirectiveData[]> | undefined;

/** Directives the generator may pick at random in a context. */
function poolFor(k: Knowledge, ctx: string): NginxDirectiveData[] {
	pools ??= new Map();
	let p = pools.get(ctx);
	if (!p) {
		p = [];
		for (const [name] of data) {
			if (STRUCTURAL.has(name) || NEVER.has(name)) { continue; }
			const d = defIn(k, name, ctx);
			if (d && !d.args.block && (d.valueType !== 'custom' || CUSTOM[name])) { p.push(d); }
		}
		pools.set(ctx, p);
	}
	return p;
}

const kindOf = (ctx: string): 'http' | 'stream' => (ctx.startsWith('stream') ? 'stream' : 'http');

// ---- values -----------------------------------------------------------------------------------

const SIZES = ['0', '1', '512', '1k', '4k', '8k', '16K', '64k', '1m', '10M', '128m'];
const TIMES = ['0', '1', '5', '30', '500ms', '5s', '30s', '1m', '5m', '1h', '1d', '1m30s', '2w'];
const TIMES_S = ['10', '30s', '5m', '1h', '1d', '1M', '1y'];
const WORDS = ['value', 'x', 'example', 'on-demand', 'A_B'];

function q(s: string): string {
	return /[\s;{}'"#\\$]/.test(s) || s === '' ? `"${s.replace(/["\\]/g, '\\$&')}"` : s;
}

/** A reference to a variable that exists in the context kind. */
export function varRef(st: GenState, kind: 'http' | 'stream'): string {
	const r = st.rng;
	const builtins = kind === 'http' ? st.k.httpVariables : st.k.streamVariables;
	const user = [...st.vars[kind]];
	const choice = r.weighted<'builtin' | 'user' | 'family'>([['builtin', 5], ['user', user.length ? 3 : 0], ['family', kind === 'http' ? 2 : 0]]);
	if (choice === 'user') { return `$${r.pick(user)}`; }
	if (choice === 'family') { return `$${r.pick(['http_user_agent', 'http_x_forwarded_for', 'http_x_real_ip', 'arg_page', 'arg_q', 'cookie_session', 'sent_http_content_type', 'upstream_http_x_cache', 'cookie_csrftoken'])}`; }
	return `$${r.pick(builtins.length ? builtins : ['remote_addr'])}`;
}

/** A string with variables, quoted when needed. */
function complexValue(st: GenState, kind: 'http' | 'stream'): string {
	const r = st.rng;
	let s = '';
	let afterVar = false;
	for (let i = r.int(1, 3); i > 0; i--) {
		if (r.chance(0.6)) {
			s += varRef(st, kind);
			afterVar = true;
		} else {
			const text = r.pick(['/', '-', 'text', ':', ' ', 'x=', 'a b']);
			// `$a` followed by a word character would read as a longer name: brace the name
			if (afterVar && /^\w/.test(text)) { s = s.replace(/\$(\w+)$/, '${$1}'); }
			s += text;
			afterVar = false;
		}
	}
	return /[\s;{}'"#]/.test(s) ? `"${s}"` : s;
}

function newName(st: GenState, prefix: string): string {
	return `${prefix}${++st.names}`;
}

function port(st: GenState): number {
	return 20000 + (++st.ports);
}

/** Arguments for a directive of a plain value type (not custom). */
function typedArgs(st: GenState, d: NginxDirectiveData, ctx: string): string[] | undefined {
	const r = st.rng;
	const kind = kindOf(ctx);
	const refused = new Set(st.k.refusedValues[d.name] ?? []);
	switch (d.valueType) {
		case 'flag': return [r.pick(['on', 'off'])];
		case 'enum': {
			const values = (d.values ?? []).filter(v => !refused.has(v));
			return values.length ? [r.pick(values)] : undefined;
		}
		case 'bitmask': {
			const values = (d.values ?? []).filter(v => !refused.has(v) && v !== 'off');
			if (!values.length) { return undefined; }
			if ((d.values ?? []).includes('off') && r.chance(0.2)) { return ['off']; }
			return r.shuffle([...values]).slice(0, r.int(1, Math.min(3, values.length)));
		}
		case 'size': return [r.pick(SIZES)];
		case 'offset': return [r.pick([...SIZES, '1g', '2G'])];
		case 'time_ms': return [r.pick(TIMES)];
		case 'time_s': return [r.pick(TIMES_S)];
		case 'number': {
			const b = d.bounds;
			if (b) { return [String(r.int(b.low, Math.min(b.high, b.low + 100)))]; }
			return [r.pick(['0', '1', '2', '8', '16', '100', '1000'])];
		}
		case 'string': return [STRING_VALUES[d.name]?.(st) ?? q(r.pick(WORDS))];
		case 'string_array': return [q(r.pick(['X-Powered-By', 'Server', 'X-Debug', 'ETag']))];
		case 'keyval': return [r.pick(['Host', 'X-Real-IP', 'X-Forwarded-For', 'X-Forwarded-Proto', 'Connection', 'Upgrade']), complexValue(st, kind)];
		case 'complex_value': return [COMPLEX_VALUES[d.name]?.(st) ?? complexValue(st, kind)];
		case 'complex_value_size': return [r.pick(['1m', '512k', '0'])];
		case 'predicate': return Array.from({ length: r.int(1, 2) }, () => varRef(st, kind));
		case 'mime_types': return r.chance(0.2) ? ['*'] : r.shuffle(['text/css', 'application/json', 'text/plain', 'application/javascript', 'image/svg+xml']).slice(0, r.int(1, 3));
		case 'cache_zone': {
			const zones = st.zones.cache.get(d.name.split('_')[0]) ?? [];
			return [zones.length && r.chance(0.8) ? r.pick(zones) : 'off'];
		}
		case 'cache_valid': return r.chance(0.5) ? [r.pick(['1m', '10m', '1h'])] : [...r.shuffle(['200', '301', '302', '404', 'any']).slice(0, r.int(1, 2)), r.pick(['1m', '10m'])];
		case 'bind': return [r.pick(['127.0.0.1', 'off', '$remote_addr'])];
		case 'param': {
			const v = [r.pick(['SCRIPT_FILENAME', 'HTTP_X_FORWARDED_PROTO', 'UWSGI_SCHEME', 'REMOTE_USER', 'X_APP']), complexValue(st, kind)];
			return r.chance(0.2) ? [...v, 'if_not_empty'] : v;
		}
		case 'charset': return [r.pick(['utf-8', 'off', 'koi8-r'])];
		case 'path': return [`temp/${d.name.replace(/_temp_path$/, '')}`, ...(r.chance(0.3) ? ['1', '2'] : [])];
		case 'access': return r.shuffle(['user:rw', 'group:rw', 'all:r']).slice(0, r.int(1, 3));
		case 'bufs': return [String(r.int(1, 16)), r.pick(['4k', '8k', '16k'])];
		case 'alpn_list': return ['h2', 'http/1.1'];
		default: return undefined;
	}
}

const STRING_VALUES: Record<string, (st: GenState) => string> = {
	default_type: st => st.rng.pick(['application/octet-stream', 'text/plain', 'text/html']),
	fastcgi_index: () => 'index.php',
	add_before_body: () => '/before.html',
	add_after_body: () => '/after.html',
	secure_link_secret: () => 'secret',
	userid_name: () => 'uid',
	userid_domain: st => st.rng.pick(['none', 'example.com']),
	userid_path: () => '/',
	userid_p3p: () => 'none',
	ssl_ocsp_responder: () => 'http://127.0.0.1:9',
	ssl_stapling_responder: () => 'http://127.0.0.1:9',
	uwsgi_string: () => 'x',
	proxy_set_body: () => '"$request_body"',
	pid: () => 'nginx.pid',
};

const COMPLEX_VALUES: Record<string, (st: GenState) => string> = {
	auth_basic: st => st.rng.pick(['"Restricted"', 'off']),
	proxy_method: st => st.rng.pick(['GET', 'POST', '$request_method']),
	secure_link: () => '$arg_md5,$arg_expires',
	secure_link_md5: () => '"$secure_link_expires$uri secret"',
};

/** A regex (PCRE) for a location or rewrite, possibly with captures. */
export function regex(st: GenState, captures: boolean): { text: string; named: string[] } {
	const r = st.rng;
	const named: string[] = [];
	const atoms = ['\\.php$', '^/api/', '\\.(jpg|png|gif)$', '^/(\\d+)/', '^/static/(.*)$', '/$', '^/[a-z]+', 'index'];
	let text = r.pick(atoms);
	if (captures && r.chance(0.4)) {
		const name = newName(st, 'cap');
		named.push(name);
		text = `^/(?<${name}>[a-z0-9]+)${r.pick(['/', '$', '/(.*)$'])}`;
	}
	return { text, named };
}

// ---- custom directives ------------------------------------------------------------------------

type Custom = (st: GenState, ctx: string) => Stmt | Stmt[] | undefined;

const s = (name: string, args: string[], ctx: string, extra: Partial<Stmt> = {}): Stmt => ({ name, args, ctx, ...extra });

const passTarget = (st: GenState, directive: string): { arg: string; uses?: string[] } => {
	const r = st.rng;
	const ups = st.upstreams.http;
	const useUp = ups.length && r.chance(0.5);
	const up = useUp ? r.pick(ups) : '';
	switch (directive) {
		case 'proxy_pass':
			if (useUp) { return { arg: `http://${up}${r.pick(['', '/', '$request_uri'])}`, uses: [`up:${up}`] }; }
			return { arg: r.pick(['http://127.0.0.1:8000', 'http://127.0.0.1:8000/', 'http://unix:/tmp/app.sock:', 'https://127.0.0.1:8443', 'http://[::1]:8000']) };
		case 'grpc_pass':
			return useUp ? { arg: `grpc://${up}`, uses: [`up:${up}`] } : { arg: r.pick(['grpc://127.0.0.1:50051', '127.0.0.1:50051', 'grpcs://127.0.0.1:50052']) };
		default:
			return useUp ? { arg: up, uses: [`up:${up}`] } : { arg: r.pick(['127.0.0.1:9000', 'unix:/tmp/app.sock', 'localhost:3031', '[::1]:3031']) };
	}
};

const pass: Custom = (st, ctx) => {
	const name = ['proxy_pass', 'uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass'].find(n => defIn(st.k, n, ctx) && st.rng.chance(0.4)) ?? 'uwsgi_pass';
	if (!defIn(st.k, name, ctx)) { return undefined; }
	const t = passTarget(st, name);
	const out: Stmt[] = [];
	if (name === 'uwsgi_pass' && st.rng.chance(0.8)) { out.push(s('include', ['uwsgi_params'], ctx)); }
	out.push(s(name, [t.arg], ctx, { uses: t.uses }));
	return out;
};

const CUSTOM: Record<string, Custom> = {
	worker_processes: (st, ctx) => s('worker_processes', [st.rng.pick(['1', '2', 'auto'])], ctx),
	worker_connections: (st, ctx) => s('worker_connections', [st.rng.pick(['64', '512', '1024'])], ctx),
	use: (_st, ctx) => s('use', ['epoll'], ctx),
	debug_connection: (st, ctx) => s('debug_connection', [st.rng.pick(['127.0.0.1', '10.0.0.0/8', 'localhost'])], ctx),
	allow: (st, ctx) => s('allow', [st.rng.pick(['127.0.0.1', '10.0.0.0/8', '::1', 'all', '192.168.1.0/24', 'unix:'])], ctx),
	deny: (st, ctx) => s('deny', [st.rng.pick(['all', '10.0.0.1', '2001:db8::/32'])], ctx),
	auth_basic_user_file: (st, ctx) => { st.stubs.set('htpasswd', 'user:$apr1$abc$def\n'); return s('auth_basic_user_file', ['htpasswd'], ctx); },
	auth_request: (st, ctx) => s('auth_request', [st.rng.pick(['/auth', 'off'])], ctx),
	auth_request_set: (st, ctx) => { const v = newName(st, 'auth_v'); st.vars.http.add(v); return s('auth_request_set', [`$${v}`, '$upstream_http_x_user'], ctx, { defines: [`var:${v}`] }); },
	modern_browser: (st, ctx) => s('modern_browser', st.rng.pick([['msie', '5.5'], ['gecko', '1.0'], ['unlisted']]), ctx),
	ancient_browser: (st, ctx) => s('ancient_browser', [st.rng.pick(['Links', 'Lynx', 'netscape4'])], ctx),
	modern_browser_value: (_st, ctx) => s('modern_browser_value', ['modern'], ctx),
	ancient_browser_value: (_st, ctx) => s('ancient_browser_value', ['ancient'], ctx),
	fastcgi_pass: pass, uwsgi_pass: pass, scgi_pass: pass, grpc_pass: pass, memcached_pass: pass, proxy_pass: pass,
	fastcgi_split_path_info: (_st, ctx) => s('fastcgi_split_path_info', ['^(.+\\.php)(/.+)$'], ctx),
	fastcgi_cache: (st, ctx) => cacheUse(st, ctx, 'fastcgi'),
	proxy_cache: (st, ctx) => cacheUse(st, ctx, 'proxy'),
	uwsgi_cache: (st, ctx) => cacheUse(st, ctx, 'uwsgi'),
	scgi_cache: (st, ctx) => cacheUse(st, ctx, 'scgi'),
	fastcgi_cache_key: (_st, ctx) => s('fastcgi_cache_key', ['$scheme$host$request_uri'], ctx),
	proxy_cache_key: (_st, ctx) => s('proxy_cache_key', ['$scheme$proxy_host$request_uri'], ctx),
	uwsgi_cache_key: (_st, ctx) => s('uwsgi_cache_key', ['$scheme$host$request_uri'], ctx),
	scgi_cache_key: (_st, ctx) => s('scgi_cache_key', ['$host$request_uri'], ctx),
	expires: (st, ctx) => s('expires', st.rng.pick([['30d'], ['off'], ['max'], ['epoch'], ['@15h30m'], ['modified', '+24h'], ['-1'], ['1h']]), ctx),
	add_header: (st, ctx) => s('add_header', [st.rng.pick(['X-Frame-Options', 'X-Content-Type-Options', 'Cache-Control', 'X-Served-By', 'Strict-Transport-Security']), complexValue(st, 'http'), ...(st.rng.chance(0.3) ? ['always'] : [])], ctx),
	add_trailer: (st, ctx) => s('add_trailer', ['X-Trailer', complexValue(st, 'http')], ctx),
	image_filter_jpeg_quality: (st, ctx) => s('image_filter_jpeg_quality', [st.rng.pick(['75', '95'])], ctx),
	image_filter_webp_quality: (_st, ctx) => s('image_filter_webp_quality', ['80'], ctx),
	image_filter_sharpen: (_st, ctx) => s('image_filter_sharpen', ['10'], ctx),
	index: (st, ctx) => s('index', st.rng.shuffle(['index.html', 'index.htm', 'index.php']).slice(0, st.rng.int(1, 3)), ctx),
	limit_conn: (st, ctx) => {
		const zones = kindOf(ctx) === 'stream' ? st.zones.streamConn : st.zones.conn;
		if (!zones.length) { return undefined; }
		const z = st.rng.pick(zones);
		return s('limit_conn', [z, String(st.rng.int(1, 50))], ctx, { uses: [`zone:${z}`] });
	},
	limit_req: (st, ctx) => {
		if (!st.zones.req.length) { return undefined; }
		const z = st.rng.pick(st.zones.req);
		const extra = st.rng.pick([[], ['burst=5'], ['burst=10', 'nodelay'], ['burst=20', 'delay=8']]);
		return s('limit_req', [`zone=${z}`, ...extra], ctx, { uses: [`zone:${z}`] });
	},
	access_log: (st, ctx) => {
		const kind = kindOf(ctx);
		if (st.rng.chance(0.2)) { return s('access_log', ['off'], ctx); }
		const formats = st.logFormats[kind];
		const fmt = formats.length && st.rng.chance(0.7) ? st.rng.pick(formats) : kind === 'http' ? st.rng.pick(['combined', '']) : '';
		if (kind === 'stream' && !fmt) { return undefined; }
		const args = [`logs/${st.rng.pick(['access', 'app', 'api'])}.log`];
		if (fmt) { args.push(fmt); }
		if (fmt && st.rng.chance(0.3)) { args.push(st.rng.pick(['buffer=32k', 'flush=5s', 'gzip', `if=${varRef(st, kind)}`])); }
		return s('access_log', args, ctx, { uses: fmt && fmt !== 'combined' ? [`log:${kind}:${fmt}`] : undefined });
	},
	open_log_file_cache: (st, ctx) => s('open_log_file_cache', st.rng.pick([['off'], ['max=1000', 'inactive=20s'], ['max=10', 'inactive=1m', 'valid=1m', 'min_uses=2']]), ctx),
	open_file_cache: (st, ctx) => s('open_file_cache', st.rng.pick([['off'], ['max=1000', 'inactive=20s'], ['max=200']]), ctx),
	proxy_redirect: (st, ctx) => s('proxy_redirect', st.rng.pick([['off'], ['default'], ['http://localhost:8000/', '/'], ['~^http://[^/]+(/.*)$', '$1']]), ctx),
	proxy_cookie_domain: (st, ctx) => s('proxy_cookie_domain', st.rng.pick([['off'], ['localhost', 'example.org']]), ctx),
	proxy_cookie_path: (st, ctx) => s('proxy_cookie_path', st.rng.pick([['off'], ['/two/', '/']]), ctx),
	proxy_cookie_flags: (st, ctx) => s('proxy_cookie_flags', st.rng.pick([['off'], ['one', 'secure', 'httponly'], ['~', 'nosecure', 'samesite=strict']]), ctx),
	set_real_ip_from: (st, ctx) => s('set_real_ip_from', [st.rng.pick(['10.0.0.0/8', '192.168.2.1', 'unix:', '2001:0db8::/32'])], ctx),
	real_ip_header: (st, ctx) => s('real_ip_header', [st.rng.pick(['X-Forwarded-For', 'X-Real-IP', 'proxy_protocol'])], ctx),
	valid_referers: (st, ctx) => s('valid_referers', st.rng.shuffle(['none', 'blocked', 'server_names', '*.example.com', 'example.org/galleries/', '~\\.google\\.']).slice(0, st.rng.int(1, 4)), ctx),
	rewrite: (st, ctx) => {
		const re = regex(st, true);
		for (const n of re.named) { st.vars.http.add(n); }
		const to = st.rng.pick(['/new/$1', '/index.php?q=$1', '/x', 'https://$host$request_uri?', '/$1?a=b']);
		return s('rewrite', [q(re.text), to, ...(st.rng.chance(0.6) ? [st.rng.pick(['last', 'break', 'redirect', 'permanent'])] : [])], ctx, { defines: re.named.map(n => `var:${n}`) });
	},
	return: (st, ctx) => {
		if (kindOf(ctx) === 'stream') { return s('return', [complexValue(st, 'stream')], ctx); }
		return s('return', st.rng.pick([['200', complexValue(st, 'http')], ['301', '/moved'], ['404'], ['444'], ['302', 'https://$host$request_uri'], ['https://example.com/'], ['204']]), ctx);
	},
	break: (_st, ctx) => s('break', [], ctx),
	set: (st, ctx) => {
		const kind = kindOf(ctx);
		const v = newName(st, 'v');
		const value = complexValue(st, kind);
		st.vars[kind].add(v);
		return s('set', [`$${v}`, value], ctx, { defines: [`var:${v}`] });
	},
	sub_filter: (st, ctx) => s('sub_filter', [q(st.rng.pick(['</head>', 'http://', 'a'])), complexValue(st, 'http')], ctx),
	try_files: (st, ctx) => s('try_files', st.rng.pick([['$uri', '$uri/', '=404'], ['$uri', '/index.html'], ['$uri', '@app'], ['$uri', '$uri/', '/index.php?$args']]), ctx),
	hash: (st, ctx) => s('hash', [varRef(st, kindOf(ctx)), ...(st.rng.chance(0.5) ? ['consistent'] : [])], ctx),
	ip_hash: (_st, ctx) => s('ip_hash', [], ctx),
	least_conn: (_st, ctx) => s('least_conn', [], ctx),
	random: (st, ctx) => s('random', st.rng.pick([[], ['two'], ['two', 'least_conn']]), ctx),
	keepalive: (st, ctx) => s('keepalive', [String(st.rng.int(1, 64))], ctx),
	zone: (st, ctx) => s('zone', [newName(st, 'upz'), ...(st.rng.chance(0.8) ? ['64k'] : [])], ctx),
	userid_expires: (st, ctx) => s('userid_expires', [st.rng.pick(['365d', 'max', 'off'])], ctx),
	userid_mark: (st, ctx) => s('userid_mark', [st.rng.pick(['off', '=', 'A'])], ctx),
	root: (st, ctx) => s('root', [st.rng.pick(['html', '/srv/www', '/var/www/$host', '/srv/app/public'])], ctx),
	alias: (st, ctx) => s('alias', [st.rng.pick(['/srv/static/', '/srv/media/', '/opt/app/static_all/'])], ctx),
	internal: (_st, ctx) => s('internal', [], ctx),
	keepalive_timeout: (st, ctx) => s('keepalive_timeout', st.rng.pick([['65'], ['75s'], ['0'], ['65', '60']]), ctx),
	error_page: (st, ctx) => s('error_page', st.rng.pick([['404', '/404.html'], ['500', '502', '503', '504', '/50x.html'], ['404', '=200', '/empty'], ['403', '@app'], ['404', '=', '/fallback']]), ctx),
	resolver: (st, ctx) => s('resolver', st.rng.pick([['127.0.0.1'], ['127.0.0.1', 'valid=30s'], ['[::1]', 'ipv6=off'], ['127.0.0.53:53']]), ctx),
	gzip_disable: (st, ctx) => s('gzip_disable', [st.rng.pick(['msie6', '"MSIE [1-6]\\."'])], ctx),
	disable_symlinks: (st, ctx) => s('disable_symlinks', st.rng.pick([['off'], ['on'], ['if_not_owner', 'from=$document_root']]), ctx),
	ssl_session_cache: (st, ctx) => s('ssl_session_cache', st.rng.pick([['off'], ['none'], [`shared:SSL${st.rng.int(1, 3)}:10m`], ['builtin:1000']]), ctx),
	http2_max_concurrent_pushes: (_st, ctx) => s('http2_max_concurrent_pushes', ['10'], ctx),
	http2_max_requests: (_st, ctx) => s('http2_max_requests', ['1000'], ctx),
	http2_max_field_size: (_st, ctx) => s('http2_max_field_size', ['4k'], ctx),
	http2_max_header_size: (_st, ctx) => s('http2_max_header_size', ['16k'], ctx),
	http2_recv_timeout: (_st, ctx) => s('http2_recv_timeout', ['30s'], ctx),
	http2_idle_timeout: (_st, ctx) => s('http2_idle_timeout', ['3m'], ctx),
	proxy_bind: (st, ctx) => s('proxy_bind', [st.rng.pick(['127.0.0.1', 'off'])], ctx),
};

function cacheUse(st: GenState, ctx: string, prefix: string): Stmt | undefined {
	const zones = st.zones.cache.get(prefix) ?? [];
	if (!zones.length || !defIn(st.k, `${prefix}_cache`, ctx)) { return undefined; }
	const z = st.rng.pick(zones);
	return s(`${prefix}_cache`, [z], ctx, { uses: [`cache:${prefix}:${z}`] });
}

/** A random directive of the pool of a context, or undefined when none fits. */
function randomDirective(st: GenState, ctx: string, taken: Set<string>): Stmt[] {
	const pool = poolFor(st.k, ctx);
	if (!pool.length) { return []; }
	for (let attempt = 0; attempt < 6; attempt++) {
		const d = st.rng.chance(0.5) ? (pool.filter(p => COMMON.has(p.name))[0] && st.rng.pick(pool.filter(p => COMMON.has(p.name)))) ?? st.rng.pick(pool) : st.rng.pick(pool);
		// a second one only where each occurrence adds (custom setters may refuse a repeat)
		if (d.repeat !== 'accumulates' && taken.has(d.name)) { continue; }
		let made: Stmt | Stmt[] | undefined;
		if (d.valueType === 'custom') {
			made = CUSTOM[d.name]?.(st, ctx);
		} else {
			const args = typedArgs(st, d, ctx);
			if (args && fitsCount(d, args.length)) { made = s(d.name, args, ctx); }
		}
		if (!made) { continue; }
		const list = Array.isArray(made) ? made : [made];
		for (const m of list) { taken.add(m.name); }
		return list;
	}
	return [];
}

function fitsCount(d: NginxDirectiveData, n: number): boolean {
	if (d.args.any) { return true; }
	if (d.args.counts) { return d.args.counts.includes(n); }
	return n >= d.args.min && (d.args.max === null || n <= d.args.max);
}

function randomDirectives(st: GenState, ctx: string, min: number, max: number, taken = new Set<string>()): Stmt[] {
	const out: Stmt[] = [];
	for (let i = st.rng.int(min, max); i > 0; i--) { out.push(...randomDirective(st, ctx, taken)); }
	return out;
}

// ---- blocks -----------------------------------------------------------------------------------

function mapBlock(st: GenState, kind: 'http' | 'stream'): Stmt {
	const r = st.rng;
	const out = newName(st, 'map_');
	const entries: Stmt[] = [];
	const ctx = kind;
	if (r.chance(0.2) && kind === 'http') { entries.push(s('hostnames', [], 'data')); }
	if (r.chance(0.8)) { entries.push(s('default', [q(r.pick(['0', '""', 'off', 'https']))], 'data')); }
	const named: string[] = [];
	for (let i = r.int(1, 4); i > 0; i--) {
		if (r.chance(0.3)) {
			const re = regex(st, true);
			named.push(...re.named);
			entries.push(s(q(`~${re.text}`), [r.chance(0.3) ? varRef(st, kind) : String(i)], 'data'));
		} else {
			entries.push(s(q(r.pick(['/a', 'example.com', 'GET', '1', `/p${i}`, '*.example.org']) + (i > 1 ? String(i) : '')), [String(i)], 'data'));
		}
	}
	const source = varRef(st, kind);
	st.vars[kind].add(out);
	for (const n of named) { st.vars[kind].add(n); }
	return s('map', [source, `$${out}`], ctx, { block: entries, data: true, defines: [`var:${out}`, ...named.map(n => `var:${n}`)] });
}

function geoBlock(st: GenState, kind: 'http' | 'stream'): Stmt {
	const r = st.rng;
	const out = newName(st, 'geo_');
	const entries: Stmt[] = [s('default', ['0'], 'data')];
	const nets = r.shuffle(['127.0.0.1', '10.0.0.0/8', '192.168.0.0/16', '::1', '172.16.0.0/12']);
	for (let i = r.int(1, 3); i > 0; i--) { entries.push(s(nets[i], [String(i)], 'data')); }
	if (r.chance(0.2)) { entries.unshift(s('ranges', [], 'data')); entries.splice(1); entries.push(s('127.0.0.1-127.0.0.9', ['1'], 'data')); }
	st.vars[kind].add(out);
	const args = r.chance(0.3) ? [kind === 'http' ? '$remote_addr' : '$remote_addr', `$${out}`] : [`$${out}`];
	return s('geo', args, kind, { block: entries, data: true, defines: [`var:${out}`] });
}

function splitClients(st: GenState, kind: 'http' | 'stream'): Stmt {
	const out = newName(st, 'split_');
	st.vars[kind].add(out);
	return s('split_clients', ['"${remote_addr}AAA"', `$${out}`], kind, {
		block: [s('10%', ['.one'], 'data'), s('20.5%', ['.two'], 'data'), s('*', ['""'], 'data')], data: true, defines: [`var:${out}`],
	});
}

/** A variable set by njs: a module imported from a stub script, and js_set. */
function njsVariable(st: GenState, kind: 'http' | 'stream'): Stmt[] {
	if (!defIn(st.k, 'js_import', kind) || !defIn(st.k, 'js_set', kind)) { return []; }
	st.stubs.set('js/main.js', 'function value(r) { return "x"; }\nexport default { value };\n');
	const v = newName(st, 'js_');
	st.vars[kind].add(v);
	return [s('js_import', ['main', 'from', 'js/main.js'], kind), s('js_set', [`$${v}`, 'main.value'], kind, { defines: [`var:${v}`] })];
}

/** A mail block: the mail context's directives (nginx -t needs auth_http and a protocol per server). */
function mailBlock(st: GenState): Stmt {
	const r = st.rng;
	const body: Stmt[] = [s('auth_http', ['127.0.0.1:9000/auth'], 'mail')];
	body.push(...randomDirectives(st, 'mail', 0, 2, new Set(['auth_http'])));
	for (const protocol of r.shuffle(['smtp', 'imap', 'pop3']).slice(0, r.int(1, 2))) {
		const sb: Stmt[] = [s('listen', [`127.0.0.1:${port(st)}`], 'mail.server'), s('protocol', [protocol], 'mail.server')];
		sb.push(...randomDirectives(st, 'mail.server', 0, 2, new Set(['listen', 'protocol'])));
		body.push(s('server', [], 'mail', { block: sb }));
	}
	return s('mail', [], 'main', { block: body });
}

function upstreamBlock(st: GenState, kind: 'http' | 'stream'): Stmt {
	const r = st.rng;
	const name = newName(st, kind === 'http' ? 'app' : 'backend');
	const ctx = kind === 'http' ? 'http.upstream' : 'stream.upstream';
	const body: Stmt[] = [];
	const balancer = r.pick(['', 'least_conn', 'ip_hash', 'hash', 'random']);
	if (balancer && defIn(st.k, balancer, ctx)) { body.push(...[CUSTOM[balancer](st, ctx)].flat().filter((x): x is Stmt => !!x)); }
	for (let i = r.int(1, 3); i > 0; i--) {
		const addr = r.pick(['127.0.0.1:8001', '127.0.0.1:8002', 'unix:/tmp/app.sock', '[::1]:9000', 'localhost:8003']);
		const params = r.shuffle(['weight=2', 'max_fails=3', 'fail_timeout=10s', 'backup', 'down', 'max_conns=10']).slice(0, r.int(0, 2));
		// backup does not go with hash/ip_hash/random balancers
		const ok = params.filter(p => p !== 'backup' || !balancer);
		body.push(s('server', [addr, ...ok], ctx));
	}
	if (r.chance(0.3)) { body.push(...randomDirectives(st, ctx, 1, 2, new Set(body.map(b => b.name)))); }
	st.upstreams[kind].push(name);
	return s('upstream', [name], kind, { block: body, defines: [`up:${name}`] });
}

function ifBlock(st: GenState, ctx: string): Stmt {
	const r = st.rng;
	const inner = ctx === 'http.server' ? 'http.server.if' : 'http.location.if';
	let cond: string[];
	const defines: string[] = [];
	switch (r.int(0, 5)) {
		case 0: cond = ['($request_method', '=', 'POST)']; break;
		case 1: cond = [`(${varRef(st, 'http')})`]; break;
		case 2: cond = ['(-f', '$request_filename)']; break;
		case 3: cond = ['($http_user_agent', '~*', '"(bot|crawler)")']; break;
		case 4: {
			const name = newName(st, 'icap');
			st.vars.http.add(name);
			defines.push(`var:${name}`);
			cond = ['($uri', '~', `"^/(?<${name}>[a-z]+)/")`];
			break;
		}
		default: cond = [`(${varRef(st, 'http')}`, '!=', '"")'];
	}
	const body: Stmt[] = [];
	const what = r.int(0, 3);
	if (what === 0) { body.push(s('return', [r.pick(['403', '404', '301 /x'].slice(0, 3))].flatMap(x => x.split(' ')), inner)); }
	else if (what === 1) { body.push(CUSTOM.rewrite(st, inner) as Stmt); }
	else if (what === 2) { body.push(CUSTOM.set(st, inner) as Stmt); }
	else { body.push(...randomDirectives(st, inner, 1, 2)); }
	return s('if', cond, ctx, { block: body, defines });
}

function locationBlock(st: GenState, ctx: string, parent: string | undefined, depth: number, used: Set<string>): Stmt | undefined {
	const r = st.rng;
	let args: string[];
	const defines: string[] = [];
	const kind = parent ? 'prefix' : r.weighted<'prefix' | 'exact' | 'regex' | 'iregex' | 'nore' | 'named'>([['prefix', 5], ['exact', 1], ['regex', 2], ['iregex', 1], ['nore', 1], ['named', 1]]);
	if (kind === 'named') {
		args = [r.pick(['@app', '@fallback', '@django'])];
	} else if (kind === 'regex' || kind === 'iregex') {
		const re = regex(st, true);
		for (const n of re.named) { st.vars.http.add(n); defines.push(`var:${n}`); }
		args = [kind === 'regex' ? '~' : '~*', q(re.text)];
	} else {
		const base = parent ?? '';
		const path = `${base}${r.pick(['', 'static/', 'media/', 'api/', 'admin', 'x', 'robots.txt', 'favicon.ico', 'static'])}`.replace(/^([^/])/, '/$1') || '/';
		args = kind === 'exact' ? ['=', path] : kind === 'nore' ? ['^~', path] : [path];
	}
	const key = args.join(' ').replace(/^(\^~|=)?\s*/, m => (m.startsWith('=') ? '= ' : ''));
	if (used.has(key)) { return undefined; }
	used.add(key);
	const lctx = 'http.location';
	const body: Stmt[] = [];
	const taken = new Set<string>();
	body.push(...randomDirectives(st, lctx, 0, 4, taken));
	const handler = r.weighted<'pass' | 'return' | 'files' | 'none'>([['pass', 3], ['return', 2], ['files', 2], ['none', 2]]);
	if (handler === 'pass' && !taken.has('proxy_pass') && !taken.has('uwsgi_pass')) {
		const p = pass(st, lctx);
		if (p) { body.push(...[p].flat()); }
	} else if (handler === 'return' && !taken.has('return')) {
		body.push(CUSTOM.return(st, lctx) as Stmt);
	} else if (handler === 'files') {
		if (!taken.has('root') && !taken.has('alias')) { body.push(r.chance(0.5) && kind === 'prefix' ? CUSTOM.alias(st, lctx) as Stmt : CUSTOM.root(st, lctx) as Stmt); }
		if (!taken.has('try_files')) { body.push(CUSTOM.try_files(st, lctx) as Stmt); }
	}
	if (r.chance(0.15)) { body.push(ifBlock(st, lctx)); }
	if (depth < 2 && kind === 'prefix' && r.chance(0.2)) {
		const nested = locationBlock(st, lctx, args[args.length - 1].replace(/\/?$/, '/'), depth + 1, used);
		if (nested) { body.push(nested); }
	}
	if (r.chance(0.1) && defIn(st.k, 'limit_except', lctx)) {
		body.push(s('limit_except', r.shuffle(['GET', 'POST', 'HEAD', 'PUT']).slice(0, r.int(1, 2)), lctx, { block: [s('deny', ['all'], 'http.limit_except')] }));
	}
	const named = kind === 'named' ? [`loc:${args[0]}`] : [];
	return s('location', args, ctx, { block: body, defines: [...defines, ...named] });
}

function serverBlock(st: GenState): Stmt {
	const r = st.rng;
	const ctx = 'http.server';
	const body: Stmt[] = [];
	const ssl = r.chance(0.25);
	const p = r.chance(0.3) && st.ports > 0 ? 20000 + r.int(1, st.ports) : port(st);
	const addr = r.pick([`127.0.0.1:${p}`, `${p}`, `[::1]:${p}`, `localhost:${p}`].slice(0, 3));
	const listen = [addr];
	if (ssl) { listen.push('ssl'); }
	const key = addr.includes(':') && !addr.startsWith('[') ? addr : `*:${p}`;
	if (r.chance(0.3) && !st.defaults.has(key)) { listen.push('default_server'); st.defaults.add(key); }
	if (r.chance(0.2)) { listen.push(r.pick(['backlog=511', 'reuseport', 'http2', 'so_keepalive=on', 'deferred', 'rcvbuf=64k']).replace('reuseport', 'backlog=128')); }
	body.push(s('listen', listen, ctx, { uses: ssl ? ['cert'] : undefined }));
	const names: string[] = [];
	for (let i = r.int(0, 3); i > 0; i--) {
		const n = newName(st, 'host');
		names.push(r.pick([`${n}.example.com`, `*.${n}.example.org`, `.${n}.test`, `www.${n}.*`, '_', '""', `~^(?<sub${st.names}>.+)\\.${n}\\.com$`]));
	}
	for (const n of names) {
		const m = /\?<(sub\d+)>/.exec(n);
		if (m) { st.vars.http.add(m[1]); }
	}
	if (names.length) { body.push(s('server_name', names.map(n => (n.startsWith('~') ? `"${n}"` : n)), ctx)); }
	if (ssl) {
		st.stubs.set('certs/site.crt', CERT);
		st.stubs.set('certs/site.key', KEY);
		body.push(s('ssl_certificate', ['certs/site.crt'], ctx, { defines: ['cert'] }), s('ssl_certificate_key', ['certs/site.key'], ctx));
	}
	const taken = new Set(body.map(b => b.name));
	body.push(...randomDirectives(st, ctx, 0, 4, taken));
	if (r.chance(0.15)) { body.push(ifBlock(st, ctx)); }
	const used = new Set<string>();
	for (let i = r.int(1, 4); i > 0; i--) {
		const loc = locationBlock(st, ctx, undefined, 0, used);
		if (loc) { body.push(loc); }
	}
	return s('server', [], 'http', { block: body });
}

function streamBlock(st: GenState): Stmt {
	const r = st.rng;
	const body: Stmt[] = [];
	if (r.chance(0.3)) {
		const name = newName(st, 'slog');
		st.logFormats.stream.push(name);
		body.push(s('log_format', [name, '\'$remote_addr [$time_local] $protocol $status\''], 'stream', { defines: [`log:stream:${name}`] }));
	}
	if (r.chance(0.3)) {
		const z = newName(st, 'sconn');
		st.zones.streamConn.push(z);
		body.push(s('limit_conn_zone', ['$binary_remote_addr', `zone=${z}:10m`], 'stream', { defines: [`zone:${z}`] }));
	}
	if (r.chance(0.3)) { body.push(mapBlock(st, 'stream')); }
	if (r.chance(0.15)) { body.push(...njsVariable(st, 'stream')); }
	if (r.chance(0.5)) { body.push(upstreamBlock(st, 'stream')); }
	body.push(...randomDirectives(st, 'stream', 0, 3));
	for (let i = r.int(1, 2); i > 0; i--) {
		const sctx = 'stream.server';
		const sb: Stmt[] = [s('listen', [`127.0.0.1:${port(st)}`, ...(r.chance(0.2) ? ['udp'] : [])], sctx)];
		sb.push(...randomDirectives(st, sctx, 0, 3, new Set(['listen'])));
		const ups = st.upstreams.stream;
		if (ups.length && r.chance(0.6)) {
			const up = r.pick(ups);
			sb.push(s('proxy_pass', [up], sctx, { uses: [`up:${up}`] }));
		} else if (r.chance(0.5)) {
			sb.push(s('proxy_pass', [r.pick(['127.0.0.1:12345', 'unix:/tmp/s.sock'])], sctx));
		} else {
			sb.push(s('return', [complexValue(st, 'stream')], sctx));
		}
		body.push(s('server', [], 'stream', { block: sb }));
	}
	return s('stream', [], 'main', { block: body });
}

function httpBlock(st: GenState, files: Map<string, Stmt[]>): Stmt {
	const r = st.rng;
	const ctx = 'http';
	const body: Stmt[] = [];
	if (r.chance(0.7)) { body.push(s('include', ['mime.types'], ctx)); }
	if (r.chance(0.5)) { body.push(s('default_type', ['application/octet-stream'], ctx)); }
	for (let i = r.int(0, 2); i > 0; i--) {
		const name = newName(st, 'fmt');
		st.logFormats.http.push(name);
		const escape = r.chance(0.2) ? [r.pick(['escape=json', 'escape=default', 'escape=none'])] : [];
		body.push(s('log_format', [name, ...escape, `'$remote_addr - $remote_user [$time_local] "$request" '`, `'$status $body_bytes_sent ${varRef(st, 'http')}'`], ctx, { defines: [`log:http:${name}`] }));
	}
	for (let i = r.int(0, 2); i > 0; i--) {
		const z = newName(st, 'req');
		st.zones.req.push(z);
		body.push(s('limit_req_zone', [r.pick(['$binary_remote_addr', '$server_name', '$http_x_api_key']), `zone=${z}:${r.pick(['1m', '10m'])}`, `rate=${r.pick(['1r/s', '10r/s', '30r/m'])}`], ctx, { defines: [`zone:${z}`] }));
	}
	if (r.chance(0.4)) {
		const z = newName(st, 'conn');
		st.zones.conn.push(z);
		body.push(s('limit_conn_zone', ['$binary_remote_addr', `zone=${z}:10m`], ctx, { defines: [`zone:${z}`] }));
	}
	for (const prefix of ['proxy', 'uwsgi', 'fastcgi', 'scgi']) {
		if (!r.chance(0.15)) { continue; }
		const z = newName(st, `${prefix}c`);
		const list = st.zones.cache.get(prefix) ?? [];
		list.push(z);
		st.zones.cache.set(prefix, list);
		body.push(s(`${prefix}_cache_path`, [`cache/${z}`, ...(r.chance(0.5) ? ['levels=1:2'] : []), `keys_zone=${z}:10m`, ...(r.chance(0.5) ? ['max_size=1g', 'inactive=60m'] : [])], ctx, { defines: [`cache:${prefix}:${z}`] }));
	}
	for (let i = r.int(0, 2); i > 0; i--) { body.push(mapBlock(st, 'http')); }
	if (r.chance(0.15)) { body.push(...njsVariable(st, 'http')); }
	if (r.chance(0.3)) { body.push(geoBlock(st, 'http')); }
	if (r.chance(0.15)) { body.push(splitClients(st, 'http')); }
	for (let i = r.int(0, 2); i > 0; i--) { body.push(upstreamBlock(st, 'http')); }
	if (r.chance(0.1)) { body.push(s('types', [], ctx, { block: [s('text/html', ['html', 'htm'], 'data'), s('application/json', ['json'], 'data')], data: true })); }
	body.push(...randomDirectives(st, ctx, 1, 6, new Set(body.map(b => b.name))));
	const servers: Stmt[] = [];
	for (let i = r.int(1, 3); i > 0; i--) { servers.push(serverBlock(st)); }
	// servers of one file, or of files a glob includes
	if (r.chance(0.3)) {
		servers.forEach((srv, i) => files.set(`conf.d/site${i}.conf`, [srv]));
		body.push(s('include', ['conf.d/*.conf'], ctx));
	} else {
		body.push(...servers);
	}
	// a snippet included in a location
	if (r.chance(0.2)) {
		const loc = [...servers].flatMap(x => x.block ?? []).find(x => x.name === 'location' && x.block);
		if (loc?.block) {
			files.set('snippets/common.conf', randomDirectives(st, 'http.location', 1, 3));
			loc.block.unshift(s('include', ['snippets/common.conf'], 'http.location'));
		}
	}
	return s('http', [], 'main', { block: body });
}

/** Rewrites the contexts of statements moved into files (the contexts they are included in). */
function fixContexts(stmts: Stmt[], ctx: string): void {
	for (const x of stmts) {
		if (x.ctx !== 'data') { x.ctx = ctx; }
		if (x.block && !x.data) {
			fixContexts(x.block, x.name === 'server' ? `${ctx}.server` : x.name === 'location' ? 'http.location' : x.name === 'if' ? (ctx === 'http.server' ? 'http.server.if' : 'http.location.if') : ctx === 'http' && x.name === 'upstream' ? 'http.upstream' : x.block[0]?.ctx ?? ctx);
		}
	}
}

export function newState(rng: Rng, k: Knowledge): GenState {
	return {
		rng, k,
		vars: { http: new Set(), stream: new Set() },
		upstreams: { http: [], stream: [] },
		zones: { req: [], conn: [], streamConn: [], cache: new Map() },
		logFormats: { http: [], stream: [] },
		ports: 0, names: 0,
		stubs: new Map(),
		defaults: new Set(),
	};
}

/** One random config tree. */
export function generateCase(rng: Rng, k: Knowledge): Case {
	const st = newState(rng, k);
	const files = new Map<string, Stmt[]>();
	const main: Stmt[] = dynamicModules().map(m => s('load_module', [m], 'main'));
	main.push(s('pid', ['nginx.pid'], 'main'));
	main.push(...randomDirectives(st, 'main', 0, 2, new Set(['pid'])));
	main.push(s('events', [], 'main', { block: randomDirectives(st, 'events', 0, 2) }));
	main.push(httpBlock(st, files));
	if (rng.chance(0.25)) { main.push(streamBlock(st)); }
	if (rng.chance(0.05) && defIn(k, 'auth_http', 'mail')) { main.push(mailBlock(st)); }
	files.set(MAIN, main);
	for (const [p, stmts] of files) {
		if (p.startsWith('conf.d/')) { fixContexts(stmts, 'http'); } else if (p.startsWith('snippets/')) { fixContexts(stmts, 'http.location'); }
	}
	const ordered = new Map<string, Stmt[]>([[MAIN, main], ...[...files].filter(([p]) => p !== MAIN)]);
	return { files: ordered, stubs: st.stubs, origin: ['generated'] };
}

// A self-signed certificate and key for TLS cases (made for these tests; no secret).
export let CERT = '';
export let KEY = '';
export function setCertificate(cert: string, key: string): void {
	CERT = cert;
	KEY = key;
}
