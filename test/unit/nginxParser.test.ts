import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNginxDataBlock, isNginxDirective } from '../../server/src/data/nginxData';
import { parseNginx, printNginx } from '../../server/src/parser/nginx/parser';
import { NGINX_PARSE_OPTIONS } from '../../server/src/service/workspace';

const opts = { isDirectiveName: isNginxDirective, isDataBlock: isNginxDataBlock };
const names = (text: string) => parseNginx(text, opts).directives.map(d => [d.name.value, ...d.args.map(a => a.value)]);

describe('nginx parser', () => {
	it('tokenises like ngx_conf_read_token', () => {
		assert.deepEqual(names('a "b;{}" \'c d\' e\\;f;'), [['a', 'b;{}', 'c d', 'e\\;f']]);
		assert.deepEqual(names('set $x ${y}z;'), [['set', '$x', '${y}z']]);
		assert.deepEqual(names('a b#c;'), [['a', 'b#c']]);
		assert.deepEqual(names('a "x\\"y";'), [['a', 'x"y']]);
		assert.deepEqual(names('return 200 x}\n;'), [['return', '200', 'x}']]);
	});

	it('keeps comments out of statements, also inside quotes', () => {
		const f = parseNginx('a "#x"; # real\nb;', opts);
		assert.equal(f.comments.length, 1);
		assert.equal(f.text.slice(f.comments[0].offset, f.comments[0].offset + f.comments[0].length), '# real');
		assert.deepEqual(f.directives.map(d => d.name.value), ['a', 'b']);
	});

	it('builds nested blocks with parents', () => {
		const f = parseNginx('http { server { location / { return 200; } } }', opts);
		assert.equal(f.blocks.length, 4);
		const ret = f.directives.find(d => d.name.value === 'return')!;
		assert.equal(f.blocks[ret.parent].owner!.name.value, 'location');
		assert.equal(f.problems.length, 0);
	});

	it('keeps map and types bodies as entries of their block', () => {
		const f = parseNginx('map $a $b { default 0; "~^x{2}" 1; \'\' 2; }', opts);
		assert.equal(f.problems.length, 0);
		assert.equal(f.blocks[1].children.length, 3);
	});

	it('keeps Lua blocks verbatim; braces in Lua strings and comments do not count', () => {
		const text = 'location / { content_by_lua_block { local t = {a = "}"} -- }\n ngx.say([[ } ]]) --[[ } ]] } }\nserver_tokens off;';
		const f = parseNginx(text, opts);
		assert.deepEqual(f.problems, []);
		const lua = f.directives.find(d => d.name.value === 'content_by_lua_block')!;
		assert.ok(lua.block!.raw);
		assert.equal(text.slice(lua.block!.raw!.offset, lua.block!.raw!.offset + lua.block!.raw!.length), ' local t = {a = "}"} -- }\n ngx.say([[ } ]]) --[[ } ]] ');
		assert.deepEqual(f.directives.map(d => d.name.value), ['location', 'content_by_lua_block', 'server_tokens']);
	});

	it('reports syntax problems and keeps going', () => {
		const kinds = (t: string) => parseNginx(t, opts).problems.map(p => p.kind);
		assert.deepEqual(kinds('a;\n}'), ['unexpected']);
		assert.deepEqual(kinds('http {\n a;'), ['unclosed-block']);
		assert.deepEqual(kinds('a "b;'), ['unterminated-string', 'unexpected-eof']);
		assert.deepEqual(kinds('a "b"c;'), ['need-space']);
		assert.deepEqual(kinds('server { listen 80 }'), ['missing-semicolon']);
		assert.deepEqual(kinds(';'), ['unexpected']);
	});

	it('splits a statement at a new line that starts a known directive (missing ";")', () => {
		const f = parseNginx('server {\n    listen 80\n    server_name example.com;\n}\n', opts);
		assert.deepEqual(f.problems.map(p => p.kind), ['missing-semicolon']);
		assert.deepEqual(f.directives.map(d => d.name.value), ['server', 'listen', 'server_name']);
		// multi-line arguments indented deeper stay one statement
		const g = parseNginx('log_format main \'$a\'\n        \'$b\';\n', opts);
		assert.equal(g.problems.length, 0);
		assert.equal(g.directives[0].args.length, 3);
	});

	it('hints at quoting a regex with a { quantifier', () => {
		const f = parseNginx('location ~ ^/x{2}/ { return 200; }', opts);
		assert.equal(f.problems[0].kind, 'regex-brace');
	});

	it('prints back every input byte for byte', () => {
		const inputs = [
			'', '\n', 'a;', 'http {\n  # c\n  server { listen 80; }\n}\n', 'a "b', '}}}', '{{{', ';;', 'a b c',
			'content_by_lua_block { x = "{" }', 'location ~ ^/x{2}/ { }', 'a "b"c;', '#only', 'x \\{ y;',
		];
		for (const t of inputs) {
			assert.equal(printNginx(parseNginx(t, opts)), t, JSON.stringify(t));
		}
	});

	it('reads text beyond ASCII, NUL characters and a backslash or "$" at the very end like any other', () => {
		const text = 'server_name пример.рф ${é}x;\n# коммент {\nlisten 80\nroot /srv/ü\u0000z;\nlocation /ё { return 200 "ж"; }\nset $a b\\';
		const f = parseNginx(text, NGINX_PARSE_OPTIONS);
		assert.deepEqual(f.directives.map(d => [d.name.value, ...d.args.map(a => a.value)]),
			[['server_name', 'пример.рф', '${é}x'], ['listen', '80'], ['root', '/srv/ü\u0000z'], ['location', '/ё'], ['return', '200', 'ж'], ['set', '$a', 'b\\']]);
		assert.deepEqual(f.problems.map(p => p.kind), ['missing-semicolon', 'unexpected-eof']);
		assert.equal(f.comments.length, 1);
		// names are interned by their text, also after a character beyond ASCII was seen
		const ids = Array.from(f.tree.dirId);
		assert.deepEqual(ids, f.directives.map(d => NGINX_PARSE_OPTIONS.names.id(d.name.value)));
		assert.ok(ids.every(id => id >= 0));
		assert.deepEqual(names('a $'), [['a', '$']]);
		assert.equal(printNginx(f), text);
	});

	it('gives a parse run from inside another (an option callback) its own working arrays', () => {
		let inner: string[] = [];
		const nested = {
			isDataBlock: (name: string) => {
				inner = parseNginx('x 1;\ny 2;', opts).directives.map(d => d.name.value);
				return isNginxDataBlock(name);
			},
			isDirectiveName: isNginxDirective,
		};
		const f = parseNginx('http {\n  listen 80;\n}\nserver_name a;', nested);
		assert.deepEqual(f.directives.map(d => [d.name.value, ...d.args.map(a => a.value)]), [['http'], ['listen', '80'], ['server_name', 'a']]);
		assert.deepEqual(inner, ['x', 'y']);
		assert.deepEqual(f.problems, []);
	});

	it('does not recurse: 10,000 nested blocks parse', () => {
		const text = 'a {'.repeat(10000) + '}'.repeat(10000);
		const f = parseNginx(text, opts);
		assert.equal(f.blocks.length, 10001);
		assert.equal(f.problems.length, 0);
	});
});
