/**
 * The uWSGI engine benchmark on its own, for working on its speed: `node out/bench/uwsgi.js [runs]`
 * after `npx tsc -b`. Times a new language service parsing and validating the generated
 * 10,000-line ini (as `npm run bench` measures it), then where the time goes: the parser, each
 * validator, and the service's own work around them (suppressions, diagnostics).
 * `--cpu-prof` works as usual (`node --cpu-prof out/bench/uwsgi.js`).
 */
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { UWSGI_VALIDATORS } from '../server/src/analysis/validate';
import { DEFAULT_SETTINGS, getLanguageService } from '../server/src/service';
import { Workspace } from '../server/src/service/workspace';
import { generateUwsgiIni } from './generate';
import { median, timeRuns } from './timing';

function main(): void {
	const runs = Number(process.argv[2] ?? 100);
	const ini = generateUwsgiIni(10000);
	let n = 0;
	const engine = () => getLanguageService().doValidation(TextDocument.create(`file:///bench/${n++}/uwsgi.ini`, 'uwsgi-ini', 1, ini));
	for (let i = 0; i < 10; i++) { engine(); }
	const { wall: t, cpu } = timeRuns(engine, runs);
	process.stdout.write(`${(ini.length / 1024).toFixed(0)} KiB, ${runs} runs: median ${median(t).toFixed(2)} ms, min ${Math.min(...t).toFixed(2)} ms, max ${Math.max(...t).toFixed(2)} ms; CPU median ${median(cpu).toFixed(2)} ms; ${engine().length} diagnostics\n`);

	const per = new Map<string, number[]>();
	const add = (name: string, ms: number) => (per.get(name) ?? per.set(name, []).get(name)!).push(ms);
	for (let i = 0; i < Math.min(runs, 40); i++) {
		const ws = new Workspace();
		const uri = `file:///bench/x${i}/uwsgi.ini`;
		ws.setText(uri, 'uwsgi', ini);
		let s = performance.now();
		const doc = ws.ini(uri)!;
		add('parse', performance.now() - s);
		const ctx = { uri, doc, settings: DEFAULT_SETTINGS, workspace: ws, report: () => undefined };
		for (const v of UWSGI_VALIDATORS) {
			s = performance.now();
			v(ctx);
			add(v.name, performance.now() - s);
		}
	}
	for (const [name, v] of per) { process.stdout.write(`  ${name.padEnd(30)} ${median(v).toFixed(3).padStart(7)} ms\n`); }
}

main();
