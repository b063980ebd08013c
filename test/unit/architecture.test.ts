/**
 * Keeps the layers honest (docs/ARCHITECTURE.md): the language service imports neither
 * `vscode` nor the LSP connection, and each folder imports only what it may.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'server', 'src');

function tsFiles(dir: string): string[] {
	const out: string[] = [];
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) { out.push(...tsFiles(full)); } else if (e.name.endsWith('.ts')) { out.push(full); }
	}
	return out;
}

function imports(file: string): string[] {
	const text = fs.readFileSync(file, 'utf8');
	const out: string[] = [];
	for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) { out.push(m[1]); }
	for (const m of text.matchAll(/(?:require|import)\(\s*'([^']+)'\s*\)/g)) { out.push(m[1]); }
	return out;
}

/** Folder of server/src → folders (of server/src) and packages it may import. */
const ALLOWED: Record<string, { folders: string[]; packages: string[] }> = {
	utils: { folders: ['utils'], packages: [] },
	data: { folders: ['data', 'utils'], packages: ['@nginx/reference-lib'] },
	parser: { folders: ['parser', 'utils'], packages: [] },
	analysis: { folders: ['analysis', 'parser', 'data', 'utils', 'service'], packages: [] },
	features: { folders: ['features', 'analysis', 'parser', 'data', 'utils'], packages: ['vscode-languageserver-types', 'vscode-languageserver-textdocument'] },
	service: { folders: ['service', 'analysis', 'features', 'parser', 'data', 'utils'], packages: ['vscode-languageserver-types', 'vscode-languageserver-textdocument'] },
	host: { folders: ['host', 'service', 'utils'], packages: ['fs', 'path', 'net', 'os', 'child_process'] },
	lsp: { folders: ['lsp', 'service', 'host', 'utils'], packages: ['vscode-languageserver/node', 'vscode-languageserver-textdocument'] },
	cli: { folders: ['cli', 'service', 'host', 'analysis', 'utils'], packages: ['fs', 'path', 'vscode-languageserver-types', 'vscode-languageserver-textdocument'] },
};

describe('architecture', () => {
	it('the pure service never imports vscode or the LSP connection', () => {
		const pure = ['utils', 'data', 'parser', 'analysis', 'features', 'service'];
		for (const folder of pure) {
			for (const file of tsFiles(path.join(SRC, folder))) {
				for (const spec of imports(file)) {
					assert.ok(spec !== 'vscode' && !spec.startsWith('vscode-languageserver/') && spec !== 'vscode-languageserver' && spec !== 'vscode-languageserver-protocol',
						`${path.relative(ROOT, file)} imports ${spec}`);
				}
			}
		}
	});

	it('each folder imports only the folders and packages it may', () => {
		for (const [folder, rule] of Object.entries(ALLOWED)) {
			for (const file of tsFiles(path.join(SRC, folder))) {
				for (const spec of imports(file)) {
					if (spec.startsWith('.')) {
						const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
						assert.ok(rule.folders.includes(target), `${path.relative(ROOT, file)} (${folder}) may not import ${spec} (${target})`);
					} else {
						assert.ok(rule.packages.includes(spec), `${path.relative(ROOT, file)} (${folder}) may not import package ${spec}`);
					}
				}
			}
		}
	});

	it('every folder of server/src has a rule', () => {
		const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name).sort();
		assert.deepEqual(folders, Object.keys(ALLOWED).sort());
	});

	it('the client imports only vscode and the language client', () => {
		for (const file of tsFiles(path.join(ROOT, 'client', 'src'))) {
			for (const spec of imports(file)) {
				assert.ok(['vscode', 'vscode-languageclient/node'].includes(spec) || spec.startsWith('.'), `${path.relative(ROOT, file)} imports ${spec}`);
			}
		}
	});
});
