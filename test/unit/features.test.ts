import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { cursor, doc, service } from '../helpers/text';
import type { Lang } from '../helpers/text';

const svc = service();
before(() => svc.ready);

function hoverAt(lang: Lang, text: string): string {
	const c = cursor(text);
	const d = doc(lang, c.text);
	const h = svc.doHover(d, d.positionAt(c.offset));
	if (!h) { return ''; }
	return typeof h.contents === 'string' ? h.contents : 'value' in h.contents ? h.contents.value : '';
}

function completionLabels(lang: Lang, text: string): string[] {
	const c = cursor(text);
	const d = doc(lang, c.text);
	return svc.doComplete(d, d.positionAt(c.offset)).items.map(i => i.label);
}

describe('hover', () => {
	it('documents a uWSGI option with facts and a docs link', () => {
		const h = hoverAt('uwsgi', '[uwsgi]\nhara|kiri = 30\n');
		assert.match(h, /\*\*harakiri\*\*/);
		assert.match(h, /uwsgi_read_timeout/);
		assert.match(h, /Needs the master/);
		assert.match(h, /Options\.html#harakiri/);
	});

	it('shows the value of a placeholder and what a magic variable expands to', () => {
		assert.match(hoverAt('uwsgi', '[uwsgi]\nbase = /srv/app\nchdir = %(ba|se)\n'), /`\/srv\/app`/);
		assert.match(hoverAt('uwsgi', '[uwsgi]\nchdir = %|d\n'), /directory of this config file.*`\/test\/`/);
	});

	it('evaluates placeholder math left to right without precedence, as uWSGI does', () => {
		assert.match(hoverAt('uwsgi', '[uwsgi]\nnum = 4\nx = %(num + 3 |* 2)\n'), /= `14`/);
		assert.match(hoverAt('uwsgi', '[uwsgi]\nnum = 4\nx = %(num |/ 0)\n'), /= `0`/);
		assert.match(hoverAt('uwsgi', '[uwsgi]\na = /srv\nb = app\nx = %(a |b)\n'), /= `\/srvapp`/);
		assert.match(hoverAt('uwsgi', '[uwsgi]\nx = %(|later)\nlater = %(base)/x\nbase = /srv\n'), /= `\/srv\/x`/);
		assert.match(hoverAt('uwsgi', '[uwsgi]\nset-ph = port=8000\nsocket = :%(po|rt)\n'), /= `8000`/);
		assert.match(hoverAt('uwsgi', '[uwsgi]\nx = %(nob|ody)\n'), /leaves the text as it is/);
	});

	it('documents an nginx directive from the official reference, with a link', () => {
		const h = hoverAt('nginx', 'location / {\n    uwsgi_p|ass unix:/run/a.sock;\n}\n');
		assert.match(h, /\*\*uwsgi_pass\*\*/);
		assert.match(h, /Context: location, if in location/);
		assert.match(h, /nginx\.org\/en\/docs\/http\/ngx_http_uwsgi_module\.html#uwsgi_pass/);
	});

	it('names the context of a directive the reference gives none for (include: any)', () => {
		assert.match(hoverAt('nginx', 'http { incl|ude mime.types; }'), /\nContext: any\n/);
	});

	it('documents nginx variables', () => {
		assert.match(hoverAt('nginx', 'location / { return 200 $request_|uri; }'), /\$request_uri/);
	});

	it('returns nothing on unknown words', () => {
		assert.equal(hoverAt('uwsgi', '[uwsgi]\nvac|cum = 1\n'), '');
		assert.equal(hoverAt('nginx', 'uwsgi_p|as x;'), '');
	});
});

describe('completion', () => {
	it('offers uWSGI option names at the start of a line, as snippets', () => {
		const labels = completionLabels('uwsgi', '[uwsgi]\nvac|\n');
		assert.ok(labels.includes('vacuum'));
		assert.ok(labels.includes('socket'));
	});

	it('offers true/false for switches and plugin names after plugin =', () => {
		assert.deepEqual(completionLabels('uwsgi', '[uwsgi]\nmaster = |\n'), ['true', 'false']);
		assert.ok(completionLabels('uwsgi', '[uwsgi]\nplugins = py|\n').includes('python'));
	});

	it('offers the fixed values of an option', () => {
		assert.ok(completionLabels('uwsgi', '[uwsgi]\nprotocol = |\n').includes('fastcgi'));
		assert.ok(completionLabels('uwsgi', '[uwsgi]\nfileserve-mode = |\n').includes('x-accel-redirect'));
	});

	it('offers placeholders after %(', () => {
		assert.ok(completionLabels('uwsgi', '[uwsgi]\nbase = /x\nchdir = %(|\n').includes('base'));
	});

	it('offers nginx directives allowed in the enclosing context only', () => {
		const inLocation = completionLabels('nginx', 'http { server { location / {\n    |\n} } }');
		assert.ok(inLocation.includes('uwsgi_pass'));
		assert.ok(!inLocation.includes('worker_processes'));
		assert.ok(!inLocation.includes('upstream'));
		const inHttp = completionLabels('nginx', 'http {\n    |\n}');
		assert.ok(inHttp.includes('upstream'));
		assert.ok(!inHttp.includes('uwsgi_pass'));
	});

	it('offers enum values of the directive being written', () => {
		assert.deepEqual(completionLabels('nginx', 'http { proxy_buffering |'), ['on', 'off']);
	});
});

describe('symbols and folding', () => {
	it('lists uWSGI sections with their options', () => {
		const d = doc('uwsgi', '[uwsgi]\nsocket = :1\nmaster = true\n\n[dev]\nworkers = 1\n');
		const symbols = svc.findDocumentSymbols(d);
		assert.deepEqual(symbols.map(s => [s.name, s.children?.map(c => c.name)]), [['[uwsgi]', ['socket', 'master']], ['[dev]', ['workers']]]);
		assert.deepEqual(svc.getFoldingRanges(d).map(r => [r.startLine, r.endLine]), [[0, 2], [4, 5]]);
	});

	it('lists nginx blocks with their key directives', () => {
		const d = doc('nginx', 'http {\n  upstream app { server unix:/a.sock; }\n  server {\n    listen 80;\n    location / {\n      uwsgi_pass app;\n    }\n  }\n}\n');
		const [http] = svc.findDocumentSymbols(d);
		assert.equal(http.name, 'http');
		assert.deepEqual(http.children!.map(c => c.name), ['upstream app', 'server']);
		const server = http.children![1];
		assert.deepEqual(server.children!.map(c => c.name), ['listen', 'location /']);
		assert.deepEqual(svc.getFoldingRanges(d).map(r => [r.startLine, r.endLine]), [[0, 7], [2, 6], [4, 5]]);
	});
});
