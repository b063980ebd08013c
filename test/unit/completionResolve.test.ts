/**
 * Completion lists shaped for the client: documentation left to `resolveCompletion` when the
 * client resolves it lazily, shared values moved into `itemDefaults` when it takes them. Either
 * way the client ends up with the same items as the plain list.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CompletionItem, CompletionList, TextEdit } from 'vscode-languageserver-types';
import { withItemDefaults, type CompletionOptions } from '../../server/src/features/completionOptions';
import type { LanguageService } from '../../server/src/service';
import { cursor, doc, service, workspaceOf, type Lang } from '../helpers/text';

const svc = service();
before(() => svc.ready);

const VSCODE: CompletionOptions = { lazyDocumentation: true, itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] };

function complete(lang: Lang, text: string, options?: CompletionOptions, s: LanguageService = svc): CompletionList {
	const c = cursor(text);
	const d = doc(lang, c.text);
	return s.doComplete(d, d.positionAt(c.offset), options);
}

/** The items as a client reads them: defaults applied, documentation resolved. */
function asClientSees(list: CompletionList, s: LanguageService = svc): CompletionItem[] {
	const d = list.itemDefaults;
	return list.items.map(item => {
		const full: CompletionItem = { ...item };
		if (d?.editRange && !full.textEdit) {
			assert.ok('start' in d.editRange);
			full.textEdit = { range: d.editRange, newText: full.textEditText ?? full.label };
			delete full.textEditText;
		}
		if (d?.insertTextFormat !== undefined && full.insertTextFormat === undefined) { full.insertTextFormat = d.insertTextFormat; }
		if (d?.data !== undefined && full.data === undefined) { full.data = d.data; }
		// through JSON, as the item travels to the client and back
		const resolved = s.resolveCompletion(JSON.parse(JSON.stringify(full)) as CompletionItem);
		delete resolved.data;
		return resolved;
	});
}

describe('completion: documentation on resolve, shared values once per list', () => {
	const cases: [string, Lang, string][] = [
		['nginx directives in a location', 'nginx', 'http { server { location / {\n    |\n} } }'],
		['nginx directives with a prefix', 'nginx', 'http {\n    uwsgi_|\n}'],
		['nginx directives at the top of a file of unknown context', 'nginx', 'fooba|'],
		['nginx enum values', 'nginx', 'http { proxy_buffering |'],
		['nginx variables', 'nginx', 'http { set $a $re|'],
		['uWSGI option names', 'uwsgi', '[uwsgi]\nvac|\n'],
		['uWSGI values', 'uwsgi', '[uwsgi]\nprotocol = |\n'],
	];
	for (const [name, lang, text] of cases) {
		it(`gives the client the same items: ${name}`, () => {
			const plain = complete(lang, text);
			assert.ok(plain.items.length > 0, 'the plain list is not empty');
			for (const options of [{ lazyDocumentation: true }, { itemDefaults: VSCODE.itemDefaults }, VSCODE]) {
				const shaped = complete(lang, text, options);
				assert.deepEqual(asClientSees(shaped), plain.items, JSON.stringify(options));
				if (options.lazyDocumentation) { assert.ok(shaped.items.every(i => i.documentation === undefined), 'no documentation in the list'); }
			}
		});
	}

	it('leaves the documentation out of a VS Code list and carries the range, format and data once', () => {
		const list = complete('nginx', 'http { server { location / {\n    uwsgi_p|\n} } }', VSCODE);
		assert.deepEqual(list.itemDefaults, {
			editRange: { start: { line: 1, character: 4 }, end: { line: 1, character: 11 } },
			insertTextFormat: 2,
			data: { doc: 'nginx', context: 'http.location' },
		});
		const item = list.items.find(i => i.label === 'uwsgi_pass')!;
		assert.deepEqual(item, { label: 'uwsgi_pass', kind: 10, detail: 'ngx_http_uwsgi_module', textEditText: 'uwsgi_pass $1;' });
		const resolved = svc.resolveCompletion({ ...item, data: list.itemDefaults!.data });
		assert.equal(resolved.documentation && typeof resolved.documentation === 'object' ? resolved.documentation.kind : '', 'markdown');
		assert.match((resolved.documentation as { value: string }).value, /^\*\*uwsgi_pass\*\*[\s\S]*ngx_http_uwsgi_module\.html#uwsgi_pass/);
	});

	it('resolves the flags of a uWSGI command line to their option documentation', () => {
		const { text, offset } = cursor('uwsgi --master --so|\n');
		const { svc: s, docs } = workspaceOf({ '/w/run.sh': text });
		const d = docs.get('/w/run.sh')!;
		const plain = s.doComplete(d, d.positionAt(offset));
		const shaped = s.doComplete(d, d.positionAt(offset), VSCODE);
		assert.ok(plain.items.find(i => i.label === '--socket')?.documentation, 'inline documentation');
		assert.deepEqual(asClientSees(shaped, s), plain.items);
	});

	it('returns an item it cannot resolve as it came', () => {
		for (const item of [{ label: 'x' }, { label: 'x', data: { doc: 'nginx' } }, { label: 'no_such_directive', data: { doc: 'nginx', context: 'http' } }, { label: 'no-such-option', data: { doc: 'uwsgi' } }, { label: 'x', data: 'junk' }] as CompletionItem[]) {
			assert.deepEqual(svc.resolveCompletion(item), item);
		}
	});

	it('moves into itemDefaults only what every item shares and the client takes', () => {
		const range = { start: { line: 0, character: 1 }, end: { line: 0, character: 2 } };
		const other = { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } };
		const data = { doc: 'uwsgi' };
		const item = (label: string, newText: string, r = range): CompletionItem => ({ label, insertTextFormat: 2, data, textEdit: { range: r, newText } as TextEdit });
		const list: CompletionList = { isIncomplete: false, items: [item('a', 'a'), item('b', 'b = $1')] };
		assert.deepEqual(withItemDefaults(list, ['editRange', 'insertTextFormat', 'data']), {
			isIncomplete: false,
			itemDefaults: { editRange: range, insertTextFormat: 2, data },
			items: [{ label: 'a' }, { label: 'b', textEditText: 'b = $1' }],
		});
		// only what the client takes
		assert.deepEqual(withItemDefaults(list, ['insertTextFormat']), {
			isIncomplete: false, itemDefaults: { insertTextFormat: 2 },
			items: list.items.map(i => ({ label: i.label, data, textEdit: i.textEdit })),
		});
		// a range that differs stays on the items; nothing taken, nothing changed
		const mixed: CompletionList = { isIncomplete: false, items: [item('a', 'a'), item('b', 'b', other)] };
		assert.deepEqual(withItemDefaults(mixed, ['editRange']), mixed);
		assert.equal(withItemDefaults(list, undefined), list);
		assert.equal(withItemDefaults(list, []), list);
	});
});
