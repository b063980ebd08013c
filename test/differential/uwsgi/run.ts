/**
 * uWSGI cases: each generated (and mostly mutated) config is started by the real uWSGI (python3
 * plugin, a trivial app, in a sandbox folder, loopback only), asked for one request on every
 * socket it says it bound, then stopped. Its verdict — serves, exits, or runs without serving —
 * is held against ours: a config that serves gets no error-severity finding; one that exits or
 * serves nothing gets at least one error.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getLanguageService, pathToUri } from '../../../server/src/service';
import { pool } from '../pool';
import { Rng } from '../../helpers/rng';
import { APP, argv, generateUwsgiCase, iniText, mutateUwsgi, scriptText, type UwsgiCase } from './generate';

export interface UwsgiSummary { agree: number; total: number; failed: boolean; falseErrors: number }

export type UwsgiVerdictKind = 'serves' | 'exits' | 'no-serve' | 'environment';

export interface UwsgiVerdict {
	readonly kind: UwsgiVerdictKind;
	readonly detail: string;
	readonly log: string;
}

/** One request over the uwsgi protocol (a packet of CGI variables), answered by the app as raw HTTP. */
function uwsgiPacket(): Buffer {
	const vars: [string, string][] = [['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/'], ['PATH_INFO', '/'], ['QUERY_STRING', ''], ['SERVER_PROTOCOL', 'HTTP/1.1'], ['SERVER_NAME', 'localhost'], ['SERVER_PORT', '80'], ['HTTP_HOST', 'localhost'], ['REMOTE_ADDR', '127.0.0.1']];
	const parts: Buffer[] = [];
	for (const [k, v] of vars) {
		const kb = Buffer.from(k);
		const vb = Buffer.from(v);
		const h = Buffer.alloc(2);
		h.writeUInt16LE(kb.length);
		const hv = Buffer.alloc(2);
		hv.writeUInt16LE(vb.length);
		parts.push(h, kb, hv, vb);
	}
	const body = Buffer.concat(parts);
	const head = Buffer.alloc(4);
	head.writeUInt8(0, 0);
	head.writeUInt16LE(body.length, 1);
	head.writeUInt8(0, 3);
	return Buffer.concat([head, body]);
}

const HTTP_REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');

function ask(address: string, payload: Buffer, timeoutMs = 3000): Promise<string> {
	return new Promise(resolve => {
		let data = '';
		const m = /^(.*):(\d+)$/.exec(address);
		let sock: net.Socket;
		try {
			sock = address.startsWith('/') || !m ? net.connect(address) : net.connect(Number(m[2]), m[1] === '0.0.0.0' || m[1] === '' ? '127.0.0.1' : m[1].replace(/^\[|\]$/g, ''));
		} catch {
			// a port uWSGI printed but no socket can have (it bound another one)
			resolve('');
			return;
		}
		sock.on('connect', () => sock.write(payload));
		sock.on('data', d => { data += d.toString(); });
		sock.on('close', () => resolve(data));
		sock.on('error', () => resolve(data));
		sock.setTimeout(timeoutMs, () => sock.destroy());
	});
}

const served = (response: string) => /^HTTP\/1\.[01] 200/.test(response) && response.includes('differential-ok');

/** The addresses uWSGI says it bound (its own log). */
function boundAddresses(log: string): string[] {
	const out: string[] = [];
	for (const m of log.matchAll(/bound to (?:TCP|UNIX) address (.+?) fd \d+/g)) { out.push(m[1]); }
	for (const m of log.matchAll(/uWSGI http bound on (\S+) fd \d+/g)) { out.push(m[1]); }
	return out;
}

const READY = /spawned uWSGI worker|Operational MODE: no-workers|spawned uWSGI http/;

/** Starts uWSGI on the case, asks it for a request on every bound socket, stops it. */
export function runUwsgi(args: string[], cwd: string, timeoutMs = 8000): Promise<UwsgiVerdict> {
	return new Promise(resolve => {
		let log = '';
		let settled = false;
		const child = spawn('uwsgi', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: cwd } });
		const kill = () => {
			try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
		};
		const finish = (v: UwsgiVerdict) => {
			if (settled) { return; }
			settled = true;
			clearTimeout(timer);
			kill();
			resolve(v);
		};
		const last = () => log.split('\n').filter(l => l.trim()).slice(-3).join(' | ');
		let probing = false;
		const probe = async () => {
			if (probing) { return; }
			probing = true;
			// let every worker and the router come up
			await new Promise(r => setTimeout(r, 150));
			const addresses = boundAddresses(log);
			for (const a of addresses) {
				for (const payload of [uwsgiPacket(), HTTP_REQUEST]) {
					if (settled) { return; }
					if (served(await ask(a, payload))) { finish({ kind: 'serves', detail: `serves on ${a}`, log }); return; }
				}
			}
			finish({ kind: 'no-serve', detail: addresses.length ? `runs, but no request succeeded on ${addresses.join(', ')}: ${last()}` : `runs without a socket: ${last()}`, log });
		};
		const onData = (d: Buffer) => {
			log += d.toString();
			if (!probing && READY.test(log)) { void probe(); }
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', e => finish({ kind: 'environment', detail: `cannot run uwsgi: ${e.message}`, log }));
		child.on('close', (code, signal) => {
			if (settled) { return; }
			if (/Address already in use/.test(log)) { finish({ kind: 'environment', detail: `port in use: ${last()}`, log }); return; }
			finish({ kind: 'exits', detail: `exits (${signal ?? code}): ${last()}`, log });
		});
		const timer = setTimeout(() => { void probe(); }, timeoutMs);
	});
}

interface Judged { readonly i: number; readonly c: UwsgiCase; readonly v: UwsgiVerdict; readonly errors: string[]; readonly agree: boolean; readonly text: string }

function ourErrors(file: string, text: string, kind: 'uwsgi' | 'command'): string[] {
	const svc = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
	const doc = TextDocument.create(pathToUri(file), kind === 'uwsgi' ? 'uwsgi-ini' : 'shellscript', 1, text);
	svc.workspace.set(doc, kind);
	return svc.doValidation(doc).filter(d => d.severity === DiagnosticSeverity.Error).map(d => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`);
}

export async function judgeUwsgi(c: UwsgiCase, dir: string): Promise<Omit<Judged, 'i' | 'c'>> {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.join(dir, 'static'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'app.py'), APP);
	let v: UwsgiVerdict;
	let errors: string[];
	let text: string;
	if (c.form === 'ini') {
		text = iniText(c);
		const file = path.join(dir, 'app.ini');
		fs.writeFileSync(file, text);
		v = await runUwsgi(['--ini', file], dir);
		errors = ourErrors(file, text, 'uwsgi');
	} else {
		text = scriptText(c);
		const file = path.join(dir, 'run.sh');
		fs.writeFileSync(file, text);
		v = await runUwsgi(argv(c), dir);
		errors = ourErrors(file, text, 'command');
	}
	const agree = v.kind === 'environment' || (v.kind === 'serves') === (errors.length === 0);
	return { v, errors, agree, text };
}

export async function runUwsgiCases(o: { count: number; seed: number; jobs: number; show: number; log: (s: string) => void; work: string }): Promise<UwsgiSummary> {
	const started = Date.now();
	const results: Judged[] = [];
	let counter = 0;
	await pool(Array.from({ length: o.count }, (_, i) => i), o.jobs, async (i, _n, lane) => {
		const r = Rng.forCase(o.seed, i, 1);
		const dir = path.join(o.work, `uwsgi-lane${lane}`);
		const port = 30000 + lane * 1000 + ((counter++ % 240) * 4);
		const c = generateUwsgiCase(r, dir, port);
		if (r.chance(0.65)) {
			mutateUwsgi(c, r);
			if (r.chance(0.15)) { mutateUwsgi(c, r); }
		}
		const j = await judgeUwsgi(c, dir);
		results.push({ i, c, ...j });
	});
	results.sort((a, b) => a.i - b.i);
	const env = results.filter(r => r.v.kind === 'environment');
	const judged = results.filter(r => r.v.kind !== 'environment');
	const agree = judged.filter(r => r.agree).length;
	const by = (k: UwsgiVerdictKind) => judged.filter(r => r.v.kind === k).length;
	o.log(`uwsgi: ${results.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s: serves ${by('serves')}, exits ${by('exits')}, runs without serving ${by('no-serve')}, ${env.length} not judged (this machine)`);
	const bad = judged.filter(r => !r.agree);
	const groups = new Map<string, Judged[]>();
	for (const r of bad) {
		const key = r.v.kind === 'serves' ? `false-error:${r.errors.map(e => e.split(' ')[1]).sort().join(',')}` : `miss:${r.v.kind}:${r.c.origin.slice(1).map(x => x.split(':')[0]).join('+')}`;
		const g = groups.get(key);
		if (g) { g.push(r); } else { groups.set(key, [r]); }
	}
	let shown = 0;
	for (const [key, g] of groups) {
		o.log(`\n✗ uwsgi ${key} — ${g.length} case${g.length > 1 ? 's' : ''} (${g.slice(0, 8).map(x => x.i).join(', ')}${g.length > 8 ? ', …' : ''})`);
		if (shown++ >= o.show) { continue; }
		const first = g[0];
		o.log(`  built as: ${first.c.origin.join('; ')} (${first.c.form})`);
		o.log(first.text.replace(/\ufeff/g, '<BOM>').split('\n').filter(Boolean).map(l => `    ${l}`).join('\n'));
		o.log(`  uwsgi: ${first.v.detail}`);
		o.log(`  ours: ${first.errors.length ? first.errors.join('\n        ') : 'no error'}`);
	}
	return { agree, total: judged.length, failed: false, falseErrors: bad.filter(r => r.v.kind === 'serves').length };
}
