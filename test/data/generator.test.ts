/** Golden tests of the data generator's conversion functions on small hand-made inputs. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertNginx, convertNginxDirective, convertUwsgi, isRepeatable, renderModule, repeatFromFacts, type RawUwsgiOption, type RawUwsgiTables, type RepeatFactRow } from '../../scripts/dataConversion';
import { NGINX_DIRECTIVES } from '../../server/src/data/generated/nginxDirectives';
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

describe('generated data', () => {
	it('holds every entry of the reference tables', () => {
		assert.equal(NGINX_DIRECTIVES.length, 839);
		assert.equal(UWSGI_OPTIONS.filter(o => o.since === '2.0').length, 1263);
		assert.equal(UWSGI_OPTIONS.filter(o => o.since === '2.1-dev').length, 74);
	});
});
