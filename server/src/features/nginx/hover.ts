/**
 * Hover in nginx configs: the official directive documentation from @nginx/reference-lib
 * (description, syntax, default, contexts) with a link to nginx.org; our data's facts for
 * directives the reference does not cover; variables.
 */
import type { Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { getNginxDirectives } from '../../data/nginxData';
import { nginxReferenceLoaded, referenceDirective, referenceVariable } from '../../data/nginxReference';
import type { NginxDirectiveData } from '../../data/types';
import type { NginxFile } from '../../parser/nginx/nodes';
import { blockContexts, definitionIn } from '../../analysis/nginx/contexts';
import { directiveAt } from './locate';
import { upstreamHover, type NginxWorkspace } from './navigation';

export function nginxHover(document: TextDocument, file: NginxFile, offset: number, ws?: NginxWorkspace): Hover | null {
	const at = directiveAt(file, offset);
	if (!at) { return null; }
	const upstream = ws ? upstreamHover(ws, file, offset) : undefined;
	if (upstream) {
		return { contents: { kind: 'markdown', value: upstream }, range: { start: document.positionAt(at.token.offset), end: document.positionAt(at.token.offset + at.token.length) } };
	}
	const range = { start: document.positionAt(at.token.offset), end: document.positionAt(at.token.offset + at.token.length) };
	if (at.index === -1) {
		const name = at.directive.name.value;
		const context = blockContexts(file)[at.directive.parent];
		const def = definitionIn(name, context) ?? getNginxDirectives(name)[0];
		if (!def) { return null; }
		return { contents: { kind: 'markdown', value: directiveMarkdown(def) }, range };
	}
	const m = /\$\{?(\w+)/g;
	const raw = at.token.raw;
	let match: RegExpExecArray | null;
	while ((match = m.exec(raw))) {
		const start = at.token.offset + match.index;
		if (offset >= start && offset <= start + match[0].length) {
			const v = referenceVariable('$' + match[1]) ?? referenceVariable('$' + match[1].replace(/_[^_]*$/, '_'));
			if (!v) { return null; }
			return {
				contents: { kind: 'markdown', value: `**$${match[1]}** — nginx variable (${v.module})\n\n${v.description}` },
				range: { start: document.positionAt(start), end: document.positionAt(start + match[0].length) },
			};
		}
	}
	return null;
}

/** Markdown per directive, built once the reference has loaded (completion shows hundreds per request). */
const markdownCache = new WeakMap<NginxDirectiveData, string>();

export function directiveMarkdown(def: NginxDirectiveData): string {
	let text = markdownCache.get(def);
	if (text === undefined) {
		text = buildDirectiveMarkdown(def);
		if (nginxReferenceLoaded()) { markdownCache.set(def, text); }
	}
	return text;
}

function buildDirectiveMarkdown(def: NginxDirectiveData): string {
	const ref = def.origin === 'third-party' ? undefined : referenceDirective(def.name, def.module);
	const lines: string[] = [];
	lines.push(`**${def.name}** — ${def.module}${def.origin === 'third-party' ? ' (third-party module)' : ''}`);
	lines.push('');
	if (ref) {
		for (const s of ref.syntax) { lines.push(`Syntax: \`${def.name}\` ${s.replace(/\n/g, ' ')}`); }
		if (ref.default) { lines.push(`Default: \`${ref.default}\``); }
		// the reference leaves some contexts blank (include: any); our table, from the source, has them
		const contexts = ref.contexts.filter(c => c.trim() !== '');
		lines.push(`Context: ${(contexts.length ? contexts : def.contexts).join(', ')}`);
		lines.push('');
		lines.push(ref.description);
	} else {
		lines.push(`Context: ${def.contexts.join(', ')}`);
		if (def.values?.length) { lines.push(`Values: ${def.values.map(v => `\`${v}\``).join(' | ')}`); }
	}
	if (def.deprecated) {
		lines.push('', `**Deprecated**${def.deprecated.replacement ? `: use \`${def.deprecated.replacement}\`` : ''}.`);
	}
	if (def.docUrl) { lines.push('', `[nginx documentation](${def.docUrl})`); }
	return lines.join('\n');
}
