/**
 * The long fuzz run (issue 8): hundreds of thousands of inputs per parser through the parsers
 * and the whole language service, every file of a corpus as-is and mutated, then the
 * linear-time check at 10 KB → 100 KB → 1 MB for the parsers and the service.
 *
 *   node out/test/fuzz/longRun.js [count per parser = 200000] [seed = random] [corpus dir]
 *   npm run fuzz -- 200000 42 ../shared/corpus
 *
 * The two parsers run in parallel (one worker thread each). Prints how many inputs were tried,
 * how fast, and each distinct failure (by property and the first stack frame in server/src)
 * with its count, a minimized input and the seed to reproduce it. Exits 1 when it found
 * anything. Nothing here writes to the corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as fc from 'fast-check';
import { getLanguageService } from '../../server/src/service';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { arbInput, arbPicks, excerpt, FUZZ_URIS, FuzzHarness, KINDS, measureScaling, minimize, parseAndPrint, PATHOLOGICAL, type Failure, type Kind } from '../helpers/fuzz';

interface WorkerInput { kind: Kind; count: number; seed: number; corpus: string[] }

interface Found {
	signature: string;
	property: string;
	where: string;
	detail: string;
	count: number;
	/** The first input that showed it, minimized, and the picks it was checked with. */
	input: string;
	original: number;
	picks: number[];
	from: 'corpus' | 'generated';
	file?: string;
}

interface WorkerResult {
	kind: Kind;
	corpusFiles: number;
	generated: number;
	ms: number;
	found: Found[];
	slowest: { ms: number; length: number; input: string }[];
}

const PROGRESS_EVERY = 10_000;

/** Writes a line now: a busy worker thread's console.log only reaches the terminal when its event loop is free. */
function say(line: string): void {
	fs.writeSync(1, line + '\n');
}

/** Corpus files of one language: `nginx/` and `uwsgi/` folders (as in ../shared/corpus), else by extension. */
function corpusFiles(dir: string | undefined, kind: Kind): string[] {
	if (!dir) { return []; }
	const out: string[] = [];
	const walk = (d: string) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const full = path.join(d, e.name);
			if (e.isDirectory()) { walk(full); continue; }
			if (!e.isFile()) { continue; }
			const rel = path.relative(dir, full).split(path.sep);
			const top = rel.length > 1 ? rel[0] : '';
			const isKind = top === 'nginx' || top === 'uwsgi' ? top === kind : kind === 'uwsgi' ? /\.ini$/.test(e.name) : /(\.conf|\.nginx|nginx\.conf.*)$/.test(e.name);
			if (isKind) { out.push(full); }
		}
	};
	walk(dir);
	return out.sort();
}

function runWorker({ kind, count, seed, corpus }: WorkerInput): WorkerResult {
	const harness = new FuzzHarness();
	const found = new Map<string, Found>();
	const slowest: WorkerResult['slowest'] = [];
	const started = performance.now();
	let tried = 0;
	const record = (text: string, picks: number[], failures: Failure[], from: Found['from'], file?: string) => {
		const seen = new Set<string>();
		for (const f of failures) {
			// count inputs, not failures (one input can fail the same way at many places)
			if (seen.has(f.signature)) { continue; }
			seen.add(f.signature);
			const known = found.get(f.signature);
			if (known) { known.count++; continue; }
			found.set(f.signature, { signature: f.signature, property: f.property, where: f.where, detail: f.detail, count: 1, input: text, original: text.length, picks, from, file });
			say(`[${kind}] new failure after ${tried} inputs: [${f.property}] ${f.where}: ${f.detail.split('\n')[0].slice(0, 300)}`);
		}
	};
	const check = (text: string, picks: number[], from: Found['from'], file?: string) => {
		const t0 = performance.now();
		const failures = harness.check(kind, text, { picks });
		const ms = performance.now() - t0;
		tried++;
		if (slowest.length < 5 || ms > slowest[slowest.length - 1].ms) {
			slowest.push({ ms, length: text.length, input: excerpt(text, 200) });
			slowest.sort((a, b) => b.ms - a.ms);
			slowest.length = Math.min(slowest.length, 5);
		}
		if (failures.length) { record(text, picks, failures, from, file); }
		if (tried % PROGRESS_EVERY === 0) {
			const s = (performance.now() - started) / 1000;
			say(`[${kind}] ${tried} inputs in ${s.toFixed(0)} s (${(tried / s).toFixed(0)}/s), ${found.size} distinct failure(s)`);
		}
	};

	// every corpus file as it is
	const texts: string[] = [];
	for (const file of corpus) {
		const text = fs.readFileSync(file, 'utf8');
		texts.push(text);
		check(text, [0.25, 0.5, 0.75], 'corpus', file);
	}
	const corpusTried = tried;
	// generated and mutated inputs (corpus files are seeds for the mutations)
	fc.check(fc.property(arbInput(kind, texts), arbPicks, (text, picks) => {
		check(text, picks, 'generated');
		return true;
	}), { seed, numRuns: count });

	// minimize each failure's first input (a few seconds each)
	for (const f of found.values()) {
		f.input = minimize(f.input, t => harness.check(kind, t, { picks: f.picks }).some(x => x.signature === f.signature), 5000);
		f.detail = harness.check(kind, f.input, { picks: f.picks }).find(x => x.signature === f.signature)?.detail ?? f.detail;
	}
	return { kind, corpusFiles: corpusTried, generated: tried - corpusTried, ms: performance.now() - started, found: [...found.values()], slowest };
}

/** Linear time at 10 KB, 100 KB, 1 MB: the parsers, then the service (validation, symbols, folding). */
function scalingReport(): boolean {
	const sizes = [10_000, 100_000, 1_000_000];
	let ok = true;
	console.log(`\nlinear time (wall/CPU ns per byte at ${sizes.join(' / ')} bytes; the bound is 3x the smallest)`);
	const service = getLanguageService({ onInternalError: (where, e) => console.log(`  internal error in ${where}: ${String(e)}`) });
	let version = 0;
	for (const stage of ['parser', 'service'] as const) {
		for (const cls of PATHOLOGICAL) {
			const run = stage === 'parser'
				? (text: string) => parseAndPrint(cls.kind, text)
				: (text: string) => {
					// a new version each time (the same text would be served from the cache)
					const doc = TextDocument.create(FUZZ_URIS[cls.kind], cls.kind === 'nginx' ? 'nginx' : 'uwsgi-ini', ++version, version % 2 ? text : text + '\n');
					return [service.doValidation(doc), service.findDocumentSymbols(doc), service.getFoldingRanges(doc)];
				};
			const started = performance.now();
			const s = measureScaling(cls, run, sizes, { bound: 3, minMs: stage === 'parser' ? 15 : 0, attempts: 2 });
			const pass = s.ratio <= 3;
			ok &&= pass;
			const cells = sizes.map((_, i) => (i < s.nsPerByte.length ? `${s.nsPerByte[i].toFixed(1)}/${s.cpuNsPerByte[i].toFixed(1)}` : '—').padStart(14)).join(' ');
			console.log(`  ${pass ? 'ok  ' : 'FAIL'} ${stage.padEnd(7)} ${cls.kind.padEnd(6)} ${cls.name.padEnd(36)} ${cells}  ratio ${s.ratio.toFixed(2).padStart(6)}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
		}
	}
	return ok;
}

async function main(): Promise<void> {
	const [countArg, seedArg, corpusArg] = process.argv.slice(2);
	const count = countArg ? Number(countArg) : 200_000;
	const seed = seedArg ? Number(seedArg) : Math.floor(Math.random() * 0x7fffffff);
	const corpus = corpusArg ? path.resolve(corpusArg) : undefined;
	if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
		console.error('usage: node out/test/fuzz/longRun.js [count per parser] [seed] [corpus dir]');
		process.exit(2);
	}
	if (corpus && !fs.existsSync(corpus)) {
		console.error(`no corpus at ${corpus}`);
		process.exit(2);
	}
	console.log(`fuzzing ${count} generated inputs per parser, seed ${seed}${corpus ? `, corpus ${corpus}` : ''}`);
	const started = performance.now();
	const results = await Promise.all(KINDS.map(kind => new Promise<WorkerResult>((resolve, reject) => {
		const input: WorkerInput = { kind, count, seed, corpus: corpusFiles(corpus, kind) };
		const w = new Worker(__filename, { workerData: input });
		w.once('message', resolve);
		w.once('error', reject);
		w.once('exit', code => { if (code !== 0) { reject(new Error(`${kind} worker exited with ${code}`)); } });
	})));
	let failures = 0;
	console.log(`\n=== fuzz results (seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s) ===`);
	for (const r of results) {
		const total = r.corpusFiles + r.generated;
		console.log(`\n${r.kind}: ${total} inputs (${r.corpusFiles} corpus files as-is, ${r.generated} generated or mutated) in ${(r.ms / 1000).toFixed(0)} s, ${(total / (r.ms / 1000)).toFixed(0)} inputs/s; ${r.found.length} distinct failure(s)`);
		for (const f of r.found) {
			failures++;
			console.log(`  [${f.property}] ${f.where} — ${f.count} input(s)${f.file ? `, first in ${f.file}` : ''}`);
			console.log(`    minimized from ${f.original} to ${f.input.length} chars: ${excerpt(f.input, 300)} (picks ${JSON.stringify(f.picks)})`);
			console.log(`    ${f.detail.split('\n').slice(0, 8).join('\n    ')}`);
		}
		console.log(`  slowest inputs: ${r.slowest.map(s => `${s.ms.toFixed(0)} ms (${s.length} chars)`).join(', ')}`);
	}
	const linear = scalingReport();
	console.log(`\n${failures} distinct failure(s); linear time ${linear ? 'holds' : 'BROKEN'} (seed ${seed})`);
	process.exit(failures || !linear ? 1 : 0);
}

if (isMainThread) {
	main().catch(e => { console.error(e); process.exit(2); });
} else {
	parentPort!.postMessage(runWorker(workerData as WorkerInput));
}
