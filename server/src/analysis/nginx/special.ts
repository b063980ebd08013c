/**
 * Values of directives with their own parsers that the slot data cannot describe: `listen`
 * (port range, parameters), pass targets (port range), `return` codes, `if` conditions in
 * parentheses, `keepalive_timeout` times, and the shared-memory zones `limit_req`/`limit_conn`
 * use. All reported as nginx-invalid-value.
 */
import type { NginxDirective, NginxToken } from '../../parser/nginx/nodes';
import { closestMatches } from '../../utils/strings';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { didYouMean } from '../findings';
import { contextsOf, isUncheckable } from './fileContexts';
import { PASS_DIRECTIVES } from './upstreams';
import { isTime } from './values';

const HTTP_LISTEN_PARAMS = ['default_server', 'default', 'ssl', 'http2', 'quic', 'proxy_protocol', 'setfib=', 'fastopen=', 'backlog=', 'rcvbuf=', 'sndbuf=', 'accept_filter=', 'deferred', 'bind', 'ipv6only=', 'reuseport', 'so_keepalive=', 'multipath'];
const TIME_MS = new Set(['ms', 's', 'm', 'h', 'd', 'w']);
const TIME_S = new Set(['s', 'm', 'h', 'd', 'w', 'M', 'y']);

function bad(ctx: NginxContext, d: NginxDirective, t: NginxToken, detail: string): void {
	ctx.report({ code: Codes.nginxInvalidValue, offset: t.offset, length: t.length, args: { name: d.name.value, detail } });
}

/** The port of `host:port`, `:port`, `[v6]:port` or a bare number, when there is one. */
function portOf(addr: string): string | undefined {
	if (/^\d+$/.test(addr)) { return addr; }
	const m = /^(?:\[[^\]]*\]|[^:/[]*):(\d*)$/.exec(addr);
	return m ? m[1] : undefined;
}

export function checkSpecialValues(ctx: NginxContext, zones: ReadonlySet<string>): void {
	for (const d of ctx.file.directives) {
		if (d.terminator === 'missing' || isUncheckable(ctx, d)) { continue; }
		const name = d.name.value;
		const first = d.args[0];
		if (!first) { continue; }
		if (name === 'if' && d.block) {
			const last = d.args[d.args.length - 1];
			if (!first.value.startsWith('(') || !last.value.endsWith(')')) {
				bad(ctx, d, first, 'the condition of "if" must be in parentheses: nginx stops with "invalid condition".');
			}
			continue;
		}
		if (first.value.includes('$')) { continue; }
		if (name === 'listen' && contextsOf(ctx, d).includes('http.server')) {
			const port = first.value.startsWith('unix:') ? undefined : portOf(first.value);
			if (port !== undefined && (port === '' || Number(port) > 65535 || Number(port) === 0)) { bad(ctx, d, first, `port "${port}" is not a TCP port (1-65535): nginx stops with "invalid port".`); }
			for (const a of d.args.slice(1)) {
				if (HTTP_LISTEN_PARAMS.some(p => (p.endsWith('=') ? a.value.startsWith(p) : a.value === p))) { continue; }
				const guess = closestMatches(a.value.replace(/=.*$/, ''), HTTP_LISTEN_PARAMS.map(p => p.replace(/=$/, '')), 1);
				bad(ctx, d, a, `"${a.value}" is not a parameter of listen: nginx stops with "invalid parameter".${didYouMean(guess)}`);
			}
		} else if (PASS_DIRECTIVES.has(name)) {
			const host = first.value.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
			const port = host.startsWith('unix:') ? undefined : portOf(host);
			if (port !== undefined && port !== '' && Number(port) > 65535) { bad(ctx, d, first, `port ${port} is not a TCP port (1-65535): nginx stops with "invalid port in upstream".`); }
			if (port === '' && host.endsWith(':')) { bad(ctx, d, first, `"${host}" has an empty port: nginx stops with "invalid port in upstream".`); }
		} else if (name === 'return' && contextsOf(ctx, d).some(c => c.startsWith('http'))) {
			if (/^\d+$/.test(first.value) && Number(first.value) > 999) { bad(ctx, d, first, `${first.value} is not an HTTP status code: nginx stops with "invalid return code".`); }
		} else if (name === 'keepalive_timeout' && contextsOf(ctx, d).some(c => c.startsWith('http') && c !== 'http.upstream')) {
			if (!isTime(first.value, TIME_MS)) { bad(ctx, d, first, `"${first.value}" is not a time such as 75s (months and years are not allowed).`); }
			if (d.args[1] && !isTime(d.args[1].value, TIME_S)) { bad(ctx, d, d.args[1], `"${d.args[1].value}" is not a time such as 60s.`); }
		} else if ((name === 'limit_req' || name === 'limit_conn') && zones.size) {
			const zone = name === 'limit_req' ? /^zone=([^\s]+)$/.exec(first.value)?.[1] : first.value;
			if (zone && !zones.has(zone)) {
				bad(ctx, d, first, `no ${name}_zone defines "${zone}" in the workspace: nginx stops with "zero size shared memory zone".${didYouMean(closestMatches(zone, zones, 2))}`);
			}
		}
	}
}

/** Zone names of every limit_req_zone / limit_conn_zone of the workspace. */
export function zoneNames(files: Iterable<{ readonly file: { readonly directives: readonly NginxDirective[] } }>): Set<string> {
	const out = new Set<string>();
	for (const { file } of files) {
		for (const d of file.directives) {
			if (d.name.value !== 'limit_req_zone' && d.name.value !== 'limit_conn_zone') { continue; }
			for (const a of d.args) {
				const m = /^zone=([^:]+):/.exec(a.value);
				if (m) { out.add(m[1]); }
			}
		}
	}
	return out;
}

export function checkSpecial(ctx: NginxContext): void {
	checkSpecialValues(ctx, zoneNames(ctx.workspace.nginxFiles()));
}
