/**
 * Completion in uWSGI ini: option names (snippet `name = `), `true`/`false` for switches,
 * placeholder names after `%(`, plugin names after `plugin(s) =`.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { allUwsgiOptions, getUwsgiOption } from '../../data/uwsgiData';
import { UWSGI_FIXED_VALUES } from '../../data/uwsgiValues';
import type { IniDocument } from '../../parser/ini/nodes';
import { optionDescription } from './optionDocs';
import { UWSGI_COMPLETION_DATA, type CompletionOptions } from '../completionOptions';

const BOOLEAN_TYPES = new Set(['boolean', 'boolean_inverted']);

export function uwsgiCompletion(document: TextDocument, doc: IniDocument, offset: number, options: CompletionOptions = {}): CompletionList {
	const text = doc.text;
	// the editor also breaks lines at a lone "\r": never reach back past one
	let lineStart = offset > 0 ? Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1 : 0;
	const before = text.slice(lineStart, offset);
	const range = (start: number) => ({ start: document.positionAt(start), end: document.positionAt(offset) });
	const trimmed = before.trimStart();
	if (/^[#;[]/.test(trimmed)) { return { isIncomplete: false, items: [] }; }
	const eq = before.indexOf('=');
	if (eq < 0) {
		lineStart += before.length - trimmed.length;
		return { isIncomplete: false, items: optionItems(range(lineStart), options) };
	}
	const key = before.slice(0, eq).trim();
	const valueSoFar = before.slice(eq + 1);
	const ph = /%\(([\w.-]*)$/.exec(valueSoFar);
	if (ph) {
		const names = new Set(doc.entries.map(e => e.key.text));
		return {
			isIncomplete: false,
			items: [...names].map(name => ({ label: name, kind: CompletionItemKind.Variable, textEdit: { range: range(offset - ph[1].length), newText: name } })),
		};
	}
	const option = getUwsgiOption(key);
	if (!option) { return { isIncomplete: false, items: [] }; }
	const word = /[^\s,]*$/.exec(valueSoFar)![0];
	if (BOOLEAN_TYPES.has(option.type)) {
		return { isIncomplete: false, items: ['true', 'false'].map(v => ({ label: v, kind: CompletionItemKind.Value, textEdit: { range: range(offset - word.length), newText: v } })) };
	}
	const fixed = UWSGI_FIXED_VALUES[option.name];
	if (fixed) {
		return { isIncomplete: false, items: fixed.map(v => ({ label: v, kind: CompletionItemKind.EnumMember, textEdit: { range: range(offset - word.length), newText: v } })) };
	}
	if (option.type === 'plugin_list') {
		const plugins = [...new Set(allUwsgiOptions().map(o => o.plugin))].filter(p => p !== 'core').sort();
		return { isIncomplete: false, items: plugins.map(p => ({ label: p, kind: CompletionItemKind.Module, textEdit: { range: range(offset - word.length), newText: p } })) };
	}
	return { isIncomplete: false, items: [] };
}

let cachedItems: { label: string; detail: string; doc: string; snippet: string; sort: string }[] | undefined;

function optionEntries(): NonNullable<typeof cachedItems> {
	if (!cachedItems) {
		const seen = new Set<string>();
		cachedItems = [];
		for (const o of allUwsgiOptions()) {
			if (seen.has(o.name)) { continue; }
			seen.add(o.name);
			const best = getUwsgiOption(o.name)!;
			const value = best.argument === 'none' ? 'true' : '$1';
			cachedItems.push({
				label: o.name,
				detail: `${best.plugin === 'core' ? 'core' : best.plugin} · ${best.type.replace(/_/g, ' ')}${best.since === '2.1-dev' ? ' · 2.1-dev only' : ''}`,
				doc: optionMarkdown(o.name)!,
				snippet: `${o.name} = ${value}`,
				// core options first, 2.1-dev ones last
				sort: `${best.since === '2.1-dev' ? 2 : best.plugin === 'core' ? 0 : 1}${o.name}`,
			});
		}
	}
	return cachedItems;
}

function optionItems(range: Range, options: CompletionOptions): CompletionItem[] {
	return optionEntries().map(c => ({
		label: c.label,
		kind: CompletionItemKind.Property,
		detail: c.detail,
		...(options.lazyDocumentation ? { data: UWSGI_COMPLETION_DATA } : { documentation: { kind: MarkupKind.Markdown, value: c.doc } }),
		insertTextFormat: InsertTextFormat.Snippet,
		textEdit: { range, newText: c.snippet },
		sortText: c.sort,
	}));
}

/** The documentation of a uWSGI option's completion item (in an ini or after `--` on a command line). */
export function optionMarkdown(name: string): string | undefined {
	const best = getUwsgiOption(name);
	return best && `${optionDescription(best)}\n\n[Documentation](${best.docUrl})`;
}
