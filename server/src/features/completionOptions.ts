/**
 * How completion lists are shaped for the client that asks: what it fetches later through
 * `completionItem/resolve`, and which values it takes once per list (`CompletionList.itemDefaults`).
 * Lists of hundreds of directives or options are most of a completion's cost on the wire.
 */
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';

export interface CompletionOptions {
	/**
	 * The client resolves `documentation` lazily (`completionItem.resolveSupport`): items carry
	 * `data` instead, and `resolveCompletion` fills the documentation in for the one item shown.
	 */
	readonly lazyDocumentation?: boolean;
	/** The `CompletionList.itemDefaults` the client honours (`completionList.itemDefaults`). */
	readonly itemDefaults?: readonly string[];
}

/** What an item carries for `resolveCompletion` to find its documentation; the label names the directive or option. */
export type CompletionData =
	| { readonly doc: 'nginx'; readonly context: string }
	| { readonly doc: 'uwsgi' };

/** The data of every uWSGI option item (one object, so a list can carry it once as a default). */
export const UWSGI_COMPLETION_DATA: CompletionData = { doc: 'uwsgi' };

export function isCompletionData(value: unknown): value is CompletionData {
	if (typeof value !== 'object' || value === null) { return false; }
	const v = value as { doc?: unknown; context?: unknown };
	return v.doc === 'uwsgi' || (v.doc === 'nginx' && typeof v.context === 'string');
}

/**
 * Moves what every item of the list shares into `itemDefaults`, for the defaults the client
 * honours: the edit range (each item keeps its text as `textEditText`, left out when it is the
 * label), the insert text format and the data. The list means the same to the client.
 */
export function withItemDefaults(list: CompletionList, supported: readonly string[] | undefined): CompletionList {
	const items = list.items;
	if (!supported?.length || items.length < 2) { return list; }
	const first = items[0];
	const range = supported.includes('editRange') && first.textEdit && 'range' in first.textEdit ? first.textEdit.range : undefined;
	let sameRange = range !== undefined;
	let sameFormat = supported.includes('insertTextFormat') && first.insertTextFormat !== undefined;
	let sameData = supported.includes('data') && first.data !== undefined;
	for (let i = 1; i < items.length && (sameRange || sameFormat || sameData); i++) {
		const item = items[i];
		if (sameRange) {
			const r = item.textEdit && 'range' in item.textEdit ? item.textEdit.range : undefined;
			sameRange = r !== undefined && (r === range || (r.start.line === range!.start.line && r.start.character === range!.start.character
				&& r.end.line === range!.end.line && r.end.character === range!.end.character));
		}
		if (sameFormat) { sameFormat = item.insertTextFormat === first.insertTextFormat; }
		if (sameData) { sameData = item.data === first.data; }
	}
	if (!sameRange && !sameFormat && !sameData) { return list; }
	const itemDefaults: NonNullable<CompletionList['itemDefaults']> = {};
	if (sameRange) { itemDefaults.editRange = range; }
	if (sameFormat) { itemDefaults.insertTextFormat = first.insertTextFormat; }
	if (sameData) { itemDefaults.data = first.data; }
	return {
		isIncomplete: list.isIncomplete,
		itemDefaults: { ...list.itemDefaults, ...itemDefaults },
		items: items.map(item => {
			const { textEdit, insertTextFormat, data, ...rest }: CompletionItem = item;
			const out: CompletionItem = rest;
			if (!sameFormat && insertTextFormat !== undefined) { out.insertTextFormat = insertTextFormat; }
			if (!sameData && data !== undefined) { out.data = data; }
			if (sameRange) {
				if (textEdit!.newText !== item.label) { out.textEditText = textEdit!.newText; }
			} else if (textEdit) { out.textEdit = textEdit; }
			return out;
		}),
	};
}
