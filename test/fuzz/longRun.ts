/**
 * The long fuzz run (issue 8). Per parser (nginx, uWSGI ini), in one worker thread each:
 *
 * 1. every corpus file as it is, through the parser and the whole language service;
 * 2. every corpus file mutated (`--mutations-per-file`, default 40): each mutant through the
 *    parser, every `--service-every`-th through the whole service too;
 * 3. `count` generated and mutated inputs (grammar-aware generators, mutated grammar output,
 *    mutated seeds and corpus files): each through the parser properties (never throws, spans
 *    inside the text, parse → print byte for byte), every `--service-every`-th (default 10)
 *    also through the whole language service — every validator, symbols, folding, links,
 *    formatting (edits only change blanks, the result parses and prints back), and hover,
 *    completion, definition, references, rename and code actions at random positions, with
 *    every range checked to lie inside the document;
 * 4. the linear-time check at 10 KB → 100 KB → 1 MB per pathological input class, for the parsers
 *    and for the service (ns/byte at 1 MB within 3x of 10 KB).
 *
 *   node out/test/fuzz/longRun.js [count per parser = 200000] [seed = random] [corpus dir]
 *        [--service-every=N] [--mutations-per-file=N] [--kind=nginx|uwsgi] [--no-scaling]
 *   npm run fuzz -- ../shared/corpus          (10^6 per parser, seed 20240611)
 *
 * A run can be split: `--kind` runs one parser, and runs with different seeds add up. Prints
 * how many inputs were tried, how fast, and each distinct failure (by property and the first
 * stack frame in server/src) with its count, a minimized input and the seed to reproduce it.
 * Exits 1 when it found anything. Nothing here writes to the corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as fc from 'fast-check';
import { getLanguageService } from '../../server/src/service';
import { loadNginxReference } from '../../server/src/data/nginxReference';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { arbInput, arbMutation, arbPicks, excerpt, FUZZ_URIS, FuzzHarness, KINDS, measureScaling, minimize, mutate, parseAndPrint, PATHOLOGICAL, type Failure, type Kind } from '../helpers/fuzz';

interface WorkerInput { kind: Kind; count: number; seed: number; corpus: string[]; serviceEvery: number; mutationsPerFile: number }

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
	/** Whether it was checked through the service (or the parser alone). */
	service: boolean;
	from: 'corpus' | 'generated';
	file?: string;
}

interface WorkerResult {
	kind: Kind;
	corpusFiles: number;
	/** Mutants of corpus files (each through the parser). */
	corpusMutants: number;
	generated: number;
	/** Inputs that also went through the whole language service. */
	serviceChecked: number;
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

async function runWorker({ kind, count, seed, corpus, serviceEvery, mutationsPerFile }: WorkerInput): Promise<WorkerResult> {
	const harness = new FuzzHarness();
	// hover and completion texts come from the nginx reference: load it first, or they go untested
	await loadNginxReference();
	await harness.ready;
	const found = new Map<string, Found>();
	const slowest: WorkerResult['slowest'] = [];
	const started = performance.now();
	let tried = 0;
	let serviceChecked = 0;
	const record = (text: string, picks: number[], service: boolean, failures: Failure[], from: Found['from'], file?: string) => {
		const seen = new Set<string>();
		for (const f of failures) {
			// count inputs, not failures (one input can fail the same way at many places)
			if (seen.has(f.signature)) { continue; }
			seen.add(f.signature);
			const known = found.get(f.signature);
			if (known) { known.count++; continue; }
			found.set(f.signature, { signature: f.signature, property: f.property, where: f.where, detail: f.detail, count: 1, input: text, original: text.length, picks, service, from, file });
			say(`[${kind}] new failure after ${tried} inputs: [${f.property}] ${f.where}: ${f.detail.split('\n')[0].slice(0, 300)}`);
		}
	};
	const check = (text: string, picks: number[], service: boolean, from: Found['from'], file?: string) => {
		const t0 = performance.now();
		const failures = harness.check(kind, text, { picks, service });
		const ms = performance.now() - t0;
		tried++;
		if (service) { serviceChecked++; }
		if (slowest.length < 5 || ms > slowest[slowest.length - 1].ms) {
			slowest.push({ ms, length: text.length, input: excerpt(text, 200) });
			slowest.sort((a, b) => b.ms - a.ms);
			slowest.length = Math.min(slowest.length, 5);
		}
		if (failures.length) { record(text, picks, service, failures, from, file); }
		if (tried % PROGRESS_EVERY === 0) {
			const s = (performance.now() - started) / 1000;
			say(`[${kind}] ${tried} inputs (${serviceChecked} through the service) in ${s.toFixed(0)} s (${(tried / s).toFixed(0)}/s), ${found.size} distinct failure(s)`);
		}
	};

	// 1. every corpus file as it is
	const texts: string[] = [];
	for (const file of corpus) {
		const text = fs.readFileSync(file, 'utf8');
		texts.push(text);
		check(text, [0.25, 0.5, 0.75], true, 'corpus', file);
	}
	const corpusTried = tried;
	// 2. every corpus file mutated (1 to 8 mutations each)
	const mutationSets = fc.sample(fc.tuple(fc.array(arbMutation, { minLength: 1, maxLength: 8 }), arbPicks), { seed: seed ^ 0x5eed, numRuns: Math.max(1, mutationsPerFile * 4) });
	let mutants = 0;
	texts.forEach((text, i) => {
		for (let k = 0; k < mutationsPerFile; k++) {
			const [mutations, picks] = mutationSets[(i * 7 + k) % mutationSets.length];
			check(mutations.reduce(mutate, text), picks, mutants++ % serviceEvery === 0, 'corpus', corpus[i]);
		}
	});
	// 3. generated and mutated inputs (corpus files are seeds for the mutations too)
	let n = 0;
	fc.check(fc.property(arbInput(kind, texts), arbPicks, (text, picks) => {
		check(text, picks, n++ % serviceEvery === 0, 'generated');
		return true;
	}), { seed, numRuns: count });

	// minimize each failure's first input (a few seconds each)
	for (const f of found.values()) {
		f.input = minimize(f.input, t => harness.check(kind, t, { picks: f.picks, service: f.service }).some(x => x.signature === f.signature), 5000);
		f.detail = harness.check(kind, f.input, { picks: f.picks, service: f.service }).find(x => x.signature === f.signature)?.detail ?? f.detail;
	}
	return { kind, corpusFiles: corpusTried, corpusMutants: mutants, generated: tried - corpusTried - mutants, serviceChecked, ms: performance.now() - started, found: [...found.values()], slowest };
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
	const args = process.argv.slice(2);
	const flags = new Map(args.filter(a => a.startsWith('--')).map(a => { const [k, v] = a.slice(2).split('='); return [k, v ?? 'true'] as const; }));
	const [countArg, seedArg, corpusArg] = args.filter(a => !a.startsWith('--'));
	const count = countArg ? Number(countArg) : 200_000;
	const seed = seedArg ? Number(seedArg) : Math.floor(Math.random() * 0x7fffffff);
	const corpus = corpusArg ? path.resolve(corpusArg) : undefined;
	const serviceEvery = Number(flags.get('service-every') ?? 10);
	const mutationsPerFile = Number(flags.get('mutations-per-file') ?? 40);
	const kinds = flags.has('kind') ? KINDS.filter(k => k === flags.get('kind')) : KINDS;
	const known = new Set(['service-every', 'mutations-per-file', 'kind', 'no-scaling']);
	if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed) || !(serviceEvery >= 1) || !(mutationsPerFile >= 0) || !kinds.length || [...flags.keys()].some(k => !known.has(k))) {
		console.error('usage: node out/test/fuzz/longRun.js [count per parser] [seed] [corpus dir] [--service-every=N] [--mutations-per-file=N] [--kind=nginx|uwsgi] [--no-scaling]');
		process.exit(2);
	}
	if (corpus && !fs.existsSync(corpus)) {
		console.error(`no corpus at ${corpus}`);
		process.exit(2);
	}
	console.log(`fuzzing ${count} generated inputs per parser (${kinds.join(', ')}), every ${serviceEvery === 1 ? '' : `${serviceEvery}th `}one through the whole service, seed ${seed}${corpus ? `, corpus ${corpus} (${mutationsPerFile} mutants per file)` : ''}`);
	const started = performance.now();
	const results = await Promise.all(kinds.map(kind => new Promise<WorkerResult>((resolve, reject) => {
		const input: WorkerInput = { kind, count, seed, corpus: corpusFiles(corpus, kind), serviceEvery, mutationsPerFile };
		const w = new Worker(__filename, { workerData: input });
		w.once('message', resolve);
		w.once('error', reject);
		w.once('exit', code => { if (code !== 0) { reject(new Error(`${kind} worker exited with ${code}`)); } });
	})));
	let failures = 0;
	console.log(`\n=== fuzz results (seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s) ===`);
	for (const r of results) {
		const total = r.corpusFiles + r.corpusMutants + r.generated;
		console.log(`\n${r.kind}: ${total} inputs through the parser (${r.corpusFiles} corpus files as-is, ${r.corpusMutants} corpus mutants, ${r.generated} generated or mutated), ${r.serviceChecked} of them also through the whole service, in ${(r.ms / 1000).toFixed(0)} s (${(total / (r.ms / 1000)).toFixed(0)} inputs/s); ${r.found.length} distinct failure(s)`);
		for (const f of r.found) {
			failures++;
			console.log(`  [${f.property}] ${f.where} — ${f.count} input(s)${f.file ? `, first in ${f.file}` : ''}`);
			console.log(`    minimized from ${f.original} to ${f.input.length} chars: ${excerpt(f.input, 300)} (picks ${JSON.stringify(f.picks)}${f.service ? '' : ', parser only'})`);
			console.log(`    ${f.detail.split('\n').slice(0, 8).join('\n    ')}`);
		}
		console.log(`  slowest inputs: ${r.slowest.map(s => `${s.ms.toFixed(0)} ms (${s.length} chars)`).join(', ')}`);
	}
	const linear = flags.has('no-scaling') ? true : scalingReport();
	console.log(`\n${failures} distinct failure(s); linear time ${flags.has('no-scaling') ? 'not measured' : linear ? 'holds' : 'BROKEN'} (seed ${seed}, ${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
	process.exit(failures || !linear ? 1 : 0);
}

if (isMainThread) {
	main().catch(e => { console.error(e); process.exit(2); });
} else {
	runWorker(workerData as WorkerInput).then(r => parentPort!.postMessage(r), e => { console.error(e); process.exit(2); });
}
