/**
 * One contender of the engine comparison, timed in a process of its own:
 *
 *   node out/bench/contender.js <engine|anchor|parse> <megabytes> <runs> <warm-up ms>
 *
 * generates the nginx config of that size (the generator is deterministic, so every process
 * reads the same text), runs the contender 20 times and until the warm-up time has passed (the
 * JIT has then compiled what is measured; on a busy machine its compiler thread takes a while), times `runs` more runs and prints one JSON line: wall and CPU
 * milliseconds per run.
 *
 * Why a process each: timed in one process, each contender also paid for the other's garbage.
 * The anchor (npm nginx-conf) leaves tens of megabytes per run; the collections that garbage
 * causes landed inside the engine's timed runs and the other way round, so the ratio measured
 * how the two share a heap more than how fast each one is. `isolated` (below) runs the
 * processes in alternating rounds, so a busy machine still slows both alike.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parse as parseNginxConf } from 'nginx-conf';
import { parseNginx } from '../server/src/parser/nginx/parser';
import { NGINX_PARSE_OPTIONS } from '../server/src/service/workspace';
import { generateNginxConfig, validateGeneratedNginx } from './generate';
import { timeRuns } from './timing';

export type ContenderKind = 'engine' | 'anchor' | 'parse';

export interface ContenderTimes {
	/** Wall milliseconds of each timed run. */
	readonly wall: number[];
	/** CPU milliseconds (user + system, all threads) of each timed run. */
	readonly cpu: number[];
	/** The size of the text, in bytes. */
	readonly bytes: number;
}

/** What one run of a contender does. */
function contender(kind: ContenderKind, conf: string): () => void {
	let n = 0;
	switch (kind) {
		case 'engine': return () => { validateGeneratedNginx(conf, String(n++)); };
		case 'anchor': return () => { parseNginxConf(conf, err => { if (err) { throw err; } }); };
		case 'parse': return () => { parseNginx(conf, NGINX_PARSE_OPTIONS); };
	}
}

function run(kind: ContenderKind, sizeMb: number, runs: number, warmMs: number): ContenderTimes {
	const conf = generateNginxConfig(sizeMb * 1024 * 1024);
	const f = contender(kind, conf);
	const until = performance.now() + warmMs;
	for (let i = 0; i < 20 || performance.now() < until; i++) { f(); }
	return { ...timeRuns(f, runs), bytes: conf.length };
}

/**
 * Times each contender in processes of its own: `rounds` rounds, each starting one process per
 * contender in turn (the order alternates between rounds), each process timing `runs` runs after
 * its warm-up. Returns all runs of each contender.
 */
export function isolated<K extends ContenderKind>(kinds: readonly K[], sizeMb: number, rounds: number, runs: number, warmMs: number): Record<K, ContenderTimes> {
	const out = {} as Record<K, { wall: number[]; cpu: number[]; bytes: number }>;
	for (const k of kinds) { out[k] = { wall: [], cpu: [], bytes: 0 }; }
	for (let r = 0; r < rounds; r++) {
		const order = r % 2 === 0 ? kinds : [...kinds].reverse();
		for (const k of order) {
			const p = spawnSync(process.execPath, [__filename, k, String(sizeMb), String(runs), String(warmMs)], { encoding: 'utf8', maxBuffer: 1 << 24 });
			if (p.status !== 0) { throw new Error(`bench contender ${k} (${sizeMb} MB) failed with ${p.status ?? p.signal}: ${p.stderr}`); }
			const t = JSON.parse(p.stdout) as ContenderTimes;
			out[k].wall.push(...t.wall);
			out[k].cpu.push(...t.cpu);
			out[k].bytes = t.bytes;
		}
	}
	return out;
}

if (require.main === module) {
	const [kind, size, runs, warm] = process.argv.slice(2);
	if (kind !== 'engine' && kind !== 'anchor' && kind !== 'parse') {
		process.stderr.write('usage: node out/bench/contender.js <engine|anchor|parse> <megabytes> <runs> <warm-up ms>\n');
		process.exit(2);
	}
	process.stdout.write(`${JSON.stringify(run(kind, Number(size), Number(runs), Number(warm)))}\n`);
}
