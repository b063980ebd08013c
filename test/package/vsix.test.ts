/** The packaged extension holds only what users need (the .vscodeignore allow-list). Run after `npm run package`. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VSIX = path.join(ROOT, 'uwsgi-nginx.vsix');

/** File names in a zip, read from its central directory (no unzip tool needed). */
function zipEntries(file: string): string[] {
	const buf = fs.readFileSync(file);
	let eocd = buf.length - 22;
	while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) { eocd--; }
	assert.ok(eocd >= 0, 'not a zip file');
	const count = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	const names: string[] = [];
	for (let i = 0; i < count; i++) {
		assert.equal(buf.readUInt32LE(p), 0x02014b50);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
		p += 46 + nameLen + extraLen + commentLen;
	}
	return names.sort();
}

describe('packaged .vsix', () => {
	it('exists (npm run package) and holds only the allow-listed files', () => {
		assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
		const names = zipEntries(VSIX);
		assert.deepEqual(names, [
			'[Content_Types].xml',
			'extension.vsixmanifest',
			'extension/LICENSE.txt',
			'extension/dist/extension.js',
			'extension/dist/server.js',
			'extension/docs/DIAGNOSTICS.md',
			'extension/language-configuration/nginx.json',
			'extension/language-configuration/uwsgi-ini.json',
			'extension/package.json',
			'extension/readme.md',
			'extension/syntaxes/nginx.tmLanguage.json',
			'extension/syntaxes/uwsgi.tmLanguage.json',
		]);
		const size = fs.statSync(VSIX).size;
		process.stdout.write(`# vsix size: ${(size / 1024).toFixed(0)} KiB\n`);
		assert.ok(size < 2 * 1024 * 1024, `vsix is ${size} bytes`);
	});

	it('its server bundle starts and answers --version', () => {
		const out = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--version'], { encoding: 'utf8' });
		assert.match(out, /^uwsgi-nginx-language-server \d/);
	});
});
