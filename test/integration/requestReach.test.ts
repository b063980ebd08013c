/**
 * What a client's request reaches on the real nginx (Debian's nginx-core, started on loopback
 * in a temp prefix, files on disk, raw requests written on a socket so that nothing normalises
 * `..` before nginx sees it), against our security findings on the very config nginx ran:
 *
 * - alias: for each location with an `alias`, a request that tries the folder above the alias
 *   (`…../parent.txt`) and one that tries a folder beside it (`…-old/secret.txt`).
 *   nginx-alias-traversal must fire exactly on the aliases where the first reached the file
 *   above, nginx-alias-sibling exactly where the second reached the file beside;
 * - internal locations: a direct request gets 404; a rewrite reaches one with the client's
 *   arguments and URI, try_files and error_page with only what they write; a named location
 *   keeps the client's URI and arguments. nginx-ssrf fires on `$arg_target` exactly in the
 *   locations where the argument arrived.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService, pathToUri } from '../../server/src/service';
import { freePort, makeTempDir, nginxConf, removeTempDirs, startNginx, stopAll } from '../helpers/stack';
import { requireProgram } from '../helpers/processes';

/** GET `target` exactly as written (no URL library in between): status code and body. */
function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.0\r\nHost: test\r\n\r\n`));
		let data = '';
		socket.setEncoding('utf8');
		socket.setTimeout(5000, () => socket.destroy(new Error(`GET ${target}: timed out`)));
		socket.on('data', (d: string) => { data += d; });
		socket.on('error', reject);
		socket.on('end', () => {
			const status = Number(/^HTTP\/1\.\d (\d{3})/.exec(data)?.[1] ?? 0);
			resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
		});
	});
}

function diagnose(file: string): { text: string; diagnostics: Diagnostic[] } {
	const text = fs.readFileSync(file, 'utf8');
	const service = getLanguageService();
	const document = TextDocument.create(pathToUri(file), 'nginx', 1, text);
	service.workspace.set(document, 'nginx');
	return { text, diagnostics: service.doValidation(document) };
}

/** The 0-based line of the only line holding `needle`. */
function lineOf(text: string, needle: string): number {
	const hits = text.split('\n').flatMap((l, i) => (l.includes(needle) ? [i] : []));
	assert.equal(hits.length, 1, `"${needle}" must be on exactly one line`);
	return hits[0];
}

describe('nginx: where requests reach (alias, internal locations)', () => {
	let dir: string;
	let port: number;
	let conf: string;
	/** The locations under test, as `location` lines with their alias; each key is a prefix the probes start from. */
	let aliases: { probe: string; location: string; alias: string }[];

	before(async () => {
		requireProgram('nginx', 'apt-get install nginx-core');
		dir = makeTempDir('uwsgi-nginx-reach-');
		const data = path.join(dir, 'd');
		const write = (rel: string, body: string) => {
			fs.mkdirSync(path.dirname(path.join(data, rel)), { recursive: true });
			fs.writeFileSync(path.join(data, rel), body);
		};
		write('home/a.txt', 'inside\n');
		write('home-old/secret.txt', 'beside\n');
		write('home../s.txt', 'dots\n');
		write('parent.txt', 'above\n');
		for (const p of [data, path.join(data, 'home'), path.join(data, 'home-old'), path.join(data, 'home..')]) { fs.chmodSync(p, 0o755); }
		const home = path.join(data, 'home');
		aliases = [
			{ probe: '/a1', location: 'location /a1', alias: `${home}/` },
			{ probe: '/a2', location: 'location /a2', alias: home },
			{ probe: '/a3/', location: 'location /a3/', alias: home },
			{ probe: '/a4/', location: 'location /a4/', alias: `${home}/` },
			{ probe: '/a5', location: 'location ^~ /a5', alias: home },
			{ probe: '/a6', location: 'location = /a6', alias: home },
			{ probe: '/r1', location: 'location ~ ^/r1(.*)$', alias: `${home}/$1` },
			{ probe: '/r2', location: 'location ~ ^/r2(.*)$', alias: `${home}$1` },
			{ probe: '/r3/', location: 'location ~ ^/r3/(.*)$', alias: `${home}$1` },
			{ probe: '/r4/', location: 'location ~ ^/r4/(.*)$', alias: `${home}/$1` },
		];
		port = await freePort();
		const locations = aliases.map(a => `    ${a.location} {\n        alias ${a.alias};\n    }`).join('\n');
		conf = path.join(dir, 'nginx.conf');
		fs.writeFileSync(conf, nginxConf(dir, `server {
    listen 127.0.0.1:${port};
${locations}
    location /go/ {
        rewrite ^/go/(.*)$ /int/rw/$1 last;
    }
    location /tf/ {
        try_files /nothing /int/tf;
    }
    location /tfa/ {
        try_files /nothing /int/tfa?$args;
    }
    location /ep/ {
        error_page 404 /int/ep;
        return 404;
    }
    location /named/ {
        try_files /nothing @named;
    }
    location /int/ {
        internal;
        return 200 "int uri=$uri arg=$arg_target\\n";
        proxy_pass http://$arg_target;
    }
    location @named {
        return 200 "named uri=$uri arg=$arg_target\\n";
        proxy_pass http://$arg_target;
    }
    location / {
        return 404;
    }
}`));
		await startNginx(conf, dir);
	});

	after(async () => {
		await stopAll();
		removeTempDirs();
	});

	it('nginx serves files above and beside some aliases (the binary\'s verdict)', async () => {
		const reached: Record<string, { above: boolean; beside: boolean }> = {};
		for (const a of aliases) {
			const above = await rawGet(port, `${a.probe}../parent.txt`);
			const beside = await rawGet(port, `${a.probe}-old/secret.txt`);
			reached[a.location] = { above: above.body === 'above\n', beside: beside.body === 'beside\n' };
		}
		assert.deepEqual(reached, {
			'location /a1': { above: true, beside: false },
			'location /a2': { above: false, beside: true },
			'location /a3/': { above: false, beside: true },
			'location /a4/': { above: false, beside: false },
			'location ^~ /a5': { above: false, beside: true },
			'location = /a6': { above: false, beside: false },
			'location ~ ^/r1(.*)$': { above: true, beside: false },
			'location ~ ^/r2(.*)$': { above: false, beside: true },
			'location ~ ^/r3/(.*)$': { above: false, beside: true },
			'location ~ ^/r4/(.*)$': { above: false, beside: false },
		});
		// the intended files are served where the alias is joined right, and `..` in the URL is normalised away
		assert.equal((await rawGet(port, '/a4/a.txt')).body, 'inside\n');
		assert.equal((await rawGet(port, '/r4/a.txt')).body, 'inside\n');
		assert.equal((await rawGet(port, '/a4/../parent.txt')).status, 404);
		// both without a slash: `..` after the prefix names a folder beside the alias, not the one above
		assert.equal((await rawGet(port, '/a2../s.txt')).body, 'dots\n');
	});

	it('nginx-alias-traversal and nginx-alias-sibling fire exactly where a request reached outside the alias', async () => {
		const { text, diagnostics } = diagnose(conf);
		const lines = (code: string) => diagnostics.filter(d => d.code === code).map(d => d.range.start.line).sort((x, y) => x - y);
		const aliasLine = (location: string) => lineOf(text, `${location} {`) + 1;
		const expect = (kind: 'above' | 'beside') => aliases.filter(a => (kind === 'above'
			? ['location /a1', 'location ~ ^/r1(.*)$']
			: ['location /a2', 'location /a3/', 'location ^~ /a5', 'location ~ ^/r2(.*)$', 'location ~ ^/r3/(.*)$']).includes(a.location)).map(a => aliasLine(a.location)).sort((x, y) => x - y);
		for (const probe of aliases) {
			const above = await rawGet(port, `${probe.probe}../parent.txt`);
			const beside = await rawGet(port, `${probe.probe}-old/secret.txt`);
			const line = aliasLine(probe.location);
			assert.equal(lines('nginx-alias-traversal').includes(line), above.body === 'above\n', `${probe.location}: traversal finding against what nginx served`);
			assert.equal(lines('nginx-alias-sibling').includes(line), beside.body === 'beside\n', `${probe.location}: sibling finding against what nginx served`);
		}
		assert.deepEqual(lines('nginx-alias-traversal'), expect('above'));
		assert.deepEqual(lines('nginx-alias-sibling'), expect('beside'));
	});

	it('an internal location: 404 to a client; reached by rewrite with the client\'s arguments, by try_files and error_page with their own', async () => {
		assert.equal((await rawGet(port, '/int/x?target=evil')).status, 404);
		assert.equal((await rawGet(port, '/go/a.example?target=evil')).body, 'int uri=/int/rw/a.example arg=evil\n');
		assert.equal((await rawGet(port, '/tf/?target=evil')).body, 'int uri=/int/tf arg=\n');
		assert.equal((await rawGet(port, '/tfa/?target=evil')).body, 'int uri=/int/tfa arg=evil\n');
		assert.equal((await rawGet(port, '/ep/?target=evil')).body, 'int uri=/int/ep arg=\n');
		assert.equal((await rawGet(port, '/named/?target=evil')).body, 'named uri=/named/ arg=evil\n');
	});

	it('nginx-ssrf on $arg_target fires in the locations the client\'s argument reaches', () => {
		const { text, diagnostics } = diagnose(conf);
		const ssrf = diagnostics.filter(d => d.code === 'nginx-ssrf').map(d => d.range.start.line);
		const passes = text.split('\n').flatMap((l, i) => (l.includes('proxy_pass http://$arg_target') ? [i] : []));
		// the internal location is reached by the rewrite (and by try_files with ?$args): the argument is the client's there too
		assert.deepEqual(ssrf, passes);
		// without those two redirects, nothing brings the client's argument into it
		const quiet = path.join(dir, 'quiet.conf');
		fs.writeFileSync(quiet, text.replace(/^\s*rewrite \^\/go.*$/m, '').replace('/int/tfa?$args', '/int/tfa'));
		const q = diagnose(quiet);
		assert.deepEqual(q.diagnostics.filter(d => d.code === 'nginx-ssrf').map(d => d.range.start.line), [lineOf(q.text, 'named uri=') + 1]);
	});
});
