/**
 * The LSP adapter: wires a connection (stdio, IPC or socket, chosen from argv by
 * vscode-languageserver) to the language service. One handler per LSP method; no language logic.
 */
import {
	CancellationToken, CodeActionKind, LSPErrorCodes, ResponseError, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures, TextDocumentSyncKind,
	TextDocuments, createConnection, type InitializeResult, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, InjectedFault, type CompletionOptions } from '../service';
import { DiagnosticsPublisher } from './diagnostics';
import { SettingsCache } from './settings';
import { registerStats } from './stats';
import { registerVerify } from './verify';
import { WATCH_PATTERNS, WorkspaceFiles } from './workspaceFiles';

export const SERVER_NAME = 'uwsgi-nginx-language-server';
export const SERVER_VERSION = '0.1.0';

/**
 * For tests of crash containment only: a comma-separated list of validators, features or LSP
 * handlers (`lsp textDocument/hover`, …) that throw on every call. Unset in normal use.
 */
export const FAULTS_ENV = 'UWSGI_NGINX_FAULTS';

/**
 * V8 flags the server process runs with (set by the entry point before anything is allocated).
 * No allocation-site pretenuring: indexing keeps every parsed tree, so V8 would learn to allocate
 * trees and their facts straight into the old generation, and every keystroke's short-lived tree
 * would then pile up there until a full collection — the RSS would climb with each edit.
 */
export const SERVER_V8_FLAGS = '--no-allocation-site-pretenuring';

export function startServer(): void {
	const connection = createConnection(ProposedFeatures.all);
	const documents = new TextDocuments(TextDocument);
	const log = (m: string) => connection.console.log(m);
	const internalError = (where: string, error: unknown) => {
		try {
			connection.console.error(`internal error in ${where}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		} catch {
			// the connection is gone; nothing left to tell
		}
	};
	const faults = (process.env[FAULTS_ENV] ?? '').split(',').map(f => f.trim()).filter(Boolean);
	if (faults.length) { log(`${FAULTS_ENV} is set: ${faults.join(', ')} will throw (for tests of crash containment)`); }
	const service = getLanguageService({ onInternalError: internalError, faults });
	// the last line of defence: whatever escapes a handler is logged, and the server keeps serving
	process.on('uncaughtException', error => internalError('the server (uncaught exception)', error));
	process.on('unhandledRejection', error => internalError('the server (unhandled rejection)', error));

	/**
	 * Every handler runs guarded: an exception is logged as an internal error and the handler gives
	 * `fallback`. A request cancelled before it runs (or while it waits for settings) is answered
	 * with RequestCancelled, without computing it.
	 */
	const guarded = <P, R>(method: string, fallback: R, handler: (params: P) => R | Promise<R>) => async (params: P, token?: CancellationToken): Promise<R | ResponseError> => {
		try {
			if (token?.isCancellationRequested) { return cancelled(method); }
			if (faults.includes(`lsp ${method}`)) { throw new InjectedFault(`lsp ${method}`); }
			const result = await handler(params);
			return token?.isCancellationRequested ? cancelled(method) : result;
		} catch (error) {
			internalError(`lsp ${method}`, error);
			return fallback;
		}
	};
	const cancelled = (method: string) => new ResponseError(LSPErrorCodes.RequestCancelled, `${method} cancelled`);
	/** The same for notifications and events (no result). */
	const guardedEvent = <P>(method: string, handler: (params: P) => void | Promise<void>) => async (params: P): Promise<void> => {
		await guarded<P, void>(method, undefined, handler)(params);
	};

	const settings = new SettingsCache(connection);
	const publisher = new DiagnosticsPublisher(connection, documents, service, settings, log, internalError, faults.includes('lsp publish'));
	const files = new WorkspaceFiles(service, documents, log);
	let folders: WorkspaceFolder[] = [];
	let dynamicWatch = false;
	let dynamicConfig = false;
	/** The completion list shaped for this client: documentation on resolve, shared values once per list. */
	let completionOptions: CompletionOptions = {};

	connection.onInitialize((params): InitializeResult => {
		const caps = params.capabilities ?? {};
		settings.pull = !!caps.workspace?.configuration;
		dynamicWatch = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
		dynamicConfig = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
		folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
		const completion = caps.textDocument?.completion;
		const resolvable = completion?.completionItem?.resolveSupport?.properties;
		completionOptions = {
			lazyDocumentation: Array.isArray(resolvable) && resolvable.includes('documentation'),
			itemDefaults: Array.isArray(completion?.completionList?.itemDefaults) ? completion.completionList.itemDefaults : undefined,
		};
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
				hoverProvider: true,
				completionProvider: { triggerCharacters: ['$', '(', '=', ' ', '-'], resolveProvider: true },
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

	connection.onInitialized(guardedEvent('initialized', () => {
		if (dynamicConfig) { void connection.client.register(DidChangeConfigurationNotification.type, { section: 'uwsgiNginx' }); }
		if (dynamicWatch) {
			void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCH_PATTERNS.map(globPattern => ({ globPattern })) });
		}
		if (files.scan(folders)) { publisher.all(); }
	}));

	connection.onDidChangeConfiguration(guardedEvent('workspace/didChangeConfiguration', change => {
		settings.changed(change.settings);
		publisher.all();
	}));

	connection.onDidChangeWatchedFiles(guardedEvent('workspace/didChangeWatchedFiles', params => {
		if (files.changed(params)) { publisher.scheduleOthers(); }
	}));

	documents.onDidOpen(guardedEvent('textDocument/didOpen', e => publisher.documentChanged(e.document.uri)));
	documents.onDidChangeContent(guardedEvent('textDocument/didChange', e => publisher.documentChanged(e.document.uri)));
	documents.onDidClose(guardedEvent('textDocument/didClose', e => {
		publisher.clear(e.document.uri);
		settings.forget(e.document.uri);
		// the file on disk (if any) replaces the closed editor text in the model
		if (!files.reload(e.document.uri)) { service.workspace.delete(e.document.uri); }
		publisher.scheduleOthers();
	}));

	connection.onHover(guarded('textDocument/hover', null, async p => {
		await service.ready;
		const d = documents.get(p.textDocument.uri);
		return d ? service.doHover(d, p.position) : null;
	}));
	connection.onCompletion(guarded('textDocument/completion', null, async p => {
		await service.ready;
		const d = documents.get(p.textDocument.uri);
		if (!d) { return null; }
		// `-` triggers only option names on uWSGI command lines (`uwsgi --`), nowhere else
		if (p.context?.triggerCharacter === '-' && service.languageOf(d) !== 'command') { return null; }
		return service.doComplete(d, p.position, completionOptions);
	}));
	// on a failure the item goes back as it came
	connection.onCompletionResolve((item, token) => guarded('completionItem/resolve', item, (i: typeof item) => service.resolveCompletion(i))(item, token));
	connection.onCodeAction(guarded('textDocument/codeAction', [], async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doCodeActions(d, p.range, p.context.diagnostics, await settings.get(d.uri)) : [];
	}));
	connection.onDocumentSymbol(guarded('textDocument/documentSymbol', [], p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findDocumentSymbols(d) : [];
	}));
	connection.onFoldingRanges(guarded('textDocument/foldingRange', [], p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.getFoldingRanges(d) : [];
	}));

	connection.onDefinition(guarded('textDocument/definition', [], async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findDefinition(d, p.position, await settings.get(d.uri)) : [];
	}));
	connection.onReferences(guarded('textDocument/references', [], async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findReferences(d, p.position, p.context.includeDeclaration, await settings.get(d.uri)) : [];
	}));
	connection.onPrepareRename(guarded('textDocument/prepareRename', null, p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.prepareRename(d, p.position) : null;
	}));
	connection.onRenameRequest(guarded('textDocument/rename', null, async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doRename(d, p.position, p.newName, await settings.get(d.uri)) : null;
	}));
	connection.onDocumentLinks(guarded('textDocument/documentLink', [], async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findDocumentLinks(d, await settings.get(d.uri)) : [];
	}));

	connection.onDocumentFormatting(guarded('textDocument/formatting', [], async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doFormat(d, p.options, await settings.get(d.uri)) : [];
	}));
	connection.onDocumentRangeFormatting(guarded('textDocument/rangeFormatting', [], async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doRangeFormat(d, p.range, p.options, await settings.get(d.uri)) : [];
	}));
	connection.onDocumentOnTypeFormatting(guarded('textDocument/onTypeFormatting', [], async p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.doOnTypeFormat(d, p.position, p.ch, p.options, await settings.get(d.uri)) : [];
	}));

	connection.onCodeLens(guarded('textDocument/codeLens', [], p => {
		const d = documents.get(p.textDocument.uri);
		return d ? service.findCodeLenses(d) : [];
	}));
	registerStats(connection, internalError);
	registerVerify(connection, service, uri => settings.get(uri), () => folders, internalError);

	documents.listen(connection);
	connection.listen();
}
