/**
 * Benchmarks: `npm run bench` prints a table and a JSON line. Every figure is the median of
 * repeated runs, measured in this process on generated input.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service';
import { parse as parseNginxConf } from 'nginx-conf';
import { generateNginxConfig, generateUwsgiIni } from './generate';
import { formatNginx } from '../server/src/features/format';
import { parseNginx } from '../server/src/parser/nginx/parser';
import { NGINX_PARSE_OPTIONS } from '../server/src/service/workspace';

interface Row {
	readonly name: string;
	readonly input: string;
	readonly medianMs: number;
	readonly target?: string;
	readonly ok?: boolean;
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function measure(runs: number, f: () => void): number {
	for (let i = 0; i < 10; i++) { f(); }
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		f();
		times.push(performance.now() - t);
	}
	return median(times);
}

function main(): void {
	const rows: Row[] = [];
	const ini = generateUwsgiIni(10000);
	let n = 0;
	const uwsgiMs = measure(100, () => {
		const svc = getLanguageService();
		const doc = TextDocument.create(`file:///bench/${n++}/uwsgi.ini`, 'uwsgi-ini', 1, ini);
		svc.doValidation(doc);
	});
	rows.push({ name: 'uWSGI: parse + validate a 10,000-line ini', input: `${(ini.length / 1024).toFixed(0)} KiB`, medianMs: uwsgiMs, target: '< 10 ms', ok: uwsgiMs < 10 });

	const conf = generateNginxConfig(1024 * 1024);
	const engineMs = measure(15, () => {
		const svc = getLanguageService();
		const doc = TextDocument.create(`file:///bench/${n++}/nginx/nginx.conf`, 'nginx', 1, conf);
		svc.doValidation(doc);
	});
	const anchorMs = measure(15, () => {
		parseNginxConf(conf, err => { if (err) { throw err; } });
	});
	rows.push({ name: 'nginx-conf (npm): parse the same config (anchor)', input: `${(conf.length / 1024 / 1024).toFixed(2)} MB`, medianMs: anchorMs });
	rows.push({
		name: 'engine: parse + validate a 1 MB nginx config', input: `${(conf.length / 1024 / 1024).toFixed(2)} MB`, medianMs: engineMs,
		target: `≥ 5× faster than nginx-conf: ${(anchorMs / engineMs).toFixed(1)}×`, ok: anchorMs / engineMs >= 5,
	});

	// formatting a messy copy of the same config (indentation stripped), tree already parsed
	const messy = conf.replace(/^[ \t]+/gm, '');
	const messyFile = parseNginx(messy, NGINX_PARSE_OPTIONS);
	const messyDoc = TextDocument.create('file:///bench/messy.conf', 'nginx', 1, messy);
	const formatMs = measure(15, () => { formatNginx(messyDoc, messyFile, { tabSize: 4, insertSpaces: true }); });
	rows.push({ name: 'formatter: format a 1 MB nginx config with no indentation', input: `${(messy.length / 1024 / 1024).toFixed(2)} MB`, medianMs: formatMs, target: '< 100 ms', ok: formatMs < 100 });

	const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
	process.stdout.write(`machine: ${cpu}, ${os.cpus().length} cores, node ${process.version}\n\n`);
	process.stdout.write('| benchmark | input | median | target | |\n| --- | --- | ---: | --- | --- |\n');
	for (const r of rows) {
		process.stdout.write(`| ${r.name} | ${r.input} | ${r.medianMs.toFixed(2)} ms | ${r.target ?? ''} | ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'} |\n`);
	}
	process.stdout.write(`\n${JSON.stringify({ machine: { cpu, cores: os.cpus().length, node: process.version }, results: rows })}\n`);
}

main();
