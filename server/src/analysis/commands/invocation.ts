/**
 * A uWSGI command line read the way uWSGI reads its argv (getopt_long over the option table):
 * `--key value`, `--key=value`, a boolean `--master`, a unique prefix of a long name (`--vacu`),
 * short options from the table's shortcut letters (`-s :80`, `-p4`, bundles such as `-Mp 4`;
 * where a letter has several owners, the one registered first), repeated flags, `--` ending the
 * options, and positional config files (`uwsgi app.ini`, loaded by their extension).
 *
 * The result is the same entry model the ini validators consume (an IniDocument with one
 * `[uwsgi]` section whose entries are the flags, with offsets into the host file), so every
 * uWSGI check and the socket graph apply to command lines unchanged. Values the host fills in at
 * run time (`$PORT`, `${VAR}`, `{{ }}`) carry a `shell` reference: unknown, never judged.
 */
import { allUwsgiOptions, getUwsgiOption, uwsgiOptionNames } from '../../data/uwsgiData';
import type { UwsgiOptionData } from '../../data/types';
import type { ArgumentForm, CommandFile, CommandHost, CommandInvocation, CommandWord } from '../../parser/commands/nodes';
import { wordSpan } from '../../parser/commands/nodes';
import type { IniBlankLine, IniDocument, IniEntryLine, IniSection, IniSectionLine, IniSyntaxProblem, IniValueRef } from '../../parser/ini/nodes';
import type { Span } from '../../utils/positions';
import { Memo } from '../../utils/memo';

export interface CommandConfig {
	readonly invocation: CommandInvocation;
	/** The invocation as the ini uWSGI would build from it: one `uwsgi` section, one entry per option. */
	readonly doc: IniDocument;
	/** The folder uWSGI starts in, when the host says. */
	readonly cwd?: string;
	/** The kind of host file the command line is written in. */
	readonly host?: CommandHost;
}

/** Where a new flag goes after an entry of a command line, and how it is written there. */
export interface FlagInsertion {
	readonly offset: number;
	readonly form: ArgumentForm;
	readonly itemPrefix?: string;
}

const configs = new Memo<IniDocument, CommandConfig>();
const insertions = new Memo<IniEntryLine, FlagInsertion>();

/** The command line a document was built from, or undefined for a real ini file. */
export function commandConfigOf(doc: IniDocument): CommandConfig | undefined {
	return configs.get(doc);
}

export function flagInsertionAfter(entry: IniEntryLine): FlagInsertion | undefined {
	return insertions.get(entry);
}

/**
 * What to delete to drop an entry from its command line, separators included: the blanks before
 * a shell word, the `, ` before a list item, the whole lines of block-list items. Undefined when
 * the entry shares a word with another (`-Mp 4` in a list item) and cannot go alone.
 */
export function flagRemoval(doc: IniDocument, entry: IniEntryLine): Span | undefined {
	const at = insertions.get(entry);
	if (!at) { return undefined; }
	const text = doc.text;
	const end = at.offset;
	if (at.form === 'shell') {
		let start = entry.offset;
		while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) { start--; }
		return { offset: start, length: end - start };
	}
	if (at.form === 'json') {
		let start = entry.offset;
		while (start > 0 && /\s/.test(text[start - 1])) { start--; }
		if (text[start - 1] !== ',' || text[entry.offset] !== '"') { return undefined; }
		return { offset: start - 1, length: end - start + 1 };
	}
	// yaml-block: from the start of the first item's line to the end of the last item's line
	const lineStart = text.lastIndexOf('\n', entry.offset - 1) + 1;
	if (!/^[ \t]*-[ \t]+$/.test(text.slice(lineStart, entry.offset).replace(/["']$/, ''))) { return undefined; }
	const nl = text.indexOf('\n', end);
	const lineEnd = nl < 0 ? text.length : nl + 1;
	return { offset: lineStart, length: lineEnd - lineStart };
}

/** New arguments written in the form of the command line. */
export function renderFlags(at: FlagInsertion, args: readonly string[], eol = '\n'): string {
	if (at.form === 'json') { return args.map(a => `, ${JSON.stringify(a)}`).join(''); }
	if (at.form === 'yaml-block') { return args.map(a => `${eol}${at.itemPrefix ?? '- '}${/^[\w./:@-]+$/.test(a) && !/^\d+$/.test(a) ? a : JSON.stringify(a)}`).join(''); }
	return args.map(a => ` ${/^[\w./:@=,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`}`).join('');
}

let shortcuts: Map<string, UwsgiOptionData> | undefined;

/** The option a short letter stands for: the first one in uWSGI's registration order. */
export function shortOption(letter: string): UwsgiOptionData | undefined {
	if (!shortcuts) {
		shortcuts = new Map();
		for (const o of allUwsgiOptions()) {
			if (o.shortcut && !shortcuts.has(o.shortcut) && o.since === '2.0') { shortcuts.set(o.shortcut, o); }
		}
	}
	return shortcuts.get(letter);
}

/** getopt_long's reading of a long name: exact, else a unique prefix (aliases of one option count once). */
export function resolveLongOption(name: string): { option?: UwsgiOptionData; ambiguous?: readonly string[] } {
	const exact = getUwsgiOption(name);
	if (exact) { return { option: exact }; }
	if (!name) { return {}; }
	const matches = uwsgiOptionNames().filter(n => n.startsWith(name));
	if (!matches.length) { return {}; }
	const options = matches.map(n => getUwsgiOption(n)!);
	const first = options[0];
	const same = options.every(o => o.handler === first.handler && o.argument === first.argument && o.plugin === first.plugin && (o.name === first.name || (first.aliases ?? []).includes(o.name)));
	return same ? { option: first } : { ambiguous: matches };
}

/** Config files uWSGI loads from a positional argument, by extension. */
function positionalLoader(text: string): string | undefined {
	const file = text.replace(/:[\w.-]+$/, '');
	if (/\.ini$/i.test(file)) { return 'ini'; }
	if (/\.ya?ml$/i.test(file)) { return 'yaml'; }
	if (/\.(json|js)$/i.test(file)) { return 'json'; }
	if (/\.xml$/i.test(file)) { return 'xml'; }
	return undefined;
}

const DYNAMIC = /[$`]|%\(|@\(|\{\{|\{%|%[a-zA-Z]/;

/** Physical lines of a host file as blank lines (line numbers for messages that cite one). */
export function hostLines(text: string): IniBlankLine[] {
	const out: IniBlankLine[] = [];
	let pos = 0;
	for (;;) {
		const nl = text.indexOf('\n', pos);
		if (nl < 0) {
			out.push({ kind: 'blank', offset: pos, length: text.length - pos, eolLength: 0 });
			return out;
		}
		out.push({ kind: 'blank', offset: pos, length: nl - pos, eolLength: 1 });
		pos = nl + 1;
	}
}

export function commandConfigs(file: CommandFile, lines: readonly IniBlankLine[] = hostLines(file.text)): CommandConfig[] {
	return file.invocations.map(inv => commandConfig(file.text, inv, lines, file.host));
}

interface Draft {
	key: { offset: number; length: number; text: string };
	value: { offset: number; length: number; text: string };
	equals: number;
	start: number;
	end: number;
	dynamic: boolean;
	/** The last word of the entry (where new flags go after it). */
	last: CommandWord;
}

export function commandConfig(text: string, inv: CommandInvocation, lines: readonly IniBlankLine[], host?: CommandHost): CommandConfig {
	const drafts: Draft[] = [];
	const problems: IniSyntaxProblem[] = [];
	const problem = (span: Span, message: string) => problems.push({ kind: 'command-line', offset: span.offset, length: span.length, message });
	const args = inv.args;
	let optionsEnded = false;
	for (let k = 0; k < args.length; k++) {
		const w = args[k];
		const t = w.text;
		if (optionsEnded || !t.startsWith('-') || t === '-') {
			const loader = w.dynamic ? undefined : positionalLoader(t);
			if (loader) {
				const v = wordSpan(w);
				drafts.push({ key: { offset: v.offset, length: 0, text: loader }, value: { ...v, text: t }, equals: -1, start: w.offset, end: w.offset + w.length, dynamic: false, last: w });
			}
			continue;
		}
		if (t === '--') {
			optionsEnded = true;
			continue;
		}
		if (t.startsWith('--')) {
			const eq = t.indexOf('=');
			const name = eq < 0 ? t.slice(2) : t.slice(2, eq);
			if (/[$`{}%]/.test(name)) { continue; }
			const keySpan = wordSpan(w, 2, eq < 0 ? t.length : eq);
			const { option, ambiguous } = resolveLongOption(name);
			if (ambiguous) {
				problem(keySpan, `uWSGI stops at startup: "--${name}" is ambiguous (${ambiguous.slice(0, 4).map(a => `--${a}`).join(', ')}${ambiguous.length > 4 ? ', …' : ''}). Write the whole name.`);
				continue;
			}
			const key = { ...keySpan, text: option ? (option.name === name || (option.aliases ?? []).includes(name) ? name : option.name) : name };
			const valueAfterEq = () => ({ ...wordSpan(w, eq + 1), text: t.slice(eq + 1) });
			if (!option) {
				const value = eq >= 0 ? valueAfterEq() : { offset: keySpan.offset + keySpan.length, length: 0, text: '' };
				drafts.push({ key, value, equals: eq >= 0 ? w.starts[eq] : -1, start: w.offset, end: w.offset + w.length, dynamic: eq >= 0 && DYNAMIC.test(value.text), last: w });
				continue;
			}
			if (option.argument === 'none' || option.argument === 'optional') {
				if (eq >= 0 && option.argument === 'none') {
					problem(wordSpan(w, eq, t.length), `uWSGI stops at startup: "--${key.text}" takes no value ("option '--${key.text}' doesn't allow an argument"). Write "--${key.text}" alone.`);
				}
				const withValue = eq >= 0 && option.argument === 'optional';
				const value = withValue ? valueAfterEq() : { offset: keySpan.offset + keySpan.length, length: 0, text: '' };
				// `--chmod-socket=` gives the handler an empty value; `--chmod-socket` none at all
				drafts.push({ key, value, equals: withValue ? w.starts[eq] : -1, start: w.offset, end: w.offset + w.length, dynamic: DYNAMIC.test(value.text), last: w });
				continue;
			}
			if (eq >= 0) {
				const value = valueAfterEq();
				drafts.push({ key, value, equals: w.starts[eq], start: w.offset, end: w.offset + w.length, dynamic: DYNAMIC.test(value.text), last: w });
				continue;
			}
			const next = args[k + 1];
			if (!next) {
				problem(keySpan, `uWSGI stops at startup: "--${key.text}" needs a value ("option requires an argument").`);
				drafts.push({ key, value: { offset: keySpan.offset + keySpan.length, length: 0, text: '' }, equals: -1, start: w.offset, end: w.offset + w.length, dynamic: true, last: w });
				continue;
			}
			k++;
			drafts.push({ key, value: { ...wordSpan(next), text: next.text }, equals: -1, start: w.offset, end: next.offset + next.length, dynamic: next.dynamic, last: next });
			continue;
		}
		// short options: one letter each, bundled; a letter that takes a value takes the rest of the word or the next word
		for (let p = 1; p < t.length; p++) {
			const letter = t[p];
			const keySpan = wordSpan(w, p, p + 1);
			const start = p === 1 ? w.offset : keySpan.offset;
			const option = shortOption(letter);
			if (!option) {
				if (!/[$`{]/.test(letter)) { problem(keySpan, `uWSGI stops at startup: it has no option "-${letter}" ("invalid option"). Long options take two dashes.`); }
				break;
			}
			const key = { ...keySpan, text: option.name };
			if (option.argument !== 'required') {
				drafts.push({ key, value: { offset: keySpan.offset + 1, length: 0, text: '' }, equals: -1, start, end: keySpan.offset + 1, dynamic: false, last: w });
				continue;
			}
			if (p + 1 < t.length) {
				const value = { ...wordSpan(w, p + 1), text: t.slice(p + 1) };
				drafts.push({ key, value, equals: -1, start, end: w.offset + w.length, dynamic: w.dynamic, last: w });
			} else if (args[k + 1]) {
				const next = args[++k];
				drafts.push({ key, value: { ...wordSpan(next), text: next.text }, equals: -1, start, end: next.offset + next.length, dynamic: next.dynamic, last: next });
			} else {
				problem(keySpan, `uWSGI stops at startup: "-${letter}" (${option.name}) needs a value ("option requires an argument").`);
			}
			break;
		}
	}
	drafts.sort((a, b) => a.start - b.start);
	const entries: IniEntryLine[] = drafts.map((d, index) => {
		const refs: IniValueRef[] = d.dynamic ? [{ kind: 'shell', offset: d.value.offset, length: d.value.length, name: d.value.text, nameOffset: d.value.offset }] : [];
		const entry: IniEntryLine = {
			kind: 'entry', offset: d.start, length: Math.max(d.end, d.value.offset + d.value.length) - d.start, eolLength: 0,
			key: d.key, equals: d.equals, value: d.value, refs, section: 0, index,
		};
		insertions.set(entry, { offset: d.last.offset + d.last.length, form: inv.form, itemPrefix: inv.itemPrefix });
		return entry;
	});
	const header: IniSectionLine = {
		kind: 'section', offset: inv.program.offset, length: 0, eolLength: 0, name: 'uwsgi',
		nameSpan: { offset: inv.program.offset, length: 0 }, closed: true, index: 0,
	};
	const lastEnd = entries.length ? entries[entries.length - 1].offset + entries[entries.length - 1].length : inv.program.offset + inv.program.length;
	const section: IniSection = { name: 'uwsgi', header, end: lastEnd, entries };
	const doc: IniDocument = { text, lines, sections: [section], entries, orphanEntries: [], blocks: [], problems };
	const config: CommandConfig = { invocation: inv, doc, ...(inv.cwd ? { cwd: inv.cwd } : {}), ...(host ? { host } : {}) };
	configs.set(doc, config);
	return config;
}
