/**
 * Navigation in nginx configs across the workspace: go to definition (upstream name → its
 * block, include → the files, `@name` → the named location), references and rename of
 * upstreams, document links on includes, and the upstream a `*_pass` names.
 */
import type { DocumentLink, Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NginxIncludeGraph } from '../../analysis/nginx/includes';
import { PASS_DIRECTIVES } from '../../analysis/nginx/upstreams';
import type { NginxDirective, NginxFile, NginxToken } from '../../parser/nginx/nodes';
import { directiveAt } from './locate';

export interface NginxWorkspace {
	files(): Iterable<{ readonly uri: string; readonly file: NginxFile }>;
	document(uri: string): TextDocument | undefined;
	graph(): NginxIncludeGraph;
}

interface NameRef {
	readonly uri: string;
	readonly directive: NginxDirective;
	/** Offset and length of the name inside the document. */
	readonly offset: number;
	readonly length: number;
}

/** The upstream name a pass target refers to (`app` in `uwsgi_pass app`, `http://app/x`), with its place in the token. */
export function upstreamRef(directive: string, token: NginxToken): { name: string; offset: number } | undefined {
	if (!PASS_DIRECTIVES.has(directive) || token.value.includes('$') || token.quote) { return undefined; }
	const raw = token.raw;
	const scheme = /^[a-z]+:\/\//.exec(raw)?.[0].length ?? 0;
	const rest = raw.slice(scheme);
	if (rest.startsWith('unix:')) { return undefined; }
	const m = /^[^/:\s]+/.exec(rest);
	if (!m) { return undefined; }
	return { name: m[0], offset: token.offset + scheme };
}

function upstreamBlocks(ws: NginxWorkspace, name: string): NameRef[] {
	const out: NameRef[] = [];
	for (const { uri, file } of ws.files()) {
		for (const d of file.directives) {
			if (d.name.value === 'upstream' && d.block && d.args[0]?.value === name) {
				out.push({ uri, directive: d, offset: d.args[0].offset, length: d.args[0].length });
			}
		}
	}
	return out;
}

function upstreamUses(ws: NginxWorkspace, name: string): NameRef[] {
	const out: NameRef[] = [];
	for (const { uri, file } of ws.files()) {
		for (const d of file.directives) {
			if (d.args.length !== 1) { continue; }
			const ref = upstreamRef(d.name.value, d.args[0]);
			if (ref?.name === name) { out.push({ uri, directive: d, offset: ref.offset, length: name.length }); }
		}
	}
	return out;
}

function location(ws: NginxWorkspace, ref: { uri: string; offset: number; length: number }): Location | undefined {
	const doc = ws.document(ref.uri);
	if (!doc) { return undefined; }
	return { uri: ref.uri, range: { start: doc.positionAt(ref.offset), end: doc.positionAt(ref.offset + ref.length) } };
}

/** What is under the cursor: an upstream name (at a pass or at its block), an include, or an `@name`. */
function symbolAt(file: NginxFile, offset: number): { kind: 'upstream'; name: string } | { kind: 'include'; directive: NginxDirective } | { kind: 'named-location'; name: string } | undefined {
	const at = directiveAt(file, offset);
	if (!at || at.index < 0) { return undefined; }
	const d = at.directive;
	if (d.name.value === 'upstream' && at.index === 0) { return { kind: 'upstream', name: at.token.value }; }
	if (d.name.value === 'include') { return { kind: 'include', directive: d }; }
	const ref = upstreamRef(d.name.value, at.token);
	if (ref && offset >= ref.offset && offset <= ref.offset + ref.name.length) { return { kind: 'upstream', name: ref.name }; }
	const named = /^@[\w-]+$/.exec(at.token.value);
	if (named && d.name.value !== 'location') { return { kind: 'named-location', name: named[0] }; }
	return undefined;
}

export function nginxDefinition(ws: NginxWorkspace, uri: string, file: NginxFile, offset: number): Location[] {
	const sym = symbolAt(file, offset);
	if (!sym) { return []; }
	if (sym.kind === 'upstream') {
		return upstreamBlocks(ws, sym.name).map(r => location(ws, { uri: r.uri, offset: r.directive.offset, length: r.directive.length })).filter((l): l is Location => !!l);
	}
	if (sym.kind === 'include') {
		const edge = ws.graph().edgesFrom(uri).find(e => e.directive === sym.directive);
		return (edge?.targets ?? []).map(t => ({ uri: t, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }));
	}
	const out: Location[] = [];
	for (const d of file.directives) {
		if (d.name.value === 'location' && d.args[0]?.value === sym.name) {
			const l = location(ws, { uri, offset: d.offset, length: d.length });
			if (l) { out.push(l); }
		}
	}
	return out;
}

export function nginxReferences(ws: NginxWorkspace, file: NginxFile, offset: number, includeDeclaration: boolean): Location[] {
	const sym = symbolAt(file, offset);
	if (sym?.kind !== 'upstream') { return []; }
	const refs = [...(includeDeclaration ? upstreamBlocks(ws, sym.name) : []), ...upstreamUses(ws, sym.name)];
	return refs.map(r => location(ws, r)).filter((l): l is Location => !!l);
}

/** The range of the upstream name under the cursor, if it can be renamed. */
export function nginxPrepareRename(document: TextDocument, file: NginxFile, offset: number): Range | undefined {
	const sym = symbolAt(file, offset);
	if (sym?.kind !== 'upstream') { return undefined; }
	const at = directiveAt(file, offset)!;
	const ref = at.directive.name.value === 'upstream' ? { offset: at.token.offset } : upstreamRef(at.directive.name.value, at.token)!;
	return { start: document.positionAt(ref.offset), end: document.positionAt(ref.offset + sym.name.length) };
}

export function nginxRename(ws: NginxWorkspace, file: NginxFile, offset: number, newName: string): WorkspaceEdit | undefined {
	const sym = symbolAt(file, offset);
	if (sym?.kind !== 'upstream' || !/^[\w.-]+$/.test(newName)) { return undefined; }
	const changes: Record<string, TextEdit[]> = {};
	for (const r of [...upstreamBlocks(ws, sym.name), ...upstreamUses(ws, sym.name)]) {
		const l = location(ws, r);
		if (l) { (changes[r.uri] ??= []).push({ range: l.range, newText: newName }); }
	}
	return { changes };
}

export function nginxDocumentLinks(ws: NginxWorkspace, document: TextDocument): DocumentLink[] {
	const out: DocumentLink[] = [];
	for (const edge of ws.graph().edgesFrom(document.uri)) {
		if (edge.glob || edge.targets.length !== 1) { continue; }
		const arg = edge.directive.args[0];
		const q = arg.quote ? 1 : 0;
		out.push({ range: { start: document.positionAt(arg.offset + q), end: document.positionAt(arg.offset + arg.length - q) }, target: edge.targets[0], tooltip: 'Open the included file' });
	}
	return out;
}

/** Hover text for the upstream a pass names: its servers. */
export function upstreamHover(ws: NginxWorkspace, file: NginxFile, offset: number): string | undefined {
	const sym = symbolAt(file, offset);
	if (sym?.kind !== 'upstream') { return undefined; }
	const blocks = upstreamBlocks(ws, sym.name);
	if (!blocks.length) { return `**upstream ${sym.name}** — not defined in this workspace.`; }
	const lines = [`**upstream ${sym.name}**`, '', '```nginx'];
	for (const b of blocks) {
		for (const c of b.directive.block!.children) {
			if (c.kind === 'directive') { lines.push(`${c.name.value} ${c.args.map(a => a.raw).join(' ')};`); }
		}
	}
	lines.push('```');
	return lines.join('\n');
}

/** Upstream names defined in the workspace (for completion after `*_pass`). */
export function upstreamNamesIn(ws: NginxWorkspace): string[] {
	const names = new Set<string>();
	for (const { file } of ws.files()) {
		for (const d of file.directives) {
			if (d.name.value === 'upstream' && d.block && d.args[0]) { names.add(d.args[0].value); }
		}
	}
	return [...names].sort();
}

