/**
 * Fuzzing the parsers and the language service (issue 8), seeded and reproducible: a modest
 * count here (the whole file runs in about ten seconds); `npm run fuzz` (test/fuzz/longRun.ts)
 * runs hundreds of thousands of inputs and mutates the real-world corpus.
 *
 * Properties, for grammar-aware inputs, mutated grammar output and mutated seeds:
 * - nothing throws: parseNginx, parseIni, and every service feature at random positions, with
 *   the service's onInternalError recording (an internal error is a failure);
 * - every diagnostic, symbol, folding, link, hover, completion and edit range lies inside the
 *   document (and symbols and completions are what VS Code accepts);
 * - parse → print is byte-identical (printNginx, printIni);
 * - linear time: per input class, ns/byte at the largest size stays within 3x of the smallest.
 *
 * Reproduce a failure with the seed it prints: FUZZ_SEED=<seed> FUZZ_RUNS=<n> node --test out/test/fuzz
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseNginx, printNginx } from '../../server/src/parser/nginx/parser';
import { getLanguageService } from '../../server/src/service';
import {
	arbIni, arbInput, arbMutated, arbNginx, arbPicks, assertProperty, checkIniParse, checkNginxParse, formatFailures, FuzzHarness, KINDS, LineIndex, measureScaling, mutate,
	parseAndPrint, PATHOLOGICAL, SEEDS, type Failure, type Kind,
} from '../helpers/fuzz';

const SEED = Number(process.env.FUZZ_SEED ?? 0x8f3a21);
const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
/** Inputs through the whole service per language (each takes a few milliseconds). */
const SERVICE_RUNS: Record<Kind, number> = { nginx: RUNS ?? 120, uwsgi: RUNS ?? 250 };
/** Inputs through the parsers alone (a tenth of a millisecond each). */
const PARSER_RUNS = RUNS ? RUNS * 10 : 3000;
/** Sizes of the linear-time check: a 100x span starting at 10 KB (below that, fast paths for short inputs and timer noise make the smallest size an unsteady baseline). */
const SIZES = [10_000, 100_000, 1_000_000];
const BOUND = 3;

function assertNoFailures(kind: Kind, text: string, failures: readonly Failure[]): void {
	if (failures.length) { throw new Error(formatFailures(kind, text, failures)); }
}

describe(`fuzz: parsers and the language service (seed ${SEED})`, () => {
	const harness = new FuzzHarness();
	// hover and completion texts come from the nginx reference: check them as users see them
	before(() => harness.ready);

	it('generators give varied, non-trivial inputs', () => {
		const nginx = fc.sample(arbNginx, { seed: SEED, numRuns: 200 });
		const ini = fc.sample(arbIni, { seed: SEED, numRuns: 200 });
		assert.ok(nginx.filter(t => /\{[^]*\{/.test(t)).length > 20, 'nested blocks');
		assert.ok(nginx.some(t => t.includes('_by_lua_block')), 'Lua blocks');
		assert.ok(nginx.some(t => /^\s*(map|types)\b/m.test(t)), 'map/types bodies');
		assert.ok(nginx.some(t => /\$\{\w+\}/.test(t)) && nginx.some(t => /"[^"\n]*\\"/.test(t)), 'variables and escapes');
		assert.ok(ini.some(t => t.includes('%(')) && ini.some(t => t.includes('$(')) && ini.some(t => t.includes('@(')), 'references');
		assert.ok(ini.some(t => /%[dnk]/.test(t)) && ini.some(t => t.includes('%%')), 'magic variables and %%');
		assert.ok(ini.some(t => /^(if-|for)/m.test(t)) && ini.some(t => /^end/m.test(t)), 'logic blocks');
		assert.ok(new Set(nginx).size > 150 && new Set(ini).size > 150, 'distinct inputs');
	});

	it('mutations insert, delete, duplicate and swap ranges', () => {
		assert.equal(mutate('abcdef', { op: 'insert', at: 2, text: '{' }), 'ab{cdef');
		assert.equal(mutate('abcdef', { op: 'delete', at: 1, length: 2 }), 'adef');
		assert.equal(mutate('abcdef', { op: 'duplicate', at: 0, length: 2, to: 6 }), 'abcdefab');
		assert.equal(mutate('abcdef', { op: 'swap', at: 0, length: 2, to: 4 }), 'efcdab');
		assert.equal(mutate('abcdef', { op: 'swap', at: 4, length: 2, to: 0 }), 'efcdab');
		for (const m of fc.sample(arbMutated(fc.constant('x = 1\n')), { seed: SEED, numRuns: 50 })) { assert.equal(typeof m, 'string'); }
	});

	it('the range checker agrees with TextDocument on LSP lines (\\n, \\r\\n, \\r)', () => {
		const text = 'a\r\nbc\rd\n\ne';
		const lines = new LineIndex(text);
		const doc = TextDocument.create('file:///x', 'nginx', 1, text);
		assert.equal(lines.lineCount, doc.lineCount);
		for (let o = 0; o <= text.length; o++) {
			if (text[o - 1] === '\r' && text[o] === '\n') { continue; }
			assert.deepEqual(lines.positionAt(o), doc.positionAt(o), `offset ${o}`);
		}
		assert.equal(lines.checkRange({ start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }), 'character 2 outside 0..1 on line 0');
	});

	for (const kind of KINDS) {
		it(`${kind}: the parser never throws, keeps every span inside the text and prints the input back (${PARSER_RUNS} inputs)`, () => {
			const parse = kind === 'nginx' ? checkNginxParse : checkIniParse;
			assertProperty(kind, fc.tuple(arbInput(kind)), parse, { seed: SEED, numRuns: PARSER_RUNS });
		});

		it(`${kind}: the language service never throws and keeps every range inside the document (${SERVICE_RUNS[kind]} inputs)`, () => {
			assertProperty(kind, fc.tuple(arbInput(kind), arbPicks), (text, picks) => harness.check(kind, text, { picks }), { seed: SEED + 1, numRuns: SERVICE_RUNS[kind] });
		});

		it(`${kind}: every seed passes unmutated`, () => {
			for (const text of SEEDS[kind]) { assertNoFailures(kind, text, harness.check(kind, text, { picks: [0.1, 0.5, 0.9] })); }
		});
	}

	it('odd document URIs (malformed escapes, other schemes, UNC hosts) break no feature', () => {
		const uris = ['file:///a%zz/nginx.conf', 'file:///%E0%A4%A/uwsgi.ini', 'untitled:Untitled-1', 'file://server/share/sites-enabled/x.conf', 'vscode-notebook-cell:/x.ipynb#W1', 'file:///C%3A/x/nginx.conf', 'file://', ''];
		for (const uri of uris) {
			for (const kind of KINDS) {
				const text = SEEDS[kind][0] + (kind === 'nginx' ? 'include ../x/*.conf;\n' : 'ini = ../x.ini\n');
				assertNoFailures(kind, text, harness.checkService(kind, text, { uri, picks: [0.2, 0.6] }));
			}
		}
	});

	describe(`linear time (ns/byte at ${SIZES.at(-1)! / 1000} KB within ${BOUND}x of ${SIZES[0] / 1000} KB)`, () => {
		for (const cls of PATHOLOGICAL) {
			it(`linear time: ${cls.kind} ${cls.name}`, t => {
				const s = measureScaling(cls, text => parseAndPrint(cls.kind, text), SIZES, { bound: BOUND, attempts: 5 });
				t.diagnostic(`${s.sizes.map((n, i) => `${n} B: ${s.nsPerByte[i].toFixed(1)} ns/B (CPU ${s.cpuNsPerByte[i].toFixed(1)})`).join(', ')}; ratio ${s.ratio.toFixed(2)} (${s.measurements} measurements)`);
				assert.ok(s.ratio <= BOUND, `${cls.kind} "${cls.name}": ${s.nsPerByte.map(v => v.toFixed(1)).join(' → ')} ns/byte over sizes ${s.sizes.join(', ')}: ratio ${s.ratio.toFixed(1)} > ${BOUND} (not linear)`);
			});
		}
	});

	/** Bugs the fuzzer found, each as the smallest input that shows it. */
	describe('regressions found by fuzzing', () => {
		it('regression: printNginx keeps the "}" that closes a stray "{" (bytes were lost)', () => {
			for (const text of ['{}', '{ }', 'x;{a;}', '{{}}', 'server {\n}\n{\n  listen 80;\n}\n']) {
				assert.equal(printNginx(parseNginx(text)), text, JSON.stringify(text));
			}
		});

		it('regression: nginx parsing stays linear after many stray "{" (owningBlock walks the stack of orphans)', () => {
			const text = '{'.repeat(30_000) + 'a;'.repeat(10_000);
			const started = performance.now();
			parseNginx(text);
			const ms = performance.now() - started;
			// linear: about 10 ms for these 50 KB; walking 30,000 orphans for each of 10,000 statements takes over a second
			assert.ok(ms < 300, `parsing 30,000 "{" and 10,000 statements (50 KB) took ${ms.toFixed(0)} ms`);
		});

		it('regression: validation stays linear in the number of blocks with an include (the header-inheritance rule rebuilt the include map per block)', () => {
			const service = getLanguageService();
			const text = (n: number) => 'server {\n' + '    location /x { uwsgi_pass 127.0.0.1:3031; include uwsgi_params; }\n'.repeat(n) + '}\n';
			const started = performance.now();
			const diagnostics = service.doValidation(TextDocument.create('file:///fuzz/nginx/many.conf', 'nginx', 1, text(10_000)));
			const ms = performance.now() - started;
			assert.equal(diagnostics.filter(d => d.code === 'nginx-duplicate-directive').length, 9_999);
			// linear: well under a second here; rebuilding the map of 10,000 includes for each of 10,000 blocks took over a minute
			assert.ok(ms < 8000, `validating 10,000 locations with an include took ${ms.toFixed(0)} ms`);
		});

		it('regression: a document whose URI has a malformed %-escape does not silence the nginx checks of every other file', () => {
			const errors: string[] = [];
			const service = getLanguageService({ onInternalError: (where, e) => errors.push(`${where}: ${String(e)}`) });
			const good = (version: number) => TextDocument.create('file:///ws/nginx/good.conf', 'nginx', version, 'server {\n    uwsgi_pas x;\n}\n');
			assert.deepEqual(service.doValidation(good(1)).map(d => d.code), ['nginx-unknown-directive']);
			// a client sends a URI decodeURIComponent rejects (uriToPath, via the include graph every nginx check uses)
			service.doValidation(TextDocument.create('file:///ws/nginx/a%zz.conf', 'nginx', 1, 'server {}\n'));
			errors.length = 0;
			assert.deepEqual(service.doValidation(good(2)).map(d => d.code), ['nginx-unknown-directive'], `internal errors: ${errors.join('; ')}`);
			assert.deepEqual(errors, []);
		});

		it('regression: an nginx block named by an empty string still has a symbol name (VS Code rejects an outline with an empty name)', () => {
			const service = getLanguageService();
			for (const text of ["''{", '"" {\n    listen 80;\n}\n', "'' x {}"]) {
				const doc = TextDocument.create('file:///fuzz/nginx/site.conf', 'nginx', 1, text);
				const names: string[] = [];
				const walk = (l: { name: string; children?: unknown[] }[]) => l.forEach(s => { names.push(s.name); walk((s.children ?? []) as typeof l); });
				walk(service.findDocumentSymbols(doc));
				assert.ok(names.every(n => n.trim().length > 0), `${JSON.stringify(text)}: symbol names ${JSON.stringify(names)}`);
			}
		});

		/** Code actions of the uWSGI side of a pair; asserts that no action edits one range twice (VS Code refuses overlapping edits). */
		const assertNoOverlaps = (nginxText: string, iniText: string, title: RegExp) => {
			const service = getLanguageService();
			const nginx = TextDocument.create('file:///w/nginx/site.conf', 'nginx', 1, nginxText);
			const ini = TextDocument.create('file:///w/uwsgi.ini', 'uwsgi-ini', 1, iniText);
			service.doValidation(nginx);
			service.doValidation(ini);
			const at = { line: 1, character: 3 };
			const action = service.doCodeActions(ini, { start: at, end: at }, []).find(a => title.test(a.title));
			assert.ok(action?.edit?.changes, `no "${title.source}" action`);
			for (const [uri, edits] of Object.entries(action.edit.changes)) {
				const keys = edits.map(e => JSON.stringify(e.range));
				assert.equal(new Set(keys).size, keys.length, `${action.title}: the same range edited twice in ${uri}: ${JSON.stringify(edits)}`);
			}
		};

		it('regression: "Convert to unix socket" edits an upstream server shared by two uwsgi_pass once (no overlapping edits)', () => {
			assertNoOverlaps('upstream app {\n    server 127.0.0.1:3031;\n}\nserver {\n    location / { include uwsgi_params; uwsgi_pass app; }\n    location /b { include uwsgi_params; uwsgi_pass app; }\n}\n',
				'[uwsgi]\nsocket = 127.0.0.1:3031\n', /^Convert to unix socket/);
		});

		it('regression: "Switch to the uwsgi protocol" edits a proxy_pass once when two upstream servers reach the socket (no overlapping edits)', () => {
			assertNoOverlaps('upstream app {\n    server 127.0.0.1:8000;\n    server localhost:8000 backup;\n}\nserver {\n    location / { proxy_pass http://app; }\n}\n',
				'[uwsgi]\nhttp-socket = :8000\n', /^Switch to the uwsgi protocol/);
		});

		it('regression: uWSGI completion at the start of a file that begins with an empty line has a valid range', () => {
			const service = getLanguageService();
			const doc = TextDocument.create('file:///fuzz/uwsgi.ini', 'uwsgi-ini', 1, '\n[uwsgi]\nmaster = true\n');
			const list = service.doComplete(doc, { line: 0, character: 0 });
			assert.ok(list.items.length > 0);
			const edit = list.items[0].textEdit as { range: { start: unknown; end: unknown } };
			// was start {line 1, character 0} after end {line 0, character 0}: lastIndexOf('\n', -1) finds the "\n" at offset 0
			assert.deepEqual(edit.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
		});

		it('regression: uWSGI completion after a lone "\\r" line ending replaces one line only', () => {
			const service = getLanguageService();
			for (const [text, position] of [['x\rmas', { line: 1, character: 3 }], [']\r', { line: 1, character: 0 }]] as const) {
				const doc = TextDocument.create('file:///fuzz/uwsgi.ini', 'uwsgi-ini', 1, text);
				const list = service.doComplete(doc, position);
				assert.ok(list.items.length > 0, 'option names are offered');
				// the editor counts "\r" as a line break; a completion range over two lines makes VS Code drop the item
				for (const item of list.items.slice(0, 3)) {
					const range = (item.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } } }).range;
					assert.equal(range.start.line, position.line, `${JSON.stringify(text)}: "${item.label}" edits ${JSON.stringify(range)}`);
					assert.deepEqual(range.end, position);
				}
			}
		});
	});
});
