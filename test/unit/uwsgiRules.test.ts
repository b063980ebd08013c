/** Every uWSGI code: must-fire cases with exact ranges («…»), must-not-fire cases, and the quick fixes. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { applyEdits, assertCode, doc, service } from '../helpers/text';

function fix(text: string, code: string, title?: string): string {
	const svc = service();
	const d = doc('uwsgi', text);
	const diags = svc.doValidation(d).filter(x => x.code === code);
	assert.ok(diags.length, `${code} did not fire`);
	const actions = svc.doCodeActions(d, diags[0].range, [diags[0]]);
	const chosen = title ? actions.find(a => a.title === title) : actions[0];
	assert.ok(chosen, `no action ${title ?? ''} among ${actions.map(a => a.title).join(', ')}`);
	return applyEdits(text, d, chosen.edit!.changes![d.uri]);
}

describe('uwsgi-unknown-option candidates', () => {
	const candidates = (text: string) => {
		const d = service().doValidation(doc('uwsgi', text)).find(x => x.code === 'uwsgi-unknown-option');
		assert.ok(d, 'uwsgi-unknown-option did not fire');
		return (d.data as { candidates: string[] }).candidates;
	};

	it('regression: a block opener is no candidate for a setting (changing foo to "for" left an unclosed block)', () => {
		assert.ok(!candidates('[uwsgi]\nfoo = @(/tmp/foobar)\n').includes('for'));
	});

	it('regression: looking for a stray end stays linear (it scanned every syntax problem for every unknown option)', () => {
		const text = '[uwsgi]\n' + 'x = %%%\n'.repeat(100_000);
		const started = performance.now();
		const found = service().doValidation(doc('uwsgi', text)).filter(d => d.code === 'uwsgi-unknown-option').length;
		const ms = performance.now() - started;
		assert.equal(found, 100_000);
		// linear: about a second for these 800 KB; the scan per option took half a minute
		assert.ok(ms < 8000, `validating 100,000 unknown options with a syntax problem each took ${ms.toFixed(0)} ms`);
	});

	it('a block opener is a candidate where a stray end below waits for one', () => {
		assert.ok(candidates('[uwsgi]\nfoo = a b c\nenv = X=%(_)\nendfor =\n').includes('for'));
	});
});

describe('uwsgi-invalid-value', () => {
	it('fires where uWSGI stops at startup or every request fails, saying what it reads', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nworkers = «four»\n', 'uwsgi-invalid-value');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.match(d.message as string, /reads it as 0 and starts with no workers/);
		assertCode('uwsgi', '[uwsgi]\nprocesses = «-2»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nharakiri = «-1»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nchmod-socket = «0660»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nchmod-socket = «rw»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\n«chmod-socket»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nlogfile-chmod = «0644»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nbuffer-size = «64k»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\n«workers»\n', 'uwsgi-invalid-value');
	});

	it('every option with a fixed set of names: an unknown one stops uWSGI', () => {
		const [p] = assertCode('uwsgi', '[uwsgi]\nsocket = :3031\nprotocol = «htpp»\n', 'uwsgi-invalid-value');
		assert.match(p.message as string, /stops at startup with "unable to find protocol htpp"/);
		// protocols are compared exactly
		assertCode('uwsgi', '[uwsgi]\nsocket-protocol = «HTTP»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nloop = «geventt»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nlock-engine = «pthread»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nunshare = «net,fs,pids»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\ncap = «foo»\n', 'uwsgi-invalid-value');
		const [l] = assertCode('uwsgi', '[uwsgi]\nlogger = «files:/var/log/app.log»\n', 'uwsgi-invalid-value');
		assert.match(l.message as string, /logger "files".*unable to find logger files/);
		assertCode('uwsgi', '[uwsgi]\nreq-logger = «applog nofile:/x»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nlog-encoder = «jsn {"msg":"${msg}"}»\n', 'uwsgi-invalid-value');
	});

	it('every name any plugin registers is accepted', () => {
		assertCode('uwsgi', '[uwsgi]\nprotocol = http\nsocket-protocol = fastcgi-nph\nloop = gevent\nlock-engine = ipcsem\nunshare = ipc,uts,mount\ncap = setgid,setuid,12\nlogger = file:/var/log/app.log\nlogger = applog syslog:uwsgi\nreq-logger = file:/tmp/req.log\nlog-encoder = json {"msg":"${msg}"}\nlog-encoder = format:req [${strftime:%%d}] ${msg}\nprotocol = mongrel2\n', 'uwsgi-invalid-value');
	});

	it('value shapes that stop uWSGI: sockets, SSL sockets, key=value options, routes, hooks', () => {
		assertCode('uwsgi', '[uwsgi]\nhttps-socket = «:8443»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nhttps-socket = «:8443,cert.pem»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nsocket = «*:3031»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\n«socket» =\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nstatic-map = «/static»\nset = «base»\nmount = «/app»\nstatic-expires = «/static/*»\n', 'uwsgi-invalid-value');
		const [r] = assertCode('uwsgi', '[uwsgi]\nroute = «^/x$ foo:bar»\n', 'uwsgi-invalid-value');
		assert.match(r.message as string, /route action "foo"/);
		assertCode('uwsgi', '[uwsgi]\nroute = «^/x$ last»\nroute = «^/nospace»\nroute-if = «foo:x log:y»\nroute-if-not = «equal log:y»\n', 'uwsgi-invalid-value');
		const [h] = assertCode('uwsgi', '[uwsgi]\nhook-pre-app = «foo:bar»\nhook-asap = «mkdir /run/app»\n', 'uwsgi-invalid-value');
		assert.match(h.message as string, /hook action not found: foo/);
		assertCode('uwsgi', '[uwsgi]\nalarm = «mail nosuch:x»\nalarm = «mailonly»\nalarm = mail cmd:mail -s alarm admin@example.com\nalarm = seg signal:9\n', 'uwsgi-invalid-value');
	});

	it('a plugin from outside uWSGI\'s repository may bring names of its own: they are not judged', () => {
		assertCode('uwsgi', '[uwsgi]\nplugins = python3,/opt/acme/acmerouter_plugin.so\nroute = ^/x$ acme:y\nhook-asap = acmehook:z\nlogger = acmelog:x\nloop = acmeloop\nlock-engine = «nope»\n', 'uwsgi-invalid-value');
		// versioned builds of uWSGI's own plugins are uWSGI's
		assertCode('uwsgi', '[uwsgi]\nplugins = python311,rack_ruby30,lua51,router_cache,0:php\nroute = «^/x$ acme:y»\n', 'uwsgi-invalid-value');
	});

	it('good shapes: routes, hooks, sockets, key=value options', () => {
		assertCode('uwsgi', '[uwsgi]\nhttps-socket = :8443,cert.pem,key.pem\nsocket = 192.168.*:3031\nsocket = [::]:3031\nstatic-map = /static=/srv/static\nset = base=/srv\nmount = /app=app.py\nstatic-expires = /static/* 3600\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nroute = ^/x$ last:\nroute = .* addheader:Server: x\nroute-run = cache:key=${REQUEST_URI},name=files\nroute-if-not = equal:${HTTPS};on redirect-permanent:https://${HTTP_HOST}${REQUEST_URI}\nroute-label = cacheme\nresponse-route-run = last:\nerror-route-status = 404 redirect:/\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nhook-pre-app = exec:./manage.py migrate\nhook-asap = !exec:secret\nhook-master-start = unix_signal:15 gracefully_kill_them_all\nhook-touch = /tmp/x exec:y\nhook-as-user-atexit = nocolon\n', 'uwsgi-invalid-value');
	});

	it('an inline comment that stops uWSGI is an error, with the fix that moves it away', () => {
		const [c] = assertCode('uwsgi', '[uwsgi]\nchmod-socket = «664 # nginx group»\n', 'uwsgi-invalid-value');
		assert.match(c.message as string, /invalid chmod value: 664 # nginx group.*no inline comments/);
		assertCode('uwsgi', '[uwsgi]\nchdir = «/srv/app  # comment»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nprotocol = «uwsgi # the default»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nhome = «/srv/venv ; venv»\nuid = «www-data # nginx»\ngid = «www-data # nginx»\nchown-socket = «app:www-data # x»\nini = «base.ini # shared»\nchroot = «/jail # x»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nhttps-socket = «:8443,c.pem,k.pem # tls»\n', 'uwsgi-invalid-value');
		// what is an error is not also an inline-comment warning
		assertCode('uwsgi', '[uwsgi]\nchmod-socket = 664 # nginx group\nchdir = /srv/app # x\n', 'uwsgi-inline-comment');
		assert.equal(fix('[uwsgi]\nchmod-socket = 664   # nginx group\n', 'uwsgi-invalid-value'), '[uwsgi]\n# nginx group\nchmod-socket = 664\n');
		assert.equal(fix('[uwsgi]\n  chdir = /srv/app ; x\n', 'uwsgi-invalid-value'), '[uwsgi]\n  ; x\n  chdir = /srv/app\n');
	});

	it('does not fire on good values, placeholders, environment or magic variables', () => {
		assertCode('uwsgi', '[uwsgi]\nworkers = 4\nharakiri = 30\nbuffer-size = 32768\nchmod-socket = 660\nchmod-socket = 1\nreload-on-rss = 512.5\nfileserve-mode = x-accel-redirect\nlogfile-chmod = 640\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nworkers = %(cores)\nprocesses = $(WORKERS)\nthreads = %k\nharakiri = @(/etc/timeout)\ncores = 2\nprotocol = $(PROTO)\nchmod-socket = %(mode)\nmode = 660\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\npost-buffering = true\nhttp-keepalive = 1\nharakiri = 2m\nmax-requests = -1\n', 'uwsgi-invalid-value');
	});

	it('fixes the value to what was meant', () => {
		assert.equal(fix('[uwsgi]\nbuffer-size = 64k\n', 'uwsgi-invalid-value'), '[uwsgi]\nbuffer-size = 65535\n');
		assert.equal(fix('[uwsgi]\nchmod-socket = 0660\n', 'uwsgi-invalid-value'), '[uwsgi]\nchmod-socket = 660\n');
		assert.equal(fix('[uwsgi]\nsocket = *:3031\n', 'uwsgi-invalid-value'), '[uwsgi]\nsocket = :3031\n');
	});
});

describe('uwsgi-ignored-value', () => {
	it('fires on a name uWSGI ignores or replaces by its default, and starts anyway', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nfileserve-mode = «apache»\n', 'uwsgi-ignored-value');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /ignores the option/);
		const [c] = assertCode('uwsgi', '[uwsgi]\ncheaper-algo = «spar»\n', 'uwsgi-ignored-value');
		assert.match(c.message as string, /uses "spare" instead/);
		assertCode('uwsgi', '[uwsgi]\nsubscription-algo = «round-robin»\ncap = «setgid,chwn»\n', 'uwsgi-ignored-value');
	});

	it('fixes to the closest known name', () => {
		assert.equal(fix('[uwsgi]\ncheaper-algo = spar\n', 'uwsgi-ignored-value'), '[uwsgi]\ncheaper-algo = spare\n');
		assert.equal(fix('[uwsgi]\nprotocol = htpp\n', 'uwsgi-invalid-value'), '[uwsgi]\nprotocol = http\n');
		assert.equal(fix('[uwsgi]\nlogger = applog fille:/var/log/app.log\n', 'uwsgi-invalid-value'), '[uwsgi]\nlogger = applog file:/var/log/app.log\n');
	});

	it('does not fire on known names, in any case where uWSGI ignores case', () => {
		assertCode('uwsgi', '[uwsgi]\nfileserve-mode = X-Accel-Redirect\ncheaper-algo = busyness\nsubscription-algo = lrc\ncap = setgid,setuid\n', 'uwsgi-ignored-value');
	});
});

describe('uwsgi-misread-number', () => {
	it('fires where uWSGI reads another number than written but still runs', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nharakiri = «2m»\n', 'uwsgi-misread-number');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /reads 2 seconds, not 120/);
		assertCode('uwsgi', '[uwsgi]\npost-buffering = «true»\n', 'uwsgi-misread-number');
		assertCode('uwsgi', '[uwsgi]\nbuffer-size = «100000»\n', 'uwsgi-misread-number');
		assertCode('uwsgi', '[uwsgi]\nbuffer-size = «32768k»\n', 'uwsgi-misread-number');
		assertCode('uwsgi', '[uwsgi]\nmax-requests = «-1»\nlisten = «1024x»\n', 'uwsgi-misread-number');
		assertCode('uwsgi', '[uwsgi]\nreload-on-rss = «1G»\n', 'uwsgi-misread-number');
		const [u] = assertCode('uwsgi', '[uwsgi]\numask = «22»\n', 'uwsgi-misread-number');
		assert.match(u.message as string, /invalid umask: 22.*000/);
		assertCode('uwsgi', '[uwsgi]\numask = «00022»\n', 'uwsgi-misread-number');
	});

	it('does not fire where the number read is the number meant', () => {
		// one byte off 64 KiB, a unit that agrees with the option's, words after the number, a comment
		assertCode('uwsgi', '[uwsgi]\nbuffer-size = 65536\nharakiri = 30s\nsocket-timeout = 600 seconds\nworkers = 4 workers\nreload-on-rss = 512M\nbuffer-size = 32768 bytes\n', 'uwsgi-misread-number');
		assertCode('uwsgi', '[uwsgi]\nmax-requests = 1000\nmax-requests-delta = 0\nlisten = 1024\nmax-requests = 5000  # recycle\nsocket-timeout = 600  # seconds\numask = 022\numask = 0022\n', 'uwsgi-misread-number');
	});

	it('fixes to the number meant', () => {
		assert.equal(fix('[uwsgi]\nharakiri = 2m\n', 'uwsgi-misread-number'), '[uwsgi]\nharakiri = 120\n');
		assert.equal(fix('[uwsgi]\nlisten = 1024x\n', 'uwsgi-misread-number'), '[uwsgi]\nlisten = 1024\n');
	});
});

describe('uwsgi-suspicious-boolean', () => {
	it('fires on words that are not booleans, with the likely fix first', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nmaster = «ture»\n', 'uwsgi-suspicious-boolean');
		assert.deepEqual((d.data as { candidates: string[] }).candidates, ['true', 'false']);
		const [f] = assertCode('uwsgi', '[uwsgi]\nlazy-apps = «flase»\n', 'uwsgi-suspicious-boolean');
		assert.deepEqual((f.data as { candidates: string[] }).candidates, ['false', 'true']);
		const [g] = assertCode('uwsgi', '[uwsgi]\nvacuum = «disabled»\n', 'uwsgi-suspicious-boolean');
		assert.equal((g.data as { candidates: string[] }).candidates[0], 'false');
	});

	it('does not fire on true/false/on/off/yes/no/1/0 in any case, or a bare key', () => {
		assertCode('uwsgi', '[uwsgi]\nmaster = true\nvacuum = False\nlazy-apps = ON\nthunder-lock = off\nenable-threads = yes\nsingle-interpreter = No\ndie-on-term = 1\nstrict = 0\nneed-app\n', 'uwsgi-suspicious-boolean');
	});

	it('fixes to true or false', () => {
		assert.equal(fix('[uwsgi]\nlazy-apps = flase\n', 'uwsgi-suspicious-boolean'), '[uwsgi]\nlazy-apps = false\n');
		assert.equal(fix('[uwsgi]\nmaster = ture\n', 'uwsgi-suspicious-boolean', "Change to 'false'"), '[uwsgi]\nmaster = false\n');
	});
});

describe('uwsgi-duplicate-option', () => {
	it('fires on the overridden occurrences; aliases count as one option', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\n«workers» = 2\nmaster = true\nprocesses = 4\n', 'uwsgi-duplicate-option');
		assert.match(d.message as string, /line 4 \("processes = 4"\)/);
		assert.equal(d.relatedInformation?.[0].location.range.start.line, 3);
		assertCode('uwsgi', '[uwsgi]\n«harakiri» = 20\n[uwsgi]\n«harakiri» = 30\nharakiri = 40\n', 'uwsgi-duplicate-option');
	});

	it('does not fire on repeatable options, other sections, or alternatives in logic blocks', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket = :1\nsocket = :2\nenv = A=1\nenv = B=2\nroute = ^/a last:\nroute = ^/b last:\nplugins = python3\nplugins = router_basicauth\n', 'uwsgi-duplicate-option');
		assertCode('uwsgi', '[uwsgi]\nworkers = 2\n[prod]\nworkers = 8\nmaster = true\n', 'uwsgi-duplicate-option');
		assertCode('uwsgi', '[uwsgi]\nworkers = 2\nif-env = PROD\nworkers = 8\nendif =\n', 'uwsgi-duplicate-option');
	});

	it('removes the overridden line', () => {
		assert.equal(fix('[uwsgi]\nworkers = 2\nprocesses = 4\n', 'uwsgi-duplicate-option'), '[uwsgi]\nprocesses = 4\n');
	});
});

describe('uwsgi-inline-comment', () => {
	it('fires where the comment changes what uWSGI uses: a path, a module, a switch written false', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock «# main»\n', 'uwsgi-inline-comment');
		assert.match(d.message as string, /value of "socket" is "\/run\/app\.sock # main".*creates the socket file under that name, not "\/run\/app\.sock"/);
		const [b] = assertCode('uwsgi', '[uwsgi]\nmaster = false «# off for now»\n', 'uwsgi-inline-comment');
		assert.match(b.message as string, /"false" reads as TRUE.*the option is ON/);
		assertCode('uwsgi', '[uwsgi]\nvacuum = 0 «; later»\ndisable-logging = no «# x»\n', 'uwsgi-inline-comment');
		assertCode('uwsgi', '[uwsgi]\nmodule = app:application «# the app»\nwsgi-file = app.py «; x»\npidfile = /run/app.pid «# x»\nlogto = /var/log/app.log «# x»\n', 'uwsgi-inline-comment');
		// a ":" in the comment turns a socket path into a TCP address; the port of a TCP address moves
		const [t] = assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock «# note: main»\n', 'uwsgi-inline-comment');
		assert.match(t.message as string, /makes it a TCP address/);
		assertCode('uwsgi', '[uwsgi]\nsocket = :8000 «# note: x»\n', 'uwsgi-inline-comment');
		assertCode('uwsgi', '[uwsgi]\nlogger = file:/tmp/app.log «# everything else»\n', 'uwsgi-inline-comment');
		const [f] = assertCode('uwsgi', '[uwsgi]\ncheaper-algo = busyness «# adaptive»\nfileserve-mode = nginx «# x»\n', 'uwsgi-inline-comment');
		assert.match(f.message as string, /uses "spare" instead/);
	});

	it('does not fire where uWSGI reads the value as meant: numbers, true switches, ports', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket-timeout = 600  # seconds\nworkers = 4    ; four workers\nbuffer-size = 32768 # 32k\nreload-on-rss = 512 # MB\nmaster = true # x\nvacuum = 1 ; yes\nenable-threads # x\n', 'uwsgi-inline-comment');
		const svc = service();
		const d = doc('uwsgi', '[uwsgi]\nsocket = 0.0.0.0:8000 ; note\nhttp-socket = :9000 # note\nstats = 127.0.0.1:9191 # x\n');
		const diags = svc.doValidation(d);
		assert.deepEqual(diags.filter(x => x.code === 'uwsgi-inline-comment'), []);
		// the messages give the port uWSGI binds, not the comment
		const pub = diags.filter(x => x.code === 'uwsgi-public-socket').map(x => x.message as string);
		assert.equal(pub.length, 2);
		assert.match(pub[0], /listens on port 8000 of every interface/);
		assert.match(pub[1], /listens on port 9000 of every interface/);
	});

	it('does not fire on comment lines, # without a blank before it, or shell commands', () => {
		assertCode('uwsgi', '[uwsgi]\n# socket = x # y\n; z\nsocket = /run/a#b.sock\nattach-daemon = cd /srv ; ./run # worker\nroute = ^/x$ redirect:/y#frag\ncron = 0 0 -1 -1 -1 ./clean.sh # nightly\n', 'uwsgi-inline-comment');
	});

	it('moves the comment onto its own line above, keeping indentation', () => {
		assert.equal(fix('[uwsgi]\n  socket = /run/app.sock   # main\nmaster = true\n', 'uwsgi-inline-comment'), '[uwsgi]\n  # main\n  socket = /run/app.sock\nmaster = true\n');
		assert.equal(fix('[uwsgi]\nmaster = false ; later\n', 'uwsgi-inline-comment'), '[uwsgi]\n; later\nmaster = false\n');
	});

	it('regression: in a CRLF file the moved comment ends its line with CRLF (it got a lone LF)', () => {
		assert.equal(fix('[uwsgi]\r\nmodule = app # four\r\n', 'uwsgi-inline-comment'), '[uwsgi]\r\n# four\r\nmodule = app\r\n');
	});
});

describe('uwsgi-no-uwsgi-section in a CRLF file', () => {
	it('regression: the inserted header ends with CRLF (it got a lone LF)', () => {
		assert.equal(fix('socket = :1\r\nmaster = true\r\n', 'uwsgi-no-uwsgi-section'), '[uwsgi]\r\nsocket = :1\r\nmaster = true\r\n');
	});
});

describe('uwsgi-no-uwsgi-section', () => {
	it('fires on near-miss headers and on keys without any header', () => {
		const [d] = assertCode('uwsgi', '«[ uwsgi ]»\nsocket = :1\n', 'uwsgi-no-uwsgi-section');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.match(d.message as string, /section " uwsgi "/);
		assertCode('uwsgi', '«[uWSGI]»\nmaster = true\n', 'uwsgi-no-uwsgi-section');
		assertCode('uwsgi', '«[uwsgi] # main»\nmaster = true\n', 'uwsgi-no-uwsgi-section');
		assertCode('uwsgi', '«socket» = :1\nmaster = true\n', 'uwsgi-no-uwsgi-section');
	});

	it('does not fire with a [uwsgi] section, or on files whose sections are meant for file.ini:name', () => {
		assertCode('uwsgi', '[uwsgi]\nmaster = true\n[ uwsgi ]\nx = 1\n', 'uwsgi-no-uwsgi-section');
		assertCode('uwsgi', '[production]\nmaster = true\n[staging]\nmaster = true\n', 'uwsgi-no-uwsgi-section');
		assertCode('uwsgi', '', 'uwsgi-no-uwsgi-section');
	});

	it('fires on a byte-order mark before [uwsgi], naming it; the fix removes it', () => {
		const [d] = assertCode('uwsgi', '«\uFEFF[uwsgi]»\nsocket = :1\nmaster = true\n', 'uwsgi-no-uwsgi-section');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.match(d.message as string, /invisible UTF-8 byte-order mark.*the 2 options/);
		assert.equal(fix('\uFEFF[uwsgi]\r\nsocket = :1\r\n', 'uwsgi-no-uwsgi-section'), '[uwsgi]\r\nsocket = :1\r\n');
		// a mark before a comment line: the [uwsgi] header below it is found
		assertCode('uwsgi', '\uFEFF# app\n[uwsgi]\nsocket = :1\n', 'uwsgi-no-uwsgi-section');
	});

	it('renames the header or adds one', () => {
		assert.equal(fix('[ uwsgi ]\nsocket = :1\n', 'uwsgi-no-uwsgi-section'), '[uwsgi]\nsocket = :1\n');
		assert.equal(fix('[uwsgi] # main\nsocket = :1\n', 'uwsgi-no-uwsgi-section'), '[uwsgi]\nsocket = :1\n');
		assert.equal(fix('# app\nsocket = :1\n', 'uwsgi-no-uwsgi-section'), '# app\n[uwsgi]\nsocket = :1\n');
	});
});

describe('uwsgi-public-socket and uwsgi-public-stats', () => {
	it('fire on every-interface bindings', () => {
		for (const v of [':3031', '0.0.0.0:3031', '[::]:3031']) {
			assertCode('uwsgi', `[uwsgi]\nsocket = «${v}»\n`, 'uwsgi-public-socket');
		}
		assertCode('uwsgi', '[uwsgi]\nhttp-socket = «:8000»\nuwsgi-socket = «0.0.0.0:3031»\nhttps-socket = «:443,cert.pem,key.pem»\n', 'uwsgi-public-socket');
		assertCode('uwsgi', '[uwsgi]\nstats = «:9191»\n', 'uwsgi-public-stats');
		assertCode('uwsgi', '[uwsgi]\nstats-server = «0.0.0.0:9191»\n', 'uwsgi-public-stats');
	});

	it('do not fire on loopback, unix sockets, named hosts, placeholders or the http router', () => {
		assertCode('uwsgi', '[uwsgi]\nsocket = 127.0.0.1:3031\nsocket = /run/uwsgi/app.sock\nsocket = @abstract\nsocket = localhost:3031\nsocket = 10.0.0.5:3031\nsocket = %(host):3031\nhttp = :80\nstats = /tmp/stats.sock\nstats = 127.0.0.1:9191\n', 'uwsgi-public-socket');
		assertCode('uwsgi', '[uwsgi]\nstats = 127.0.0.1:9191\nsocket = :3031\n', 'uwsgi-public-stats');
	});

	it('binds to loopback', () => {
		assert.equal(fix('[uwsgi]\nsocket = :3031\n', 'uwsgi-public-socket'), '[uwsgi]\nsocket = 127.0.0.1:3031\n');
		assert.equal(fix('[uwsgi]\nstats = 0.0.0.0:9191\n', 'uwsgi-public-stats'), '[uwsgi]\nstats = 127.0.0.1:9191\n');
		assert.equal(fix('[uwsgi]\nhttps-socket = [::]:443,c.pem,k.pem\n', 'uwsgi-public-socket'), '[uwsgi]\nhttps-socket = 127.0.0.1:443,c.pem,k.pem\n');
	});
});

describe('uwsgi-runs-as-root', () => {
	it('fires on uid root or 0', () => {
		assertCode('uwsgi', '[uwsgi]\nuid = «root»\n', 'uwsgi-runs-as-root');
		assertCode('uwsgi', '[uwsgi]\nuid = «0»\n', 'uwsgi-runs-as-root');
	});
	it('does not fire on other users', () => {
		assertCode('uwsgi', '[uwsgi]\nuid = www-data\ngid = root\nuid = %(user)\n', 'uwsgi-runs-as-root');
	});
});

describe('uwsgi-syntax', () => {
	it('fires on unclosed and nested logic blocks and on % at the end of a line', () => {
		assertCode('uwsgi', '[uwsgi]\n«if-env» = DEBUG\npy-autoreload = 1\n', 'uwsgi-syntax');
		assertCode('uwsgi', '[uwsgi]\nif-env = A\n«if-exists» = /x\nendif =\n', 'uwsgi-syntax');
		assertCode('uwsgi', '[uwsgi]\nprint = 100«%»\nprint = next\n', 'uwsgi-syntax');
	});
	it('does not fire on closed blocks, %% or a stray end', () => {
		assertCode('uwsgi', '[uwsgi]\nfor = a b\nprint = %(_)\nendfor =\nprint = 100%%\nif-opt = x\nend\n', 'uwsgi-syntax');
	});
});

describe('uwsgi-immediate-reference', () => {
	it('fires on placeholders and variables in options applied before expansion', () => {
		assertCode('uwsgi', '[uwsgi]\nbase = /etc/uwsgi\ninclude = «%(base)»/common.ini\nplugins = «$(PLUGIN)»\nlisten = «%(backlog - 1)»\n', 'uwsgi-immediate-reference');
	});
	it('does not fire on magic variables, %(_) in logic blocks, or ordinary options', () => {
		assertCode('uwsgi', '[uwsgi]\ninclude = %dcommon.ini\nfor = a b\nprint = %(_)\nendfor =\nchdir = %(base)/app\nsocket = $(SOCK)\nbase = /srv\n', 'uwsgi-immediate-reference');
	});
});

describe('uwsgi-unreleased-option', () => {
	it('notes options only 2.1-dev has', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\n«reload-on-pss» = 512\n', 'uwsgi-unreleased-option');
		assert.equal(d.severity, DiagnosticSeverity.Information);
	});
	it('does not fire on released options', () => {
		assertCode('uwsgi', '[uwsgi]\nreload-on-rss = 512\nmaster = true\n', 'uwsgi-unreleased-option');
	});
});
