/** uwsgi-nginx-check as a process: formats, exit codes, folder walking, SARIF validated against the 2.1.0 schema. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ROOT } from '../helpers/lspClient';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const BIN = path.join(ROOT, 'bin', 'uwsgi-nginx-check.js');

function run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
	const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('uwsgi-nginx-check', () => {
	let dir: string;
	before(() => {
		assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-cli-'));
		fs.mkdirSync(path.join(dir, 'deploy', 'nginx'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'deploy', 'uwsgi.ini'), '[uwsgi]\nvaccum = true\nmaster = true\n');
		fs.writeFileSync(path.join(dir, 'deploy', 'nginx', 'site.conf'), 'server {\n    location / {\n        uwsgi_pas unix:/run/app.sock;\n    }\n}\n');
		fs.writeFileSync(path.join(dir, 'deploy', 'clean.ini'), '[uwsgi]\nsocket = /run/app.sock\n');
		fs.writeFileSync(path.join(dir, 'deploy', 'tox.ini'), '[tox]\nenvlist = py3\n');
		fs.writeFileSync(path.join(dir, 'only-warnings.ini'), '[uwsgi]\nvaccum = 1\n');
		fs.writeFileSync(path.join(dir, 'binary.conf'), Buffer.from([0x73, 0x65, 0x00, 0x01]));
		fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ 'uwsgiNginx.diagnostics.severity': { 'nginx-unknown-directive': 'warning' } }));
		fs.writeFileSync(path.join(dir, 'bad-settings.json'), '{ nope');
		fs.writeFileSync(path.join(dir, 'README.txt'), 'hello');
	});
	after(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('prints compiler-style text, 1-based, and exits 1 on an error', () => {
		const r = run(['deploy'], dir);
		assert.equal(r.code, 1);
		assert.equal(r.stdout, [
			`${path.join('deploy', 'nginx', 'site.conf')}:3:9: error nginx-unknown-directive Unknown directive "uwsgi_pas": nginx refuses to start with "unknown directive". Did you mean "uwsgi_pass" or "uwsgi_param"?`,
			`${path.join('deploy', 'uwsgi.ini')}:2:1: warning uwsgi-unknown-option Unknown option "vaccum": uWSGI does not know it and silently keeps it as a placeholder, so it has no effect. Did you mean "vacuum"?`,
			'',
		].join('\n'));
		assert.match(r.stderr, /3 files checked: 1 error, 1 warning/);
	});

	it('reads a file\'s bytes as they are: a UTF-8 byte-order mark is reported, not dropped', () => {
		fs.mkdirSync(path.join(dir, 'bom'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'bom', 'nginx.conf'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('user www-data;\nevents {}\n')]));
		const r = run([path.join('bom', 'nginx.conf')], dir);
		assert.equal(r.code, 1);
		assert.match(r.stdout, /nginx\.conf:1:1: error nginx-byte-order-mark .*unknown directive "\\ufeffuser"/);
	});

	it('exits 0 when there are only warnings', () => {
		const r = run(['only-warnings.ini'], dir);
		assert.equal(r.code, 0);
		assert.match(r.stdout, /only-warnings\.ini:2:1: warning uwsgi-unknown-option/);
	});

	it('writes json: one entry per checked file, also without findings, LSP diagnostics with 0-based ranges', () => {
		const r = run(['--format', 'json', 'deploy'], dir);
		assert.equal(r.code, 1);
		const out = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string; range: { start: { line: number; character: number } } }[] }[];
		assert.deepEqual(out.map(e => [e.file, e.diagnostics.map(d => d.code)]), [
			[path.join('deploy', 'clean.ini'), []],
			[path.join('deploy', 'nginx', 'site.conf'), ['nginx-unknown-directive']],
			[path.join('deploy', 'uwsgi.ini'), ['uwsgi-unknown-option']],
		]);
		assert.deepEqual(out[1].diagnostics[0].range.start, { line: 2, character: 8 });
		assert.equal(r.stderr, '');
	});

	it('writes SARIF 2.1.0 that validates against the schema, with rules and help links', () => {
		const r = run(['--format=sarif', 'deploy'], dir);
		assert.equal(r.code, 1);
		const log = JSON.parse(r.stdout);
		const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
		addFormats(ajv);
		const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
		const validate = ajv.compile(schema);
		assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors));
		const run0 = log.runs[0];
		assert.equal(run0.tool.driver.name, 'uwsgi-nginx-check');
		const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'nginx-unknown-directive');
		assert.match(rule.helpUri, /DIAGNOSTICS\.md#nginx-unknown-directive$/);
		assert.deepEqual(run0.results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level]), [['nginx-unknown-directive', 'error'], ['uwsgi-unknown-option', 'warning']]);
		assert.deepEqual(run0.results[0].locations[0].physicalLocation.region, { startLine: 3, startColumn: 9, endLine: 3, endColumn: 18 });
		assert.equal(run0.results[0].locations[0].physicalLocation.artifactLocation.uri, 'deploy/nginx/site.conf');
	});

	it('applies --config severities', () => {
		const r = run(['--config', 'settings.json', 'deploy'], dir);
		assert.equal(r.code, 0);
		assert.match(r.stdout, /site\.conf:3:9: warning nginx-unknown-directive/);
	});

	it('exits 2 with one line, no stack trace, on usage and input failures', () => {
		const cases: [string[], RegExp][] = [
			[[], /no PATH given/],
			[['--format', 'xml', 'deploy'], /unknown format "xml"/],
			[['--bogus', 'deploy'], /unknown option --bogus/],
			[['missing.conf'], /missing\.conf: no such file or directory/],
			[['binary.conf'], /binary\.conf: binary file/],
			[['README.txt'], /neither an nginx config nor a uWSGI ini file/],
			[['--config', 'bad-settings.json', 'deploy'], /is not valid JSON/],
			[['--config', 'nope.json', 'deploy'], /cannot read config nope\.json/],
		];
		for (const [args, message] of cases) {
			const r = run(args, dir);
			assert.equal(r.code, 2, args.join(' '));
			assert.match(r.stderr, message);
			assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
			assert.equal(r.stdout, '');
		}
	});

	it('reports an unreadable file as an input failure', () => {
		// as root every file is readable, so the CLI runs as "nobody" then
		const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-secret-'));
		fs.chmodSync(secretDir, 0o755);
		const secret = path.join(secretDir, 'secret.conf');
		fs.writeFileSync(secret, 'server {}');
		fs.chmodSync(secret, 0);
		const asRoot = process.getuid?.() === 0;
		const r = spawnSync(process.execPath, [CLI, secret], { cwd: secretDir, encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
		fs.rmSync(secretDir, { recursive: true, force: true });
		assert.equal(r.status, 2, r.stderr);
		assert.match(r.stderr, /secret\.conf: permission denied/);
	});

	it('treats given files with --language, and answers --help and --version', () => {
		// "hello" read as a uWSGI file: a key before any section
		const r = run(['--language', 'uwsgi', '--format', 'json', 'README.txt'], dir);
		assert.equal(r.code, 1);
		assert.deepEqual(JSON.parse(r.stdout)[0].diagnostics.map((d: { code: string }) => d.code), ['uwsgi-no-uwsgi-section']);
		assert.match(run(['--help'], dir).stdout, /usage: uwsgi-nginx-check/);
		assert.match(run(['--version'], dir).stdout, /^uwsgi-nginx-check \d+\.\d+\.\d+/);
	});

	it('lists suppression comments with their reasons', () => {
		fs.writeFileSync(path.join(dir, 'suppressed_uwsgi.ini'), '[uwsgi]\n# uwsgi-nginx-ignore uwsgi-public-socket -- nginx in another container\nsocket = :3031\n');
		const r = run(['--list-suppressions', 'suppressed_uwsgi.ini'], dir);
		assert.equal(r.code, 0);
		assert.equal(r.stdout, 'suppressed_uwsgi.ini:2: line uwsgi-public-socket -- nginx in another container\n');
		const checked = run(['--format', 'json', 'suppressed_uwsgi.ini'], dir);
		assert.deepEqual(JSON.parse(checked.stdout)[0].diagnostics, []);
	});

	it('checks and fixes formatting for pre-commit', () => {
		const messy = 'server {\n        listen  80;\n  location / {\n uwsgi_pass unix:/a.sock;   # app\n}\n}\n';
		fs.mkdirSync(path.join(dir, 'fmt', 'nginx'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'fmt', 'nginx', 'site.conf'), messy);
		const check = run(['--format-check', 'fmt'], dir);
		assert.equal(check.code, 1);
		assert.equal(check.stdout, `${path.join('fmt', 'nginx', 'site.conf')}: would be reformatted\n`);
		const fix = run(['--fix', '--tab-size', '2', 'fmt'], dir);
		assert.equal(fix.code, 0);
		assert.equal(fs.readFileSync(path.join(dir, 'fmt', 'nginx', 'site.conf'), 'utf8'), 'server {\n  listen 80;\n  location / {\n    uwsgi_pass unix:/a.sock;   # app\n  }\n}\n');
		assert.equal(run(['--format-check', '--tab-size=2', 'fmt'], dir).code, 0);
	});

	it('checks a folder of nginx image templates (not "0 files checked"), never on their ${VAR}', () => {
		const tpl = path.join(dir, 'tpl');
		fs.mkdirSync(path.join(tpl, 'templates'), { recursive: true });
		fs.writeFileSync(path.join(tpl, 'templates', 'default.conf.template'),
			'server {\n    listen ${NGINX_PORT};\n    client_max_body_size ${MAX_BODY};\n    lisen 80;\n    location / {\n        proxy_pass http://${BACKEND}$request_uri;\n    }\n}\n');
		fs.writeFileSync(path.join(tpl, 'templates', 'redis.conf.template'), 'maxmemory ${REDIS_MEMORY}\n');
		fs.writeFileSync(path.join(tpl, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./templates:/etc/nginx/templates\n    environment:\n      NGINX_PORT: "80"\n');
		const r = run(['tpl'], dir);
		assert.equal(r.code, 1);
		assert.equal(r.stdout, `${path.join('tpl', 'templates', 'default.conf.template')}:4:5: error nginx-unknown-directive Unknown directive "lisen": nginx refuses to start with "unknown directive". Did you mean "listen" or "live"?\n`);
		assert.match(r.stderr, /2 files checked: 1 error, 0 warnings/, 'the template and the compose file that fills it in; not the redis template');
	});

	it('reads files as nginx and uWSGI do, a byte-order mark included; --fix keeps it; a settings file may have one', () => {
		const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
		fs.mkdirSync(path.join(dir, 'bom'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'bom', 'uwsgi.ini'), Buffer.concat([BOM, Buffer.from('[uwsgi]\nsocket = /run/app.sock\n')]));
		const r = run(['bom/uwsgi.ini'], dir);
		assert.equal(r.code, 1);
		assert.match(r.stdout, /uwsgi\.ini:1:1: error uwsgi-no-uwsgi-section The file starts with an invisible UTF-8 byte-order mark/);
		fs.writeFileSync(path.join(dir, 'bom', 'settings.json'), Buffer.concat([BOM, Buffer.from(JSON.stringify({ 'uwsgiNginx.diagnostics.severity': { 'uwsgi-no-uwsgi-section': 'warning' } }))]));
		assert.equal(run(['--config', 'bom/settings.json', 'bom/uwsgi.ini'], dir).code, 0);
		fs.mkdirSync(path.join(dir, 'bom-fmt', 'nginx'), { recursive: true });
		const conf = path.join(dir, 'bom-fmt', 'nginx', 'site.conf');
		fs.writeFileSync(conf, Buffer.concat([BOM, Buffer.from('events {}\nhttp {\n    server {\n  listen 80;\n    }\n}\n')]));
		assert.equal(run(['--fix', 'bom-fmt'], dir).code, 0);
		assert.deepEqual([...fs.readFileSync(conf).subarray(0, 3)], [...BOM]);
	});

	it('runs through the package.json bin entry', () => {
		const r = spawnSync(process.execPath, [BIN, '--format', 'json', 'only-warnings.ini'], { cwd: dir, encoding: 'utf8' });
		assert.equal(r.status, 0);
		assert.equal(JSON.parse(r.stdout)[0].diagnostics[0].code, 'uwsgi-unknown-option');
	});
});
