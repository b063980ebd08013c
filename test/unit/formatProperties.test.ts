/**
 * Properties of the formatters (issue 10) over generated configs: the tokens (and comments, Lua
 * bodies, syntax problems) are the same before and after; formatting twice is formatting once; a
 * range format changes nothing outside its range. Seeded, modest counts: about a second.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
	formatNginx, formatNginxOnType, formatNginxRange, formatUwsgi, formatUwsgiRange, verifyNginxFormat, verifyUwsgiFormat,
	type NginxFormatOptions,
} from '../../server/src/features/format';
import { parseIni } from '../../server/src/parser/ini/parser';
import { parseNginx } from '../../server/src/parser/nginx/parser';
import { NGINX_PARSE_OPTIONS } from '../../server/src/service/workspace';

/** FORMAT_RUNS=5000 FORMAT_SEED=7 for a longer run. */
const RUNS = { seed: Number(process.env.FORMAT_SEED ?? 20240610), numRuns: Number(process.env.FORMAT_RUNS ?? 150) };

const parse = (text: string) => parseNginx(text, NGINX_PARSE_OPTIONS);

// ---------------------------------------------------------------------------------------------
// nginx configs: a tree of statements rendered with random blanks, comments and line breaks

type Node =
	| { t: 'stmt'; name: string; args: string[] }
	| { t: 'block'; name: string; args: string[]; children: Node[] }
	| { t: 'data'; name: string; args: string[]; entries: string[][] }
	| { t: 'lua'; name: string; body: string }
	| { t: 'comment'; text: string };

const NAMES = ['listen', 'root', 'server_name', 'proxy_pass', 'return', 'include', 'set', 'add_header', 'log_format', 'gzip', 'my_module_directive'];
const BLOCKS = ['server', 'location', 'http', 'if', 'upstream', 'events'];
const DATA = ['map', 'types', 'geo', 'split_clients'];
const LUA = ['content_by_lua_block', 'access_by_lua_block', 'init_by_lua_block'];

const plainArg = fc.constantFrom('80', 'on', '/var/www', '$host', '${var}x', 'a${b}c', '~^/a/(.*)$', 'http://app:8000', '($http_x', ')', '=', 'x}', '*.example.com', 'x\\;y');
const quotedArg = fc.tuple(
	fc.constantFrom('"', "'"),
	fc.array(fc.constantFrom('a', ' ', '  ', '{', '}', ';', '#', '$remote_addr', '${x}', '\n', '\n    ', '\t', '\\"', "\\'", '[', ']'), { maxLength: 8 }),
).map(([q, parts]) => q + parts.join('').replace(q === '"' ? /(?<!\\)"/g : /(?<!\\)'/g, '') + q);
const arg = fc.oneof({ weight: 3, arbitrary: plainArg }, { weight: 1, arbitrary: quotedArg });
const commentText = fc.array(fc.constantFrom('#', ' ', 'managed by Certbot', '{', '}', ';', '"', 'x', '\t'), { maxLength: 5 }).map(p => '#' + p.join(''));
const luaBody = fc.array(fc.constantFrom(' ngx.say("}") ', '\n  local t = { a = 1 }\n', '-- a comment }\n', ' [[ } ]] ', '\n', "  ngx.print('{')\n"), { maxLength: 4 }).map(p => p.join(''));
const entry = fc.tuple(fc.constantFrom('default', '~^/static/', '"~^/api/v[0-9]+/"', "''", 'hostnames', '127.0.0.1/32', 'text/html', '0.5%', '*'), fc.array(fc.constantFrom('1', 'on', '.one', 'html htm', '""', '$x'), { maxLength: 2 }))
	.map(([k, v]) => [k, ...v]);

const tree: fc.Arbitrary<Node[]> = fc.letrec<{ nodes: Node[]; node: Node }>(tie => ({
	node: fc.oneof(
		{ weight: 5, arbitrary: fc.record({ t: fc.constant('stmt' as const), name: fc.constantFrom(...NAMES), args: fc.array(arg, { maxLength: 4 }) }) },
		{ weight: 2, arbitrary: fc.record({ t: fc.constant('block' as const), name: fc.constantFrom(...BLOCKS), args: fc.array(plainArg, { maxLength: 2 }), children: tie('nodes') as fc.Arbitrary<Node[]> }) },
		{ weight: 1, arbitrary: fc.record({ t: fc.constant('data' as const), name: fc.constantFrom(...DATA), args: fc.array(fc.constantFrom('$uri', '$x'), { maxLength: 2 }), entries: fc.array(entry, { maxLength: 5 }) }) },
		{ weight: 1, arbitrary: fc.record({ t: fc.constant('lua' as const), name: fc.constantFrom(...LUA), body: luaBody }) },
		{ weight: 2, arbitrary: fc.record({ t: fc.constant('comment' as const), text: commentText }) },
	),
	nodes: fc.array(tie('node') as fc.Arbitrary<Node>, { maxLength: 4, depthIdentifier: 'tree' }),
})).nodes;

/** Blanks between two tokens, before `;`, between statements, before a comment and after it. */
const SEP = {
	token: [' ', '   ', '\t', '\n', '\n      ', '\n\n', '\r\n  ', ' \n\t\t'],
	semi: ['', ' ', '\n', '  \n   '],
	stmt: ['', ' ', '\n', '\n\n\n', '\r\n', '\t\n  ', '\n    ', '\n\t'],
	comment: [' ', '\t', '\n', '   ', '\n\n  '],
	afterComment: ['\n', '\n\n', '\r\n', '\n   ', '\n\n\n\t'],
};

function render(nodes: Node[], choices: number[]): string {
	let k = 0;
	const pick = (list: string[]) => list[choices[k++ % choices.length] % list.length];
	let out = '';
	/** Whether the text so far ends where a comment may start. */
	const emit = (s: string) => { out += s; };
	const comment = (text: string) => {
		if (out && !/[\s;{}]$/.test(out)) { emit(pick(SEP.comment)); }
		emit(text);
		emit(pick(SEP.afterComment));
	};
	const walk = (list: Node[]) => {
		for (const node of list) {
			if (out && !/\n$/.test(out)) { emit(pick(SEP.stmt)); }
			switch (node.t) {
				case 'comment': comment(node.text); break;
				case 'stmt':
					emit(node.name);
					for (const a of node.args) { emit(pick(SEP.token)); emit(a); }
					emit(pick(SEP.semi));
					emit(';');
					if (choices[k++ % choices.length] % 4 === 0) { comment('# eol'); }
					break;
				case 'lua':
					emit(node.name);
					emit(pick(SEP.token));
					emit(`{${node.body}}`);
					break;
				case 'data':
				case 'block':
					emit(node.name);
					for (const a of node.args) { emit(pick(SEP.token)); emit(a); }
					emit(pick(SEP.semi));
					emit('{');
					if (node.t === 'block') {
						walk(node.children);
					} else {
						for (const e of node.entries) {
							emit(pick(SEP.stmt));
							emit(e[0]);
							for (const v of e.slice(1)) { emit(pick(SEP.token)); emit(v); }
							emit(pick(SEP.semi));
							emit(';');
						}
					}
					emit(pick(SEP.stmt));
					emit('}');
					if (choices[k++ % choices.length] % 5 === 0) { comment('# managed by Certbot'); }
					break;
			}
		}
	};
	walk(nodes);
	if (choices[0] % 3 === 0) { emit('\n'); }
	return out;
}

const nginxText = fc.tuple(tree, fc.array(fc.nat(1000), { minLength: 1, maxLength: 64 })).map(([t, c]) => render(t, c));

/** Random bytes of nginx syntax: mostly broken configs. */
const nginxGarbage = fc.array(fc.constantFrom(
	'a', 'listen', 'root', ' ', ' ', '\n', '\n', '\t', ';', ';', '{', '}', '#', '"', "'", '$', '${x}', '\\', '80', '\r\n', 'map', 'content_by_lua_block', 'server', '(', ')', '\n  ', '# c\n',
), { maxLength: 40 }).map(p => p.join(''));

const nginxOptions: fc.Arbitrary<NginxFormatOptions> = fc.record({
	tabSize: fc.integer({ min: 1, max: 8 }),
	insertSpaces: fc.boolean(),
	alignMapValues: fc.boolean(),
	maxBlankLines: fc.integer({ min: 0, max: 3 }),
});

function formatNginxText(text: string, options: NginxFormatOptions): string {
	const d = TextDocument.create('file:///p/nginx.conf', 'nginx', 1, text);
	return TextDocument.applyEdits(d, formatNginx(d, parse(text), options));
}

/** The three properties every nginx input must keep. */
function nginxProperties(text: string, options: NginxFormatOptions, a: number, b: number): void {
	const before = parse(text);
	const out = formatNginxText(text, options);
	const after = parse(out);
	assert.equal(verifyNginxFormat(before, after), undefined, `not faithful for ${JSON.stringify(text)}\n→ ${JSON.stringify(out)}`);
	assert.equal(formatNginxText(out, options), out, `not idempotent for ${JSON.stringify(text)}\n→ ${JSON.stringify(out)}`);
	if (!before.problems.length) { assert.equal(after.problems.length, 0); }
	// a range: nothing outside it changes, the tokens stay
	const d = TextDocument.create('file:///p/nginx.conf', 'nginx', 1, text);
	// offsets as LSP positions see them (a position never points between `\r` and `\n`)
	const start = d.offsetAt(d.positionAt(Math.min(a, b)));
	const end = d.offsetAt(d.positionAt(Math.max(a, b)));
	const ranged = TextDocument.applyEdits(d, formatNginxRange(d, before, { start: d.positionAt(start), end: d.positionAt(end) }, options));
	assert.equal(ranged.slice(0, start), text.slice(0, start), `range [${start}, ${end}) changed text before it: ${JSON.stringify(text)} → ${JSON.stringify(ranged)}`);
	assert.equal(ranged.slice(ranged.length - (text.length - end)), text.slice(end), `range [${start}, ${end}) changed text after it: ${JSON.stringify(text)} → ${JSON.stringify(ranged)}`);
	assert.equal(verifyNginxFormat(before, parse(ranged)), undefined);
	// on-type at the line of `end`: only that line's leading blanks change
	const pos = d.positionAt(end);
	const typed = TextDocument.applyEdits(d, formatNginxOnType(d, before, pos, '}', options));
	const lineStart = d.offsetAt({ line: pos.line, character: 0 });
	assert.equal(typed.slice(0, lineStart), text.slice(0, lineStart));
	assert.equal(typed.replace(/^[ \t]*/gm, ''), text.replace(/^[ \t]*/gm, ''));
}

describe('nginx formatter properties', () => {
	it('keeps tokens, is idempotent and stays inside a range, on generated configs', () => {
		fc.assert(fc.property(nginxText, nginxOptions, fc.nat(2000), fc.nat(2000), nginxProperties), RUNS);
	});

	it('keeps tokens, is idempotent and stays inside a range, on broken configs', () => {
		fc.assert(fc.property(nginxGarbage, nginxOptions, fc.nat(60), fc.nat(60), nginxProperties), RUNS);
	});

	it('leaves no line of a generated valid config with trailing blanks or a wrong indentation', () => {
		fc.assert(fc.property(nginxText, text => {
			const out = formatNginxText(text, { tabSize: 4, insertSpaces: true });
			if (parse(text).problems.length) { return; }
			const file = parse(out);
			for (const d of file.directives) {
				// every directive starts a line (data entries may share one) at 4 spaces per level
				const lineStart = out.lastIndexOf('\n', d.offset - 1) + 1;
				const before = out.slice(lineStart, d.offset);
				let level = 0;
				for (let p = d.parent; p > 0; p = file.blocks[p].owner!.parent) { level++; }
				const inData = (() => { for (let p = d.parent; p > 0; p = file.blocks[p].owner!.parent) { if (DATA.includes(file.blocks[p].owner!.name.value)) { return true; } } return false; })();
				if (!inData) { assert.equal(before, ' '.repeat(4 * level), `directive ${d.name.value} in ${JSON.stringify(out)}`); }
			}
		}), RUNS);
	});
});

// ---------------------------------------------------------------------------------------------
// uWSGI ini files

const iniLine = fc.oneof(
	fc.tuple(fc.constantFrom('', '  ', '\t'), fc.constantFrom('[uwsgi]', '[ uwsgi ]', '[app]', '[uwsgi', '[x] # c'), fc.constantFrom('', ' ', '\t')).map(p => p.join('')),
	fc.tuple(
		fc.constantFrom('', '  ', '\t '),
		fc.constantFrom('socket', 'module', 'env', 'master', 'if-env', 'endif', 'for', 'endfor', 'key with space', ''),
		fc.constantFrom('=', ' = ', '  =\t', '', '= '),
		fc.constantFrom('', ':3031', 'A=b = c', '5000 # recycle', '50%', '50%%', '%(x)', '%(x', '$(HOME)/x', ' spaced value ', 'true'),
		fc.constantFrom('', ' ', '\t', '  '),
	).map(p => p.join('')),
	fc.tuple(fc.constantFrom('', '   ', '\t'), fc.constantFrom('# comment', '; comment', '#', ';; x = 1 ')).map(p => p.join('')),
	fc.constantFrom('', '', '  ', '\t'),
);
const iniText = fc.tuple(fc.array(iniLine, { maxLength: 14 }), fc.boolean(), fc.boolean())
	.map(([lines, crlf, final]) => lines.join(crlf ? '\r\n' : '\n') + (final && lines.length ? (crlf ? '\r\n' : '\n') : ''));

function formatIniText(text: string, maxBlankLines: number): string {
	const d = TextDocument.create('file:///p/uwsgi.ini', 'uwsgi-ini', 1, text);
	return TextDocument.applyEdits(d, formatUwsgi(d, parseIni(text), { maxBlankLines }));
}

describe('uWSGI formatter properties', () => {
	it('keeps every line uWSGI reads, is idempotent and stays inside a range', () => {
		fc.assert(fc.property(iniText, fc.integer({ min: 0, max: 3 }), fc.nat(300), fc.nat(300), (text, maxBlankLines, a, b) => {
			const before = parseIni(text);
			const out = formatIniText(text, maxBlankLines);
			assert.equal(verifyUwsgiFormat(before, parseIni(out)), undefined, `not faithful for ${JSON.stringify(text)}\n→ ${JSON.stringify(out)}`);
			assert.equal(formatIniText(out, maxBlankLines), out, `not idempotent for ${JSON.stringify(text)}\n→ ${JSON.stringify(out)}`);
			const d = TextDocument.create('file:///p/uwsgi.ini', 'uwsgi-ini', 1, text);
			const start = d.offsetAt(d.positionAt(Math.min(a, b)));
			const end = d.offsetAt(d.positionAt(Math.max(a, b)));
			const ranged = TextDocument.applyEdits(d, formatUwsgiRange(d, before, { start: d.positionAt(start), end: d.positionAt(end) }, { maxBlankLines }));
			assert.equal(ranged.slice(0, start), text.slice(0, start));
			assert.equal(ranged.slice(ranged.length - (text.length - end)), text.slice(end));
			assert.equal(verifyUwsgiFormat(before, parseIni(ranged)), undefined);
		}), RUNS);
	});
});
