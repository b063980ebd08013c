/**
 * uWSGI command lines in host files: finding invocations with each host's quoting and
 * continuation rules, reading argv as uWSGI does, the uWSGI checks on flags (must fire and must
 * not fire, per host format), and the seam between a command line and nginx.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { commandConfigs } from '../../server/src/analysis/commands/invocation';
import { parseCommandFile } from '../../server/src/parser/commands/hosts';
import type { CommandHost } from '../../server/src/parser/commands/nodes';
import { commandHostOf, detectLanguage } from '../../server/src/service/languageDetection';
import { measureScaling, type InputClass } from '../helpers/fuzz';
import { applyEdits, cursor, marked, service, workspaceOf } from '../helpers/text';

/** The argv of each invocation, with each word's text as written in the host file. */
function parse(host: CommandHost, text: string): { args: string[]; written: string[] }[] {
	return parseCommandFile(text, host).invocations.map(inv => ({
		args: inv.args.map(w => w.text),
		written: inv.args.map(w => text.slice(w.offset, w.offset + w.length)),
	}));
}

/** The options (key = value) uWSGI reads from each invocation. */
function options(host: CommandHost, text: string): string[][] {
	return commandConfigs(parseCommandFile(text, host)).map(c => c.doc.entries.map(e => `${e.key.text}=${e.value.text}`));
}

function diagnosticsOf(path: string, text: string, others: Record<string, string> = {}): { document: TextDocument; diagnostics: Diagnostic[] } {
	const { svc, docs } = workspaceOf({ ...others, [path]: text });
	const document = docs.get(path)!;
	return { document, diagnostics: svc.doValidation(document) };
}

/** `code` fires exactly on the «marked» spans of the host file (none marked: it does not fire). */
function assertHostCode(path: string, markedText: string, code: string, others: Record<string, string> = {}): Diagnostic[] {
	const { text, spans } = marked(markedText);
	const { document, diagnostics } = diagnosticsOf(path, text, others);
	const hits = diagnostics.filter(d => d.code === code);
	const got = hits.map(d => document.getText(d.range) + '@' + document.offsetAt(d.range.start));
	const want = spans.map(s => text.slice(s.offset, s.offset + s.length) + '@' + s.offset);
	assert.deepEqual(got, want, `${code} in ${path}:\n${text}\nall: ${JSON.stringify(diagnostics.map(d => [d.code, document.getText(d.range)]))}`);
	return hits;
}

describe('command lines: finding invocations', () => {
	it('shell: quotes, escapes, continuations, wrappers, operators, comments, here-documents', () => {
		const text = '#!/bin/sh\n# uwsgi --not-this\nset -e\ncat <<EOF > /etc/x.ini\nuwsgi --inside-heredoc\nEOF\nexport A=1\nexec env FOO=1 gosu app uwsgi --socket "/run/my app.sock" \\\n  --chdir=\'/srv/a b\' --env X=\\$y \\\n  --master && echo done 2>&1 # trailing\n';
		const r = parse('shell', text);
		assert.equal(r.length, 1);
		assert.deepEqual(r[0].args, ['--socket', '/run/my app.sock', '--chdir=/srv/a b', '--env', 'X=$y', '--master']);
		assert.deepEqual(r[0].written, ['--socket', '"/run/my app.sock"', "--chdir='/srv/a b'", '--env', 'X=\\$y', '--master']);
		assert.deepEqual(parse('shell', 'if true; then sudo -u www /venv/bin/uwsgi --ini a.ini; fi\nuwsgi_python3 -s :1 | tee log\n').map(x => x.args), [['--ini', 'a.ini'], ['-s', ':1']]);
		assert.deepEqual(parse('shell', 'pip install uwsgi\necho uwsgi --socket :1\nuwsgitop :9191\n'), []);
	});

	it('shell: sh -c scripts keep offsets into the host file', () => {
		const text = `bash -c 'cd /app && uwsgi --http-socket ":$PORT" --vaccum'`;
		const r = parse('shell', text);
		assert.deepEqual(r[0].args, ['--http-socket', ':$PORT', '--vaccum']);
		assert.deepEqual(r[0].written, ['--http-socket', '":$PORT"', '--vaccum']);
	});

	it('Dockerfile: exec form, shell form with continuations and comment lines, ENTRYPOINT + CMD, WORKDIR', () => {
		const text = [
			'# syntax=docker/dockerfile:1', 'FROM python:3.12', 'WORKDIR /app', 'RUN pip install uwsgi',
			'RUN uwsgi --version',
			'CMD uwsgi --socket :8000 \\', '    # the number of workers', '    --processes 4 \\', '', '    --master',
			'FROM python AS second', 'ENTRYPOINT ["uwsgi", "--master"]', 'CMD ["--http-socket", ":9000", "--module=app.wsgi"]',
			'FROM python', 'CMD ["sh", "-c", "uwsgi --socket :$PORT --module \\"app.wsgi\\""]',
		].join('\n');
		const r = parse('dockerfile', text);
		assert.deepEqual(r.map(x => x.args), [
			['--version'],
			['--socket', ':8000', '--processes', '4', '--master'],
			['--master', '--http-socket', ':9000', '--module=app.wsgi'],
			['--socket', ':$PORT', '--module', 'app.wsgi'],
		]);
		assert.deepEqual(r[2].written, ['"--master"', '"--http-socket"', '":9000"', '"--module=app.wsgi"']);
		assert.deepEqual(r[3].written.slice(2), ['--module', '\\"app.wsgi\\"']);
		const inv = parseCommandFile(text, 'dockerfile').invocations;
		assert.equal(inv[1].cwd, '/app');
		assert.equal(inv[2].cwd, undefined, 'a new stage forgets WORKDIR');
		assert.equal(inv[2].form, 'json');
		// broken JSON is shell form, as Docker reads it
		assert.deepEqual(parse('dockerfile', 'CMD [uwsgi, --master]\nCMD ["uwsgi" "--x"]\n'), []);
	});

	it('compose: string, flow list, block list, folded scalar, sh -c, working_dir', () => {
		const text = [
			'services:', '  a:', '    working_dir: /srv/a', '    command: uwsgi --socket :8000 --master  # comment',
			'  b:', '    command: ["uwsgi", "--socket", \'0.0.0.0:8001\',', '              --master]',
			'  c:', '    command:', '      - uwsgi', '      - --stats', '      - ":9191"', '      # a comment', '      - --master',
			'  d:', '    command: >', '      uwsgi --http :80', '      --master', '    ports: ["80:80"]',
			'  e:', '    entrypoint: "sh -c \'python manage.py migrate && uwsgi --ini uwsgi.ini\'"',
			'  f:', '    image: redis', '    command: redis-server --save ""',
		].join('\n');
		const r = parse('compose', text);
		assert.deepEqual(r.map(x => x.args), [
			['--socket', ':8000', '--master'],
			['--socket', '0.0.0.0:8001', '--master'],
			['--stats', ':9191', '--master'],
			['--http', ':80', '--master'],
			['--ini', 'uwsgi.ini'],
		]);
		assert.deepEqual(r[2].written, ['--stats', '":9191"', '--master']);
		const inv = parseCommandFile(text, 'compose').invocations;
		assert.equal(inv[0].cwd, '/srv/a');
		assert.deepEqual(inv.map(i => i.form), ['shell', 'json', 'yaml-block', 'shell', 'shell']);
		assert.equal(inv[2].itemPrefix, '      - ');
	});

	it('systemd: ExecStart and friends, prefixes, @, continuations, WorkingDirectory', () => {
		const text = '[Service]\nWorkingDirectory=/srv/app\n# ExecStart=uwsgi --nope\nExecStartPre=-/bin/mkdir -p /run/uwsgi\nExecStart=/usr/bin/uwsgi --ini /etc/uwsgi/app.ini \\\n    --socket "/run/uwsgi/app.sock" --uid %i\nExecReload=@/usr/bin/uwsgi uwsgi-app --reload /run/app.pid\n';
		const r = parse('systemd', text);
		assert.deepEqual(r.map(x => x.args), [['--ini', '/etc/uwsgi/app.ini', '--socket', '/run/uwsgi/app.sock', '--uid', '%i'], ['--reload', '/run/app.pid']]);
		assert.equal(parseCommandFile(text, 'systemd').invocations[0].cwd, '/srv/app');
	});

	it('supervisor and Procfile', () => {
		const sup = '[program:app]\ndirectory=/srv/app\ncommand=/venv/bin/uwsgi --socket /tmp/app.sock ; the socket\n    --master\nautostart=true\n[program:worker]\ncommand=celery worker\n';
		assert.deepEqual(parse('supervisor', sup).map(x => x.args), [['--socket', '/tmp/app.sock', '--master']]);
		assert.equal(parseCommandFile(sup, 'supervisor').invocations[0].cwd, '/srv/app');
		assert.deepEqual(parse('procfile', 'web: uwsgi --http-socket :$PORT --master\nworker: celery -A app worker\n').map(x => x.args), [['--http-socket', ':$PORT', '--master']]);
	});
});

describe('command lines: argv as uWSGI reads it', () => {
	it('long options with and without =, booleans, repeated flags, unique prefixes', () => {
		assert.deepEqual(options('shell', 'uwsgi --socket :1 --socket=/run/a.sock --master --processes=4 --vacu --env A=1'), [[
			'socket=:1', 'socket=/run/a.sock', 'master=', 'processes=4', 'vacuum=', 'env=A=1',
		]]);
	});

	it('short options from the shortcut letters, the first owner of a letter, bundles', () => {
		// -s is socket (registered before uwsgi-socket), -p processes (before workers), -M master
		assert.deepEqual(options('shell', 'uwsgi -s :1 -p4 -Mp 2 -w app.wsgi -H /venv'), [['socket=:1', 'processes=4', 'master=', 'processes=2', 'module=app.wsgi', 'home=/venv']]);
	});

	it('a value is the next word even when it starts with a dash; -- ends the options; positional config files load', () => {
		assert.deepEqual(options('shell', 'uwsgi --processes --master app.ini -- --ignored deploy.yaml:prod'), [['processes=--master', 'ini=app.ini', 'yaml=deploy.yaml:prod']]);
	});

	it('reports what makes uWSGI stop: ambiguous prefixes, values on switches, missing values, unknown letters', () => {
		const { document, diagnostics } = diagnosticsOf('/w/run.sh', 'uwsgi --sock :1 --master=yes -X --socket\n');
		assert.deepEqual(diagnostics.filter(d => d.code === 'uwsgi-syntax').map(d => document.getText(d.range)), ['sock', '=yes', 'X', 'socket']);
		assert.match(String(diagnostics.find(d => d.code === 'uwsgi-syntax')!.message), /ambiguous/);
	});
});

describe('command lines: uWSGI checks on flags', () => {
	// a host process binds every interface of its machine; a container only its own network (see below)
	const hosts: [string, (flags: string) => string, boolean][] = [
		['/w/run.sh', f => `#!/bin/sh\nexec uwsgi ${f}\n`, true],
		['/w/Dockerfile', f => `FROM python\nCMD uwsgi ${f}\n`, false],
		['/w/docker-compose.yml', f => `services:\n  web:\n    command: uwsgi ${f}\n`, false],
		['/w/app.service', f => `[Service]\nExecStart=/usr/bin/uwsgi ${f}\n`, true],
		['/w/supervisord.conf', f => `[program:web]\ncommand=uwsgi ${f}\n`, true],
		['/w/Procfile', f => `web: uwsgi ${f}\n`, true],
	];
	for (const [path, wrap, hostProcess] of hosts) {
		it(`${path.slice(3)}: unknown option with its fix in place, invalid value, public socket and stats — and nothing on good or dynamic values`, () => {
			const hits = assertHostCode(path, wrap('--«vaccum» --master'), 'uwsgi-unknown-option');
			assert.deepEqual((hits[0].data as { candidates: string[] }).candidates[0], 'vacuum');
			assert.match(String(hits[0].message), /stops at startup/);
			assertHostCode(path, wrap('--processes «four» --harakiri 30m'), 'uwsgi-invalid-value');
			assertHostCode(path, wrap('--processes four --harakiri «30m»'), 'uwsgi-misread-number');
			assertHostCode(path, wrap(hostProcess ? '--socket «:11112» --socket 127.0.0.1:3031' : '--socket :11112 --socket 127.0.0.1:3031'), 'uwsgi-public-socket');
			assertHostCode(path, wrap(hostProcess ? '--stats «:9191» --stats-http' : '--stats :9191 --stats-http'), 'uwsgi-public-stats');
			// must not fire
			for (const code of ['uwsgi-unknown-option', 'uwsgi-invalid-value', 'uwsgi-public-socket', 'uwsgi-public-stats', 'uwsgi-syntax']) {
				assertHostCode(path, wrap('--socket 127.0.0.1:3031 --processes 4 --master --vacuum --stats 127.0.0.1:9191'), code);
				assertHostCode(path, wrap('--http-socket :$PORT --socket ${SOCK} --processes ${WORKERS:-4} --stats {{ stats }} --harakiri $T'), code);
			}
		});
	}

	it('Dockerfile exec form and compose lists: ranges inside the quotes; the quick fix edits the flag in place', () => {
		const text = 'FROM python\nCMD ["uwsgi", "--vaccum", "--processes=«four»"]\n';
		assertHostCode('/w/Dockerfile', text, 'uwsgi-invalid-value');
		const { text: clean } = marked(text);
		const { svc, docs } = workspaceOf({ '/w/Dockerfile': clean });
		const d = docs.get('/w/Dockerfile')!;
		const diag = svc.doValidation(d).find(x => x.code === 'uwsgi-unknown-option')!;
		assert.equal(d.getText(diag.range), 'vaccum');
		const fix = svc.doCodeActions(d, diag.range, [diag]).find(a => a.title === "Change to 'vacuum'")!;
		assert.equal(applyEdits(clean, d, fix.edit!.changes![d.uri]), 'FROM python\nCMD ["uwsgi", "--vacuum", "--processes=four"]\n');
		assertHostCode('/w/compose.yaml', 'services:\n  w:\n    command:\n      - uwsgi\n      - "--«vaccum»"\n', 'uwsgi-unknown-option');
	});

	it('a flag without its optional value is no value at all (--chmod-socket is 666), unlike a bare ini key', () => {
		assertHostCode('/w/run.sh', 'uwsgi --chmod-socket --socket /tmp/x.sock --master\n', 'uwsgi-invalid-value');
		assertHostCode('/w/run.sh', 'uwsgi --«chmod-socket»= --socket /tmp/x.sock --master\n', 'uwsgi-invalid-value');
	});

	it('duplicate flags: the last one wins', () => {
		assertHostCode('/w/run.sh', 'uwsgi --«processes» 2 --master -p 4\n', 'uwsgi-duplicate-option');
		assertHostCode('/w/run.sh', 'uwsgi --socket :1 --socket :2 --master\n', 'uwsgi-duplicate-option');
	});

	it('a file without uWSGI gets nothing, and is not ours', () => {
		const compose = 'services:\n  web:\n    command: gunicorn app:wsgi --bind :8000 --vaccum\n';
		assert.equal(commandHostOf('/w/docker-compose.yml', compose), undefined);
		assert.equal(detectLanguage('/w/docker-compose.yml', compose), undefined);
		assert.equal(detectLanguage('/w/Dockerfile', 'FROM nginx\nCOPY nginx.conf /etc/nginx/\n'), undefined);
		const svc = service();
		for (const [uri, lang, t] of [['file:///w/Dockerfile', 'dockerfile', 'FROM python\nCMD ["gunicorn", "--bind", ":80"]\n'], ['file:///w/compose.yml', 'yaml', compose], ['file:///w/x.sh', 'shellscript', 'echo hi\n']] as const) {
			const doc = TextDocument.create(uri, lang, 1, t);
			assert.equal(svc.languageOf(doc), undefined);
			assert.deepEqual(svc.doValidation(doc), []);
		}
	});

	it('language detection of host files', () => {
		assert.equal(detectLanguage('/w/Dockerfile.prod', 'CMD uwsgi --ini a.ini'), 'command');
		assert.equal(detectLanguage('/w/docker-compose.override.yml', 'command: uwsgi'), 'command');
		assert.equal(detectLanguage('/w/deploy/app.service', 'ExecStart=/usr/bin/uwsgi'), 'command');
		assert.equal(detectLanguage('/w/Procfile', 'web: uwsgi --ini a.ini'), 'command');
		assert.equal(detectLanguage('/w/bin/start', '#!/bin/bash\nexec uwsgi --ini a.ini\n'), 'command');
		// a supervisor program under conf.d (an nginx folder) is told apart by its section
		assert.equal(detectLanguage('/w/supervisor/conf.d/app.conf', '[program:app]\ncommand=uwsgi --ini a.ini\n'), 'command');
		assert.equal(detectLanguage('/w/nginx/conf.d/app.conf', 'server { location / { uwsgi_pass unix:/run/uwsgi.sock; } }\n'), 'nginx');
		// a script that writes an nginx config in a here-document is a script
		assert.equal(detectLanguage('/w/entrypoint', '#!/bin/sh\ncat > /etc/nginx/conf.d/a.conf <<EOF\nserver { uwsgi_pass unix:/a.sock; }\nEOF\nexec uwsgi --ini a.ini\n'), 'command');
	});

	it('suppression comments work in host files', () => {
		assertHostCode('/w/app.service', '[Service]\n# uwsgi-nginx-ignore uwsgi-public-socket -- a firewall closes the port\nExecStart=/usr/bin/uwsgi --socket :8000\n', 'uwsgi-public-socket');
	});

	it('containers: a socket on every interface is public only where compose publishes its port or shares the host network', () => {
		const web = (extra: string, socket = '«:8000»') => `services:\n  nginx:\n    image: nginx\n    ports:\n      - "80:80"\n  web:\n    command: uwsgi --socket ${socket} --master\n${extra}`;
		// published: short syntax, long syntax, a range, a port whose host part is a variable
		const [d] = assertHostCode('/w/docker-compose.yml', web('    ports:\n      - "8000:8000"\n'), 'uwsgi-public-socket');
		assert.match(String(d.message), /port 8000 of its container, and the compose service "web" publishes it on every address of the host.*remove the ports entry/);
		assert.equal(d.relatedInformation?.[0].location.range.start.line, 8);
		assertHostCode('/w/docker-compose.yml', web('    ports:\n      - target: 8000\n        published: 18000\n'), 'uwsgi-public-socket');
		assertHostCode('/w/docker-compose.yml', web('    ports: ["7990-8010:7990-8010"]\n'), 'uwsgi-public-socket');
		assertHostCode('/w/docker-compose.yml', web('    ports:\n      - "${WEB_PORT}:8000"\n      - "8000"\n'), 'uwsgi-public-socket');
		assertHostCode('/w/docker-compose.yml', web('    ports:\n      - "0.0.0.0:8000:8000/tcp"\n'), 'uwsgi-public-socket');
		// the host's network
		const [h] = assertHostCode('/w/docker-compose.yml', web('    network_mode: host\n'), 'uwsgi-public-socket');
		assert.match(String(h.message), /runs on the host's network/);
		assertHostCode('/w/docker-compose.yml', web('    network_mode: "service:nginx"\n', '«:80»'), 'uwsgi-public-socket');
		// not published: no ports, expose, another port, loopback, udp, the other service's ports
		assertHostCode('/w/docker-compose.yml', web('', ':8000'), 'uwsgi-public-socket');
		assertHostCode('/w/docker-compose.yml', web('    expose:\n      - "8000"\n', ':8000'), 'uwsgi-public-socket');
		assertHostCode('/w/docker-compose.yml', web('    ports:\n      - "9000:9000"\n      - "127.0.0.1:8000:8000"\n      - "8000:8000/udp"\n', ':8000'), 'uwsgi-public-socket');
		assertHostCode('/w/docker-compose.yml', web('    ports:\n      - target: 8000\n        host_ip: 127.0.0.1\n', ':8000'), 'uwsgi-public-socket');
		assertHostCode('/w/docker-compose.yml', web('', ':80'), 'uwsgi-public-socket');
		// the old format without "services:"
		assertHostCode('/w/docker-compose.yml', 'web:\n  command: uwsgi --socket «:8000»\n  ports:\n    - "8000:8000"\n', 'uwsgi-public-socket');
	});

	it('containers: the fix does not bind a published container port to 127.0.0.1 (nginx would lose it)', () => {
		const text = 'services:\n  web:\n    command: uwsgi --socket :8000\n    ports:\n      - "8000:8000"\n';
		const { svc, docs } = workspaceOf({ '/w/docker-compose.yml': text });
		const d = docs.get('/w/docker-compose.yml')!;
		const diag = svc.doValidation(d).find(x => x.code === 'uwsgi-public-socket')!;
		assert.deepEqual(svc.doCodeActions(d, diag.range, [diag]).filter(a => a.title.includes('127.0.0.1')).map(a => a.title), []);
		// on a host the same flag gets it
		const host = workspaceOf({ '/w/run.sh': 'uwsgi --socket :8000\n' });
		const h = host.docs.get('/w/run.sh')!;
		const hd = host.svc.doValidation(h).find(x => x.code === 'uwsgi-public-socket')!;
		assert.ok(host.svc.doCodeActions(h, hd.range, [hd]).some(a => a.title === 'Bind to 127.0.0.1 only'));
	});

	it('containers: an ini file is judged where the command lines that load it run', () => {
		const ini = '[uwsgi]\nsocket = :8000\nstats = :9191\n';
		const codes = (files: Record<string, string>) => {
			const { svc, docs } = workspaceOf(files);
			return svc.doValidation(docs.get('/w/app/uwsgi.ini')!).filter(x => String(x.code).startsWith('uwsgi-public')).map(x => x.code);
		};
		// a plain ini, or one a host process loads: every interface of the machine
		assert.deepEqual(codes({ '/w/app/uwsgi.ini': ini }), ['uwsgi-public-socket', 'uwsgi-public-stats']);
		assert.deepEqual(codes({ '/w/app/uwsgi.ini': ini, '/w/deploy/app.service': '[Service]\nExecStart=/usr/bin/uwsgi --ini /srv/app/uwsgi.ini\n' }), ['uwsgi-public-socket', 'uwsgi-public-stats']);
		// loaded only in containers: the Dockerfile publishes nothing, compose only what its ports say
		assert.deepEqual(codes({ '/w/app/uwsgi.ini': ini, '/w/app/Dockerfile': 'FROM python\nCMD ["uwsgi", "--ini", "uwsgi.ini"]\n' }), []);
		assert.deepEqual(codes({ '/w/app/uwsgi.ini': ini, '/w/docker-compose.yml': 'services:\n  web:\n    command: uwsgi --ini /app/uwsgi.ini\n' }), []);
		assert.deepEqual(codes({ '/w/app/uwsgi.ini': ini, '/w/docker-compose.yml': 'services:\n  web:\n    command: uwsgi --ini /app/uwsgi.ini\n    ports:\n      - "9191:9191"\n' }), ['uwsgi-public-stats']);
	});
});

/** Diagnostics of one file of a workspace, as `code text`. */
function seamCodes(files: Record<string, string>, file: string): string[] {
	const { svc, docs } = workspaceOf(files);
	const d = docs.get(file)!;
	return svc.doValidation(d).filter(x => x.source === 'uwsgi-nginx').map(x => `${x.code} ${d.getText(x.range)}`);
}

describe('command lines and the seam: the first seed document', () => {
	// the seed's three schemes, written as the commands it gives, next to its nginx configs
	const scheme1 = 'uwsgi --http-socket 127.0.0.1:11112 --chdir /code/yikaoyan/ --wsgi-file yikaoyan/wsgi.py --master --processes=4 --threads=2 --stats 127.0.0.1:9191\n';
	const scheme2 = 'uwsgi --socket :11112 --chdir /code/yikaoyan/ --wsgi-file yikaoyan/wsgi.py --master --processes=4 --threads=2 --stats 127.0.0.1:9191\n';
	const scheme3 = 'uwsgi  --chdir /code/yikaoyan/ --socket yikaoyan.sock  --wsgi-file yikaoyan/wsgi.py --master --processes=2 --threads=4 --stats 127.0.0.1:9191\n';
	const proxy = 'location / {\n        proxy_pass http://127.0.0.1:11112;\n    }\n';
	const upstream = 'upstream django {\n    server 127.0.0.1:11112; # for a web port socket\n}\n\nserver {\n    location / {\n        uwsgi_pass django;\n        include /etc/nginx/uwsgi_params;\n    }\n}\n';
	const unixUpstream = (path: string) => `upstream django {\n    server unix://${path};\n}\nserver { location / { uwsgi_pass django; include uwsgi_params; } }\n`;

	it('scheme 1 (--http-socket + proxy_pass): served; with uwsgi_pass: protocol-mismatch', () => {
		assert.deepEqual(seamCodes({ '/w/run.sh': scheme1, '/w/nginx/site.conf': proxy }, '/w/nginx/site.conf'), []);
		assert.deepEqual(seamCodes({ '/w/run.sh': scheme1, '/w/nginx/site.conf': upstream }, '/w/nginx/site.conf'), ['protocol-mismatch django']);
	});

	it('scheme 2 (--socket + upstream + uwsgi_pass): served; with proxy_pass: protocol-mismatch; the socket is public', () => {
		assert.deepEqual(seamCodes({ '/w/run.sh': scheme2, '/w/nginx/site.conf': upstream }, '/w/nginx/site.conf'), []);
		assert.deepEqual(seamCodes({ '/w/run.sh': scheme2, '/w/nginx/site.conf': proxy }, '/w/nginx/site.conf'), ['protocol-mismatch http://127.0.0.1:11112']);
		assertHostCode('/w/run.sh', scheme2.replace(':11112', '«:11112»'), 'uwsgi-public-socket');
	});

	it('scheme 3 (relative --socket after --chdir): the seed\'s nginx path is another folder (socket-not-served); the chdir path is served', () => {
		assert.deepEqual(seamCodes({ '/w/run.sh': scheme3, '/w/nginx/site.conf': unixUpstream('/yikaoyan/yikaoyan-api/yikaoyan/yikaoyan.sock') }, '/w/nginx/site.conf'),
			['socket-not-served unix:///yikaoyan/yikaoyan-api/yikaoyan/yikaoyan.sock']);
		assert.deepEqual(seamCodes({ '/w/run.sh': scheme3, '/w/nginx/site.conf': unixUpstream('/code/yikaoyan/yikaoyan.sock') }, '/w/nginx/site.conf'), []);
	});

	it('the same schemes from a Dockerfile, a compose file and a unit', () => {
		const args = (s: string) => s.trim().split(/\s+/).slice(1);
		const files = {
			'/w/Dockerfile': `FROM python\nCMD ${JSON.stringify(['uwsgi', ...args(scheme1)])}\n`,
			'/w/nginx/site.conf': 'server { location / { include uwsgi_params; uwsgi_pass 127.0.0.1:11112; } }\n',
		};
		assert.deepEqual(seamCodes(files, '/w/nginx/site.conf'), ['protocol-mismatch 127.0.0.1:11112']);
		assert.deepEqual(seamCodes({ '/w/docker-compose.yml': `services:\n  web:\n    command: ${scheme2}`, '/w/nginx/site.conf': proxy }, '/w/nginx/site.conf'), ['protocol-mismatch http://127.0.0.1:11112']);
		assert.deepEqual(seamCodes({ '/w/app.service': `[Service]\nExecStart=/usr/bin/${scheme3}`, '/w/nginx/site.conf': unixUpstream('/code/yikaoyan/yikaoyan.sock') }, '/w/nginx/site.conf'), []);
	});
});

describe('command lines and the seam: sockets, navigation, actions', () => {
	it('a relative socket is placed under WORKDIR / working_dir / WorkingDirectory when there is no --chdir', () => {
		const nginx = 'server { location / { include uwsgi_params; uwsgi_pass unix:/app/app.sock; } }\n';
		assert.deepEqual(seamCodes({ '/w/Dockerfile': 'FROM python\nWORKDIR /app\nCMD ["uwsgi", "--socket", "app.sock", "--chmod-socket=666"]\n', '/w/nginx/a.conf': nginx }, '/w/nginx/a.conf'), []);
		assert.deepEqual(seamCodes({ '/w/Dockerfile': 'FROM python\nWORKDIR /srv\nCMD ["uwsgi", "--socket", "app.sock", "--chmod-socket=666"]\n', '/w/nginx/a.conf': nginx }, '/w/nginx/a.conf'), ['socket-not-served unix:/app/app.sock']);
	});

	it('--ini loads an ini as part of the deployment: its chdir places the command\'s relative socket', () => {
		const files = {
			'/w/deploy/uwsgi.ini': '[uwsgi]\nchdir = /srv/app\nmodule = app.wsgi\n',
			'/w/Dockerfile': 'FROM python\nCMD ["uwsgi", "--ini", "deploy/uwsgi.ini", "--socket", "app.sock", "--chmod-socket", "666"]\n',
			'/w/nginx/a.conf': 'server { location / { include uwsgi_params; uwsgi_pass unix:/srv/app/app.sock; } }\n',
		};
		assert.deepEqual(seamCodes(files, '/w/nginx/a.conf'), []);
		// and the value links to the file
		const { svc, docs } = workspaceOf(files);
		const d = docs.get('/w/Dockerfile')!;
		const links = svc.findDocumentLinks(d);
		assert.deepEqual(links.map(l => [d.getText(l.range), l.target]), [['deploy/uwsgi.ini', 'file:///w/deploy/uwsgi.ini']]);
		const def = svc.findDefinition(d, d.positionAt(d.getText().indexOf('deploy/')));
		assert.deepEqual(def.map(l => l.uri), ['file:///w/deploy/uwsgi.ini']);
	});

	it('the command line supplies protocol and chdir to the sockets of the ini it loads', () => {
		const files = {
			'/w/uwsgi.ini': '[uwsgi]\nsocket = 127.0.0.1:9000\n',
			'/w/run.sh': 'exec uwsgi --ini uwsgi.ini --protocol http\n',
			'/w/nginx/a.conf': 'server { location / { proxy_pass http://127.0.0.1:9000; } }\n',
		};
		assert.deepEqual(seamCodes(files, '/w/nginx/a.conf'), []);
	});

	it('definition from nginx to the flag, references from the flag to nginx, hover on both sides', () => {
		const files = {
			'/w/Dockerfile': 'FROM python\nCMD ["uwsgi", "--socket", "/run/uwsgi/app.sock", "--chmod-socket=666"]\n',
			'/w/nginx/a.conf': 'server { location / { include uwsgi_params; uwsgi_pass unix:/run/uwsgi/app.sock; } }\n',
		};
		const { svc, docs } = workspaceOf(files);
		const ng = docs.get('/w/nginx/a.conf')!;
		const df = docs.get('/w/Dockerfile')!;
		const def = svc.findDefinition(ng, ng.positionAt(ng.getText().indexOf('unix:')));
		assert.deepEqual(def.map(l => [l.uri, df.getText(l.range)]), [['file:///w/Dockerfile', 'socket", "/run/uwsgi/app.sock']]);
		const refs = svc.findReferences(df, df.positionAt(df.getText().indexOf('/run/uwsgi')), true);
		assert.deepEqual(refs.map(l => [l.uri, ng.getText(l.range)]), [['file:///w/nginx/a.conf', 'unix:/run/uwsgi/app.sock']]);
		const hover = svc.doHover(df, df.positionAt(df.getText().indexOf('socket')));
		const value = (hover?.contents as { value: string }).value;
		assert.match(value, /\*\*socket\*\*/);
		assert.match(value, /nginx reaches it from/);
	});

	it('Convert to unix socket edits the flag in place and adds the flags nginx needs, in each host form', () => {
		const nginx = 'server { location / { proxy_pass http://127.0.0.1:8000; } }\n';
		const cases: [string, string, string][] = [
			['/w/proj/Dockerfile', 'FROM python\nCMD ["uwsgi", "--http-socket", "127.0.0.1:8000", "--master"]\n',
				'FROM python\nCMD ["uwsgi", "--http-socket", "/run/uwsgi/proj.sock", "--vacuum", "--chmod-socket", "660", "--chown-socket", "www-data:www-data", "--master"]\n'],
			['/w/proj/run.sh', 'exec uwsgi --http-socket=127.0.0.1:8000 \\\n  --master\n',
				'exec uwsgi --http-socket=/run/uwsgi/proj.sock --vacuum --chmod-socket 660 --chown-socket www-data:www-data \\\n  --master\n'],
			['/w/proj/compose.yml', 'services:\n  web:\n    command:\n      - uwsgi\n      - --http-socket\n      - "127.0.0.1:8000"\n      - --vacuum\n',
				'services:\n  web:\n    command:\n      - uwsgi\n      - --http-socket\n      - "/run/uwsgi/proj.sock"\n      - --chmod-socket\n      - "660"\n      - --chown-socket\n      - www-data:www-data\n      - --vacuum\n'],
			['/w/proj/docker-compose.yml', 'services:\n  web:\n    command: sh -c "python manage.py migrate && uwsgi --http-socket 127.0.0.1:8000"\n',
				'services:\n  web:\n    command: sh -c "python manage.py migrate && uwsgi --http-socket /run/uwsgi/proj.sock --vacuum --chmod-socket 660 --chown-socket www-data:www-data"\n'],
		];
		for (const [path, before, after] of cases) {
			const { svc, docs } = workspaceOf({ [path]: before, '/w/nginx/a.conf': nginx });
			const d = docs.get(path)!;
			const at = d.positionAt(before.indexOf('127.0.0.1'));
			const action = svc.doCodeActions(d, { start: at, end: at }, []).find(a => a.title.startsWith('Convert to unix socket'));
			assert.ok(action, `no conversion offered in ${path}`);
			assert.equal(applyEdits(before, d, action.edit!.changes![d.uri]), after, path);
			const ng = docs.get('/w/nginx/a.conf')!;
			assert.equal(applyEdits(nginx, ng, action.edit!.changes![ng.uri]), 'server { location / { proxy_pass http://unix:/run/uwsgi/proj.sock:; } }\n');
		}
	});

	it('Switch to the uwsgi protocol renames the flag in place', () => {
		const before = 'FROM python\nCMD uwsgi --http-socket 127.0.0.1:8000 --master\n';
		const { svc, docs } = workspaceOf({ '/w/Dockerfile': before, '/w/nginx/a.conf': 'server { location / { proxy_pass http://127.0.0.1:8000; } }\n' });
		const d = docs.get('/w/Dockerfile')!;
		const at = d.positionAt(before.indexOf('8000'));
		const action = svc.doCodeActions(d, { start: at, end: at }, []).find(a => a.title.startsWith('Switch to the uwsgi protocol'))!;
		assert.equal(applyEdits(before, d, action.edit!.changes![d.uri]), 'FROM python\nCMD uwsgi --socket 127.0.0.1:8000 --master\n');
	});
});

describe('command lines: hover and completion', () => {
	it('hover on a flag shows its option; on a short letter too; on a shell value says it is not checked', () => {
		const { svc, docs } = workspaceOf({ '/w/run.sh': 'uwsgi -M --harakiri $TIMEOUT\n' });
		const d = docs.get('/w/run.sh')!;
		const h1 = svc.doHover(d, d.positionAt(7));
		assert.match((h1?.contents as { value: string }).value, /\*\*master\*\*/);
		assert.equal(d.getText(h1!.range!), 'M');
		const h2 = svc.doHover(d, d.positionAt(d.getText().indexOf('$TIMEOUT') + 2));
		assert.match((h2?.contents as { value: string }).value, /not checked/);
	});

	it('completion after `uwsgi --` offers option names and replaces only the name', () => {
		for (const [path, text] of [['/w/run.sh', 'uwsgi --master --so|\n'], ['/w/Dockerfile', 'FROM python\nCMD ["uwsgi", "--so|"]\n'], ['/w/compose.yml', 'services:\n  w:\n    command: uwsgi --|\n']]) {
			const { text: t, offset } = cursor(text);
			const { svc, docs } = workspaceOf({ [path]: t });
			const d = docs.get(path)!;
			const list = svc.doComplete(d, d.positionAt(offset));
			const socket = list.items.find(i => i.label === '--socket');
			assert.ok(socket, `no --socket in ${path}`);
			const edit = socket.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
			assert.equal(applyEdits(t, d, [edit]).includes('--socket'), true);
			assert.equal(applyEdits(t, d, [edit]).includes('--socketso') || applyEdits(t, d, [edit]).includes('--sosocket'), false);
		}
		// not in values, not outside invocations
		const { text: t, offset } = cursor('uwsgi --socket :80|\necho --x|\n');
		const { svc, docs } = workspaceOf({ '/w/run.sh': t });
		assert.deepEqual(svc.doComplete(docs.get('/w/run.sh')!, docs.get('/w/run.sh')!.positionAt(offset)).items, []);
	});
});

describe('command lines: robustness', () => {
	const HOSTS: CommandHost[] = ['shell', 'dockerfile', 'compose', 'systemd', 'supervisor', 'procfile'];
	const SAMPLES: Record<CommandHost, string> = {
		shell: '#!/bin/sh\nexec env A=1 uwsgi --socket "/run/a b.sock" \\\n  --chdir=\'/srv\' $OPTS && sh -c "uwsgi -s :$P" <<EOF\nx\nEOF\n',
		dockerfile: 'FROM x\nWORKDIR /app\nENTRYPOINT ["uwsgi"]\nCMD ["--socket", ":80", "--master"]\nRUN uwsgi --ini a.ini \\\n # c\n  --master\n',
		compose: 'services:\n  w:\n    command: ["uwsgi", "--socket", \':80\']\n  v:\n    command:\n      - uwsgi\n      - "--ini"\n  u:\n    command: >\n      uwsgi --http :80\n',
		systemd: '[Service]\nExecStart=-@/usr/bin/uwsgi uwsgi --socket :1 \\\n  --master\n',
		supervisor: '[program:a]\ncommand=uwsgi --socket :1 ; c\n  --master\n',
		procfile: 'web: uwsgi --http-socket :$PORT -Mp4\n',
	};
	const SPECIALS = ['"', "'", '\\', '\n', '$', '(', ')', '`', '[', ']', ',', '#', ';', '-', '--', '=', ' ', '<<', '{', '}', ':', '\r\n', '- '];

	it('never throws and keeps every word and entry inside the text, on mutated host files', () => {
		let seed = 20240611;
		const rand = (n: number) => {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			return seed % n;
		};
		for (let round = 0; round < 3000; round++) {
			const host = HOSTS[round % HOSTS.length];
			let text = SAMPLES[host];
			for (let m = rand(6) + 1; m > 0; m--) {
				const at = rand(text.length + 1);
				text = rand(3) === 0 ? text.slice(0, at) + text.slice(at + rand(4)) : text.slice(0, at) + SPECIALS[rand(SPECIALS.length)] + text.slice(at);
			}
			const file = parseCommandFile(text, host);
			for (const inv of file.invocations) {
				for (const w of [inv.program, ...inv.args]) {
					assert.ok(w.offset >= 0 && w.offset + w.length <= text.length, `word out of range in ${JSON.stringify(text)}`);
					assert.equal(w.starts.length, w.text.length);
					for (let i = 0; i < w.starts.length; i++) { assert.ok(w.starts[i] >= 0 && w.ends[i] <= text.length && w.starts[i] < w.ends[i], JSON.stringify(text)); }
				}
			}
			for (const c of commandConfigs(file)) {
				for (const e of c.doc.entries) {
					for (const s of [e, e.key, e.value]) { assert.ok(s.offset >= 0 && s.offset + s.length <= text.length, `entry out of range in ${JSON.stringify(text)}`); }
				}
			}
		}
	});

	it('takes time linear in the size of pathological host files', () => {
		const classes: [CommandHost, string, (b: number) => string][] = [
			['shell', 'run of quotes', b => 'uwsgi ' + '"\''.repeat(b / 2)],
			['shell', 'run of continuations', b => 'uwsgi ' + '--master \\\n'.repeat(b / 11)],
			['shell', 'run of "$("', b => 'uwsgi --x ' + '$('.repeat(b / 2)],
			['shell', 'here-documents', b => 'cat <<E\nuwsgi\n'.repeat(b / 14)],
			['shell', 'many flags', b => 'uwsgi ' + '--socket :1 -Mp4 --vacu '.repeat(b / 24)],
			['dockerfile', 'continued instruction', b => 'CMD uwsgi \\\n# c\n'.repeat(b / 15)],
			['dockerfile', 'unclosed exec form', b => 'CMD ["uwsgi", ' + '"--master", '.repeat(b / 12)],
			['compose', 'block list', b => 'command:\n' + '  - --master\n'.repeat(b / 13)],
			['compose', 'many commands', b => 'services:\n' + '  w:\n    command: uwsgi --master\n'.repeat(b / 31)],
			['systemd', 'continuations', b => 'ExecStart=uwsgi \\\n'.repeat(b / 18)],
		];
		for (const [host, name, build] of classes) {
			const cls = { kind: 'uwsgi', name, build } as InputClass;
			const s = measureScaling(cls, text => commandConfigs(parseCommandFile(text, host)), [10_000, 100_000, 1_000_000], { bound: 3 });
			assert.ok(s.ratio <= 3, `${host} ${name}: ${s.nsPerByte.map(v => v.toFixed(1)).join(' → ')} ns/byte (not linear)`);
		}
	});
});

describe('command lines: activation without takeover', () => {
	const ROOT = path.resolve(__dirname, '..', '..', '..');
	it('the extension activates on host files, sends them to the server, and contributes no language for them', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { activationEvents: string[]; contributes: { languages: { id: string }[] } };
		for (const e of ['onLanguage:dockerfile', 'onLanguage:dockercompose', 'onLanguage:shellscript', 'workspaceContains:**/Dockerfile', 'workspaceContains:**/docker-compose*.{yml,yaml}', 'workspaceContains:**/*.service', 'workspaceContains:**/Procfile']) {
			assert.ok(pkg.activationEvents.includes(e), `activation event ${e}`);
		}
		assert.deepEqual(pkg.contributes.languages.map(l => l.id), ['nginx', 'uwsgi-ini']);
		const languages = JSON.stringify(pkg.contributes.languages);
		for (const name of ['Dockerfile', 'compose', '.service', 'Procfile', '.sh', 'supervisor', 'yml', 'yaml']) {
			assert.ok(!languages.includes(name), `contributes.languages claims ${name}`);
		}
		const client = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
		for (const selector of [`language: 'dockerfile'`, `language: 'dockercompose'`, `language: 'shellscript'`, `'**/*.service'`, `'**/Procfile*'`, `'**/{docker-compose,compose}*.{yml,yaml}'`, `'**/supervisord.conf'`]) {
			assert.ok(client.includes(selector), `the client's document selector lacks ${selector}`);
		}
	});
});

describe('command lines: removing an overridden flag', () => {
	const cases: [string, string, string][] = [
		['/w/run.sh', 'exec uwsgi --processes 2 --master -p 4\n', 'exec uwsgi --master -p 4\n'],
		['/w/run.sh', 'exec uwsgi --harakiri=30 \\\n  --harakiri 60\n', 'exec uwsgi \\\n  --harakiri 60\n'],
		['/w/Dockerfile', 'FROM python\nCMD ["uwsgi", "--processes", "2", "--master", "--processes=4"]\n', 'FROM python\nCMD ["uwsgi", "--master", "--processes=4"]\n'],
		['/w/compose.yml', 'services:\n  w:\n    command:\n      - uwsgi\n      - --processes\n      - "2"\n      - --master\n      - --processes=4\n', 'services:\n  w:\n    command:\n      - uwsgi\n      - --master\n      - --processes=4\n'],
	];
	for (const [path, before, after] of cases) {
		it(`${path.slice(3)}: the fix removes the flag and its value, nothing else`, () => {
			const { svc, docs } = workspaceOf({ [path]: before });
			const d = docs.get(path)!;
			const diag = svc.doValidation(d).find(x => x.code === 'uwsgi-duplicate-option');
			assert.ok(diag, `no duplicate reported in ${before}`);
			const fix = svc.doCodeActions(d, diag.range, [diag]).find(a => a.title === 'Remove the overridden flag');
			assert.ok(fix, 'no fix');
			assert.equal(applyEdits(before, d, fix.edit!.changes![d.uri]), after);
		});
	}
	it('offers no fix when the flag shares its word with another, never removes the command line', () => {
		const before = 'FROM python\nCMD ["uwsgi", "-Mp", "2", "--processes=4"]\n';
		const { svc, docs } = workspaceOf({ '/w/Dockerfile': before });
		const d = docs.get('/w/Dockerfile')!;
		const diag = svc.doValidation(d).find(x => x.code === 'uwsgi-duplicate-option')!;
		assert.equal(d.getText(diag.range), 'p');
		assert.deepEqual(svc.doCodeActions(d, diag.range, [diag]).filter(a => a.title.startsWith('Remove')), []);
	});
});
