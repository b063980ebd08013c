/**
 * Finds uWSGI command lines in host files, each with the quoting and continuation rules of its
 * host: shell scripts (the whole file), Dockerfiles (`RUN`/`CMD`/`ENTRYPOINT` in exec form — a
 * JSON array — and shell form with `\` continuations; an exec-form `ENTRYPOINT ["uwsgi"]` takes
 * the exec-form `CMD` as further arguments), compose files (`command:`/`entrypoint:` as a string,
 * a flow list `[...]` or a block list `- item`), systemd units (`ExecStart=` and friends, with
 * their `-@:+!` prefixes), supervisor programs (`command=`), Procfiles (`web: uwsgi ...`).
 *
 * A command is a uWSGI invocation when its program is `uwsgi` (any path, `uwsgi-core`,
 * `uwsgi_python3`) after wrappers (`exec`, `env A=b`, `sudo -u x`, `gosu x`, `tini --`,
 * `pipenv run`, ...); `sh -c "..."` and `bash -c '...'` scripts are searched too.
 *
 * Line-based and linear; never throws.
 */
import type { Span } from '../../utils/positions';
import { composeServices, type ComposeService } from './compose';
import type { ArgumentForm, CommandFile, CommandHost, CommandInvocation, CommandWord, RunPlace } from './nodes';
import { lexInside, lexWords, makeWord, type LexOptions } from './words';

const SHELL: LexOptions = { shell: true };
/** Commands of a Dockerfile run in a container of its image. */
const IMAGE: RunPlace = { kind: 'image' };
const PLAIN: LexOptions = { shell: false };

interface FindContext {
	readonly form: ArgumentForm;
	readonly itemPrefix?: string;
	readonly cwd?: string;
	readonly runsIn?: RunPlace;
	readonly depth: number;
}

const PROGRAM = /^uwsgi(?:-core|_python\d*|_pypy)?$/;
const SHELLS = /^(?:ba|da|z|a|k)?sh$/;
const NO_ARG_WRAPPERS: ReadonlySet<string> = new Set(['exec', 'nohup', 'command', 'builtin', 'time', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '(', 'setsid', 'unbuffer']);
const RUNNERS: ReadonlySet<string> = new Set(['pipenv', 'poetry', 'uv', 'pdm', 'hatch', 'rye']);

function baseName(text: string): string {
	return text.slice(text.lastIndexOf('/') + 1);
}

export function isUwsgiProgram(text: string): boolean {
	return PROGRAM.test(baseName(text));
}

/** Skips blank-free flags (and the values of the listed ones) starting at `i`. */
function skipFlags(words: readonly CommandWord[], i: number, withValue: RegExp): number {
	while (i < words.length && words[i].text.startsWith('-') && words[i].text !== '-') {
		const flag = words[i].text;
		i++;
		if (flag === '--') { break; }
		if (withValue.test(flag)) { i++; }
	}
	return i;
}

/** The uWSGI invocations of one simple command (its words as the program receives them). */
export function findInCommand(words: readonly CommandWord[], ctx: FindContext): CommandInvocation[] {
	let i = 0;
	const n = words.length;
	while (i < n) {
		const t = words[i].text;
		const base = baseName(t);
		if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(t) || NO_ARG_WRAPPERS.has(t)) {
			i++;
			continue;
		}
		if (base === 'env') {
			i++;
			while (i < n && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].text) || words[i].text.startsWith('-'))) {
				if (/^-[uCS]$/.test(words[i].text)) { i++; }
				i++;
			}
			continue;
		}
		if (base === 'sudo' || base === 'doas') {
			i = skipFlags(words, i + 1, /^-[ugCDhpRrtTU]$/);
			continue;
		}
		if (base === 'gosu' || base === 'su-exec' || base === 'setuidgid') {
			i += 2;
			continue;
		}
		if (base === 'chpst' || base === 'nice' || base === 'ionice' || base === 'stdbuf' || base === 'tini' || base === 'dumb-init' || base === 'catatonit') {
			i = skipFlags(words, i + 1, /^-[ugnUcp]$/);
			continue;
		}
		if (RUNNERS.has(base) && words[i + 1]?.text === 'run') {
			i += 2;
			continue;
		}
		break;
	}
	if (i >= n) { return []; }
	const program = words[i];
	if (isUwsgiProgram(program.text)) {
		return [{ program, args: words.slice(i + 1), form: ctx.form, itemPrefix: ctx.itemPrefix, cwd: ctx.cwd, runsIn: ctx.runsIn }];
	}
	if (SHELLS.test(baseName(program.text)) && ctx.depth < 4) {
		for (let j = i + 1; j < n - 1; j++) {
			const flag = words[j].text;
			if (!flag.startsWith('-')) { break; }
			if (/^-[a-z]*c[a-z]*$/.test(flag)) {
				return findInScript(words[j + 1], { form: 'shell', cwd: ctx.cwd, runsIn: ctx.runsIn, depth: ctx.depth + 1 });
			}
		}
	}
	return [];
}

/** A `sh -c` script (or any shell text inside one word). */
function findInScript(script: CommandWord, ctx: FindContext): CommandInvocation[] {
	return lexInside(script, SHELL).flatMap(cmd => findInCommand(cmd, ctx));
}

function findInCommands(commands: readonly CommandWord[][], ctx: FindContext): CommandInvocation[] {
	return commands.flatMap(cmd => findInCommand(cmd, ctx));
}

// ---------------------------------------------------------------------------------------------
// Lines

interface Line {
	readonly start: number;
	/** End of the content, before `\r\n` or `\n`. */
	readonly end: number;
	/** Start of the next line. */
	readonly next: number;
}

function splitLines(text: string): Line[] {
	const out: Line[] = [];
	let pos = 0;
	while (pos <= text.length) {
		const nl = text.indexOf('\n', pos);
		const stop = nl < 0 ? text.length : nl;
		const end = stop > pos && text[stop - 1] === '\r' ? stop - 1 : stop;
		out.push({ start: pos, end, next: nl < 0 ? text.length + 1 : nl + 1 });
		if (nl < 0) { break; }
		pos = nl + 1;
	}
	return out;
}

function indentOf(text: string, line: Line): number {
	let i = line.start;
	while (i < line.end && (text[i] === ' ' || text[i] === '\t')) { i++; }
	return i - line.start;
}

function isBlankLine(text: string, line: Line): boolean {
	return indentOf(text, line) === line.end - line.start;
}

/** Lines whose first non-blank character is one of `marks`: comments. */
function commentLines(text: string, lines: readonly Line[], marks: string): Span[] {
	const out: Span[] = [];
	for (const l of lines) {
		const s = l.start + indentOf(text, l);
		if (s < l.end && marks.includes(text[s])) { out.push({ offset: s, length: l.end - s }); }
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Shell scripts and Procfiles

function scanShell(text: string): CommandFile {
	const { commands, comments } = lexWords(text, 0, text.length, SHELL);
	return { host: 'shell', text, invocations: findInCommands(commands, { form: 'shell', depth: 0 }), comments };
}

function scanProcfile(text: string): CommandFile {
	const lines = splitLines(text);
	const invocations: CommandInvocation[] = [];
	for (const l of lines) {
		const m = /^[\w.-]+[ \t]*:/.exec(text.slice(l.start, l.end));
		if (!m) { continue; }
		const { commands } = lexWords(text, l.start + m[0].length, l.end, SHELL);
		invocations.push(...findInCommands(commands, { form: 'shell', depth: 0 }));
	}
	return { host: 'procfile', text, invocations, comments: commentLines(text, lines, '#') };
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles

/** A JSON array of strings from `start` (at `[`) to `end`, or undefined when the text is not one (then it is shell form). */
export function parseJsonArray(text: string, start: number, end: number, skip: (i: number) => number = i => i): CommandWord[] | undefined {
	let i = start + 1;
	const words: CommandWord[] = [];
	const ws = () => {
		for (;;) {
			const before = i;
			while (i < end && /\s/.test(text[i])) { i++; }
			i = skip(i);
			if (i === before) { return; }
		}
	};
	ws();
	if (text[i] === ']') {
		i++;
		ws();
		return i >= end ? words : undefined;
	}
	for (;;) {
		ws();
		const w = readDoubleQuoted(text, i, end, 'json');
		if (!w) { return undefined; }
		words.push(w.word);
		i = w.next;
		ws();
		if (text[i] === ',') {
			i++;
			continue;
		}
		if (text[i] === ']') {
			i++;
			ws();
			return i >= end ? words : undefined;
		}
		return undefined;
	}
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', e: '\x1b', v: '\v', ' ': ' ', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029' };

/** A `"..."` string in JSON or YAML rules; the word spans the quotes, its characters the inside. */
function readDoubleQuoted(text: string, i: number, end: number, dialect: 'json' | 'yaml'): { word: CommandWord; next: number } | undefined {
	if (text[i] !== '"') { return undefined; }
	const open = i;
	i++;
	let out = '';
	const starts: number[] = [];
	const ends: number[] = [];
	while (i < end && text[i] !== '"') {
		const c = text[i];
		if (c === '\n' && dialect === 'json') { return undefined; }
		if (c === '\\' && i + 1 < end) {
			const n = text[i + 1];
			const hex = n === 'u' ? 4 : n === 'x' && dialect === 'yaml' ? 2 : n === 'U' && dialect === 'yaml' ? 8 : 0;
			if (hex) {
				const digits = text.slice(i + 2, i + 2 + hex);
				if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) { return undefined; }
				out += String.fromCodePoint(parseInt(digits, 16));
				starts.push(i);
				ends.push(i + 2 + hex);
				i += 2 + hex;
				continue;
			}
			const simple = SIMPLE_ESCAPES[n];
			if (simple === undefined || (dialect === 'json' && !'"\\/bfnrt'.includes(n))) { return undefined; }
			out += simple;
			starts.push(i);
			ends.push(i + 2);
			i += 2;
			continue;
		}
		out += c;
		starts.push(i);
		ends.push(i + 1);
		i++;
	}
	if (text[i] !== '"') { return undefined; }
	return { word: makeWord(open, i + 1, out, starts, ends), next: i + 1 };
}

/** A `'...'` YAML string (`''` is one quote). */
function readSingleQuoted(text: string, i: number, end: number): { word: CommandWord; next: number } | undefined {
	const open = i;
	i++;
	let out = '';
	const starts: number[] = [];
	const ends: number[] = [];
	while (i < end) {
		if (text[i] === "'") {
			if (text[i + 1] === "'") {
				out += "'";
				starts.push(i);
				ends.push(i + 2);
				i += 2;
				continue;
			}
			return { word: makeWord(open, i + 1, out, starts, ends), next: i + 1 };
		}
		out += text[i];
		starts.push(i);
		ends.push(i + 1);
		i++;
	}
	return undefined;
}

function plainWord(text: string, s: number, e: number): CommandWord {
	const starts: number[] = [];
	const ends: number[] = [];
	for (let k = s; k < e; k++) {
		starts.push(k);
		ends.push(k + 1);
	}
	return makeWord(s, e, text.slice(s, e), starts, ends);
}

function scanDockerfile(text: string): CommandFile {
	const lines = splitLines(text);
	const invocations: CommandInvocation[] = [];
	const comments: Span[] = [];
	let workdir: string | undefined;
	let entrypoint: { inv: CommandInvocation; index: number } | undefined;
	let cmdWords: CommandWord[] | undefined;
	const endStage = () => {
		if (entrypoint && cmdWords) {
			const { inv, index } = entrypoint;
			invocations[index] = { ...inv, args: [...inv.args, ...cmdWords] };
		}
		entrypoint = undefined;
		cmdWords = undefined;
	};
	/** Skips comment lines inside a continued instruction (Docker drops them). */
	const skipCommentLines = (i: number): number => {
		for (;;) {
			const nl = text.lastIndexOf('\n', i - 1);
			const lineStart = nl + 1;
			if (!/^[ \t]*$/.test(text.slice(lineStart, i))) { return i; }
			let j = i;
			while (j < text.length && (text[j] === ' ' || text[j] === '\t')) { j++; }
			if (text[j] !== '#') { return i; }
			const e = text.indexOf('\n', j);
			i = e < 0 ? text.length : e + 1;
		}
	};
	let li = 0;
	while (li < lines.length) {
		const l = lines[li];
		const s = l.start + indentOf(text, l);
		if (s >= l.end) {
			li++;
			continue;
		}
		if (text[s] === '#') {
			comments.push({ offset: s, length: l.end - s });
			li++;
			continue;
		}
		// the instruction runs on while a line ends with the escape character
		let last = li;
		while (last < lines.length - 1) {
			const cur = lines[last];
			const content = text.slice(cur.start, cur.end).trimEnd();
			if (!content.endsWith('\\')) { break; }
			last++;
			while (last < lines.length - 1) {
				const nl = lines[last];
				const ns = nl.start + indentOf(text, nl);
				if (ns < nl.end && text[ns] === '#') {
					comments.push({ offset: ns, length: nl.end - ns });
					last++;
					continue;
				}
				if (ns >= nl.end) {
					last++;
					continue;
				}
				break;
			}
		}
		const end = lines[last].end;
		li = last + 1;
		const m = /^([A-Za-z]+)([ \t]+|\\?$)/.exec(text.slice(s, Math.min(end, s + 64)));
		if (!m) { continue; }
		const keyword = m[1].toUpperCase();
		const argsStart = s + m[0].length;
		if (keyword === 'FROM') {
			endStage();
			workdir = undefined;
			continue;
		}
		if (keyword === 'WORKDIR') {
			const dir = text.slice(argsStart, end).trim().replace(/^["']|["']$/g, '');
			if (dir) { workdir = dir.startsWith('/') || !workdir ? dir : `${workdir.replace(/\/$/, '')}/${dir}`; }
			continue;
		}
		if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') { continue; }
		let first = argsStart;
		while (first < end && /\s/.test(text[first])) { first++; }
		const exec = text[first] === '[' ? parseJsonArray(text, first, end, i => {
			// a continuation inside the array, then the comment lines Docker drops
			if (text[i] === '\\' && /^\\[ \t]*\r?\n/.test(text.slice(i, i + 4))) {
				const nl = text.indexOf('\n', i);
				return skipCommentLines(nl + 1);
			}
			return i;
		}) : undefined;
		const cwd = workdir?.startsWith('/') ? workdir : undefined;
		if (exec) {
			const found = findInCommand(exec, { form: 'json', cwd, runsIn: IMAGE, depth: 0 });
			if (keyword === 'ENTRYPOINT') {
				entrypoint = found.length === 1 && found[0].program === exec.find(w => isUwsgiProgram(w.text)) ? { inv: found[0], index: invocations.length } : undefined;
				cmdWords = undefined;
			}
			if (keyword === 'CMD') { cmdWords = found.length ? undefined : exec; }
			invocations.push(...found);
			continue;
		}
		if (keyword === 'ENTRYPOINT') { entrypoint = undefined; }
		if (keyword === 'CMD') { cmdWords = undefined; }
		const lexed = lexWords(text, argsStart, end, { shell: true, dockerfile: true });
		invocations.push(...findInCommands(lexed.commands, { form: 'shell', cwd, runsIn: IMAGE, depth: 0 }));
	}
	endStage();
	return { host: 'dockerfile', text, invocations, comments };
}

// ---------------------------------------------------------------------------------------------
// Compose files

/** The end of a plain YAML scalar on a line: before ` #comment`, trailing blanks trimmed. */
function plainEnd(text: string, s: number, e: number): number {
	let k = s;
	while (k < e) {
		if (text[k] === '#' && (k === s || text[k - 1] === ' ' || text[k - 1] === '\t')) { break; }
		k++;
	}
	while (k > s && (text[k - 1] === ' ' || text[k - 1] === '\t')) { k--; }
	return k;
}

/** One YAML scalar item (quoted or plain) starting at `s` on a line ending at `e`. */
export function yamlScalar(text: string, s: number, e: number, stops = ''): { word: CommandWord; next: number } | undefined {
	if (text[s] === '"') { return readDoubleQuoted(text, s, e, 'yaml'); }
	if (text[s] === "'") { return readSingleQuoted(text, s, e); }
	let k = s;
	while (k < e && !stops.includes(text[k]) && !(text[k] === '#' && (text[k - 1] === ' ' || text[k - 1] === '\t'))) { k++; }
	let stop = k;
	while (stop > s && (text[stop - 1] === ' ' || text[stop - 1] === '\t')) { stop--; }
	if (stop === s) { return undefined; }
	return { word: plainWord(text, s, stop), next: k };
}

function scanCompose(text: string): CommandFile {
	const lines = splitLines(text);
	const invocations: CommandInvocation[] = [];
	const services = composeServices(text);
	for (let li = 0; li < lines.length; li++) {
		const l = lines[li];
		const m = /^([ \t]*)(command|entrypoint)[ \t]*:(?=[ \t]|$)[ \t]*/.exec(text.slice(l.start, l.end));
		if (!m) { continue; }
		const indent = m[1].length;
		const vs = l.start + m[0].length;
		const cwd = composeWorkingDir(text, lines, li, indent);
		const service = serviceAt(services, l.start);
		const runsIn: RunPlace | undefined = service ? { kind: 'compose', service, services } : undefined;
		const c = text[vs];
		// lines that belong to the value: more indented than the key (a block list may sit at the key's level)
		const blockLines = (): Line[] => {
			const out: Line[] = [];
			let onlyItems = true;
			for (let k = li + 1; k < lines.length; k++) {
				const b = lines[k];
				if (isBlankLine(text, b)) { continue; }
				const ind = indentOf(text, b);
				const isItem = text[b.start + ind] === '-' && /[ \t]|$/.test(text[b.start + ind + 1] ?? '');
				if (ind > indent || (ind === indent && isItem && onlyItems)) {
					onlyItems &&= isItem;
					out.push(b);
					continue;
				}
				break;
			}
			return out;
		};
		if (vs >= l.end || c === '#') {
			const block = blockLines();
			if (!block.length) { continue; }
			const firstInd = indentOf(text, block[0]);
			if (text[block[0].start + firstInd] === '-') {
				const words: CommandWord[] = [];
				for (const b of block) {
					const ind = indentOf(text, b);
					const item = /^-[ \t]+/.exec(text.slice(b.start + ind, b.end));
					if (ind !== firstInd || !item) {
						if (text[b.start + ind] === '#') { continue; }
						break;
					}
					const w = yamlScalar(text, b.start + ind + item[0].length, b.end);
					if (w) { words.push(w.word); }
				}
				const prefix = text.slice(block[0].start, block[0].start + firstInd) + '- ';
				invocations.push(...findInCommand(words, { form: 'yaml-block', itemPrefix: prefix, cwd, runsIn, depth: 0 }));
			} else {
				const region = plainRegion(text, block);
				invocations.push(...findInCommands(region.flatMap(r => lexWords(text, r.start, r.end, PLAIN).commands).flat().length ? [region.flatMap(r => lexWords(text, r.start, r.end, PLAIN).commands.flat())] : [], { form: 'shell', cwd, runsIn, depth: 0 }));
			}
			continue;
		}
		if (c === '[') {
			const words = flowList(text, vs, lines, li);
			if (words) { invocations.push(...findInCommand(words, { form: 'json', cwd, runsIn, depth: 0 })); }
			continue;
		}
		if (c === '"' || c === "'") {
			const q = yamlScalar(text, vs, l.end);
			if (q) { invocations.push(...lexInside(q.word, PLAIN).flatMap(cmd => findInCommand(cmd, { form: 'shell', cwd, runsIn, depth: 0 }))); }
			continue;
		}
		if (c === '|' || c === '>') {
			const block = blockLines();
			const words = block.flatMap(b => lexWords(text, b.start, b.end, PLAIN).commands.flat());
			invocations.push(...findInCommand(words, { form: 'shell', cwd, runsIn, depth: 0 }));
			continue;
		}
		// a plain scalar, possibly continued on more indented lines
		const more = blockLines();
		const ranges = [{ start: vs, end: plainEnd(text, vs, l.end) }, ...plainRegion(text, more)];
		const words = ranges.flatMap(r => lexWords(text, r.start, r.end, PLAIN).commands.flat());
		invocations.push(...findInCommand(words, { form: 'shell', cwd, runsIn, depth: 0 }));
	}
	return { host: 'compose', text, invocations, comments: commentLines(text, lines, '#') };
}

/** The service whose block holds `offset` (services are in file order). */
function serviceAt(services: readonly ComposeService[], offset: number): ComposeService | undefined {
	let lo = 0;
	let hi = services.length - 1;
	let found: ComposeService | undefined;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (services[mid].offset <= offset) {
			found = services[mid];
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found && offset <= found.end ? found : undefined;
}

function plainRegion(text: string, block: readonly Line[]): { start: number; end: number }[] {
	return block.map(b => ({ start: b.start + indentOf(text, b), end: plainEnd(text, b.start + indentOf(text, b), b.end) }));
}

/** A YAML flow list `[a, "b", 'c']`, possibly over several lines. */
function flowList(text: string, open: number, lines: readonly Line[], li: number): CommandWord[] | undefined {
	const limit = lines[Math.min(lines.length - 1, li + 200)].end;
	const words: CommandWord[] = [];
	let i = open + 1;
	const ws = () => {
		for (;;) {
			while (i < limit && /\s/.test(text[i])) { i++; }
			if (text[i] === '#' && /\s/.test(text[i - 1])) {
				const e = text.indexOf('\n', i);
				i = e < 0 ? limit : e;
				continue;
			}
			return;
		}
	};
	for (;;) {
		ws();
		if (text[i] === ']') { return words; }
		const nl = text.indexOf('\n', i);
		const lineEnd = nl < 0 || nl > limit ? limit : nl;
		const item = yamlScalar(text, i, lineEnd, ',]');
		if (!item) { return undefined; }
		words.push(item.word);
		i = item.next;
		ws();
		if (text[i] === ',') {
			i++;
			continue;
		}
		if (text[i] === ']') { return words; }
		return undefined;
	}
}

/** `working_dir:` of the same service (a sibling key at the same indentation). */
function composeWorkingDir(text: string, lines: readonly Line[], li: number, indent: number): string | undefined {
	const look = (k: number): string | undefined => {
		const l = lines[k];
		const m = /^([ \t]*)working_dir[ \t]*:[ \t]*["']?([^"'#\s]+)/.exec(text.slice(l.start, l.end));
		return m && m[1].length === indent ? m[2] : undefined;
	};
	for (const step of [-1, 1]) {
		for (let k = li + step, seen = 0; k >= 0 && k < lines.length && seen < 500; k += step, seen++) {
			const l = lines[k];
			if (isBlankLine(text, l)) { continue; }
			if (indentOf(text, l) < indent) { break; }
			const found = look(k);
			if (found) { return found.startsWith('/') ? found : undefined; }
		}
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// systemd units and supervisor programs

const EXEC_KEYS = /^[ \t]*(ExecStart|ExecStartPre|ExecStartPost|ExecReload|ExecStop|ExecStopPost|ExecCondition)[ \t]*=[ \t]*/;

function scanSystemd(text: string): CommandFile {
	const lines = splitLines(text);
	const invocations: CommandInvocation[] = [];
	let cwd: string | undefined;
	for (const l of lines) {
		const m = /^[ \t]*WorkingDirectory[ \t]*=[ \t]*-?(\/\S*)/.exec(text.slice(l.start, l.end));
		if (m) { cwd = m[1]; }
	}
	for (let li = 0; li < lines.length; li++) {
		const l = lines[li];
		const m = EXEC_KEYS.exec(text.slice(l.start, l.end));
		if (!m) { continue; }
		let last = li;
		while (last < lines.length - 1 && text.slice(lines[last].start, lines[last].end).trimEnd().endsWith('\\')) { last++; }
		let s = l.start + m[0].length;
		const end = lines[last].end;
		li = last;
		let at = false;
		while (s < end && '-@:+!'.includes(text[s])) {
			if (text[s] === '@') { at = true; }
			s++;
		}
		const words = lexWords(text, s, end, { shell: false, continuation: 'space' }).commands.flat();
		if (at && words.length >= 2 && isUwsgiProgram(words[0].text)) {
			invocations.push({ program: words[0], args: words.slice(2), form: 'shell', cwd });
			continue;
		}
		invocations.push(...findInCommand(words, { form: 'shell', cwd, depth: 0 }));
	}
	return { host: 'systemd', text, invocations, comments: commentLines(text, lines, '#;') };
}

function scanSupervisor(text: string): CommandFile {
	const lines = splitLines(text);
	const invocations: CommandInvocation[] = [];
	let section = -1;
	const sectionCwd = new Map<number, string>();
	const commands: { li: number; section: number }[] = [];
	for (let li = 0; li < lines.length; li++) {
		const line = text.slice(lines[li].start, lines[li].end);
		if (/^\[/.test(line)) { section = li; }
		const d = /^directory[ \t]*[=:][ \t]*(\/[^\s;]*)/.exec(line);
		if (d) { sectionCwd.set(section, d[1]); }
		if (/^command[ \t]*[=:]/.test(line)) { commands.push({ li, section }); }
	}
	for (const { li, section: sec } of commands) {
		const l = lines[li];
		const m = /^command[ \t]*[=:][ \t]*/.exec(text.slice(l.start, l.end))!;
		const ranges = [{ start: l.start + m[0].length, end: inlineCommentCut(text, l.start + m[0].length, l.end) }];
		// continuation lines: indented, not blank
		for (let k = li + 1; k < lines.length && indentOf(text, lines[k]) > 0 && !isBlankLine(text, lines[k]); k++) {
			ranges.push({ start: lines[k].start, end: inlineCommentCut(text, lines[k].start, lines[k].end) });
		}
		const words = ranges.flatMap(r => lexWords(text, r.start, r.end, PLAIN).commands.flat());
		invocations.push(...findInCommand(words, { form: 'shell', cwd: sectionCwd.get(sec), depth: 0 }));
	}
	return { host: 'supervisor', text, invocations, comments: commentLines(text, lines, '#;') };
}

/** Supervisor's inline comments: ` ;` to the end of the line. */
function inlineCommentCut(text: string, s: number, e: number): number {
	for (let k = s; k < e; k++) {
		if (text[k] === ';' && k > s && (text[k - 1] === ' ' || text[k - 1] === '\t')) { return k; }
	}
	return e;
}

// ---------------------------------------------------------------------------------------------

const SCANNERS: Record<CommandHost, (text: string) => CommandFile> = {
	shell: scanShell,
	dockerfile: scanDockerfile,
	compose: scanCompose,
	systemd: scanSystemd,
	supervisor: scanSupervisor,
	procfile: scanProcfile,
};

/** Every uWSGI invocation of a host file. */
export function parseCommandFile(text: string, host: CommandHost): CommandFile {
	return SCANNERS[host](text);
}
