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
	it('fires where uWSGI reads something that breaks, saying what it reads', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nworkers = «four»\n', 'uwsgi-invalid-value');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.match(d.message as string, /reads it as 0 and starts with no workers/);
		assertCode('uwsgi', '[uwsgi]\nprocesses = «-2»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nchmod-socket = «0660»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nchmod-socket = «rw»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nbuffer-size = «64k»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nharakiri = «2m»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nfileserve-mode = «apache»\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\n«workers»\n', 'uwsgi-invalid-value');
	});

	it('does not fire on good values, placeholders, environment or magic variables', () => {
		assertCode('uwsgi', '[uwsgi]\nworkers = 4\nharakiri = 30\nbuffer-size = 32768\nchmod-socket = 660\nchmod-socket = 1\nreload-on-rss = 512.5\nfileserve-mode = x-accel-redirect\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\nworkers = %(cores)\nprocesses = $(WORKERS)\nthreads = %k\nharakiri = @(/etc/timeout)\ncores = 2\n', 'uwsgi-invalid-value');
		assertCode('uwsgi', '[uwsgi]\npost-buffering = true\nhttp-keepalive = 1\n', 'uwsgi-invalid-value');
	});

	it('fixes the value to what was meant', () => {
		assert.equal(fix('[uwsgi]\nbuffer-size = 64k\n', 'uwsgi-invalid-value'), '[uwsgi]\nbuffer-size = 65535\n');
		assert.equal(fix('[uwsgi]\nharakiri = 2m\n', 'uwsgi-invalid-value'), '[uwsgi]\nharakiri = 120\n');
		assert.equal(fix('[uwsgi]\nchmod-socket = 0660\n', 'uwsgi-invalid-value'), '[uwsgi]\nchmod-socket = 660\n');
	});
});

describe('uwsgi-misread-number', () => {
	it('fires where uWSGI reads another number than written but still runs', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nharakiri = «30s»\n', 'uwsgi-misread-number');
		assert.equal(d.severity, DiagnosticSeverity.Warning);
		assert.match(d.message as string, /reads 30 seconds/);
		assertCode('uwsgi', '[uwsgi]\npost-buffering = «true»\n', 'uwsgi-misread-number');
		assertCode('uwsgi', '[uwsgi]\nbuffer-size = «100000»\n', 'uwsgi-misread-number');
		assertCode('uwsgi', '[uwsgi]\nbuffer-size = «32768k»\n', 'uwsgi-misread-number');
	});

	it('does not fire on plain numbers or on values with an inline comment (that rule explains them)', () => {
		assertCode('uwsgi', '[uwsgi]\nmax-requests = 1000\nmax-requests-delta = 0\nlisten = 1024\nmax-requests = 5000  # recycle\n', 'uwsgi-misread-number');
	});

	it('fixes to the bare number', () => {
		assert.equal(fix('[uwsgi]\nharakiri = 30s\n', 'uwsgi-misread-number'), '[uwsgi]\nharakiri = 30\n');
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
	it('fires on the comment part of a value', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\nsocket = /run/app.sock «# main»\n', 'uwsgi-inline-comment');
		assert.match(d.message as string, /value of "socket" is "\/run\/app\.sock # main"/);
		assertCode('uwsgi', '[uwsgi]\nworkers = 4    «; four workers»\n', 'uwsgi-inline-comment');
		const [b] = assertCode('uwsgi', '[uwsgi]\nmaster = false «# off for now»\n', 'uwsgi-inline-comment');
		assert.match(b.message as string, /no longer reads as false: the option is ON/);
	});

	it('does not fire on comment lines, # without a blank before it, or shell commands', () => {
		assertCode('uwsgi', '[uwsgi]\n# socket = x # y\n; z\nsocket = /run/a#b.sock\nattach-daemon = cd /srv ; ./run # worker\nroute = ^/x$ redirect:/y#frag\ncron = 0 0 -1 -1 -1 ./clean.sh # nightly\n', 'uwsgi-inline-comment');
	});

	it('moves the comment onto its own line above, keeping indentation', () => {
		assert.equal(fix('[uwsgi]\n  socket = /run/app.sock   # main\nmaster = true\n', 'uwsgi-inline-comment'), '[uwsgi]\n  # main\n  socket = /run/app.sock\nmaster = true\n');
		assert.equal(fix('[uwsgi]\nworkers = 4 ; four\n', 'uwsgi-inline-comment'), '[uwsgi]\n; four\nworkers = 4\n');
	});

	it('regression: in a CRLF file the moved comment ends its line with CRLF (it got a lone LF)', () => {
		assert.equal(fix('[uwsgi]\r\nworkers = 4 # four\r\n', 'uwsgi-inline-comment'), '[uwsgi]\r\n# four\r\nworkers = 4\r\n');
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

	it('renames the header or adds one', () => {
		assert.equal(fix('[ uwsgi ]\nsocket = :1\n', 'uwsgi-no-uwsgi-section'), '[uwsgi]\nsocket = :1\n');
		assert.equal(fix('[uwsgi] # main\nsocket = :1\n', 'uwsgi-no-uwsgi-section'), '[uwsgi]\nsocket = :1\n');
		assert.equal(fix('# app\nsocket = :1\n', 'uwsgi-no-uwsgi-section'), '# app\n[uwsgi]\nsocket = :1\n');
	});
});

describe('uwsgi-public-socket and uwsgi-public-stats', () => {
	it('fire on every-interface bindings', () => {
		for (const v of [':3031', '0.0.0.0:3031', '[::]:3031', '*:3031']) {
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
