/**
 * Code actions across the seam, each one WorkspaceEdit over both files that changes nothing else:
 * - "Use the socket uWSGI serves" (quick fix of socket-not-served and protocol-mismatch);
 * - "Switch to the uwsgi protocol": uWSGI `http-socket` → `socket`, nginx `proxy_pass http://…`
 *   → `uwsgi_pass …` plus `include uwsgi_params;` (the first seed's scheme 1 → scheme 2);
 * - "Convert to unix socket": a TCP socket becomes `<dir>/<name>.sock` on both sides, with
 *   `vacuum` and the socket permissions nginx's user needs.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Codes } from '../../analysis/codes';
import { ASSUMED_NGINX_USER } from '../../analysis/seam/permission';
import type { NginxTarget, SocketGraph, TargetServer, UwsgiSocket } from '../../analysis/seam/socketGraph';
import type { SocketCandidate } from '../../analysis/seam/wiring';
import { uwsgiSections } from '../../analysis/uwsgi/sections';
import { commandConfigOf, flagInsertionAfter, renderFlags } from '../../analysis/commands/invocation';
import { uriToPath } from '../../utils/uri';

export interface SeamWorkspace {
	graph(): SocketGraph;
	document(uri: string): TextDocument | undefined;
}

export interface SeamSettings {
	readonly unixSocketDirectory: string;
}

type Edits = Record<string, TextEdit[]>;

/** Adds an edit unless the same range is already edited (a server shared by two passes, two servers of one pass). */
function add(edits: Edits, uri: string, edit: TextEdit): void {
	const list = (edits[uri] ??= []);
	const same = (a: TextEdit) => a.range.start.line === edit.range.start.line && a.range.start.character === edit.range.start.character
		&& a.range.end.line === edit.range.end.line && a.range.end.character === edit.range.end.character;
	if (!list.some(same)) { list.push(edit); }
}

function replaceSpan(doc: TextDocument, offset: number, length: number, newText: string): TextEdit {
	return { range: { start: doc.positionAt(offset), end: doc.positionAt(offset + length) }, newText };
}

/** A pass argument rewritten to another address, keeping an http:// scheme and URI. */
export function rewriteTarget(original: string, address: string): string {
	// a scheme of proxy_pass, grpc_pass, …; not the `unix:` of a socket path written `unix://path`
	const scheme = /^(https?|grpcs?):\/\//i.exec(original)?.[0];
	if (!scheme) { return address; }
	const rest = original.slice(scheme.length);
	let uri = '';
	if (rest.startsWith('unix:')) {
		const colon = rest.indexOf(':', 5);
		uri = colon >= 0 ? rest.slice(colon + 1) : '';
	} else {
		const slash = rest.indexOf('/');
		uri = slash >= 0 ? rest.slice(slash) : '';
	}
	return address.startsWith('unix:') ? `${scheme}${address}:${uri}` : `${scheme}${address}${uri}`;
}

function useServedSocket(document: TextDocument, diagnostic: Diagnostic): CodeAction[] {
	const data = diagnostic.data as { candidates?: SocketCandidate[] } | undefined;
	if (!data || !Array.isArray(data.candidates)) { return []; }
	const original = document.getText(diagnostic.range);
	return data.candidates.filter(c => typeof c?.address === 'string').map((c, i) => ({
		title: `Use the socket uWSGI serves: ${c.address}`,
		kind: CodeActionKind.QuickFix,
		diagnostics: [diagnostic],
		isPreferred: i === 0,
		edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText: rewriteTarget(original, c.address) }] } },
	}));
}

/** The socket and target under the cursor (on either side). */
function seamAt(graph: SocketGraph, uri: string, offset: number): { socket: UwsgiSocket; targets: { target: NginxTarget; server: TargetServer }[] } | undefined {
	for (const s of graph.socketsIn(uri)) {
		if (offset >= s.entry.offset && offset <= s.entry.offset + s.entry.length) {
			return { socket: s, targets: graph.targetsOf(s) };
		}
	}
	for (const t of graph.targets) {
		const d = t.directive;
		const inPass = t.uri === uri && offset >= d.offset && offset <= d.offset + d.length;
		for (const server of t.servers) {
			const inServer = server.uri === uri && server.serverDirective && offset >= server.serverDirective.offset && offset <= server.serverDirective.offset + server.serverDirective.length;
			if (!inPass && !inServer) { continue; }
			const socket = graph.socketsAt(server.address)[0];
			if (socket) { return { socket, targets: graph.targetsOf(socket) }; }
		}
	}
	return undefined;
}

function lineIndent(doc: TextDocument, offset: number): string {
	const text = doc.getText();
	const start = text.lastIndexOf('\n', offset - 1) + 1;
	return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function eolOf(doc: TextDocument): string {
	return doc.getText().includes('\r\n') ? '\r\n' : '\n';
}

/** `http-socket` → `socket`, and every proxy_pass to it → `include uwsgi_params; uwsgi_pass …`. */
function switchToUwsgi(ws: SeamWorkspace, socket: UwsgiSocket, targets: { target: NginxTarget; server: TargetServer }[]): CodeAction | undefined {
	if (socket.option.name !== 'http-socket') { return undefined; }
	const passes = targets.filter(t => t.target.protocol === 'http' && t.target.directive.name.value === 'proxy_pass');
	if (!passes.length || passes.length !== targets.length) { return undefined; }
	const edits: Edits = {};
	const ini = ws.document(socket.uri);
	if (!ini) { return undefined; }
	add(edits, socket.uri, replaceSpan(ini, socket.entry.key.offset, socket.entry.key.length, 'socket'));
	for (const { target } of passes) {
		const doc = ws.document(target.uri);
		if (!doc) { return undefined; }
		const d = target.directive;
		const arg = d.args[0];
		const after = arg.raw.replace(/^https?:\/\//, '');
		// uwsgi_pass takes no URI: only a bare address (or an upstream name) can be switched
		const address = after.startsWith('unix:') ? after.replace(/:(\/.*)?$/, '').replace(/:$/, '') : after.replace(/\/$/, '');
		if (address.includes('/') && !address.startsWith('unix:')) { return undefined; }
		const indent = lineIndent(doc, d.offset);
		const eol = eolOf(doc);
		add(edits, target.uri, replaceSpan(doc, d.offset, arg.offset + arg.length - d.offset, `include uwsgi_params;${eol}${indent}uwsgi_pass ${address}`));
	}
	return { title: 'Switch to the uwsgi protocol (socket + uwsgi_pass)', kind: CodeActionKind.RefactorRewrite, edit: { changes: edits } };
}

function socketName(socket: UwsgiSocket): string {
	const path = uriToPath(socket.uri) ?? 'app.ini';
	// a command line in a Dockerfile, compose file, unit, ...: the project folder names the socket
	if (commandConfigOf(socket.doc)) { return (path.split('/').slice(-2, -1)[0] ?? 'app').replace(/[^\w.-]/g, '') || 'app'; }
	const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.ini$/, '');
	const parent = path.split('/').slice(-2, -1)[0] ?? 'app';
	const name = /^uwsgi$|^app$/i.test(base) ? parent : base.replace(/[_-]?uwsgi[_-]?/i, '') || parent;
	return name.replace(/[^\w.-]/g, '') || 'app';
}

/** TCP socket → unix socket on both sides, with vacuum and the permissions nginx needs. */
function convertToUnix(ws: SeamWorkspace, graph: SocketGraph, socket: UwsgiSocket, targets: { target: NginxTarget; server: TargetServer }[], settings: SeamSettings): CodeAction | undefined {
	if (socket.address.kind !== 'tcp' || socket.option.plugin === 'http') { return undefined; }
	const ini = ws.document(socket.uri);
	if (!ini) { return undefined; }
	const dir = settings.unixSocketDirectory.replace(/\/+$/, '') || '/run/uwsgi';
	const path = `${dir}/${socketName(socket)}.sock`;
	const edits: Edits = {};
	add(edits, socket.uri, replaceSpan(ini, socket.entry.value.offset, socket.entry.value.length, path));
	const keys = new Set(uwsgiSections(socket.doc).flatMap(s => s.entries.map(e => e.key.text)));
	const extra: string[] = [];
	if (!keys.has('vacuum')) { extra.push('vacuum = true'); }
	const user = graph.nginxUser?.name ?? ASSUMED_NGINX_USER;
	const group = graph.nginxUser?.group ?? user;
	if (!keys.has('chmod-socket') && !keys.has('chmod')) { extra.push('chmod-socket = 660'); }
	if (!keys.has('chown-socket')) {
		const uid = uwsgiSections(socket.doc).flatMap(s => s.entries).find(e => e.key.text === 'uid')?.value.text;
		extra.push(`chown-socket = ${uid ?? user}:${group}`);
	}
	const insertion = flagInsertionAfter(socket.entry);
	if (extra.length && insertion) {
		// a command line: the same settings as flags right after the socket's value
		const flags = extra.flatMap(l => {
			const [key, value] = l.split(' = ');
			return key === 'vacuum' ? ['--vacuum'] : [`--${key}`, value];
		});
		add(edits, socket.uri, replaceSpan(ini, insertion.offset, 0, renderFlags(insertion, flags, eolOf(ini))));
	} else if (extra.length) {
		const eol = eolOf(ini);
		const lineEnd = socket.entry.offset + socket.entry.length;
		const indent = lineIndent(ini, socket.entry.key.offset);
		add(edits, socket.uri, replaceSpan(ini, lineEnd, 0, extra.map(l => `${eol}${indent}${l}`).join('')));
	}
	for (const { target, server } of targets) {
		const doc = ws.document(server.uri);
		if (!doc) { continue; }
		const token = server.token;
		const newText = target.protocol === 'http' && !server.serverDirective ? rewriteTarget(token.raw, `unix:${path}`) : `unix:${path}`;
		add(edits, server.uri, replaceSpan(doc, token.offset, token.length, newText));
	}
	return { title: `Convert to unix socket ${path}`, kind: CodeActionKind.RefactorRewrite, edit: { changes: edits } };
}

export function seamCodeActions(ws: SeamWorkspace, document: TextDocument, offset: number, diagnostics: readonly Diagnostic[], settings: SeamSettings): CodeAction[] {
	const out: CodeAction[] = [];
	for (const d of diagnostics) {
		if (d.code === Codes.socketNotServed.id || d.code === Codes.protocolMismatch.id) { out.push(...useServedSocket(document, d)); }
	}
	const graph = ws.graph();
	const at = seamAt(graph, document.uri, offset);
	if (at) {
		const sw = switchToUwsgi(ws, at.socket, at.targets);
		if (sw) { out.push(sw); }
		const conv = convertToUnix(ws, graph, at.socket, at.targets, settings);
		if (conv) { out.push(conv); }
	}
	return out;
}

