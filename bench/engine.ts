/**
 * The engine benchmark on its own, for working on its speed: `node out/bench/engine.js [runs]`
 * after `npx tsc -b`. Runs the anchor (npm `nginx-conf` parsing the text), the engine (a new
 * language service parsing and validating the text, as `npm run bench` measures it) and the
 * parser alone, interleaved so that load from other processes falls on all three alike, and
 * prints medians, minimums and the ratio; then where the engine's time goes, validator by
 * validator. `--cpu-prof` works as usual (`node --cpu-prof out/bench/engine.js`).
 */
import { performance } from 'node:perf_hooks';
import { parse as parseNginxConf } from 'nginx-conf';
import { NGINX_VALIDATORS } from '../server/src/analysis/validate';
import { parseNginx } from '../server/src/parser/nginx/parser';
import { DEFAULT_SETTINGS } from '../server/src/service';
import { NGINX_PARSE_OPTIONS, Workspace } from '../server/src/service/workspace';
import { generateNginxConfig, NGINX_SNIPPETS, validateGeneratedNginx } from './generate';

function median(values: readonly number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/** CPU time of the process while f ran, in ms (less disturbed by other processes than wall time). */
let lastCpu = 0;

function time(f: () => void): number {
	const c = process.cpuUsage();
	const t = performance.now();
	f();
	const wall = performance.now() - t;
	const used = process.cpuUsage(c);
	lastCpu = (used.user + used.system) / 1000;
	return wall;
}

function main(): void {
	const runs = Number(process.argv[2] ?? 40);
	const sizeMb = Number(process.argv[3] ?? 1);
	const conf = generateNginxConfig(sizeMb * 1024 * 1024);
	let n = 0;
	const engine = () => { validateGeneratedNginx(conf, String(n++)); };
	const anchor = () => { parseNginxConf(conf, err => { if (err) { throw err; } }); };
	const parseOnly = () => { parseNginx(conf, NGINX_PARSE_OPTIONS); };
	for (let i = 0; i < 10; i++) { anchor(); engine(); parseOnly(); }
	const t = { anchor: [] as number[], engine: [] as number[], parse: [] as number[] };
	const cpu = { anchor: [] as number[], engine: [] as number[], parse: [] as number[] };
	for (let i = 0; i < runs; i++) {
		t.anchor.push(time(anchor));
		cpu.anchor.push(lastCpu);
		t.engine.push(time(engine));
		cpu.engine.push(lastCpu);
		t.parse.push(time(parseOnly));
		cpu.parse.push(lastCpu);
	}
	const row = (name: string, v: number[]) => `${name.padEnd(28)} median ${median(v).toFixed(2).padStart(7)} ms   min ${Math.min(...v).toFixed(2).padStart(7)} ms`;
	process.stdout.write(`${(conf.length / 1024 / 1024).toFixed(2)} MB, ${runs} interleaved runs\n`);
	process.stdout.write(`${row('anchor (nginx-conf parse)', t.anchor)}\n${row('engine (parse + validate)', t.engine)}\n${row('parse only', t.parse)}\n`);
	process.stdout.write(`ratio anchor/engine: median ${(median(t.anchor) / median(t.engine)).toFixed(2)}x, min ${(Math.min(...t.anchor) / Math.min(...t.engine)).toFixed(2)}x\n`);
	process.stdout.write(`CPU time (median): anchor ${median(cpu.anchor).toFixed(2)} ms, engine ${median(cpu.engine).toFixed(2)} ms, parse ${median(cpu.parse).toFixed(2)} ms; ratio ${(median(cpu.anchor) / median(cpu.engine)).toFixed(2)}x\n\n`);

	// where the time goes: each validator on a fresh workspace (the first one pays for the shared facts)
	const per = new Map<string, number[]>();
	for (let i = 0; i < Math.min(runs, 20); i++) {
		const ws = new Workspace();
		const uri = `file:///bench/x${i}/nginx/nginx.conf`;
		for (const [rel, text] of Object.entries(NGINX_SNIPPETS)) { ws.setText(`file:///bench/x${i}/nginx/${rel}`, 'nginx', text); }
		ws.setText(uri, 'nginx', conf);
		const tp = performance.now();
		const file = ws.nginx(uri)!;
		const parseMs = performance.now() - tp;
		(per.get('parse') ?? per.set('parse', []).get('parse')!).push(parseMs);
		const ctx = { uri, file, settings: DEFAULT_SETTINGS, workspace: ws, report: () => undefined };
		for (const v of NGINX_VALIDATORS) {
			const ms = time(() => v(ctx));
			(per.get(v.name) ?? per.set(v.name, []).get(v.name)!).push(ms);
		}
	}
	for (const [name, v] of per) { process.stdout.write(`  ${name.padEnd(28)} ${median(v).toFixed(2).padStart(7)} ms\n`); }
}

main();
