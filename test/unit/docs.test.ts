/** docs/DIAGNOSTICS.md and the code table must agree: every code documented, nothing documented that does not exist. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allCodes } from '../../server/src/analysis/codes';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'DIAGNOSTICS.md'), 'utf8');

/** Sections are `### code-id`, followed by a line `Severity: **x** · Source: y`. */
function documented(): Map<string, { severity: string; source: string; body: string }> {
	const out = new Map<string, { severity: string; source: string; body: string }>();
	const parts = doc.split(/^### /m).slice(1);
	for (const part of parts) {
		const id = part.slice(0, part.indexOf('\n')).trim();
		const m = /Severity: \*\*(\w+)\*\* · Source: `([\w-]+)`/.exec(part);
		out.set(id, { severity: m?.[1] ?? '', source: m?.[2] ?? '', body: part });
	}
	return out;
}

describe('docs/DIAGNOSTICS.md', () => {
	const docs = documented();
	it('documents every code of the table with its default severity and source', () => {
		for (const c of allCodes()) {
			const d = docs.get(c.id);
			assert.ok(d, `${c.id} is not documented`);
			assert.equal(d.severity, c.severity, `${c.id}: documented severity`);
			assert.equal(d.source, c.source, `${c.id}: documented source`);
		}
	});

	it('documents no code that the table does not have', () => {
		const ids = new Set(allCodes().map(c => c.id));
		for (const id of docs.keys()) { assert.ok(ids.has(id), `${id} is documented but not in analysis/codes.ts`); }
	});

	it('gives every code an example and a fix', () => {
		for (const [id, d] of docs) {
			assert.match(d.body, /```/, `${id} has no example`);
			assert.match(d.body, /\*\*Fix/, `${id} has no fix`);
		}
	});

	it('says why each code has its default severity', () => {
		for (const c of allCodes()) {
			const body = docs.get(c.id)?.body ?? '';
			assert.match(body, new RegExp(`^(\\*\\*)?Why (an? )?${c.severity}\\b`, 'm'), `${c.id}: no paragraph saying why it is ${c.severity === 'information' ? '' : 'a '}${c.severity}`);
		}
	});
});
