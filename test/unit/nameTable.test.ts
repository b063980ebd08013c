import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NameTable } from '../../server/src/utils/nameTable';

describe('NameTable', () => {
	it('interns names to ids in first-seen order, duplicates once', () => {
		const t = new NameTable(['listen', 'server', 'listen', 'location', '']);
		assert.deepEqual(t.names, ['listen', 'server', 'location', '']);
		assert.equal(t.size, 4);
		assert.equal(t.id('server'), 1);
		assert.equal(t.id(''), 3);
		assert.equal(t.id('serve'), -1);
		assert.equal(t.id('servers'), -1);
	});

	it('finds a name by its offsets in a text, without cutting it out', () => {
		const t = new NameTable(['listen', 'server']);
		const text = 'x server listen;';
		assert.equal(t.idAt(text, 2, 8), 1);
		assert.equal(t.idAt(text, 9, 15), 0);
		assert.equal(t.idAt(text, 9, 14), -1);
		assert.equal(t.idAt(text, 0, 1), -1);
	});

	it('finds a name in a byte copy of the text (one byte per character, beyond ASCII as 128)', () => {
		const t = new NameTable(['listen', 'server', '']);
		const text = 'x server listen;é';
		const bytes = new DataView(Uint8Array.from(text, ch => Math.min(ch.charCodeAt(0), 128)).buffer);
		assert.equal(t.idInBytes(bytes, text, 2, 8), 1);
		assert.equal(t.idInBytes(bytes, text, 9, 15), 0);
		assert.equal(t.idInBytes(bytes, text, 9, 14), -1);
		assert.equal(t.idInBytes(bytes, text, 3, 3), 2);
		assert.equal(t.idInBytes(bytes, text, 16, 17), -1);
		// a table holding a name beyond ASCII compares the text itself
		const u = new NameTable(['é', 'listen']);
		assert.equal(u.idInBytes(bytes, text, 16, 17), 0);
		assert.equal(u.idInBytes(bytes, text, 9, 15), 1);
	});

	it('holds thousands of names (probing past collisions)', () => {
		const names = Array.from({ length: 5000 }, (_, i) => `name_${i}`);
		const t = new NameTable(names);
		names.forEach((n, i) => assert.equal(t.id(n), i));
		assert.equal(t.id('name_5000'), -1);
	});

	it('in a byte copy, tells apart names that share their first and last four bytes (compared word by word between)', () => {
		const names = ['ab', 'abcd', 'abcdefgh', 'abcdXefgh', 'abcdYefgh', 'abcd12345678efgh', 'abcd12345679efgh', 'abcd1234567efgh', 'x'];
		const t = new NameTable(names);
		for (const probe of [...names, 'abcdZefgh', 'abcd12345670efgh', 'abc', 'a', 'abcdefg', 'abcd1234567Xefgh', '']) {
			const text = `  ${probe};`;
			const bytes = new DataView(Uint8Array.from(text, ch => ch.charCodeAt(0)).buffer);
			assert.equal(t.idInBytes(bytes, text, 2, 2 + probe.length), names.indexOf(probe), probe);
		}
	});
});
