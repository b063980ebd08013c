/**
 * Hover and completion on uWSGI command lines in host files: the ini features applied to the
 * invocation's entries (a flag's hover is its option's), and option names after `--`.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionList, type Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CommandConfig } from '../../analysis/commands/invocation';
import { allUwsgiOptions, getUwsgiOption } from '../../data/uwsgiData';
import { uwsgiHover } from '../uwsgi/hover';
import { optionMarkdown } from '../uwsgi/completion';
import { UWSGI_COMPLETION_DATA, type CompletionOptions } from '../completionOptions';

/** The invocation whose words the offset is in (or just after). */
export function configAt(configs: readonly CommandConfig[], offset: number): CommandConfig | undefined {
	return configs.find(c => {
		const inv = c.invocation;
		const words = [inv.program, ...inv.args];
		return words.some(w => offset >= w.offset && offset <= w.offset + w.length);
	});
}

export function commandHover(document: TextDocument, configs: readonly CommandConfig[], offset: number): Hover | null {
	const c = configAt(configs, offset);
	return c ? uwsgiHover(document, c.doc, offset) : null;
}

let items: { label: string; detail: string; doc: string; sort: string; takesValue: boolean }[] | undefined;

function optionList(): NonNullable<typeof items> {
	if (!items) {
		const seen = new Set<string>();
		items = [];
		for (const o of allUwsgiOptions()) {
			if (seen.has(o.name)) { continue; }
			seen.add(o.name);
			const best = getUwsgiOption(o.name)!;
			items.push({
				label: o.name,
				detail: `${best.plugin} · ${best.argument === 'none' ? 'flag' : best.type.replace(/_/g, ' ')}${best.since === '2.1-dev' ? ' · 2.1-dev only' : ''}`,
				doc: optionMarkdown(o.name)!,
				sort: `${best.since === '2.1-dev' ? 2 : best.plugin === 'core' ? 0 : 1}${o.name}`,
				takesValue: best.argument === 'required',
			});
		}
	}
	return items;
}

/** Option names for a word that starts with `--` (the name part, up to `=`, is replaced). */
export function commandCompletion(document: TextDocument, configs: readonly CommandConfig[], offset: number, options: CompletionOptions = {}): CompletionList {
	const empty: CompletionList = { isIncomplete: false, items: [] };
	const c = configAt(configs, offset);
	if (!c) { return empty; }
	const word = c.invocation.args.find(w => offset >= w.offset && offset <= w.offset + w.length);
	if (!word || !word.text.startsWith('--')) { return empty; }
	// the character index of the cursor inside the word's text
	let index = word.starts.findIndex(s => s >= offset);
	if (index < 0) { index = word.text.length; }
	const eq = word.text.indexOf('=');
	if (index < 2 || (eq >= 0 && index > eq)) { return empty; }
	const nameEnd = eq < 0 ? word.text.length : eq;
	const start = word.starts[2] ?? word.ends[1];
	const end = nameEnd > 2 ? word.ends[nameEnd - 1] : start;
	const range = { start: document.positionAt(start), end: document.positionAt(Math.max(end, offset)) };
	return {
		isIncomplete: false,
		items: optionList().map((o): CompletionItem => ({
			label: `--${o.label}`,
			filterText: o.label,
			kind: CompletionItemKind.Property,
			detail: o.detail,
			...(options.lazyDocumentation ? { data: UWSGI_COMPLETION_DATA } : { documentation: { kind: MarkupKind.Markdown, value: o.doc } }),
			textEdit: { range, newText: o.label },
			sortText: o.sort,
		})),
	};
}
