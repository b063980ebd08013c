/**
 * Completion in nginx configs: directives allowed in the enclosing context (with snippets for
 * the common blocks), enum values of the directive being written, variables after `$`.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type MarkupContent, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { getNginxDirectives, nginxDirectiveNames } from '../../data/nginxData';
import type { NginxDirectiveData } from '../../data/types';
import { nginxReferenceLoaded, referenceVariableNames } from '../../data/nginxReference';
import type { NginxFile } from '../../parser/nginx/nodes';
import { allowsContext, blockContexts, DATA_CONTEXT, definitionIn, UNKNOWN_CONTEXT } from '../../analysis/nginx/contexts';
import { directiveMarkdown } from './hover';
import { blockAt } from './locate';
import { upstreamNamesIn, type NginxWorkspace } from './navigation';
import { socketCompletions, type SeamView } from '../seam/navigation';
import { PASS_DIRECTIVES } from '../../analysis/nginx/upstreams';
import type { CompletionData, CompletionOptions } from '../completionOptions';

const SNIPPETS: Record<string, string> = {
	server: 'server {\n\tlisten ${1:80};\n\tserver_name ${2:example.com};\n\n\tlocation / {\n\t\t$0\n\t}\n}',
	location: 'location ${1:/} {\n\t$0\n}',
	upstream: 'upstream ${1:app} {\n\tserver ${2:unix:/run/uwsgi/app.sock};\n}',
};

export function nginxCompletion(document: TextDocument, file: NginxFile, offset: number, ws?: NginxWorkspace, seam?: SeamView, options: CompletionOptions = {}): CompletionList {
	const text = file.text;
	const range = (start: number): Range => ({ start: document.positionAt(start), end: document.positionAt(offset) });
	const before = text.slice(Math.max(0, offset - 128), offset);
	const word = /[\w$]*$/.exec(before)![0];
	const context = blockContexts(file)[blockAt(file, offset).index];
	if (context === DATA_CONTEXT) { return { isIncomplete: false, items: [] }; }
	const dollar = /\$\{?(\w*)$/.exec(before);
	if (dollar) {
		const start = offset - dollar[1].length;
		const items: CompletionItem[] = [];
		for (const v of referenceVariableNames()) {
			if (v.endsWith('_')) { continue; }
			items.push({ label: v, kind: CompletionItemKind.Variable, textEdit: { range: range(start), newText: v.slice(1) }, filterText: v.slice(1) });
		}
		return { isIncomplete: false, items };
	}
	const statement = statementBefore(text, offset - word.length);
	if (statement.length) {
		const name = statement[0];
		const targetWord = /[^\s;{}]*$/.exec(text.slice(Math.max(0, offset - 256), offset))![0];
		const targetRange = range(offset - targetWord.length);
		const isUpstreamServer = name === 'server' && context === 'http.upstream';
		if ((PASS_DIRECTIVES.has(name) || isUpstreamServer) && statement.length === 1) {
			const items: CompletionItem[] = [];
			for (const s of seam ? socketCompletions(seam, name) : []) {
				items.push({ label: s.label, kind: CompletionItemKind.Value, detail: s.detail, textEdit: { range: targetRange, newText: s.label }, sortText: `0${s.label}` });
			}
			if (ws && !isUpstreamServer) {
				for (const u of upstreamNamesIn(ws)) { items.push({ label: u, kind: CompletionItemKind.Reference, detail: 'upstream', textEdit: { range: targetRange, newText: u }, sortText: `1${u}` }); }
			}
			return { isIncomplete: false, items };
		}
		const def = definitionIn(name, context) ?? getNginxDirectives(name)[0];
		const values = def?.args.flag ? ['on', 'off'] : def?.values ?? [];
		return { isIncomplete: false, items: values.map(v => ({ label: v, kind: CompletionItemKind.EnumMember, textEdit: { range: range(offset - word.length), newText: v } })) };
	}
	const nameRange = range(offset - word.length);
	const lazy = !!options.lazyDocumentation;
	if (takesDefaults(options, lazy)) {
		// the items are the same for every request in this context: only the list's range differs
		return {
			isIncomplete: false,
			itemDefaults: { editRange: nameRange, insertTextFormat: InsertTextFormat.Snippet, ...(lazy ? { data: dataFor(context) } : {}) },
			items: compactItems(context, lazy),
		};
	}
	const data = dataFor(context);
	return {
		isIncomplete: false,
		items: directiveEntries(context).map(e => ({
			label: e.name,
			kind: e.kind,
			detail: e.detail,
			...(lazy ? { data } : { documentation: { kind: MarkupKind.Markdown, value: directiveMarkdown(e.def) } }),
			insertTextFormat: InsertTextFormat.Snippet,
			textEdit: { range: nameRange, newText: e.newText },
		})),
	};
}

/** What a directive's item needs, per context: the data tables are static, so it is worked out once. */
interface DirectiveEntry {
	readonly name: string;
	readonly def: NginxDirectiveData;
	readonly kind: CompletionItemKind;
	readonly detail: string;
	readonly newText: string;
}

const entriesByContext = new Map<string, readonly DirectiveEntry[]>();

function directiveEntries(context: string): readonly DirectiveEntry[] {
	let entries = entriesByContext.get(context);
	if (!entries) {
		const list: DirectiveEntry[] = [];
		for (const name of nginxDirectiveNames()) {
			const def = directiveFor(name, context);
			if (!def) { continue; }
			const needsArgs = def.args.min > 0 || def.args.any;
			list.push({
				name, def,
				kind: def.args.block ? CompletionItemKind.Module : CompletionItemKind.Property,
				detail: def.module,
				newText: SNIPPETS[name] ?? (def.args.block ? `${name} $1{\n\t$0\n}` : needsArgs ? `${name} $1;` : `${name};`),
			});
		}
		entries = list;
		entriesByContext.set(context, entries);
	}
	return entries;
}

/** Whether the client takes the edit range, the format and (with lazy documentation) the data from `itemDefaults`. */
function takesDefaults(options: CompletionOptions, lazy: boolean): boolean {
	const d = options.itemDefaults;
	return !!d && d.includes('editRange') && d.includes('insertTextFormat') && (!lazy || d.includes('data'));
}

const dataByContext = new Map<string, CompletionData>();

function dataFor(context: string): CompletionData {
	let data = dataByContext.get(context);
	if (!data) { data = { doc: 'nginx', context }; dataByContext.set(context, data); }
	return data;
}

/** Directive items that take their range, format and data from the list, made once per context (and documentation mode). */
const compactByContext = [new Map<string, readonly CompletionItem[]>(), new Map<string, readonly CompletionItem[]>()];

function compactItems(context: string, lazy: boolean): CompletionItem[] {
	const cache = compactByContext[lazy ? 1 : 0];
	let items = cache.get(context);
	if (!items) {
		// shared by every answer: frozen, so that no consumer can change another's
		items = Object.freeze(directiveEntries(context).map(e => Object.freeze<CompletionItem>({
			label: e.name, kind: e.kind, detail: e.detail,
			...(lazy ? {} : { documentation: { kind: MarkupKind.Markdown, value: directiveMarkdown(e.def) } }),
			textEditText: e.newText,
		})));
		// the documentation is complete only once the reference has loaded
		if (lazy || nginxReferenceLoaded()) { cache.set(context, items); }
	}
	return items as CompletionItem[];
}

/** The definition a directive's completion item shows in a context (the first one when the context is unknown). */
function directiveFor(name: string, context: string): NginxDirectiveData | undefined {
	const defs = getNginxDirectives(name);
	return context === UNKNOWN_CONTEXT ? defs[0] : defs.find(d => allowsContext(d, context));
}

/** The documentation of an item from `nginxCompletion` with `lazyDocumentation`, by its label and data. */
export function nginxCompletionDocumentation(label: string, context: string): MarkupContent | undefined {
	const def = directiveFor(label, context);
	return def && { kind: MarkupKind.Markdown, value: directiveMarkdown(def) };
}

/** The words of the statement being written before `at` (back to the last `;`, `{` or `}`), comments skipped. */
function statementBefore(text: string, at: number): string[] {
	let start = at;
	while (start > 0) {
		const c = text[start - 1];
		if (c === ';' || c === '{' || c === '}') { break; }
		start--;
	}
	const words: string[] = [];
	for (const line of text.slice(start, at).split('\n')) {
		const hash = line.search(/(^|\s)#/);
		const code = hash >= 0 ? line.slice(0, hash) : line;
		words.push(...code.split(/\s+/).filter(Boolean));
	}
	return words;
}
