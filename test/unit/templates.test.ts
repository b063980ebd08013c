/**
 * nginx config templates (`default.conf.template` for the nginx image's envsubst, `.tpl`,
 * `.sample`): recognised wherever a file's language is decided, checked as nginx without judging
 * their `${VAR}`, found by the includes that read their output, and hover on a `${VAR}` shows the
 * value the compose service or Dockerfile that renders them sets.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { composeServices, dockerfileStages, isNginxImage } from '../../server/src/parser/commands/containers';
import { placeholdersIn, TEMPLATE_SUFFIX_GLOB, TEMPLATE_SUFFIXES, templateOutputPath } from '../../server/src/parser/nginx/template';
import { classifyFile, findConfigFiles } from '../../server/src/host/files';
import { WATCH_PATTERNS } from '../../server/src/lsp/workspaceFiles';
import { CONFIG_NAME, commandHostOf, detectLanguage, languageFromPath } from '../../server/src/service/languageDetection';
import { service, workspaceOf } from '../helpers/text';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NGINX_TEXT = 'server {\n    listen ${NGINX_PORT};\n}\n';

/** A VS Code-style glob (`**`, `*`, `{a,b}`) as a regular expression over a whole path. */
function globRegExp(glob: string): RegExp {
	let re = '';
	for (let i = 0; i < glob.length; i++) {
		const c = glob[i];
		if (c === '*' && glob[i + 1] === '*') {
			re += '(?:.*/)?';
			i += glob[i + 2] === '/' ? 2 : 1;
		} else if (c === '*') { re += '[^/]*'; } else if (c === '{') {
			const end = glob.indexOf('}', i);
			re += `(?:${glob.slice(i + 1, end).split(',').map(x => x.replace(/[.+^$()|\\]/g, '\\$&')).join('|')})`;
			i = end;
		} else { re += c.replace(/[.+^$()|\\?]/g, '\\$&'); }
	}
	// a pattern without a slash matches the file name (VS Code's rule for filenamePatterns)
	return new RegExp(glob.includes('/') ? `^(?:.*/)?${re.replace(/^\(\?:\.\*\/\)\?/, '')}$` : `(?:^|/)${re}$`);
}

describe('templates: which files are nginx templates', () => {
	it('are nginx by path where the config itself would be, by content elsewhere', () => {
		for (const p of ['/srv/nginx/default.conf.template', 'deploy/conf.d/app.conf.tpl', '/etc/nginx/sites-available/x.conf.sample', 'nginx.conf.template', 'snippets/ssl.conf.template']) {
			assert.equal(languageFromPath(p), 'nginx', p);
			assert.equal(detectLanguage(p, 'user www-data;\n'), 'nginx', p);
		}
		for (const p of ['/w/templates/default.conf.template', '/w/deploy/site.conf.tpl', '/w/site.conf.sample']) {
			assert.equal(languageFromPath(p), undefined, p);
			assert.equal(detectLanguage(p, NGINX_TEXT), 'nginx', p);
			assert.equal(detectLanguage(p, '[program:x]\ncommand = /bin/true\n'), undefined, `${p} holding a supervisor program`);
			assert.equal(detectLanguage(p, 'maxmemory ${REDIS_MEMORY}\n'), undefined, `${p} holding something else`);
		}
	});

	it('are not nginx while they hold another template language ({{ }}, {% %})', () => {
		assert.equal(detectLanguage('/w/nginx/site.conf.tpl', 'server {\n    server_name {{ .Values.host }};\n}\n'), undefined);
		assert.equal(detectLanguage('/w/templates/site.conf.template', '{% for s in servers %}server { listen 80; }{% endfor %}\n'), undefined);
		const svc = service();
		const d = TextDocument.create('file:///w/nginx/site.conf.tpl', 'nginx', 1, 'server {\n    server_name {{ host }};\n}\n');
		assert.equal(svc.languageOf(d), undefined, 'the editor calls it nginx; its content says otherwise');
		assert.deepEqual(svc.doValidation(d), []);
	});

	it('the walker reads them, the server watches them, and only their names are candidates', () => {
		for (const s of TEMPLATE_SUFFIXES) {
			assert.ok(CONFIG_NAME.test(`default.conf${s}`), s);
			assert.ok(WATCH_PATTERNS.some(p => globRegExp(p).test(`/w/templates/default.conf${s}`)), `no watcher pattern for .conf${s}`);
		}
		assert.ok(!CONFIG_NAME.test('notes.template') && !CONFIG_NAME.test('index.html.tpl'));
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uwsgi-nginx-templates-'));
		try {
			fs.mkdirSync(path.join(dir, 'templates'));
			fs.writeFileSync(path.join(dir, 'templates', 'default.conf.template'), NGINX_TEXT);
			fs.writeFileSync(path.join(dir, 'templates', 'redis.conf.template'), 'maxmemory ${REDIS_MEMORY}\n');
			fs.writeFileSync(path.join(dir, 'site.conf.sample'), NGINX_TEXT);
			assert.deepEqual(findConfigFiles(dir).map(f => [path.relative(dir, f.path), f.kind]), [
				['site.conf.sample', 'nginx'],
				[path.join('templates', 'default.conf.template'), 'nginx'],
			]);
			assert.equal(classifyFile(path.join(dir, 'templates', 'redis.conf.template')), undefined);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('package.json and the VS Code client agree with the server', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
			activationEvents: string[]; contributes: { languages: { id: string; filenamePatterns?: string[] }[] };
		};
		const patterns = pkg.contributes.languages.find(l => l.id === 'nginx')!.filenamePatterns!.map(globRegExp);
		const claimed = (p: string) => patterns.some(re => re.test(p));
		// every template the server calls nginx by path, the editor calls nginx too
		for (const s of TEMPLATE_SUFFIXES) {
			for (const p of [`/w/nginx/a.conf${s}`, `/w/conf.d/a.conf${s}`, `/w/sites-available/a.conf${s}`, `/w/sites-enabled/a.conf${s}`, `/w/snippets/a.conf${s}`, `/w/nginx.conf${s}`]) {
				assert.equal(languageFromPath(p), 'nginx', p);
				assert.ok(claimed(p), `package.json does not claim ${p}`);
			}
		}
		// the image's templates folder: claimed by the editor, confirmed by content on the server
		assert.ok(claimed('/w/templates/default.conf.template'));
		assert.equal(detectLanguage('/w/templates/default.conf.template', NGINX_TEXT), 'nginx');
		assert.ok(!claimed('/w/templates/default.conf.tpl') && !claimed('/w/app/settings.conf.sample'), 'only the image convention is claimed outside nginx folders');
		assert.ok(pkg.activationEvents.includes(`workspaceContains:**/*.conf.${TEMPLATE_SUFFIX_GLOB}`));
		const client = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
		assert.ok(client.includes(`const TEMPLATE_PATTERN = '**/*.conf.${TEMPLATE_SUFFIX_GLOB}';`), 'the client selects templates by the server\'s suffixes');
		assert.ok(client.includes(`const TEMPLATE_FILE = /\\.conf\\.(${TEMPLATE_SUFFIXES.map(s => s.slice(1)).join('|')})$/i;`), 'the client knows the server\'s suffixes');
		assert.ok(client.includes('{ scheme: \'file\', pattern: TEMPLATE_PATTERN }'));
	});

	it('a Dockerfile that hands templates to the nginx image, or a compose file that mentions nginx, is a host file of ours', () => {
		assert.equal(commandHostOf('/w/compose.yml', 'services:\n  web:\n    image: nginx\n    volumes:\n      - ./t:/etc/nginx/templates\n'), 'compose');
		assert.equal(commandHostOf('/w/Dockerfile', 'FROM nginx\nCOPY t /etc/nginx/templates/\n'), 'dockerfile');
		assert.equal(commandHostOf('/w/compose.yml', 'services:\n  front:\n    build: ./nginx\n'), 'compose', 'it may build an image that copies templates');
		assert.equal(commandHostOf('/w/compose.yml', 'services:\n  db:\n    image: postgres\n'), undefined);
		assert.equal(commandHostOf('/w/Dockerfile', 'FROM nginx\nCOPY site.conf /etc/nginx/conf.d/\n'), undefined);
		assert.equal(commandHostOf('/w/run.sh', 'cp t/* /etc/nginx/templates/\n'), undefined, 'a script does not set the container\'s environment');
	});
});

describe('templates: placeholders', () => {
	it('every ${NAME}, and $NAME with an upper-case letter; nginx\'s own variables stay', () => {
		const text = 'proxy_pass http://${BACKEND}:$PORT$request_uri; set $x ${lower}$host;';
		assert.deepEqual(placeholdersIn(text).map(p => [text.slice(p.offset, p.offset + p.length), p.name, p.braced]), [
			['${BACKEND}', 'BACKEND', true], ['$PORT', 'PORT', false], ['${lower}', 'lower', true],
		]);
		assert.deepEqual(placeholdersIn('${1} $ {X} ${X:-d}'), []);
	});

	it('the nginx image writes templates/x.conf.template to conf.d/x.conf', () => {
		assert.equal(templateOutputPath('/w/nginx/templates/default.conf.template'), '/etc/nginx/conf.d/default.conf');
		assert.equal(templateOutputPath('/w/templates/sub/app.conf.template'), '/etc/nginx/conf.d/sub/app.conf');
		assert.equal(templateOutputPath('/w/nginx/default.conf.template'), undefined, 'not in a templates folder');
		assert.equal(templateOutputPath('/w/templates/default.conf.tpl'), undefined, 'not the image\'s suffix');
	});
});

/** `code@text` of the findings of the given codes in a one-file workspace. */
function templateCodes(p: string, text: string, codes: readonly string[]): string[] {
	const { svc, docs } = workspaceOf({ [p]: text });
	const d = docs.get(p)!;
	return svc.doValidation(d).filter(x => codes.includes(String(x.code))).map(x => `${String(x.code)}@${d.getText(x.range)}`);
}

describe('templates: checked as nginx, never on a ${VAR}', () => {
	const body = [
		'server {',
		'    listen ${NGINX_PORT};',
		'    client_max_body_size ${MAX_BODY};',
		'    proxy_read_timeout ${TIMEOUT}s;',
		'    gzip ${GZIP};',
		'    ${EXTRA_DIRECTIVES}',
		'    server_name ${SERVER_NAME} $HOSTNAME_ALIAS;',
		'    location / {',
		'        proxy_pass http://${BACKEND}$request_uri;',
		'        proxy_set_header Host $host;',
		'    }',
		'}',
		'',
	].join('\n');

	it('a template has no finding on its placeholders (the same text as a .conf has)', () => {
		const plain = workspaceOf({ '/w/nginx/site.conf': body });
		const asConf = plain.svc.doValidation(plain.docs.get('/w/nginx/site.conf')!).map(d => String(d.code));
		assert.ok(asConf.includes('nginx-invalid-value') && asConf.includes('nginx-syntax'), `the placeholders are findings in a plain config: ${asConf.join(', ')}`);
		for (const p of ['/w/templates/default.conf.template', '/w/nginx/site.conf.tpl', '/w/nginx/site.conf.sample']) {
			const { svc, docs } = workspaceOf({ [p]: body });
			assert.deepEqual(svc.doValidation(docs.get(p)!).map(d => `${String(d.code)}: ${d.message}`), [], p);
		}
	});

	it('what does not depend on a value is still checked', () => {
		const p = '/w/templates/default.conf.template';
		assert.deepEqual(templateCodes(p, 'server {\n    listen ${PORT};\n    gzip_vary maybe;\n    lisen 80;\n}\n', ['nginx-invalid-value', 'nginx-unknown-directive']),
			['nginx-invalid-value@maybe', 'nginx-unknown-directive@lisen']);
		assert.deepEqual(templateCodes(p, 'server {\n    location /static {\n        alias /srv/static${SUFFIX}/;\n    }\n    location /media {\n        alias /srv/media/;\n    }\n}\n', ['nginx-alias-traversal']),
			['nginx-alias-traversal@/srv/media/']);
		assert.deepEqual(templateCodes(p, 'events {\n    worker_connections ${CONNECTIONS} 2;\n    worker_connections 1 2;\n}\n', ['nginx-invalid-arguments']),
			['nginx-invalid-arguments@1 2'], 'the first may be one word once filled in; the second is two');
	});
});

describe('templates: the include graph reads their output', () => {
	it('include /etc/nginx/conf.d/*.conf finds templates/x.conf.template, read in http', () => {
		const { svc, docs } = workspaceOf({
			'/w/nginx/nginx.conf': 'events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n',
			'/w/nginx/templates/default.conf.template': 'server {\n    listen ${NGINX_PORT};\n}\nworker_processes 2;\n',
		});
		const graph = svc.workspace.nginxGraph({});
		assert.deepEqual(graph.edgesFrom('file:///w/nginx/nginx.conf').map(e => e.targets), [['file:///w/nginx/templates/default.conf.template']]);
		assert.deepEqual(graph.topContexts('file:///w/nginx/templates/default.conf.template'), ['http']);
		const codes = svc.doValidation(docs.get('/w/nginx/templates/default.conf.template')!).map(d => String(d.code));
		assert.deepEqual(codes, ['nginx-directive-not-allowed'], 'worker_processes in http, where the image includes the output');
	});

	it('relative includes and a real conf.d file: the real file wins its path, the template keeps its own', () => {
		const { svc } = workspaceOf({
			'/w/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
			'/w/conf.d/default.conf': 'server { listen 80; }\n',
			'/w/templates/app.conf.template': 'server { listen ${PORT}; }\n',
			'/w/templates/default.conf.template': 'server { listen ${PORT}; }\n',
		});
		const graph = svc.workspace.nginxGraph({});
		assert.deepEqual(graph.edgesFrom('file:///w/nginx.conf').map(e => e.targets), [['file:///w/conf.d/default.conf']]);
		const abs = workspaceOf({
			'/w/nginx.conf': 'events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n',
			'/w/templates/app.conf.template': 'server { listen ${PORT}; }\n',
			'/w/templates/b.conf.tpl': 'server { listen ${PORT}; }\n',
		}).svc.workspace.nginxGraph({});
		assert.deepEqual(abs.edgesFrom('file:///w/nginx.conf').map(e => e.targets), [['file:///w/templates/app.conf.template']]);
	});
});

describe('templates: compose and Dockerfile readers', () => {
	it('reads services: image, build, volumes (short and long), environment (list and map), env_file', () => {
		const text = [
			'services:',
			'  web:',
			'    image: "nginx:1.27-alpine"   # front',
			'    volumes:',
			'      - ./nginx/templates:/etc/nginx/templates:ro',
			'      - type: bind',
			'        source: ./static',
			'        target: /srv/static',
			'      - data:/var/cache',
			'    environment:',
			'      - NGINX_PORT=8080',
			'      - "SERVER_NAME=example.com"',
			'      - PASSED',
			'    env_file: [.env, nginx.env]',
			'  app:',
			'    build:',
			'      context: ./app',
			'      dockerfile: Dockerfile.prod',
			'    environment:',
			'      DEBUG: "0"',
			'      EMPTY:',
			'volumes:',
			'  data: {}',
			'',
		].join('\n');
		const [web, app] = composeServices(text);
		assert.equal(web.name, 'web');
		assert.equal(web.image?.value, 'nginx:1.27-alpine');
		assert.deepEqual(web.volumes.map(v => [v.source, v.target]), [['./nginx/templates', '/etc/nginx/templates'], ['./static', '/srv/static'], ['data', '/var/cache']]);
		assert.deepEqual(web.environment.map(e => [e.name, e.value, text.slice(e.offset, e.offset + e.length)]), [
			['NGINX_PORT', '8080', 'NGINX_PORT=8080'], ['SERVER_NAME', 'example.com', '"SERVER_NAME=example.com"'], ['PASSED', undefined, 'PASSED'],
		]);
		assert.deepEqual(web.envFiles.map(f => f.value), ['.env', 'nginx.env']);
		assert.deepEqual(app.build, { context: './app', dockerfile: 'Dockerfile.prod' });
		assert.deepEqual(app.environment.map(e => [e.name, e.value]), [['DEBUG', '0'], ['EMPTY', '']]);
		assert.deepEqual(composeServices('services: [\n'), []);
		assert.deepEqual(composeServices(''), []);
	});

	it('reads Dockerfile stages: FROM, ENV (both forms, continued), COPY and ADD from the context', () => {
		const text = 'FROM python:3.12 AS build\nENV A=1\nFROM nginx:alpine\nENV NGINX_PORT=80 \\\n    SERVER_NAME="a b"\nENV OLD value with words\nCOPY --chown=nginx templates /etc/nginx/templates/\nCOPY --from=build /x /y\nADD ["a.conf.template", "/etc/nginx/templates/"]\n';
		const stages = dockerfileStages(text);
		assert.deepEqual(stages.map(s => [s.from.value, s.name]), [['python:3.12', 'build'], ['nginx:alpine', undefined]]);
		assert.deepEqual(stages[1].env.map(e => [e.name, e.value, text.slice(e.offset, e.offset + e.length)]), [
			['NGINX_PORT', '80', 'NGINX_PORT=80'], ['SERVER_NAME', 'a b', 'SERVER_NAME="a b"'], ['OLD', 'value with words', 'OLD value with words'],
		]);
		assert.deepEqual(stages[1].copies.map(c => [c.sources, c.dest]), [[['templates'], '/etc/nginx/templates/'], [['a.conf.template'], '/etc/nginx/templates/']]);
	});

	it('knows the images whose entrypoint fills in templates', () => {
		for (const i of ['nginx', 'nginx:1.27', 'library/nginx:alpine', 'docker.io/library/nginx@sha256:ab', 'nginxinc/nginx-unprivileged:stable']) { assert.ok(isNginxImage(i), i); }
		for (const i of ['bitnami/nginx', 'mynginx', 'nginx-proxy', 'jwilder/nginx-proxy']) { assert.ok(!isNginxImage(i), i); }
	});
});

function hoverAt(files: Record<string, string>, p: string, needle: string): string | undefined {
	const { svc, docs } = workspaceOf(files);
	const d = docs.get(p)!;
	const h = svc.doHover(d, d.positionAt(d.getText().indexOf(needle) + 2));
	return h ? (h.contents as { value: string }).value : undefined;
}

describe('templates: hover on ${VAR} shows the value the container gets', () => {
	const TEMPLATE = 'server {\n    listen ${NGINX_PORT};\n    server_name ${SERVER_NAME};\n    location / { return 200 "$host"; }\n}\n';

	it('from compose environment (map or list), with the file written in the container', () => {
		const files = {
			'/w/docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./nginx/templates:/etc/nginx/templates:ro\n    environment:\n      NGINX_PORT: "8080"\n    env_file: .env.nginx\n',
			'/w/nginx/templates/default.conf.template': TEMPLATE,
		};
		const port = hoverAt(files, '/w/nginx/templates/default.conf.template', '${NGINX_PORT}')!;
		assert.match(port, /^\*\*\$\{NGINX_PORT\}\*\* — filled in when the container starts/);
		assert.match(port, /`8080` — `environment` of the compose service `web` \(docker-compose\.yml\), \[line 7\]\(file:\/\/\/w\/docker-compose\.yml#L7\)/);
		assert.match(port, /written to `\/etc\/nginx\/conf\.d\/default\.conf`/);
		const name = hoverAt(files, '/w/nginx/templates/default.conf.template', '${SERVER_NAME}')!;
		assert.match(name, /Not set by the compose service `web` \(docker-compose\.yml\) \(its env_file `\.env\.nginx` may set it\)/);
		const list = hoverAt({ ...files, '/w/docker-compose.yml': 'services:\n  web:\n    image: nginx\n    volumes: ["./nginx/templates:/etc/nginx/templates"]\n    environment:\n      - NGINX_PORT=80\n      - SERVER_NAME\n' },
			'/w/nginx/templates/default.conf.template', '${SERVER_NAME}')!;
		assert.match(list, /passes `SERVER_NAME` on from the environment compose runs in/);
	});

	it('from the Dockerfile that copies the template, compose environment over its ENV', () => {
		const dockerfile = 'FROM nginx:1.27-alpine\nENV NGINX_PORT=80 SERVER_NAME=docker.example\nCOPY templates/ /etc/nginx/templates/\n';
		const alone = { '/w/front/Dockerfile': dockerfile, '/w/front/templates/default.conf.template': TEMPLATE };
		assert.match(hoverAt(alone, '/w/front/templates/default.conf.template', '${SERVER_NAME}')!, /`docker\.example` — `ENV` of the image of Dockerfile, \[line 2\]/);
		const composed = { ...alone, '/w/compose.yaml': 'services:\n  front:\n    build: ./front\n    environment:\n      - NGINX_PORT=9000\n' };
		const port = hoverAt(composed, '/w/front/templates/default.conf.template', '${NGINX_PORT}')!;
		assert.match(port, /`9000` — `environment` of the compose service `front` \(compose\.yaml\)/);
		assert.match(hoverAt(composed, '/w/front/templates/default.conf.template', '${SERVER_NAME}')!, /`docker\.example` — `ENV` of the compose service `front`/);
	});

	it('follows a moved templates folder, a single mounted file; ignores other images and other folders', () => {
		const moved = {
			'/w/compose.yml': 'services:\n  web:\n    image: nginx\n    volumes:\n      - ./conf:/templates\n    environment:\n      NGINX_ENVSUBST_TEMPLATE_DIR: /templates\n      NGINX_PORT: "81"\n',
			'/w/conf/site.conf.template': TEMPLATE,
		};
		assert.match(hoverAt(moved, '/w/conf/site.conf.template', '${NGINX_PORT}')!, /`81`[^]*written to `\/etc\/nginx\/conf\.d\/site\.conf`/);
		const single = {
			'/w/compose.yml': 'services:\n  web:\n    image: nginx\n    volumes:\n      - ./site.conf.tpl:/etc/nginx/templates/default.conf.template\n    environment:\n      NGINX_PORT: "82"\n',
			'/w/site.conf.tpl': TEMPLATE,
		};
		assert.match(hoverAt(single, '/w/site.conf.tpl', '${NGINX_PORT}')!, /`82`/);
		const other = {
			'/w/compose.yml': 'services:\n  web:\n    image: bitnami/nginx\n    volumes:\n      - ./templates:/etc/nginx/templates\n    environment:\n      NGINX_PORT: "83"\n',
			'/w/templates/default.conf.template': TEMPLATE,
		};
		const none = hoverAt(other, '/w/templates/default.conf.template', '${NGINX_PORT}')!;
		assert.match(none, /No compose service or Dockerfile of the workspace gives this file to the nginx image/);
		assert.doesNotMatch(none, /83/);
	});

	it('nginx\'s own variables keep their hover; a plain config has no template hover', async () => {
		const { svc, docs } = workspaceOf({ '/w/templates/default.conf.template': TEMPLATE, '/w/nginx/site.conf': TEMPLATE });
		await svc.ready;
		const at = (p: string, needle: string) => {
			const d = docs.get(p)!;
			const h = svc.doHover(d, d.positionAt(d.getText().indexOf(needle) + 2));
			return h ? (h.contents as { value: string }).value : '';
		};
		assert.match(at('/w/templates/default.conf.template', '$host'), /^\*\*\$host\*\* — nginx variable/);
		assert.match(at('/w/templates/default.conf.template', '${SERVER_NAME}'), /filled in when the container starts/);
		assert.doesNotMatch(at('/w/nginx/site.conf', '${NGINX_PORT}'), /filled in when the container starts/);
	});
});
