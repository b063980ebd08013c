/**
 * `uwsgi-nginx-check stats ADDRESS`: one snapshot of a uWSGI stats server, as a table (like
 * uwsgitop) or JSON, for scripts and CI health checks. ADDRESS is what `stats =` takes
 * (`127.0.0.1:9191`, `:9191`, `/run/uwsgi/stats.sock`, `@name`), `http://HOST:PORT` for a server
 * with `stats-http`, or a uWSGI ini file whose `stats` option says where to look.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readTextFile } from '../host/files';
import { DEFAULT_STATS_TIMEOUT_MS, readStats } from '../host/statsReader';
import {
	formatStatsAddress, getLanguageService, parseStatsAddress, pathToUri, renderStatsText, statsJson, statsSources, StatsTracker,
	type StatsAddress, type StatsFailureKind,
} from '../service/index';

export const STATS_USAGE = `usage: uwsgi-nginx-check stats [--json] [--http] [--timeout MS] [--samples N --interval MS] ADDRESS

Prints what a uWSGI stats server reports: workers, requests, memory, the listen queue.
ADDRESS is a stats address (127.0.0.1:9191, :9191, /path/stats.sock, @abstract),
http://HOST:PORT for a server with stats-http, or a uWSGI ini file with a stats option.
  --json         JSON instead of a table
  --http         send an HTTP request first (the server has stats-http; found by itself when not given)
  --timeout MS   give up after MS milliseconds (default ${DEFAULT_STATS_TIMEOUT_MS})
  --samples N    read N snapshots (default 1); from the second on, requests per second are shown
  --interval MS  between samples (default 1000)
Exit status: 0 read, 2 usage, 3 not reachable, 4 not a uWSGI stats server,
5 connection dropped before the end, 6 timed out.
`;

export const STATS_EXIT: Record<StatsFailureKind, number> = { 'unreachable': 3, 'not-stats': 4, 'dropped': 5, 'timeout': 6 };

class StatsUsageError extends Error {}

interface StatsOptions {
	json: boolean;
	http: boolean;
	timeoutMs: number;
	samples: number;
	intervalMs: number;
	target: string;
}

function parseStatsArgs(argv: readonly string[]): StatsOptions | 'help' {
	const o: Partial<StatsOptions> & { json: boolean; http: boolean } = { json: false, http: false };
	const positional: string[] = [];
	const int = (name: string, v: string | undefined, min: number, max: number): number => {
		const n = Number(v);
		if (v === undefined || !Number.isInteger(n) || n < min || n > max) { throw new StatsUsageError(`${name} takes a whole number from ${min} to ${max}`); }
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const eq = a.startsWith('--') ? a.indexOf('=') : -1;
		const name = eq > 0 ? a.slice(0, eq) : a;
		const value = () => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
		if (name === '--help' || name === '-h') { return 'help'; }
		if (name === '--json') { o.json = true; } else if (name === '--http') { o.http = true; } else if (name === '--timeout') {
			o.timeoutMs = int('--timeout', value(), 1, 600_000);
		} else if (name === '--samples') {
			o.samples = int('--samples', value(), 1, 3600);
		} else if (name === '--interval') {
			o.intervalMs = int('--interval', value(), 100, 3_600_000);
		} else if (a === '--') {
			positional.push(...argv.slice(i + 1));
			break;
		} else if (a.startsWith('-') && a.length > 1) {
			throw new StatsUsageError(`unknown option ${a}`);
		} else {
			positional.push(a);
		}
	}
	if (positional.length !== 1) { throw new StatsUsageError(positional.length ? 'give one ADDRESS' : 'no ADDRESS given'); }
	return { json: o.json, http: o.http, timeoutMs: o.timeoutMs ?? DEFAULT_STATS_TIMEOUT_MS, samples: o.samples ?? 1, intervalMs: o.intervalMs ?? 1000, target: positional[0] };
}

/** An ini file's first stats address (placeholders resolved), or undefined when `target` is no such file. */
function addressFromIni(target: string, http: boolean): StatsAddress | undefined {
	let st: fs.Stats;
	try { st = fs.statSync(target); } catch { return undefined; }
	if (!st.isFile()) { return undefined; }
	const r = readTextFile(target);
	if (!r.ok) { throw new StatsUsageError(`${target}: ${r.reason}`); }
	const absolute = path.resolve(target);
	const service = getLanguageService();
	const doc = TextDocument.create(pathToUri(absolute), 'uwsgi-ini', 1, r.text);
	service.workspace.set(doc, 'uwsgi');
	const sources = statsSources(doc.uri, service.workspace.ini(doc.uri)!);
	if (!sources.length) { throw new StatsUsageError(`${target} has no stats option`); }
	const first = sources[0];
	if (!first.address) { throw new StatsUsageError(`${target}: stats = ${first.configured}: ${first.problem}`); }
	return http ? { ...first.address, http } : first.address;
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

export async function runStats(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
	let o: StatsOptions;
	let address: StatsAddress;
	try {
		const parsed = parseStatsArgs(argv);
		if (parsed === 'help') { out(STATS_USAGE); return 0; }
		o = parsed;
		const fromIni = addressFromIni(o.target, o.http);
		if (fromIni) {
			address = fromIni;
		} else {
			const a = parseStatsAddress(o.target, o.http);
			if ('error' in a) { throw new StatsUsageError(`${o.target}: ${a.error}`); }
			address = a.address;
		}
	} catch (e) {
		if (e instanceof StatsUsageError) {
			err(`uwsgi-nginx-check stats: ${e.message}\nTry 'uwsgi-nginx-check stats --help'.\n`);
			return 2;
		}
		throw e;
	}
	const display = formatStatsAddress(address);
	const tracker = new StatsTracker();
	for (let i = 0; i < o.samples; i++) {
		if (i > 0) { await sleep(o.intervalMs); }
		const reading = await readStats(address, { timeoutMs: o.timeoutMs });
		if (reading.kind !== 'ok') {
			if (o.json) { out(JSON.stringify({ address: display, outcome: reading.kind, message: reading.message }, null, 2) + '\n'); }
			err(`uwsgi-nginx-check stats: ${display}: ${reading.kind === 'not-stats' ? 'not a uWSGI stats server: ' : reading.kind === 'dropped' ? 'connection dropped: ' : ''}${reading.message}\n`);
			return STATS_EXIT[reading.kind];
		}
		const view = tracker.update(reading.snapshot, Date.now());
		if (i < o.samples - 1) { continue; }
		out(o.json ? JSON.stringify({ outcome: 'ok', http: reading.http, ...statsJson(view, display) }, null, 2) + '\n' : renderStatsText(view, display));
	}
	return 0;
}
