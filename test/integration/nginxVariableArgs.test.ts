/**
 * Which arguments nginx compiles as values with variables, asked of the real nginx (Debian
 * 1.22.1) for every directive it knows, generated — not picked by hand:
 *
 * for each directive of nginx's own modules in our tables, in its innermost context, each form
 * of its documented syntax (`@nginx/reference-lib`: the short form, the long form, each optional
 * part and each alternative on its own) is filled with sample values. When nginx accepts that
 * config, `$undefined_probe` is put into each argument the syntax leaves to the user, one at a
 * time, and the config goes through nginx -t and through our service:
 *
 * - nginx says `unknown "undefined_probe" variable` (it compiles the argument): we must report
 *   nginx-unknown-variable;
 * - nginx accepts it (the `$` is plain text there): we must not;
 * - nginx refuses it for another reason (a value it cannot read): no verdict on variables.
 *
 * This is what holds server/src/data/nginxVariableArgs.ts to the binary.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NGINX_DIRECTIVES } from '../../server/src/data/generated/nginxDirectives';
import type { NginxDirectiveData } from '../../server/src/data/types';
import { getLanguageService } from '../../server/src/service';
import { dynamicModuleLines, makeConfigDir, nginxTest, nginxVerdict } from '../helpers/nginx';
import { requireProgram } from '../helpers/processes';

// ---- the documented syntax as instances ------------------------------------------------------

type Item = { readonly word: string } | { readonly optional: Item[] } | { readonly alternatives: Item[][] };

const PH_OPEN = '\u0001';
const PH_CLOSE = '\u0002';
const IN_WORD_OPEN = '\u0003';
const IN_WORD_CLOSE = '\u0004';

function decode(html: string): string {
	return html.replace(/&hellip;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** A syntax line of the reference (HTML) as items: placeholders marked, optional parts and alternatives kept. */
export function parseSyntax(html: string): Item[] {
	let s = html.replace(/<\/?p>/g, '').trim();
	s = s.replace(/<em><code>([^<]*)<\/code><\/em>/g, (_, ph: string) => PH_OPEN + ph + PH_CLOSE);
	s = s.replace(/<code>([^<]*)<\/code>/g, '$1').replace(/<[^>]+>/g, '');
	s = decode(s).replace(/\u2026/g, ' ').replace(/\.\.\./g, ' ');
	// an optional part inside a word (`gzip[=level]`) stays with its word
	for (let prev = ''; prev !== s;) {
		prev = s;
		s = s.replace(/(\S)\[([^[\]\s]*)\]/g, (_, c: string, inside: string) => c + IN_WORD_OPEN + inside + IN_WORD_CLOSE);
	}
	const tokens = s.match(/\[|\]|\||[^\s[\]|]+/g) ?? [];
	let i = 0;
	const seq = (): Item[] => {
		const items: Item[] = [];
		let alt = false;
		while (i < tokens.length && tokens[i] !== ']') {
			const t = tokens[i++];
			if (t === '|') { alt = true; continue; }
			let item: Item;
			if (t === '[') {
				item = { optional: seq() };
				i++;
			} else if (t === '{' || t === '{...}' || t === '}') {
				continue;
			} else {
				item = { word: t };
			}
			if (alt && items.length) {
				const prev = items.pop()!;
				const options = 'alternatives' in prev ? prev.alternatives : [[prev]];
				items.push({ alternatives: [...options, [item]] });
			} else {
				items.push(item);
			}
			alt = false;
		}
		return items;
	};
	return seq();
}

/** Choices of one instance: which optional parts are in (by path), which alternative of each set. */
interface Choice {
	readonly optional: (path: string) => boolean;
	readonly alternative: (path: string) => number;
	readonly inWord: boolean;
}

function expand(items: Item[], choice: Choice, at = ''): string[] {
	const out: string[] = [];
	items.forEach((item, k) => {
		const p = `${at}/${k}`;
		if ('word' in item) {
			let w = item.word.replace(new RegExp(`${IN_WORD_OPEN}([^${IN_WORD_CLOSE}]*)${IN_WORD_CLOSE}`, 'g'), (_, inside: string) => (choice.inWord ? inside : ''));
			if (w.length > 1 && w.endsWith('=')) { w = w.slice(0, -1); }
			if (w) { out.push(w); }
		} else if ('optional' in item) {
			if (choice.optional(p)) { out.push(...expand(item.optional, choice, p)); }
		} else {
			const n = Math.min(choice.alternative(p), item.alternatives.length - 1);
			out.push(...expand(item.alternatives[n], choice, p));
		}
	});
	return out;
}

/** Paths of the optional parts and of the alternative sets of a syntax. */
function parts(items: Item[], at = '', out: { optional: string[]; alternatives: { path: string; count: number }[] } = { optional: [], alternatives: [] }) {
	items.forEach((item, k) => {
		const p = `${at}/${k}`;
		if ('optional' in item) {
			out.optional.push(p);
			parts(item.optional, p, out);
		} else if ('alternatives' in item) {
			out.alternatives.push({ path: p, count: item.alternatives.length });
			item.alternatives.forEach((o, j) => parts(o, `${p}`, out) && j);
		}
	});
	return out;
}

/** The instances of a syntax line: short, long, each optional part alone, each alternative alone. */
export function instances(html: string): string[][] {
	const items = parseSyntax(html);
	const { optional, alternatives } = parts(items);
	const choices: Choice[] = [];
	for (const inWord of [false, true]) {
		choices.push({ optional: () => false, alternative: () => 0, inWord });
		choices.push({ optional: () => true, alternative: () => 0, inWord });
		for (const o of optional) { choices.push({ optional: p => o.startsWith(p), alternative: () => 0, inWord }); }
		for (const a of alternatives) {
			for (let n = 1; n < a.count; n++) { choices.push({ optional: p => a.path.startsWith(p), alternative: p => (p === a.path ? n : 0), inWord }); }
		}
	}
	const out: string[][] = [];
	const seen = new Set<string>();
	for (const c of choices) {
		const words = expand(items, c);
		const key = words.join(' ');
		if (!seen.has(key)) {
			seen.add(key);
			out.push(words);
		}
	}
	return out;
}

// ---- sample values ---------------------------------------------------------------------------

const SAMPLES: Readonly<Record<string, string>> = {
	size: '1m', time: '10s', number: '2', file: 'cert.pem', name: 'probe', string: 'text', address: '127.0.0.1:1', value: 'text',
	$variable: '$probe_var', field: 'X-Probe', uri: '/probe', zone: 'probe', N: '2', 'module.function': 'main.f', code: '404',
	ciphers: 'HIGH', CIDR: '127.0.0.1', timeout: '10s', method: 'GET', rate: '1k', URL: 'http://127.0.0.1:1', 'mime-type': 'text/plain',
	key: '$remote_addr', parameter: 'X', url: 'http://127.0.0.1:1', level1: '1', level2: '2', level3: '2', port: '1', keepidle: '1', keepintvl: '1',
	keepcnt: '1', users: 'user:rw', permissions: 'rw', replacement: '/r', filter: 'text', levels: '1:2', flag: 'secure', parameters: 'x',
	regex: '^/(a)', connections: '2', mask: '127.0.0.1', format: 'probefmt', condition: '$remote_addr', module: 'ngx_x', curve: 'prime256v1',
	protocol: 'TLSv1.2', extension: '.x', alg: 'RS256', $value: '$remote_addr', browser: 'msie', charset: 'utf-8', $address: '$remote_addr',
	level: '1', length: '1', width: '10', height: '10', quality: '80', domain: 'example.com', expression: '1', cpumask: '01', type: 'x',
	variable: 'probe_var', directory: 'probe_dir', host: 'localhost', text: 'text', word: 'w', md5: 'x', header: 'X-H', interval: '1s',
	user: 'nobody', group: 'nogroup', response: '200', percent: '50%', buffer: '4k', factor: '1', id: 'x', cookie: 'c', redirect: '/x',
	stylesheet: 'x.xsl', device: '/dev/null', callback: 'cb', letter: 'a', digit: '1', pool: 'default', part: 'x', header_timeout: '10s',
	buffer_type: 'x', scope: 'x', charset1: 'koi8-r', charset2: 'utf-8', version: '1.1', identifier: 'x', issuer: 'x', kid: 'x',
	$number: '$remote_addr', function: 'f',
};

/** Samples a directive needs other than the general ones (zones the template declares, a key file, …). */
const OVERRIDES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
	allow: { address: '127.0.0.1' }, deny: { address: '127.0.0.1' }, set_real_ip_from: { address: '127.0.0.1' }, geoip_proxy: { address: '127.0.0.1' },
	limit_req: { name: 'lr' }, limit_conn: { zone: 'lc' }, proxy_cache: { zone: 'pc' }, fastcgi_cache: { zone: 'fc' }, uwsgi_cache: { zone: 'uc' },
	scgi_cache: { zone: 'sc' }, limit_req_zone: { rate: '1r/s' }, connection_pool_size: { size: '512' }, memcached_gzip_flag: { flag: '2' },
	ssl_certificate_key: { file: 'cert.key' }, proxy_ssl_certificate_key: { file: 'cert.key' }, uwsgi_ssl_certificate_key: { file: 'cert.key' },
	grpc_ssl_certificate_key: { file: 'cert.key' }, fastcgi_split_path_info: { regex: '^(.+)(/.*)$' },
};

/** Statements a directive needs beside it. */
const COMPANIONS: Readonly<Record<string, string>> = {
	ssl_certificate: 'ssl_certificate_key cert.key;', ssl_certificate_key: 'ssl_certificate cert.pem;', memcached_pass: 'set $memcached_key x;',
};

function sample(directive: string, ph: string): string {
	if (directive.endsWith('_hash_bucket_size') || directive.endsWith('_hash_max_size')) { return '64'; }
	if (ph === 'path') { return `p_${directive}`; }
	if (ph === 'size' && (directive.endsWith('_buffer_size') || directive.endsWith('_buffers'))) { return '4k'; }
	if (ph === 'number' && directive.endsWith('_buffers')) { return '8'; }
	return OVERRIDES[directive]?.[ph] ?? SAMPLES[ph] ?? 'x';
}

const PROBE = '$undefined_probe';
const PLACEHOLDER = new RegExp(`${PH_OPEN}([^${PH_CLOSE}]*)${PH_CLOSE}`, 'g');

/** A word with its placeholders filled; with `probe`, its first placeholder is `$undefined_probe`. */
function fill(directive: string, word: string, probe: boolean): string {
	let first = probe;
	return word.replace(PLACEHOLDER, (_, ph: string) => {
		if (first) {
			first = false;
			return PROBE;
		}
		return sample(directive, ph);
	});
}

// ---- configs ---------------------------------------------------------------------------------

/** Contexts in the order a directive is placed: its innermost one first. */
const PLACES = ['http.location', 'http.server', 'http', 'http.location.if', 'http.server.if', 'http.upstream', 'http.limit_except', 'stream.server', 'stream', 'stream.upstream', 'main', 'events'];

function config(context: string, statement: string, streamHandler: string): string {
	const at = (c: string) => (context === c ? statement : '');
	return `${dynamicModuleLines()}pid nginx.pid;
error_log error.log;
${at('main')}
events { ${at('events')} }
http {
    access_log off; client_body_temp_path t1; proxy_temp_path t2; fastcgi_temp_path t3; uwsgi_temp_path t4; scgi_temp_path t5;
    log_format probefmt "$remote_addr"; limit_req_zone $remote_addr zone=lr:1m rate=1r/s; limit_conn_zone $remote_addr zone=lc:1m;
    proxy_cache_path pc keys_zone=pc:1m; fastcgi_cache_path fc keys_zone=fc:1m; uwsgi_cache_path uc keys_zone=uc:1m; scgi_cache_path sc keys_zone=sc:1m;
    upstream u { server 127.0.0.1:1; ${at('http.upstream')} }
    ${at('http')}
    server {
        listen 127.0.0.1:18080;
        ${at('http.server')}
        ${context === 'http.server.if' ? `if ($uri) { ${statement} }` : ''}
        location / {
            ${at('http.location')}
            ${context === 'http.location.if' ? `if ($uri) { ${statement} }` : ''}
            ${context === 'http.limit_except' ? `limit_except GET { ${statement} }` : ''}
        }
    }
}
stream {
    log_format probefmt "$remote_addr"; limit_conn_zone $remote_addr zone=slc:1m;
    upstream su { server 127.0.0.1:1; ${at('stream.upstream')} }
    ${at('stream')}
    server {
        listen 127.0.0.1:18081;
        ${streamHandler}
        ${at('stream.server')}
    }
}
`;
}

interface Probe {
	readonly directive: string;
	readonly context: string;
	readonly base: string;
	readonly statement: string;
	readonly verdict: string;
	readonly ours: boolean;
}

describe('arguments nginx compiles as values with variables: the real nginx -t and our service agree', () => {
	let dir = '';
	before(() => {
		requireProgram('nginx', 'apt-get install nginx-core (scripts/test-all.sh does it)');
		dir = makeConfigDir('nginx-var-args-');
		const key = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'cert.key'), '-out', path.join(dir, 'cert.pem'), '-days', '30', '-subj', '/CN=probe'], { encoding: 'utf8' });
		assert.equal(key.status, 0, `openssl could not make a test certificate: ${key.stderr}`);
	});
	after(() => { if (dir) { fs.rmSync(dir, { recursive: true, force: true }); } });

	it('every argument of every directive nginx knows', async t => {
		const lib = await import('@nginx/reference-lib');
		const family = (module: string) => (module.startsWith('ngx_stream_') ? 'stream' : module.startsWith('ngx_mail_') ? 'mail' : module.startsWith('ngx_http_') ? 'http' : 'core');
		const byName = new Map<string, NginxDirectiveData[]>();
		for (const d of NGINX_DIRECTIVES) {
			if (d.origin !== 'nginx' || family(d.module) === 'mail') { continue; }
			const list = byName.get(d.name) ?? [];
			list.push(d);
			byName.set(d.name, list);
		}
		const service = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
		const uri = `file://${dir}/nginx.conf`;
		const ours = (text: string): boolean => {
			const doc = TextDocument.create(uri, 'nginx', 1, text);
			service.workspace.set(doc, 'nginx');
			return service.doValidation(doc).some(d => d.code === 'nginx-unknown-variable' && (typeof d.message === 'string' ? d.message : d.message.value).includes('undefined_probe'));
		};
		const run = (text: string): string => {
			fs.writeFileSync(path.join(dir, 'nginx.conf'), text);
			return nginxVerdict(nginxTest(dir));
		};
		const probes: Probe[] = [];
		const disagreements: string[] = [];
		let bases = 0;
		let unknownDirectives = 0;
		for (const doc of lib.getDirectives()) {
			const fam = family(doc.module);
			if (fam === 'mail') { continue; }
			const defs = (byName.get(doc.name) ?? []).filter(d => family(d.module) === fam || fam === 'core');
			if (!defs.length) { continue; }
			const contexts = defs.flatMap(d => d.contexts);
			const context = PLACES.find(p => contexts.includes(p));
			if (!context) { continue; }
			const block = defs.some(d => d.args.block);
			const seen = new Set<string>();
			for (const words of doc.syntax.flatMap(instances)) {
				const key = words.join(' ');
				if (seen.has(key)) { continue; }
				seen.add(key);
				const statement = (ws: string[]) => `${doc.name} ${ws.join(' ')}${block ? ' { }' : ';'} ${COMPANIONS[doc.name] ?? ''}`;
				const baseWords = words.map(w => fill(doc.name, w, false));
				let handler = 'return x;';
				let verdict = run(config(context, statement(baseWords), handler));
				if (verdict !== 'ok' && context.startsWith('stream')) {
					handler = '';
					verdict = run(config(context, statement(baseWords), handler));
				}
				if (verdict.startsWith('unknown directive')) { unknownDirectives++; break; }
				if (verdict !== 'ok') { continue; }
				bases++;
				const baseText = config(context, statement(baseWords), handler);
				if (ours(baseText)) { disagreements.push(`${doc.name} (${context}): we report $undefined_probe on a config without it`); }
				words.forEach((w, p) => {
					if (!w.includes(PH_OPEN)) { return; }
					const ws = [...baseWords];
					ws[p] = fill(doc.name, w, true);
					const text = config(context, statement(ws), handler);
					const v = run(text);
					const probe: Probe = { directive: doc.name, context, base: statement(baseWords), statement: statement(ws), verdict: v, ours: ours(text) };
					probes.push(probe);
					const compiled = /unknown "undefined_probe" variable/.test(v);
					if (compiled && !probe.ours) { disagreements.push(`missed: ${probe.statement} (${context}): nginx says ${v}`); }
					if (v === 'ok' && probe.ours) { disagreements.push(`false error: ${probe.statement} (${context}): nginx accepts it`); }
				});
			}
		}
		const compiled = probes.filter(p => /unknown "undefined_probe" variable/.test(p.verdict)).length;
		const literal = probes.filter(p => p.verdict === 'ok').length;
		t.diagnostic(`${bases} directive forms nginx accepts, ${probes.length} arguments probed: ${compiled} compiled, ${literal} plain text, ${probes.length - compiled - literal} refused for another reason; ${unknownDirectives} directives this nginx lacks`);
		assert.deepEqual(disagreements, [], `${disagreements.length} disagreements with nginx -t`);
		// the generator must keep reaching most of nginx: a broken sample or template would silently check nothing
		assert.ok(bases >= 700, `only ${bases} directive forms were accepted by nginx as a base`);
		assert.ok(compiled >= 120 && literal >= 100, `compiled ${compiled}, literal ${literal} arguments`);
		assert.ok(unknownDirectives < 150, `${unknownDirectives} directives unknown to this nginx`);
	});
});
