/**
 * Real configs as bases for mutation: the bundled examples, and (with --corpus) the corpus files
 * nginx accepts. Each is read into statements (with our parser, only to cut it into statements:
 * the verdicts still come from nginx), put in the context it belongs to, and its paths of the
 * machine (logs, pid, temp folders) moved into the case folder. A seed is used only when the
 * unmutated case passes `nginx -t` in the sandbox and includes nothing outside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNginx } from '../../../server/src/parser/nginx/parser';
import type { NginxBlock, NginxFile } from '../../../server/src/parser/nginx/nodes';
import { blockContext, MAIN, type Case, type Stmt } from './model';
import { dynamicModules } from './probe';

const DATA_BLOCKS = new Set(['map', 'geo', 'split_clients', 'types', 'charset_map', 'match']);
const MACHINE_PATHS = new Set(['error_log', 'access_log', 'pid', 'lock_file', 'client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path', 'proxy_cache_path', 'fastcgi_cache_path', 'uwsgi_cache_path', 'scgi_cache_path', 'working_directory']);

function toStmts(file: NginxFile, block: NginxBlock, ctx: string): Stmt[] | undefined {
	const out: Stmt[] = [];
	for (const child of block.children) {
		if (child.kind !== 'directive') { continue; }
		if (child.terminator === 'missing') { return undefined; }
		const stmt: Stmt = { name: child.name.raw, args: child.args.map(a => a.raw), ctx };
		if (MACHINE_PATHS.has(stmt.name) && stmt.args[0]?.startsWith('/') && stmt.args[0] !== '/dev/null') {
			stmt.args[0] = `logs/${path.basename(stmt.args[0]).replace(/[^\w.-]/g, '_') || 'x'}`;
		}
		if (child.block) {
			if (child.block.raw) { return undefined; }
			if (DATA_BLOCKS.has(stmt.name)) {
				stmt.data = true;
				stmt.block = child.block.children.flatMap(c => (c.kind === 'directive' ? [{ name: c.name.raw, args: c.args.map(a => a.raw), ctx: 'data' }] : []));
			} else {
				const inner = toStmts(file, child.block, blockContext(stmt));
				if (!inner) { return undefined; }
				stmt.block = inner;
			}
		}
		out.push(stmt);
	}
	return out;
}

const WRAPPERS: Record<string, (inner: Stmt[]) => Stmt[]> = {
	main: inner => inner,
	http: inner => [{ name: 'events', args: [], block: [], ctx: 'main' }, { name: 'http', args: [], block: inner, ctx: 'main' }],
	server: inner => WRAPPERS.http([{ name: 'server', args: [], block: inner, ctx: 'http' }]),
	location: inner => WRAPPERS.server([{ name: 'location', args: ['/'], block: inner, ctx: 'http.server' }]),
	stream: inner => [{ name: 'events', args: [], block: [], ctx: 'main' }, { name: 'stream', args: [], block: inner, ctx: 'main' }],
};

const CONTEXT_IDS: Record<string, string> = { main: 'main', http: 'http', server: 'http.server', location: 'http.location', stream: 'stream' };

/** A case from one real config file, in context `context` (main, http, server, location, stream). */
export function seedCase(name: string, text: string, context: string): Case | undefined {
	if (text.includes('\r')) { text = text.replace(/\r\n?/g, '\n'); }
	const file = parseNginx(text);
	if (file.problems.length) { return undefined; }
	const ctx = CONTEXT_IDS[context];
	if (!ctx) { return undefined; }
	const stmts = toStmts(file, file.blocks[0], ctx);
	if (!stmts || !stmts.length) { return undefined; }
	// includes of anything but the standard files would read outside the case folder
	const bad = (list: Stmt[]): boolean => list.some(s => s.name === 'include' && !/^(mime\.types|uwsgi_params|fastcgi_params|fastcgi\.conf|scgi_params|proxy_params)$/.test(s.args[0]?.replace(/^["']|["']$/g, '') ?? '') || (s.block && !s.data && bad(s.block)));
	if (bad(stmts)) { return undefined; }
	const wrapped = WRAPPERS[context](stmts);
	const main: Stmt[] = [...dynamicModules().map(m => ({ name: 'load_module', args: [m], ctx: 'main' }))];
	if (!wrapped.some(s => s.name === 'pid')) { main.push({ name: 'pid', args: ['nginx.pid'], ctx: 'main' }); }
	if (!wrapped.some(s => s.name === 'events')) { main.push({ name: 'events', args: [], block: [], ctx: 'main' }); }
	main.push(...wrapped.filter(s => s.name !== 'load_module'));
	return { files: new Map([[MAIN, main]]), stubs: new Map(), origin: [`seed:${name}`] };
}

/** Seed configs of the repository (examples/) and, when given, of a corpus folder (files nginx -t accepts). */
export function loadSeeds(root: string, corpus?: string): { name: string; text: string; context: string }[] {
	const out: { name: string; text: string; context: string }[] = [];
	const examples = path.join(root, 'examples');
	const visit = (dir: string) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) { visit(p); } else if (e.name.endsWith('.conf')) {
				const text = fs.readFileSync(p, 'utf8');
				out.push({ name: path.relative(root, p), text, context: /^\s*server\s*\{/m.test(text) && !/^\s*http\s*\{/m.test(text) ? 'http' : 'main' });
			}
		}
	};
	if (fs.existsSync(examples)) { visit(examples); }
	if (corpus) {
		const manifest = path.join(corpus, 'manifest.jsonl');
		if (!fs.existsSync(manifest)) { throw new Error(`${manifest} not found: --corpus needs a corpus folder with its manifest`); }
		for (const line of fs.readFileSync(manifest, 'utf8').split('\n')) {
			if (!line) { continue; }
			const row = JSON.parse(line) as { file: string; kind: string; nginx_t_relaxed?: string; nginx_t_context?: string };
			if (row.kind !== 'nginx' || row.nginx_t_relaxed !== 'ok') { continue; }
			out.push({ name: `corpus:${row.file}`, text: fs.readFileSync(path.join(corpus, row.file), 'utf8'), context: row.nginx_t_context ?? 'main' });
		}
	}
	return out;
}
