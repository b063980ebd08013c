/**
 * The pure parts of verifying with the installed binaries: reading nginx -t's output into a
 * verdict, the sandbox plan (includes mapped onto the workspace, paths moved, stubs, wrappers),
 * the harmless copy uWSGI reads, and the agreement rules.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorsAnswer, neutralizeUwsgiIni, nginxVerdict, planNginxSandbox, nginxRoots, uwsgiAgreement, uwsgiVerdict } from '../../server/src/service';
import { workspaceOf } from '../helpers/text';

describe('nginx -t verdicts', () => {
	it('reads accepted, config refusals with file and line, and refusals of the machine', () => {
		assert.equal(nginxVerdict(0, null, '').kind, 'ok');
		const bad = nginxVerdict(1, null, 'nginx: [emerg] unknown directive "uwsgi_pas" in /s/conf/site.conf:10\nnginx: configuration file /s/conf/nginx.conf test failed\n');
		assert.deepEqual([bad.kind, bad.reason?.file, bad.reason?.line, bad.reason?.text], ['config', '/s/conf/site.conf', 10, 'unknown directive "uwsgi_pas"']);
		const variable = nginxVerdict(1, null, 'nginx: [emerg] unknown "undefined_thing" variable\n');
		assert.deepEqual([variable.kind, variable.reason?.file], ['config', undefined]);
		for (const [text, lack] of [
			['open() "/etc/nginx/conf.d/x.conf" failed (2: No such file or directory) in /s/nginx.conf:3', 'file'],
			['cannot load certificate "/etc/ssl/x.pem": BIO_new_file() failed', 'certificate'],
			['host not found in upstream "app:8000" in /s/site.conf:5', 'host'],
			['getpwnam("nginx") failed in /s/nginx.conf:1', 'user'],
			['dlopen() "/usr/lib/nginx/modules/x.so" failed', 'module'],
			['invalid event type "kqueue" in /s/nginx.conf:4', 'platform'],
		]) {
			const v = nginxVerdict(1, null, `nginx: [emerg] ${text}\n`);
			assert.deepEqual([v.kind, v.lack], ['environment', lack], text);
		}
		assert.equal(nginxVerdict(null, 'SIGSEGV', '').kind, 'crash');
	});

	it('an error of ours answers a refusal on the statement nginx names', () => {
		const v = nginxVerdict(1, null, 'nginx: [emerg] invalid parameter "server_name" in /w/a.conf:3\n');
		const text = 'server {\n    listen 80\n    server_name x;\n}\n';
		const on = (line: number) => [{ file: '/w/a.conf', line, endLine: line, code: 'nginx-syntax', message: '' }];
		// nginx names the line where the statement ends (the ";" after server_name), ours starts at listen
		assert.equal(errorsAnswer(v, on(1), p => p, () => text), true);
		assert.equal(errorsAnswer(v, on(0), p => p, () => text), false);
		const noLine = nginxVerdict(1, null, 'nginx: [emerg] unknown "x" variable\n');
		assert.equal(errorsAnswer(noLine, on(0), p => p, () => text), true);
		assert.equal(errorsAnswer(noLine, [], p => p, () => text), false);
	});

	it('a refusal nginx makes while merging names where the block ends: an error of ours in the block, or in another file naming the directive, answers it', () => {
		const v = nginxVerdict(1, null, 'nginx: [emerg] "proxy_busy_buffers_size" must be less than the size of all "proxy_buffers" minus one buffer in /w/nginx.conf:7\n');
		const text = 'events {}\nhttp {\n    proxy_busy_buffers_size 64k;\n    server {\n        listen 80;\n    }\n}\n# "}"\n';
		const at = (file: string, line: number, message = '') => [{ file, line, endLine: line, code: 'nginx-buffer-sizes', message }];
		assert.equal(errorsAnswer(v, at('/w/nginx.conf', 2), p => p, () => text), true);
		assert.equal(errorsAnswer(v, at('/w/nginx.conf', 0), p => p, () => text), false);
		assert.equal(errorsAnswer(v, at('/w/conf.d/a.conf', 3, 'proxy_busy_buffers_size 64k is more than …'), p => p, k => (k === '/w/nginx.conf' ? text : '')), true);
		assert.equal(errorsAnswer(v, at('/w/conf.d/a.conf', 3, 'something else'), p => p, k => (k === '/w/nginx.conf' ? text : '')), false);
		// a line that is no block end keeps the plain rule
		const plain = nginxVerdict(1, null, 'nginx: [emerg] invalid value "x" in /w/nginx.conf:3\n');
		assert.equal(errorsAnswer(plain, at('/w/nginx.conf', 1), p => p, () => text), false);
	});
});

describe('the sandbox nginx -t runs in', () => {
	it('maps includes onto the workspace, moves logs and stubs what this machine lacks, line for line', () => {
		const { svc } = workspaceOf({
			'/w/deploy/nginx/nginx.conf': 'error_log /var/log/nginx/error.log;\nevents {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n    include /etc/nginx/mime.types;\n}\n',
			'/w/deploy/nginx/conf.d/app.conf': 'server {\n    listen 443 ssl;\n    ssl_certificate /etc/letsencrypt/live/x/fullchain.pem;\n    ssl_certificate_key /etc/letsencrypt/live/x/privkey.pem;\n    access_log /var/log/nginx/app.log;\n    location / { uwsgi_pass app:8000; }\n}\n',
		});
		const graph = svc.workspace.nginxGraph({ pathMappings: { '/etc/nginx': '/w/deploy/nginx' } });
		const host = { graph, text: (u: string) => svc.workspace.get(u)?.document.getText(), exists: () => false };
		assert.deepEqual(nginxRoots(graph, ['file:///w/deploy/nginx/nginx.conf', 'file:///w/deploy/nginx/conf.d/app.conf']), ['file:///w/deploy/nginx/nginx.conf']);
		const plan = planNginxSandbox(host, 'file:///w/deploy/nginx/nginx.conf', '/S', { hosts: new Map([['app', '127.0.0.1']]) });
		assert.equal(plan.main, 'conf/nginx.conf');
		assert.deepEqual(plan.tree, ['file:///w/deploy/nginx/nginx.conf', 'file:///w/deploy/nginx/conf.d/app.conf']);
		const main = plan.files.find(f => f.rel === 'conf/nginx.conf')!.text;
		const site = plan.files.find(f => f.rel === 'conf/conf.d/app.conf')!.text;
		assert.match(main, /^error_log \/S\/var\/\d+-error\.log;\n/);
		assert.match(main, /\n {4}include \/S\/conf\/conf\.d\/\*\.conf;\n/);
		assert.match(main, /\n {4}include \/S\/stubs\/\d+-mime\.types;\n/);
		assert.match(site, /ssl_certificate \/S\/stubs\/\d+-fullchain\.pem;/);
		assert.match(site, /ssl_certificate_key \/S\/stubs\/\d+-privkey\.pem;/);
		assert.match(site, /uwsgi_pass 127\.0\.0\.1:8000;/);
		// every line stays where it was
		assert.equal(main.split('\n').length, 7);
		assert.equal(site.split('\n').length, 8);
		assert.deepEqual(plan.stubs.map(s => s.kind).sort(), ['certificate', 'key', 'standard']);
		assert.ok(plan.notes.some(n => /host "app" does not resolve here/.test(n)));
	});

	it('checks a file nothing includes inside the context its directives belong to', () => {
		const { svc } = workspaceOf({ '/w/sites-available/app.conf': 'server {\n    listen 80;\n}\n' });
		const graph = svc.workspace.nginxGraph({});
		const plan = planNginxSandbox({ graph, text: u => svc.workspace.get(u)?.document.getText(), exists: () => false }, 'file:///w/sites-available/app.conf', '/S');
		assert.equal(plan.main, 'wrapper.conf');
		assert.match(plan.files.find(f => f.rel === 'wrapper.conf')!.text, /http \{\ninclude \/S\/conf\/app\.conf;\n\}/);
	});
});

describe('the copy of an ini file uWSGI reads', () => {
	it('runs no command, removes no file and writes only into the sandbox; keys stay as written', () => {
		const copy = neutralizeUwsgiIni('[uwsgi]\nexec-asap = rm -rf /\nhook-asap = exec:touch /x\nvacuum = true\npidfile = /run/app.pid\nchdir = /srv/app\nvaccum = true\nsocket = @(exec://hostname):8000\n', () => undefined, '/S/var');
		assert.equal(copy.text, '[uwsgi]\nexec-asap = true\nhook-asap = exec:true\nvacuum = false\npidfile = /S/var/1-pidfile\nchdir = /S/var\nvaccum = true\nsocket = :8000\n');
		assert.ok(copy.notes.some(n => /vacuum: off/.test(n)));
	});

	it('reads strict mode: unknown keys (and the plugin they belong to), fatal values, a missing section', () => {
		const v = uwsgiVerdict('[uWSGI] getting INI configuration from a.ini\n[strict-mode] unknown config directive: vaccum\n');
		assert.deepEqual([v.kind, v.messages[0].unknown, v.messages[0].plugin], ['refused', 'vaccum', undefined]);
		assert.equal(uwsgiVerdict('[strict-mode] unknown config directive: module\n').messages[0].plugin, 'python');
		assert.equal(uwsgiVerdict('[uWSGI] getting INI configuration from a.ini\n/tmp/a.sock\n', '/tmp/a.sock').kind, 'ok');
		assert.equal(uwsgiVerdict('invalid chmod value: 0660\n').kind, 'refused');
		assert.equal(uwsgiVerdict('*** WARNING: Can\'t find section "uwsgi" in INI configuration file e.ini ***\n').kind, 'refused');
		const unknown = { uri: 'u', message: 'Unknown option "vaccum": …', code: 'uwsgi-unknown-option', severity: 'warning' as const };
		assert.equal(uwsgiAgreement('refused', v.messages, [unknown]).agrees, true);
		assert.equal(uwsgiAgreement('refused', v.messages, []).agrees, false);
		assert.equal(uwsgiAgreement('ok', [], [{ uri: 'u', message: 'x', code: 'uwsgi-invalid-value', severity: 'error' }]).agrees, false);
	});
});
