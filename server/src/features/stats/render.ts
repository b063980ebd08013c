/**
 * Stats views as text (the CLI, like uwsgitop's table), as JSON (for scripts), and as an HTML
 * fragment with inline SVG charts (the editor's webview; no scripts, no inline styles — classes
 * only, so it fits a strict Content-Security-Policy). Every string from the server (request URIs,
 * paths, names) is escaped.
 */
import { SLOW_REQUEST_SECONDS, type StatsPoint, type StatsView } from './tracker';

export function formatBytes(n: number): string {
	if (n < 1024) { return `${n} B`; }
	const units = ['KB', 'MB', 'GB', 'TB'];
	let v = n / 1024;
	let i = 0;
	while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
	return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function formatMicros(us: number): string {
	if (us < 1000) { return `${us} µs`; }
	if (us < 1_000_000) { return `${(us / 1000).toFixed(us < 10_000 ? 1 : 0)} ms`; }
	return `${(us / 1_000_000).toFixed(1)} s`;
}

export function formatSeconds(s: number): string {
	if (s < 60) { return `${s} s`; }
	if (s < 3600) { return `${Math.floor(s / 60)} min ${s % 60} s`; }
	return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function formatRate(r: number | undefined): string {
	if (r === undefined) { return '–'; }
	return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

function pad(s: string, n: number, right = false): string {
	return right ? s.padStart(n) : s.padEnd(n);
}

/** One snapshot as a table for a terminal. */
export function renderStatsText(v: StatsView, address: string): string {
	const s = v.snapshot;
	const t = v.totals;
	const lines: string[] = [];
	lines.push(`uWSGI ${s.version} at ${address}, master pid ${s.pid}, load ${s.load}, listen queue ${v.listenQueue}${v.maxQueue ? ` of ${v.maxQueue}` : ''}`);
	lines.push(`workers ${t.active}${t.workers > t.active ? ` (+${t.workers - t.active} cheap)` : ''}, busy ${t.busy}, requests ${t.requests}${v.rps !== undefined ? ` (${formatRate(v.rps)}/s)` : ''}, exceptions ${t.exceptions}, harakiri ${t.harakiri}, rss ${formatBytes(t.rss)}, vsz ${formatBytes(t.vsz)}, tx ${formatBytes(t.tx)}`);
	const state = v.flags.overloaded ? 'OVERLOADED' : v.flags.allBusy ? 'ALL BUSY' : 'ok';
	lines.push(`state: ${state}`);
	lines.push('');
	const head = ['WID', 'PID', 'STATUS', 'REQ', 'RPS', 'EXC', 'HARAKIRI', 'AVG RT', 'RSS', 'VSZ', 'TX', 'RUNNING'];
	const rows = v.workers.map(({ worker: w, rps }) => {
		const now = v.running.filter(r => r.worker === w.number).map(r => `${r.method ?? ''} ${r.uri ?? '?'}${r.seconds !== undefined ? ` ${formatSeconds(r.seconds)}` : ''}`.trim());
		return [String(w.number), String(w.pid), w.status, String(w.requests), formatRate(rps), String(w.exceptions), String(w.harakiriCount),
			formatMicros(w.avgRtUs), formatBytes(w.rss), formatBytes(w.vsz), formatBytes(w.tx), now.join('; ')];
	});
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
	const numeric = new Set([0, 1, 3, 4, 5, 6]);
	const row = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i], numeric.has(i)))).join('  ').trimEnd();
	lines.push(row(head));
	for (const r of rows) { lines.push(row(r)); }
	if (s.sockets.length) {
		lines.push('');
		for (const sock of s.sockets) { lines.push(`socket ${sock.name} (${sock.proto}): queue ${sock.queue} of ${sock.maxQueue}`); }
	}
	if (v.alerts.length) {
		lines.push('');
		for (const a of v.alerts) { lines.push(`! ${a}`); }
	}
	return lines.join('\n') + '\n';
}

/** A plain object for `--json`: the normalised snapshot with totals, rates and flags. */
export function statsJson(v: StatsView, address: string): object {
	return {
		address,
		version: v.snapshot.version,
		pid: v.snapshot.pid,
		load: v.snapshot.load,
		listenQueue: v.listenQueue,
		maxQueue: v.maxQueue ?? null,
		listenQueueErrors: v.snapshot.listenQueueErrors ?? null,
		totals: v.totals,
		requestsPerSecond: v.rps ?? null,
		flags: v.flags,
		alerts: v.alerts,
		sockets: v.snapshot.sockets,
		workers: v.workers.map(({ worker: w, rps, respawned }) => ({
			id: w.id, number: w.number, pid: w.pid, status: w.status, accepting: w.accepting, requests: w.requests, requestsPerSecond: rps ?? null,
			exceptions: w.exceptions, harakiriCount: w.harakiriCount, rss: w.rss, vsz: w.vsz, avgRtUs: w.avgRtUs, runningTimeUs: w.runningTimeUs,
			tx: w.tx, respawnCount: w.respawnCount, lastSpawn: w.lastSpawn, respawned,
		})),
		running: v.running,
	};
}

// ---------------------------------------------------------------------------------------------
// HTML

export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

const CHART_W = 320;
const CHART_H = 90;

/**
 * A line chart of one series over the last `windowMs` (inline SVG, classes for colours). Gaps
 * (points without a value) break the line.
 */
export function renderChart(points: readonly StatsPoint[], value: (p: StatsPoint) => number | undefined, opts: { title: string; cls: string; format: (n: number) => string; now: number; windowMs: number }): string {
	const vals = points.map(value);
	const max = Math.max(0, ...vals.filter((x): x is number => x !== undefined));
	const top = max > 0 ? max * 1.15 : 1;
	const x = (t: number) => (CHART_W * (1 - (opts.now - t) / opts.windowMs)).toFixed(1);
	const y = (n: number) => (CHART_H - 4 - (CHART_H - 8) * (n / top)).toFixed(1);
	const runs: string[] = [];
	let current: string[] = [];
	points.forEach((p, i) => {
		const v = vals[i];
		if (v === undefined || opts.now - p.t > opts.windowMs) {
			if (current.length) { runs.push(current.join(' ')); }
			current = [];
			return;
		}
		current.push(`${x(p.t)},${y(v)}`);
	});
	if (current.length) { runs.push(current.join(' ')); }
	const last = [...vals].reverse().find(v => v !== undefined);
	const lines = runs.map(r => (r.includes(' ') ? `<polyline class="line ${opts.cls}" points="${r}"/>` : `<circle class="dot ${opts.cls}" cx="${r.split(',')[0]}" cy="${r.split(',')[1]}" r="2"/>`)).join('');
	const span = opts.windowMs >= 60_000 ? `${Math.round(opts.windowMs / 60_000)} min` : `${Math.round(opts.windowMs / 1000)} s`;
	return `<figure class="chart"><figcaption>${escapeHtml(opts.title)} <span class="now ${opts.cls}">${last === undefined ? '–' : escapeHtml(opts.format(last))}</span></figcaption>`
		+ `<svg viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="${escapeHtml(opts.title)} over the last ${span}" preserveAspectRatio="none">`
		+ `<line class="grid" x1="0" y1="${CHART_H - 4}" x2="${CHART_W}" y2="${CHART_H - 4}"/><line class="grid" x1="0" y1="4" x2="${CHART_W}" y2="4"/>`
		+ lines + `</svg><div class="axis"><span>−${span}</span><span>max ${escapeHtml(opts.format(max))}</span><span>now</span></div></figure>`;
}

function statusClass(state: string, busyCores: number, cores: number): string {
	if (state === 'busy') { return busyCores >= cores ? 'busy full' : 'busy'; }
	return state;
}

/** The body of the live view for one state of the reading. */
export function renderStatsHtml(v: StatsView, opts: { address: string; windowMs?: number }): string {
	const s = v.snapshot;
	const t = v.totals;
	// the charts span what has been seen, from 30 s up to 5 minutes, so a young view is not a flat corner
	const seen = v.history.length ? v.at - v.history[0].t : 0;
	const windowMs = opts.windowMs ?? Math.min(5 * 60_000, Math.max(30_000, seen));
	const e = escapeHtml;
	const state = v.flags.overloaded ? '<span class="badge bad">overloaded</span>' : v.flags.allBusy ? '<span class="badge warn">all busy</span>' : '<span class="badge ok">ok</span>';
	const card = (label: string, value: string, cls = '') => `<div class="card ${cls}"><div class="label">${e(label)}</div><div class="value">${value}</div></div>`;
	const out: string[] = [];
	out.push(`<header><h1>uWSGI ${e(s.version)} ${state}</h1><div class="sub">${e(opts.address)} · master pid ${s.pid} · ${e(s.cwd)}</div></header>`);
	out.push('<section class="cards">'
		+ card('requests/s', formatRate(v.rps))
		+ card('requests', String(t.requests))
		+ card('busy workers', `${t.busy} of ${t.active}${t.workers > t.active ? ` <small>(+${t.workers - t.active} cheap)</small>` : ''}`, v.flags.allBusy ? 'warn' : '')
		+ card('listen queue', `${v.listenQueue}${v.maxQueue ? ` <small>of ${v.maxQueue}</small>` : ''}`, v.flags.queueNearFull ? 'bad' : v.flags.queued ? 'warn' : '')
		+ card('load', String(s.load))
		+ card('exceptions', String(t.exceptions), t.exceptions ? 'warn' : '')
		+ card('harakiri', String(t.harakiri), t.harakiri ? 'warn' : '')
		+ card('memory (RSS)', v.flags.memoryNotReported ? 'n/a' : formatBytes(t.rss))
		+ '</section>');
	if (v.alerts.length) {
		out.push(`<ul class="alerts">${v.alerts.map(a => `<li>${e(a)}</li>`).join('')}</ul>`);
	}
	out.push('<section class="charts">'
		+ renderChart(v.history, p => p.rps, { title: 'requests/s', cls: 'rps', format: formatRate, now: v.at, windowMs })
		+ renderChart(v.history, p => p.rss, { title: 'memory (RSS)', cls: 'mem', format: formatBytes, now: v.at, windowMs })
		+ renderChart(v.history, p => p.busy, { title: 'busy workers', cls: 'busyline', format: n => String(n), now: v.at, windowMs })
		+ '</section>');
	out.push('<table class="workers"><thead><tr><th>#</th><th>pid</th><th>status</th><th>requests</th><th>req/s</th><th>exceptions</th><th>harakiri</th>'
		+ '<th>avg time</th><th>RSS</th><th>VSZ</th><th>sent</th><th>respawns</th><th>running now</th></tr></thead><tbody>');
	for (const { worker: w, rps, respawned, busyCores } of v.workers) {
		const now = v.running.filter(r => r.worker === w.number).map(r => {
			const slow = (r.seconds ?? 0) >= SLOW_REQUEST_SECONDS;
			return `<div class="req${slow ? ' slow' : ''}"><code>${e(r.method ?? '')} ${e(r.uri ?? '?')}</code>${r.seconds !== undefined ? ` <span class="dur">${e(formatSeconds(r.seconds))}</span>` : ''}</div>`;
		}).join('');
		out.push(`<tr class="${statusClass(w.state, busyCores, w.cores.length)}"><td>${w.number}</td><td>${w.pid || '–'}</td>`
			+ `<td><span class="status ${e(w.state)}">${e(w.status)}</span>${w.cores.length > 1 ? ` <small>${busyCores}/${w.cores.length}</small>` : ''}${respawned ? ' <small class="warn">respawned</small>' : ''}</td>`
			+ `<td>${w.requests}</td><td>${formatRate(rps)}</td><td class="${w.exceptions ? 'warn' : ''}">${w.exceptions}</td><td class="${w.harakiriCount ? 'warn' : ''}">${w.harakiriCount}</td>`
			+ `<td>${formatMicros(w.avgRtUs)}</td><td>${v.flags.memoryNotReported ? 'n/a' : formatBytes(w.rss)}</td><td>${v.flags.memoryNotReported ? 'n/a' : formatBytes(w.vsz)}</td>`
			+ `<td>${formatBytes(w.tx)}</td><td>${w.respawnCount}</td><td>${now}</td></tr>`);
	}
	out.push('</tbody></table>');
	if (s.sockets.length) {
		out.push('<table class="sockets"><thead><tr><th>socket</th><th>protocol</th><th>queue</th><th>max</th></tr></thead><tbody>'
			+ s.sockets.map(k => `<tr class="${k.maxQueue > 0 && k.queue >= k.maxQueue * 0.8 ? 'bad' : k.queue > 0 ? 'warn' : ''}"><td><code>${e(k.name)}</code></td><td>${e(k.proto)}</td><td>${k.queue}</td><td>${k.maxQueue}</td></tr>`).join('')
			+ '</tbody></table>');
	}
	const extras = [s.spoolers ? `${s.spoolers} spooler${s.spoolers === 1 ? '' : 's'}` : '', s.daemons ? `${s.daemons} attached daemon${s.daemons === 1 ? '' : 's'}` : '', s.truncated ? 'more workers or cores than shown' : ''].filter(Boolean);
	if (extras.length) { out.push(`<p class="sub">${e(extras.join(' · '))}</p>`); }
	return out.join('\n');
}
