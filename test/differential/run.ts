/**
 * Differential testing against the real binaries: generated and mutated nginx configs through
 * the installed `nginx -t` and through our engine; generated uWSGI ini files and command lines
 * through the installed uWSGI and through our engine. Prints every disagreement, shrunk to a
 * minimal config with both verdicts, and ends with exactly one summary line:
 *
 *   differential: nginx A/N agree (F false errors, M misses), uwsgi B/K agree
 *
 * npm run differential -- --count N --seed S [--uwsgi K] [--corpus DIR] [--jobs J] [--show M]
 *                         [--case I] [--no-shrink] [--verbose] [--min-agreement P]
 *
 * Exit status 1 when any case disagrees (with --min-agreement: on any false error or internal
 * error, or when the share of agreeing cases of either binary is below P), 2 when the binaries
 * cannot run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../helpers/rng';
import { pool } from './pool';
import { generateCase, setCertificate } from './nginx/generate';
import { judge, signature, type Judgement } from './nginx/judge';
import { cloneCase, countStmts, printFile, type Case } from './nginx/model';
import { mutate } from './nginx/mutate';
import { probeNginx, type Knowledge } from './nginx/probe';
import { loadSeeds, seedCase } from './nginx/seeds';
import { shrink } from './nginx/shrink';
import { runUwsgiCases, type UwsgiSummary } from './uwsgi/run';

interface Options {
	count: number;
	seed: number;
	uwsgi: number;
	corpus?: string;
	jobs: number;
	show: number;
	only?: number;
	shrink: boolean;
	verbose: boolean;
	/** Pass while at least this share of cases agree (false errors never pass). */
	minAgreement?: number;
}

function parse(argv: string[]): Options | string {
	const o: Options = { count: 200, seed: 1, uwsgi: -1, jobs: Math.max(2, os.cpus().length * 2), show: 20, shrink: true, verbose: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const num = () => {
			const v = Number(argv[++i]);
			if (!Number.isInteger(v) || v < 0) { throw new Error(`${a} needs a whole number`); }
			return v;
		};
		try {
			switch (a) {
				case '--count': o.count = num(); break;
				case '--seed': o.seed = num(); break;
				case '--uwsgi': o.uwsgi = num(); break;
				case '--jobs': o.jobs = Math.max(1, num()); break;
				case '--show': o.show = num(); break;
				case '--case': o.only = num(); break;
				case '--corpus': o.corpus = argv[++i]; break;
				case '--min-agreement': {
					const v = Number(argv[++i]);
					if (!(v >= 0 && v <= 1)) { throw new Error('--min-agreement needs a share from 0 to 1'); }
					o.minAgreement = v;
					break;
				}
				case '--no-shrink': o.shrink = false; break;
				case '--verbose': o.verbose = true; break;
				default: return `unknown argument ${a}`;
			}
		} catch (e) {
			return (e as Error).message;
		}
	}
	if (o.uwsgi < 0) { o.uwsgi = Math.floor(o.count / 5); }
	return o;
}

function makeCertificate(dir: string): void {
	const crt = path.join(dir, 'site.crt');
	const key = path.join(dir, 'site.key');
	const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=differential.test', '-days', '3650', '-keyout', key, '-out', crt], { encoding: 'utf8' });
	if (r.status !== 0) { throw new Error(`openssl could not make a test certificate: ${r.stderr || r.error?.message}`); }
	setCertificate(fs.readFileSync(crt, 'utf8'), fs.readFileSync(key, 'utf8'));
}

/** Case `i` of the run: a generated config or a real one, mutated or not. */
function buildCase(o: Options, k: Knowledge, seeds: readonly Case[], i: number): Case {
	const r = Rng.forCase(o.seed, i);
	const c = seeds.length && r.chance(0.35) ? cloneCase(r.pick(seeds)) : generateCase(r, k);
	if (r.chance(0.55)) {
		mutate(c, r, k);
		if (r.chance(0.15)) { mutate(c, r, k); }
	}
	return c;
}

function showCase(c: Case): string {
	const parts: string[] = [];
	for (const p of c.files.keys()) {
		const text = printFile(c, p);
		parts.push(c.files.size > 1 ? `  --- ${p}\n${indent(text)}` : indent(text));
	}
	return parts.join('\n');
}

const indent = (t: string) => t.replace(/\ufeff/g, '<BOM>').split('\n').filter((l, i, a) => l || i < a.length - 1).map(l => `    ${l}`).join('\n');

async function main(argv: string[]): Promise<number> {
	const o = parse(argv);
	if (typeof o === 'string') {
		process.stderr.write(`differential: ${o}\nusage: npm run differential -- --count N --seed S [--uwsgi K] [--corpus DIR] [--jobs J] [--show M] [--case I] [--no-shrink] [--verbose]\n`);
		return 2;
	}
	const log = (s: string) => process.stdout.write(`${s}\n`);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'differential-'));
	try {
		let k: Knowledge;
		try {
			k = await probeNginx(log);
		} catch (e) {
			process.stderr.write(`differential: ${(e as Error).message}\n`);
			return 2;
		}
		makeCertificate(work);
		const started = Date.now();
		// seeds: real configs that pass nginx -t unmutated in the sandbox
		const seeds: Case[] = [];
		const candidates = loadSeeds(path.resolve(__dirname, '..', '..', '..'), o.corpus).map(s => seedCase(s.name, s.text, s.context)).filter((c): c is Case => !!c);
		await pool(candidates, o.jobs, async (c, _i, lane) => {
			const j = await judge(c, path.join(work, `lane${lane}`));
			if (j.verdict.kind === 'ok') { seeds.push(c); }
		});
		seeds.sort((a, b) => a.origin[0].localeCompare(b.origin[0]));
		log(`nginx: ${k.nginx.split('\n')[0]}; ${seeds.length} seed configs (of ${candidates.length} readable${o.corpus ? `, corpus ${o.corpus}` : ''}) pass nginx -t in the sandbox`);

		const indices = o.only !== undefined ? [o.only] : Array.from({ length: o.count }, (_, i) => i);
		const results: { i: number; c: Case; j: Judgement }[] = [];
		await pool(indices, o.jobs, async (i, _n, lane) => {
			const c = buildCase(o, k, seeds, i);
			const j = await judge(c, path.join(work, `lane${lane}`), k);
			results.push({ i, c, j });
			if (o.verbose || o.only !== undefined) { log(`case ${i} [${c.origin.join('; ')}]: ${j.outcome}${j.detail ? ` — ${j.detail}` : ''}`); }
			if (o.only !== undefined) { log(showCase(c)); }
		});
		results.sort((a, b) => a.i - b.i);
		const count = (what: string) => results.filter(r => r.j.outcome === what).length;
		const env = results.filter(r => r.j.outcome === 'environment');
		const skew = results.filter(r => r.j.outcome === 'skew');
		const judged = results.length - env.length - skew.length;
		const agree = count('agree');
		const falseErrors = count('false-error');
		const misses = count('miss');
		const internal = count('internal-error');
		const refused = results.filter(r => r.j.verdict.kind !== 'ok' && r.j.outcome !== 'environment' && r.j.outcome !== 'skew').length;
		log(`nginx: ${results.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s: nginx -t accepted ${results.filter(r => r.j.verdict.kind === 'ok').length}, refused ${refused} for a reason in the config, ${env.length} for this machine (not judged${env.length ? `: ${[...new Set(env.map(e => e.j.verdict.lack))].join(', ')}` : ''}), ${skew.length} for version skew (not judged${skew.length ? `: cases ${skew.slice(0, 8).map(x => x.i).join(', ')}` : ''})`);
		for (const x of skew.slice(0, o.show)) { log(`  skew, case ${x.i}: ${x.j.detail}`); }

		// every disagreement, grouped by kind; the first of each kind shrunk
		const bad = results.filter(r => r.j.outcome !== 'agree' && r.j.outcome !== 'environment' && r.j.outcome !== 'skew');
		const groups = new Map<string, typeof bad>();
		for (const r of bad) {
			const key = signature(r.j);
			const g = groups.get(key);
			if (g) { g.push(r); } else { groups.set(key, [r]); }
		}
		let shown = 0;
		for (const [key, g] of groups) {
			const first = g[0];
			log(`\n✗ ${key} — ${g.length} case${g.length > 1 ? 's' : ''} (${g.slice(0, 8).map(x => x.i).join(', ')}${g.length > 8 ? ', …' : ''})`);
			if (shown++ >= o.show) { continue; }
			let c = first.c;
			let j = first.j;
			if (o.shrink) {
				const dir = path.join(work, 'shrink');
				const firstCode = j.errors[0]?.code;
				const same = (x: Judgement) => x.outcome === j.outcome && (x.outcome === 'false-error' ? x.errors.some(e => e.code === firstCode) : signature(x) === key);
				const before = countStmts(c);
				const s = await shrink(c, same, x => judge(x, dir, k));
				c = s.case;
				j = s.judgement ?? j;
				log(`  shrunk from ${before} to ${countStmts(c)} statements in ${s.tries} tries; built as: ${first.c.origin.join('; ')}`);
			} else {
				log(`  built as: ${first.c.origin.join('; ')}`);
			}
			log(showCase(c));
			log(`  ${j.detail}`);
			if (j.errors.length) { log(`  ours: ${j.errors.map(e => `${e.file}:${e.line + 1} ${e.code} ${e.message}`).join('\n        ')}`); }
		}

		const u: UwsgiSummary = o.only !== undefined || o.uwsgi === 0 ? { agree: 0, total: 0, failed: false, falseErrors: 0 } : await runUwsgiCases({ count: o.uwsgi, seed: o.seed, jobs: Math.max(1, Math.floor(o.jobs / 2)), show: o.show, log, work });
		log(`differential: nginx ${agree}/${judged} agree (${falseErrors} false errors, ${misses} misses${internal ? `, ${internal} internal errors` : ''}), uwsgi ${u.agree}/${u.total} agree`);
		if (o.minAgreement === undefined) { return bad.length || u.failed || u.agree !== u.total ? 1 : 0; }
		const share = (a: number, n: number) => (n ? a / n : 1);
		return falseErrors || internal || u.failed || u.falseErrors || share(agree, judged) < o.minAgreement || share(u.agree, u.total) < o.minAgreement ? 1 : 0;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main(process.argv.slice(2)).then(code => { process.exitCode = code; }, e => { process.stderr.write(`differential: ${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 2; });
