/**
 * Addresses against the real `nginx -t`, generated: random hosts (IPv4, IPv6 in brackets, names,
 * `*`, unix paths of every length), ports (out of range, empty, not numbers, ranges), URI parts and
 * schemes, in every place nginx reads an address (upstream `server` in http and stream, each
 * `*_pass`, stream `proxy_pass`, `listen` in http and stream). For each, nginx's verdict and ours
 * must agree: nginx accepts ⇔ we report no error on that line, and when it refuses our message
 * names its reason ("invalid port in upstream", "no port in upstream", "invalid URL prefix", …).
 * Host names nginx resolves depend on the machine ("host not found"), and `nginx -t` binds the
 * listening sockets ("bind() to … failed" for an address this host lacks): those cases are left
 * out. A unix `listen` is bound (the socket file made) in the case's temp dir, never in /tmp.
 *
 * NGINX_ADDRESS_CASES sets how many cases per place (default 60); NGINX_ADDRESS_SEED the seed.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/service';
import { nginxTestMany } from '../helpers/nginx';
import { requireProgram } from '../helpers/processes';
import { seededRandom as random } from '../helpers/rng';

const CASES = Number(process.env.NGINX_ADDRESS_CASES ?? 60);
const SEED = Number(process.env.NGINX_ADDRESS_SEED ?? 0xadd7e55);


const HOSTS = ['127.0.0.1', '0.0.0.0', '10.1.2.3', 'localhost', '*', '', '[::1]', '[::]', '[1::2::3]', '[::ffff:1.2.3.4]', '[fe80::1', '[]',
	'[12345::1]', '[1:2:3:4:5:6:7:8]', '[1:2:3:4:5:6:7:8:9]', '[::1.2.3.4]', '[1.2.3.4]', '[1:2:3:4:5:6:1.2.3.4]', '[::g]', '[:1]', '[1::]', '[1:]',
	'unix:/tmp/a.sock', 'unix:', 'UNIX:/tmp/b.sock', `unix:/tmp/${'x'.repeat(98)}`, `unix:/tmp/${'y'.repeat(103)}`, '/tmp/a.sock', '127.0.0.1.5', '::1', '1.2.3.4x'];
const PORTS = [undefined, '80', '0', '65535', '65536', '08080', 'YOURPORT', '', '99999999999999999999', '80-90', '90-80', '-80', '80-', '1-65536', '+80'];
const URIS = [undefined, undefined, '/', '/app/', '?x=1', '/a?b', ':/u'];

interface Place {
	readonly name: string;
	readonly schemes: readonly string[];
	/** The config with the address in place. */
	readonly config: (address: string) => string;
	/** nginx -t binds what it listens on: unix paths stay in the case's folder (the same length as /tmp/). */
	readonly binds?: boolean;
}

const HEAD = 'pid nginx.pid;\nerror_log error.log;\nevents {}\n';
const STREAM = 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n';
const HTTP = (body: string) => `${HEAD}http {\n    access_log off;\n${body}\n}\n`;
const LOCATION = (line: string) => HTTP(`    server {\n        listen 127.0.0.1:18080;\n        location / {\n            set $memcached_key x;\n            ${line}\n        }\n    }`);

const PLACES: readonly Place[] = [
	{ name: 'http upstream server', schemes: [''], config: a => HTTP(`    upstream u {\n        server ${a};\n    }\n    server { listen 127.0.0.1:18080; location / { proxy_pass http://u; } }`) },
	{ name: 'proxy_pass', schemes: ['http://', 'https://', 'HTTP://', '', 'uwsgi://'], config: a => LOCATION(`proxy_pass ${a};`) },
	{ name: 'uwsgi_pass', schemes: ['', '', 'uwsgi://', 'suwsgi://', 'http://'], config: a => LOCATION(`uwsgi_pass ${a};`) },
	{ name: 'fastcgi_pass', schemes: ['', '', 'fastcgi://'], config: a => LOCATION(`fastcgi_pass ${a};`) },
	{ name: 'scgi_pass', schemes: [''], config: a => LOCATION(`scgi_pass ${a};`) },
	{ name: 'grpc_pass', schemes: ['', 'grpc://', 'grpcs://'], config: a => LOCATION(`grpc_pass ${a};`) },
	{ name: 'memcached_pass', schemes: [''], config: a => LOCATION(`memcached_pass ${a};`) },
	{ name: 'http listen', schemes: [''], binds: true, config: a => HTTP(`    server {\n        listen ${a};\n    }`) },
	{ name: 'stream upstream server', schemes: [''], config: a => `${STREAM}${HEAD}stream {\n    upstream u {\n        server ${a};\n    }\n    server { listen 127.0.0.1:19000; proxy_pass u; }\n}\n` },
	{ name: 'stream proxy_pass', schemes: [''], config: a => `${STREAM}${HEAD}stream {\n    server {\n        listen 127.0.0.1:19000;\n        proxy_pass ${a};\n    }\n}\n` },
	{ name: 'stream listen', schemes: [''], binds: true, config: a => `${STREAM}${HEAD}stream {\n    server {\n        listen ${a};\n        proxy_pass 127.0.0.1:1;\n    }\n}\n` },
];

function address(rnd: () => number, schemes: readonly string[]): string {
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
	const port = pick(PORTS);
	const uri = pick(URIS);
	return `${pick(schemes)}${pick(HOSTS)}${port === undefined ? '' : `:${port}`}${uri ?? ''}`;
}

interface Case { place: string; address: string; config: string; line: number }

function cases(): Case[] {
	const rnd = random(SEED);
	const out: Case[] = [];
	for (const p of PLACES) {
		const seen = new Set<string>();
		for (let i = 0; i < CASES * 3 && seen.size < CASES; i++) {
			let a = address(rnd, p.schemes);
			if (p.binds) { a = a.replace('/tmp/', './///'); }
			// no address at all is another error (the number of arguments)
			if (seen.has(a) || a === '') { continue; }
			seen.add(a);
			const config = p.config(a);
			const line = config.split('\n').findIndex(l => l.includes(`${p.name.endsWith('listen') ? 'listen' : p.name.endsWith('server') ? 'server' : p.name.replace(/^stream /, '')} ${a};`));
			out.push({ place: p.name, address: a, config, line });
		}
	}
	return out;
}

/** Our error messages on one line of a config (a fresh service per config: no upstream names leak between cases). */
function ourErrors(config: string, line: number): string[] {
	const svc = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
	const doc = TextDocument.create('file:///addresses/nginx.conf', 'nginx', 1, config);
	return svc.doValidation(doc).filter(d => d.severity === 1 && d.range.start.line <= line && line <= d.range.end.line).map(d => `${String(d.code)}: ${String(d.message)}`);
}

describe(`nginx -t and our checks agree on generated addresses (seed ${SEED}, ${CASES} per place)`, () => {
	before(() => requireProgram('nginx', 'apt-get install nginx-core (scripts/test-all.sh does it)'));

	it('every address nginx accepts gets no error from us; every one it refuses gets an error naming its reason', async () => {
		const all = cases();
		assert.ok(all.every(c => c.line > 0), 'each case finds its line');
		const verdicts = await nginxTestMany(all.map(c => c.config));
		const disagreements: string[] = [];
		let compared = 0;
		let refused = 0;
		for (let i = 0; i < all.length; i++) {
			const c = all[i];
			const v = verdicts[i];
			const said = /\[emerg\] (.*?)(?: in <dir>\/nginx\.conf:\d+)?\n/.exec(v.output)?.[1] ?? '';
			// a name nginx resolves, an address it binds on this machine: not a verdict on the config
			if (/host not found|^bind\(\) to /.test(said)) { continue; }
			compared++;
			const ours = ourErrors(c.config, c.line);
			if (v.status === 0) {
				if (ours.length) { disagreements.push(`${c.place} "${c.address}": nginx accepts, we say ${ours.join(' | ')}`); }
				continue;
			}
			refused++;
			// nginx's reason: the words before ` in upstream`, ` in "…" of the`, or the whole message
			const reason = /^(.*?)(?: in upstream "| in "[^"]*" of the "listen" directive|$)/.exec(said)![1].replace(/ in "[^"]*"$/, '');
			if (!ours.some(m => m.includes(reason))) {
				disagreements.push(`${c.place} "${c.address}": nginx says "${said}", we say ${ours.length ? ours.join(' | ') : 'nothing'}`);
			}
		}
		assert.ok(compared > all.length / 2 && refused > compared / 5, `too few comparable cases: ${compared} of ${all.length}, ${refused} refused`);
		assert.deepEqual(disagreements, [], `${disagreements.length} of ${compared} disagree`);
	});
});
