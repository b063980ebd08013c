/**
 * The uWSGI rules about running in production: harakiri, worker recycling, the master process,
 * socket modes, daemonize under a process manager, buffer-size against nginx, uWSGI's HTTP router
 * behind nginx. Each rule: configs that must fire (exact ranges with «»), `_fp` configs that must
 * not, and the quick fix with its exact result.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { normalizeSettings } from '../../server/src/service/settings';
import { applyEdits, assertCode, doc, marked, service, workspaceOf } from '../helpers/text';

/** Asserts that `code` fires exactly on the «marked» spans of one file of a workspace (no markers: not at all). */
function assertInWorkspace(files: Record<string, string>, file: string, code: string): Diagnostic[] {
	const clean: Record<string, string> = {};
	for (const [p, t] of Object.entries(files)) { clean[p] = marked(t).text; }
	const { svc, docs } = workspaceOf(clean);
	const d = docs.get(file)!;
	const diagnostics = svc.doValidation(d);
	const hits = diagnostics.filter(x => x.code === code);
	const got = hits.map(x => d.getText(x.range) + '@' + d.offsetAt(x.range.start));
	const want = marked(files[file]).spans.map(s => clean[file].slice(s.offset, s.offset + s.length) + '@' + s.offset);
	assert.deepEqual(got, want, `${code} in ${file}; all: ${JSON.stringify(diagnostics.map(x => [x.code, x.message]))}`);
	return hits;
}

/** Applies the first quick fix of `code` in one file of a workspace; returns the new text. */
function fixInWorkspace(files: Record<string, string>, file: string, code: string): string {
	const { svc, docs } = workspaceOf(files);
	const d = docs.get(file)!;
	const diags = svc.doValidation(d).filter(x => x.code === code);
	assert.ok(diags.length, `${code} did not fire`);
	const actions = svc.doCodeActions(d, diags[0].range, [diags[0]]);
	assert.ok(actions.length, `${code} has no quick fix here`);
	return applyEdits(files[file], d, actions[0].edit!.changes![d.uri]);
}

function fixes(text: string, code: string): string[] {
	const svc = service();
	const d = doc('uwsgi', text);
	const diags = svc.doValidation(d).filter(x => x.code === code);
	assert.ok(diags.length, `${code} did not fire`);
	return svc.doCodeActions(d, diags[0].range, [diags[0]]).map(a => applyEdits(text, d, a.edit!.changes![d.uri]));
}

const SITE = (target: string) => `server {\n    location / {\n        include uwsgi_params;\n        uwsgi_pass ${target};\n    }\n}\n`;

describe('uwsgi-no-harakiri', () => {
	it('fires on the section of a config whose master serves requests without harakiri', () => {
		const [d] = assertCode('uwsgi', '«[uwsgi]»\nsocket = /run/app.sock\nmaster = true\nprocesses = 4\n', 'uwsgi-no-harakiri');
		assert.equal(d.severity, DiagnosticSeverity.Information);
		assert.doesNotMatch(d.message as string, /504/);
		// an option that turns the master on counts as master
		assertCode('uwsgi', '«[uwsgi]»\nhttp-socket = :8000\ncheaper = 2\nprocesses = 8\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '; app\n«[app]»\nsocket = :3031\nmaster = 1\nmodule = app\n', 'uwsgi-no-harakiri');
	});

	it('says what nginx does when nginx fronts the config', () => {
		const [d] = assertInWorkspace({ '/w/uwsgi.ini': '«[uwsgi]»\nsocket = /run/app.sock\nmaster = true\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-no-harakiri');
		assert.match(d.message as string, /answers 504, but the worker stays stuck/);
	});

	it('_fp: harakiri set (even 0, or from the environment), no master, nothing served, a load outside the workspace', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster = true\nharakiri = 30\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster = true\nharakiri = 0\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster = true\nharakiri = $(HARAKIRI)\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nprocesses = 1\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster = false\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '[uwsgi]\nemperor = /etc/uwsgi/vassals\nmaster = true\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '[uwsgi]\nini = /etc/uwsgi/common.ini\nsocket = /run/app.sock\nmaster = true\n', 'uwsgi-no-harakiri');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster = $(MASTER)\n', 'uwsgi-no-harakiri');
	});

	it('_fp: harakiri in a config this one loads, or in the config that loads this one', () => {
		assertInWorkspace({ '/w/app.ini': '[uwsgi]\nini = base.ini\nsocket = /run/app.sock\nmaster = true\n', '/w/base.ini': '[uwsgi]\nharakiri = 20\n' }, '/w/app.ini', 'uwsgi-no-harakiri');
		assertInWorkspace({ '/w/common.ini': '[uwsgi]\nsocket = /run/app.sock\nmaster = true\n', '/w/prod.ini': '[uwsgi]\nini = common.ini\nharakiri = 20\n' }, '/w/common.ini', 'uwsgi-no-harakiri');
	});
});

describe('uwsgi-no-worker-recycling', () => {
	it('fires (hint) on a served config with a master and no recycling option', () => {
		const [d] = assertCode('uwsgi', '«[uwsgi]»\nsocket = /run/app.sock\nmaster = true\nharakiri = 30\n', 'uwsgi-no-worker-recycling');
		assert.equal(d.severity, DiagnosticSeverity.Hint);
	});

	it('sits on the program word of a command line, and offers no ini line there', () => {
		assertInWorkspace({ '/w/app.service': '[Service]\nExecStart=«/usr/bin/uwsgi» --socket /run/app.sock --master\n' }, '/w/app.service', 'uwsgi-no-worker-recycling');
		const { svc, docs } = workspaceOf({ '/w/app.service': '[Service]\nExecStart=/usr/bin/uwsgi --socket /run/app.sock --master\n' });
		const d = docs.get('/w/app.service')!;
		const diag = svc.doValidation(d).find(x => x.code === 'uwsgi-no-worker-recycling')!;
		assert.deepEqual(svc.doCodeActions(d, diag.range, [diag]), []);
	});

	it('_fp: any recycling option, or no master', () => {
		for (const o of ['max-requests = 1000', 'reload-on-rss = 512', 'max-worker-lifetime = 3600', 'evil-reload-on-rss = 1024', 'reload-on-as = 2048']) {
			assertCode('uwsgi', `[uwsgi]\nsocket = /run/app.sock\nmaster = true\n${o}\n`, 'uwsgi-no-worker-recycling');
		}
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\n', 'uwsgi-no-worker-recycling');
	});

	it('adds max-requests below the section header', () => {
		assert.deepEqual(fixes('[uwsgi]\nsocket = /run/app.sock\nmaster = true\n', 'uwsgi-no-worker-recycling'), ['[uwsgi]\nmax-requests = 1000\nsocket = /run/app.sock\nmaster = true\n']);
		assert.deepEqual(fixes('[uwsgi]\r\nsocket = :1\r\nmaster = true', 'uwsgi-no-worker-recycling'), ['[uwsgi]\r\nmax-requests = 1000\r\nsocket = :1\r\nmaster = true']);
	});
});

describe('uwsgi-no-master', () => {
	it('fires on the option that needs the master', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\n«harakiri» = 30\nprocesses = 4\n', 'uwsgi-no-master');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /kill itself and nothing starts a new one/);
		assertCode('uwsgi', '[uwsgi]\nhttp-socket = :8000\n«workers» = 4\n', 'uwsgi-no-master');
		const [m] = assertCode('uwsgi', '[uwsgi]\nsocket = :3031\n«max-requests» = 1000\n', 'uwsgi-no-master');
		assert.match(m.message as string, /has no effect/);
	});

	it('_fp: master on (directly or through an option that turns it on), one worker, nothing served, values known at run time', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster = true\nharakiri = 30\nprocesses = 4\n', 'uwsgi-no-master');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster-fifo = /tmp/fifo\nprocesses = 4\n', 'uwsgi-no-master');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nprocesses = 1\nharakiri = 0\n', 'uwsgi-no-master');
		assertCode('uwsgi', '[uwsgi]\nprocesses = 4\n', 'uwsgi-no-master');
		assertCode('uwsgi', '[uwsgi]\nsocket = :1\nprocesses = %(n)\nn = 4\n', 'uwsgi-no-master');
		assertInWorkspace({ '/w/app.ini': '[uwsgi]\nini = base.ini\nsocket = :1\nprocesses = 4\n', '/w/base.ini': '[uwsgi]\nmaster = true\n' }, '/w/app.ini', 'uwsgi-no-master');
	});

	it('follows edits of the file and of the files it loads or that load it (the workspace\'s configs are kept file by file)', () => {
		const { svc, docs } = workspaceOf({ '/w/app.ini': '[uwsgi]\nsocket = :1\nprocesses = 4\n', '/w/base.ini': '[uwsgi]\nmaster = true\n', '/w/other.ini': '[uwsgi]\nmaster = true\n' });
		const app = docs.get('/w/app.ini')!;
		const warnings = () => svc.doValidation(app).filter(d => d.code === 'uwsgi-no-master').length;
		const insertLine = (d: TextDocument, text: string) => TextDocument.update(d, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text }], d.version + 1);
		assert.equal(warnings(), 1);
		insertLine(app, 'ini = base.ini\n');
		assert.equal(warnings(), 0, 'app.ini loads base.ini, which turns the master on');
		const base = docs.get('/w/base.ini')!;
		TextDocument.update(base, [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 13 } }, text: 'false' }], base.version + 1);
		assert.equal(warnings(), 1, 'base.ini turns the master off');
		const other = docs.get('/w/other.ini')!;
		insertLine(other, 'ini = app.ini\n');
		assert.equal(warnings(), 0, 'other.ini loads app.ini with the master on');
		TextDocument.update(other, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 13 } }, text: 'none.ini' }], other.version + 1);
		assert.equal(warnings(), 1, 'other.ini no longer loads app.ini');
	});

	it('adds master = true below the section header', () => {
		assert.deepEqual(fixes('# app\n[uwsgi]\nsocket = :1\nworkers = 4\n', 'uwsgi-no-master'), ['# app\n[uwsgi]\nmaster = true\nsocket = :1\nworkers = 4\n']);
	});
});

describe('uwsgi-world-writable-socket', () => {
	it('fires on a mode that lets every local user connect to a unix socket', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nchmod-socket = «666»\n', 'uwsgi-world-writable-socket');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /chown-socket = <uWSGI's user>:www-data/);
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nchmod-socket = «777»\n', 'uwsgi-world-writable-socket');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nchmod-socket = «1»\n', 'uwsgi-world-writable-socket');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\n«chmod-socket»\n', 'uwsgi-world-writable-socket');
		assertCode('uwsgi', '[uwsgi]\nhttp-socket = /run/app.sock\nchmod = «662»\n', 'uwsgi-world-writable-socket');
	});

	it('_fp: group modes, TCP sockets only, a unix socket of another section', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nchmod-socket = 660\nchmod-socket = 664\nchmod-socket = 775\n', 'uwsgi-world-writable-socket');
		assertCode('uwsgi', '[uwsgi]\nsocket = 127.0.0.1:3031\nchmod-socket = 666\n', 'uwsgi-world-writable-socket');
		assertCode('uwsgi', '[uwsgi]\nsocket = :3031\n[unix]\nsocket = /run/app.sock\n[docker]\nchmod-socket = 666\nsocket = :8000\n', 'uwsgi-world-writable-socket');
	});

	it('offers 660 only when chown-socket already gives the socket to nginx', () => {
		assert.deepEqual(fixes('[uwsgi]\nsocket = /run/app.sock\nchown-socket = app:www-data\nchmod-socket = 666\n', 'uwsgi-world-writable-socket'), ['[uwsgi]\nsocket = /run/app.sock\nchown-socket = app:www-data\nchmod-socket = 660\n']);
		assert.deepEqual(fixes('[uwsgi]\nsocket = /run/app.sock\nchmod-socket = 666\n', 'uwsgi-world-writable-socket'), []);
		assert.deepEqual(fixes('[uwsgi]\nsocket = /run/app.sock\nchown-socket = app:app\nchmod-socket = 666\n', 'uwsgi-world-writable-socket'), []);
		// nginx's user from the workspace
		const files = { '/w/app.ini': '[uwsgi]\nsocket = /run/app.sock\nchown-socket = app:nginx\nchmod-socket = 777\n', '/w/nginx/nginx.conf': 'user nginx;\nevents {}\nhttp { server { location / { include uwsgi_params; uwsgi_pass unix:/run/app.sock; } } }\n' };
		assert.equal(fixInWorkspace(files, '/w/app.ini', 'uwsgi-world-writable-socket'), '[uwsgi]\nsocket = /run/app.sock\nchown-socket = app:nginx\nchmod-socket = 660\n');
	});
});

describe('uwsgi-daemonize-managed', () => {
	const emperor = '[uwsgi]\nemperor = /etc/uwsgi/vassals\nmaster = true\n';
	it('fires in a vassal of an Emperor of the workspace', () => {
		const [d] = assertInWorkspace({ '/w/emperor.ini': emperor, '/w/vassals/app.ini': '[uwsgi]\nsocket = /run/app.sock\n«daemonize» = /var/log/app.log\n' }, '/w/vassals/app.ini', 'uwsgi-daemonize-managed');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /Emperor watching \/etc\/uwsgi\/vassals/);
		assertInWorkspace({ '/w/emperor.ini': '[uwsgi]\nemperor = /srv/conf/vassals/*.ini\n', '/w/conf/vassals/app.ini': '[uwsgi]\n«daemonize2» = /var/log/app.log\n' }, '/w/conf/vassals/app.ini', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/etc/uwsgi/emperor.ini': emperor, '/etc/uwsgi/vassals/app.ini': '[uwsgi]\n«daemonize» = /var/log/app.log\n' }, '/etc/uwsgi/vassals/app.ini', 'uwsgi-daemonize-managed');
	});

	it('fires when the socket comes from the parent process', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nsocket = =0\n«daemonize» = /var/log/app.log\n', 'uwsgi-daemonize-managed');
		assert.match(d.message as string, /systemd socket activation/);
	});

	it('_fp: no manager in sight, an Emperor watching another folder, the Emperor itself', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\ndaemonize = /var/log/app.log\n', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/emperor.ini': emperor, '/w/apps/app.ini': '[uwsgi]\ndaemonize = /var/log/app.log\n' }, '/w/apps/app.ini', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/vassals/emperor.ini': '[uwsgi]\nemperor = /etc/uwsgi/vassals\ndaemonize = /var/log/emperor.log\n' }, '/w/vassals/emperor.ini', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/emperor.ini': '[uwsgi]\nemperor = zmq://127.0.0.1:5250\n', '/w/vassals/app.ini': '[uwsgi]\ndaemonize = /var/log/app.log\n' }, '/w/vassals/app.ini', 'uwsgi-daemonize-managed');
	});

	it('fires when a host file runs it under a process manager: the command line itself, or the ini it loads', () => {
		const [d] = assertInWorkspace({ '/w/app.service': '[Service]\nExecStart=/usr/bin/uwsgi --socket /run/app.sock --«daemonize» /var/log/app.log\n' }, '/w/app.service', 'uwsgi-daemonize-managed');
		assert.match(d.message as string, /the systemd unit app.service/);
		assertInWorkspace({ '/w/Dockerfile': 'FROM python\nCMD ["uwsgi", "--ini", "/app/uwsgi.ini"]\n', '/w/uwsgi.ini': '[uwsgi]\nsocket = :8000\n«daemonize» = /tmp/uwsgi.log\n' }, '/w/uwsgi.ini', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/supervisord.conf': '[program:web]\ncommand=uwsgi --ini /srv/app/deploy/app.ini\n', '/w/deploy/app.ini': '[uwsgi]\n«daemonize2» = /var/log/app.log\n' }, '/w/deploy/app.ini', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/docker-compose.yml': 'services:\n  web:\n    command: uwsgi --http :8000 --«daemonize» /tmp/log\n' }, '/w/docker-compose.yml', 'uwsgi-daemonize-managed');
	});

	it('_fp: a systemd unit with Type=forking (it expects the fork), a shell script, an ini no manager loads', () => {
		assertInWorkspace({ '/w/app.service': '[Service]\nType=forking\nExecStart=/usr/bin/uwsgi --ini /etc/uwsgi/app.ini --daemonize /var/log/app.log\n' }, '/w/app.service', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/app.service': '[Service]\nType=forking\nExecStart=/usr/bin/uwsgi --ini /etc/uwsgi/app.ini\n', '/w/app.ini': '[uwsgi]\ndaemonize = /var/log/app.log\n' }, '/w/app.ini', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/start.sh': '#!/bin/sh\nuwsgi --socket :1 --daemonize /tmp/log\n' }, '/w/start.sh', 'uwsgi-daemonize-managed');
		assertInWorkspace({ '/w/Dockerfile': 'FROM python\nCMD ["uwsgi", "--ini", "/app/other.ini"]\n', '/w/uwsgi.ini': '[uwsgi]\ndaemonize = /tmp/uwsgi.log\n' }, '/w/uwsgi.ini', 'uwsgi-daemonize-managed');
	});

	it('logs to the same file without detaching', () => {
		assert.deepEqual(fixes('[uwsgi]\nsocket = =0\ndaemonize = /var/log/app.log\n', 'uwsgi-daemonize-managed'), ['[uwsgi]\nsocket = =0\nlogto = /var/log/app.log\n']);
		assert.equal(fixInWorkspace({ '/w/emperor.ini': emperor, '/w/vassals/app.ini': '[uwsgi]\ndaemonize2 = /var/log/app.log\n' }, '/w/vassals/app.ini', 'uwsgi-daemonize-managed'), '[uwsgi]\nlogto2 = /var/log/app.log\n');
		assert.equal(fixInWorkspace({ '/w/app.service': '[Service]\nExecStart=/usr/bin/uwsgi --socket /run/app.sock --daemonize=/var/log/app.log\n' }, '/w/app.service', 'uwsgi-daemonize-managed'), '[Service]\nExecStart=/usr/bin/uwsgi --socket /run/app.sock --logto=/var/log/app.log\n');
	});
});

describe('uwsgi-buffer-too-small', () => {
	const BIG = (target: string) => 'server {\n    large_client_header_buffers 4 16k;\n' + SITE(target).slice('server {\n'.length);

	it('fires when nginx explicitly accepts header lines larger than the buffer uWSGI uses', () => {
		const [d] = assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = «/run/app.sock»\n', '/w/nginx/site.conf': BIG('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /up to 16384 bytes \(large_client_header_buffers 4 16k\), but uWSGI's buffer-size is 4096 bytes \(the default\).*invalid request block size: N \(max 4096\).*buffer-size = 65535/);
		assert.equal(d.relatedInformation![0].location.uri, 'file:///w/nginx/site.conf');
		// an http-socket behind proxy_pass, with uWSGI's own message
		const [h] = assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nhttp-socket = «127.0.0.1:8000»\n', '/w/nginx/site.conf': 'server { large_client_header_buffers 4 16k; location / { proxy_pass http://127.0.0.1:8000; } }\n' }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assert.match(h.message as string, /invalid HTTP request size \(max 4096\)/);
		const [e] = assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = :3031\nbuffer-size = «8192»\n', '/w/nginx/site.conf': BIG('127.0.0.1:3031') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assert.match(e.message as string, /large_client_header_buffers 4 16k\).*Set buffer-size = 65535/);
	});

	it('fires on a buffer-size set below uWSGI\'s own default, in front of nginx\'s default', () => {
		const [d] = assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = «2048»\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assert.match(d.message as string, /up to 8192 bytes \(large_client_header_buffers 4 8k, the default\), but uWSGI's buffer-size is 2048 bytes/);
	});

	it('_fp: both defaults, a buffer that holds a header line, 65536 (read as 65535), no nginx in front, another protocol, a run-time value', () => {
		// the pairing nearly every deployment runs: reported only when one side is set against the other
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = 6000\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = 32768\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = 65536\n', '/w/nginx/site.conf': 'server {\n    large_client_header_buffers 4 64k;\n' + SITE('unix:/run/app.sock').slice('server {\n'.length) }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = 65536\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = 1024\n', 'uwsgi-buffer-too-small');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = 127.0.0.1:8000\nbuffer-size = 1024\n', '/w/nginx/site.conf': 'server { location / { proxy_pass http://127.0.0.1:8000; } }\n' }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = $(BUF)\n', '/w/nginx/site.conf': BIG('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\n', '/w/nginx/site.conf': 'server {\n    large_client_header_buffers 4 4k;\n' + SITE('unix:/run/app.sock').slice('server {\n'.length) }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small');
	});

	it('sets buffer-size: replaces a value, or adds the line below the section header', () => {
		assert.equal(fixInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\n', '/w/nginx/site.conf': BIG('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small'), '[uwsgi]\nbuffer-size = 65535\nsocket = /run/app.sock\n');
		assert.equal(fixInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = 2048\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-buffer-too-small'), '[uwsgi]\nsocket = /run/app.sock\nbuffer-size = 32768\n');
	});
});

describe('uwsgi-http-router-public', () => {
	it('fires when nginx fronts the app through another socket of the same config', () => {
		const [d] = assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nhttp = «:8000»\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-http-router-public');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /nginx already fronts this application through "socket = \/run\/app.sock"/);
	});

	it('fires when nginx reaches the router over loopback', () => {
		const [d] = assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nhttp = «0.0.0.0:8000»\n', '/w/nginx/site.conf': 'server { location / { proxy_pass http://127.0.0.1:8000; } }\n' }, '/w/uwsgi.ini', 'uwsgi-http-router-public');
		assert.match(d.message as string, /over loopback/);
	});

	it('_fp: no nginx, the router on loopback, nginx in another container, a router of another section', () => {
		assertCode('uwsgi', '[uwsgi]\nhttp = :8000\nsocket = /run/app.sock\n', 'uwsgi-http-router-public');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nhttp = 127.0.0.1:8000\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-http-router-public');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nhttp = :8000\n', '/w/nginx/site.conf': 'server { location / { proxy_pass http://web:8000; } }\n' }, '/w/uwsgi.ini', 'uwsgi-http-router-public');
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nini = :base\nsocket = /run/app.sock\n[local]\nini = :base\nhttp = :8000\n[base]\nmodule = app\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-http-router-public');
		// uwsgi_pass does not speak HTTP: nginx does not front the router through it
		assertInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nhttp = :8000\n', '/w/nginx/site.conf': SITE('127.0.0.1:8000') }, '/w/uwsgi.ini', 'uwsgi-http-router-public');
	});

	it('binds the router to 127.0.0.1', () => {
		assert.equal(fixInWorkspace({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/app.sock\nhttp = :8000\n', '/w/nginx/site.conf': SITE('unix:/run/app.sock') }, '/w/uwsgi.ini', 'uwsgi-http-router-public'), '[uwsgi]\nsocket = /run/app.sock\nhttp = 127.0.0.1:8000\n');
	});
});

describe('severities of the production rules are configurable', () => {
	it('turns a rule off or up', () => {
		const svc = service();
		const d = doc('uwsgi', '[uwsgi]\nsocket = /run/app.sock\nmaster = true\n');
		const off = svc.doValidation(d, normalizeSettings({ diagnostics: { severity: { 'uwsgi-no-harakiri': 'off', 'uwsgi-no-worker-recycling': 'error' } } }));
		assert.equal(off.filter(x => x.code === 'uwsgi-no-harakiri').length, 0);
		assert.equal(off.find(x => x.code === 'uwsgi-no-worker-recycling')?.severity, DiagnosticSeverity.Error);
	});
});
