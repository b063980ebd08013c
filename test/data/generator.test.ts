/** Golden tests of the data generator's conversion functions on small hand-made inputs. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	convertNginx, convertNginxDirective, convertNginxVariables, convertUwsgi, extractSourceVariables, isRepeatable, moduleOfSource, renderModule, repeatFromFacts,
	type RawUwsgiOption, type RawUwsgiTables, type RepeatFactRow,
} from '../../scripts/dataConversion';
import { NGINX_DIRECTIVES } from '../../server/src/data/generated/nginxDirectives';
import { NGINX_VARIABLES } from '../../server/src/data/generated/nginxVariables';
import { UWSGI_OPTIONS } from '../../server/src/data/generated/uwsgiOptions';

const opt = (o: Partial<RawUwsgiOption>): RawUwsgiOption => ({
	name: 'x', plugin: 'core', argument: 'required_argument', shortcut: null, handler: 'uwsgi_opt_set_int', value_type: 'int',
	flags: [], doc_url: null, doc_url_computed: 'https://uwsgi-docs.readthedocs.io/en/latest/Options.html#x', ...o,
});

const handlerTypes = {
	uwsgi_opt_set_int: { type: 'int' },
	uwsgi_opt_add_socket: { type: 'socket', note: 'repeatable; UNIX path' },
	uwsgi_opt_true: { type: 'boolean' },
};

describe('data generator: uWSGI', () => {
	it('merges 2.0.30 and master: master-only options are 2.1-dev, removed ones are marked', () => {
		const release: RawUwsgiTables = { sources: {}, handler_types: handlerTypes, options: [
			opt({ name: 'workers', shortcut: 'p', flags: [], doc_url: 'https://u/Options.html#workers' }),
			opt({ name: 'shutdown-sockets', handler: 'uwsgi_opt_true', value_type: 'boolean' }),
		] };
		const master: RawUwsgiTables = { sources: {}, handler_types: handlerTypes, options: [
			opt({ name: 'workers', in_release_2_0_30: true }),
			opt({ name: 'else', handler: 'uwsgi_opt_true', value_type: 'boolean', flags: ['UWSGI_OPT_IMMEDIATE'], in_release_2_0_30: false }),
		] };
		const { options } = convertUwsgi(release, master);
		assert.deepEqual(options.map(o => [o.name, o.since, !!o.removedInMaster]), [['workers', '2.0', false], ['shutdown-sockets', '2.0', true], ['else', '2.1-dev', false]]);
		assert.equal(options[0].shortcut, 'p');
		assert.equal(options[0].docUrl, 'https://u/Options.html#workers');
		assert.equal(options[0].documented, true);
		assert.equal(options[1].documented, false);
		assert.deepEqual(options[2].flags, ['immediate']);
	});

	it('derives repeatability from the handler', () => {
		assert.equal(isRepeatable('uwsgi_opt_add_socket', 'socket', 'repeatable; UNIX path'), true);
		assert.equal(isRepeatable('uwsgi_opt_set_int', 'int', undefined), false);
		assert.equal(isRepeatable('uwsgi_opt_load_ini', 'config_file', 'ini file[:section]'), true);
	});

	it('keeps the socket protocol', () => {
		const t: RawUwsgiTables = { sources: {}, handler_types: handlerTypes, options: [opt({ name: 'http-socket', handler: 'uwsgi_opt_add_socket', value_type: 'socket', data_string: 'http' })] };
		const [o] = convertUwsgi(t, { ...t, options: [] }).options;
		assert.equal(o.protocol, 'http');
		assert.equal(o.repeatable, true);
	});
});

describe('data generator: nginx', () => {
	it('keeps the argument rule as a set and the value tables', () => {
		const d = convertNginxDirective({
			name: 'ssl_protocols', module: 'ngx_http_ssl_module', origin: 'nginx', contexts: ['http', 'http.server'],
			args: { min: 1, max: null, counts: null, flag: false, block: false, any: false }, value_type: 'bitmask',
			values_kind: 'bitmask', allowed_values: ['TLSv1.2', 'TLSv1.3'], repeat_same_level: 'accumulates', doc_url: 'https://nginx.org/x',
		});
		assert.deepEqual(d, {
			name: 'ssl_protocols', module: 'ngx_http_ssl_module', origin: 'nginx', contexts: ['http', 'http.server'],
			args: { min: 1, max: null, counts: null, flag: false, block: false, any: false }, valueType: 'bitmask',
			values: ['TLSv1.2', 'TLSv1.3'], valuesKind: 'bitmask', repeat: 'accumulates', docUrl: 'https://nginx.org/x',
		});
		const take13 = convertNginxDirective({ name: 'x', module: 'm', origin: 'nginx', contexts: ['http'], args: { min: 1, max: 3, counts: [1, 3], flag: false, block: false, any: false }, value_type: 'custom', repeat_same_level: 'error ("is duplicate")' });
		assert.deepEqual(take13.args.counts, [1, 3]);
		assert.equal(take13.repeat, 'error');
	});

	it('takes the repeat rule of custom setters from what nginx answered', () => {
		const raw = (name: string, module: string) => ({ name, module, origin: 'nginx', contexts: ['http', 'http.server'], args: { min: 1, max: 1, counts: [1], flag: false, block: false, any: false }, value_type: 'custom' });
		const facts: RepeatFactRow[] = [
			{ name: 'expires', module: 'm', same: { http: 'error', 'http.server': 'error' }, different: { http: 'error' } },
			{ name: 'index', module: 'm', same: { http: 'accepted' } },
			{ name: 'limit_conn', module: 'm', same: { http: 'error' }, different: { http: 'accepted' } },
			{ name: 'mixed', module: 'm', same: { http: 'error', 'http.server': 'accepted' } },
		];
		assert.equal(repeatFromFacts(facts[0]), 'error');
		assert.equal(repeatFromFacts(facts[1]), undefined);
		// refused only for the same key: a rule of its own, not "once per level"
		assert.equal(repeatFromFacts(facts[2]), undefined);
		assert.equal(repeatFromFacts(facts[3]), undefined);
		assert.equal(repeatFromFacts(undefined), undefined);
		const { directives } = convertNginx({ sources: {}, directives: [raw('expires', 'm'), raw('index', 'm'), raw('limit_conn', 'm'), raw('expires', 'other'), { ...raw('gzip', 'm'), repeat_same_level: 'accumulates' }] }, facts);
		assert.deepEqual(directives.map(d => d.repeat), ['error', undefined, undefined, undefined, 'accumulates']);
	});

	it('marks raw-content blocks', () => {
		const d = convertNginxDirective({ name: 'map', module: 'ngx_http_map_module', origin: 'nginx', contexts: ['http'], args: { min: 2, max: 2, counts: [2], flag: false, block: true, any: false }, value_type: 'custom', raw_content_block: true, raw_content_keywords: ['default', 'hostnames'] });
		assert.equal(d.rawBlock, true);
		assert.deepEqual(d.rawKeywords, ['default', 'hostnames']);
	});

	it('renders a module with a generated header', () => {
		const text = renderModule('X', 'T', [{ a: 1 }], { v: 1 });
		assert.match(text, /^\/\/ GENERATED by scripts\/generateData\.ts/);
		assert.match(text, /export const X: readonly T\[\] = \[\n\t\{"a":1\},\n\];/);
	});
});

describe('data generator: nginx variables', () => {
	const C_SOURCE = `
static ngx_http_variable_t  ngx_http_demo_vars[] = {

    { ngx_string("demo_addr"), NULL, ngx_http_demo_addr_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("demo_http_"), NULL, ngx_http_demo_prefix_variable,
      0, NGX_HTTP_VAR_NOCACHEABLE|NGX_HTTP_VAR_PREFIX, 0 },

      ngx_http_null_variable
};

static ngx_str_t  ngx_http_demo_ratio = ngx_string("demo_ratio");
static ngx_str_t  ngx_http_demo_unused = ngx_string("not_a_variable");

static ngx_int_t
ngx_http_demo_add_variables(ngx_conf_t *cf)
{
    var = ngx_http_add_variable(cf, &ngx_http_demo_ratio, NGX_HTTP_VAR_NOHASH);
}
`;

	it('reads the variable arrays and the static names added with ngx_http_add_variable', () => {
		const vars = extractSourceVariables([
			{ path: 'src/http/modules/ngx_http_demo_filter_module.c', text: C_SOURCE },
			{ path: 'src/stream/ngx_stream_variables.c', text: 'static ngx_stream_variable_t  ngx_stream_core_variables[] = {\n    { ngx_string("bytes_received"), NULL, h, 0, 0, 0 },\n      ngx_stream_null_variable\n};' },
			{ path: 'src/http/ngx_http_demo.h', text: C_SOURCE },
		]);
		assert.deepEqual(vars, [
			{ family: 'http', name: 'demo_addr', prefix: false, module: 'ngx_http_demo_module' },
			{ family: 'http', name: 'demo_http_', prefix: true, module: 'ngx_http_demo_module' },
			{ family: 'http', name: 'demo_ratio', prefix: false, module: 'ngx_http_demo_module' },
			{ family: 'stream', name: 'bytes_received', prefix: false, module: 'ngx_stream_core_module' },
		]);
	});

	it('names modules as the documentation does', () => {
		assert.equal(moduleOfSource('src/http/ngx_http_variables.c'), 'ngx_http_core_module');
		assert.equal(moduleOfSource('src/http/ngx_http_upstream.c'), 'ngx_http_upstream_module');
		assert.equal(moduleOfSource('src/http/modules/ngx_http_userid_filter_module.c'), 'ngx_http_userid_module');
		assert.equal(moduleOfSource('src/stream/ngx_stream_variables.c'), 'ngx_stream_core_module');
	});

	it('merges the documented variables with those only the source has; NAME marks a family', () => {
		const rows = convertNginxVariables(
			[{ name: '$arg_NAME', module: 'ngx_http_core_module' }, { name: '$uri', module: 'ngx_http_core_module' },
				{ name: '$memcached_key', module: 'ngx_http_memcached_module' }, { name: '$remote_addr', module: 'ngx_stream_core_module' }],
			{ source: {}, variables: [
				{ family: 'http', name: 'uri', prefix: false, module: 'ngx_http_core_module' },
				{ family: 'http', name: 'arg_', prefix: true, module: 'ngx_http_core_module' },
				{ family: 'http', name: 'proxy_add_via', prefix: false, module: 'ngx_http_proxy_module' },
			] });
		assert.deepEqual(rows, [
			{ name: 'arg_', module: 'ngx_http_core_module', family: 'http', documented: true, prefix: true },
			{ name: 'memcached_key', module: 'ngx_http_memcached_module', family: 'http', documented: true, userSet: true },
			{ name: 'proxy_add_via', module: 'ngx_http_proxy_module', family: 'http', documented: false },
			{ name: 'uri', module: 'ngx_http_core_module', family: 'http', documented: true },
			{ name: 'remote_addr', module: 'ngx_stream_core_module', family: 'stream', documented: true },
		]);
	});
});

describe('generated data', () => {
	it('holds every entry of the reference tables', () => {
		assert.equal(NGINX_DIRECTIVES.length, 839);
		assert.equal(UWSGI_OPTIONS.filter(o => o.since === '2.0').length, 1263);
		assert.equal(UWSGI_OPTIONS.filter(o => o.since === '2.1-dev').length, 74);
	});

	it('holds the variables of both families, documented or only in the source', () => {
		const has = (family: string, name: string) => NGINX_VARIABLES.find(v => v.family === family && v.name === name);
		assert.ok(has('http', 'request_uri')?.documented);
		assert.ok(has('http', 'http_')?.prefix);
		assert.ok(has('http', 'upstream_cookie_')?.prefix);
		assert.equal(has('http', 'proxy_add_via')?.documented, false);
		assert.equal(has('http', 'tcpinfo_rtt')?.documented, false);
		assert.equal(has('http', 'memcached_key')?.userSet, true);
		assert.ok(has('stream', 'bytes_received'));
		assert.equal(has('stream', 'request_uri'), undefined);
		assert.ok(NGINX_VARIABLES.length > 250);
	});
});
