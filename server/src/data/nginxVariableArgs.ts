/**
 * Where nginx reads variables in a directive's arguments, and which directives define one.
 *
 * nginx compiles only some arguments as values that may hold variables (a "complex value" or a
 * script); in every other argument a `$` is plain text (a regex's end anchor, a header name, a
 * file name nginx opens as written). Only a `$name` in a compiled argument makes nginx look the
 * name up, and fail with `unknown "name" variable` when nothing defines it.
 *
 * Hand-maintained: a directive's handler decides, and only running nginx shows it. Every entry of
 * a module the installed nginx (Debian 1.22) has is checked against the binary by
 * test/integration/nginxVariableArgs.test.ts, which puts `$undefined` into every argument of
 * every directive nginx knows (generated from the directive tables and the documented syntax)
 * and fails when nginx compiles an argument this table misses, or treats one it lists as text.
 * Entries of modules the installed nginx lacks (njs) follow their documentation.
 */

/**
 * The compiled arguments of a directive:
 * - numbers: argument positions (0 is the first; -1 the last);
 * - `'*'`: every argument; `'1*'`: every argument from the second on;
 * - `'name='`: the value of a `name=` parameter (`access_log … if=$cond`);
 * - a reader for the directives whose arguments depend on each other (see VariableReader).
 */
export type VariableArgs = readonly (number | '*' | '1*' | `${string}=`)[] | VariableReader;

/**
 * Directives with a reader of their own:
 * - `access_log`: the path (not `off`, not `syslog:`, not a buffered log: nginx refuses variables
 *   there with another message), and `if=`;
 * - `log_format`: every string after the name (not `escape=`), read by the log module's own
 *   scanner, which has no captures (`$1` is a variable named "1");
 * - `if`: the variable of the condition (its whole name up to the end of the token), the value
 *   after `=`/`!=`, the path after `-f`/`-d`/`-e`/`-x` (not a regex after `~`);
 * - `return` (http): the text after the code, or a lone URL (`http://`, `https://`, `$scheme`);
 * - `charset`, `source_charset`: a value starting with `$` is a variable name (the rest of it);
 * - `map`, `geo`: the source value (for geo only in its two-argument form); map's entry values;
 * - `redirect`: `proxy_redirect`, `proxy_cookie_domain`, `proxy_cookie_path` — both arguments,
 *   except a first one that is a regex (`~`) or `off`/`default`.
 */
export type VariableReader = 'access_log' | 'log_format' | 'if' | 'return' | 'charset' | 'map' | 'geo' | 'redirect';

/** http: where each directive compiles variables. */
const HTTP: Readonly<Record<string, VariableArgs>> = {
	access_log: 'access_log',
	add_header: [1],
	aio: ['threads='],
	add_trailer: [1],
	alias: [0],
	auth_basic: [0],
	auth_basic_user_file: [0],
	auth_request_set: [1],
	charset: 'charset',
	disable_symlinks: ['from='],
	error_page: [-1],
	expires: ['*'],
	fastcgi_bind: [0],
	fastcgi_cache: [0],
	fastcgi_cache_bypass: ['*'],
	fastcgi_cache_key: [0],
	fastcgi_no_cache: ['*'],
	fastcgi_param: [1],
	fastcgi_pass: [0],
	fastcgi_store: [0],
	geo: 'geo',
	grpc_bind: [0],
	grpc_pass: [0],
	grpc_set_header: [1],
	grpc_ssl_certificate: [0],
	grpc_ssl_certificate_key: [0],
	grpc_ssl_name: [0],
	hash: [0],
	http2_push: [0],
	if: 'if',
	image_filter: ['1*'],
	image_filter_jpeg_quality: [0],
	image_filter_sharpen: [0],
	image_filter_webp_quality: [0],
	index: ['*'],
	js_var: [1],
	limit_conn_zone: [0],
	limit_rate: [0],
	limit_rate_after: [0],
	limit_req_zone: [0],
	log_format: 'log_format',
	map: 'map',
	memcached_bind: [0],
	proxy_bind: [0],
	proxy_cache: [0],
	proxy_cache_bypass: ['*'],
	proxy_cache_key: [0],
	proxy_cookie_domain: 'redirect',
	proxy_cookie_flags: ['1*'],
	proxy_cookie_path: 'redirect',
	proxy_method: [0],
	proxy_no_cache: ['*'],
	proxy_pass: [0],
	proxy_redirect: 'redirect',
	proxy_set_body: [0],
	proxy_set_header: [1],
	proxy_ssl_certificate: [0],
	proxy_ssl_certificate_key: [0],
	proxy_ssl_name: [0],
	proxy_store: [0],
	return: 'return',
	rewrite: [1],
	root: [0],
	scgi_bind: [0],
	scgi_cache: [0],
	scgi_cache_bypass: ['*'],
	scgi_cache_key: [0],
	scgi_no_cache: ['*'],
	scgi_param: [1],
	scgi_pass: [0],
	scgi_store: [0],
	secure_link: [0],
	secure_link_md5: [0],
	set: [1],
	source_charset: 'charset',
	split_clients: [0],
	ssl_certificate: [0],
	ssl_certificate_key: [0],
	sub_filter: [0, 1],
	try_files: ['*'],
	uwsgi_bind: [0],
	uwsgi_cache: [0],
	uwsgi_cache_bypass: ['*'],
	uwsgi_cache_key: [0],
	uwsgi_no_cache: ['*'],
	uwsgi_param: [1],
	uwsgi_pass: [0],
	uwsgi_ssl_certificate: [0],
	uwsgi_ssl_certificate_key: [0],
	uwsgi_ssl_name: [0],
	uwsgi_store: [0],
	xslt_param: [1],
	xslt_string_param: [1],
};

/** stream: where each directive compiles variables (stream's ssl_certificate only on an ssl listener: left out). */
const STREAM: Readonly<Record<string, VariableArgs>> = {
	access_log: 'access_log',
	geo: 'geo',
	hash: [0],
	js_var: [1],
	limit_conn_zone: [0],
	log_format: 'log_format',
	map: 'map',
	proxy_bind: [0],
	proxy_download_rate: [0],
	proxy_pass: [0],
	proxy_ssl_certificate: [0],
	proxy_ssl_certificate_key: [0],
	proxy_ssl_name: [0],
	proxy_upload_rate: [0],
	return: [0],
	set: [1],
	split_clients: [0],
};

export type VariableFamily = 'http' | 'stream';

/** Where `name` compiles variables in `family`, or undefined when it compiles none. */
export function variableArgs(family: VariableFamily, name: string): VariableArgs | undefined {
	const table = family === 'http' ? HTTP : STREAM;
	return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** Every directive of a family that compiles variables (for tests). */
export function directivesWithVariables(family: VariableFamily): readonly string[] {
	return Object.keys(family === 'http' ? HTTP : STREAM);
}

/**
 * Directives that define a variable, and the position of the `$name` argument that names it
 * (-1: the last). From each module's documented syntax (`set $variable value`, `map string
 * $variable {…}`, …): nginx's own modules, njs, and NGINX Plus's.
 */
const DEFINERS: Readonly<Record<string, number>> = {
	set: 0,
	map: 1,
	geo: -1,
	split_clients: 1,
	perl_set: 0,
	js_set: 0,
	js_var: 0,
	auth_request_set: 0,
	auth_jwt_claim_set: 0,
	auth_jwt_header_set: 0,
	keyval: 1,
	num_map: -1,
};

/** The argument position that names the variable a directive defines (-1: the last), or undefined. */
export function definedVariableArg(name: string): number | undefined {
	return Object.prototype.hasOwnProperty.call(DEFINERS, name) ? DEFINERS[name] : undefined;
}

export function variableDefiners(): readonly string[] {
	return Object.keys(DEFINERS);
}
