/**
 * "Nothing lost" on synthetic workspaces (issue 8), seeded: an nginx site and a uWSGI ini built
 * from pieces that trigger every quick fix and seam refactoring of the product, in random order,
 * with random indentation, blank and comment lines, LF or CRLF endings. Every action offered is
 * applied and checked (test/helpers/nothingLost.ts): edits only on their target lines, every
 * byte outside the edited ranges unchanged, the result parses and prints back, keeps its line
 * endings, and a quick fix removes its diagnostic. `npm run test:actions-corpus` does the same
 * over every file of the real-world corpus.
 *
 * Reproduce a failure with the seed it prints: FUZZ_SEED=<seed> node --test out/test/fuzz/nothingLost.test.js
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codesWithFixes } from '../../server/src/features/codeActions';
import { getLanguageService } from '../../server/src/service';
import { checkActions, newStats } from '../helpers/nothingLost';

const SEED = Number(process.env.FUZZ_SEED ?? 0x10057);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

/** nginx pieces of a server block (locations and server-level directives), with what they trigger. */
const NGINX_LOCATIONS = [
	'location /typo {\n\tinclude uwsgi_params;\n\tuwsgi_pas 127.0.0.1:3031;\n}', // nginx-unknown-directive
	'location /params {\n\tuwsgi_pass 127.0.0.1:3031;\n}', // nginx-missing-uwsgi-params
	'location /inline { uwsgi_pass 127.0.0.1:3031; }', // nginx-missing-uwsgi-params, on a shared line
	'location /up {\n\tinclude uwsgi_params;\n\tuwsgi_pass bakend;\n}', // nginx-unknown-upstream
	'location /drift {\n\tinclude uwsgi_params;\n\tuwsgi_pass unix:/run/uwsgi/ap.sock;\n}', // socket-not-served
	'location /proto {\n\tproxy_pass http://127.0.0.1:3031;\n}', // protocol-mismatch
	'location /http {\n\tproxy_pass http://127.0.0.1:8080/;\n}', // switch to the uwsgi protocol
	'location /tcp {\n\tinclude uwsgi_params;\n\tuwsgi_pass 127.0.0.1:3031;\n}', // convert to unix socket
	'location /static/ {\n\talias /srv/static/;\n}',
	'location /assets {\n\talias /srv/app/assets/;\n}', // nginx-alias-traversal
	'location /media {\n\talias "/srv/app/media";\n}', 'location /files/ { alias /srv/files; }', // nginx-alias-sibling (both, the alias alone)
	'location /host {\n\tproxy_set_header X-Forwarded-Host $arg_host;\n\tproxy_pass http://127.0.0.1:9000;\n}', // nginx-host-spoofing from a query argument
	'location /admin/ {\n\tallow 10.0.0.0/8;\n\tallow 192.168.0.0/16;\n\tinclude uwsgi_params;\n\tuwsgi_pass unix:/run/uwsgi/app.sock;\n}', // nginx-allow-without-deny
	'location /nginx_status { stub_status; }', // nginx-open-stub-status
	'server_tokens on;', // nginx-server-tokens
	'location ~ \\.php$ {\n\tproxy_pass http://127.0.0.1:9000/;\n}', // nginx-misplaced-directive (a URI part in a regex location)
	'location /named {\n\tindex index.html\n\tcharset utf-8;\n}', // nginx-missing-semicolon
	'ssl_protocols TLSv1 TLSv1.1 TLSv1.2;', // nginx-weak-tls
	'error_log off;', // nginx-error-log-off
	'location /img/ {\n\tvalid_referers none blocked *.example.com;\n\tif ($invalid_referer) { return 403; }\n}', // nginx-valid-referers-none
	'add_header X-Frame-Options DENY;', 'location /cached/ {\n\tadd_header Cache-Control public;\n\talias /srv/cached/;\n}', // nginx-header-inheritance
	'location /spoof {\n\tproxy_set_header Host $http_host;\n\tproxy_pass http://127.0.0.1:9000;\n}', // nginx-host-spoofing
	'location /moved {\n\treturn 301 https://$host$reqest_uri;\n}', // nginx-unknown-variable
	'access_log /var/log/nginx/site.log mian;', // nginx-unknown-log-format (log_format main is declared in http)
	'location /limited {\n\tlimit_req zone=per_ip burst=5;\n\treturn 204;\n}', // nginx-unknown-zone (zone perip is declared in http)
	'location /both {\n\tinclude uwsgi_params;\n\tuwsgi_pass 127.0.0.1:3031;\n\tproxy_pass http://127.0.0.1:9000;\n}', // nginx-overridden-handler
	'location /pair { empty_gif; stub_status; }', // nginx-overridden-handler, on a shared line
	'location /path {\n\tinclude uwsgi_params;\n\tuwsgi_pass /run/uwsgi/app.sock;\n}', // nginx-invalid-value: a socket path without unix:
];

const INI_LINES = [
	'vaccum = true', // uwsgi-unknown-option
	'master = flase', // uwsgi-suspicious-boolean
	'buffer-size = 64k', // uwsgi-invalid-value
	'harakiri = 2m', // uwsgi-misread-number
	'pidfile = /run/uwsgi/app.pid # the pid', // uwsgi-inline-comment
	'cheaper-algo = spar', // uwsgi-ignored-value
	'stats = :9191', // uwsgi-public-stats
	'threads = 2', 'threads = 4', // uwsgi-duplicate-option
	'chmod-socket = 666', 'chown-socket = app:www-data', // uwsgi-world-writable-socket (its fix once nginx's group owns the socket)
	'http = :8000', // uwsgi-http-router-public
	'daemonize = /var/log/app.log', // uwsgi-daemonize-managed (with socket = =0)
	'module = app.wsgi:application',
	'# a comment',
	'',
];

/** The sockets: a TCP uwsgi socket (convert, protocol mismatch), a unix one (drift), an http-socket (switch), one from the parent process. */
const INI_SOCKETS = ['socket = 0.0.0.0:3031', 'socket = /run/uwsgi/app.sock', 'http-socket = 127.0.0.1:8080', 'socket = =0'];

function indent(text: string, unit: string, depth: number): string {
	return text.split('\n').map(l => (l ? unit.repeat(depth) + l.replace(/\t/g, unit) : l)).join('\n');
}

const arbWorkspace = fc.record({
	locations: fc.shuffledSubarray(NGINX_LOCATIONS, { minLength: 1 }),
	iniLines: fc.shuffledSubarray(INI_LINES, { minLength: 1 }),
	sockets: fc.shuffledSubarray(INI_SOCKETS, { minLength: 1 }),
	header: fc.constantFrom('[uwsgi]', '[uwsgi]', '[uwsgi]', '[ uwsgi ]', ''),
	unit: fc.constantFrom('    ', '\t', '  '),
	eol: fc.constantFrom('\n', '\r\n'),
	blank: fc.constantFrom('', '\n', '\n# note\n'),
	trailing: fc.boolean(),
	upstreamFirst: fc.boolean(),
	map: fc.boolean(), // nginx-map-no-default
	bom: fc.constantFrom(false, false, false, true), // nginx-byte-order-mark (a BOM hides the http block from most checks: now and then)
});

type Workspace = typeof arbWorkspace extends fc.Arbitrary<infer T> ? T : never;

function build(w: Workspace): { nginx: string; ini: string } {
	const upstream = 'upstream backend {\n\tserver 127.0.0.1:9000;\n}';
	const body = w.locations.map(l => indent(l, w.unit, 2)).join(`\n${w.blank}`);
	const server = `${indent('server {', w.unit, 1)}\n${indent('listen 80;', w.unit, 2)}\n${body}\n${indent('}', w.unit, 1)}`;
	const up = indent(upstream, w.unit, 1);
	const map = w.map ? `${indent('map $http_upgrade $connection_upgrade {\n\twebsocket upgrade;\n}', w.unit, 1)}\n` : '';
	const declarations = `${indent("log_format main '$remote_addr $status';\nlimit_req_zone $binary_remote_addr zone=perip:10m rate=1r/s;", w.unit, 1)}\n`;
	let nginx = `${w.bom ? '\ufeff' : ''}http {\n${declarations}${map}${w.upstreamFirst ? `${up}\n${server}` : `${server}\n${up}`}\n}`;
	let ini = [...(w.header ? [w.header] : []), ...w.sockets, ...w.iniLines].join('\n');
	if (w.trailing) { nginx += '\n'; ini += '\n'; }
	return { nginx: nginx.split('\n').join(w.eol), ini: ini.split('\n').join(w.eol) };
}

describe(`nothing lost: every code action applied to synthetic workspaces (seed ${SEED}, ${RUNS} workspaces)`, () => {
	it('every action changes only its target lines; the result parses, keeps its line endings, and a fix removes its diagnostic', () => {
		const stats = newStats();
		const internalErrors: string[] = [];
		const details = fc.check(fc.property(arbWorkspace, w => {
			const { nginx, ini } = build(w);
			const service = getLanguageService({ onInternalError: (where, e) => internalErrors.push(`${where}: ${String(e)}`) });
			const n = TextDocument.create('file:///w/etc/nginx/sites-enabled/site.conf', 'nginx', 1, nginx);
			const u = TextDocument.create('file:///w/srv/app/uwsgi.ini', 'uwsgi-ini', 1, ini);
			service.workspace.set(n, 'nginx');
			service.workspace.set(u, 'uwsgi');
			const before = stats.failures.length;
			checkActions(service, n, stats);
			checkActions(service, u, stats);
			if (stats.failures.length > before) {
				throw new Error(`${stats.failures.slice(before).join('\n')}\nnginx: ${JSON.stringify(nginx)}\nini: ${JSON.stringify(ini)}`);
			}
			assert.deepEqual(internalErrors, []);
		}), { seed: SEED, numRuns: RUNS });
		if (details.failed) { throw new Error(`seed ${SEED}, counterexample ${JSON.stringify(details.counterexample)}:\n${String(details.errorInstance)}`); }
		// every quick fix of the product and every seam action was applied somewhere
		const applied = [...stats.byCode.keys()];
		const missing = [...codesWithFixes(), 'socket-not-served', 'protocol-mismatch', 'refactor: Switch to the uwsgi protocol', 'refactor: Convert to unix socket'].filter(c => !applied.includes(c));
		assert.deepEqual(missing, [], `never applied; applied: ${JSON.stringify([...stats.byCode])}`);
		assert.ok(stats.applied > RUNS * 5, `only ${stats.applied} actions applied`);
	});
});
