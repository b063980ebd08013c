/**
 * What compose files and Dockerfiles say about the containers they run, beyond command lines:
 * the image, the build, the mounts, the environment. Read line by line with offsets kept, never
 * throwing; what is not understood is left out.
 *
 * Compose files are read as the block YAML they are written in: maps, lists (block and one-line
 * flow lists), plain and quoted one-line scalars. Anchors, merges and multi-line scalars are not
 * followed (a value that uses them is simply missing).
 */
import { yamlScalar } from './hosts';

/** A scalar with where it is written. */
export interface Located {
	readonly value: string;
	readonly offset: number;
	readonly length: number;
}

/** One environment variable a container gets. `value` undefined: passed on from where compose runs (`- NAME`). */
export interface EnvSetting {
	readonly name: string;
	readonly value: string | undefined;
	/** Where the setting is written (the whole `NAME=value` or `NAME: value`). */
	readonly offset: number;
	readonly length: number;
}

/** A mount: a host path (or named volume) and where it appears in the container. */
export interface Mount {
	readonly source: string;
	readonly target: string;
	readonly offset: number;
	readonly length: number;
}

export interface ComposeService {
	readonly name: string;
	/** The service's key. */
	readonly offset: number;
	readonly image?: Located;
	/** The build context and Dockerfile (relative to the compose file's folder). */
	readonly build?: { readonly context: string; readonly dockerfile?: string };
	readonly volumes: readonly Mount[];
	readonly environment: readonly EnvSetting[];
	readonly envFiles: readonly Located[];
}

// ---------------------------------------------------------------------------------------------
// A small block-YAML reader

type Node =
	| { readonly kind: 'scalar'; readonly value: string; readonly offset: number; readonly length: number }
	| { readonly kind: 'list'; readonly items: readonly Node[]; readonly offset: number; readonly length: number }
	| { readonly kind: 'map'; readonly entries: readonly MapEntry[]; readonly offset: number; readonly length: number };

interface MapEntry {
	readonly key: string;
	readonly keyOffset: number;
	readonly value: Node | undefined;
}

/** A line's content: from `start` (after the indentation, or after a `- ` that opened it) to `end`; `col` its column. */
interface Row {
	readonly start: number;
	readonly end: number;
	readonly col: number;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#"'\-?:,[\]{}][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)[ \t]*/;

/** Lines with content (comments and blank lines dropped; a `#` comment after content cut). */
function rowsOf(text: string): Row[] {
	const rows: Row[] = [];
	let pos = 0;
	while (pos <= text.length) {
		const nl = text.indexOf('\n', pos);
		let end = nl < 0 ? text.length : nl;
		if (end > pos && text[end - 1] === '\r') { end--; }
		let s = pos;
		while (s < end && (text[s] === ' ' || text[s] === '\t')) { s++; }
		// `---` and `...` at the start of a line mark documents: one document is read as it comes
		if (s < end && text[s] !== '#' && !(s === pos && (text.startsWith('---', s) || text.startsWith('...', s)))) {
			rows.push({ start: s, end, col: s - pos });
		}
		if (nl < 0) { break; }
		pos = nl + 1;
	}
	return rows;
}

class YamlReader {
	private readonly rows: Row[];
	private i = 0;

	constructor(private readonly text: string) {
		this.rows = rowsOf(text);
	}

	/** The document's top node. */
	read(): Node | undefined {
		if (!this.rows.length) { return undefined; }
		return this.block(this.rows[0].col);
	}

	/** The node whose rows start at the current row, at column `col`. */
	private block(col: number): Node | undefined {
		const row = this.rows[this.i];
		if (!row || row.col !== col) { return undefined; }
		if (this.isItem(row)) { return this.list(col); }
		if (KEY.test(this.text.slice(row.start, row.end))) { return this.map(col); }
		this.i++;
		return this.scalar(row.start, row.end);
	}

	private isItem(row: Row): boolean {
		return this.text[row.start] === '-' && (row.start + 1 === row.end || this.text[row.start + 1] === ' ' || this.text[row.start + 1] === '\t');
	}

	private list(col: number): Node {
		const items: Node[] = [];
		const first = this.rows[this.i];
		let last = first.end;
		while (this.i < this.rows.length) {
			const row = this.rows[this.i];
			// deeper rows nothing took (a multi-line scalar, odd indentation) are passed over
			if (row.col > col) { this.i++; continue; }
			if (row.col !== col || !this.isItem(row)) { break; }
			let s = row.start + 1;
			while (s < row.end && (this.text[s] === ' ' || this.text[s] === '\t')) { s++; }
			if (s >= row.end) {
				// `-` alone: the item is the block below it
				this.i++;
				const next = this.rows[this.i];
				const item = next && next.col > col ? this.block(next.col) : undefined;
				if (item) { items.push(item); }
			} else {
				// the item's content starts a node at its own column (`- type: bind` then `  source: x`)
				const itemCol = col + (s - row.start);
				this.rows[this.i] = { start: s, end: row.end, col: itemCol };
				const item = this.block(itemCol);
				if (item) { items.push(item); }
			}
			last = this.rows[this.i - 1]?.end ?? last;
		}
		return { kind: 'list', items, offset: first.start, length: last - first.start };
	}

	private map(col: number): Node {
		const entries: MapEntry[] = [];
		const first = this.rows[this.i];
		let last = first.end;
		while (this.i < this.rows.length) {
			const row = this.rows[this.i];
			if (row.col > col) { this.i++; continue; }
			if (row.col !== col) { break; }
			const m = KEY.exec(this.text.slice(row.start, row.end));
			if (!m) { break; }
			const key = unquoteKey(m[1]);
			const vs = row.start + m[0].length;
			this.i++;
			let value: Node | undefined;
			if (vs < row.end) {
				value = this.text[vs] === '[' ? this.flowList(vs, row.end) : this.scalar(vs, row.end);
			} else {
				const next = this.rows[this.i];
				// a block below (deeper), or a list at the key's own column
				if (next && (next.col > col || (next.col === col && this.isItem(next)))) { value = this.block(next.col); }
			}
			entries.push({ key, keyOffset: row.start, value });
			last = this.rows[this.i - 1]?.end ?? last;
		}
		return { kind: 'map', entries, offset: first.start, length: last - first.start };
	}

	private scalar(s: number, e: number): Node {
		const w = yamlScalar(this.text, s, e);
		if (!w) { return { kind: 'scalar', value: '', offset: s, length: 0 }; }
		return { kind: 'scalar', value: w.word.text, offset: w.word.offset, length: w.word.length };
	}

	/** `[a, "b", c]` on one line. */
	private flowList(open: number, e: number): Node {
		const items: Node[] = [];
		let i = open + 1;
		for (;;) {
			while (i < e && (this.text[i] === ' ' || this.text[i] === '\t')) { i++; }
			if (i >= e || this.text[i] === ']') { break; }
			const w = yamlScalar(this.text, i, e, ',]');
			if (!w) { break; }
			items.push({ kind: 'scalar', value: w.word.text, offset: w.word.offset, length: w.word.length });
			i = w.next;
			while (i < e && (this.text[i] === ' ' || this.text[i] === '\t')) { i++; }
			if (this.text[i] === ',') { i++; }
		}
		return { kind: 'list', items, offset: open, length: Math.min(i + 1, e) - open };
	}
}

function unquoteKey(key: string): string {
	if (key.startsWith('"') && key.endsWith('"')) { return key.slice(1, -1).replace(/\\(.)/g, '$1'); }
	if (key.startsWith("'") && key.endsWith("'")) { return key.slice(1, -1).replace(/''/g, "'"); }
	return key;
}

function entry(node: Node | undefined, key: string): Node | undefined {
	return node?.kind === 'map' ? node.entries.find(e => e.key === key)?.value : undefined;
}

function scalarOf(node: Node | undefined): Located | undefined {
	return node?.kind === 'scalar' ? { value: node.value, offset: node.offset, length: node.length } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Compose files

/** The services of a compose file, in the order written. */
export function composeServices(text: string): ComposeService[] {
	const top = new YamlReader(text).read();
	const services = entry(top, 'services');
	if (services?.kind !== 'map') { return []; }
	return services.entries.map(e => readService(e));
}

function readService(e: MapEntry): ComposeService {
	const s = e.value;
	const build = entry(s, 'build');
	const buildScalar = scalarOf(build);
	return {
		name: e.key,
		offset: e.keyOffset,
		image: scalarOf(entry(s, 'image')),
		build: buildScalar ? { context: buildScalar.value }
			: build?.kind === 'map' ? { context: scalarOf(entry(build, 'context'))?.value ?? '.', dockerfile: scalarOf(entry(build, 'dockerfile'))?.value } : undefined,
		volumes: readVolumes(entry(s, 'volumes')),
		environment: readEnvironment(entry(s, 'environment')),
		envFiles: readEnvFiles(entry(s, 'env_file')),
	};
}

function readVolumes(node: Node | undefined): Mount[] {
	if (node?.kind !== 'list') { return []; }
	const out: Mount[] = [];
	for (const item of node.items) {
		if (item.kind === 'scalar') {
			// short syntax: SOURCE:TARGET[:MODE] (a lone TARGET is an anonymous volume)
			const parts = item.value.split(':');
			if (parts.length >= 2 && parts[0] && parts[1]) { out.push({ source: parts[0], target: parts[1], offset: item.offset, length: item.length }); }
		} else if (item.kind === 'map') {
			const source = scalarOf(entry(item, 'source'))?.value;
			const target = scalarOf(entry(item, 'target'))?.value;
			if (source && target) { out.push({ source, target, offset: item.offset, length: item.length }); }
		}
	}
	return out;
}

function readEnvironment(node: Node | undefined): EnvSetting[] {
	const out: EnvSetting[] = [];
	if (node?.kind === 'list') {
		for (const item of node.items) {
			if (item.kind !== 'scalar' || !item.value) { continue; }
			const eq = item.value.indexOf('=');
			out.push({ name: eq < 0 ? item.value : item.value.slice(0, eq), value: eq < 0 ? undefined : item.value.slice(eq + 1), offset: item.offset, length: item.length });
		}
	} else if (node?.kind === 'map') {
		for (const e of node.entries) {
			const v = scalarOf(e.value);
			const end = v ? v.offset + v.length : e.keyOffset + e.key.length + 1;
			out.push({ name: e.key, value: v?.value ?? '', offset: e.keyOffset, length: end - e.keyOffset });
		}
	}
	return out;
}

function readEnvFiles(node: Node | undefined): Located[] {
	const one = scalarOf(node);
	if (one) { return [one]; }
	if (node?.kind !== 'list') { return []; }
	return node.items.flatMap(i => {
		const s = scalarOf(i) ?? scalarOf(entry(i, 'path'));
		return s ? [s] : [];
	});
}

/** Whether an image is the official nginx image or one built like it (the unprivileged variant): their entrypoint fills in templates. */
export function isNginxImage(image: string): boolean {
	const repo = image.replace(/[@].*$/, '').replace(/:[^/]*$/, '');
	const name = repo.slice(repo.lastIndexOf('/') + 1);
	const owner = repo.includes('/') ? repo.slice(0, repo.lastIndexOf('/')) : '';
	return (name === 'nginx' && /^(|library|docker\.io\/library|docker\.io|nginx|nginxinc|public\.ecr\.aws\/nginx|mirror\.gcr\.io\/library)$/.test(owner))
		|| (name === 'nginx-unprivileged' && /(^|\/)nginxinc$/.test(owner));
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles

export interface DockerCopy {
	readonly sources: readonly string[];
	readonly dest: string;
	readonly offset: number;
	readonly length: number;
}

export interface DockerStage {
	readonly from: Located;
	/** `AS name`. */
	readonly name?: string;
	readonly env: readonly EnvSetting[];
	/** COPY and ADD from the build context (not `--from` another stage). */
	readonly copies: readonly DockerCopy[];
}

/** The build stages of a Dockerfile (the last one is the image). */
export function dockerfileStages(text: string): DockerStage[] {
	const stages: { from: Located; name?: string; env: EnvSetting[]; copies: DockerCopy[] }[] = [];
	for (const ins of instructions(text)) {
		const keyword = ins.keyword.toUpperCase();
		if (keyword === 'FROM') {
			const words = plainWords(ins.args, ins.argsOffset).filter(w => !w.value.startsWith('--'));
			if (!words.length) { continue; }
			const as = words.findIndex(w => w.value.toLowerCase() === 'as');
			stages.push({ from: words[0], name: as > 0 ? words[as + 1]?.value : undefined, env: [], copies: [] });
			continue;
		}
		const stage = stages[stages.length - 1];
		if (!stage) { continue; }
		if (keyword === 'ENV') { stage.env.push(...readEnv(ins.args, ins.argsOffset)); }
		if (keyword === 'COPY' || keyword === 'ADD') {
			const words = ins.args.trimStart().startsWith('[') ? jsonWords(ins.args, ins.argsOffset) : plainWords(ins.args, ins.argsOffset);
			const flags = words.filter(w => w.value.startsWith('--'));
			if (flags.some(f => f.value.startsWith('--from='))) { continue; }
			const paths = words.filter(w => !w.value.startsWith('--'));
			if (paths.length < 2) { continue; }
			stage.copies.push({ sources: paths.slice(0, -1).map(p => p.value), dest: paths[paths.length - 1].value, offset: ins.offset, length: ins.end - ins.offset });
		}
	}
	return stages;
}

/**
 * The instructions of a Dockerfile, a continued one as one string of the same length as its text
 * (the escapes, line breaks and comment lines inside it blanked), so offsets stay exact.
 */
function instructions(text: string): { keyword: string; args: string; argsOffset: number; offset: number; end: number }[] {
	const out: { keyword: string; args: string; argsOffset: number; offset: number; end: number }[] = [];
	const lines = text.split('\n');
	let pos = 0;
	for (let li = 0; li < lines.length; li++) {
		const lineStart = pos;
		pos += lines[li].length + 1;
		const line = lines[li].replace(/\r$/, '');
		const m = /^([ \t]*)([A-Za-z]+)(?:[ \t]+|$)/.exec(line);
		if (!m || /^[ \t]*#/.test(line)) { continue; }
		let args = line.slice(m[0].length);
		let end = lineStart + line.length;
		let cr = lines[li].length - line.length;
		while (/\\[ \t]*$/.test(args) && li + 1 < lines.length) {
			args = args.replace(/\\([ \t]*)$/, ' $1') + ' '.repeat(cr + 1);
			// comment lines inside a continued instruction are dropped (Docker's rule), the instruction goes on
			for (;;) {
				li++;
				const next = lines[li];
				pos += next.length + 1;
				const body = next.replace(/\r$/, '');
				cr = next.length - body.length;
				end = pos - 1 - cr;
				if (/^[ \t]*#/.test(body) && li + 1 < lines.length) {
					args += ' '.repeat(next.length + 1);
					continue;
				}
				args += body;
				break;
			}
		}
		out.push({ keyword: m[2], args, argsOffset: lineStart + m[0].length, offset: lineStart + m[1].length, end });
	}
	return out;
}

/** Blank-separated words with quotes removed (offsets are those of the first line's text). */
function plainWords(args: string, offset: number): Located[] {
	const out: Located[] = [];
	const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
	for (let m = re.exec(args); m; m = re.exec(args)) {
		out.push({ value: m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3], offset: offset + m.index, length: m[0].length });
	}
	return out;
}

function jsonWords(args: string, offset: number): Located[] {
	const out: Located[] = [];
	const re = /"((?:[^"\\]|\\.)*)"/g;
	for (let m = re.exec(args); m; m = re.exec(args)) {
		out.push({ value: m[1].replace(/\\(.)/g, '$1'), offset: offset + m.index, length: m[0].length });
	}
	return out;
}

/** `ENV A=1 B="two words"`, or the old form `ENV NAME value with words`. */
function readEnv(args: string, offset: number): EnvSetting[] {
	const trimmed = args.trim();
	const lead = args.length - args.trimStart().length;
	const old = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]+(?![^ \t]*=)(.*)$/.exec(trimmed);
	if (old && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(trimmed)) {
		return [{ name: old[1], value: old[2].trim(), offset: offset + lead, length: trimmed.length }];
	}
	const out: EnvSetting[] = [];
	const re = /([A-Za-z_][A-Za-z0-9_]*)=("((?:[^"\\]|\\.)*)"|'([^']*)'|((?:[^\s\\]|\\.)*))/g;
	for (let m = re.exec(args); m; m = re.exec(args)) {
		const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4] ?? (m[5] ?? '').replace(/\\(.)/g, '$1');
		out.push({ name: m[1], value, offset: offset + m.index, length: m[0].length });
	}
	return out;
}
