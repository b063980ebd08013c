/**
 * The nginx ⇄ uWSGI seam on the real stack: Debian's nginx-core in front of Debian's uWSGI
 * running a Django 3.2 project, all as this test's own processes on loopback. For each wiring
 * the very files the processes ran go through our language service:
 *
 * - the seed wirings (examples/000-*, examples/001-*) answer 200 "ok" through nginx, and our
 *   service reports no error of source `uwsgi-nginx` on them;
 * - each mismatch class fails the way the product says (502, 504, with nginx's or uWSGI's log
 *   line), and our service reports the code that predicts it.
 *
 * Real-stack facts and our diagnostics are separate tests, so a missing diagnostic never hides
 * what the stack did.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { getLanguageService, pathToUri } from '../../../server/src/service';
import {
	createDjangoProject, ensureSystemUser, freePort, httpGet, makeTempDir, NGINX_CONF_DIR, removeTempDirs, requireRoot,
	requireStack, startNginx, startUwsgi, stopAll, waitUntil, nginxConf, type DjangoProject, type Endpoint, type HttpResult, type NginxHandle, type UwsgiHandle,
} from '../../helpers/stack';

const SOURCE = 'uwsgi-nginx';
/** The unprivileged user uWSGI runs as in the permission scenario. */
const APP_USER = 'uwsgi-nginx-app';
const LOG_WAIT_MS = 6000;

// ---------------------------------------------------------------------------------------------
// Files of a scenario

/** The uWSGI ini every scenario starts from; `lines` add the wiring. */
function uwsgiIni(project: DjangoProject, dir: string, lines: string): string {
	return `[uwsgi]
plugin = python3
chdir = ${project.dir}
module = ${project.module}
master = true
workers = 1
pidfile = ${dir}/uwsgi.pid
die-on-term = true
vacuum = true
${lines.trim()}
`;
}

interface ScenarioFiles {
	readonly dir: string;
	readonly ini: string;
	readonly conf: string;
}

/** Writes uwsgi.ini, nginx.conf and a copy of uwsgi_params (for `include uwsgi_params;`) into `dir`. */
function writeScenario(dir: string, ini: string, conf: string): ScenarioFiles {
	fs.copyFileSync(path.join(NGINX_CONF_DIR, 'uwsgi_params'), path.join(dir, 'uwsgi_params'));
	const files = { dir, ini: path.join(dir, 'uwsgi.ini'), conf: path.join(dir, 'nginx.conf') };
	fs.writeFileSync(files.ini, ini);
	fs.writeFileSync(files.conf, conf);
	return files;
}

// ---------------------------------------------------------------------------------------------
// Our service on the scenario's files

interface FileDiagnostics {
	readonly file: string;
	readonly document: TextDocument;
	readonly diagnostics: Diagnostic[];
}

/** A fresh service whose workspace holds exactly the scenario's files; every file validated. */
function diagnose(files: ScenarioFiles): FileDiagnostics[] {
	const service = getLanguageService();
	const entries: { file: string; languageId: string; kind: 'nginx' | 'uwsgi' }[] = [
		{ file: files.ini, languageId: 'uwsgi-ini', kind: 'uwsgi' },
		{ file: files.conf, languageId: 'nginx', kind: 'nginx' },
		{ file: path.join(files.dir, 'uwsgi_params'), languageId: 'nginx', kind: 'nginx' },
	];
	const docs = entries.map(e => {
		const document = TextDocument.create(pathToUri(e.file), e.languageId, 1, fs.readFileSync(e.file, 'utf8'));
		service.workspace.set(document, e.kind);
		return { file: e.file, document };
	});
	return docs.map(d => ({ ...d, diagnostics: service.doValidation(d.document) }));
}

function show(all: FileDiagnostics[]): string {
	return all.flatMap(f => f.diagnostics.map(d => `${path.basename(f.file)}:${d.range.start.line + 1} [${d.source}/${String(d.code)} sev ${d.severity}] ${d.message}`)).join('\n') || '(no diagnostics)';
}

/** 0-based line numbers of `file`'s lines that contain `needle`. */
function linesWith(file: string, needle: string): number[] {
	return fs.readFileSync(file, 'utf8').split('\n').flatMap((l, i) => l.includes(needle) ? [i] : []);
}

function assertNoSeamError(all: FileDiagnostics[]): void {
	const errors = all.flatMap(f => f.diagnostics.filter(d => d.source === SOURCE && d.severity === DiagnosticSeverity.Error));
	assert.deepEqual(errors.map(d => `${String(d.code)}: ${d.message}`), [], `no ${SOURCE} error expected; all diagnostics:\n${show(all)}`);
}

/**
 * Asserts `code` (source uwsgi-nginx, `severity`) is reported on one of the `where` lines
 * (a file and a text its line contains).
 */
function assertSeamCode(all: FileDiagnostics[], code: string, severity: DiagnosticSeverity, where: { file: string; line: string }[]): void {
	const hits = all.flatMap(f => f.diagnostics.filter(d => d.code === code).map(d => ({ f, d })));
	const wanted = where.map(w => `${path.basename(w.file)}:${linesWith(w.file, w.line).map(n => n + 1).join('|')} (${w.line.trim()})`).join(' or ');
	assert.ok(hits.length > 0, `${code} expected on ${wanted}; all diagnostics:\n${show(all)}`);
	const placed = hits.filter(({ f, d }) => where.some(w => w.file === f.file && linesWith(w.file, w.line).includes(d.range.start.line)));
	assert.ok(placed.length > 0, `${code} reported, but not on ${wanted}; all diagnostics:\n${show(all)}`);
	for (const { d } of placed) {
		assert.equal(d.source, SOURCE, `${code} source`);
		assert.equal(d.severity, severity, `${code} severity`);
	}
}

// ---------------------------------------------------------------------------------------------
// Running a scenario

interface Run {
	readonly files: ScenarioFiles;
	readonly uwsgi: UwsgiHandle;
	readonly nginx: NginxHandle;
	readonly nginxPort: number;
	readonly response: HttpResult;
	readonly diagnostics: FileDiagnostics[];
}

interface ScenarioSetup {
	readonly ini: string;
	readonly conf: string;
	/** Before uWSGI starts (e.g. folders and their owners). */
	readonly prepare?: () => void;
	readonly path?: string;
	readonly timeoutMs?: number;
	/** What uWSGI binds, when the helper cannot read it from the ini (an abstract socket, a comment). */
	readonly endpoints?: Endpoint[];
}

async function runScenario(dir: string, nginxPort: number, setup: ScenarioSetup): Promise<Run> {
	const files = writeScenario(dir, setup.ini, setup.conf);
	const diagnostics = diagnose(files);
	setup.prepare?.();
	const uwsgi = await startUwsgi(files.ini, setup.endpoints ? { endpoints: setup.endpoints } : {});
	const nginx = await startNginx(files.conf, dir, { port: nginxPort });
	const response = await httpGet(nginxPort, setup.path ?? '/', setup.timeoutMs ?? 8000);
	return { files, uwsgi, nginx, nginxPort, response, diagnostics };
}

function context(run: Run): string {
	return `response: ${JSON.stringify(run.response)}\n--- nginx error.log ---\n${run.nginx.errorLog()}\n--- uWSGI log ---\n${run.uwsgi.log}`;
}

async function assertLog(run: Run, which: 'nginx' | 'uwsgi', pattern: RegExp): Promise<void> {
	const text = () => which === 'nginx' ? run.nginx.errorLog() : run.uwsgi.log;
	await waitUntil(() => pattern.test(text()), LOG_WAIT_MS);
	assert.match(text(), pattern, `${which} log should match ${pattern}\n${context(run)}`);
}

function assertOk(run: Run): void {
	assert.equal(run.response.status, 200, context(run));
	assert.equal(run.response.body, 'ok', context(run));
}

// ---------------------------------------------------------------------------------------------

describe('the nginx ⇄ uWSGI seam on the real stack', () => {
	let root: string;
	let project: DjangoProject;

	before(() => {
		requireStack();
		root = makeTempDir();
		project = createDjangoProject(path.join(root, 'project'));
	});
	after(async () => {
		await stopAll();
		removeTempDirs();
	});

	/**
	 * One scenario: `setup` writes its files (given a fresh dir, mode 755, and the ports), the
	 * stack runs them, `tests` assert; the processes stop after the scenario even on failure.
	 */
	function scenario(name: string, setup: (dir: string, ports: { p1: number; p2: number; nginx: number }) => ScenarioSetup, tests: (run: () => Run) => void): void {
		describe(name, () => {
			let run: Run | undefined;
			before(async () => {
				const dir = makeTempDir(`${name.replace(/\W+/g, '-').slice(0, 20)}-`, root);
				const ports = { p1: await freePort(), p2: await freePort(), nginx: await freePort() };
				run = await runScenario(dir, ports.nginx, setup(dir, ports));
			});
			after(async () => {
				await run?.nginx.stop();
				await run?.uwsgi.stop();
				await stopAll();
			});
			tests(() => {
				assert.ok(run, 'the scenario did not start');
				return run;
			});
		});
	}

	function seedTests(run: () => Run): void {
		it('answers 200 "ok" through nginx', () => assertOk(run()));
		it(`our service reports no ${SOURCE} error`, () => assertNoSeamError(run().diagnostics));
	}

	// --- the seed wirings -----------------------------------------------------------------------

	scenario('a. scheme 1: http-socket + proxy_pass', (dir, p) => ({
		ini: uwsgiIni(project, dir, `http-socket = 127.0.0.1:${p.p1}`),
		conf: nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        proxy_pass http://127.0.0.1:${p.p1};
    }
}`),
	}), seedTests);

	scenario('b. scheme 2: uwsgi socket on TCP + upstream + uwsgi_pass', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = 127.0.0.1:${p.p1}`),
		conf: nginxConf(dir, `upstream django {
    server 127.0.0.1:${p.p1};
}

server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        uwsgi_pass django;
        include uwsgi_params;
    }
}`),
	}), seedTests);

	scenario('c. scheme 3: relative unix socket after chdir + unix:/// upstream', (dir, p) => ({
		ini: uwsgiIni(project, dir, 'socket = app.sock\nchmod-socket = 666'),
		conf: nginxConf(dir, `upstream django {
    # "unix:" is followed by the absolute path, no space
    server unix://${project.dir}/app.sock;
}

server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        uwsgi_pass django;
        include uwsgi_params;
    }
}`),
	}), run => {
		seedTests(run);
		it('binds the relative socket in the chdir folder', () => {
			assert.ok(fs.statSync(path.join(project.dir, 'app.sock')).isSocket(), context(run()));
		});
	});

	scenario('d. the 001 pair: Django on a unix socket', (dir, p) => ({
		ini: `[uwsgi]
plugin = python3
die-on-term = true
# project folder
chdir=${project.dir}
# the application
module=${project.module}
# the socket nginx connects to
socket=${dir}/uwsgi.sock
chmod-socket=666
# a master process
master=true
# number of workers
workers=3
pidfile=${dir}/uwsgi.pid
# remove the socket and pid files on exit
vacuum=true
thunder-lock=true
enable-threads=true
# kill requests that run longer than 30 s
harakiri=30
post-buffering=1024
`,
		conf: nginxConf(dir, `server {
        listen  127.0.0.1:${p.nginx};
        server_name  django.example.com;
        charset utf-8;

        location / {
            include uwsgi_params;
            uwsgi_connect_timeout 30;
            uwsgi_pass unix:${dir}/uwsgi.sock;
        }

        location /static/ {
                alias   ${project.dir}/static_all/;
                index   index.html index.htm;
            }
    }`),
	}), seedTests);

	// --- each mismatch class --------------------------------------------------------------------

	scenario('e. protocol: proxy_pass (HTTP) to a uwsgi-protocol socket', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = 127.0.0.1:${p.p1}`),
		conf: nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        proxy_pass http://127.0.0.1:${p.p1};
    }
}`),
	}), run => {
		it('nginx answers 502', () => assert.equal(run().response.status, 502, context(run())));
		it('uWSGI logs "invalid request block size"', () => assertLog(run(), 'uwsgi', /invalid request block size/));
		it('our service reports protocol-mismatch on the proxy_pass line', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'protocol-mismatch', DiagnosticSeverity.Error, [{ file: r.files.conf, line: 'proxy_pass http://' }]);
		});
	});

	scenario('f. protocol: uwsgi_pass to an http-socket', (dir, p) => ({
		ini: uwsgiIni(project, dir, `http-socket = 127.0.0.1:${p.p1}`),
		conf: nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        include uwsgi_params;
        uwsgi_pass 127.0.0.1:${p.p1};
    }
}`),
	}), run => {
		// uWSGI's HTTP parser waits for a header end that never comes and closes the connection
		// after its socket-timeout (4 s by default), long before nginx's 60 s read timeout
		it('nginx answers 502', () => assert.equal(run().response.status, 502, context(run())));
		it('nginx logs "upstream prematurely closed connection"', () => assertLog(run(), 'nginx', /upstream prematurely closed connection/));
		it('our service reports protocol-mismatch on the uwsgi_pass line', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'protocol-mismatch', DiagnosticSeverity.Error, [{ file: r.files.conf, line: 'uwsgi_pass 127.0.0.1:' }]);
		});
	});

	scenario('g. path: uwsgi_pass to a unix socket nobody serves', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = ${dir}/app.sock\nchmod-socket = 666`),
		conf: nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        include uwsgi_params;
        uwsgi_pass unix:${dir}/wrong.sock;
    }
}`),
	}), run => {
		it('nginx answers 502', () => assert.equal(run().response.status, 502, context(run())));
		it('nginx logs "No such file or directory"', () => assertLog(run(), 'nginx', /connect\(\) to unix:.*wrong\.sock failed \(2: No such file or directory\)/));
		it('our service reports socket-not-served on the uwsgi_pass line', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'socket-not-served', DiagnosticSeverity.Warning, [{ file: r.files.conf, line: 'uwsgi_pass unix:' }]);
		});
	});

	scenario('h. port: uwsgi_pass to a port nobody serves', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = 127.0.0.1:${p.p1}`),
		conf: nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        include uwsgi_params;
        uwsgi_pass 127.0.0.1:${p.p2};
    }
}`),
	}), run => {
		it('nginx answers 502', () => assert.equal(run().response.status, 502, context(run())));
		it('nginx logs "Connection refused"', () => assertLog(run(), 'nginx', /connect\(\) failed \(111: Connection refused\)/));
		it('our service reports socket-not-served on the uwsgi_pass line', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'socket-not-served', DiagnosticSeverity.Warning, [{ file: r.files.conf, line: 'uwsgi_pass 127.0.0.1:' }]);
		});
	});

	scenario('i. permission: a 600 socket of another user, nginx workers as nobody', (dir, p) => {
		const runDir = path.join(dir, 'run');
		return {
			ini: uwsgiIni(project, runDir, `uid = ${APP_USER}\ngid = ${APP_USER}\nsocket = ${runDir}/app.sock\nchmod-socket = 600`),
			conf: nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        include uwsgi_params;
        uwsgi_pass unix:${runDir}/app.sock;
    }
}`, 'user nobody nogroup;'),
			prepare: () => {
				requireRoot('nginx workers run as nobody and uWSGI as another user only when started by root');
				const { uid, gid } = ensureSystemUser(APP_USER);
				fs.mkdirSync(runDir, { mode: 0o755 });
				fs.chmodSync(runDir, 0o755);
				fs.chownSync(runDir, uid, gid);
			},
		};
	}, run => {
		it('uWSGI runs as the app user and its socket is 600', () => {
			const r = run();
			assert.match(r.uwsgi.log, /setuid\(\) to \d+/, context(r));
			const mode = fs.statSync(path.join(r.files.dir, 'run', 'app.sock')).mode & 0o777;
			assert.equal(mode.toString(8), '600');
		});
		it('nginx answers 502', () => assert.equal(run().response.status, 502, context(run())));
		it('nginx logs "Permission denied"', () => assertLog(run(), 'nginx', /connect\(\) to unix:.*app\.sock failed \(13: Permission denied\)/));
		it('our service reports socket-permission on the uwsgi_pass line or the uWSGI socket line', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'socket-permission', DiagnosticSeverity.Warning, [
				{ file: r.files.conf, line: 'uwsgi_pass unix:' },
				{ file: r.files.ini, line: 'socket = ' },
				{ file: r.files.ini, line: 'chmod-socket = 600' },
			]);
		});
	});

	scenario('j. timeout: harakiri 2 s ≥ uwsgi_read_timeout 1 s', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = 127.0.0.1:${p.p1}\nharakiri = 2`),
		conf: nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        include uwsgi_params;
        uwsgi_read_timeout 1s;
        uwsgi_pass 127.0.0.1:${p.p1};
    }
}`),
		// long enough that harakiri (2 s, checked about once a second) fires even on a busy machine
		path: '/slow?s=8',
	}), run => {
		it('nginx gives up first: 504 after about 1 s', () => {
			const r = run();
			assert.equal(r.response.status, 504, context(r));
			assert.ok(r.response.elapsedMs < 2000, `504 after ${r.response.elapsedMs} ms`);
		});
		it('nginx logs "upstream timed out"', () => assertLog(run(), 'nginx', /upstream timed out \(110: Connection timed out\) while reading response header/));
		it('uWSGI kills the request nobody waits for any more (HARAKIRI)', () => assertLog(run(), 'uwsgi', /HARAKIRI ON WORKER 1/));
		it('our service reports timeout-mismatch (harakiri or nginx timeout line)', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'timeout-mismatch', DiagnosticSeverity.Warning, [
				{ file: r.files.ini, line: 'harakiri = 2' },
				{ file: r.files.conf, line: 'uwsgi_read_timeout 1s' },
				{ file: r.files.conf, line: 'uwsgi_pass 127.0.0.1:' },
			]);
		});
	});

	// --- the spellings of an address -------------------------------------------------------------

	const passTo = (p: { nginx: number }, dir: string, target: string) => nginxConf(dir, `server {
    listen 127.0.0.1:${p.nginx};
    server_name localhost;

    location / {
        include uwsgi_params;
        uwsgi_pass ${target};
    }
}`);

	scenario('k. spelling: uwsgi_pass unix:///path (seed 000\'s three slashes) reaches the socket at /path', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = ${dir}/app.sock\nchmod-socket = 666`),
		conf: passTo(p, dir, `unix://${dir}/app.sock`),
	}), run => {
		seedTests(run);
		it('our service reports no socket-unreferenced either', () => {
			assert.deepEqual(run().diagnostics.flatMap(f => f.diagnostics).filter(d => d.code === 'socket-unreferenced').map(d => d.message), []);
		});
	});

	scenario('l. spelling: uwsgi_pass unix:///path to a path nobody serves', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = ${dir}/app.sock\nchmod-socket = 666`),
		conf: passTo(p, dir, `unix://${dir}/wrong.sock`),
	}), run => {
		it('nginx answers 502', () => assert.equal(run().response.status, 502, context(run())));
		it('nginx logs "No such file or directory" for the path after "unix:"', () => assertLog(run(), 'nginx', /connect\(\) to unix:\/\/\/.*wrong\.sock failed \(2: No such file or directory\)/));
		it('our service reports socket-not-served on the uwsgi_pass line and socket-unreferenced on the socket', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'socket-not-served', DiagnosticSeverity.Warning, [{ file: r.files.conf, line: 'uwsgi_pass unix:' }]);
			assertSeamCode(r.diagnostics, 'socket-unreferenced', DiagnosticSeverity.Hint, [{ file: r.files.ini, line: 'socket = ' }]);
		});
	});

	scenario('m. spelling: a comment after the port — uWSGI binds the port before it', (dir, p) => ({
		ini: uwsgiIni(project, dir, `socket = 127.0.0.1:${p.p1} ; the uwsgi port`),
		conf: passTo(p, dir, `127.0.0.1:${p.p1}`),
		endpoints: [{ port: p.p1 }],
	}), run => {
		seedTests(run);
		it('our service finds nothing to say about the comment, and no socket-unreferenced', () => {
			const all = run().diagnostics.flatMap(f => f.diagnostics);
			assert.deepEqual(all.filter(d => d.code === 'uwsgi-inline-comment' || d.code === 'socket-unreferenced' || d.code === 'socket-not-served').map(d => d.message), []);
		});
	});

	scenario('n. spelling: nginx has no abstract sockets — unix:@name is not uWSGI\'s @name', (dir, p) => {
		const name = `uwsgi-nginx-test-${process.pid}-${p.p2}`;
		return {
			ini: uwsgiIni(project, dir, `socket = @${name}\nsocket = 127.0.0.1:${p.p2}`),
			conf: passTo(p, dir, `unix:@${name}`),
			endpoints: [{ port: p.p2 }],
		};
	}, run => {
		it('uWSGI binds the abstract socket', () => assertLog(run(), 'uwsgi', /bound to UNIX address @uwsgi-nginx-test-/));
		it('nginx answers 502', () => assert.equal(run().response.status, 502, context(run())));
		it('nginx logs "No such file or directory": it looked for a file', () => assertLog(run(), 'nginx', /connect\(\) to unix:@uwsgi-nginx-test-\S+ failed \(2: No such file or directory\)/));
		it('our service reports socket-not-served, saying nginx has no abstract sockets', () => {
			const r = run();
			assertSeamCode(r.diagnostics, 'socket-not-served', DiagnosticSeverity.Warning, [{ file: r.files.conf, line: 'uwsgi_pass unix:@' }]);
			assert.ok(r.diagnostics.flatMap(f => f.diagnostics).some(d => d.code === 'socket-not-served' && /no abstract sockets/.test(String(d.message))));
		});
	});
});
