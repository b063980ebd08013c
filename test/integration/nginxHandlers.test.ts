/**
 * Every pair of content handlers in one block, against the real `nginx -t`: two different ones
 * are accepted (the last wins) and we report no error but nginx-overridden-handler on the first;
 * the same pass twice is refused ("directive is duplicate") and we report nginx-duplicate-directive
 * on the second; the same handler without a duplicate check (stub_status twice) is accepted
 * silently. In http locations, `if` in a location, and stream servers.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/service';
import { nginxTestMany } from '../helpers/nginx';
import { requireProgram } from '../helpers/processes';

const HEAD = 'pid nginx.pid;\nerror_log error.log;\nevents {}\n';

/** http handlers with an argument nginx -t accepts (perl is not built into Debian's nginx-core). */
const HTTP = ['proxy_pass http://127.0.0.1:9001', 'uwsgi_pass 127.0.0.1:9002', 'fastcgi_pass 127.0.0.1:9003', 'scgi_pass 127.0.0.1:9004',
	'grpc_pass 127.0.0.1:9005', 'memcached_pass 127.0.0.1:9006', 'stub_status', 'empty_gif', 'flv', 'mp4'];
/** The ones `if` in a location takes. */
const IN_IF = ['proxy_pass http://127.0.0.1:9001', 'uwsgi_pass 127.0.0.1:9002', 'fastcgi_pass 127.0.0.1:9003', 'scgi_pass 127.0.0.1:9004',
	'grpc_pass 127.0.0.1:9005', 'memcached_pass 127.0.0.1:9006'];
const STREAM = ['proxy_pass 127.0.0.1:9001', 'return ok'];

interface Case { readonly first: string; readonly second: string; readonly config: string; readonly line: number }

function httpCase(first: string, second: string, inIf: boolean): Case {
	const open = inIf ? '            if ($arg_x) {\n' : '';
	const close = inIf ? '            }\n' : '';
	const config = `${HEAD}http {\n    access_log off;\n    server {\n        listen 127.0.0.1:18080;\n        location / {\n            set $memcached_key x;\n${open}            ${first};\n            ${second};\n${close}        }\n    }\n}\n`;
	return { first, second, config, line: config.split('\n').findIndex(l => l.trim() === `${first};`) };
}

function streamCase(first: string, second: string): Case {
	const config = `load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n${HEAD}stream {\n    server {\n        listen 127.0.0.1:19000;\n        ${first};\n        ${second};\n    }\n}\n`;
	return { first, second, config, line: config.split('\n').findIndex(l => l.trim() === `${first};`) };
}

function ours(config: string): Diagnostic[] {
	const svc = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
	return svc.doValidation(TextDocument.create('file:///handlers/nginx.conf', 'nginx', 1, config));
}

const word = (h: string) => h.split(' ')[0];

describe('content handlers side by side: nginx -t and our checks agree', () => {
	before(() => requireProgram('nginx', 'apt-get install nginx-core (scripts/test-all.sh does it)'));

	it('every pair in a location, an if in a location, and a stream server', async () => {
		const all: Case[] = [];
		for (const a of HTTP) { for (const b of HTTP) { all.push(httpCase(a, b, false)); } }
		for (const a of IN_IF) { for (const b of IN_IF) { all.push(httpCase(a, b, true)); } }
		for (const a of STREAM) { for (const b of STREAM) { all.push(streamCase(a, b)); } }
		const verdicts = await nginxTestMany(all.map(c => c.config));
		const problems: string[] = [];
		for (let i = 0; i < all.length; i++) {
			const c = all[i];
			const v = verdicts[i];
			const ds = ours(c.config);
			const errors = ds.filter(d => d.severity === 1);
			const overridden = ds.filter(d => d.code === 'nginx-overridden-handler').map(d => d.range.start.line);
			const what = `${word(c.first)} then ${word(c.second)}${c.config.includes('if (') ? ' in an if' : ''}${c.config.includes('stream') ? ' in stream' : ''}`;
			if (word(c.first) === word(c.second)) {
				const duplicate = /directive is duplicate/.test(v.output);
				if (duplicate !== errors.some(d => d.code === 'nginx-duplicate-directive' && d.range.start.line === c.line + 1)) {
					problems.push(`${what}: nginx ${v.status === 0 ? 'accepts' : `says ${v.output.trim()}`}; we say ${errors.map(d => d.code).join(', ') || 'no error'}`);
				}
				if (!duplicate && (v.status !== 0 || errors.length)) { problems.push(`${what}: nginx status ${v.status}, our errors ${errors.map(d => d.code).join(', ')}`); }
				if (overridden.length) { problems.push(`${what}: the same handler twice is not overridden by another`); }
				continue;
			}
			if (v.status !== 0) { problems.push(`${what}: nginx refuses: ${v.output.trim()}`); }
			if (errors.length) { problems.push(`${what}: nginx accepts, we report ${errors.map(d => `${String(d.code)} ${String(d.message)}`).join(' | ')}`); }
			if (overridden.join() !== String(c.line)) { problems.push(`${what}: nginx-overridden-handler on lines [${overridden.join()}], expected [${c.line}]`); }
		}
		assert.deepEqual(problems, []);
	});
});
