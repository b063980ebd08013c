/**
 * The engine benchmark on its own, for working on its speed: `node out/bench/engine.js [runs] [MB]`
 * after `npx tsc -b`. Runs the anchor (npm `nginx-conf` parsing the text), the engine (a new
 * language service parsing and validating the text) and the parser alone, each in processes of
 * its own in alternating rounds, as `npm run bench` measures them (bench/contender.ts), and
 * prints medians, minimums and the ratio; then, in this process, where the engine's time goes,
 * validator by validator. `--cpu-prof` works as usual (`node --cpu-prof out/bench/engine.js`).
 */
import { performance } from 'node:perf_hooks';
import { NGINX_VALIDATORS } from '../server/src/analysis/validate';
import { DEFAULT_SETTINGS } from '../server/src/service';
import { Workspace } from '../server/src/service/workspace';
import { isolated } from './contender';
import { generateNginxConfig, NGINX_SNIPPETS } from './generate';
import { median } from './timing';


/** Wall time of f, in ms. */
function time(f: () => void): number {
	const t = performance.now();
	f();
	return performance.now() - t;
}

function main(): void {
	const runs = Number(process.argv[2] ?? 40);
	const sizeMb = Number(process.argv[3] ?? 1);
	const conf = generateNginxConfig(sizeMb * 1024 * 1024);
	// the headline as `npm run bench` measures it: each contender in processes of its own
	const rounds = Math.max(2, Math.round(runs / 10));
	const t = isolated(['anchor', 'engine', 'parse'], sizeMb, rounds, Math.max(1, Math.round(runs / rounds)), 1000);
	const row = (name: string, v: number[]) => `${name.padEnd(28)} median ${median(v).toFixed(2).padStart(7)} ms   min ${Math.min(...v).toFixed(2).padStart(7)} ms`;
	process.stdout.write(`${(conf.length / 1024 / 1024).toFixed(2)} MB, ${rounds} rounds of a process per contender, ${t.engine.wall.length} runs each\n`);
	process.stdout.write(`${row('anchor (nginx-conf parse)', t.anchor.wall)}\n${row('engine (parse + validate)', t.engine.wall)}\n${row('parse only', t.parse.wall)}\n`);
	process.stdout.write(`ratio anchor/engine: median ${(median(t.anchor.wall) / median(t.engine.wall)).toFixed(2)}x, min ${(Math.min(...t.anchor.wall) / Math.min(...t.engine.wall)).toFixed(2)}x\n`);
	process.stdout.write(`CPU time (median): anchor ${median(t.anchor.cpu).toFixed(2)} ms, engine ${median(t.engine.cpu).toFixed(2)} ms, parse ${median(t.parse.cpu).toFixed(2)} ms; ratio ${(median(t.anchor.cpu) / median(t.engine.cpu)).toFixed(2)}x\n\n`);

	// where the time goes: each validator on a fresh workspace (the first one pays for the shared
	// facts), after a second of the same work unrecorded (this process has not run it yet: the JIT)
	const per = new Map<string, number[]>();
	const warmUntil = performance.now() + 1000;
	for (let i = 0, kept = 0; kept < Math.max(runs, 20); i++) {
		const record = performance.now() >= warmUntil;
		if (record) { kept++; }
		const ws = new Workspace();
		const uri = `file:///bench/x${i}/nginx/nginx.conf`;
		for (const [rel, text] of Object.entries(NGINX_SNIPPETS)) { ws.setText(`file:///bench/x${i}/nginx/${rel}`, 'nginx', text); }
		ws.setText(uri, 'nginx', conf);
		const tp = performance.now();
		const file = ws.nginx(uri)!;
		const parseMs = performance.now() - tp;
		if (record) { (per.get('parse') ?? per.set('parse', []).get('parse')!).push(parseMs); }
		const ctx = { uri, file, settings: DEFAULT_SETTINGS, workspace: ws, report: () => undefined };
		for (const v of NGINX_VALIDATORS) {
			const ms = time(() => v(ctx));
			if (record) { (per.get(v.name) ?? per.set(v.name, []).get(v.name)!).push(ms); }
		}
	}
	for (const [name, v] of per) { process.stdout.write(`  ${name.padEnd(28)} ${median(v).toFixed(2).padStart(7)} ms\n`); }
}

main();
