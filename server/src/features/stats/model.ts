/**
 * The uWSGI stats server's document (core/master_utils.c, uwsgi_master_generate_stats): one JSON
 * object per connection, then the server closes — or, with `stats-http`, the same object after
 * HTTP/1.0 response headers. This module turns the bytes a reader got into a typed snapshot, or
 * into a clear verdict on what went wrong. Pure: no sockets, no clock.
 *
 * Fields as uWSGI 2.0 writes them: times in microseconds (`running_time`, `avg_rt`), memory in
 * bytes (`rss`, `vsz`, 0 unless `memory-report` is on), `last_spawn` and a running request's
 * `req_info.request_start` in epoch seconds; a cheaped worker reports id 0, pid 0, status "cheap".
 */

export type WorkerState = 'idle' | 'busy' | 'cheap' | 'pause' | 'signal' | 'other';

export interface StatsCore {
	readonly id: number;
	readonly requests: number;
	readonly inRequest: boolean;
	/** Epoch seconds the running request started (uWSGI reports it only while in a request). */
	readonly requestStart?: number;
	readonly method?: string;
	readonly uri?: string;
	readonly remoteAddr?: string;
	readonly host?: string;
}

export interface StatsWorker {
	/** 1-based position in the workers list (a cheaped worker reports id 0). */
	readonly number: number;
	readonly id: number;
	readonly pid: number;
	readonly accepting: boolean;
	readonly requests: number;
	readonly deltaRequests: number;
	readonly exceptions: number;
	readonly harakiriCount: number;
	readonly signals: number;
	/** As uWSGI writes it: idle, busy, cheap, pause, sigN. */
	readonly status: string;
	readonly state: WorkerState;
	readonly rss: number;
	readonly vsz: number;
	readonly runningTimeUs: number;
	readonly avgRtUs: number;
	readonly lastSpawn: number;
	readonly respawnCount: number;
	readonly tx: number;
	readonly cores: readonly StatsCore[];
}

export interface StatsSocket {
	readonly name: string;
	readonly proto: string;
	readonly queue: number;
	readonly maxQueue: number;
	readonly shared: boolean;
}

export interface StatsSnapshot {
	readonly version: string;
	readonly pid: number;
	readonly uid: number;
	readonly gid: number;
	readonly cwd: string;
	/** The first TCP socket's accept queue (Linux only; absent elsewhere). */
	readonly listenQueue?: number;
	readonly listenQueueErrors?: number;
	/** Requests accepted and not finished (uWSGI's `load`). */
	readonly load: number;
	readonly signalQueue: number;
	readonly sockets: readonly StatsSocket[];
	readonly workers: readonly StatsWorker[];
	/** Lists uWSGI includes when they are configured; counted only. */
	readonly spoolers: number;
	readonly daemons: number;
	/** Workers or cores beyond the model's limits, left out. */
	readonly truncated: boolean;
}

/** What reading a stats address came to. */
export type StatsReading =
	| { readonly kind: 'ok'; readonly snapshot: StatsSnapshot; readonly http: boolean; readonly bytes: number }
	| { readonly kind: 'unreachable' | 'not-stats' | 'dropped' | 'timeout'; readonly message: string };

export type StatsFailureKind = Exclude<StatsReading['kind'], 'ok'>;

/** Largest document accepted (a 2-worker, 2-thread server sends about 3.5 KB). */
export const MAX_STATS_BYTES = 8 * 1024 * 1024;
export const MAX_WORKERS = 4096;
export const MAX_CORES = 1024;
const MAX_VARS = 256;
const MAX_TEXT = 2048;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const optNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stateOf(status: string): WorkerState {
	if (status === 'idle' || status === 'busy' || status === 'cheap' || status === 'pause') { return status; }
	return /^sig\d*$/.test(status) ? 'signal' : 'other';
}

function coreOf(raw: unknown, index: number): StatsCore {
	const c = isObject(raw) ? raw : {};
	const vars = new Map<string, string>();
	if (Array.isArray(c.vars)) {
		for (const v of c.vars.slice(0, MAX_VARS)) {
			if (typeof v !== 'string') { continue; }
			const eq = v.indexOf('=');
			if (eq > 0 && !vars.has(v.slice(0, eq))) { vars.set(v.slice(0, eq), v.slice(eq + 1, eq + 1 + MAX_TEXT)); }
		}
	}
	const info = isObject(c.req_info) ? c.req_info : {};
	const inRequest = num(c.in_request) !== 0;
	return {
		id: typeof c.id === 'number' ? c.id : index,
		requests: num(c.requests),
		inRequest,
		requestStart: inRequest ? optNum(info.request_start) : undefined,
		method: vars.get('REQUEST_METHOD'),
		uri: vars.get('REQUEST_URI') ?? vars.get('PATH_INFO'),
		remoteAddr: vars.get('REMOTE_ADDR'),
		host: vars.get('HTTP_HOST'),
	};
}

function workerOf(raw: unknown, index: number): { worker: StatsWorker; truncated: boolean } {
	const w = isObject(raw) ? raw : {};
	const cores = Array.isArray(w.cores) ? w.cores : [];
	const status = str(w.status) || 'unknown';
	return {
		worker: {
			number: index + 1,
			id: num(w.id),
			pid: num(w.pid),
			accepting: num(w.accepting) !== 0,
			requests: num(w.requests),
			deltaRequests: num(w.delta_requests),
			exceptions: num(w.exceptions),
			harakiriCount: num(w.harakiri_count),
			signals: num(w.signals),
			status,
			state: stateOf(status),
			rss: num(w.rss),
			vsz: num(w.vsz),
			runningTimeUs: num(w.running_time),
			avgRtUs: num(w.avg_rt),
			lastSpawn: num(w.last_spawn),
			respawnCount: num(w.respawn_count),
			tx: num(w.tx),
			cores: cores.slice(0, MAX_CORES).map(coreOf),
		},
		truncated: cores.length > MAX_CORES,
	};
}

/**
 * A parsed JSON value as a stats snapshot, or why it is not one. uWSGI always writes `version`,
 * `pid` and a `workers` list; anything without them is some other JSON service.
 */
export function snapshotFromJson(doc: unknown): { snapshot: StatsSnapshot } | { reason: string } {
	if (!isObject(doc)) { return { reason: 'the answer is JSON, but not an object' }; }
	if (!Array.isArray(doc.workers)) { return { reason: 'the answer is JSON, but has no "workers" list' }; }
	if (typeof doc.version !== 'string' || typeof doc.pid !== 'number') { return { reason: 'the answer is JSON, but has no uWSGI "version" and "pid"' }; }
	let truncated = doc.workers.length > MAX_WORKERS;
	const workers = doc.workers.slice(0, MAX_WORKERS).map((w, i) => {
		const r = workerOf(w, i);
		truncated ||= r.truncated;
		return r.worker;
	});
	const sockets = (Array.isArray(doc.sockets) ? doc.sockets.slice(0, MAX_WORKERS) : []).filter(isObject).map(s => ({
		name: str(s.name), proto: str(s.proto) || 'uwsgi', queue: num(s.queue), maxQueue: num(s.max_queue), shared: num(s.shared) !== 0,
	}));
	return {
		snapshot: {
			version: str(doc.version),
			pid: num(doc.pid),
			uid: num(doc.uid),
			gid: num(doc.gid),
			cwd: str(doc.cwd),
			listenQueue: optNum(doc.listen_queue),
			listenQueueErrors: optNum(doc.listen_queue_errors),
			load: num(doc.load),
			signalQueue: num(doc.signal_queue),
			sockets,
			workers,
			spoolers: Array.isArray(doc.spoolers) ? doc.spoolers.length : 0,
			daemons: Array.isArray(doc.daemons) ? doc.daemons.length : 0,
			truncated,
		},
	};
}

/**
 * Whether `text` is the start of a JSON object that ends early: braces and brackets still open,
 * or a string not closed, outside strings. (A complete or malformed document returns false.)
 */
export function isUnfinishedJson(text: string): boolean {
	const start = text.search(/\S/);
	if (start < 0 || (text[start] !== '{' && text[start] !== '[')) { return false; }
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) { i++; } else if (c === 0x22) { inString = false; }
			continue;
		}
		if (c === 0x22) { inString = true; } else if (c === 0x7b || c === 0x5b) { depth++; } else if (c === 0x7d || c === 0x5d) {
			depth--;
			if (depth === 0) { return false; }
		}
	}
	return inString || depth > 0;
}

export interface Payload {
	/** What arrived, decoded as UTF-8. */
	readonly text: string;
	/** How many bytes arrived. */
	readonly bytes: number;
	/** How the connection ended: the peer closed it (`eof`), reset it, or we stopped at the size limit. */
	readonly end: 'eof' | 'reset' | 'too-large';
	/** Whether we sent an HTTP request (stats-http servers answer only after one). */
	readonly sentHttpRequest: boolean;
	/** The size limit the reader applied (default MAX_STATS_BYTES). */
	readonly limit?: number;
}

const HTTP_STATUS = /^HTTP\/\d(?:\.\d)?[ \t]+(\d{3})[^\r\n]*/;

/**
 * What a connection's bytes amount to: a snapshot, or the verdict. A plain stats server writes the
 * JSON and closes; a `stats-http` one writes HTTP headers first. Anything else — another HTTP
 * server, a banner, binary — is "not a uWSGI stats server"; a document cut short is "dropped".
 */
export function interpretPayload(p: Payload): StatsReading {
	if (p.end === 'too-large') {
		const mb = (p.limit ?? MAX_STATS_BYTES) / (1024 * 1024);
		return { kind: 'not-stats', message: `the answer is larger than ${Number.isInteger(mb) ? mb : mb.toFixed(2)} MB, more than a uWSGI stats document` };
	}
	let body = p.text;
	let http = false;
	if (/^HTTP\//.test(body)) {
		http = true;
		const status = HTTP_STATUS.exec(body);
		const headerEnd = body.search(/\r?\n\r?\n/);
		if (headerEnd < 0) {
			return p.end === 'eof' && !status
				? { kind: 'not-stats', message: 'an HTTP server answered with a malformed response' }
				: { kind: 'dropped', message: 'the connection closed in the middle of the HTTP headers' };
		}
		const headers = body.slice(0, headerEnd);
		body = body.slice(headerEnd).replace(/^\r?\n\r?\n/, '');
		const code = status ? Number(status[1]) : 0;
		const type = /^content-type:[ \t]*([^\r\n;]*)/im.exec(headers)?.[1]?.trim();
		if (code !== 200) {
			return { kind: 'not-stats', message: `an HTTP server answered ${status ? status[0].slice(status[0].indexOf(' ') + 1).trim() : 'without a status'}${type ? ` (${type})` : ''}: not a uWSGI stats server` };
		}
		if (type && !/json/i.test(type)) {
			return { kind: 'not-stats', message: `an HTTP server answered with ${type}, not uWSGI stats JSON` };
		}
	}
	if (!body.trim()) {
		if (http) { return { kind: 'not-stats', message: 'an HTTP server answered with an empty body' }; }
		return { kind: 'dropped', message: p.end === 'reset' ? 'the connection was reset before anything arrived' : 'the server closed the connection without sending anything' };
	}
	let doc: unknown;
	try {
		doc = JSON.parse(body);
	} catch {
		if (isUnfinishedJson(body)) {
			return { kind: 'dropped', message: `the connection ${p.end === 'reset' ? 'was reset' : 'closed'} after ${p.bytes} bytes, before the end of the document` };
		}
		return { kind: 'not-stats', message: `the answer is not JSON (it starts with ${JSON.stringify(firstLine(body))})` };
	}
	const r = snapshotFromJson(doc);
	if ('reason' in r) { return { kind: 'not-stats', message: r.reason }; }
	return { kind: 'ok', snapshot: r.snapshot, http, bytes: p.bytes };
}

function firstLine(s: string): string {
	const line = s.trimStart().split(/\r?\n/)[0];
	// control characters (binary garbage) shown as \u escapes by JSON.stringify; kept short
	return line.length > 40 ? line.slice(0, 40) + '…' : line;
}
