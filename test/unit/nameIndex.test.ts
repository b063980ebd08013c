/** The workspace's name indexes (name → files holding it), built whole and kept current edit by edit. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NginxFile } from '../../server/src/parser/nginx/nodes';
import { Workspace } from '../../server/src/service/workspace';

/** Names of the `upstream` blocks of a file, repeats kept (the index removes them). */
function upstreams(file: NginxFile): string[] {
	return file.directives.filter(d => d.name.value === 'upstream').map(d => d.args[0]?.value ?? '');
}

function snapshot(ws: Workspace): Record<string, string[]> {
	const ix = ws.nginxNames('upstreams', upstreams);
	return Object.fromEntries([...ix.files].map(([name, uris]) => [name, [...uris].sort()]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
}

describe('workspace name index', () => {
	it('holds each name once per file, for every file that has it', () => {
		const ws = new Workspace();
		ws.setText('file:///w/a.conf', 'nginx', 'upstream app { server unix:/a.sock; }\nupstream app { server unix:/b.sock; }\nupstream api { server 127.0.0.1:1; }\n');
		ws.setText('file:///w/b.conf', 'nginx', 'upstream app { server unix:/c.sock; }\n');
		assert.deepEqual(snapshot(ws), { api: ['file:///w/a.conf'], app: ['file:///w/a.conf', 'file:///w/b.conf'] });
	});

	it('follows edits: the version moves only when a name appears or disappears', () => {
		const ws = new Workspace();
		ws.setText('file:///w/a.conf', 'nginx', 'upstream app { server unix:/a.sock; }\n');
		ws.setText('file:///w/b.conf', 'nginx', 'upstream app { server unix:/c.sock; }\nupstream old { server unix:/d.sock; }\n');
		const v0 = ws.nginxNames('upstreams', upstreams).version;
		// same names, other servers: the version stays
		ws.setText('file:///w/b.conf', 'nginx', 'upstream app { server unix:/e.sock; }\nupstream old { server unix:/f.sock; }\n');
		assert.equal(ws.nginxNames('upstreams', upstreams).version, v0);
		ws.setText('file:///w/b.conf', 'nginx', 'upstream app { server unix:/e.sock; }\nupstream new { server unix:/g.sock; }\nupstream new { server unix:/h.sock; }\n');
		assert.notEqual(ws.nginxNames('upstreams', upstreams).version, v0);
		assert.deepEqual(snapshot(ws), { app: ['file:///w/a.conf', 'file:///w/b.conf'], new: ['file:///w/b.conf'] });
		ws.setText('file:///w/a.conf', 'nginx', 'server { listen 80; }\n');
		assert.deepEqual(snapshot(ws), { app: ['file:///w/b.conf'], new: ['file:///w/b.conf'] });
	});
});
