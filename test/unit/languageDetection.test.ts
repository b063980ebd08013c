import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectLanguage, languageFromLanguageId, languageFromPath } from '../../server/src/service';

describe('language detection', () => {
	it('recognises nginx files by name and folder', () => {
		for (const p of ['/etc/nginx/nginx.conf', 'nginx.conf.dist', 'x/site.nginx', '/etc/nginx/conf.d/app.conf', '/srv/nginx/a.conf',
			'deploy/sites-available/app.conf', '/etc/nginx/sites-enabled/default', 'snippets/ssl.conf', '/etc/nginx/uwsgi_params', 'mime.types', 'fastcgi_params', 'proxy_params', 'scgi_params']) {
			assert.equal(languageFromPath(p), 'nginx', p);
		}
	});

	it('recognises uWSGI files by name and folder', () => {
		for (const p of ['uwsgi.ini', 'deploy/app_uwsgi.ini', 'myuwsgi-prod.ini', '/etc/uwsgi/apps/x.ini', 'vassals/a.ini']) {
			assert.equal(languageFromPath(p), 'uwsgi', p);
		}
	});

	it('leaves other files alone unless their content says so', () => {
		for (const p of ['setup.ini', 'tox.ini', 'app.conf', 'supervisord.conf']) { assert.equal(languageFromPath(p), undefined, p); }
		assert.equal(detectLanguage('setup.ini', '[metadata]\nname = x\n'), undefined);
		assert.equal(detectLanguage('app.ini', '[uwsgi]\nsocket = :1\n'), 'uwsgi');
		assert.equal(detectLanguage('app.conf', 'server {\n listen 80;\n}\n'), 'nginx');
		assert.equal(detectLanguage('supervisord.conf', '[program:x]\ncommand=y\n'), undefined);
	});

	it('maps editor language ids; ini only with a [uwsgi] section', () => {
		assert.equal(languageFromLanguageId('nginx', ''), 'nginx');
		assert.equal(languageFromLanguageId('uwsgi-ini', ''), 'uwsgi');
		assert.equal(languageFromLanguageId('ini', '[uwsgi]\nmaster=1'), 'uwsgi');
		assert.equal(languageFromLanguageId('ini', '[tool]\nx=1'), undefined);
		assert.equal(languageFromLanguageId('plaintext', '[uwsgi]'), undefined);
	});
});
