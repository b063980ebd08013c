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

	it('holds thousands of names (probing past collisions)', () => {
		const names = Array.from({ length: 5000 }, (_, i) => `name_${i}`);
		const t = new NameTable(names);
		names.forEach((n, i) => assert.equal(t.id(n), i));
		assert.equal(t.id('name_5000'), -1);
	});
});
