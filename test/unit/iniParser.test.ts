import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIni, printIni } from '../../server/src/parser/ini/parser';

describe('ini parser', () => {
	it('keeps every byte (lines cover the text)', () => {
		for (const t of ['', '\n', 'a', '[uwsgi]\nmaster = true', '[uwsgi]\r\nx=1\r\n\r\n; c\n# d\n', '  \t\n[a]\n=\n==\n']) {
			assert.equal(printIni(parseIni(t)), t);
		}
	});

	it('trims keys and values the way uWSGI does, and keeps inline comments in the value', () => {
		const doc = parseIni('[uwsgi]\n  socket   =  /run/app.sock # main  \r\nmaster\n');
		const [socket, master] = doc.entries;
		assert.equal(socket.key.text, 'socket');
		assert.equal(socket.value.text, '/run/app.sock # main');
		assert.equal(doc.text.slice(socket.value.offset, socket.value.offset + socket.value.length), '/run/app.sock # main');
		assert.equal(master.key.text, 'master');
		assert.equal(master.equals, -1);
		assert.equal(master.value.text, '');
	});

	it('splits at the first "=" only', () => {
		const [e] = parseIni('[uwsgi]\nenv = A=B=C\n').entries;
		assert.equal(e.key.text, 'env');
		assert.equal(e.value.text, 'A=B=C');
	});

	it('reads section names as uWSGI does: drop the last character, compare literally', () => {
		const doc = parseIni('[ uwsgi ]\na=1\n[uWSGI]\n[uwsgi] # x\n[uwsgi]\n[x\n');
		assert.deepEqual(doc.sections.map(s => s.name), [' uwsgi ', 'uWSGI', 'uwsgi] # ', 'uwsgi', '']);
		assert.deepEqual(doc.sections.map(s => s.header.closed), [true, true, false, true, false]);
		assert.equal(doc.sections[0].entries.length, 1);
	});

	it('treats # and ; as comments only at line start', () => {
		const doc = parseIni('[uwsgi]\n  # c\n;c\nx = 1 ; y\n');
		assert.deepEqual(doc.lines.map(l => l.kind), ['section', 'comment', 'comment', 'entry']);
		assert.equal(doc.entries[0].value.text, '1 ; y');
	});

	it('keeps repeated keys in order and entries before any section apart', () => {
		const doc = parseIni('a = 0\n[uwsgi]\nsocket = :1\nsocket = :2\n');
		assert.equal(doc.orphanEntries.length, 1);
		assert.deepEqual(doc.sections[0].entries.map(e => e.value.text), [':1', ':2']);
	});

	it('finds placeholders, env, file references and magic variables in values', () => {
		const doc = parseIni('[uwsgi]\nx = %(base)/$(HOME)/@(f(1).txt)/%d%%%n %(a + 3)\n');
		assert.deepEqual(doc.entries[0].refs.map(r => [r.kind, r.name]), [
			['placeholder', 'base'], ['env', 'HOME'], ['file', 'f(1).txt'], ['magic', 'd'], ['escape', '%'], ['magic', 'n'], ['placeholder', 'a + 3'],
		]);
	});

	it('models logic blocks and reports nesting and unclosed blocks', () => {
		const ok = parseIni('[uwsgi]\nif-env = X\nmaster = true\nendif =\nfor = a b\nendfor =\n');
		assert.equal(ok.blocks.length, 2);
		assert.equal(ok.problems.length, 0);
		const bad = parseIni('[uwsgi]\nif-env = X\nif-exists = /y\nendif =\nfor = a\n');
		assert.deepEqual(bad.problems.map(p => p.kind), ['nested-block', 'unclosed-block']);
	});

	it('reports a % at the end of a line (it joins the next line)', () => {
		const doc = parseIni('[uwsgi]\nprint = 100%\nprint = x\nprint = 100%%\n');
		assert.deepEqual(doc.problems.map(p => [p.kind, p.offset]), [['percent-at-eol', 19]]);
	});

	it('is linear: a 10,000-line file parses without trouble', () => {
		const text = '[uwsgi]\n' + 'socket = /run/app.sock\n'.repeat(10000);
		const doc = parseIni(text);
		assert.equal(doc.entries.length, 10000);
		assert.equal(printIni(doc), text);
	});
});
