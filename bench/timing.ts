/** Timing helpers shared by the benchmarks. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

/** Runs f `runs` times; the wall and the CPU milliseconds (user + system, all threads) of each run. */
export function timeRuns(f: () => void, runs: number): { wall: number[]; cpu: number[] } {
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let i = 0; i < runs; i++) {
		const c = process.cpuUsage();
		const t = performance.now();
		f();
		wall.push(performance.now() - t);
		const used = process.cpuUsage(c);
		cpu.push((used.user + used.system) / 1000);
	}
	return { wall, cpu };
}
