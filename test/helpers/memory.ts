/**
 * Measuring memory in-process: a full collection on demand (npm test does not pass
 * --expose-gc) and V8's sampling heap profiler, which can count every byte a piece of code
 * allocates, or only the bytes that outlive the young generation.
 */
import { Session } from 'node:inspector';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let gcFunction: (() => void) | undefined;

/** Runs a full garbage collection; throws when the runtime does not let us (the test cannot run). */
export function fullGc(): void {
	if (!gcFunction) {
		v8.setFlagsFromString('--expose-gc');
		const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
		if (typeof gc !== 'function') { throw new Error('cannot force a garbage collection: --expose-gc did not take effect'); }
		gcFunction = gc as () => void;
	}
	gcFunction();
	gcFunction();
}

/** Heap in use after a full collection, in bytes. */
export function retainedHeap(): number {
	fullGc();
	return process.memoryUsage().heapUsed;
}

interface SamplingNode { selfSize: number; children: SamplingNode[] }

/**
 * Bytes `run` allocates, from V8's sampling heap profiler (an estimate: one sample per
 * `interval` bytes on average). `youngGarbage: false` leaves out what the young-generation
 * collector freed, so what remains is what reached the old generation (promoted, or allocated
 * there) — garbage there waits for a full collection and shows as RSS.
 */
export async function allocatedBytes(run: () => void, options: { youngGarbage: boolean; interval?: number }): Promise<number> {
	const session = new Session();
	session.connect();
	const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) => {
		session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)));
	});
	try {
		await post('HeapProfiler.enable');
		await post('HeapProfiler.startSampling', {
			samplingInterval: options.interval ?? 512, includeObjectsCollectedByMinorGC: options.youngGarbage, includeObjectsCollectedByMajorGC: true,
		});
		run();
		const { profile } = await post<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling');
		let total = 0;
		const walk = (n: SamplingNode) => {
			total += n.selfSize;
			n.children.forEach(walk);
		};
		walk(profile.head);
		return total;
	} finally {
		session.disconnect();
	}
}
