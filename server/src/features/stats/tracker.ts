/**
 * What a live view shows, computed from successive stats snapshots: totals, requests per second
 * (overall and per worker, from the change since the previous snapshot), the requests running
 * now and for how long, the states worth a warning (every worker thread busy, requests waiting
 * in the listen queue, a queue nearly full, memory not reported), and a short history for the
 * charts. Pure: the caller passes the time each snapshot was taken.
 */
import type { StatsSnapshot, StatsWorker } from './model';

export interface RunningRequest {
	readonly worker: number;
	readonly pid: number;
	readonly core: number;
	readonly method?: string;
	readonly uri?: string;
	readonly remoteAddr?: string;
	/** How long it has run (our clock minus uWSGI's request_start); undefined when uWSGI gave no start. */
	readonly seconds?: number;
}

export interface WorkerView {
	readonly worker: StatsWorker;
	/** Requests per second since the previous snapshot; undefined for the first one. */
	readonly rps?: number;
	/** The worker was respawned (another pid) since the previous snapshot. */
	readonly respawned: boolean;
	readonly busyCores: number;
}

export interface StatsPoint {
	/** Milliseconds (the caller's clock). */
	readonly t: number;
	readonly rps?: number;
	/** Total RSS of the workers, bytes. */
	readonly rss: number;
	readonly busy: number;
}

export interface StatsTotals {
	readonly requests: number;
	readonly exceptions: number;
	readonly harakiri: number;
	readonly tx: number;
	readonly rss: number;
	readonly vsz: number;
	readonly workers: number;
	/** Workers not cheaped. */
	readonly active: number;
	readonly busy: number;
	readonly cores: number;
	readonly busyCores: number;
}

export interface StatsFlags {
	/** Every core of every active worker is in a request: nothing is free to accept. */
	readonly allBusy: boolean;
	/** Requests wait in a listen queue. */
	readonly queued: boolean;
	/** A listen queue is at 80 % of its maximum or more. */
	readonly queueNearFull: boolean;
	readonly overloaded: boolean;
	/** rss/vsz are 0 after requests: uWSGI collects them only with `memory-report`. */
	readonly memoryNotReported: boolean;
	/** The master's pid changed since the previous snapshot. */
	readonly restarted: boolean;
}

export interface StatsView {
	readonly at: number;
	readonly snapshot: StatsSnapshot;
	readonly totals: StatsTotals;
	readonly rps?: number;
	readonly workers: readonly WorkerView[];
	/** Longest running first. */
	readonly running: readonly RunningRequest[];
	/** The listen queue shown: uWSGI's `listen_queue`, else the first socket's queue. */
	readonly listenQueue: number;
	readonly maxQueue?: number;
	readonly flags: StatsFlags;
	/** One sentence per state worth a look, worst first. */
	readonly alerts: readonly string[];
	readonly history: readonly StatsPoint[];
}

/** A request running this long is shown as slow. */
export const SLOW_REQUEST_SECONDS = 5;
const NEAR_FULL = 0.8;

export class StatsTracker {
	private previous?: { snapshot: StatsSnapshot; at: number };
	private readonly points: StatsPoint[] = [];

	/** `historyMs`: how far back the charts reach. */
	constructor(private readonly historyMs = 10 * 60 * 1000, private readonly maxPoints = 1200) {}

	/** Adds a snapshot taken at `at` (ms) and returns the view. */
	update(snapshot: StatsSnapshot, at: number): StatsView {
		const prev = this.previous && at > this.previous.at ? this.previous : undefined;
		const restarted = !!prev && prev.snapshot.pid !== snapshot.pid;
		const dt = prev ? (at - prev.at) / 1000 : 0;
		let delta = 0;
		const workers = snapshot.workers.map((w): WorkerView => {
			const before = prev && !restarted ? prev.snapshot.workers[w.number - 1] : undefined;
			const respawned = !!before && before.pid !== w.pid && w.state !== 'cheap' && before.state !== 'cheap';
			// a respawned worker counts from zero again
			const d = before && !respawned && w.requests >= before.requests ? w.requests - before.requests : (prev ? w.requests : 0);
			delta += d;
			return { worker: w, rps: prev ? d / dt : undefined, respawned, busyCores: w.cores.filter(c => c.inRequest).length };
		});
		const rps = prev ? delta / dt : undefined;
		const totals = totalsOf(snapshot, workers);
		const running = runningRequests(snapshot, at);
		const firstSocket = snapshot.sockets[0];
		const listenQueue = snapshot.listenQueue ?? firstSocket?.queue ?? 0;
		const maxQueue = firstSocket?.maxQueue || undefined;
		const queued = listenQueue > 0 || snapshot.sockets.some(s => s.queue > 0);
		const queueNearFull = snapshot.sockets.some(s => s.maxQueue > 0 && s.queue >= s.maxQueue * NEAR_FULL)
			|| (maxQueue !== undefined && listenQueue >= maxQueue * NEAR_FULL);
		const allBusy = totals.active > 0 && (totals.cores > 0 ? totals.busyCores >= totals.cores : totals.busy >= totals.active);
		// before the first request uWSGI has not measured yet
		const memoryNotReported = totals.active > 0 && totals.requests > 0 && snapshot.workers.every(w => w.rss === 0 && w.vsz === 0);
		const flags: StatsFlags = { allBusy, queued, queueNearFull, overloaded: (allBusy && queued) || queueNearFull, memoryNotReported, restarted };

		this.previous = { snapshot, at };
		if (restarted) { this.points.length = 0; }
		this.points.push({ t: at, rps, rss: totals.rss, busy: totals.busy });
		while (this.points.length > this.maxPoints || (this.points.length && this.points[0].t < at - this.historyMs)) { this.points.shift(); }

		return {
			at, snapshot, totals, rps, workers, running, listenQueue, maxQueue, flags,
			alerts: alertsOf(snapshot, totals, flags, listenQueue, maxQueue, running),
			history: this.points.slice(),
		};
	}
}

function totalsOf(s: StatsSnapshot, views: readonly WorkerView[]): StatsTotals {
	let requests = 0, exceptions = 0, harakiri = 0, tx = 0, rss = 0, vsz = 0, active = 0, busy = 0, cores = 0, busyCores = 0;
	for (const { worker: w, busyCores: b } of views) {
		requests += w.requests;
		exceptions += w.exceptions;
		harakiri += w.harakiriCount;
		tx += w.tx;
		rss += w.rss;
		vsz += w.vsz;
		if (w.state === 'cheap') { continue; }
		active++;
		if (w.state === 'busy' || b > 0) { busy++; }
		cores += w.cores.length;
		busyCores += b;
	}
	return { requests, exceptions, harakiri, tx, rss, vsz, workers: s.workers.length, active, busy, cores, busyCores };
}

function runningRequests(s: StatsSnapshot, at: number): RunningRequest[] {
	const out: RunningRequest[] = [];
	const now = Math.floor(at / 1000);
	for (const w of s.workers) {
		for (const c of w.cores) {
			if (!c.inRequest) { continue; }
			out.push({
				worker: w.number, pid: w.pid, core: c.id, method: c.method, uri: c.uri, remoteAddr: c.remoteAddr,
				seconds: c.requestStart !== undefined && c.requestStart > 0 ? Math.max(0, now - c.requestStart) : undefined,
			});
		}
	}
	return out.sort((a, b) => (b.seconds ?? -1) - (a.seconds ?? -1) || a.worker - b.worker || a.core - b.core);
}

function alertsOf(s: StatsSnapshot, t: StatsTotals, f: StatsFlags, queue: number, maxQueue: number | undefined, running: readonly RunningRequest[]): string[] {
	const out: string[] = [];
	const unit = t.cores > t.active ? 'worker thread' : 'worker';
	const n = t.cores > t.active ? t.cores : t.active;
	if (f.allBusy) { out.push(`Every ${unit} is busy (${n} of ${n}): new requests wait in the listen queue.`); }
	for (const sock of s.sockets) {
		if (sock.maxQueue > 0 && sock.queue >= sock.maxQueue * NEAR_FULL) {
			out.push(`The listen queue of ${sock.name} is nearly full (${sock.queue} of ${sock.maxQueue}): new connections will be refused.`);
		}
	}
	if (queue > 0) { out.push(`${queue} request${queue === 1 ? '' : 's'} wait${queue === 1 ? 's' : ''} in the listen queue${maxQueue ? ` (at most ${maxQueue})` : ''}.`); }
	if (s.listenQueueErrors) { out.push(`${s.listenQueueErrors} connection${s.listenQueueErrors === 1 ? '' : 's'} overflowed the listen queue since start.`); }
	const slow = running.filter(r => (r.seconds ?? 0) >= SLOW_REQUEST_SECONDS);
	if (slow.length) { out.push(`${slow.length} request${slow.length === 1 ? ' has' : 's have'} run ${SLOW_REQUEST_SECONDS} s or longer (longest ${slow[0].seconds} s).`); }
	if (f.restarted) { out.push('uWSGI was restarted (the master has another pid).'); }
	if (f.memoryNotReported) { out.push('Memory is not reported: uWSGI collects RSS and VSZ only with memory-report = true.'); }
	return out;
}
