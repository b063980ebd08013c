/** The value of a directive in effect at a level (analysis/nginx/effective.ts): own, included, inherited, across files. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { effectiveAt, inherit, levelDefinitions, NameSet, topReadings, type Values } from '../../server/src/analysis/nginx/effective';
import { service } from '../helpers/text';

const NAMES = new NameSet(['proxy_buffers', 'proxy_read_timeout']);

function graphOf(files: Record<string, string>) {
	const svc = service();
	for (const [p, text] of Object.entries(files)) { svc.workspace.set(TextDocument.create(`file://${p}`, 'nginx', 1, text), 'nginx'); }
	return svc.workspace.nginxGraph({});
}

/** "file:line" of each name's definition in effect (1-based lines), or "-" for the default. */
function show(v: Values): string[] {
	return v.map(d => {
		if (!d) { return '-'; }
		const at = d.file.tree.tokStart[d.file.tree.dirTok[d.index]];
		return `${d.uri.slice(d.uri.lastIndexOf('/') + 1)}:${d.file.text.slice(0, at).split('\n').length}`;
	});
}

/** Index of the block a `location <path>` opens. */
function blockOf(graph: ReturnType<typeof graphOf>, uri: string, path: string): number {
	const file = graph.fileOf(uri)!;
	const d = file.directives.find(x => x.name.value === 'location' && x.args[0]?.value === path)!;
	return d.block!.index;
}

describe('effective values', () => {
	const files = {
		'/w/nginx/nginx.conf': 'http {\nproxy_read_timeout 30s;\ninclude conf.d/*.conf;\n}\n',
		'/w/nginx/conf.d/site.conf': 'server {\nproxy_buffers 8 8k;\nlocation /a {\ninclude /w/nginx/snippets/slow.conf;\n}\nlocation /b {\nproxy_buffers 16 8k;\nlocation /b/c { }\n}\n}\n',
		'/w/nginx/snippets/slow.conf': 'proxy_read_timeout 5m;\n',
	};

	it('takes a level\'s own definition, one of a file included there, else the enclosing level\'s, across files', () => {
		const g = graphOf(files);
		const site = 'file:///w/nginx/conf.d/site.conf';
		assert.deepEqual(effectiveAt(g, site, blockOf(g, site, '/a'), NAMES).map(r => show(r.values)), [['site.conf:2', 'slow.conf:1']]);
		assert.deepEqual(effectiveAt(g, site, blockOf(g, site, '/b'), NAMES).map(r => show(r.values)), [['site.conf:7', 'nginx.conf:2']]);
		assert.deepEqual(effectiveAt(g, site, blockOf(g, site, '/b/c'), NAMES).map(r => show(r.values)), [['site.conf:7', 'nginx.conf:2']]);
		const r = topReadings(g, 'file:///w/nginx/snippets/slow.conf', NAMES);
		assert.deepEqual(r.map(x => [x.context, x.complete, ...show(x.values)]), [['http.location', true, 'site.conf:2', 'slow.conf:1']]);
	});

	it('computes every block top-down, sharing the parent\'s values where a block defines nothing', () => {
		const g = graphOf(files);
		const site = 'file:///w/nginx/conf.d/site.conf';
		const file = g.fileOf(site)!;
		const own = levelDefinitions(g, site, file, NAMES);
		const [top] = topReadings(g, site, NAMES);
		const all = inherit(file, own, top.values);
		const c = blockOf(g, site, '/b/c');
		assert.equal(all[c], all[blockOf(g, site, '/b')]);
		assert.deepEqual(show(all[blockOf(g, site, '/a')]), ['site.conf:2', 'slow.conf:1']);
	});

	it('gives a file nobody includes its own values, complete only when it is a main config', () => {
		const g = graphOf({ '/w/x/server.conf': 'server {\nproxy_buffers 4 4k;\n}\n', '/w/y/nginx.conf': 'events {}\nhttp { proxy_buffers 2 4k; }\n' });
		assert.deepEqual(topReadings(g, 'file:///w/x/server.conf', NAMES).map(r => [r.context, r.complete]), [['http', false]]);
		assert.deepEqual(topReadings(g, 'file:///w/y/nginx.conf', NAMES).map(r => [r.context, r.complete]), [['main', true]]);
	});

	it('reads a file included from two places once per place', () => {
		const g = graphOf({
			'/w/nginx/nginx.conf': 'http {\nserver {\nproxy_buffers 4 4k;\nlocation / { include /w/nginx/s.conf; }\n}\nserver {\nlocation / { include /w/nginx/s.conf; }\n}\n}\n',
			'/w/nginx/s.conf': 'proxy_read_timeout 1s;\n',
		});
		assert.deepEqual(topReadings(g, 'file:///w/nginx/s.conf', NAMES).map(r => show(r.values)), [['nginx.conf:3', 's.conf:1'], ['-', 's.conf:1']]);
	});
});
