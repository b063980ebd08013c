/**
 * A minimal LSP client for tests: spawns the built server (dist/server.js --stdio) and speaks
 * real JSON-RPC over its stdin/stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
	createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
	type CompletionClientCapabilities, type Diagnostic, type InitializeResult, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

/**
 * The completion capabilities VS Code's client (vscode-languageclient 11) declares: documentation
 * resolved lazily, shared values taken from `CompletionList.itemDefaults`.
 */
export const VSCODE_COMPLETION: CompletionClientCapabilities = {
	completionItem: {
		snippetSupport: true, commitCharactersSupport: true, documentationFormat: ['markdown', 'plaintext'], deprecatedSupport: true,
		preselectSupport: true, insertReplaceSupport: true, labelDetailsSupport: true,
		resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
	},
	contextSupport: true,
	completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
};

export class LspClient {
	readonly process: ChildProcess;
	readonly connection: ProtocolConnection;
	/** Latest diagnostics per URI, with the version they were computed for. */
	readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
	/** What `workspace/configuration` answers (the `uwsgiNginx` section). */
	settings: unknown = {};
	configurationRequests = 0;
	stderr = '';
	/** `window/logMessage` notifications the server sent (type 1 error … 4 log). */
	readonly logs: { type: number; message: string }[] = [];
	private waiters: (() => void)[] = [];

	constructor(args: string[] = ['--stdio'], options: { env?: NodeJS.ProcessEnv } = {}) {
		this.process = spawn(process.execPath, [SERVER, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
		this.process.stderr!.on('data', d => { this.stderr += String(d); });
		const reader = new StreamMessageReader(this.process.stdout!);
		// no partial-message timer: after a server killed in the middle of a message it would re-arm
		// every 10 s for ever (dispose() does not clear it) and keep the test process from exiting
		reader.partialMessageTimeout = 0;
		this.connection = createProtocolConnection(reader, new StreamMessageWriter(this.process.stdin!));
		this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
			this.diagnostics.set(p.uri, p);
			const w = this.waiters;
			this.waiters = [];
			w.forEach(f => f());
		});
		this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
			this.configurationRequests++;
			return p.items.map(() => this.settings);
		});
		this.connection.onRequest('client/registerCapability', () => null);
		this.connection.onRequest('window/workDoneProgress/create', () => null);
		this.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => { this.logs.push(p); });
		this.connection.listen();
	}

	/** `completion`: the client's completion capabilities (by default snippets only, documentation inline). */
	async initialize(rootUri: string | null = null, completion: CompletionClientCapabilities = { completionItem: { snippetSupport: true } }): Promise<InitializeResult> {
		const result = await this.connection.sendRequest('initialize', {
			processId: process.pid,
			rootUri,
			workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
			capabilities: {
				workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
				textDocument: {
					synchronization: { dynamicRegistration: false },
					publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
					hover: { contentFormat: ['markdown', 'plaintext'] },
					completion,
					codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
				},
			},
		}) as InitializeResult;
		await this.connection.sendNotification('initialized', {});
		return result;
	}

	open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
		return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
	}

	change(uri: string, version: number, changes: unknown[]): Promise<void> {
		return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
	}

	/** Waits until diagnostics for `uri` satisfy `accept` (default: any published for `version`). */
	async waitForDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const p = this.diagnostics.get(uri);
			if (p && accept(p)) { return p.diagnostics; }
			const left = deadline - Date.now();
			if (left <= 0) { throw new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(p)}; server stderr: ${this.stderr}`); }
			await new Promise<void>(resolve => {
				const t = setTimeout(resolve, left);
				this.waiters.push(() => { clearTimeout(t); resolve(); });
			});
		}
	}

	request<R>(method: string, params: unknown): Promise<R> {
		return this.connection.sendRequest(method, params) as Promise<R>;
	}

	async shutdown(): Promise<number | null> {
		const exited = new Promise<number | null>(resolve => this.process.once('exit', code => resolve(code)));
		try {
			await this.connection.sendRequest('shutdown');
			await this.connection.sendNotification('exit');
		} catch {
			this.process.kill();
		}
		const code = await exited;
		this.connection.dispose();
		return code;
	}
}
