/**
 * Crash containment in the language service (issue 8): a validator or feature that throws
 * becomes one internal error (reported through `onInternalError`) and that feature's empty
 * result; every other validator and feature keeps working. The throws are injected with the
 * service's `faults` option (tests only). test/lsp/crashContainment.test.ts shows the same
 * through the real server.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { NGINX_VALIDATORS, UWSGI_VALIDATORS } from '../../server/src/analysis/validate';
import { getLanguageService, type LanguageService } from '../../server/src/service';

const NGINX_TEXT = 'server {\n    uwsgi_pas x;\n    listen 99999;\n    location / {\n        uwsgi_pass 127.0.0.1:3031;\n    }\n    gzip maybe;\n}\nworker_connections 5;\n';
const INI_TEXT = '[uwsgi]\nvaccum = true\nmaster = flase\nsocket = 0.0.0.0:3031\nwsgi-file = a # x\n';

function setup(faults: string[] = []) {
	const errors: { where: string; error: unknown }[] = [];
	const service = getLanguageService({ faults, onInternalError: (where, error) => errors.push({ where, error }) });
	const nginx = TextDocument.create('file:///w/nginx/site.conf', 'nginx', 1, NGINX_TEXT);
	const ini = TextDocument.create('file:///w/uwsgi.ini', 'uwsgi-ini', 1, INI_TEXT);
	// both in the workspace from the start: checks across the seam see the same files in every run
	service.workspace.set(nginx, 'nginx');
	service.workspace.set(ini, 'uwsgi');
	return { service, errors, nginx, ini };
}

const key = (d: Diagnostic) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}`;

describe('crash containment in the language service', () => {
	const baseline = setup();
	const nginxBase = baseline.service.doValidation(baseline.nginx).map(key);
	const iniBase = baseline.service.doValidation(baseline.ini).map(key);

	it('the baseline documents have findings of several validators', () => {
		for (const k of ['nginx-unknown-directive 1:4', 'nginx-invalid-value 2:11', 'nginx-missing-uwsgi-params 4:8', 'nginx-invalid-value 6:9', 'nginx-directive-not-allowed 8:0']) { assert.ok(nginxBase.includes(k), `${k} in ${JSON.stringify(nginxBase)}`); }
		for (const k of ['uwsgi-unknown-option 1:0', 'uwsgi-suspicious-boolean 2:9', 'uwsgi-public-socket 3:9', 'uwsgi-inline-comment 4:14']) { assert.ok(iniBase.includes(k), `${k} in ${JSON.stringify(iniBase)}`); }
		assert.deepEqual(baseline.errors, []);
	});

	it('a throwing validator loses only its own findings: exactly what it reports is missing', () => {
		const cases: [string, 'nginx' | 'ini', string[]][] = [
			['checkUnknownDirectives', 'nginx', ['nginx-unknown-directive']],
			['checkMissingUwsgiParams', 'nginx', ['nginx-missing-uwsgi-params']],
			['checkUnknownOptions', 'ini', ['uwsgi-unknown-option']],
			['checkInlineComments', 'ini', ['uwsgi-inline-comment']],
		];
		for (const [validator, which, lostCodes] of cases) {
			const { service, errors, nginx, ini } = setup([validator]);
			const got = service.doValidation(which === 'nginx' ? nginx : ini).map(key);
			const base = which === 'nginx' ? nginxBase : iniBase;
			assert.deepEqual(got, base.filter(k => !lostCodes.includes(k.split(' ')[0])), validator);
			assert.ok(got.length < base.length, `${validator} reported nothing to lose`);
			assert.deepEqual(errors.map(e => e.where), [`validator ${validator}`]);
			assert.match(String(errors[0].error), /InjectedFault: injected fault in validator/);
		}
	});

	for (const [language, validators] of [['nginx', NGINX_VALIDATORS], ['uWSGI', UWSGI_VALIDATORS]] as const) {
		it(`every ${language} validator is contained: one internal error, only its own findings go`, () => {
			const names = validators.map(v => v.name);
			assert.equal(new Set(names).size, names.length, 'validator names are unique (faults and logs name them)');
			const base = language === 'nginx' ? nginxBase : iniBase;
			/** Which validator's failure lost each finding: every finding belongs to at most one. */
			const lostBy = new Map<string, string>();
			for (const name of names) {
				const { service, errors, nginx, ini } = setup([name]);
				const got = service.doValidation(language === 'nginx' ? nginx : ini).map(key);
				assert.ok(got.every(k => base.includes(k)), `${name}: ${JSON.stringify(got)} not within the baseline`);
				for (const k of base.filter(x => !got.includes(x))) {
					assert.ok(!lostBy.has(k), `${k} went missing both when ${lostBy.get(k)} and when ${name} threw: one validator's failure took another's findings`);
					lostBy.set(k, name);
				}
				assert.deepEqual(errors.map(e => e.where), [`validator ${name}`]);
			}
		});
	}

	it('a throwing feature gives its empty result and one internal error; the others keep working', () => {
		const at = { line: 1, character: 6 };
		const range = { start: at, end: at };
		const options = { tabSize: 4, insertSpaces: true };
		const features: [string, (s: LanguageService, d: TextDocument) => unknown, unknown][] = [
			['validation', (s, d) => s.doValidation(d), []],
			['hover', (s, d) => s.doHover(d, at), null],
			['completion', (s, d) => s.doComplete(d, at), { isIncomplete: false, items: [] }],
			// an item that cannot be resolved goes back as it came
			['completion resolve', s => s.resolveCompletion({ label: 'listen', data: { doc: 'nginx', context: 'http.server' } }), { label: 'listen', data: { doc: 'nginx', context: 'http.server' } }],
			['code actions', (s, d) => s.doCodeActions(d, range, s.doValidation(d)), []],
			['symbols', (s, d) => s.findDocumentSymbols(d), []],
			['folding', (s, d) => s.getFoldingRanges(d), []],
			['definition', (s, d) => s.findDefinition(d, at), []],
			['references', (s, d) => s.findReferences(d, at, true), []],
			['rename', (s, d) => s.doRename(d, at, 'x'), null],
			['formatting', (s, d) => s.doFormat(d, options), []],
			['document links', (s, d) => s.findDocumentLinks(d), []],
			['suppressions', (s, d) => s.listSuppressions(d), []],
		];
		for (const [feature, call, empty] of features) {
			const { service, errors, nginx } = setup([feature]);
			assert.deepEqual(call(service, nginx), empty, feature);
			assert.ok(errors.length >= 1 && errors.every(e => e.where === feature), `${feature}: ${JSON.stringify(errors.map(e => e.where))}`);
			// the rest of the service still answers
			if (feature !== 'validation') { assert.deepEqual(service.doValidation(nginx).map(key), nginxBase, `validation with ${feature} broken`); }
			if (feature !== 'hover') { assert.match(JSON.stringify(service.doHover(nginx, { line: 2, character: 6 })), /listen/, `hover with ${feature} broken`); }
		}
	});

	it('without faults nothing is injected', () => {
		const { service, errors, nginx } = setup();
		assert.ok(service.findDocumentSymbols(nginx).length > 0);
		assert.ok(service.doComplete(nginx, { line: 1, character: 6 }).items.length > 0);
		assert.deepEqual(errors, []);
	});
});
