/**
 * The LSP adapter: wires a connection (stdio, IPC or socket, chosen from argv by
 * vscode-languageserver) to the language service. One handler per LSP method; no language logic.
 */
import {
	CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures, TextDocumentSyncKind,
	TextDocuments, createConnection, type InitializeResult, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../service/languageService';
import { DiagnosticsPublisher } from './diagnostics';
import { SettingsCache } from './settings';
import { registerStats } from './stats';
import { WATCH_PATTERNS, WorkspaceFiles } from './workspaceFiles';

export const SERVER_NAME = 'uwsgi-nginx-language-server';
export const SERVER_VERSION = '0.1.0';

export function startServer(): void {
	const connection = createConnection(ProposedFeatures.all);
	const documents = new TextDocuments(TextDocument);
	const log = (m: string) => connection.console.log(m);
	const service = getLanguageService({
		onInternalError: (where, error) => connection.console.error(`internal error in ${where}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
	});
	const settings = new SettingsCache(connection);
	const publisher = new DiagnosticsPublisher(connection, documents, service, settings, log);
	const files = new WorkspaceFiles(service, documents, log);
	let folders: WorkspaceFolder[] = [];
	let dynamicWatch = false;
	let dynamicConfig = false;

	connection.onInitialize((params): InitializeResult => {
		const caps = params.capabilities;
		settings.pull = !!caps.workspace?.configuration;
		dynamicWatch = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
		dynamicConfig = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
		folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
				hoverProvider: true,
				completionProvider: { triggerCharacters: ['$', '(', '=', ' ', '-'], resolveProvider: false },
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
				documentSymbolProvider: true,
				foldingRangeProvider: true,
				definitionProvider: true,
				referencesProvider: true,
				renameProvider: { prepareProvider: true },
				documentLinkProvider: { resolveProvider: false },
				documentFormattingProvider: true,
				documentRangeFormattingProvider: true,
				documentOnTypeFormattingProvider: { firstTriggerCharacter: ';', moreTriggerCharacter: ['}'] },
				codeLensProvider: { resolveProvider: false },
				workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
			},
			serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
		};
	});

	connection.onInitialized(() => {
		if (dynamicConfig) { void connection.client.register(DidChangeConfigurationNotification.type, { section: 'uwsgiNginx' }); }
		if (dynamicWatch) {
			void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCH_PATTERNS.map(globPattern => ({ globPattern })) });
		}
		if (files.scan(folders)) { publisher.all(); }
	});

	connection.onDidChangeConfiguration(change => {
		settings.changed(change.settings);
		publisher.all();
	});

	connection.onDidChangeWatchedFiles(params => {
		if (files.changed(params)) { publisher.scheduleOthers(); }
	});

	documents.onDidOpen(e => publisher.documentChanged(e.document.uri));
	documents.onDidChangeContent(e => publisher.documentChanged(e.document.uri));
	documents.onDidClose(e => {
		publisher.clear(e.document.uri);
		settings.forget(e.document.uri);
		// the file on disk (if any) replaces the closed editor text in the model
		if (!files.reload(e.document.uri)) { service.workspace.delete(e.document.uri); }
		publisher.scheduleOthers();
	});

	connection.onHover(async p => {
		await service.ready;
		const d = documents.get(p.textDocument.uri);
		return d ? service.doHover(d, p.position) : null;
	});
	connection.onCompletion(async p => {
		await service.ready;
		const d = documents.get(p.textDocument.uri);
		if (!d) { return null; }
		// `-` triggers only option names on uWSGI command lines (`uwsgi --`), nowhere else
		if (p.context?.triggerCharacter === '-' && service.languageOf(d) !== 'command') { return null; }
		return service.doComplete(d, p.position);
	});
	connection.onCodeAction(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doCodeActions(d, p.range, p.context.diagnostics, await settings.get(d.uri)) : [];
	});
	connection.onDocumentSymbol(p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findDocumentSymbols(d) : [];
	});
	connection.onFoldingRanges(p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.getFoldingRanges(d) : [];
	});

	connection.onDefinition(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findDefinition(d, p.position, await settings.get(d.uri)) : [];
	});
	connection.onReferences(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findReferences(d, p.position, p.context.includeDeclaration, await settings.get(d.uri)) : [];
	});
	connection.onPrepareRename(p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.prepareRename(d, p.position) : null;
	});
	connection.onRenameRequest(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doRename(d, p.position, p.newName, await settings.get(d.uri)) : null;
	});
	connection.onDocumentLinks(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findDocumentLinks(d, await settings.get(d.uri)) : [];
	});

	connection.onDocumentFormatting(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doFormat(d, p.options, await settings.get(d.uri)) : [];
	});
	connection.onDocumentRangeFormatting(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doRangeFormat(d, p.range, p.options, await settings.get(d.uri)) : [];
	});
	connection.onDocumentOnTypeFormatting(async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doOnTypeFormat(d, p.position, p.ch, p.options, await settings.get(d.uri)) : [];
	});

	connection.onCodeLens(p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findCodeLenses(d) : [];
	});
	registerStats(connection);

	documents.listen(connection);
	connection.listen();
}
