/**
 * The VS Code extension: starts the bundled language server (dist/server.js) over IPC once an
 * nginx or uWSGI document (or a host file that runs uWSGI) is open, shows its state in the status bar and logs to an output
 * channel. All language features live in the server.
 */
import * as vscode from 'vscode';
import {
	CloseAction, ErrorAction, LanguageClient, State, TransportKind, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type LanguageClientOptions, type Message, type ServerOptions,
} from 'vscode-languageclient/node';
import { SHOW_STATS_COMMAND, StatsViews, type ShowStatsArgs } from './statsView';
import { VERIFY_COMMAND, VerifyCommand } from './verify';

const SECTION = 'uwsgiNginx';
let client: LanguageClient | undefined;
let statusItem: vscode.StatusBarItem | undefined;

/** Host files that may run uWSGI, by name (their languages stay whatever the user's other extensions make them). */
const HOST_FILE = /(^|\/)((Dockerfile|Containerfile)([.-][^/]*)?|[^/]*\.(dockerfile|containerfile|service|sh|bash)|(docker-)?compose([.-][^/]*)?\.ya?ml|Procfile(\.[^/]*)?|supervisord\.conf)$/i;
const HOST_LANGUAGES: ReadonlySet<string> = new Set(['dockerfile', 'dockercompose', 'shellscript']);
/** Compose files that mention nginx are read by the server too (the environment of template-filling services). */
const COMPOSE_FILE = /(^|\/)(docker-)?compose([.-][^/]*)?\.ya?ml$/i;
/** A Dockerfile or compose file that gives the nginx image its templates (the server shows their values on the templates). */
const FEEDS_TEMPLATES = /\/etc\/nginx\/templates|NGINX_ENVSUBST_TEMPLATE_DIR/;
/**
 * nginx config templates by name (the server's TEMPLATE_SUFFIXES, parser/nginx/template.ts); the
 * server decides by their folder or content whether they are nginx.
 */
const TEMPLATE_FILE = /\.conf\.(template|tpl|sample)$/i;
const TEMPLATE_PATTERN = '**/*.conf.{template,tpl,sample}';
/** Roughly the server's looksLikeNginx: a block nginx configs open (enough to start the server). */
const NGINX_SHAPE = /^[ \t]*(?:http|server|events|stream|upstream\s+\S+|location\s+[^\n{]*)\s*\{/m;

/**
 * nginx, uwsgi-ini, plain ini documents that have a `[uwsgi]` section, nginx config templates,
 * and host files (Dockerfile, compose, systemd unit, supervisor program, Procfile, shell script)
 * that run uWSGI or give the nginx image its templates.
 */
function isOurs(doc: vscode.TextDocument): boolean {
	if (doc.languageId === 'nginx' || doc.languageId === 'uwsgi-ini') { return true; }
	const text = doc.getText();
	if (doc.languageId === 'ini' && /^[ \t]*\[uwsgi\][ \t\r]*$/m.test(text)) { return true; }
	if (TEMPLATE_FILE.test(doc.uri.path)) { return NGINX_SHAPE.test(text) && !/\{\{|\{%/.test(text); }
	const host = HOST_LANGUAGES.has(doc.languageId) || HOST_FILE.test(doc.uri.path) || /^[ \t]*\[program:/m.test(text);
	return host && (/uwsgi/.test(text) || FEEDS_TEMPLATES.test(text) || (COMPOSE_FILE.test(doc.uri.path) && /nginx/i.test(text)));
}

/** What activate() returns: the notices the extension showed about its server (tests read them). */
export interface UwsgiNginxApi {
	readonly notices: readonly string[];
}
const notices: string[] = [];

/** Restarts within this window count towards the limit. */
const RESTART_WINDOW_MS = 3 * 60_000;
const MAX_RESTARTS = 4;

/**
 * A server that dies (a crash, an out-of-memory kill) is started again, and the user is told so;
 * after MAX_RESTARTS + 1 deaths within three minutes it stays stopped, with a message saying how
 * to start it again.
 */
class RestartingErrorHandler implements ErrorHandler {
	private restarts: number[] = [];

	constructor(private readonly output: vscode.LogOutputChannel) {}

	error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
		// a broken message now and then: keep going; a stream of them: stop (closed() then decides about restarting)
		return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
	}

	closed(): CloseHandlerResult {
		const now = Date.now();
		this.restarts = this.restarts.filter(t => now - t < RESTART_WINDOW_MS);
		this.restarts.push(now);
		if (this.restarts.length > MAX_RESTARTS) {
			const message = `uWSGI + nginx: the language server stopped ${this.restarts.length} times in three minutes and was not restarted. See the output; the command "uWSGI + nginx: Restart the language server" starts it again.`;
			this.notify(message, vscode.window.showErrorMessage);
			return { action: CloseAction.DoNotRestart, message, handled: true };
		}
		const message = 'uWSGI + nginx: the language server stopped unexpectedly and was restarted. See the output for what happened.';
		this.notify(message, vscode.window.showWarningMessage);
		return { action: CloseAction.Restart, message, handled: true };
	}

	private notify(message: string, show: (message: string, ...items: string[]) => Thenable<string | undefined>): void {
		notices.push(message);
		this.output.warn(message);
		void show(message, 'Show Output').then(choice => { if (choice) { this.output.show(true); } });
	}
}

export async function activate(context: vscode.ExtensionContext): Promise<UwsgiNginxApi> {
	const output = vscode.window.createOutputChannel('uWSGI + nginx', { log: true });
	context.subscriptions.push(output);
	statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
	statusItem.command = 'uwsgiNginx.showOutput';
	context.subscriptions.push(statusItem);
	context.subscriptions.push(
		vscode.commands.registerCommand('uwsgiNginx.showOutput', () => output.show(true)),
		vscode.commands.registerCommand('uwsgiNginx.restartServer', async () => {
			if (client) { await client.restart(); } else { await start(context, output); }
		}),
	);
	// live uWSGI stats (the code lens on `stats` options, or the command palette): read through the server
	const statsViews = new StatsViews(async () => {
		if (!client) { await start(context, output); }
		return client?.state === State.Running ? client : undefined;
	});
	context.subscriptions.push(statsViews, vscode.commands.registerCommand(SHOW_STATS_COMMAND, (args?: ShowStatsArgs) => statsViews.show(args)));
	// the installed nginx and uWSGI on the workspace's configs (trusted workspaces only)
	const verify = new VerifyCommand(async () => {
		if (!client) { await start(context, output); }
		return client?.state === State.Running ? client : undefined;
	});
	context.subscriptions.push(verify, vscode.commands.registerCommand(VERIFY_COMMAND, () => verify.run()));
	// Start only when one of our documents is open ("ini" activates us, but may not be uWSGI).
	if (vscode.workspace.textDocuments.some(isOurs)) {
		await start(context, output);
		return { notices };
	}
	const waiting = vscode.workspace.onDidOpenTextDocument(doc => {
		if (isOurs(doc)) {
			waiting.dispose();
			void start(context, output);
		}
	});
	context.subscriptions.push(waiting);
	return { notices };
}

async function start(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
	if (client) { return; }
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
	};
	const clientOptions: LanguageClientOptions = {
		documentSelector: [
			{ scheme: 'file', language: 'nginx' }, { scheme: 'untitled', language: 'nginx' },
			{ scheme: 'file', language: 'uwsgi-ini' }, { scheme: 'untitled', language: 'uwsgi-ini' },
			{ scheme: 'file', language: 'ini' },
			// host files: the server reports only on the uWSGI command lines in them; their languages stay as they are
			{ scheme: 'file', language: 'dockerfile' }, { scheme: 'file', language: 'dockercompose' }, { scheme: 'file', language: 'shellscript' },
			{ scheme: 'file', pattern: '**/{Dockerfile,Containerfile}*' }, { scheme: 'file', pattern: '**/*.{dockerfile,containerfile}' },
			{ scheme: 'file', pattern: '**/{docker-compose,compose}*.{yml,yaml}' }, { scheme: 'file', pattern: '**/*.service' },
			{ scheme: 'file', pattern: '**/Procfile*' }, { scheme: 'file', pattern: '**/supervisord.conf' }, { scheme: 'file', pattern: '**/supervisor/**/*.conf' },
			{ scheme: 'file', pattern: '**/*.{sh,bash}' },
			// nginx config templates the editor does not know as nginx (the server reads their content)
			{ scheme: 'file', pattern: TEMPLATE_PATTERN },
		],
		synchronize: { configurationSection: SECTION },
		errorHandler: new RestartingErrorHandler(output),
		outputChannel: output,
		traceOutputChannel: output,
	};
	client = new LanguageClient('uwsgiNginx', 'uWSGI + nginx', serverOptions, clientOptions);
	client.onDidChangeState(e => showState(e.newState));
	showState(State.Starting);
	context.subscriptions.push({ dispose: () => { void client?.stop(); } });
	try {
		await client.start();
	} catch (e) {
		output.appendLine(`The language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
		showState(State.Stopped);
		void vscode.window.showErrorMessage('uWSGI + nginx: the language server failed to start. See the output channel.');
	}
}

function showState(state: State): void {
	if (!statusItem) { return; }
	if (state === State.Running) {
		statusItem.text = '$(check) uWSGI+nginx';
		statusItem.tooltip = 'uWSGI + nginx language server: running';
		statusItem.backgroundColor = undefined;
	} else if (state === State.Starting) {
		statusItem.text = '$(sync~spin) uWSGI+nginx';
		statusItem.tooltip = 'uWSGI + nginx language server: starting';
		statusItem.backgroundColor = undefined;
	} else {
		statusItem.text = '$(error) uWSGI+nginx';
		statusItem.tooltip = 'uWSGI + nginx language server: stopped (click for the log)';
		statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
	}
	statusItem.show();
}

export async function deactivate(): Promise<void> {
	if (client) {
		const c = client;
		client = undefined;
		await c.stop();
	}
}
