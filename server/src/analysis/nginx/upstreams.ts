/**
 * nginx-unknown-upstream: `uwsgi_pass`, `fastcgi_pass`, `scgi_pass`, `memcached_pass` (and
 * `proxy_pass`/`grpc_pass` without a scheme-default port) to a bare name with no port that no
 * `upstream` block anywhere in the workspace defines. nginx -t stops with "no port in upstream".
 */
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { closestMatches } from '../../utils/strings';
import { didYouMean } from '../findings';

/** Directives that take an address or an upstream name, and whether a scheme gives a default port. */
export const PASS_DIRECTIVES: ReadonlySet<string> = new Set(['uwsgi_pass', 'fastcgi_pass', 'scgi_pass', 'memcached_pass', 'proxy_pass', 'grpc_pass']);

/** Names of every `upstream` block in the workspace's nginx files. */
export function upstreamNames(files: Iterable<{ readonly file: NginxFile }>): Map<string, NginxDirective> {
	const names = new Map<string, NginxDirective>();
	for (const { file } of files) {
		for (const d of file.directives) {
			if (d.name.value === 'upstream' && d.block && d.args.length === 1 && !names.has(d.args[0].value)) {
				names.set(d.args[0].value, d);
			}
		}
	}
	return names;
}

/** The upstream-name part of a pass target, when it is a bare name without a port. */
export function bareUpstreamName(directive: string, target: string): string | undefined {
	if (target.includes('$')) { return undefined; }
	let host = target;
	const scheme = /^([a-z]+):\/\//.exec(host);
	if (scheme) {
		// with a scheme, nginx adds the scheme's default port: not "no port in upstream"
		if (directive === 'proxy_pass' || directive === 'grpc_pass') { return undefined; }
		host = host.slice(scheme[0].length);
	} else if (directive === 'proxy_pass' || directive === 'grpc_pass') {
		return undefined;
	}
	if (host.startsWith('unix:')) { return undefined; }
	host = host.replace(/\/.*$/, '');
	if (!host || host.includes(':') || host.startsWith('[')) { return undefined; }
	return host;
}

export interface UnknownUpstreamData {
	readonly candidates: readonly string[];
}

export function checkUnknownUpstreams(ctx: NginxContext): void {
	let names: Map<string, NginxDirective> | undefined;
	for (const d of ctx.file.directives) {
		if (!PASS_DIRECTIVES.has(d.name.value) || d.args.length !== 1) { continue; }
		const name = bareUpstreamName(d.name.value, d.args[0].value);
		if (!name) { continue; }
		names ??= upstreamNames(ctx.workspace.nginxFiles());
		if (names.has(name)) { continue; }
		const candidates = closestMatches(name, names.keys(), 3);
		const data: UnknownUpstreamData = { candidates };
		ctx.report({
			code: Codes.nginxUnknownUpstream, offset: d.args[0].offset, length: d.args[0].length,
			args: { name, directive: d.name.value, hint: didYouMean(candidates) }, data,
		});
	}
}

/** Parameters of `server` in an http upstream (ngx_http_upstream_server and NGINX Plus). */
const SERVER_PARAMS = ['weight=', 'max_fails=', 'fail_timeout=', 'backup', 'down', 'max_conns=', 'resolve', 'service=', 'route=', 'slow_start=', 'drain'];

/** nginx-empty-upstream, and upstream `server` lines with a parameter nginx does not know (nginx-invalid-value). */
export function checkUpstreamBlocks(ctx: NginxContext): void {
	for (const d of ctx.file.directives) {
		if (d.name.value !== 'upstream' || !d.block || !d.args[0] || d.block.raw) { continue; }
		const servers = d.block.children.filter((c): c is NginxDirective => c.kind === 'directive' && c.name.value === 'server');
		const includes = d.block.children.some(c => c.kind === 'directive' && c.name.value === 'include');
		// third-party balancers (upsync, dynamic upstreams) fill servers at run time
		const dynamic = d.block.children.some(c => c.kind === 'directive' && /^(upsync|dynamic|zone_sync|jdomain|consul|dyups)/.test(c.name.value));
		if (!servers.length && !includes && !dynamic) {
			ctx.report({ code: Codes.nginxEmptyUpstream, offset: d.args[0].offset, length: d.args[0].length, args: { name: d.args[0].value } });
		}
		for (const s of servers) {
			for (const a of s.args.slice(1)) {
				if (a.value.includes('$') || SERVER_PARAMS.some(p => (p.endsWith('=') ? a.value.startsWith(p) : a.value === p))) { continue; }
				const guess = closestMatches(a.value.replace(/=.*$/, ''), SERVER_PARAMS.map(p => p.replace(/=$/, '')), 1);
				ctx.report({ code: Codes.nginxInvalidValue, offset: a.offset, length: a.length, args: { name: 'server', detail: `"${a.value}" is not a parameter of an upstream server: nginx stops with "invalid parameter".${didYouMean(guess)}` } });
			}
		}
	}
}
