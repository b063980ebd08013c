/**
 * An edit storm through the real server (issue 8): 10,000 random incremental edits over two
 * open documents (an nginx config and a uWSGI ini) — insertions, deletions, pastes of whole
 * files, undo-like reversals, several changes per didChange — with hover, completion, symbols
 * and code actions interleaved and some requests cancelled ($/cancelRequest). Afterwards the
 * diagnostics published for the final version equal those of a fresh open of the final text in
 * a second document, and the server's memory (VmRSS) has not grown past a generous bound.
 *
 * Seeded: STORM_SEED=<n> reproduces a run; STORM_EDITS=<n> changes the count.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type Diagnostic, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-protocol';
import { pathToUri } from '../../server/src/utils/uri';
import { INJECTIONS, LineIndex, rssMb, SEEDS, type Kind } from '../helpers/fuzz';
import { LspClient, SERVER } from '../helpers/lspClient';
import { seededRandom as prng } from '../helpers/rng';

const SEED = Number(process.env.STORM_SEED ?? 0x5eed);
const EDITS = Number(process.env.STORM_EDITS ?? 10_000);
/** Documents are kept below this size (pastes make them grow; deletions win above it). */
const MAX_CHARS = 24_000;
/**
 * RSS may grow this much over the storm. V8 grows its heap in the first thousands of edits
 * (about +100 MB here, the same after 10,000 or 30,000 edits) and keeps it: that is headroom,
 * not a leak. A leak shows as growth in the second half, bounded separately.
 */
const RSS_BOUND_MB = 150;
const RSS_SECOND_HALF_BOUND_MB = 40;


interface Change { start: number; end: number; text: string }

/** One open document and our own copy of its text (edits are applied to both). */
class Mirror {
	text: string;
	version = 1;
	/** Inverse of each change not yet undone (LIFO, so each stays valid when it is popped). */
	readonly undo: Change[] = [];

	constructor(readonly kind: Kind, readonly uri: string, initial: string) {
		this.text = initial;
	}

	/** Applies a change given in offsets; returns the LSP change (positions in the text before it). */
	apply(c: Change, remember = true): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } {
		const lines = new LineIndex(this.text);
		const range = { start: lines.positionAt(c.start), end: lines.positionAt(c.end) };
		const removed = this.text.slice(c.start, c.end);
		this.text = this.text.slice(0, c.start) + c.text + this.text.slice(c.end);
		if (remember) {
			this.undo.push({ start: c.start, end: c.start + c.text.length, text: removed });
			if (this.undo.length > 400) { this.undo.splice(0, 100); }
		}
		return { range, text: c.text };
	}
}

describe(`edit storm through the real server (${EDITS} edits, seed ${SEED})`, () => {
	let client: LspClient;
	let ws: string;
	const rnd = prng(SEED);
	const int = (n: number) => Math.floor(rnd() * n);
	const pick = <T>(list: readonly T[]): T => list[int(list.length)];

	before(async () => {
		assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run build first`);
		ws = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-storm-'));
		client = new LspClient();
		await client.initialize(pathToUri(ws));
	});

	after(async () => {
		const killer = setTimeout(() => client.process.kill('SIGKILL'), 5000);
		await client.shutdown();
		clearTimeout(killer);
		fs.rmSync(ws, { recursive: true, force: true });
	});

	it('publishes, for the final version, what a fresh open of the final text publishes; memory stays bounded', async t => {
		const nginx = new Mirror('nginx', pathToUri(path.join(ws, 'a', 'sites-enabled', 'site.conf')), SEEDS.nginx[0]);
		const ini = new Mirror('uwsgi', pathToUri(path.join(ws, 'a', 'uwsgi.ini')), SEEDS.uwsgi[0]);
		const docs = [nginx, ini];
		await client.open(nginx.uri, 'nginx', nginx.text);
		await client.open(ini.uri, 'uwsgi-ini', ini.text);
		await client.waitForDiagnostics(nginx.uri, p => p.version === 1);
		await client.waitForDiagnostics(ini.uri, p => p.version === 1);
		// first use of each feature loads its tables (completion items, the nginx reference): not growth
		for (const m of [nginx, ini]) {
			const position = new LineIndex(m.text).positionAt(m.text.length >> 1);
			for (const method of ['textDocument/hover', 'textDocument/completion', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/definition']) {
				await client.request(method, { textDocument: { uri: m.uri }, position });
			}
			await client.request('textDocument/codeAction', { textDocument: { uri: m.uri }, range: { start: position, end: position }, context: { diagnostics: client.diagnostics.get(m.uri)?.diagnostics ?? [] } });
		}
		const rssBefore = rssMb(client.process.pid!);

		const pastes = [...SEEDS.nginx, ...SEEDS.uwsgi];
		const snippets = [...INJECTIONS, ...pastes.flatMap(p => p.split('\n')).filter(l => l.trim()), 'server {\n', '}\n', 'location / {\n    uwsgi_pass app;\n}\n', '[uwsgi]\n', 'if-env = X\n', 'endif\n', '%(base)', '$host', '😀', '\r\n'];
		const pending: Promise<unknown>[] = [];
		const counts = { changes: 0, inserts: 0, deletes: 0, replaces: 0, pastes: 0, undos: 0, requests: 0, cancelled: 0, answered: 0, honoured: 0, failed: 0 };
		const track = (p: Promise<unknown>, cancelled: boolean) => {
			counts.requests++;
			if (cancelled) { counts.cancelled++; }
			pending.push(p.then(() => { counts.answered++; }, (e: { code?: number }) => {
				// a cancelled request may be answered (it ran before the cancel arrived) or rejected with RequestCancelled; anything else is a failure
				if (cancelled && e?.code === -32800) { counts.honoured++; } else { counts.failed++; t.diagnostic(`request failed: ${String(e)}`); }
			}));
		};
		/** A random change for a document (offsets in its current text, never between "\r" and "\n"). */
		const randomChange = (m: Mirror): Change | undefined => {
			const n = m.text.length;
			const snap = (o: number) => (o > 0 && o < n && m.text[o - 1] === '\r' && m.text[o] === '\n' ? o - 1 : o);
			const at = snap(int(n + 1));
			const r = rnd();
			if (r < 0.2 && m.undo.length) {
				counts.undos++;
				return undefined;
			}
			// small documents grow, large ones shrink: most of the storm runs on several kilobytes
			const growth = n < 6_000 ? 0.65 : n >= MAX_CHARS ? 0 : 0.4;
			if (r < 0.2 + growth) {
				if (rnd() < 0.08) {
					counts.pastes++;
					const whole = pick(pastes);
					return int(10) === 0 ? { start: 0, end: n, text: whole } : { start: at, end: at, text: whole };
				}
				counts.inserts++;
				return { start: at, end: at, text: pick(snippets) };
			}
			const end = snap(Math.min(n, at + 1 + int(n >= MAX_CHARS ? 2000 : 60)));
			if (r < 0.9 || n >= MAX_CHARS) {
				counts.deletes++;
				return { start: at, end, text: '' };
			}
			counts.replaces++;
			return { start: at, end, text: pick(snippets) };
		};
		const sizes: number[] = [];
		let rssMid = NaN;

		const started = performance.now();
		for (let e = 0; e < EDITS; e++) {
			const m = rnd() < 0.7 ? nginx : ini;
			const changes: ReturnType<Mirror['apply']>[] = [];
			const batch = rnd() < 0.1 ? 2 + int(3) : 1;
			for (let b = 0; b < batch; b++) {
				const c = randomChange(m);
				if (c) {
					changes.push(m.apply(c));
				} else {
					// undo-like reversal: the last change not yet undone, one to three of them at once
					for (let u = 1 + int(3); u > 0 && m.undo.length; u--) { changes.push(m.apply(m.undo.pop()!, false)); }
				}
			}
			if (!changes.length) { continue; }
			counts.changes += changes.length;
			sizes.push(m.text.length);
			await client.change(m.uri, ++m.version, changes);

			// requests at positions of the current text, some cancelled right away
			if (e % 5 === 0) {
				const lines = new LineIndex(m.text);
				const position = lines.positionAt(int(m.text.length + 1));
				const method = pick(['textDocument/hover', 'textDocument/hover', 'textDocument/completion', 'textDocument/completion', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/codeAction', 'textDocument/definition']);
				const params = method === 'textDocument/codeAction'
					? { textDocument: { uri: m.uri }, range: { start: position, end: position }, context: { diagnostics: client.diagnostics.get(m.uri)?.diagnostics ?? [] } }
					: { textDocument: { uri: m.uri }, position };
				const cancel = e % 3 === 0;
				const source = new CancellationTokenSource();
				track(client.connection.sendRequest(method, params, source.token), cancel);
				if (cancel) { source.cancel(); }
			}
			// an editor does not queue requests forever: let the server catch up now and then
			if (pending.length >= 200) { await Promise.all(pending.splice(0)); }
			if (e === EDITS >> 1) { rssMid = rssMb(client.process.pid!); }
		}
		await Promise.all(pending.splice(0));
		const stormMs = performance.now() - started;

		// the final versions: wait for their diagnostics, then for the delayed re-validation of the other document to pass
		for (const m of docs) { await client.waitForDiagnostics(m.uri, p => p.version === m.version, 60000); }
		await new Promise(r => setTimeout(r, 400));
		const settledMs = performance.now() - started;
		const rssAfter = rssMb(client.process.pid!);
		const finals = docs.map(m => {
			const p = client.diagnostics.get(m.uri)!;
			assert.equal(p.version, m.version, `${m.kind}: the last diagnostics are for the final version`);
			return p.diagnostics;
		});
		const symbolsOf = (uri: string) => client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
		const foldingOf = (uri: string) => client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
		const stormSymbols = await Promise.all(docs.map(m => symbolsOf(m.uri)));
		const stormFolding = await Promise.all(docs.map(m => foldingOf(m.uri)));

		// a fresh open of each final text, at the same name in a sibling folder, with the storm documents closed
		for (const m of docs) { await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: m.uri } }); }
		const fresh = docs.map(m => m.uri.replace('/a/', '/b/'));
		for (let i = 0; i < docs.length; i++) { await client.open(fresh[i], docs[i].kind === 'nginx' ? 'nginx' : 'uwsgi-ini', docs[i].text); }
		for (const uri of fresh) { await client.waitForDiagnostics(uri, p => p.version === 1, 30000); }
		await new Promise(r => setTimeout(r, 400));
		const shape = (d: Diagnostic) => ({ code: d.code, severity: d.severity, source: d.source, range: d.range, message: d.message, related: d.relatedInformation?.length ?? 0 });
		for (let i = 0; i < docs.length; i++) {
			const again = client.diagnostics.get(fresh[i])!.diagnostics;
			assert.deepEqual(finals[i].map(shape), again.map(shape), `${docs[i].kind}: diagnostics after the storm differ from a fresh open of the final text (${docs[i].text.length} chars): ${JSON.stringify(docs[i].text.slice(0, 300))}`);
			assert.deepEqual(stormSymbols[i], await symbolsOf(fresh[i]), `${docs[i].kind}: document symbols differ (the server's text is not ours)`);
			assert.deepEqual(stormFolding[i], await foldingOf(fresh[i]), `${docs[i].kind}: folding ranges differ`);
		}

		assert.equal(client.process.exitCode, null, 'the server is running');
		assert.equal(counts.failed, 0, 'every request was answered (or cancelled)');
		// requests cancelled while they wait behind a validation are not computed: the server answers RequestCancelled
		assert.ok(counts.honoured > 0, `no cancelled request was answered with RequestCancelled (${counts.cancelled} cancelled)`);
		const summary = `${EDITS} edits (${counts.changes} changes: ${counts.inserts} inserts, ${counts.deletes} deletes, ${counts.replaces} replaces, ${counts.pastes} pastes, ${counts.undos} undo steps) in ${(stormMs / 1000).toFixed(1)} s, settled after ${(settledMs / 1000).toFixed(1)} s; `
			+ `${counts.requests} requests (${counts.cancelled} cancelled, ${counts.honoured} of them answered RequestCancelled), ${counts.answered} answered; document size during the storm ${Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length)} chars on average, ${Math.max(...sizes)} at most; final sizes ${docs.map(m => `${m.kind} ${m.text.length} chars / ${finals[docs.indexOf(m)].length} diagnostics`).join(', ')}; `
			+ `RSS ${rssBefore.toFixed(0)} MB before, ${rssMid.toFixed(0)} MB halfway, ${rssAfter.toFixed(0)} MB after (${rssAfter - rssBefore >= 0 ? '+' : ''}${(rssAfter - rssBefore).toFixed(0)} MB)`;
		t.diagnostic(summary);
		console.log(`edit storm: ${summary}`);
		assert.ok(rssAfter - rssBefore < RSS_BOUND_MB, `RSS grew by ${(rssAfter - rssBefore).toFixed(0)} MB (bound ${RSS_BOUND_MB} MB)`);
		assert.ok(rssAfter - rssMid < RSS_SECOND_HALF_BOUND_MB, `RSS grew by ${(rssAfter - rssMid).toFixed(0)} MB in the second half of the storm (bound ${RSS_SECOND_HALF_BOUND_MB} MB): a leak?`);
	});
});
