/**
 * Directives that nginx once had and has removed. Configs written for older nginx (Debian 12
 * ships 1.22) still use them, so they are known names, never "unknown directive"; the version
 * that removed each one comes from the nginx changelog.
 */
import type { NginxDirectiveData } from './types';

const any = { min: 1, max: 1, counts: [1], flag: false, block: false, any: false } as const;
const flag = { min: 1, max: 1, counts: [1], flag: true, block: false, any: false } as const;

function removed(name: string, module: string, contexts: string[], removedIn: string, args: NginxDirectiveData['args'] = any): NginxDirectiveData {
	return { name, module, origin: 'nginx', contexts, args, valueType: 'custom', removedIn };
}

export const REMOVED_DIRECTIVES: readonly NginxDirectiveData[] = [
	removed('ssl', 'ngx_http_ssl_module', ['http', 'http.server'], '1.25.1', flag),
	removed('ssl', 'ngx_mail_ssl_module', ['mail', 'mail.server'], '1.25.1', flag),
	removed('limit_zone', 'ngx_http_limit_conn_module', ['http'], '1.7.6', { min: 3, max: 3, counts: [3], flag: false, block: false, any: false }),
	...['spdy_chunk_size', 'spdy_headers_comp', 'spdy_keepalive_timeout', 'spdy_max_concurrent_streams', 'spdy_pool_size',
		'spdy_recv_buffer_size', 'spdy_recv_timeout', 'spdy_streams_index_size'].map(n => removed(n, 'ngx_http_spdy_module', ['http', 'http.server', 'http.location'], '1.9.5')),
];
