/** The seam: nginx checked against uWSGI across files, with must-fire and must-not-fire cases. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { workspaceOf } from '../helpers/text';

/** A workspace from path → text; returns the diagnostics of one file, with their range text. */
function check(files: Record<string, string>, file: string): { code: string; text: string; diag: Diagnostic }[] {
	const { svc, docs } = workspaceOf(files);
	const d = docs.get(file)!;
	// the uWSGI production rules that consult nginx (uwsgi-buffer-too-small, ...) have their own tests
	return svc.doValidation(d).filter(x => x.source === 'uwsgi-nginx' && !String(x.code).startsWith('uwsgi-')).map(x => ({ code: String(x.code), text: d.getText(x.range), diag: x }));
}

const codes = (r: { code: string; text: string }[]) => r.map(x => `${x.code} ${x.text}`);

describe('protocol-mismatch', () => {
	it('fires when nginx speaks HTTP to a uwsgi socket, and uwsgi to an HTTP socket', () => {
		const r = check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = :8000\n', '/w/nginx/site.conf': 'server { location / { proxy_pass http://web:8000; } }\n' }, '/w/nginx/site.conf');
		assert.deepEqual(codes(r), ['protocol-mismatch http://web:8000']);
		assert.equal(r[0].diag.severity, 1);
		assert.match(r[0].diag.message as string, /invalid request block size/);
		assert.equal(r[0].diag.relatedInformation![0].location.uri, 'file:///w/uwsgi.ini');
		const r2 = check({ '/w/uwsgi.ini': '[uwsgi]\nhttp-socket = 127.0.0.1:8000\n', '/w/nginx/site.conf': 'upstream app { server localhost:8000; }\nserver { location / { include uwsgi_params; uwsgi_pass app; } }\n' }, '/w/nginx/site.conf');
		assert.deepEqual(codes(r2), ['protocol-mismatch app']);
	});
	it('does not fire on the seed wirings', () => {
		// scheme 1: http-socket + proxy_pass
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nhttp-socket = 127.0.0.1:11112\n', '/w/nginx/a.conf': 'location / { proxy_pass http://127.0.0.1:11112; }\n' }, '/w/nginx/a.conf'), []);
		// scheme 2: socket + upstream + uwsgi_pass
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = :11112\n', '/w/nginx/a.conf': 'upstream django { server 127.0.0.1:11112; }\nserver { location / { uwsgi_pass django; include uwsgi_params; } }\n' }, '/w/nginx/a.conf'), []);
		// scheme 3: a relative unix socket bound after chdir; three slashes in nginx
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nchdir = /code/yikaoyan/\nsocket = yikaoyan.sock\nchmod-socket = 666\n', '/w/nginx/a.conf': 'upstream django { server unix:///code/yikaoyan/yikaoyan.sock; }\nserver { location / { uwsgi_pass django; include uwsgi_params; } }\n' }, '/w/nginx/a.conf'), []);
		// uWSGI's own http router in front of the workers speaks HTTP
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nhttp = :8000\nsocket = /tmp/x.sock\n', '/w/nginx/a.conf': 'location / { proxy_pass http://django:8000; }\n' }, '/w/nginx/a.conf'), []);
		// the protocol option changes what socket speaks
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nprotocol = http\nsocket = 127.0.0.1:9000\n', '/w/nginx/a.conf': 'location / { proxy_pass http://127.0.0.1:9000; }\n' }, '/w/nginx/a.conf'), []);
	});
});

describe('socket-not-served', () => {
	it('fires on a drifted path or port, on the pass or on the upstream server line', () => {
		const r = check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/uwsgi/app.sock\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:/run/uwsgi/ap.sock; }\n' }, '/w/nginx/a.conf');
		assert.deepEqual(codes(r), ['socket-not-served unix:/run/uwsgi/ap.sock']);
		assert.equal(r[0].diag.severity, 2);
		assert.deepEqual((r[0].diag.data as { candidates: { address: string }[] }).candidates.map(c => c.address), ['unix:/run/uwsgi/app.sock']);
		const r2 = check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = :8001\n', '/w/nginx/a.conf': 'upstream django {\n    server 127.0.0.1:8000;\n}\nserver { location / { include uwsgi_params; uwsgi_pass django; } }\n' }, '/w/nginx/a.conf');
		assert.deepEqual(codes(r2), ['socket-not-served 127.0.0.1:8000']);
	});
	it('does not fire without uWSGI configs, on proxy_pass to other services, or on docker service names that reach an all-interfaces socket', () => {
		assert.deepEqual(check({ '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:/x.sock; }\n' }, '/w/nginx/a.conf'), []);
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/a.sock\n', '/w/nginx/a.conf': 'location / { proxy_pass http://127.0.0.1:3000; }\n' }, '/w/nginx/a.conf'), []);
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = :9000\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass app:9000; }\n' }, '/w/nginx/a.conf'), []);
		// a socket path that depends on where the ini lives matches by file name
		assert.deepEqual(check({ '/w/deploy/uwsgi.ini': '[uwsgi]\nsocket = %d../app.sock\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:/srv/app/app.sock; }\n' }, '/w/nginx/a.conf'), []);
	});
});

describe('the seam\'s spellings: what nginx connects to and what uWSGI binds', () => {
	const uwsgiCodes = (files: Record<string, string>, file: string) => {
		const { svc, docs } = workspaceOf(files);
		const d = docs.get(file)!;
		return svc.doValidation(d).filter(x => x.code === 'socket-unreferenced').map(x => `${x.code} ${d.getText(x.range)}`);
	};

	it('unix:///path in uwsgi_pass is the path /path, like unix:/path (a drift is reported either way)', () => {
		const ini = '[uwsgi]\nsocket = /tmp/app.sock\n';
		for (const target of ['unix:///tmp/app.sock', 'unix:/tmp/app.sock', 'UNIX:/tmp//app.sock', 'uwsgi://unix:///tmp/app.sock']) {
			assert.deepEqual(check({ '/w/uwsgi.ini': ini, '/w/nginx/a.conf': `location / { include uwsgi_params; uwsgi_pass ${target}; }\n` }, '/w/nginx/a.conf'), [], target);
			assert.deepEqual(uwsgiCodes({ '/w/uwsgi.ini': ini, '/w/nginx/a.conf': `location / { include uwsgi_params; uwsgi_pass ${target}; }\n` }, '/w/uwsgi.ini'), [], target);
		}
		for (const target of ['unix:///tmp/other.sock', 'unix:/tmp/other.sock']) {
			assert.deepEqual(codes(check({ '/w/uwsgi.ini': ini, '/w/nginx/a.conf': `location / { include uwsgi_params; uwsgi_pass ${target}; }\n` }, '/w/nginx/a.conf')), [`socket-not-served ${target}`]);
			assert.deepEqual(uwsgiCodes({ '/w/uwsgi.ini': ini, '/w/nginx/a.conf': `location / { include uwsgi_params; uwsgi_pass ${target}; }\n` }, '/w/uwsgi.ini'), ['socket-unreferenced /tmp/app.sock']);
		}
		// fastcgi_pass and scgi_pass take no scheme; proxy_pass's unix path ends at the next ":"
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nfastcgi-socket = /tmp/f.sock\nhttp-socket = /tmp/h.sock\n', '/w/nginx/a.conf': 'location /f { fastcgi_pass unix:///tmp/f.sock; }\nlocation /h { proxy_pass http://unix:///tmp/h.sock:/app; }\n' }, '/w/nginx/a.conf'), []);
	});

	it('nginx has no abstract sockets: unix:@name is a file, not uWSGI\'s @name', () => {
		const r = check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = @app\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:@app; }\n' }, '/w/nginx/a.conf');
		assert.deepEqual(codes(r), ['socket-not-served unix:@app']);
		assert.match(r[0].diag.message as string, /nginx has no abstract sockets/);
		assert.deepEqual((r[0].diag.data as { candidates: unknown[] }).candidates, []);
	});

	it('a comment after a port: the socket graph uses the port uWSGI binds', () => {
		for (const socket of ['0.0.0.0:8000 ; note', '0.0.0.0:8000 # note', ':8000 # the uwsgi port', '127.0.0.1:8000;x']) {
			const files = { '/w/uwsgi.ini': `[uwsgi]\nsocket = ${socket}\n`, '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass 127.0.0.1:8000; }\n' };
			assert.deepEqual(check(files, '/w/nginx/a.conf'), [], socket);
			assert.deepEqual(uwsgiCodes(files, '/w/uwsgi.ini'), [], socket);
		}
		// a ":" in the comment moves the port: nothing listens on 8000
		const moved = { '/w/uwsgi.ini': '[uwsgi]\nsocket = :8000 # note: main\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass 127.0.0.1:8000; }\n' };
		assert.deepEqual(codes(check(moved, '/w/nginx/a.conf')), ['socket-not-served 127.0.0.1:8000']);
	});
});

describe('timeout-mismatch', () => {
	it('fires on both sides when harakiri is at or above the read timeout', () => {
		const files = { '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/a.sock\nharakiri = 60\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:/run/a.sock; }\n' };
		assert.deepEqual(codes(check(files, '/w/nginx/a.conf')), ['timeout-mismatch unix:/run/a.sock']);
		assert.deepEqual(codes(check(files, '/w/uwsgi.ini')), ['timeout-mismatch 60']);
		const r = check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/a.sock\nharakiri = 30\n', '/w/nginx/a.conf': 'server { uwsgi_read_timeout 20s; location / { include uwsgi_params; uwsgi_pass unix:/run/a.sock; } }\n' }, '/w/nginx/a.conf');
		assert.deepEqual(codes(r), ['timeout-mismatch 20s']);
	});
	it('does not fire when harakiri is below the read timeout, or without harakiri', () => {
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/a.sock\nharakiri = 30\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:/run/a.sock; }\n' }, '/w/nginx/a.conf'), []);
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/a.sock\nharakiri = 100\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_read_timeout 2m; uwsgi_pass unix:/run/a.sock; }\n' }, '/w/nginx/a.conf'), []);
	});
});

describe('socket-permission', () => {
	it('fires when the socket mode and owner keep nginx out', () => {
		const files = { '/w/uwsgi.ini': '[uwsgi]\nuid = root\nsocket = /run/a.sock\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:/run/a.sock; }\n' };
		const r = check(files, '/w/nginx/a.conf');
		assert.deepEqual(codes(r), ['socket-permission unix:/run/a.sock']);
		assert.match(r[0].diag.message as string, /mode 755 .*www-data \(assumed/);
		assert.deepEqual(codes(check(files, '/w/uwsgi.ini')), ['socket-permission /run/a.sock']);
		const r2 = check({ '/w/uwsgi.ini': '[uwsgi]\nuid = app\ngid = app\nchmod-socket = 660\nsocket = /run/a.sock\n', '/w/nginx/nginx.conf': 'user nginx;\nhttp { server { location / { include uwsgi_params; uwsgi_pass unix:/run/a.sock; } } }\n' }, '/w/nginx/nginx.conf');
		assert.match(r2[0].diag.message as string, /run as nginx \(user directive\)/);
	});
	it('does not fire when nginx may connect', () => {
		const pass = 'location / { include uwsgi_params; uwsgi_pass unix:/run/a.sock; }\n';
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nuid = root\nchmod-socket = 666\nsocket = /run/a.sock\n', '/w/nginx/a.conf': pass }, '/w/nginx/a.conf'), []);
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nuid = app\nchown-socket = app:www-data\nchmod-socket = 660\nsocket = /run/a.sock\n', '/w/nginx/a.conf': pass }, '/w/nginx/a.conf'), []);
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nuid = www-data\nsocket = /run/a.sock\n', '/w/nginx/a.conf': pass }, '/w/nginx/a.conf'), []);
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/a.sock\nchmod-socket = 660\n', '/w/nginx/a.conf': pass }, '/w/nginx/a.conf'), []);
	});
});

describe('socket-unreferenced', () => {
	it('hints at a socket nothing points at, when nginx configs exist', () => {
		const files = { '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/a.sock\nsocket = /run/b.sock\n', '/w/nginx/a.conf': 'location / { include uwsgi_params; uwsgi_pass unix:/run/a.sock; }\n' };
		const r = check(files, '/w/uwsgi.ini');
		assert.deepEqual(codes(r), ['socket-unreferenced /run/b.sock']);
		assert.equal(r[0].diag.severity, 4);
		assert.deepEqual(check({ '/w/uwsgi.ini': '[uwsgi]\nsocket = /run/b.sock\n' }, '/w/uwsgi.ini'), []);
	});
});
