/**
 * The live stats view: a webview panel per stats address that asks the language server
 * (`uwsgiNginx/stats`, the same reader as `uwsgi-nginx-check stats`) every 1.5 s while visible
 * and not paused, and shows the rendered view it returns. When the address is not reachable from
 * here (uWSGI in a container, on another host), it asks for one — a forwarded port, say.
 *
 * The page is CSP-tight: no network, no external resources, one nonce'd style and script; the
 * server's HTML has no inline styles or scripts and escapes what uWSGI reports.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const SHOW_STATS_COMMAND = 'uwsgiNginx.showStats';
const STATS_REQUEST = 'uwsgiNginx/stats';
const REFRESH_MS = 1500;

/** The code lens argument (server/src/features/stats/sources.ts ShowStatsArgs). */
export interface ShowStatsArgs {
	readonly address?: string;
	readonly http?: boolean;
	readonly configured?: string;
	readonly uri?: string;
	readonly problem?: string;
}

interface StatsResult {
	readonly outcome: 'ok' | 'bad-address' | 'unreachable' | 'not-stats' | 'dropped' | 'timeout' | 'closed';
	readonly message?: string;
	readonly address?: string;
	readonly html?: string;
	readonly summary?: { readonly workers: number; readonly busy: number; readonly requests: number; readonly rps: number | null; readonly overloaded: boolean };
}

/** What the command returns (for tests and other extensions): the first reading of the view. */
export interface ShowStatsOutcome {
	readonly address?: string;
	readonly outcome: StatsResult['outcome'] | 'cancelled';
	readonly message?: string;
	readonly summary?: StatsResult['summary'];
}

const HEADLINES: Record<string, string> = {
	'unreachable': 'Not reachable',
	'not-stats': 'Not a uWSGI stats server',
	'dropped': 'Connection dropped',
	'timeout': 'Timed out',
	'bad-address': 'Not an address',
};

const ADDRESS_HELP = 'host:port, :port, http://host:port (stats-http), a unix socket path, or @abstract';

export class StatsViews {
	private readonly panels = new Map<string, StatsPanel>();
	private counter = 0;

	constructor(private readonly client: () => Promise<LanguageClient | undefined>) {}

	async show(args: ShowStatsArgs | undefined): Promise<ShowStatsOutcome> {
		const client = await this.client();
		if (!client) {
			void vscode.window.showErrorMessage('uWSGI + nginx: the language server is not running, so live stats cannot be read.');
			return { outcome: 'cancelled', message: 'the language server is not running' };
		}
		let address = args?.address;
		let http = args?.http ?? false;
		if (!address) {
			const why = args?.problem ? ` (${args.configured ?? ''}: ${args.problem})` : '';
			address = await askAddress(`Where does the uWSGI stats server listen?${why}`, args?.configured ?? '127.0.0.1:9191');
			if (!address) { return { outcome: 'cancelled' }; }
		}
		const existing = this.panels.get(keyOf(address, http));
		if (existing) {
			existing.reveal();
			return existing.first;
		}
		// one probe before opening: an address not reachable from here (a container, another host) asks for another
		let first = await request(client, { address, http, session: `probe-${++this.counter}`, timeoutMs: 3000 });
		if (first.outcome === 'unreachable' || first.outcome === 'timeout' || first.outcome === 'bad-address') {
			const other = await askAddress(`${HEADLINES[first.outcome]}: ${first.message ?? ''}. Is it reachable at another address from here (a forwarded port, say)?`, address);
			if (other && other !== address) {
				address = other;
				http = false;
				const open = this.panels.get(keyOf(address, http));
				if (open) {
					open.reveal();
					return open.first;
				}
				first = await request(client, { address, http, session: `probe-${++this.counter}`, timeoutMs: 3000 });
			}
		}
		const panel = new StatsPanel(client, address, http, `view-${++this.counter}`, first, () => this.panels.delete(panel.key));
		this.panels.set(panel.key, panel);
		return panel.first;
	}

	dispose(): void {
		for (const p of [...this.panels.values()]) { p.dispose(); }
	}
}

function keyOf(address: string, http: boolean): string {
	return `${http ? 'http ' : ''}${address}`;
}

async function askAddress(prompt: string, value: string): Promise<string | undefined> {
	const v = await vscode.window.showInputBox({
		title: 'uWSGI stats server', prompt, value, placeHolder: ADDRESS_HELP, ignoreFocusOut: true,
		validateInput: s => (s.trim() ? undefined : `An address: ${ADDRESS_HELP}`),
	});
	return v?.trim() || undefined;
}

async function request(client: LanguageClient, params: object): Promise<StatsResult> {
	try {
		return await client.sendRequest<StatsResult>(STATS_REQUEST, params);
	} catch (e) {
		return { outcome: 'dropped', message: `the language server did not answer: ${e instanceof Error ? e.message : String(e)}` };
	}
}

class StatsPanel {
	readonly key: string;
	readonly first: ShowStatsOutcome;
	private readonly panel: vscode.WebviewPanel;
	private paused = false;
	private timer: NodeJS.Timeout | undefined;
	private busy = false;
	private disposed = false;
	private lastHtml: string | undefined;
	private readonly disposables: vscode.Disposable[] = [];

	constructor(private readonly client: LanguageClient, private address: string, private http: boolean, private readonly session: string, first: StatsResult, private readonly onDispose: () => void) {
		this.key = keyOf(address, http);
		this.first = { address: first.address ?? address, outcome: first.outcome, message: first.message, summary: first.summary };
		this.panel = vscode.window.createWebviewPanel('uwsgiNginx.stats', `uWSGI stats · ${address}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
			enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [], enableFindWidget: true,
		});
		this.panel.webview.html = page();
		this.disposables.push(
			this.panel.onDidDispose(() => this.dispose()),
			this.panel.onDidChangeViewState(() => { if (this.panel.visible) { this.schedule(0); } }),
			this.panel.webview.onDidReceiveMessage((m: { type?: string }) => { void this.onMessage(m); }),
		);
		this.show(first);
		this.schedule(REFRESH_MS);
	}

	reveal(): void {
		this.panel.reveal(undefined, true);
	}

	private async onMessage(m: { type?: string }): Promise<void> {
		if (m.type === 'pause') {
			this.paused = !this.paused;
			this.post({ type: 'paused', paused: this.paused });
			if (!this.paused) { this.schedule(0); }
		} else if (m.type === 'retry') {
			this.schedule(0);
		} else if (m.type === 'address') {
			const other = await askAddress(`Read the uWSGI stats from (${ADDRESS_HELP}):`, this.address);
			if (other && !this.disposed) {
				this.address = other;
				this.http = false;
				this.panel.title = `uWSGI stats · ${other}`;
				this.schedule(0);
			}
		}
	}

	private schedule(ms: number): void {
		if (this.disposed) { return; }
		if (this.timer) { clearTimeout(this.timer); }
		this.timer = setTimeout(() => { void this.tick(); }, ms);
	}

	private async tick(): Promise<void> {
		this.timer = undefined;
		if (this.disposed || this.busy) { return; }
		if (this.paused || !this.panel.visible) { return; } // resumed by the button or by becoming visible
		this.busy = true;
		try {
			this.show(await request(this.client, { address: this.address, http: this.http, session: this.session, timeoutMs: 3000 }));
		} finally {
			this.busy = false;
		}
		this.schedule(REFRESH_MS);
	}

	private show(r: StatsResult): void {
		if (this.disposed) { return; }
		if (r.outcome === 'ok' && r.html) { this.lastHtml = r.html; }
		this.post({
			type: 'update', outcome: r.outcome, address: r.address ?? this.address, paused: this.paused,
			html: r.outcome === 'ok' ? r.html : this.lastHtml, stale: r.outcome !== 'ok',
			headline: HEADLINES[r.outcome] ?? '', message: r.message ?? '', time: new Date().toLocaleTimeString(),
		});
	}

	private post(m: object): void {
		if (!this.disposed) { void this.panel.webview.postMessage(m); }
	}

	dispose(): void {
		if (this.disposed) { return; }
		this.disposed = true;
		if (this.timer) { clearTimeout(this.timer); }
		void request(this.client, { close: true, session: this.session });
		for (const d of this.disposables) { d.dispose(); }
		this.panel.dispose();
		this.onDispose();
	}
}

function nonce(): string {
	const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	let s = '';
	for (let i = 0; i < 32; i++) { s += chars[Math.floor(Math.random() * chars.length)]; }
	return s;
}

/** The page: no local or remote resources at all, so the policy allows only the nonce'd style and script. */
function page(): string {
	const n = nonce();
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${n}'; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>uWSGI stats</title>
<style nonce="${n}">${CSS}</style></head>
<body>
<div class="toolbar"><span id="address" class="address"></span><span id="time" class="time"></span>
<button id="pause" title="Stop or resume refreshing">Pause</button><button id="retry" class="hidden">Retry</button><button id="change" title="Read another address (a forwarded port, say)">Change address…</button></div>
<div id="state" class="state hidden"><strong id="headline"></strong> <span id="message"></span></div>
<main id="content"><p class="sub">Reading…</p></main>
<script nonce="${n}">${SCRIPT}</script>
</body></html>`;
}

const SCRIPT = `(function () {
  const vscode = acquireVsCodeApi();
  const $ = id => document.getElementById(id);
  $('pause').addEventListener('click', () => vscode.postMessage({ type: 'pause' }));
  $('retry').addEventListener('click', () => vscode.postMessage({ type: 'retry' }));
  $('change').addEventListener('click', () => vscode.postMessage({ type: 'address' }));
  const paused = p => { $('pause').textContent = p ? 'Resume' : 'Pause'; document.body.classList.toggle('paused', p); };
  window.addEventListener('message', e => {
    const m = e.data;
    if (m.type === 'paused') { paused(m.paused); return; }
    if (m.type !== 'update') { return; }
    paused(m.paused);
    $('address').textContent = m.address;
    $('time').textContent = m.outcome === 'ok' ? 'updated ' + m.time : 'tried ' + m.time;
    const failed = m.outcome !== 'ok';
    $('state').classList.toggle('hidden', !failed);
    $('retry').classList.toggle('hidden', !failed);
    $('headline').textContent = m.headline + ':';
    $('message').textContent = m.message + (m.outcome === 'unreachable' || m.outcome === 'timeout' ? ' — if uWSGI runs in a container or on another host, forward the port and use Change address.' : '');
    document.body.dataset.outcome = m.outcome;
    if (m.html !== undefined) { $('content').innerHTML = m.html; }
    else if (failed) { $('content').innerHTML = ''; }
    $('content').classList.toggle('stale', !!m.stale);
  });
}());`;

const CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
.toolbar { display: flex; gap: 8px; align-items: center; position: sticky; top: 0; padding: 8px 0; background: var(--vscode-editor-background); z-index: 1; }
.toolbar .address { font-family: var(--vscode-editor-font-family); font-weight: 600; }
.toolbar .time { color: var(--vscode-descriptionForeground); margin-right: auto; }
button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 4px 10px; cursor: pointer; border-radius: 2px; }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
body.paused #pause { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
.hidden { display: none; }
.state { margin: 8px 0; padding: 8px 12px; border-left: 4px solid var(--vscode-errorForeground); background: var(--vscode-inputValidation-errorBackground); }
.stale { opacity: 0.45; }
header h1 { font-size: 1.3em; margin: 8px 0 2px; font-weight: 600; }
.sub { color: var(--vscode-descriptionForeground); }
.badge { font-size: 0.7em; padding: 2px 8px; border-radius: 10px; vertical-align: middle; margin-left: 6px; text-transform: uppercase; letter-spacing: 0.05em; }
.badge.ok { background: var(--vscode-testing-iconPassed); color: var(--vscode-editor-background); }
.badge.warn { background: var(--vscode-editorWarning-foreground); color: var(--vscode-editor-background); }
.badge.bad { background: var(--vscode-errorForeground); color: var(--vscode-editor-background); }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
.card { border: 1px solid var(--vscode-panel-border); border-radius: 4px; padding: 6px 12px; min-width: 96px; }
.card .label { color: var(--vscode-descriptionForeground); font-size: 0.85em; }
.card .value { font-size: 1.5em; font-variant-numeric: tabular-nums; }
.card.warn { border-color: var(--vscode-editorWarning-foreground); }
.card.warn .value { color: var(--vscode-editorWarning-foreground); }
.card.bad { border-color: var(--vscode-errorForeground); }
.card.bad .value { color: var(--vscode-errorForeground); }
.alerts { margin: 8px 0; padding: 6px 12px 6px 28px; border-left: 4px solid var(--vscode-editorWarning-foreground); background: var(--vscode-inputValidation-warningBackground); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 8px 0 12px; }
.chart { margin: 0; width: 300px; }
.chart figcaption { color: var(--vscode-descriptionForeground); font-size: 0.85em; }
.chart figcaption .now { font-weight: 600; font-variant-numeric: tabular-nums; }
.chart svg { width: 300px; height: 80px; border: 1px solid var(--vscode-panel-border); border-radius: 3px; }
.chart .axis { display: flex; justify-content: space-between; color: var(--vscode-descriptionForeground); font-size: 0.75em; }
.grid { stroke: var(--vscode-panel-border); stroke-width: 1; stroke-dasharray: 3 3; vector-effect: non-scaling-stroke; }
.line { fill: none; stroke-width: 2; vector-effect: non-scaling-stroke; stroke-linejoin: round; }
.line.rps, .dot.rps { stroke: var(--vscode-charts-blue); fill: var(--vscode-charts-blue); }
.line.rps { fill: none; }
.line.mem, .dot.mem { stroke: var(--vscode-charts-purple); }
.line.mem { fill: none; }
.dot.mem { fill: var(--vscode-charts-purple); }
.line.busyline, .dot.busyline { stroke: var(--vscode-charts-orange); }
.line.busyline { fill: none; }
.dot.busyline { fill: var(--vscode-charts-orange); }
.now.rps { color: var(--vscode-charts-blue); } .now.mem { color: var(--vscode-charts-purple); } .now.busyline { color: var(--vscode-charts-orange); }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; }
th { color: var(--vscode-descriptionForeground); font-weight: normal; }
td.warn, small.warn { color: var(--vscode-editorWarning-foreground); }
.status { padding: 1px 6px; border-radius: 3px; }
.status.idle { color: var(--vscode-testing-iconPassed); }
.status.busy { background: var(--vscode-editorWarning-foreground); color: var(--vscode-editor-background); }
tr.busy.full .status.busy { background: var(--vscode-errorForeground); }
.status.cheap, .status.pause { color: var(--vscode-descriptionForeground); }
.status.signal { color: var(--vscode-charts-purple); }
tr.warn td { color: var(--vscode-editorWarning-foreground); } tr.bad td { color: var(--vscode-errorForeground); }
.req code { font-family: var(--vscode-editor-font-family); }
.req .dur { color: var(--vscode-descriptionForeground); }
.req.slow .dur { color: var(--vscode-errorForeground); font-weight: 600; }
`;
