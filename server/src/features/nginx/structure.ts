/** Document symbols and folding ranges for nginx configs. */
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';

const BLOCK_KINDS: Record<string, SymbolKind> = {
	http: SymbolKind.Namespace, events: SymbolKind.Namespace, stream: SymbolKind.Namespace, mail: SymbolKind.Namespace,
	server: SymbolKind.Module, location: SymbolKind.Function, upstream: SymbolKind.Class, map: SymbolKind.Enum,
	if: SymbolKind.Event, types: SymbolKind.Enum, geo: SymbolKind.Enum,
};

/** Directives worth showing in the outline besides blocks. */
const SUMMARY = new Set(['listen', 'server_name', 'uwsgi_pass', 'proxy_pass', 'fastcgi_pass', 'scgi_pass', 'grpc_pass', 'server', 'root', 'alias', 'include', 'return', 'rewrite']);

/** How deep the outline nests; deeper blocks are listed flat at this level. */
const MAX_SYMBOL_DEPTH = 64;

export function nginxSymbols(document: TextDocument, file: NginxFile): DocumentSymbol[] {
	const range = (o: number, l: number) => ({ start: document.positionAt(o), end: document.positionAt(o + l) });
	const childrenOf: DocumentSymbol[][] = file.blocks.map(() => []);
	const symbolOf = (d: NginxDirective): DocumentSymbol => {
		const args = d.args.map(a => a.raw).join(' ');
		// a server is known by its names and listens
		const inner = d.name.value === 'server' && d.block ? d.block.children.filter((c): c is NginxDirective => c.kind === 'directive') : [];
		const names = inner.filter(c => c.name.value === 'server_name').flatMap(c => c.args.map(a => a.value));
		const listens = inner.filter(c => c.name.value === 'listen').map(c => c.args[0]?.value).filter(Boolean);
		// an outline item may not have an empty name (VS Code rejects the whole outline)
		const name = (d.block ? `${d.name.value}${args ? ' ' + args : ''}${names.length ? ' ' + names.join(' ') : ''}` : d.name.value) || d.name.raw || '(unnamed)';
		return {
			name,
			detail: d.block ? (listens.length ? `listen ${listens.join(', ')}` : undefined) : args,
			kind: d.block ? (BLOCK_KINDS[d.name.value] ?? SymbolKind.Object) : SymbolKind.Property,
			range: range(d.offset, d.length),
			selectionRange: range(d.name.offset, d.name.length),
		};
	};
	// blocks come after their owners in document order, so walk directives backwards to attach children first
	const symbols = new Map<NginxDirective, DocumentSymbol>();
	for (const d of file.directives) {
		if (!d.block && !SUMMARY.has(d.name.value)) { continue; }
		const s = symbolOf(d);
		symbols.set(d, s);
		childrenOf[d.parent].push(s);
	}
	// clients serialise the outline recursively: past MAX_SYMBOL_DEPTH, deeper symbols join the last level
	const depth: number[] = new Array(file.blocks.length).fill(0);
	const attachTo: number[] = file.blocks.map((_, i) => i);
	for (let i = 1; i < file.blocks.length; i++) {
		const owner = file.blocks[i].owner!;
		depth[i] = depth[owner.parent] + 1;
		attachTo[i] = depth[i] > MAX_SYMBOL_DEPTH ? attachTo[owner.parent] : i;
	}
	for (const [d, s] of symbols) {
		if (!d.block) { continue; }
		if (attachTo[d.block.index] === d.block.index) {
			s.children = childrenOf[d.block.index];
		} else {
			childrenOf[attachTo[d.block.index]].push(...childrenOf[d.block.index]);
		}
	}
	return childrenOf[0];
}

export function nginxFolding(document: TextDocument, file: NginxFile): FoldingRange[] {
	const out: FoldingRange[] = [];
	const line = (o: number) => document.positionAt(o).line;
	for (let i = 1; i < file.blocks.length; i++) {
		const b = file.blocks[i];
		const startLine = line(b.open);
		const endLine = line(b.close >= 0 ? b.close : file.text.length) - (b.close >= 0 ? 1 : 0);
		if (endLine > startLine) { out.push({ startLine, endLine }); }
	}
	let runStart = -1;
	let runEnd = -1;
	for (const c of file.comments) {
		const ln = line(c.offset);
		if (runStart >= 0 && ln === runEnd + 1) { runEnd = ln; continue; }
		if (runStart >= 0 && runEnd > runStart) { out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment }); }
		runStart = runEnd = ln;
	}
	if (runStart >= 0 && runEnd > runStart) { out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment }); }
	return out;
}
