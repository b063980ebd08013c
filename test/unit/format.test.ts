/** The formatters (issue 10) on inline examples, with a regression test for each anchor bug. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import {
	applyOffsetEdits, formatNginx, formatNginxOnType, nginxFormatEdits, formatNginxRange, formatUwsgi, formatUwsgiRange, verifyNginxFormat, verifyUwsgiFormat,
	type NginxFormatOptions, type UwsgiFormatOptions,
} from '../../server/src/features/format';
import { parseIni } from '../../server/src/parser/ini/parser';
import { parseNginx } from '../../server/src/parser/nginx/parser';
import { NGINX_PARSE_OPTIONS } from '../../server/src/service/workspace';

const SPACES: NginxFormatOptions = { tabSize: 4, insertSpaces: true };

function nginxDoc(text: string): TextDocument {
	return TextDocument.create('file:///test/nginx/site.conf', 'nginx', 1, text);
}

function iniDoc(text: string): TextDocument {
	return TextDocument.create('file:///test/uwsgi.ini', 'uwsgi-ini', 1, text);
}

const parse = (text: string) => parseNginx(text, NGINX_PARSE_OPTIONS);

/** Formats, checks the tokens are kept and that a second format changes nothing; returns the text. */
function fmt(text: string, options: NginxFormatOptions = SPACES): string {
	const d = nginxDoc(text);
	const before = parse(text);
	const out = TextDocument.applyEdits(d, formatNginx(d, before, options));
	const after = parse(out);
	assert.equal(verifyNginxFormat(before, after), undefined);
	const again = formatNginx(nginxDoc(out), after, options);
	assert.deepEqual(again, [], `not idempotent:\n${out}`);
	return out;
}

function fmtIni(text: string, options: UwsgiFormatOptions = {}): string {
	const d = iniDoc(text);
	const before = parseIni(text);
	const out = TextDocument.applyEdits(d, formatUwsgi(d, before, options));
	const after = parseIni(out);
	assert.equal(verifyUwsgiFormat(before, after), undefined);
	assert.deepEqual(formatUwsgi(iniDoc(out), after, options), [], `not idempotent:\n${out}`);
	return out;
}

/** The range of the marked text `«…»` (markers removed). */
function withRange(marked: string): { text: string; start: number; end: number } {
	const start = marked.indexOf('«');
	const end = marked.indexOf('»') - 1;
	return { text: marked.replace('«', '').replace('»', ''), start, end };
}

function rangeOf(d: TextDocument, start: number, end: number): Range {
	return { start: d.positionAt(start), end: d.positionAt(end) };
}

function apply(d: TextDocument, edits: TextEdit[]): string {
	return TextDocument.applyEdits(d, edits);
}

describe('nginx formatter', () => {
	it('indents by depth, one directive per line, one space between arguments', () => {
		assert.equal(
			fmt('http {\nserver { listen   80; server_name  a.com\tb.com ;\n  location / { return 200; }\n}\n}\n'),
			'http {\n    server {\n        listen 80;\n        server_name a.com b.com;\n        location / {\n            return 200;\n        }\n    }\n}\n',
		);
	});

	it('indents with tabs when asked', () => {
		assert.equal(fmt('http {\n  server {\n    listen 80;\n  }\n}\n', { tabSize: 8, insertSpaces: false }), 'http {\n\tserver {\n\t\tlisten 80;\n\t}\n}\n');
	});

	it('formats a formatted file to no edits at all', () => {
		const text = 'http {\n    server {\n        listen 80; # web\n\n        location / {\n            return 200;\n        }\n    }\n}\n';
		const d = nginxDoc(text);
		assert.deepEqual(formatNginx(d, parse(text), SPACES), []);
	});

	it('keeps a multi-line quoted log_format with braces and semicolons inside byte for byte', () => {
		const text = 'http {\nlog_format main \'$remote_addr {x} ; - $remote_user [$time_local] \'\n                \'"$request" $status } {\'\n  \'  two  spaces\';\n    access_log /var/log/a.log main;\n}\n';
		const out = fmt(text);
		assert.ok(out.includes('\'$remote_addr {x} ; - $remote_user [$time_local] \''));
		assert.ok(out.includes('\'"$request" $status } {\''));
		assert.ok(out.includes('\'  two  spaces\';'));
		assert.equal(out, 'http {\n    log_format main \'$remote_addr {x} ; - $remote_user [$time_local] \'\n                    \'"$request" $status } {\'\n      \'  two  spaces\';\n    access_log /var/log/a.log main;\n}\n');
		// a string that runs over lines is not re-indented inside
		const multi = 'log_format json escape=json \'{\n  "time": "$time_iso8601",\n    "uri": "${uri}"\n}\';\n';
		assert.equal(fmt(multi), multi);
	});

	it('never touches ${var}', () => {
		assert.equal(fmt('location / {\nset $a "${b}c";\n  return 200 ${host}x${uri}  ${args};\n}\n'),
			'location / {\n    set $a "${b}c";\n    return 200 ${host}x${uri} ${args};\n}\n');
	});

	it('keeps the last lines of the file, with or without a final line break', () => {
		assert.equal(fmt('events {}\nhttp {\nserver {\nlisten 80;\n}\n}'), 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}');
		assert.equal(fmt('events {}\nhttp {\nserver {\nlisten 80;\n}\n}\n\n\n'), 'events {}\nhttp {\n    server {\n        listen 80;\n    }\n}\n');
		assert.equal(fmt('user www-data;\n# the end'), 'user www-data;\n# the end');
		assert.equal(fmt('user www-data;   \n  # the end  \n'), 'user www-data;\n# the end  \n');
		assert.equal(fmt('worker_processes   4;'), 'worker_processes 4;');
	});

	it('keeps a comment after } on its line and indents what follows (# managed by Certbot)', () => {
		const text = [
			'server {',
			'    if ($host = www.example.com) {',
			'        return 301 https://$host$request_uri;',
			'    } # managed by Certbot',
			'listen 443 ssl; # managed by Certbot',
			'ssl_certificate /etc/letsencrypt/live/x/fullchain.pem; # managed by Certbot',
			'        location / {',
			'    proxy_pass http://app;',
			'}',
			'}',
			'',
		].join('\n');
		assert.equal(fmt(text), [
			'server {',
			'    if ($host = www.example.com) {',
			'        return 301 https://$host$request_uri;',
			'    } # managed by Certbot',
			'    listen 443 ssl; # managed by Certbot',
			'    ssl_certificate /etc/letsencrypt/live/x/fullchain.pem; # managed by Certbot',
			'    location / {',
			'        proxy_pass http://app;',
			'    }',
			'}',
			'',
		].join('\n'));
	});

	it('keeps comments where they are: own line indented, end of line with its spacing', () => {
		assert.equal(fmt('http {\n# about\n  gzip on;      # aligned\n    # last\n}\n'), 'http {\n    # about\n    gzip on;      # aligned\n    # last\n}\n');
		// a comment between arguments keeps the statement together
		assert.equal(fmt('http {\nproxy_pass http://x # why\n;\n}\n'), 'http {\n    proxy_pass http://x # why\n        ;\n}\n');
	});

	it('splits directives sharing a line and joins a lone ; or { to its statement', () => {
		assert.equal(fmt('a 1; b 2;c 3;\n'), 'a 1;\nb 2;\nc 3;\n');
		assert.equal(fmt('server\n{\nlisten 80\n;\n}\n'), 'server {\n    listen 80;\n}\n');
		assert.equal(fmt('server # main\n{\n}\n'), 'server # main\n{\n}\n');
		assert.equal(fmt('location / { return 204; }\nevents { }\n'), 'location / {\n    return 204;\n}\nevents { }\n');
		assert.equal(fmt('http{server{listen 80;}}'), 'http {\n    server {\n        listen 80;\n    }\n}');
	});

	it('keeps blank lines, collapsing runs to maxBlankLines', () => {
		const text = 'a 1;\n\n\n\nb 2;\n  \n\t\nc 3;\n';
		assert.equal(fmt(text), 'a 1;\n\nb 2;\n\nc 3;\n');
		assert.equal(fmt(text, { ...SPACES, maxBlankLines: 2 }), 'a 1;\n\n\nb 2;\n\n\nc 3;\n');
		assert.equal(fmt(text, { ...SPACES, maxBlankLines: 0 }), 'a 1;\nb 2;\nc 3;\n');
		assert.equal(fmt('\n\n\n  a 1;\n'), 'a 1;\n');
	});

	it('keeps statements continued over lines deeper than their name', () => {
		assert.equal(fmt('http {\nproxy_set_header\nHost $host;\n}\n'), 'http {\n    proxy_set_header\n        Host $host;\n}\n');
		assert.equal(fmt('  add_header X-A\n      "b";\n'), 'add_header X-A\n    "b";\n');
	});

	it('keeps Lua bodies byte for byte', () => {
		const body = ' {\n  local t = { a = "}" } -- }\n      ngx.say([[ { ]])\n   }';
		const text = `http {\nserver {\nlocation / {\ncontent_by_lua_block${body}\n}\n}\n}\n`;
		const out = fmt(text);
		assert.ok(out.includes(`            content_by_lua_block${body}\n        }\n`), out);
	});

	it('indents data blocks line by line and keeps each entry as written', () => {
		const text = 'http {\nmap $uri $x {\n  default   0;\n"~^/a{2}"   1;  # two\n"b c"  2; d 3;\n}\ntypes {\n text/html  html htm;\n}\n}\n';
		assert.equal(fmt(text), 'http {\n    map $uri $x {\n        default   0;\n        "~^/a{2}"   1;  # two\n        "b c"  2; d 3;\n    }\n    types {\n        text/html  html htm;\n    }\n}\n');
	});

	it('aligns map values when asked', () => {
		const text = 'map $http_upgrade $c {\n  default upgrade;\n\'\'   close;\n"~^/long/key/"\t\tlong;  # note\n  hostnames;\n}\n';
		assert.equal(fmt(text, { ...SPACES, alignMapValues: true }), 'map $http_upgrade $c {\n    default        upgrade;\n    \'\'             close;\n    "~^/long/key/" long;  # note\n    hostnames;\n}\n');
	});

	it('keeps CRLF line breaks', () => {
		assert.equal(fmt('http {\r\n  # c\r\nserver {  listen 80;\r\n}\r\n}\r\n'), 'http {\r\n    # c\r\n    server {\r\n        listen 80;\r\n    }\r\n}\r\n');
	});

	it('formats only the part before the first syntax problem', () => {
		const text = 'http {\nserver {\nlisten 80;\n}\nserver {\n    listen 81\n  root /x;\n    }\n}\n';
		const d = nginxDoc(text);
		const file = parse(text);
		assert.ok(file.problems.length > 0);
		const out = apply(d, formatNginx(d, file, SPACES));
		assert.equal(out, 'http {\n    server {\n        listen 80;\n    }\n    server {\n    listen 81\n  root /x;\n    }\n}\n');
		// an unclosed block: everything before its statement
		const open = 'events {\n  worker_connections 1;\n}\nhttp {\n  server {\n';
		assert.equal(apply(nginxDoc(open), formatNginx(nginxDoc(open), parse(open), SPACES)), 'events {\n    worker_connections 1;\n}\nhttp {\n  server {\n');
		// an unterminated string near the top: nothing moves
		const quote = 'a "b;\nc   d;\n';
		assert.deepEqual(formatNginx(nginxDoc(quote), parse(quote), SPACES), []);
	});

	it('formats a selection without touching the rest and without duplicating text', () => {
		const r = withRange('http {\nserver {\n«listen   80;\nserver_name a;\n»root /x;\n}\n}\n');
		const d = nginxDoc(r.text);
		const out = apply(d, formatNginxRange(d, parse(r.text), rangeOf(d, r.start, r.end), SPACES));
		assert.equal(out, 'http {\nserver {\n        listen 80;\n        server_name a;\nroot /x;\n}\n}\n');
		// a selection in the middle of a line, and one over everything
		const mid = withRange('a  1;\nb «2   3»   4;\n');
		const md = nginxDoc(mid.text);
		assert.equal(apply(md, formatNginxRange(md, parse(mid.text), rangeOf(md, mid.start, mid.end), SPACES)), 'a  1;\nb 2 3   4;\n');
		const all = 'http{\nserver{listen 80;}}\n';
		const ad = nginxDoc(all);
		assert.equal(apply(ad, formatNginxRange(ad, parse(all), rangeOf(ad, 0, all.length), SPACES)), fmt(all));
		// formatting a selection twice changes nothing more, and never repeats a line
		const once = apply(d, formatNginxRange(d, parse(r.text), rangeOf(d, r.start, r.end), SPACES));
		const d2 = nginxDoc(once);
		const start = once.indexOf('        listen');
		const twice = apply(d2, formatNginxRange(d2, parse(once), rangeOf(d2, start, once.indexOf('root')), SPACES));
		assert.equal(twice, once);
		assert.equal(twice.split('listen').length, 2);
	});

	it('re-indents only the current line on ; and }', () => {
		const text = 'http {\n    server {\n    listen 80;   a 1;\n        }\n}\n';
		const d = nginxDoc(text);
		const file = parse(text);
		assert.equal(apply(d, formatNginxOnType(d, file, { line: 2, character: 14 }, ';', SPACES)), 'http {\n    server {\n        listen 80;   a 1;\n        }\n}\n');
		assert.equal(apply(d, formatNginxOnType(d, file, { line: 3, character: 9 }, '}', SPACES)), 'http {\n    server {\n    listen 80;   a 1;\n    }\n}\n');
		assert.deepEqual(formatNginxOnType(d, file, { line: 3, character: 9 }, 'x', SPACES), []);
		// while a block is being written (not closed yet)
		const open = 'http {\n    server {\nlisten 80;\n';
		const od = nginxDoc(open);
		assert.equal(apply(od, formatNginxOnType(od, parse(open), { line: 2, character: 10 }, ';', SPACES)), 'http {\n    server {\n        listen 80;\n');
		assert.deepEqual(formatNginx(od, parse(open), SPACES), []);
	});

	it('places many edits right, with \\r\\n, \\n and lone \\r line breaks', () => {
		const breaks = ['\r\n', '\n', '\r', '\r\n\r\n', ' '];
		let text = 'http {';
		for (let i = 0; i < 300; i++) { text += breaks[i % breaks.length] + ' '.repeat(i % 7) + `a${i}  ${i} ;`; }
		text += '\r\n}\r\n';
		const d = nginxDoc(text);
		const file = parse(text);
		const edits = formatNginx(d, file, SPACES);
		assert.ok(edits.length > 64);
		const out = apply(d, edits);
		assert.equal(out, applyOffsetEdits(text, nginxFormatEdits(file, SPACES)));
		assert.equal(verifyNginxFormat(file, parse(out)), undefined);
		assert.match(out, /^http \{\r\n {4}a0 0;\r\n {4}a1 1;\r\n/);
	});

	it('stops indenting deeper at 64 levels', () => {
		const text = 'a {'.repeat(70) + 'b 1;' + '}'.repeat(70);
		const out = fmt(text);
		assert.ok(out.includes(`\n${' '.repeat(4 * 64)}b 1;\n`));
		assert.ok(!out.includes(' '.repeat(4 * 64 + 1)));
	});

	it('returns no edits for a document that does not match the tree', () => {
		assert.deepEqual(formatNginx(nginxDoc('a  1;\n'), parse('b 2;\n'), SPACES), []);
	});
});

describe('uWSGI formatter', () => {
	it('puts one space around the first = and removes indentation, values untouched', () => {
		assert.equal(
			fmtIni('[uwsgi]\n  socket=:3031\nmodule   =  app.wsgi  \n\tenv = A=b = c\nmax-requests = 5000 # recycle\nmaster\n  empty =\n=x\n'),
			'[uwsgi]\nsocket = :3031\nmodule = app.wsgi\nenv = A=b = c\nmax-requests = 5000 # recycle\nmaster\nempty =\n= x\n',
		);
	});

	it('keeps comments byte for byte and sections as written', () => {
		assert.equal(fmtIni('  [ uwsgi ]  \n   # indented comment  \n; other\nmaster=1\n'), '[ uwsgi ]\n   # indented comment  \n; other\nmaster = 1\n');
	});

	it('puts one blank line before each section after the first, above its comments', () => {
		assert.equal(
			fmtIni('\n\n[uwsgi]\na = 1\n\n\n\nb = 2\n# the app\n# part\n[app]\nc = 3\n\n\n\n[other]\nd = 4\n\n\n'),
			'[uwsgi]\na = 1\n\nb = 2\n\n# the app\n# part\n[app]\nc = 3\n\n[other]\nd = 4\n',
		);
		assert.equal(fmtIni('[a]\nx = 1\n\n\n[b]\ny = 2', { maxBlankLines: 2 }), '[a]\nx = 1\n\n\n[b]\ny = 2');
	});

	it('keeps a line ending in % and the line uWSGI joins it with', () => {
		const text = '[uwsgi]\nfoo  =  50%\n   bar=1\nx  =  y\n';
		assert.equal(fmtIni(text), '[uwsgi]\nfoo  =  50%\n   bar=1\nx = y\n');
		// blanks after a % are not removed: they keep the line from being joined
		assert.equal(fmtIni('[uwsgi]\nfoo = 50%  \nbar = 1\n'), '[uwsgi]\nfoo = 50%  \nbar = 1\n');
	});

	it('keeps the sections of other tools as written (ConfigParser continuation lines)', () => {
		const text = '[uwsgi]\n  module=app\n[app:main]\nuse = egg:app\npyramid.includes =\n    pyramid_tm\n\n\n    pyramid_debugtoolbar\n  x=1\n\n\n\n[uwsgi2]\nsocket=:1\n';
		assert.equal(fmtIni(text), '[uwsgi]\nmodule = app\n\n[app:main]\nuse = egg:app\npyramid.includes =\n    pyramid_tm\n\n\n    pyramid_debugtoolbar\n  x=1\n\n[uwsgi2]\nsocket = :1\n');
	});

	it('keeps CRLF and the last line without a line break', () => {
		assert.equal(fmtIni('[uwsgi]\r\n  a=1 \r\n\r\n\r\n[b]\r\nsocket=2'), '[uwsgi]\r\na = 1\r\n\r\n[b]\r\nsocket = 2');
		assert.equal(fmtIni('[uwsgi]\r\na=1\r\n[b]\r\n'), '[uwsgi]\r\na = 1\r\n\r\n[b]\r\n');
	});

	it('formats a selection only', () => {
		const r = withRange('[uwsgi]\na=1\n«b=2\n  c=3\n»d=4\n');
		const d = iniDoc(r.text);
		assert.equal(apply(d, formatUwsgiRange(d, parseIni(r.text), rangeOf(d, r.start, r.end))), '[uwsgi]\na=1\nb = 2\nc = 3\nd=4\n');
	});
});
