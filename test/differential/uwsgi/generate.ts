/**
 * Random uWSGI configs around a trivial WSGI app: an ini file or a command line (in a shell
 * script), with the options real deployments use — sockets of every kind, master and workers,
 * timeouts, buffers, switches, placeholders — and mutations of the kinds people write: an inline
 * comment, a misspelled key, a boolean or a number uWSGI reads differently, a bad chmod, protocol
 * or port, a byte-order mark, a section uWSGI does not read, a repeated option, a missing value.
 */
import type { Rng } from '../../helpers/rng';

export interface UwsgiCase {
	form: 'ini' | 'command';
	/** Options in order (key, value; value undefined: a switch written without a value). */
	options: [string, string | undefined][];
	/** The section header line (ini only). */
	header: string;
	/** Bytes before the first line (a byte-order mark). */
	prefix: string;
	origin: string[];
}

export const APP = `def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'differential-ok']
`;

/** The options every case starts from; `dir` is the sandbox, `port` a free port of the case. */
export function generateUwsgiCase(r: Rng, dir: string, port: number): UwsgiCase {
	const form = r.chance(0.35) ? 'command' : 'ini';
	const o: [string, string | undefined][] = [['plugin', 'python3']];
	// a placeholder of one's own exists only in ini files (on a command line it is an unknown option)
	const base = form === 'ini' && r.chance(0.3);
	if (base) { o.push(['base', dir]); }
	const at = (p: string) => (base ? `%(base)/${p}` : `${dir}/${p}`);
	if (r.chance(0.6)) { o.push(['chdir', base ? '%(base)' : dir]); }
	o.push(r.pick<[string, string]>([['module', 'app'], ['module', 'app:application'], ['wsgi-file', at('app.py')], ['mount', `/=${at('app.py')}`]]));
	if (!o.some(([k]) => k === 'chdir')) { o.push(['pythonpath', dir]); }
	switch (r.int(0, 3)) {
		case 0: o.push(['socket', `127.0.0.1:${port}`]); break;
		case 1: o.push(['http-socket', `127.0.0.1:${port}`]); break;
		case 2: o.push(['socket', at('app.sock')]); if (r.chance(0.5)) { o.push(['chmod-socket', r.pick(['660', '664', '666'])]); } break;
		default: o.push(['uwsgi-socket', `127.0.0.1:${port}`]); break;
	}
	const master = r.chance(0.7);
	if (master) { o.push(['master', r.pick(['true', '1', 'yes', 'on'])]); }
	const workers = r.int(1, 3);
	o.push([r.pick(['processes', 'workers']), String(workers)]);
	if (r.chance(0.3)) { o.push(['threads', String(r.int(1, 4))]); }
	if (r.chance(0.3)) { o.push(['enable-threads', 'true']); }
	const extras: [string, () => string][] = [
		['harakiri', () => r.pick(['30', '60', '300'])],
		['max-requests', () => r.pick(['1000', '5000'])],
		['buffer-size', () => r.pick(['4096', '8192', '32768', '65535'])],
		['post-buffering', () => r.pick(['4096', '8192'])],
		['vacuum', () => 'true'],
		['die-on-term', () => 'true'],
		['lazy-apps', () => 'true'],
		['single-interpreter', () => 'true'],
		['need-app', () => 'true'],
		['thunder-lock', () => 'true'],
		['memory-report', () => 'true'],
		['disable-logging', () => 'true'],
		['log-date', () => 'true'],
		['listen', () => r.pick(['64', '100'])],
		['socket-timeout', () => r.pick(['4', '10'])],
		['reload-on-rss', () => '200'],
		['max-worker-lifetime', () => '3600'],
		['env', () => r.pick(['DJANGO_SETTINGS_MODULE=app.settings', 'LANG=C.UTF-8'])],
		['offload-threads', () => '1'],
		['static-map', () => `/static=${dir}/static`],
		['harakiri-verbose', () => 'true'],
		['auto-procname', () => 'true'],
		['procname-prefix-spaced', () => 'app'],
		['reload-mercy', () => '8'],
		['worker-reload-mercy', () => '8'],
		['limit-post', () => '1048576'],
		['add-header', () => 'X-App: test'],
		['hook-master-start', () => 'unix_signal:15 gracefully_kill_them_all'],
	];
	if (master && workers > 1 && r.chance(0.2)) { o.push(['cheaper', String(workers - 1)]); }
	if (master && r.chance(0.2)) { o.push(['stats', `127.0.0.1:${port + 1}`]); }
	const used = new Set<string>();
	for (let n = r.int(1, 6); n > 0; n--) {
		const [k, v] = r.pick(extras);
		if (used.has(k)) { continue; }
		used.add(k);
		o.push([k, v()]);
	}
	// on a command line a switch is written alone (`--master`): a value after it would be read as a config file
	if (form === 'command') {
		for (const opt of o) { if (SWITCHES.has(opt[0])) { opt[1] = undefined; } }
	}
	return { form, options: o, header: '[uwsgi]', prefix: '', origin: ['generated'] };
}

const SWITCHES = new Set(['master', 'enable-threads', 'vacuum', 'die-on-term', 'lazy-apps', 'single-interpreter', 'need-app', 'thunder-lock', 'memory-report', 'disable-logging', 'log-date', 'harakiri-verbose', 'auto-procname']);

const LETTERS = 'abcdefghijklmnopqrstuvwxyz-';

type Mutation = (c: UwsgiCase, r: Rng) => string | undefined;

const pickOption = (c: UwsgiCase, r: Rng, keep: (k: string, v: string | undefined) => boolean): number | undefined => {
	const idx = c.options.map((o, i) => [o, i] as const).filter(([[k, v]]) => k !== 'plugin' && keep(k, v)).map(([, i]) => i);
	return idx.length ? r.pick(idx) : undefined;
};

const inlineComment: Mutation = (c, r) => {
	if (c.form !== 'ini') { return undefined; }
	const i = pickOption(c, r, (_k, v) => v !== undefined);
	if (i === undefined) { return undefined; }
	const comment = r.pick(['# note', '; note', '  # nginx group', '# seconds', '#x']);
	c.options[i][1] = `${c.options[i][1]} ${comment}`;
	return `${c.options[i][0]}: inline comment`;
};

const misspellKey: Mutation = (c, r) => {
	const i = pickOption(c, r, k => k.length > 4 && !/socket|module|wsgi-file|mount|chdir|pythonpath/.test(k));
	if (i === undefined) { return undefined; }
	const k = c.options[i][0];
	const at = r.int(1, k.length - 2);
	const wrong = r.chance(0.5) ? k.slice(0, at) + k.slice(at + 1) : k.slice(0, at) + r.pick([...LETTERS]) + k.slice(at);
	c.options[i][0] = wrong;
	return `misspell ${k} → ${wrong}`;
};

const BOOLS = ['ture', 'flase', 'false', 'no', 'off', '0', 'yes', 'True', 'enabled', 'disabled', ''];
const badBoolean: Mutation = (c, r) => {
	const i = pickOption(c, r, (k, v) => (/^(true|1|yes|on|false)$/.test(v ?? '') || v === undefined && SWITCHES.has(k)) && k !== 'strict');
	if (i === undefined) { return undefined; }
	const v = r.pick(BOOLS);
	c.options[i][1] = v;
	return `${c.options[i][0]} = ${v}`;
};

const NUMBERS = ['30s', '64k', '65536', '1m', 'four', '-1', '0', '1e3', '0x10', ' 12', '100000', '99999999999'];
const badNumber: Mutation = (c, r) => {
	const i = pickOption(c, r, (_k, v) => /^\d+$/.test(v ?? ''));
	if (i === undefined) { return undefined; }
	const v = r.pick(NUMBERS);
	c.options[i][1] = v;
	return `${c.options[i][0]} = ${v}`;
};

const badChmod: Mutation = (c, r) => {
	const i = c.options.findIndex(([k]) => k === 'chmod-socket');
	const v = r.pick(['0660', '664 # nginx group', '9999', 'rw', '777', '66', '6600', '1']);
	if (i >= 0) { c.options[i][1] = v; } else { c.options.push(['chmod-socket', v]); }
	return `chmod-socket = ${v}`;
};

const badProtocol: Mutation = (c, r) => {
	const v = r.pick(['htpp', 'http', 'uwsgi', 'fastcgi', 'HTTP', 'https', 'scgi', 'uwsgidecoder']);
	c.options.push(['protocol', v]);
	return `protocol = ${v}`;
};

const badSocket: Mutation = (c, r) => {
	const i = pickOption(c, r, k => /socket$/.test(k) && k !== 'chmod-socket');
	if (i === undefined) { return undefined; }
	const was = c.options[i][1] ?? '';
	const v = was.includes(':') ? was.replace(/:\d+$/, `:${r.pick(['99999', 'abc', '', '-1', '65536'])}`) : r.pick(['', '/nonexistent/dir/app.sock', was + '/']);
	c.options[i][1] = v;
	return `${c.options[i][0]}: ${was} → ${v}`;
};

const bom: Mutation = c => {
	if (c.form !== 'ini') { return undefined; }
	c.prefix = '\ufeff';
	return 'byte-order mark';
};

const badSection: Mutation = (c, r) => {
	if (c.form !== 'ini') { return undefined; }
	c.header = r.pick(['[ uwsgi ]', '[uWSGI]', '[uwsgi', '[uwsgi] # main', '']);
	return `section header ${JSON.stringify(c.header)}`;
};

const repeat: Mutation = (c, r) => {
	const i = pickOption(c, r, () => true);
	if (i === undefined) { return undefined; }
	c.options.push([c.options[i][0], c.options[i][1]]);
	return `repeat ${c.options[i][0]}`;
};

const noValue: Mutation = (c, r) => {
	const i = pickOption(c, r, (_k, v) => v !== undefined);
	if (i === undefined) { return undefined; }
	c.options[i][1] = c.form === 'ini' ? '' : undefined;
	return `${c.options[i][0]} without a value`;
};

const dropSocket: Mutation = c => {
	const before = c.options.length;
	c.options = c.options.filter(([k]) => !/^(socket|http-socket|uwsgi-socket)$/.test(k));
	return before !== c.options.length ? 'no socket' : undefined;
};

const chdirComment: Mutation = (c, r) => {
	if (c.form !== 'ini') { return undefined; }
	const i = c.options.findIndex(([k]) => k === 'chdir');
	if (i < 0) { return undefined; }
	c.options[i][1] = `${c.options[i][1]}${r.pick(['  # comment', ' ; app root'])}`;
	return 'chdir with an inline comment';
};

export const UWSGI_MUTATIONS: readonly (readonly [string, Mutation, number])[] = [
	['inline-comment', inlineComment, 4],
	['misspell', misspellKey, 3],
	['boolean', badBoolean, 3],
	['number', badNumber, 3],
	['chmod', badChmod, 2],
	['protocol', badProtocol, 2],
	['socket', badSocket, 2],
	['bom', bom, 1],
	['section', badSection, 1],
	['repeat', repeat, 2],
	['no-value', noValue, 1],
	['no-socket', dropSocket, 0.5],
	['chdir-comment', chdirComment, 1],
];

export function mutateUwsgi(c: UwsgiCase, r: Rng): string | undefined {
	for (let attempt = 0; attempt < 8; attempt++) {
		const [name, m] = r.weighted(UWSGI_MUTATIONS.map(([n, f, w]) => [[n, f] as const, w] as const));
		const did = m(c, r);
		if (did) {
			c.origin.push(`${name}: ${did}`);
			return did;
		}
	}
	return undefined;
}

/** The ini text of a case. */
export function iniText(c: UwsgiCase): string {
	const lines = c.options.map(([k, v]) => (v === undefined ? k : `${k} = ${v}`));
	return `${c.prefix}${c.header ? `${c.header}\n` : ''}${lines.join('\n')}\n`;
}

/** The argv of a command-line case (without the program). */
export function argv(c: UwsgiCase): string[] {
	const out: string[] = [];
	for (const [k, v] of c.options) {
		out.push(`--${k}`);
		if (v !== undefined) { out.push(v); }
	}
	return out;
}

/** A shell script that runs the command line (what our engine reads). */
export function scriptText(c: UwsgiCase): string {
	const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
	return `#!/bin/sh\n${c.prefix}exec uwsgi ${argv(c).map(quote).join(' ')}\n`;
}
