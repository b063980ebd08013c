/**
 * Fuzzing helpers (issue 8): grammar-aware generators of nginx configs and uWSGI ini files,
 * byte-level mutations of seeds, and the properties every input must keep — the parsers and the
 * language service never throw (internal errors count as failures), every range they return lies
 * inside the document, parse → print gives the input back, and time per byte does not grow with
 * the size of pathological inputs.
 *
 * Used by test/fuzz/parsers.test.ts (seeded, a modest count) and test/fuzz/longRun.ts (long runs
 * over generated inputs and mutated corpus files). Imports the service the way the unit tests
 * do; it never touches ../shared.
 */
import * as fc from 'fast-check';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
	CodeAction, CodeLens, CompletionItem, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, Position, Range, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-types';
import { nginxDirectiveNames } from '../../server/src/data/nginxData';
import { uwsgiOptionNames } from '../../server/src/data/uwsgiData';
import { parseIni, printIni } from '../../server/src/parser/ini/parser';
import { LOGIC_END_KEYS, LOGIC_START_KEYS } from '../../server/src/parser/ini/logicKeys';
import { parseNginx, printNginx } from '../../server/src/parser/nginx/parser';
import { allCodes, getLanguageService, type LanguageService } from '../../server/src/service';
import { NGINX_PARSE_OPTIONS } from '../../server/src/service/workspace';

export type Kind = 'nginx' | 'uwsgi';
export const KINDS: readonly Kind[] = ['nginx', 'uwsgi'];

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Line starts as LSP counts lines (`\n`, `\r\n` and `\r` end a line), computed independently of TextDocument. */
export class LineIndex {
	readonly starts: number[] = [0];
	/** Length of each line without its line ending. */
	readonly lengths: number[] = [];

	constructor(readonly text: string) {
		const n = text.length;
		let lineStart = 0;
		for (let i = 0; i < n; i++) {
			const c = text.charCodeAt(i);
			if (c === 10 || c === 13) {
				this.lengths.push(i - lineStart);
				if (c === 13 && text.charCodeAt(i + 1) === 10) { i++; }
				lineStart = i + 1;
				this.starts.push(lineStart);
			}
		}
		this.lengths.push(n - lineStart);
	}

	get lineCount(): number {
		return this.starts.length;
	}

	/** The position of an offset (an offset between `\r` and `\n` counts as the end of its line). */
	positionAt(offset: number): Position {
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.starts[mid] <= offset) { lo = mid; } else { hi = mid - 1; }
		}
		return { line: lo, character: Math.min(offset - this.starts[lo], this.lengths[lo]) };
	}

	offsetAt(p: Position): number {
		return this.starts[p.line] + p.character;
	}

	/** Why a position is not inside the document, or undefined when it is. */
	checkPosition(p: Position | undefined): string | undefined {
		if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character)) { return `not a position: ${JSON.stringify(p)}`; }
		if (p.line < 0 || p.line >= this.lineCount) { return `line ${p.line} outside 0..${this.lineCount - 1}`; }
		if (p.character < 0 || p.character > this.lengths[p.line]) { return `character ${p.character} outside 0..${this.lengths[p.line]} on line ${p.line}`; }
		return undefined;
	}

	checkRange(r: Range | undefined): string | undefined {
		if (!r) { return 'no range'; }
		const bad = this.checkPosition(r.start) ?? this.checkPosition(r.end);
		if (bad) { return bad; }
		if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) { return `start after end: ${JSON.stringify(r)}`; }
		return undefined;
	}
}

function cmp(a: Position, b: Position): number {
	return a.line - b.line || a.character - b.character;
}

function rangeContains(outer: Range, inner: Range): boolean {
	return cmp(outer.start, inner.start) <= 0 && cmp(inner.end, outer.end) <= 0;
}

/** A short, JSON-escaped excerpt of a (possibly huge) input, for failure messages. */
export function excerpt(text: string, max = 400): string {
	return JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
}

/** Resident memory of a process in MB (Linux /proc/<pid>/status VmRSS). */
export function rssMb(pid: number): number {
	const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

/** The first offset where two strings differ (or -1). */
export function firstDifference(a: string, b: string): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) { if (a.charCodeAt(i) !== b.charCodeAt(i)) { return i; } }
	return a.length === b.length ? -1 : n;
}

// ---------------------------------------------------------------------------------------------
// Generators: nginx

const NGINX_NAMES: readonly string[] = [...nginxDirectiveNames()].sort();
const UWSGI_NAMES: readonly string[] = [...uwsgiOptionNames()];

const nginxBlockNames = ['http', 'server', 'location', 'events', 'upstream', 'if', 'limit_except', 'stream', 'mail', 'map', 'types', 'geo', 'split_clients', 'match'];

/** A directive name: mostly real (from the directive table), sometimes a typo or an unknown word. */
const nginxName: fc.Arbitrary<string> = fc.oneof(
	{ weight: 8, arbitrary: fc.constantFrom(...NGINX_NAMES) },
	{ weight: 2, arbitrary: fc.constantFrom(...nginxBlockNames) },
	{ weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NGINX_NAMES), fc.nat()).map(([n, k]) => typo(n, k)) },
	{ weight: 1, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/) },
);

function typo(word: string, k: number): string {
	if (word.length < 2) { return word + 'x'; }
	const i = k % word.length;
	switch (k % 3) {
		case 0: return word.slice(0, i) + word.slice(i + 1);
		case 1: return word.slice(0, i) + word[i] + word.slice(i);
		default: return i + 1 < word.length ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) : word + word[0];
	}
}

const nginxWords = [
	'on', 'off', '80', '443', 'ssl', 'http2', 'default_server', '[::]:80', '127.0.0.1:8000', 'localhost:3031', 'unix:/run/uwsgi/app.sock',
	'unix:/tmp/app.sock', 'app', 'backend', '/var/www/html', '/static/', '/etc/nginx/uwsgi_params', 'uwsgi_params', 'mime.types',
	'conf.d/*.conf', 'sites-enabled/*', '*.example.com', 'example.com', '10m', '1k', '64k', '30s', '1h', '5', '0', '-1', '100000000000000000000',
	'=', '~', '~*', '^~', '@fallback', '/', '=/exact', '\\.php$', '^/api/(?<rest>.*)$', '(a|b){2,3}', '^/(\\d+)$', 'http://backend',
	'https://$host$request_uri', 'http://unix:/run/app.sock:/', 'text/html', 'html', 'htm', 'application/json', 'main', 'combined', 'warn',
	'$host', '$request_uri', '$uri', '$1', '$arg_x', '${host}', '${uri}x', 'a$b${c}d', '$', '${', '${}', '$$', '\\;', '\\{', '\\"', '\\\\',
	'!-f', '-d', '($request_method', '=', 'POST)', '($http_x', '~', '"a")', '301', '404', '=404', 'max_fails=3', 'weight=5', 'backup',
	'keepalive', 'levels=1:2', 'keys_zone=one:10m', 'zone=one:10m', 'rate=1r/s', 'burst=5', 'nodelay', 'always', 'inherit', 'default',
];

const quotedPiece = fc.oneof(
	{ weight: 5, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 ./:_-]{0,8}$/) },
	{ weight: 2, arbitrary: fc.constantFrom('\\"', "\\'", '\\\\', '\\n', '\\t', '\\r', '\\', '$host', '${host}', '$1', '{', '}', ';', '#', ' ', '\n', '\t', 'é', '日本', '😀') },
);

function quoted(q: '"' | "'"): fc.Arbitrary<string> {
	return fc.tuple(fc.array(quotedPiece, { maxLength: 6 }), fc.integer({ min: 0, max: 19 }))
		.map(([pieces, close]) => q + pieces.join('').split(q).join('\\' + q) + (close === 0 ? '' : q));
}

const nginxArg: fc.Arbitrary<string> = fc.oneof(
	{ weight: 10, arbitrary: fc.constantFrom(...nginxWords) },
	{ weight: 3, arbitrary: quoted('"') },
	{ weight: 2, arbitrary: quoted("'") },
	{ weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9_./:-]{1,12}$/) },
	{ weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^[a-z_]{1,8}$/), fc.boolean()).map(([v, braces]) => (braces ? `\${${v}}` : `$${v}`)) },
	{ weight: 1, arbitrary: fc.constantFrom(...NGINX_NAMES) },
);

const blank = fc.constantFrom(' ', ' ', ' ', '  ', '\t', ' \t ');
const sep = fc.constantFrom('\n', '\n', '\n', '\n', ' ', '\n\n', '\n    ', '');

function joinArgs(args: readonly string[], blanks: readonly string[]): string {
	let out = '';
	args.forEach((a, i) => { out += blanks[i % blanks.length] + a; });
	return out;
}

const nginxTerminator = fc.constantFrom(';', ';', ';', ';', ';', ';', ';', ' ;', '', '\n;');

const nginxComment = fc.tuple(fc.constantFrom('#', '# ', '#!'), fc.stringMatching(/^[^\r\n]{0,20}$/)).map(([h, t]) => h + t);

const simpleDirective = fc.tuple(nginxName, fc.array(nginxArg, { maxLength: 4 }), fc.array(blank, { minLength: 1, maxLength: 3 }), nginxTerminator, fc.option(nginxComment, { freq: 8 }))
	.map(([name, args, blanks, term, comment]) => `${name}${joinArgs(args, blanks)}${term}${comment ? ' ' + comment : ''}`);

const mapBody = fc.array(fc.tuple(fc.constantFrom('default', 'hostnames', 'volatile', '~^/a', '~*\\.png$', 'example.com', '*.example.org', '"quoted key"', '$x', '\\"', 'text/html', 'include'),
	fc.constantFrom('0', '1', 'on', '$uri', '"v;{"', 'html htm shtml', 'map.conf', 'value'), nginxTerminator), { maxLength: 5 })
	.map(lines => lines.map(([k, v, t]) => `${k} ${v}${t}`));

const dataBlock = fc.tuple(fc.constantFrom('map $http_host $name', 'map $uri $new', 'types', 'geo $remote_addr $geo', 'split_clients "${remote_addr}AAA" $variant', 'charset_map koi8-r utf-8'), mapBody, fc.integer({ min: 0, max: 9 }))
	.map(([head, lines, close]) => `${head} {\n${lines.map(l => '    ' + l).join('\n')}\n${close === 0 ? '' : '}'}`);

const luaPiece = fc.constantFrom(
	'local s = "}"', "local t = '{'", 'ngx.say("hello")', '-- } comment }', '--[[ } ]]', '--[==[ { ]==]', 'local l = [[ } ]]', 'local m = [=[ ]] } ]=]',
	'if x then y() end', 'local tbl = { a = 1, b = { 2 } }', 'ngx.exit(404)', '"unterminated', '[[ never closed', '\\"', 'local s = "a\\"}"', '}', '{',
);

const luaBlock = fc.tuple(fc.constantFrom('content_by_lua_block', 'access_by_lua_block', 'init_by_lua_block', 'rewrite_by_lua_block', 'log_by_lua_block'), fc.array(luaPiece, { maxLength: 5 }), fc.integer({ min: 0, max: 9 }))
	.map(([name, pieces, close]) => `${name} {\n${pieces.map(p => '    ' + p).join('\n')}\n${close === 0 ? '' : '}'}`);

const ifCondition = fc.constantFrom('($request_method = POST)', '(-f $request_filename)', '($http_user_agent ~* "bot")', '($arg_x ~ ^(a|b){2}$)', '($x', '()', '(!-e $uri)', '($a = "b;c")');

const blockHead = fc.oneof(
	fc.constantFrom('http', 'events', 'server', 'stream', 'mail'),
	fc.tuple(fc.constantFrom('location', 'location =', 'location ~', 'location ~*', 'location ^~'), fc.constantFrom('/', '/static/', '\\.php$', '@named', '/api', '~ ^/(\\d+)$', '"/quoted path"', '/a{2,3}'))
		.map(([l, p]) => `${l} ${p}`),
	fc.tuple(fc.constantFrom('upstream'), fc.constantFrom('app', 'backend', 'django')).map(([u, n]) => `${u} ${n}`),
	ifCondition.map(c => `if ${c}`),
	fc.constantFrom('limit_except GET', 'server_name_block', 'match ok'),
	fc.tuple(nginxName, fc.array(nginxArg, { maxLength: 2 })).map(([n, a]) => [n, ...a].join(' ')),
);

function indent(text: string, unit: string): string {
	return text.split('\n').map(l => (l ? unit + l : l)).join('\n');
}

const { nginxStatements } = fc.letrec<{ nginxStatement: string; nginxBlock: string; nginxStatements: string }>(tie => ({
	nginxStatement: fc.oneof(
		{ depthSize: 'small', maxDepth: 6 },
		{ weight: 10, arbitrary: simpleDirective },
		{ weight: 2, arbitrary: nginxComment },
		{ weight: 1, arbitrary: dataBlock },
		{ weight: 1, arbitrary: luaBlock },
		{ weight: 4, arbitrary: tie('nginxBlock') },
	),
	nginxBlock: fc.tuple(blockHead, fc.constantFrom(' {', ' {', '{', '\n{', ' { '), fc.array(tie('nginxStatement'), { maxLength: 5 }), fc.constantFrom('    ', '    ', '\t', '  '), fc.integer({ min: 0, max: 14 }))
		.map(([head, open, body, unit, close]) => `${head}${open}\n${indent(body.join('\n'), unit)}\n${close === 0 ? '' : close === 1 ? '}}' : '}'}`),
	nginxStatements: fc.tuple(fc.array(tie('nginxStatement'), { maxLength: 8 }), fc.array(sep, { minLength: 1, maxLength: 3 }))
		.map(([stmts, seps]) => stmts.map((s, i) => (i ? seps[i % seps.length] : '') + s).join('')),
}));

/** Line endings a file may use: mostly `\n`, some CRLF, a few lone `\r`. */
const eolStyle = fc.constantFrom('\n', '\n', '\n', '\n', '\n', '\n', '\r\n', '\r\n', '\r');

function withEol(text: string, eol: string): string {
	return eol === '\n' ? text : text.split('\n').join(eol);
}

/** A random nginx config (grammar-aware: blocks nested up to ~6 deep, real directive names, Lua and data blocks). */
export const arbNginx: fc.Arbitrary<string> = fc.tuple(nginxStatements, eolStyle, fc.constantFrom('', '', '', '\n', '\n\n', '\uFEFF'))
	.map(([text, eol, tail]) => withEol(tail === '\uFEFF' ? tail + text : text + tail, eol));

// ---------------------------------------------------------------------------------------------
// Generators: uWSGI ini

const iniKeys = [...LOGIC_START_KEYS, ...LOGIC_END_KEYS, 'else', 'base', 'project', 'name', 'sockdir', 'ini', 'include', 'inherit', 'set-placeholder', 'set-ph', 'socket', 'http-socket', 'uwsgi-socket', 'http', 'stats', 'chmod-socket', 'chdir', 'module', 'harakiri', 'master', 'processes', 'threads', 'vacuum', 'env', 'route', 'static-map', 'plugins', 'protocol', 'uid', 'gid'];

const iniKey: fc.Arbitrary<string> = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom(...UWSGI_NAMES) },
	{ weight: 4, arbitrary: fc.constantFrom(...iniKeys) },
	{ weight: 1, arbitrary: fc.tuple(fc.constantFrom(...UWSGI_NAMES), fc.nat()).map(([n, k]) => typo(n, k)) },
	{ weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z0-9_.-]{1,12}$/) },
	{ weight: 1, arbitrary: fc.constantFrom('', ' ', 'key with spaces', '%(base)', 'a[b]', '[', '"quoted"', '日本') },
);

const iniValuePiece: fc.Arbitrary<string> = fc.oneof(
	{ weight: 6, arbitrary: fc.constantFrom('true', 'false', 'yes', 'no', 'on', 'off', '1', '0', '4', '30', '30s', '64k', '0660', '660', ':8000', '0.0.0.0:8000', '127.0.0.1:3031', '[::]:9000',
		'/run/uwsgi/app.sock', 'app.sock', '/srv/app', 'app.wsgi:application', 'python3', 'www-data', 'DJANGO_SETTINGS_MODULE=app.settings', '^/static/ static:/srv', ' ', ' ', ' # comment', ';', '=', 'x=y') },
	{ weight: 4, arbitrary: fc.constantFrom('%(base)', '%(project)', '%(name)', '%(undefined)', '%(base)/%(project)', '$(HOME)', '$(PORT)', '@(/etc/secret)', '@(exec://echo hi)', '%d', '%n', '%k', '%c', '%x', '%v', '%%', '%', '%(', '$(', '@(',
		'%(a %(b))', '%(x + 1)', '%(k * 2)', '%()', '%(%(nested))', '%(a)%(b)', '%%(base)', '%[', '%_') },
	{ weight: 2, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 ./:%()$@_-]{0,10}$/) },
	{ weight: 1, arbitrary: fc.constantFrom('é', '日本', '😀', '\t', '\u00a0', '\\', '"', "'", '{', '}', '#') },
);

const iniEntry = fc.tuple(iniKey, fc.constantFrom(' = ', '=', ' =', '= ', '\t=\t', ' = ', ' = ', ''), fc.array(iniValuePiece, { maxLength: 4 }), fc.constantFrom('', '', '', ' ', '\t'))
	.map(([k, eq, v, trail]) => (eq === '' ? k : `${k}${eq}${v.join('')}`) + trail);

const iniSection = fc.tuple(fc.constantFrom('', '', ' ', '\t'), fc.constantFrom('uwsgi', 'uwsgi', 'uwsgi', 'app', 'dev', ' uwsgi ', 'uwsgi:dev', '', 'UWSGI', '%(x)'), fc.constantFrom(']', ']', ']', '', '] ', ']x', ']]'))
	.map(([lead, name, close]) => `${lead}[${name}${close}`);

const iniComment = fc.tuple(fc.constantFrom('#', ';', '  #', '\t;'), fc.stringMatching(/^[^\r\n]{0,16}$/)).map(([h, t]) => h + t);

const { iniLines } = fc.letrec<{ iniLine: string; iniLogic: string; iniLines: string }>(tie => ({
	iniLine: fc.oneof(
		{ depthSize: 'small', maxDepth: 3 },
		{ weight: 10, arbitrary: iniEntry },
		{ weight: 2, arbitrary: iniSection },
		{ weight: 2, arbitrary: iniComment },
		{ weight: 1, arbitrary: fc.constantFrom('', '', ' ', '\t') },
		{ weight: 2, arbitrary: tie('iniLogic') },
	),
	iniLogic: fc.tuple(
		fc.constantFrom('if-env = DEBUG', 'if-not-env = PROD', 'if-exists = /etc/x', 'for = a b c', 'for-glob = /etc/*.ini', 'if-opt = master', 'ifdir = /srv', 'for-times = 3', 'if-hostname = web1'),
		fc.array(tie('iniLine'), { maxLength: 4 }),
		fc.constantFrom('endif =', 'endif', 'endfor =', 'end', 'end-if', '', 'else =', 'endfor ='),
	).map(([head, body, end]) => [head, ...body, end].join('\n')),
	iniLines: fc.tuple(fc.boolean(), fc.array(tie('iniLine'), { maxLength: 14 })).map(([header, lines]) => (header ? ['[uwsgi]', ...lines] : lines).join('\n')),
}));

/** A random uWSGI ini (sections, real option names, references, magic variables, logic blocks). */
export const arbIni: fc.Arbitrary<string> = fc.tuple(iniLines, eolStyle, fc.constantFrom('', '\n', '\n', '\n\n', '%', '\uFEFF'))
	.map(([text, eol, tail]) => withEol(tail === '\uFEFF' ? tail + text : text + tail, eol));

// ---------------------------------------------------------------------------------------------
// Seeds and mutations

/** Small hand-written seeds (in the repository, so the unit suite needs nothing from ../shared). */
export const SEEDS: Record<Kind, readonly string[]> = {
	nginx: [
		'user www-data;\nworker_processes auto;\nevents {\n    worker_connections 1024;\n}\nhttp {\n    include mime.types;\n    upstream app {\n        server unix:/run/uwsgi/app.sock;\n    }\n    server {\n        listen 80 default_server;\n        server_name example.com *.example.com;\n        location / {\n            include uwsgi_params;\n            uwsgi_pass app;\n            uwsgi_read_timeout 30s;\n        }\n        location ~ ^/static/(.*)$ {\n            alias /srv/static/$1;\n        }\n        location = /x { return 301 https://$host$request_uri; }\n    }\n}\n',
		'server {\n    listen 8080;\n    location /api {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n        if ($request_method = POST) { return 405; }\n    }\n    # comment { with braces }\n    error_page 404 /404.html;\n}\n',
		'map $http_upgrade $connection_upgrade {\n    default upgrade;\n    \'\'      close;\n}\ntypes {\n    text/html html htm;\n    application/json json;\n}\n',
		'location /lua {\n    content_by_lua_block {\n        local s = "}"\n        -- } not a close\n        ngx.say([[ { ]])\n    }\n}\n',
		'log_format main \'$remote_addr - "$request" \'\n                \'$status ${body_bytes_sent}\';\nrewrite ^/(\\d+)/?$ /item?id=$1 last;\nset $x "a\\"b\\\\c";\n',
		'http {\n  server {\n    listen 80\n    server_name a.example\n    location / {\n      uwsgi_pass 127.0.0.1:3031\n    }\n  }\n',
		'include /etc/nginx/conf.d/*.conf;\ninclude sites-enabled/*;\ninclude uwsgi_params;\n',
	],
	uwsgi: [
		'[uwsgi]\nbase = /srv/app\nproject = shop\nsocket = /run/uwsgi/%(project).sock\nchdir = %(base)\nmodule = %(project).wsgi:application\nmaster = true\nprocesses = %k\nharakiri = 30\nvacuum = true\nchmod-socket = 660\n',
		'[uwsgi]\nhttp = :8000\nstats = 0.0.0.0:9191\nif-env = DEBUG\npy-autoreload = 1\nendif =\nfor = a b c\nenv = X_%(_)=1\nendfor =\nmax-requests = 5000 # recycle\nlazy-apps = flase\n',
		'; comment\n# comment\n[app]\nkey = value\n[uwsgi]\nini = %d/base.ini\ninclude = other.ini\nsocket = :%(port)\nprint = 100%% done %\n',
		'[ uwsgi ]\nsocket=127.0.0.1:3031\r\nprotocol = http\r\n[uwsgi\nuid = root\n%(x\nvalue = $(HOME)/@(file)\n',
	],
};

/** What a mutation injects: syntax characters of both languages, control bytes, non-ASCII, broken UTF-16. */
export const INJECTIONS: readonly string[] = [
	'{', '}', ';', '"', "'", '#', '\\', '%', '\r', '\0', '\n', '\r\n', '\t', '[', ']', '=', '$', '${', '%(', '$(', '@(', ')', '(', ' ',
	'é', '日本語', '😀', '\u2028', '\u0085', '\uFEFF', '\uD800', '\uDC00', '\x1b', '\x7f', '\u00a0', '\uFFFD', '--[[', ']]',
	'{'.repeat(40), '}'.repeat(40), '"'.repeat(9), '\\'.repeat(9), '%'.repeat(9),
];

export type Mutation =
	| { readonly op: 'insert'; readonly at: number; readonly text: string }
	| { readonly op: 'delete'; readonly at: number; readonly length: number }
	| { readonly op: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
	| { readonly op: 'swap'; readonly at: number; readonly length: number; readonly to: number };

export const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...INJECTIONS) }) },
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 6 }) }) },
	{ weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
	{ weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }), to: fc.nat() }) },
	{ weight: 2, arbitrary: fc.record({ op: fc.constant('swap' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), to: fc.nat() }) },
);

/** Applies one mutation; positions wrap around the text. */
export function mutate(text: string, m: Mutation): string {
	const n = text.length;
	const at = n ? m.at % (n + 1) : 0;
	switch (m.op) {
		case 'insert': return text.slice(0, at) + m.text + text.slice(at);
		case 'delete': return text.slice(0, at) + text.slice(at + m.length);
		case 'duplicate': {
			const piece = text.slice(at, at + m.length);
			const to = m.to % (n + 1);
			return text.slice(0, to) + piece + text.slice(to);
		}
		case 'swap': {
			if (n < 2) { return text; }
			const a = at;
			const aEnd = Math.min(n, a + m.length);
			const b = m.to % (n + 1);
			if (b >= a && b < aEnd) { return text; }
			const bEnd = Math.min(n, b + m.length);
			if (b < a) {
				const e = Math.min(bEnd, a);
				return text.slice(0, b) + text.slice(a, aEnd) + text.slice(e, a) + text.slice(b, e) + text.slice(aEnd);
			}
			return text.slice(0, a) + text.slice(b, bEnd) + text.slice(aEnd, b) + text.slice(a, aEnd) + text.slice(bEnd);
		}
	}
}

/** Seeds with up to `max` mutations applied. */
export function arbMutated(seeds: fc.Arbitrary<string>, max = 8): fc.Arbitrary<string> {
	return fc.tuple(seeds, fc.array(arbMutation, { minLength: 1, maxLength: max })).map(([s, ms]) => ms.reduce(mutate, s));
}

/** The inputs of one language: grammar-aware, mutated grammar output, and mutated seeds. */
export function arbInput(kind: Kind, extraSeeds: readonly string[] = []): fc.Arbitrary<string> {
	const grammar = kind === 'nginx' ? arbNginx : arbIni;
	const seeds = fc.constantFrom(...SEEDS[kind], ...extraSeeds);
	return fc.oneof(
		{ weight: 4, arbitrary: grammar },
		{ weight: 3, arbitrary: arbMutated(grammar) },
		{ weight: 3, arbitrary: arbMutated(seeds) },
	);
}

/** Where requests go: fractions of the text length (so shrinking keeps them meaningful). */
export const arbPicks: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 0, max: 999_999 }).map(n => n / 1e6), { minLength: 1, maxLength: 3 });

// ---------------------------------------------------------------------------------------------
// Properties

export interface Failure {
	/** Which property broke: `throws`, `internal-error`, `print`, `span`, `range`, `symbol`, `completion`, `edit`, `format`. */
	readonly property: string;
	/** Where: the parser or service call. */
	readonly where: string;
	readonly detail: string;
	/** For deduplicating failures: property, where and the first stack frame in server/src. */
	readonly signature: string;
}

function topFrame(error: unknown): string {
	const stack = error instanceof Error ? error.stack ?? '' : '';
	const line = stack.split('\n').find(l => /server[\\/]src[\\/]/.test(l)) ?? stack.split('\n')[1] ?? '';
	const m = /(server[\\/]src[\\/][^):]+:\d+)/.exec(line);
	return m ? m[1] : line.trim();
}

function describeError(error: unknown): string {
	return error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : String(error);
}

/** The URIs a check puts its input at (a site config in sites-enabled, an app's uwsgi.ini). */
export const FUZZ_URIS: Record<Kind, string> = {
	nginx: 'file:///fuzz/etc/nginx/sites-enabled/site.conf',
	uwsgi: 'file:///fuzz/srv/app/uwsgi.ini',
};

/** Files around the input, so includes, upstreams and the seam have something to resolve against. */
const COMPANIONS: readonly { uri: string; kind: Kind; text: string }[] = [
	{ uri: 'file:///fuzz/etc/nginx/nginx.conf', kind: 'nginx', text: 'events {}\nhttp {\n    include mime.types;\n    include sites-enabled/*;\n    upstream shared { server 127.0.0.1:3031; }\n}\n' },
	{ uri: 'file:///fuzz/etc/nginx/snippets/app.conf', kind: 'nginx', text: 'include uwsgi_params;\nuwsgi_pass unix:/run/uwsgi/shop.sock;\n' },
	{ uri: 'file:///fuzz/srv/other/vassal-uwsgi.ini', kind: 'uwsgi', text: '[uwsgi]\nsocket = 127.0.0.1:3031\nhttp-socket = :8000\nchdir = /srv/other\n' },
];

export interface CheckOptions {
	/** Also run the language service (not only the parsers). Default true. */
	readonly service?: boolean;
	/** Fractions of the text length where hover, completion, definition, ... are asked. */
	readonly picks?: readonly number[];
	/** The URI to check the text at (default FUZZ_URIS[kind]). */
	readonly uri?: string;
}

/**
 * Runs every property on one input and returns what broke (empty: all held). Never throws.
 * One harness keeps one language service; each check resets the workspace to the fixed
 * companions plus this input, so a failure depends only on the input.
 */
export class FuzzHarness {
	readonly internalErrors: { where: string; error: unknown }[] = [];
	private service: LanguageService;
	private version = 0;

	constructor() {
		this.service = this.create();
	}

	/** Resolves once the nginx reference (hover and completion texts) has loaded; await it before checking, or those texts go untested. */
	get ready(): Promise<void> {
		return this.service.ready;
	}

	private create(): LanguageService {
		const service = getLanguageService({ onInternalError: (where, error) => { this.internalErrors.push({ where, error }); } });
		for (const c of COMPANIONS) { service.workspace.setText(c.uri, c.kind, c.text); }
		return service;
	}

	check(kind: Kind, text: string, options: CheckOptions = {}): Failure[] {
		const failures = kind === 'nginx' ? checkNginxParse(text) : checkIniParse(text);
		if (options.service !== false) { failures.push(...this.checkService(kind, text, options)); }
		return failures;
	}

	checkService(kind: Kind, text: string, options: CheckOptions = {}): Failure[] {
		const uri = options.uri ?? FUZZ_URIS[kind];
		for (const k of KINDS) { if (FUZZ_URIS[k] !== uri) { this.service.workspace.delete(FUZZ_URIS[k]); } }
		try {
			return this.checkDocument(kind, text, uri, options);
		} finally {
			// an input at another URI leaves the workspace as it found it
			if (uri !== FUZZ_URIS[kind]) { this.service.workspace.delete(uri); }
		}
	}

	private checkDocument(kind: Kind, text: string, uri: string, options: CheckOptions): Failure[] {
		const failures: Failure[] = [];
		const fail = (property: string, where: string, detail: string, key = detail) => {
			failures.push({ property, where, detail, signature: `${property} ${where} ${key}` });
		};
		const document = TextDocument.create(uri, kind === 'nginx' ? 'nginx' : 'uwsgi-ini', ++this.version, text);
		const lines = new LineIndex(text);
		const known = new Map<string, LineIndex>([[uri, lines]]);
		for (const c of COMPANIONS) { known.set(c.uri, new LineIndex(c.text)); }
		this.internalErrors.length = 0;
		const call = <T>(where: string, f: () => T): T | undefined => {
			try {
				return f();
			} catch (error) {
				fail('throws', where, describeError(error), topFrame(error));
				return undefined;
			} finally {
				for (const e of this.internalErrors.splice(0)) { fail('internal-error', `${where} (${e.where})`, describeError(e.error), topFrame(e.error)); }
			}
		};
		const checkRange = (where: string, r: Range | undefined, what: string, index = lines) => {
			const bad = index.checkRange(r);
			// the signature leaves out quoted labels, so one bug is one signature
			if (bad) { fail('range', where, `${what}: ${bad} (${JSON.stringify(r)})`, what.replace(/"[^"]*"/g, '…')); }
		};
		const checkLocations = (where: string, locations: readonly Location[] | undefined) => {
			for (const l of locations ?? []) {
				const index = known.get(l.uri);
				if (index) { checkRange(where, l.range, `location in ${l.uri}`, index); }
			}
		};
		const checkEdit = (where: string, edit: WorkspaceEdit | undefined | null) => {
			if (!edit) { return; }
			const all: [string, readonly TextEdit[]][] = Object.entries(edit.changes ?? {});
			for (const dc of edit.documentChanges ?? []) {
				if ('edits' in dc) { all.push([dc.textDocument.uri, dc.edits.filter((e): e is TextEdit => 'range' in e)]); }
			}
			for (const [u, edits] of all) {
				const index = known.get(u);
				if (!index) { continue; }
				for (const e of edits) { checkRange(where, e.range, 'text edit', index); }
				const sorted = [...edits].sort((a, b) => cmp(a.range.start, b.range.start) || cmp(a.range.end, b.range.end));
				for (let i = 1; i < sorted.length; i++) {
					if (cmp(sorted[i].range.start, sorted[i - 1].range.end) < 0) { fail('edit', where, `overlapping edits in ${u}: ${JSON.stringify(sorted[i - 1].range)} and ${JSON.stringify(sorted[i].range)}`, 'overlap'); }
				}
			}
		};

		const diagnostics = call('doValidation', () => this.service.doValidation(document)) ?? [];
		const codes = new Set(allCodes().map(c => c.id));
		for (const d of diagnostics) {
			checkRange('doValidation', d.range, `diagnostic ${String(d.code)}`);
			if (typeof d.code !== 'string' || !codes.has(d.code)) { fail('diagnostic', 'doValidation', `unknown code ${JSON.stringify(d.code)}`, 'code'); }
			if (!d.message) { fail('diagnostic', 'doValidation', `empty message for ${String(d.code)}`, 'message'); }
			for (const r of d.relatedInformation ?? []) {
				const index = known.get(r.location.uri);
				if (index) { checkRange('doValidation', r.location.range, `related information of ${String(d.code)}`, index); }
			}
		}
		const symbols = call('findDocumentSymbols', () => this.service.findDocumentSymbols(document)) ?? [];
		const walk = (list: readonly DocumentSymbol[]) => {
			for (const s of list) {
				checkRange('findDocumentSymbols', s.range, 'symbol range');
				checkRange('findDocumentSymbols', s.selectionRange, 'symbol selectionRange');
				if (!lines.checkRange(s.range) && !lines.checkRange(s.selectionRange) && !rangeContains(s.range, s.selectionRange)) {
					fail('symbol', 'findDocumentSymbols', `selectionRange ${JSON.stringify(s.selectionRange)} not inside range ${JSON.stringify(s.range)} (VS Code rejects the whole outline)`, 'selection-outside');
				}
				if (!s.name) { fail('symbol', 'findDocumentSymbols', `empty symbol name at ${JSON.stringify(s.range)} (VS Code rejects the whole outline: "name must not be falsy")`, 'empty-name'); }
				walk(s.children ?? []);
			}
		};
		walk(symbols);
		for (const f of call('getFoldingRanges', () => this.service.getFoldingRanges(document)) ?? [] as FoldingRange[]) {
			if (!(f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < lines.lineCount)) { fail('range', 'getFoldingRanges', `folding range ${JSON.stringify(f)} with ${lines.lineCount} lines`, 'folding'); }
		}
		for (const l of call('findDocumentLinks', () => this.service.findDocumentLinks(document)) ?? [] as DocumentLink[]) {
			checkRange('findDocumentLinks', l.range, 'document link');
		}
		for (const l of call('findCodeLenses', () => this.service.findCodeLenses(document)) ?? [] as CodeLens[]) {
			checkRange('findCodeLenses', l.range, 'code lens');
		}

		// formatting: edits inside the document, never overlapping, changing only blanks; the result parses and prints back
		const formatEdits = call('doFormat', () => this.service.doFormat(document, { tabSize: 4, insertSpaces: true })) ?? [] as TextEdit[];
		const formatEditsOk = formatEdits.every(e => !lines.checkRange(e.range));
		checkEdit('doFormat', { changes: { [uri]: formatEdits } });
		if (formatEdits.length && formatEditsOk && !failures.some(f => f.where === 'doFormat')) {
			const formatted = TextDocument.applyEdits(document, formatEdits);
			if (formatted.replace(/[ \t\r\n]+/g, '') !== text.replace(/[ \t\r\n]+/g, '')) {
				const a = formatted.replace(/[ \t\r\n]+/g, '');
				const b = text.replace(/[ \t\r\n]+/g, '');
				const at = firstDifference(a, b);
				fail('format', 'doFormat', `formatting changed more than blanks: ${excerpt(b.slice(Math.max(0, at - 20), at + 20))} became ${excerpt(a.slice(Math.max(0, at - 20), at + 20))}`, 'non-blank');
			}
			failures.push(...(kind === 'nginx' ? checkNginxParse(formatted) : checkIniParse(formatted)).map(f => ({ ...f, where: `${f.where} after doFormat`, signature: `${f.signature} after doFormat` })));
		}

		const positions: Position[] = (options.picks ?? [0.5]).map(p => document.positionAt(Math.floor(p * (text.length + 1))));
		positions.push({ line: 0, character: 0 }, document.positionAt(text.length), { line: lines.lineCount + 3, character: 2 }, { line: 0, character: 100000 });
		for (const position of positions) {
			const at = document.positionAt(document.offsetAt(position));
			const hover = call('doHover', () => this.service.doHover(document, position)) as Hover | null | undefined;
			if (hover?.range) { checkRange('doHover', hover.range, 'hover range'); }
			const list = call('doComplete', () => this.service.doComplete(document, position)) as CompletionList | undefined;
			for (const item of list?.items ?? [] as CompletionItem[]) {
				const edit = item.textEdit;
				if (!edit) { continue; }
				const ranges = 'range' in edit ? [edit.range] : [edit.insert, edit.replace];
				for (const r of ranges) {
					checkRange('doComplete', r, `completion "${item.label}"`);
					if (!lines.checkRange(r) && (r.start.line !== r.end.line || !rangeContains(r, { start: at, end: at }))) {
						fail('completion', 'doComplete', `completion "${item.label}" edits ${JSON.stringify(r)}, which is not one line around the cursor ${JSON.stringify(at)} (VS Code drops it)`, 'edit-range');
					}
				}
				for (const e of item.additionalTextEdits ?? []) { checkRange('doComplete', e.range, `additional edit of "${item.label}"`); }
			}
			checkLocations('findDefinition', call('findDefinition', () => this.service.findDefinition(document, position)));
			checkLocations('findReferences', call('findReferences', () => this.service.findReferences(document, position, true)));
			const prepared = call('prepareRename', () => this.service.prepareRename(document, position));
			if (prepared) {
				checkRange('prepareRename', prepared, 'rename range');
				checkEdit('doRename', call('doRename', () => this.service.doRename(document, position, 'renamed_x')));
			}
			const range = { start: position, end: position };
			const here = diagnostics.filter(d => cmp(d.range.start, at) <= 0 && cmp(at, d.range.end) <= 0);
			// as a client sends them: with data, without data (clients without dataSupport), with junk data
			const variants: Diagnostic[][] = [here, diagnostics, here.map(({ data: _data, ...d }) => d), here.map(d => ({ ...d, data: 'junk' })), here.map(d => ({ ...d, data: { candidates: [1, null], replacement: 5, fix: 'rename' } }))];
			for (const v of variants) {
				const actions = call('doCodeActions', () => this.service.doCodeActions(document, range, v)) ?? [] as CodeAction[];
				for (const a of actions) { checkEdit('doCodeActions', a.edit); }
			}
		}
		return failures;
	}
}

/** Every span a tree holds lies inside the text; the tree prints back the input byte for byte. */
export function checkNginxParse(text: string): Failure[] {
	const failures: Failure[] = [];
	for (const [label, options] of [['parseNginx', {}], ['parseNginx+options', NGINX_PARSE_OPTIONS]] as const) {
		let file;
		try {
			file = parseNginx(text, options);
		} catch (error) {
			failures.push({ property: 'throws', where: label, detail: describeError(error), signature: `throws ${label} ${topFrame(error)}` });
			continue;
		}
		const n = text.length;
		const spans: [string, { offset: number; length: number }][] = [];
		for (const d of file.directives) {
			spans.push(['directive', d], ['name', d.name]);
			for (const a of d.args) { spans.push(['argument', a]); }
		}
		for (const b of file.blocks) { spans.push(['block', b]); }
		for (const c of file.comments) { spans.push(['comment', c]); }
		for (const p of file.problems) { spans.push([`problem ${p.kind}`, p]); }
		for (const [what, s] of spans) {
			if (!(s.offset >= 0 && s.length >= 0 && s.offset + s.length <= n)) {
				failures.push({ property: 'span', where: label, detail: `${what} at ${s.offset}+${s.length} outside 0..${n}`, signature: `span ${label} ${what}` });
				break;
			}
		}
		let printed: string;
		try {
			printed = printNginx(file);
		} catch (error) {
			failures.push({ property: 'throws', where: `printNginx (${label})`, detail: describeError(error), signature: `throws printNginx ${topFrame(error)}` });
			continue;
		}
		if (printed !== text) {
			const at = firstDifference(printed, text);
			failures.push({
				property: 'print', where: `printNginx (${label})`,
				detail: `printNginx(parseNginx(text)) differs from the input at offset ${at}: input ${excerpt(text.slice(Math.max(0, at - 20), at + 20))}, printed ${excerpt(printed.slice(Math.max(0, at - 20), at + 20))}; lengths ${text.length} vs ${printed.length}`,
				signature: `print printNginx ${label}`,
			});
		}
	}
	return failures;
}

export function checkIniParse(text: string): Failure[] {
	const failures: Failure[] = [];
	let doc;
	try {
		doc = parseIni(text);
	} catch (error) {
		return [{ property: 'throws', where: 'parseIni', detail: describeError(error), signature: `throws parseIni ${topFrame(error)}` }];
	}
	let pos = 0;
	for (const l of doc.lines) {
		if (l.offset !== pos) {
			failures.push({ property: 'span', where: 'parseIni', detail: `line at ${l.offset} does not start where the previous ended (${pos})`, signature: 'span parseIni lines' });
			break;
		}
		pos = l.offset + l.length + l.eolLength;
	}
	const n = text.length;
	const spans: [string, { offset: number; length: number }][] = [];
	for (const e of doc.entries) {
		spans.push(['key', e.key], ['value', e.value]);
		for (const r of e.refs) { spans.push([`ref ${r.kind}`, r]); }
	}
	for (const p of doc.problems) { spans.push([`problem ${p.kind}`, p]); }
	for (const [what, s] of spans) {
		if (!(s.offset >= 0 && s.length >= 0 && s.offset + s.length <= n)) {
			failures.push({ property: 'span', where: 'parseIni', detail: `${what} at ${s.offset}+${s.length} outside 0..${n}`, signature: `span parseIni ${what}` });
			break;
		}
	}
	let printed: string;
	try {
		printed = printIni(doc);
	} catch (error) {
		return [...failures, { property: 'throws', where: 'printIni', detail: describeError(error), signature: `throws printIni ${topFrame(error)}` }];
	}
	if (printed !== text) {
		const at = firstDifference(printed, text);
		failures.push({
			property: 'print', where: 'printIni',
			detail: `printIni(parseIni(text)) differs from the input at offset ${at}: input ${excerpt(text.slice(Math.max(0, at - 20), at + 20))}, printed ${excerpt(printed.slice(Math.max(0, at - 20), at + 20))}`,
			signature: 'print printIni',
		});
	}
	return failures;
}

/** One line per kind of failure (same signature: counted once), for assertion messages and reports. */
export function formatFailures(kind: Kind, text: string, failures: readonly Failure[]): string {
	const groups = new Map<string, { first: Failure; count: number }>();
	for (const f of failures) {
		const g = groups.get(f.signature);
		if (g) { g.count++; } else { groups.set(f.signature, { first: f, count: 1 }); }
	}
	return `${failures.length} failure(s) on ${kind} input ${excerpt(text, 600)}:\n`
		+ [...groups.values()].map(({ first: f, count }) => `  [${f.property}] ${f.where}${count > 1 ? ` (×${count})` : ''}: ${f.detail}`).join('\n');
}

/**
 * Runs a seeded fast-check property over `arb`; on failure, shrinks the counterexample further
 * with `minimize` (fast-check cannot shrink a mutated seed below the seed) and throws an error
 * naming the seed, the smallest failing input and what broke.
 */
export function assertProperty<T extends unknown[]>(
	kind: Kind, arb: fc.Arbitrary<T>, check: (...args: T) => Failure[], params: { seed: number; numRuns: number },
): void {
	const property = fc.property(arb, (args: T) => {
		const failures = check(...args);
		if (failures.length) { throw new Error(formatFailures(kind, args[0] as string, failures)); }
	});
	const details = fc.check(property, { ...params, endOnFailure: false });
	if (!details.failed || !details.counterexample) { return; }
	const [args] = details.counterexample;
	const failures = check(...args);
	const signature = failures[0]?.signature;
	const rest = args.slice(1) as unknown[];
	const smallest = signature ? minimize(args[0] as string, t => check(...([t, ...rest] as T)).some(f => f.signature === signature), 3000) : args[0] as string;
	throw new Error(`seed ${params.seed}, ${details.numRuns} runs, counterexample path ${JSON.stringify(details.counterexamplePath)}\n`
		+ `smallest failing input: ${excerpt(smallest, 600)}${rest.length ? ` with ${JSON.stringify(rest)}` : ''}\n`
		+ formatFailures(kind, smallest, check(...([smallest, ...rest] as T))) + '\n'
		+ `fast-check's counterexample: ${formatFailures(kind, args[0] as string, failures)}`);
}

// ---------------------------------------------------------------------------------------------
// Minimizing

/**
 * Shrinks a failing input (delta debugging over characters, then lines) while `stillFails`
 * holds; stops after `budgetMs`. Returns the smallest failing text found.
 */
export function minimize(text: string, stillFails: (t: string) => boolean, budgetMs = 5000): string {
	const deadline = performance.now() + budgetMs;
	let best = text;
	let chunk = Math.max(1, best.length >> 1);
	while (chunk >= 1 && performance.now() < deadline) {
		let progressed = false;
		for (let i = 0; i < best.length && performance.now() < deadline;) {
			const candidate = best.slice(0, i) + best.slice(i + chunk);
			if (candidate !== best && stillFails(candidate)) {
				best = candidate;
				progressed = true;
			} else {
				i += chunk;
			}
		}
		if (!progressed) { chunk >>= 1; }
	}
	return best;
}

// ---------------------------------------------------------------------------------------------
// Linear time

/** Pathological inputs: each builds a text of about `bytes` characters from one repeated pattern. */
export interface InputClass {
	readonly kind: Kind;
	readonly name: string;
	build(bytes: number): string;
}

function repeatTo(unit: string, bytes: number, head = '', tail = ''): string {
	return head + unit.repeat(Math.max(1, Math.floor((bytes - head.length - tail.length) / unit.length))) + tail;
}

export const PATHOLOGICAL: readonly InputClass[] = [
	{ kind: 'nginx', name: 'run of "{"', build: b => repeatTo('{', b) },
	{ kind: 'nginx', name: 'run of "}"', build: b => repeatTo('}', b) },
	{ kind: 'nginx', name: 'orphan "{" then statements', build: b => repeatTo('{', b >> 1) + repeatTo('a;', b >> 1) },
	{ kind: 'nginx', name: 'deeply nested blocks', build: b => { const k = Math.floor(b / 10); return 'a {\n'.repeat(k) + '}\n'.repeat(k); } },
	{ kind: 'nginx', name: 'deeply nested, unclosed', build: b => repeatTo('location / {\n', b) },
	{ kind: 'nginx', name: 'run of \'"\'', build: b => repeatTo('"', b, 'a ') },
	{ kind: 'nginx', name: 'unclosed quote', build: b => repeatTo('x \\" ; { } ', b, 'set $a "') },
	{ kind: 'nginx', name: 'run of "\\\\"', build: b => repeatTo('\\', b, 'a ') },
	{ kind: 'nginx', name: 'run of "$" and "${"', build: b => repeatTo('${$', b, 'set ') },
	{ kind: 'nginx', name: '1 MB single line', build: b => repeatTo('arg ', b, 'log_format main ', ';') },
	{ kind: 'nginx', name: 'statements without ";"', build: b => repeatTo('\nlisten 80', b, 'server {') },
	{ kind: 'nginx', name: 'comments', build: b => repeatTo('# { } ; " \' \\\n', b) },
	{ kind: 'nginx', name: 'Lua long brackets and strings', build: b => repeatTo('--[[ } ]] local s = "}" [==[ { ]==] ', b, 'content_by_lua_block {', '}') },
	{ kind: 'nginx', name: 'unclosed Lua comments and strings', build: b => repeatTo('--[=\n"\\"\n[==[\n', b, 'content_by_lua_block {') },
	{ kind: 'nginx', name: 'regex braces', build: b => repeatTo('location ~ ^/a{2,3}$ {}\n', b) },
	{ kind: 'nginx', name: 'many directives', build: b => repeatTo('server { listen 80; location / { uwsgi_pass app; include uwsgi_params; } }\n', b) },
	{ kind: 'nginx', name: 'many blocks with an include', build: b => repeatTo('    location /x { uwsgi_pass 127.0.0.1:3031; include uwsgi_params; add_header X-A 1; }\n', b, 'server {\n    add_header X-B 2;\n', '}\n') },
	{ kind: 'uwsgi', name: 'run of "%("', build: b => repeatTo('%(', b, '[uwsgi]\nx = ') },
	{ kind: 'uwsgi', name: 'run of "%(" over lines', build: b => repeatTo('x = %(a %( b\n', b, '[uwsgi]\n') },
	{ kind: 'uwsgi', name: 'run of "%"', build: b => repeatTo('%', b, '[uwsgi]\nx = ') },
	{ kind: 'uwsgi', name: 'references', build: b => repeatTo('%(base)$(HOME)@(f)%d%%', b, '[uwsgi]\nbase = /x\nv = ') },
	{ kind: 'uwsgi', name: 'run of "[" lines', build: b => repeatTo('[\n', b) },
	{ kind: 'uwsgi', name: 'run of "="', build: b => repeatTo('=', b, '[uwsgi]\n') },
	{ kind: 'uwsgi', name: 'nested logic blocks', build: b => repeatTo('if-env = X\n', b, '[uwsgi]\n') },
	{ kind: 'uwsgi', name: 'lines ending in "%"', build: b => repeatTo('x = %%%\n', b, '[uwsgi]\n') },
	{ kind: 'uwsgi', name: 'repeated options', build: b => repeatTo('socket = :8000\nprocesses = 4\nmaster = true\n', b, '[uwsgi]\n') },
	{ kind: 'uwsgi', name: 'sections', build: b => repeatTo('[uwsgi]\nx = 1\n', b) },
	{ kind: 'uwsgi', name: '1 MB single line', build: b => repeatTo('abc ', b, '[uwsgi]\nenv = ') },
];

let gcFunction: (() => void) | null | undefined;

/** Runs a full garbage collection when the runtime lets us (between measurements, so one size does not pay for another's garbage). */
export function forceGc(): void {
	if (gcFunction === undefined) {
		gcFunction = null;
		try {
			v8.setFlagsFromString('--expose-gc');
			gcFunction = vm.runInNewContext('gc') as () => void;
		} catch {
			gcFunction = null;
		}
	}
	gcFunction?.();
}

export interface Scaling {
	/** Sizes measured (a size is not tried once a smaller one already broke the bound). */
	readonly sizes: readonly number[];
	/** Best wall-clock ns per byte at each measured size (performance.now). */
	readonly nsPerByte: readonly number[];
	/** Best CPU ns per byte of this process at each measured size (process.cpuUsage). */
	readonly cpuNsPerByte: readonly number[];
	/**
	 * The last measured size's ns/byte over the smallest's: the lower of the wall-clock and the
	 * CPU-time ratios (other processes on a busy machine stretch wall time, not our CPU time;
	 * a quadratic algorithm stretches both).
	 */
	readonly ratio: number;
	/** Measurements taken in all (a ratio over the bound is measured again). */
	readonly measurements: number;
}

function cpuNow(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
}

/**
 * Time per byte of `run` on inputs of one class at growing sizes. Every measurement processes
 * the same total number of bytes (`total`, default the largest size: 100 copies of a 10 KB input
 * against one 1 MB input) and keeps every result alive until it ends, so allocation volume and
 * live heap — and with them the garbage collector's share — are alike at every size; batches
 * repeat for at least `minMs` and the best one counts. What remains is the algorithm: linear
 * code gives a ratio near 1, quadratic code a ratio near largest/smallest. Time is taken both
 * with performance.now and as this process's CPU time, and the lower ratio counts, so other
 * processes competing for a 2-core machine do not fail the check. A ratio over `bound` is
 * measured again (`attempts` times in all, the best time per size counts) — always when that
 * measurement took under a second (a stalled batch on a busy machine), else only near the
 * bound; once a size breaks the bound, larger sizes are not tried (a quadratic 1 MB input could take hours).
 */
export function measureScaling(cls: InputClass, run: (text: string) => unknown, sizes: readonly number[], options: { total?: number; bound?: number; attempts?: number; minMs?: number } = {}): Scaling {
	const bound = options.bound ?? 3;
	const total = options.total ?? sizes[sizes.length - 1];
	const texts: string[] = [];
	const wall: number[] = [];
	const cpu: number[] = [];
	let measurements = 0;
	const measure = (i: number) => {
		const text = texts[i];
		const copies = Math.max(1, Math.round(total / text.length));
		const bytes = copies * text.length;
		// each measurement starts from a collected heap (garbage left by the last one would be paid here)
		forceGc();
		// batches until `minMs` have passed (fast classes take well under a millisecond per batch); the best batch counts
		const until = performance.now() + (options.minMs ?? 15);
		let batches = 0;
		do {
			const keep: unknown[] = new Array(copies);
			const cpuStart = cpuNow();
			const start = performance.now();
			for (let k = 0; k < copies; k++) { keep[k] = run(text); }
			const elapsed = performance.now() - start;
			const cpuElapsed = cpuNow() - cpuStart;
			wall[i] = Math.min(wall[i], (elapsed * 1e6) / bytes);
			cpu[i] = Math.min(cpu[i], (cpuElapsed * 1e6) / bytes);
			batches++;
		} while (performance.now() < until && batches < 50);
		measurements++;
	};
	const ratioAt = (i: number) => Math.min(wall[i] / wall[0], cpu[0] > 0 ? cpu[i] / cpu[0] : Infinity);
	let ratio = 1;
	for (let i = 0; i < sizes.length; i++) {
		texts.push(cls.build(sizes[i]));
		wall.push(Infinity);
		cpu.push(Infinity);
		if (i === 0) {
			forceGc();
			// warm up (let the JIT settle on this code) before the first measurement counts
			const warm = performance.now() + (options.minMs ?? 15) * 2;
			while (performance.now() < warm) { run(texts[0]); }
			measure(0);
			continue;
		}
		const t0 = performance.now();
		measure(i);
		const took = performance.now() - t0;
		// measure again what could be noise: anything over the bound that was quick to measure (a busy
		// machine can stall one batch), and a slow size only when it is near the bound
		for (let a = 1; a < (options.attempts ?? 3) && ratioAt(i) > bound && (ratioAt(i) < 3 * bound || took < 1000); a++) {
			measure(0);
			measure(i);
		}
		ratio = ratioAt(i);
		if (ratio > bound) { break; }
	}
	return { sizes: texts.map(t => t.length), nsPerByte: wall, cpuNsPerByte: cpu, ratio, measurements };
}

/** Parses and prints one input of its kind; returns the tree (callers keep it alive while measuring). */
export function parseAndPrint(kind: Kind, text: string): unknown {
	if (kind === 'nginx') {
		const file = parseNginx(text, NGINX_PARSE_OPTIONS);
		printNginx(file);
		return file;
	}
	const doc = parseIni(text);
	printIni(doc);
	return doc;
}
