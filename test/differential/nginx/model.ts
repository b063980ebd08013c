/**
 * The configs the differential tests build and mutate: statements as written (names and raw
 * argument tokens), blocks, and a few ways to break them when printed (a missing `;`, `{` or
 * `}`). A case is a tree of files, the main one first, plus stub files (certificates, password
 * files) the configs name.
 */

export interface Stmt {
	name: string;
	/** Arguments as written (quotes kept). */
	args: string[];
	/** Children, for a block statement (`[]` for an empty block). */
	block?: Stmt[];
	/** The block holds data entries (map, geo, types, split_clients), not directives. */
	data?: boolean;
	/** The context the statement stands in (main, http, http.server, …); entries of data blocks: `data`. */
	ctx: string;
	/** Printing faults. */
	noSemi?: boolean;
	noOpen?: boolean;
	noClose?: boolean;
	/** Names this statement defines or uses (for the "remove a definition" mutation). */
	defines?: string[];
	uses?: string[];
}

export interface Case {
	/** Config files by path relative to the case folder; `nginx.conf` is the main file. */
	files: Map<string, Stmt[]>;
	/** Files that are no config (certificates, keys, password files, scripts), by path. */
	stubs: Map<string, string>;
	/** Bytes put before the main file's text (a byte-order mark). */
	mainPrefix?: string;
	/** What built the case: `generated`, `seed:<name>`, and the mutations applied. */
	origin: string[];
}

export const MAIN = 'nginx.conf';

export function printStmts(stmts: readonly Stmt[], depth = 0): string {
	let out = '';
	const pad = '    '.repeat(depth);
	for (const s of stmts) {
		const head = s.args.length ? `${s.name} ${s.args.join(' ')}` : s.name;
		if (s.block) {
			out += `${pad}${head}${s.noOpen ? '' : ' {'}\n`;
			out += printStmts(s.block, depth + 1);
			out += s.noClose ? '' : `${pad}}\n`;
		} else {
			out += `${pad}${head}${s.noSemi ? '' : ';'}\n`;
		}
	}
	return out;
}

export function printFile(c: Case, path: string): string {
	const text = printStmts(c.files.get(path) ?? []);
	return path === MAIN && c.mainPrefix ? c.mainPrefix + text : text;
}

export function cloneStmts(stmts: readonly Stmt[]): Stmt[] {
	return stmts.map(s => ({ ...s, args: [...s.args], block: s.block ? cloneStmts(s.block) : undefined, defines: s.defines && [...s.defines], uses: s.uses && [...s.uses] }));
}

export function cloneCase(c: Case): Case {
	return {
		files: new Map([...c.files].map(([p, s]) => [p, cloneStmts(s)])),
		stubs: new Map(c.stubs),
		mainPrefix: c.mainPrefix,
		origin: [...c.origin],
	};
}

/** Every statement of a case with the list that holds it, depth first (files in order). */
export function* walk(c: Case): Generator<{ file: string; list: Stmt[]; index: number; stmt: Stmt; depth: number }> {
	for (const [file, stmts] of c.files) { yield* walkList(file, stmts, 0); }
}

function* walkList(file: string, list: Stmt[], depth: number): Generator<{ file: string; list: Stmt[]; index: number; stmt: Stmt; depth: number }> {
	for (let i = 0; i < list.length; i++) {
		const stmt = list[i];
		yield { file, list, index: i, stmt, depth };
		if (stmt.block && !stmt.data) { yield* walkList(file, stmt.block, depth + 1); }
	}
}

/** Every block (and the top level of each file) with its context, for placing statements. */
export function* blocks(c: Case): Generator<{ file: string; list: Stmt[]; ctx: string; owner?: Stmt }> {
	for (const [file, stmts] of c.files) {
		const top = file === MAIN ? 'main' : fileContext(c, file);
		if (top) { yield { file, list: stmts, ctx: top }; }
	}
	for (const { file, stmt } of walk(c)) {
		if (stmt.block && !stmt.data) { yield { file, list: stmt.block, ctx: blockContext(stmt), owner: stmt }; }
	}
}

/** The context an included file's statements stand in (the context of the include that names it). */
export function fileContext(c: Case, file: string): string | undefined {
	for (const { stmt } of walk(c)) {
		if (stmt.name === 'include' && stmt.args[0] !== undefined && includeMatches(stmt.args[0], file)) { return stmt.ctx; }
	}
	return undefined;
}

function includeMatches(pattern: string, file: string): boolean {
	const p = pattern.replace(/^["']|["']$/g, '');
	if (!p.includes('*')) { return p === file; }
	const re = new RegExp('^' + p.split('*').map(x => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$');
	return re.test(file);
}

/** The context a block statement opens. */
export function blockContext(s: Stmt): string {
	switch (s.name) {
		case 'events': return 'events';
		case 'http': return 'http';
		case 'stream': return 'stream';
		case 'mail': return 'mail';
		case 'server': return s.ctx === 'http' ? 'http.server' : s.ctx === 'stream' ? 'stream.server' : s.ctx === 'mail' ? 'mail.server' : `${s.ctx}.server`;
		case 'upstream': return s.ctx === 'stream' ? 'stream.upstream' : 'http.upstream';
		case 'location': return 'http.location';
		case 'if': return s.ctx === 'http.server' ? 'http.server.if' : 'http.location.if';
		case 'limit_except': return 'http.limit_except';
		default: return `${s.ctx}.${s.name}`;
	}
}

export function countStmts(c: Case): number {
	let n = 0;
	for (const _ of walk(c)) { n++; }
	return n;
}
