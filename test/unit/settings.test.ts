import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeSettings, type SettingsProblem } from '../../server/src/service';

describe('settings', () => {
	it('reads the section object, the nested form and flat settings.json keys', () => {
		const a = normalizeSettings({ diagnostics: { severity: { 'uwsgi-unknown-option': 'error' } } });
		const b = normalizeSettings({ uwsgiNginx: { diagnostics: { severity: { 'uwsgi-unknown-option': 'error' } } } });
		const c = normalizeSettings({ 'uwsgiNginx.diagnostics.severity': { 'uwsgi-unknown-option': 'error' }, 'editor.tabSize': 2 });
		for (const s of [a, b, c]) { assert.deepEqual(s.diagnostics.severity, { 'uwsgi-unknown-option': 'error' }); }
	});

	it('drops and reports unknown codes and bad levels, never throws', () => {
		const problems: SettingsProblem[] = [];
		const s = normalizeSettings({ diagnostics: { severity: { 'no-such-code': 'off', 'nginx-syntax': 'loud' } } }, problems);
		assert.deepEqual(s.diagnostics.severity, {});
		assert.equal(problems.length, 2);
		for (const junk of [null, 3, 'x', [], { diagnostics: 5 }, { nginx: { extraDirectives: [1, { name: 2 }, 'ok', { name: 'n', contexts: ['http', 3] }] } }]) {
			normalizeSettings(junk);
		}
		assert.deepEqual(normalizeSettings({ nginx: { extraDirectives: [1, 'ok', { name: 'n', contexts: ['http', 3] }] } }).nginx.extraDirectives, ['ok', { name: 'n', contexts: ['http'] }]);
	});
});
