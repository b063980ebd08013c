/** Generated inputs for the benchmarks, and the engine's work on them as the benchmarks time it. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../server/src/service';

/**
 * A 10,000-line uWSGI ini shaped like a big real one (an emperor-style file with many routes,
 * env vars, static maps, cron jobs and hooks; placeholders, logic blocks, comments) with a few
 * mistakes in it.
 */
export function generateUwsgiIni(lines: number): string {
	const out = [
		'[uwsgi]', 'base = /srv/apps', 'project = shop', 'socket = /run/uwsgi/%(project).sock', 'chdir = %(base)/%(project)',
		'module = %(project).wsgi:application', 'master = true', 'processes = %k', 'threads = 2', 'harakiri = 30', 'vacuum = true',
		'buffer-size = 32768', 'stats = 127.0.0.1:9191', 'chmod-socket = 660', 'vaccum = true', 'lazy-apps = flase',
		'max-requests = 5000 # recycle', 'workers = four',
	];
	const body = (i: number) => [
		`# block ${i}`,
		`env = APP_SETTING_${i}=%(base)/value-${i}`,
		`route = ^/api/v${i % 7}/items/${i}$ rewrite:/items?id=${i}`,
		`static-map = /static-${i}=%(base)/%(project)/static/${i}`,
		'if-env = DEBUG',
		`print = debug block ${i}`,
		'endif =',
		`cron = ${i % 60} -1 -1 -1 -1 /usr/bin/true`,
		`hook-as-root = exec:mkdir -p /run/app/${i}`,
		'',
	];
	for (let i = 0; out.length < lines; i++) { out.push(...body(i)); }
	return out.slice(0, lines).join('\n') + '\n';
}

/**
 * An nginx config of about `targetBytes` (or `maxLines` lines): virtual hosts in front of uWSGI
 * apps, each with an upstream, TLS, locations (prefix, regex, named), static files, a map,
 * includes of the standard uwsgi_params and of a snippet (NGINX_SNIPPETS), headers and timeouts —
 * shaped like a big real deployment. `nginx -t` accepts it when the files it names are present
 * in its prefix (see bench/run.ts): relative paths (certificates, logs, snippets) keep it off
 * system folders, and there is no `pid` line so the command line can set one.
 */
export function generateNginxConfig(targetBytes: number, maxLines = Infinity): string {
	const head = [
		'user www-data;', 'worker_processes auto;', '',
		'events {', '    worker_connections 1024;', '}', '',
		'http {', '    include mime.types;', '    default_type application/octet-stream;', '    sendfile on;',
		'    keepalive_timeout 65;', '    server_tokens off;',
		'    log_format main \'$remote_addr - $remote_user [$time_local] "$request" \'', '                    \'$status $body_bytes_sent "$http_referer" "$http_user_agent"\';',
		'    map $http_upgrade $connection_upgrade {', '        default upgrade;', '        \'\' close;', '    }', '',
	];
	const out = [...head];
	let size = out.join('\n').length;
	for (let i = 0; size < targetBytes - 200 && out.length < maxLines - 42; i++) {
		const name = `app${i}`;
		const block = [
			`    upstream ${name} {`,
			`        server unix:/run/uwsgi/${name}.sock;`,
			`        server 127.0.0.1:${3000 + (i % 5000)} backup;`,
			'        keepalive 8;',
			'    }',
			`    map $request_uri $${name}_cache {`,
			'        default off;',
			'        ~^/static/ on;',
			`        "~^/api/v[0-9]+/${name}/" off;`,
			'    }',
			'    server {',
			'        listen 80;',
			'        listen 443 ssl;',
			`        server_name ${name}.example.com www.${name}.example.com;`,
			'        ssl_certificate ssl/site.crt;',
			'        ssl_certificate_key ssl/site.key;',
			'        ssl_protocols TLSv1.2 TLSv1.3;',
			'        client_max_body_size 20m;',
			`        access_log logs/${name}.access.log main;`,
			'        location / {',
			'            include uwsgi_params;',
			`            uwsgi_pass ${name};`,
			'            uwsgi_read_timeout 60s;',
			'            uwsgi_buffers 8 16k;',
			'            add_header X-Frame-Options DENY;',
			'        }',
			`        location ~ ^/api/v(\\d+)/items/(?<id>\\d+)$ {`,
			'            include snippets/uwsgi-app.conf;',
			`            uwsgi_param HTTP_X_ITEM $id;`,
			`            uwsgi_pass ${name};`,
			'        }',
			'        location /static/ {',
			`            alias /srv/${name}/static/;`,
			'            expires 30d;',
			'        }',
			'        location @maintenance {',
			'            return 503;',
			'        }',
			'        error_page 502 503 @maintenance;',
			'    }',
			'',
		];
		out.push(...block);
		size += block.join('\n').length + 1;
	}
	out.push('}', '');
	return out.join('\n');
}

/** Files the generated nginx config includes besides nginx's standard ones, relative to its folder. */
export const NGINX_SNIPPETS: Readonly<Record<string, string>> = {
	'snippets/uwsgi-app.conf': '# shared by the API locations\ninclude uwsgi_params;\nuwsgi_param HTTP_X_FORWARDED_PROTO $scheme;\nuwsgi_read_timeout 60s;\n',
};

/**
 * The engine's work on a generated config, as the benchmarks time it: a new language service
 * whose workspace holds the config and the snippets it includes, parsing and validating the
 * config. Throws if anything is reported: the generated config is valid (`nginx -t` accepts it),
 * so a diagnostic means the benchmark is timing the wrong work.
 */
export function validateGeneratedNginx(conf: string, folder: string): void {
	const svc = getLanguageService();
	for (const [rel, text] of Object.entries(NGINX_SNIPPETS)) { svc.workspace.setText(`file:///bench/${folder}/nginx/${rel}`, 'nginx', text); }
	const diagnostics = svc.doValidation(TextDocument.create(`file:///bench/${folder}/nginx/nginx.conf`, 'nginx', 1, conf));
	if (diagnostics.length) { throw new Error(`the generated config has ${diagnostics.length} diagnostics: ${diagnostics[0].message}`); }
}

/** A generated nginx config of about `lines` lines (whole virtual hosts). */
export function generateNginxLines(lines: number): string {
	return generateNginxConfig(Infinity, lines);
}

/**
 * A deployment repository of `files` config files: half nginx virtual hosts under
 * nginx/sites-enabled (included by nginx/nginx.conf through a glob; each includes a shared snippet
 * and passes to an upstream), half uWSGI vassals under uwsgi/vassals serving the sockets the hosts
 * pass to. Every 100th vassal's socket has drifted (socket-not-served and socket-unreferenced) and
 * every 97th has a harakiri above nginx's read timeout (timeout-mismatch), so the cross-file
 * checks have something to find. Returns relative path → text.
 */
export function generateWorkspace(files: number): Map<string, string> {
	const out = new Map<string, string>();
	out.set('nginx/nginx.conf', [
		'user www-data;', 'worker_processes auto;', '', 'events {', '    worker_connections 1024;', '}', '',
		'http {', '    include mime.types;', '    sendfile on;', '    keepalive_timeout 65;', '    include sites-enabled/*.conf;', '}', '',
	].join('\n'));
	out.set('nginx/snippets/app.conf', '# context: http.location\ninclude uwsgi_params;\nuwsgi_read_timeout 60s;\nuwsgi_buffers 8 16k;\n');
	const hosts = Math.max(1, Math.floor((files - 2) / 2));
	const vassals = Math.max(1, files - 2 - hosts);
	for (let i = 0; i < hosts; i++) {
		const name = `app${i}`;
		out.set(`nginx/sites-enabled/${name}.conf`, [
			`upstream ${name} {`,
			`    server unix:/run/uwsgi/${name}.sock;`,
			'}',
			'server {',
			'    listen 80;',
			`    server_name ${name}.example.com;`,
			`    access_log /var/log/nginx/${name}.access.log;`,
			'    location / {',
			'        include snippets/app.conf;',
			`        uwsgi_pass ${name};`,
			'    }',
			'    location /api/ {',
			'        include uwsgi_params;',
			`        uwsgi_pass 127.0.0.1:${10000 + i};`,
			'        uwsgi_read_timeout 60s;',
			'    }',
			'    location /static/ {',
			`        alias /srv/${name}/static/;`,
			'        expires 30d;',
			'    }',
			'}',
			'',
		].join('\n'));
	}
	for (let i = 0; i < vassals; i++) {
		const name = `app${i}`;
		const drifted = i % 100 === 99;
		out.set(`uwsgi/vassals/${name}.ini`, [
			'[uwsgi]',
			`project = ${name}`,
			'chdir = /srv/%(project)',
			'module = %(project).wsgi:application',
			'master = true',
			'processes = 4',
			`socket = /run/uwsgi/${drifted ? name + '-old' : name}.sock`,
			`socket = 127.0.0.1:${10000 + i}`,
			'chmod-socket = 660',
			'chown-socket = app:www-data',
			`harakiri = ${i % 97 === 96 ? 90 : 30}`,
			'vacuum = true',
			'',
		].join('\n'));
	}
	return out;
}
