/**
 * The compact nginx parser against the object-per-node parser it replaced
 * (test/helpers/referenceNginxParser.ts): for generated, mutated and hand-picked inputs both
 * build the same tree — every directive, token (offset, length, raw, value, quote), block,
 * child list, comment and problem — with and without the directive-name options.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { generateNginxConfig } from '../../bench/generate';
import { isNginxDataBlock, isNginxDirective } from '../../server/src/data/nginxData';
import type { NginxBlock, NginxComment, NginxDirective, NginxToken } from '../../server/src/parser/nginx/nodes';
import { parseNginx, printNginx } from '../../server/src/parser/nginx/parser';
import { NGINX_PARSE_OPTIONS } from '../../server/src/service/workspace';
import { arbInput, SEEDS } from '../helpers/fuzz';
import * as reference from '../helpers/referenceNginxParser';

type AnyFile = reference.NginxFile;

function tok(t: NginxToken): unknown {
	return { offset: t.offset, length: t.length, raw: t.raw, value: t.value, quote: t.quote };
}

function dir(d: NginxDirective): unknown {
	return {
		kind: d.kind, offset: d.offset, length: d.length, name: tok(d.name), args: d.args.map(tok), terminator: d.terminator,
		semicolon: d.semicolon, parent: d.parent, block: d.block?.index,
	};
}

function child(c: NginxDirective | NginxComment): unknown {
	return c.kind === 'comment' ? { kind: 'comment', offset: c.offset, length: c.length } : { kind: 'directive', offset: c.offset, length: c.length };
}

function blk(b: NginxBlock): unknown {
	return {
		kind: b.kind, offset: b.offset, length: b.length, open: b.open, close: b.close, index: b.index,
		raw: b.raw ? { offset: b.raw.offset, length: b.raw.length } : undefined, owner: b.owner?.offset, children: b.children.map(child),
	};
}

function shape(f: AnyFile): unknown {
	return {
		directives: f.directives.map(dir), blocks: f.blocks.map(blk),
		comments: f.comments.map(c => ({ offset: c.offset, length: c.length })), problems: f.problems.map(p => ({ ...p })),
		orphanBraces: f.orphanBraces.map(b => ({ offset: b.offset, length: b.length })),
	};
}

const OPTION_SETS = [
	['no options', {}],
	['name functions', { isDirectiveName: isNginxDirective, isDataBlock: isNginxDataBlock }],
	['name table', NGINX_PARSE_OPTIONS],
] as const;

function same(text: string): void {
	for (const [label, options] of OPTION_SETS) {
		const refOptions = label === 'no options' ? {} : { isDirectiveName: isNginxDirective, isDataBlock: isNginxDataBlock };
		const expected = reference.parseNginx(text, refOptions);
		const actual = parseNginx(text, options);
		assert.deepEqual(shape(actual), shape(expected), `${label}: ${JSON.stringify(text.slice(0, 300))}`);
		assert.equal(printNginx(actual), text);
		// ids are the table's ids of the names' values
		if (options === NGINX_PARSE_OPTIONS) {
			const t = actual.tree;
			for (let d = 0; d < t.directiveCount; d++) {
				const name = actual.directives[d].name.value;
				assert.equal(t.dirId[d], t.names!.id(name), name);
				assert.equal(t.dirDollar[d], actual.directives[d].args.some(x => x.value.includes('$')) ? 1 : 0, `$ in the arguments of ${name}`);
			}
		}
	}
}

describe('nginx parser: compact tree = object tree', () => {
	it('hand-picked inputs', () => {
		const inputs = [
			'', 'a;', 'a b c;', 'a "b;{}" \'c d\' e\\;f;', 'set $x ${y}z;', 'a b#c;', 'a "x\\"y";', 'return 200 x}\n;',
			'a "#x"; # real\nb;', 'http { server { location / { return 200; } } }', 'map $a $b { default 0; "~^x{2}" 1; \'\' 2; }',
			'server {\n    listen 80\n    server_name example.com;\n}\n', 'log_format main \'$a\'\n        \'$b\';\n',
			'location ~ ^/x{2}/ { return 200; }', '{}', '{ }', 'x;{a;}', '{{}}', 'server {\n}\n{\n  listen 80;\n}\n', '}', ';', 'a {',
			'content_by_lua_block { local s = "}" -- }\n ngx.say([[}]]) }', 'access_by_lua_block { ', '"unterminated', "a 'b'c;",
			'a # c1\n b # c2\n;\n# c3\n', 'server { # x\n listen 80; # y\n location / { # z\n } }', '"ma\\p" $a $b { x y; }',
			'a\\\n b;', 'server {\n\tlisten 80\n\tlocation / {}\n}', 'x_by_lua_block {}', '"x_by_lua_block" { } }',
			'http {\n  map $a $b {\n    listen 1\n    server 2;\n  }\n}\n', '\uFEFFevents {}\r\nhttp {\r\n}\r\n',
			'a \\$x "\\$y" \'$z\' w;', 'return 301 $scheme://$host$request_uri;', 'a "b\\"$";', '$x y;',
		];
		for (const t of inputs) { same(t); }
	});

	it('the benchmark config', () => {
		same(generateNginxConfig(64 * 1024));
	});

	it('generated and mutated inputs (fast-check)', () => {
		fc.assert(fc.property(arbInput('nginx', SEEDS.nginx), text => { same(text); }), { numRuns: 400 });
	});

	it('the example configs of the repository', () => {
		const root = path.resolve(__dirname, '..', '..', '..', 'examples');
		const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
		const files = walk(root).filter(f => /nginx|\.conf$/.test(f) && !/\.ini$/.test(f));
		assert.ok(files.length > 0, `no nginx examples found under ${root}`);
		for (const f of files) { same(fs.readFileSync(f, 'utf8')); }
	});
});
