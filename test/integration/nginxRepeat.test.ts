/**
 * The repeat rules of directives with a custom setter (scripts/data/nginx-repeat.json) against
 * the real `nginx -t`: every entry of the table is asked again — the same value twice, and two
 * different values — in every context it was asked in; nginx must answer as the table says, our
 * engine must report nginx-duplicate-directive on the second line exactly when nginx refuses it,
 * and the generated data must carry the rule the table proves.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repeatFromFacts } from '../../scripts/dataConversion';
import { ask, inParallel, probeText, statement, type RepeatTable } from '../../scripts/probeNginxRepeat';
import { NGINX_DIRECTIVES } from '../../server/src/data/generated/nginxDirectives';
import { getLanguageService } from '../../server/src/service';
import { runNginxTest } from '../../server/src/host/verify/nginxRun';
import { makeConfigDir } from '../helpers/nginx';
import { requireProgram } from '../helpers/processes';

const TABLE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'scripts', 'data', 'nginx-repeat.json'), 'utf8')) as RepeatTable;

/** 0-based lines where our engine reports nginx-duplicate-directive in `text`. */
function ourDuplicates(text: string): number[] {
	const svc = getLanguageService();
	const d = TextDocument.create('file:///probe/nginx.conf', 'nginx', 1, text);
	return svc.doValidation(d).filter(x => x.code === 'nginx-duplicate-directive').map(x => x.range.start.line);
}

describe('repeat rules of custom setters, asked of the real nginx', () => {
	it('the generated data carries the rule each entry proves', () => {
		for (const f of TABLE.directives) {
			const def = NGINX_DIRECTIVES.find(d => d.name === f.name && d.module === f.module);
			assert.ok(def, `${f.name} (${f.module}) is in the table but not in the generated data`);
			if (repeatFromFacts(f) === 'error') {
				assert.equal(def.repeat, 'error', `${f.name} (${f.module}): nginx refuses a repeat, the data does not say so`);
			} else {
				assert.notEqual(def.repeat, 'error', `${f.name} (${f.module}): nginx accepts a repeat, the data calls it an error`);
			}
		}
	});

	it('nginx answers every entry as the table says, and our engine agrees', async () => {
		requireProgram('nginx', 'apt-get install nginx-core');
		const jobs: { name: string; module: string; ctx: string; second: string; want: 'error' | 'accepted'; sample: RepeatTable['directives'][number]['sample'] }[] = [];
		for (const f of TABLE.directives) {
			for (const [ctx, want] of Object.entries(f.same)) { jobs.push({ name: f.name, module: f.module, ctx, second: f.sample.args, want, sample: f.sample }); }
			for (const [ctx, want] of Object.entries(f.different ?? {})) { jobs.push({ name: f.name, module: f.module, ctx, second: f.sample.args2!, want, sample: f.sample }); }
		}
		const wrong: string[] = [];
		await inParallel(jobs, 4, async j => {
			const answer = await ask(j.name, j.ctx, j.sample, j.second);
			const what = `${j.name} (${j.module}) in ${j.ctx}, "${j.sample.args}" then "${j.second}"`;
			if (answer !== j.want) { wrong.push(`${what}: nginx answers ${JSON.stringify(answer)}, the table says ${j.want}`); return; }
			const { text, line } = probeText(j.ctx, statement(j.name, j.sample.args, j.sample), statement(j.name, j.second, j.sample), j.sample, j.name);
			const ours = ourDuplicates(text);
			const expected = j.want === 'error' ? [line - 1] : [];
			if (JSON.stringify(ours) !== JSON.stringify(expected)) { wrong.push(`${what}: nginx ${j.want === 'error' ? 'refuses' : 'accepts'} it, we report duplicates on lines ${JSON.stringify(ours.map(l => l + 1))}`); }
		});
		assert.deepEqual(wrong, [], `${wrong.length} of ${jobs.length} probes disagree`);
	});

	it('limit_conn/limit_req refuse the same zone twice, off does not combine with other lines, a map fixes the map hash sizes', async () => {
		requireProgram('nginx', 'apt-get install nginx-core');
		const cases: { text: string; refused: boolean }[] = [
			{ text: 'limit_conn_zone $binary_remote_addr zone=a:1m;\nlimit_conn_zone $binary_remote_addr zone=b:1m;\nserver {\nlimit_conn a 1;\nlimit_conn b 1;\nlimit_conn a 2;\n}', refused: true },
			{ text: 'limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;\nserver {\nlimit_req zone=a;\nlimit_req burst=2 zone=a;\n}', refused: true },
			{ text: 'limit_req_zone $binary_remote_addr zone=a:1m rate=1r/s;\nlimit_req_zone $binary_remote_addr zone=b:1m rate=1r/s;\nlimit_req zone=a;\nserver {\nlimit_req zone=a;\nlimit_req zone=b;\n}', refused: false },
			{ text: 'server {\nlocation / {\nproxy_pass http://127.0.0.1;\nproxy_redirect default;\nproxy_redirect off;\n}\n}', refused: true },
			{ text: 'server {\nlocation / {\nproxy_pass http://127.0.0.1;\nproxy_redirect off;\nproxy_redirect http://a/ /;\n}\n}', refused: true },
			{ text: 'proxy_redirect off;\nserver {\nproxy_redirect off;\nlocation / {\nproxy_pass http://127.0.0.1;\nproxy_redirect default;\nproxy_redirect http://a/ /;\n}\n}', refused: false },
			{ text: 'server {\nlocation / {\nmirror /m;\nmirror off;\n}\n}', refused: true },
			{ text: 'server {\nlocation / {\nmirror off;\nmirror off;\n}\n}', refused: true },
			{ text: 'mirror off;\nserver {\nlocation / {\nmirror /a;\nmirror /b;\n}\n}', refused: false },
			{ text: 'proxy_cookie_domain off;\nproxy_cookie_domain a b;', refused: true },
			{ text: 'proxy_cookie_path /a /b;\nproxy_cookie_path off;', refused: true },
			{ text: 'proxy_cookie_flags one secure;\nproxy_cookie_flags off;', refused: true },
			{ text: 'proxy_cookie_flags one secure;\nproxy_cookie_flags two httponly;\nproxy_cookie_path /a /b;\nproxy_cookie_path /c /d;', refused: false },
			// a map block fixes the map hash sizes of its level
			{ text: 'map $uri $a {\ndefault 0;\n}\nmap_hash_bucket_size 64;', refused: true },
			{ text: 'map $uri $a {\ndefault 0;\n}\nmap_hash_max_size 4096;', refused: true },
			{ text: 'map_hash_max_size 4096;\nmap_hash_bucket_size 64;\nmap $uri $a {\ndefault 0;\n}\nmap $uri $b {\ndefault 1;\n}', refused: false },
		];
		for (const c of cases) {
			const text = `pid nginx.pid;\nevents {}\nhttp {\n${c.text}\n}\n`;
			const dir = makeConfigDir();
			try {
				fs.writeFileSync(path.join(dir, 'nginx.conf'), text);
				const run = await runNginxTest(dir);
				const m = /directive is duplicate in \S+:(\d+)/.exec(run.output);
				assert.equal(!!m, c.refused, `nginx on:\n${text}\n${run.output}`);
				assert.equal(c.refused ? true : run.verdict.kind === 'ok', true, `nginx on:\n${text}\n${run.output}`);
				assert.deepEqual(ourDuplicates(text), m ? [Number(m[1]) - 1] : [], `our findings on:\n${text}`);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		}
	});
});
