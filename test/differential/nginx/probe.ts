/**
 * What the installed nginx knows, asked of the binary itself: which directives exist, in which
 * contexts each is allowed, which listed values it takes, which variables exist in http and in
 * stream. The generator uses only those, so a case never fails for a directive or value newer
 * than the installed nginx (our tables are for 1.31.5; Debian ships older). The answers are kept
 * in a cache file per nginx build and table.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { NGINX_DIRECTIVES } from '../../../server/src/data/generated/nginxDirectives';
import type { NginxDirectiveData } from '../../../server/src/data/types';
import { runNginxTest } from '../../../server/src/host/verify/nginxRun';
import { pool } from '../pool';

export const MODULES_DIR = '/usr/lib/nginx/modules';

/** Dynamic modules loaded in every case (those that need no data files of their own to start). */
export function dynamicModules(): string[] {
	const wanted = ['ngx_stream_module.so', 'ngx_mail_module.so', 'ngx_http_image_filter_module.so', 'ngx_http_xslt_filter_module.so', 'ngx_http_js_module.so', 'ngx_stream_js_module.so'];
	return wanted.filter(m => fs.existsSync(path.join(MODULES_DIR, m))).map(m => path.join(MODULES_DIR, m));
}

export function loadModuleLines(): string {
	return dynamicModules().map(m => `load_module ${m};\n`).join('');
}

/** Text that puts `inner` into context `ctx` of an otherwise valid config. */
export function wrap(ctx: string, inner: string): string {
	const head = `${loadModuleLines()}pid nginx.pid;\nevents {}\n`;
	switch (ctx) {
		case 'main': return `${head}${inner}\n`;
		case 'events': return `${loadModuleLines()}pid nginx.pid;\nevents {\n${inner}\n}\n`;
		case 'http': return `${head}http {\n${inner}\n}\n`;
		case 'http.server': return `${head}http {\nserver {\n${inner}\n}\n}\n`;
		case 'http.location': return `${head}http {\nserver {\nlocation / {\n${inner}\n}\n}\n}\n`;
		case 'http.location.if': return `${head}http {\nserver {\nlocation / {\nif ($uri) {\n${inner}\n}\n}\n}\n}\n`;
		case 'http.server.if': return `${head}http {\nserver {\nif ($uri) {\n${inner}\n}\n}\n}\n`;
		case 'http.limit_except': return `${head}http {\nserver {\nlocation / {\nlimit_except GET {\n${inner}\n}\n}\n}\n}\n`;
		case 'http.upstream': return `${head}http {\nupstream u {\nserver 127.0.0.1:9;\n${inner}\n}\n}\n`;
		case 'stream': return `${head}stream {\n${inner}\n}\n`;
		case 'stream.server': return `${head}stream {\nserver {\nlisten 127.0.0.1:9999;\n${inner}\nreturn x;\n}\n}\n`;
		case 'stream.upstream': return `${head}stream {\nupstream u {\nserver 127.0.0.1:9;\n${inner}\n}\n}\n`;
		case 'mail': return `${head}mail {\n${inner}\n}\n`;
		case 'mail.server': return `${head}mail {\nserver {\n${inner}\n}\n}\n`;
		default: return `${head}${inner}\n`;
	}
}

export interface Knowledge {
	readonly nginx: string;
	/** Directive name → contexts the installed nginx allows it in (of those our tables list). */
	readonly contexts: Record<string, string[]>;
	/** `name` → listed values (enum/bitmask) the installed nginx refuses. */
	readonly refusedValues: Record<string, string[]>;
	/** Variables that exist in http / stream (built-ins of the loaded modules). */
	readonly httpVariables: string[];
	readonly streamVariables: string[];
}

interface Probe { readonly key: string; readonly ctx: string; readonly text: string }

async function ask(probes: readonly Probe[], dir: string): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	let n = 0;
	await pool(probes, os.cpus().length * 2, async p => {
		const d = path.join(dir, `p${n++}`);
		fs.mkdirSync(d, { recursive: true });
		fs.writeFileSync(path.join(d, 'nginx.conf'), wrap(p.ctx, p.text));
		const r = await runNginxTest(d);
		out.set(p.key, r.output);
		fs.rmSync(d, { recursive: true, force: true });
	});
	return out;
}

/** Variable names the reference lists (without `$`); `NAME` families are left out. */
async function referenceVariables(): Promise<{ http: string[]; stream: string[] }> {
	const lib = await import('@nginx/reference-lib');
	const http = new Set<string>();
	const stream = new Set<string>();
	for (const v of lib.getVariables()) {
		const name = v.name.replace(/^\$/, '');
		if (/[A-Z]/.test(name)) { continue; }
		(v.module.startsWith('ngx_stream_') ? stream : http).add(name);
	}
	return { http: [...http], stream: [...stream] };
}

function cacheFile(nginx: string): string {
	const h = createHash('sha1').update(nginx).update(JSON.stringify(NGINX_DIRECTIVES.length)).update(dynamicModules().join()).update('v3').digest('hex').slice(0, 12);
	return path.join(os.tmpdir(), `uwsgi-nginx-differential-${h}.json`);
}

/** What the installed nginx knows (from the cache when this build was asked before). */
export async function probeNginx(log: (s: string) => void = () => undefined): Promise<Knowledge> {
	const v = spawnSync('nginx', ['-V'], { encoding: 'utf8' });
	if (v.error) { throw new Error(`nginx is not installed (${v.error.message}): apt-get install nginx-core (scripts/test-all.sh does it)`); }
	const nginx = `${v.stdout}${v.stderr}`.trim();
	const file = cacheFile(nginx);
	if (fs.existsSync(file)) { return JSON.parse(fs.readFileSync(file, 'utf8')) as Knowledge; }
	const started = Date.now();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-probe-'));
	try {
		const ours = NGINX_DIRECTIVES.filter(d => d.origin === 'nginx' || d.origin === 'njs');
		const pairs = new Map<string, Probe>();
		for (const d of ours) {
			for (const ctx of d.contexts) {
				if (ctx === 'any') { continue; }
				pairs.set(`${d.name}@${ctx}`, { key: `${d.name}@${ctx}`, ctx, text: `${d.name};` });
			}
		}
		const answers = await ask([...pairs.values()], dir);
		const contexts: Record<string, string[]> = {};
		for (const [key, output] of answers) {
			const [name, ctx] = key.split('@');
			if (output.includes(`unknown directive "${name}"`) || output.includes(`"${name}" directive is not allowed here`)) { continue; }
			(contexts[name] ??= []).push(ctx);
		}
		// listed values, each in a context the directive is allowed in
		const valueProbes: Probe[] = [];
		for (const d of ours) {
			if (!d.values || !contexts[d.name]) { continue; }
			const ctx = contexts[d.name].find(c => d.contexts.includes(c))!;
			for (const value of d.values) { valueProbes.push({ key: `${d.name}\u0000${value}`, ctx, text: `${d.name} ${value};` }); }
		}
		const valueAnswers = await ask(valueProbes, dir);
		const refusedValues: Record<string, string[]> = {};
		for (const [key, output] of valueAnswers) {
			const [name, value] = key.split('\u0000');
			if (output.includes(`invalid value "${value}"`)) { (refusedValues[name] ??= []).push(value); }
		}
		const ref = await referenceVariables();
		const varProbes: Probe[] = [
			...ref.http.map(n => ({ key: `http\u0000${n}`, ctx: 'http.location', text: `return 200 "$${n}";` })),
			...ref.stream.map(n => ({ key: `stream\u0000${n}`, ctx: 'stream.server', text: `set $probe_x "$${n}";` })),
			...ref.http.filter(n => !ref.stream.includes(n)).map(n => ({ key: `stream\u0000${n}`, ctx: 'stream.server', text: `set $probe_x "$${n}";` })),
		];
		const varAnswers = await ask(varProbes, dir);
		const httpVariables: string[] = [];
		const streamVariables: string[] = [];
		for (const [key, output] of varAnswers) {
			const [where, name] = key.split('\u0000');
			if (output.includes(`unknown "${name}" variable`) || /\[emerg\]/.test(output)) { continue; }
			(where === 'http' ? httpVariables : streamVariables).push(name);
		}
		const knowledge: Knowledge = { nginx, contexts, refusedValues, httpVariables: httpVariables.sort(), streamVariables: streamVariables.sort() };
		fs.writeFileSync(file, JSON.stringify(knowledge));
		log(`probed the installed nginx in ${Date.now() - started} ms: ${Object.keys(contexts).length} directives, ${httpVariables.length} http and ${streamVariables.length} stream variables (cached in ${file})`);
		return knowledge;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** The definitions of `name` the installed nginx allows in `ctx`. */
export function knownIn(k: Knowledge, d: NginxDirectiveData, ctx: string): boolean {
	return (k.contexts[d.name] ?? []).includes(ctx) && d.contexts.includes(ctx);
}
