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
