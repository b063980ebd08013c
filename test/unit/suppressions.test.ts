/** Suppression comments with a reason, in both languages; unused ones are reported. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertCode, doc, service } from '../helpers/text';

describe('suppression comments', () => {
	it('silence a code on the next line in uWSGI ini', () => {
		assertCode('uwsgi', '[uwsgi]\n# uwsgi-nginx-ignore uwsgi-public-socket -- nginx runs in another container\nsocket = :3031\n', 'uwsgi-public-socket');
		assertCode('uwsgi', '[uwsgi]\n; uwsgi-nginx-ignore uwsgi-public-socket\nsocket = :3031\nsocket = «:3032»\n', 'uwsgi-public-socket');
	});

	it('silence a code on the next line or at the end of the line in nginx, and several codes at once', () => {
		assertCode('nginx', 'http {\n    # uwsgi-nginx-ignore nginx-unknown-directive -- our own module\n    my_directive on;\n}\n', 'nginx-unknown-directive');
		assertCode('nginx', 'http {\n    my_directive on; # uwsgi-nginx-ignore nginx-unknown-directive\n    «other_directive» on;\n}\n', 'nginx-unknown-directive');
		assertCode('nginx', 'http { server { location / {\n# uwsgi-nginx-ignore nginx-unknown-directive,nginx-missing-uwsgi-params -- demo\nuwsgi_pas x;\n} } }\n', 'nginx-unknown-directive');
	});

	it('silence a code in the whole file, or every code with *', () => {
		assertCode('uwsgi', '# uwsgi-nginx-ignore-file uwsgi-public-socket -- docker\n[uwsgi]\nsocket = :1\nsocket = :2\n', 'uwsgi-public-socket');
		assertCode('uwsgi', '[uwsgi]\n# uwsgi-nginx-ignore * -- legacy\nvaccum = true\n', 'uwsgi-unknown-option');
	});

	it('report a suppression that silences nothing', () => {
		const [d] = assertCode('uwsgi', '[uwsgi]\n«# uwsgi-nginx-ignore uwsgi-runs-as-root -- old»\nuid = www-data\n', 'unused-suppression');
		assert.equal(d.severity, 4);
	});

	it('are listed with their reasons', () => {
		const svc = service();
		const list = svc.listSuppressions(doc('nginx', 'http {\n    # uwsgi-nginx-ignore nginx-unknown-directive -- our own module\n    my_directive on;\n}\n'));
		assert.deepEqual(list.map(s => [s.line, s.fileWide, s.codes, s.reason]), [[1, false, ['nginx-unknown-directive'], 'our own module']]);
	});

	it('are found in comments only, wherever the word also stands in the text, among many comments', () => {
		const svc = service();
		// the word in an argument before the first comment, comments without it, two suppressions far apart
		const text = 'http {\n    set $x uwsgi-nginx-ignore;\n    # a comment\n    # another\n'
			+ '    # uwsgi-nginx-ignore nginx-unknown-directive -- one\n    my_directive on;\n'
			+ '    # plain\n'.repeat(50) + '    other_thing on; # uwsgi-nginx-ignore nginx-unknown-directive -- two\n    # last\n}\n';
		const list = svc.listSuppressions(doc('nginx', text));
		assert.deepEqual(list.map(s => [s.line, s.ownLine, s.reason]), [[4, true, 'one'], [56, false, 'two']]);
		assert.deepEqual(svc.listSuppressions(doc('nginx', 'http {\n    # no word here\n}\n# uwsgi-nginx-ignor\n')), []);
	});
});
