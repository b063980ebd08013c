/**
 * `uwsgiNginx/stats`: the editor's live view reads a uWSGI stats server through the language
 * server, with the same reader as the CLI (host/statsReader.ts). One tracker per view (`session`)
 * keeps the previous snapshot and the history, so each answer carries requests per second and the
 * charts; the result is the rendered view (an HTML fragment, classes only) plus a short summary.
 */
import type { Connection } from 'vscode-languageserver/node';
import { readStats } from '../host/statsReader';
import { formatStatsAddress, parseStatsAddress, renderStatsHtml, StatsTracker, type StatsView } from '../service/index';

export const STATS_REQUEST = 'uwsgiNginx/stats';

export interface StatsRequestParams {
	/** An address as `parseStatsAddress` reads it. */
	readonly address: string;
	/** HTTP mode (the config has `stats-http`). */
	readonly http?: boolean;
	/** The view asking; its tracker keeps the history. */
	readonly session?: string;
	readonly timeoutMs?: number;
	/** Ends the session (the view was closed); nothing is read. */
	readonly close?: boolean;
}

export interface StatsRequestResult {
	readonly outcome: 'ok' | 'bad-address' | 'unreachable' | 'not-stats' | 'dropped' | 'timeout' | 'closed';
	readonly message?: string;
	/** The address as read, normalised. */
	readonly address?: string;
	readonly html?: string;
	readonly summary?: {
		readonly version: string;
		readonly workers: number;
		readonly busy: number;
		readonly requests: number;
		readonly rps: number | null;
		readonly listenQueue: number;
		readonly overloaded: boolean;
		readonly allBusy: boolean;
		readonly running: number;
	};
}

const MAX_SESSIONS = 16;
const MAX_TIMEOUT_MS = 30_000;

export function registerStats(connection: Connection, internalError: (where: string, error: unknown) => void = () => undefined): void {
	const sessions = new Map<string, StatsTracker>();
	const trackerFor = (session: string | undefined): StatsTracker => {
		if (!session) { return new StatsTracker(); }
		let t = sessions.get(session);
		if (t) {
			sessions.delete(session);
		} else {
			t = new StatsTracker();
			if (sessions.size >= MAX_SESSIONS) { sessions.delete(sessions.keys().next().value!); }
		}
		sessions.set(session, t);
		return t;
	};

	connection.onRequest(STATS_REQUEST, async (params: StatsRequestParams): Promise<StatsRequestResult> => {
		// guarded like every handler: an exception is logged and answered as a dropped reading
		try {
			return await answer(params);
		} catch (error) {
			internalError(`lsp ${STATS_REQUEST}`, error);
			return { outcome: 'dropped', message: 'internal error in the language server (see its log)' };
		}
	});

	const answer = async (params: StatsRequestParams): Promise<StatsRequestResult> => {
		if (params?.close) {
			if (params.session) { sessions.delete(params.session); }
			return { outcome: 'closed' };
		}
		const parsed = parseStatsAddress(typeof params?.address === 'string' ? params.address : '', params?.http === true);
		if ('error' in parsed) { return { outcome: 'bad-address', message: parsed.error }; }
		const address = formatStatsAddress(parsed.address);
		const timeoutMs = Math.min(MAX_TIMEOUT_MS, Math.max(100, Number(params.timeoutMs) || 3000));
		const reading = await readStats(parsed.address, { timeoutMs });
		if (reading.kind !== 'ok') { return { outcome: reading.kind, message: reading.message, address }; }
		const view: StatsView = trackerFor(params.session).update(reading.snapshot, Date.now());
		// a stats-http server found by itself: say so in the address shown
		const shown = reading.http && !parsed.address.http ? formatStatsAddress({ ...parsed.address, http: true }) : address;
		return {
			outcome: 'ok',
			address: shown,
			html: renderStatsHtml(view, { address: shown }),
			summary: {
				version: view.snapshot.version, workers: view.totals.active, busy: view.totals.busy, requests: view.totals.requests,
				rps: view.rps ?? null, listenQueue: view.listenQueue, overloaded: view.flags.overloaded, allBusy: view.flags.allBusy, running: view.running.length,
			},
		};
	};
}
