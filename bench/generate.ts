/** Generated inputs for the benchmarks. */

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
 * An nginx config of about `targetBytes`: virtual hosts in front of uWSGI apps, each with an
 * upstream, TLS, locations (prefix, regex, named), static files, a map, includes of the standard
 * uwsgi_params, headers and timeouts — shaped like a big real deployment.
 */
export function generateNginxConfig(targetBytes: number): string {
	const head = [
		'user www-data;', 'worker_processes auto;', 'pid /run/nginx.pid;', '',
		'events {', '    worker_connections 1024;', '}', '',
		'http {', '    include mime.types;', '    default_type application/octet-stream;', '    sendfile on;',
		'    keepalive_timeout 65;', '    server_tokens off;',
		'    log_format main \'$remote_addr - $remote_user [$time_local] "$request" \'', '                    \'$status $body_bytes_sent "$http_referer" "$http_user_agent"\';',
		'    map $http_upgrade $connection_upgrade {', '        default upgrade;', '        \'\' close;', '    }', '',
	];
	const out = [...head];
	let size = out.join('\n').length;
	for (let i = 0; size < targetBytes - 200; i++) {
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
			`        ssl_certificate /etc/ssl/${name}.crt;`,
			`        ssl_certificate_key /etc/ssl/${name}.key;`,
			'        ssl_protocols TLSv1.2 TLSv1.3;',
			'        client_max_body_size 20m;',
			`        access_log /var/log/nginx/${name}.access.log main;`,
			'        location / {',
			'            include uwsgi_params;',
			`            uwsgi_pass ${name};`,
			'            uwsgi_read_timeout 60s;',
			'            uwsgi_buffers 8 16k;',
			'            add_header X-Frame-Options DENY;',
			'        }',
			`        location ~ ^/api/v(\\d+)/items/(?<id>\\d+)$ {`,
			'            include uwsgi_params;',
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
