/**
 * *Verify with the installed nginx and uWSGI*: asks the language server to run the installed
 * binaries on the workspace's configs (trusted workspaces only: they read the configs as the
 * server would), shows the report in an output channel, and puts each binary's message on the
 * line it names, marked as agreeing with our findings or not.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const VERIFY_COMMAND = 'uwsgiNginx.verify';
const VERIFY_REQUEST = 'uwsgiNginx/verify';

/** The parts of the server's answer the client reads (server/src/lsp/verify.ts has the whole shape). */
interface VerifyLine { uri: string; line?: number; message: string }
interface VerifyEntry { tool: 'nginx' | 'uwsgi'; uri: string; verdict: 'ok' | 'refused' | 'environment'; said: VerifyLine[]; agrees?: boolean; why: string }
interface VerifyResult { report: { missing: string[]; entries: VerifyEntry[] }; text: string }

export class VerifyCommand implements vscode.Disposable {
	private readonly diagnostics = vscode.languages.createDiagnosticCollection('uwsgi-nginx-verify');
	private readonly output = vscode.window.createOutputChannel('uWSGI + nginx: verify');
	/** The last answer (tests read it). */
	last: VerifyResult | undefined;

	constructor(private readonly client: () => Promise<LanguageClient | undefined>) {}

	async run(): Promise<VerifyResult | undefined> {
		if (!vscode.workspace.isTrusted) {
			void vscode.window.showWarningMessage('uWSGI + nginx: verifying runs the installed nginx and uWSGI on this workspace\'s configs, so it is offered in trusted workspaces only.');
			return undefined;
		}
		const client = await this.client();
		if (!client) {
			void vscode.window.showErrorMessage('uWSGI + nginx: the language server is not running (see its output).');
			return undefined;
		}
		const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Verifying with the installed nginx and uWSGI…' },
			() => client.sendRequest<VerifyResult | null>(VERIFY_REQUEST, {}));
		if (!result) {
			void vscode.window.showErrorMessage('uWSGI + nginx: verifying failed (see the language server\'s output).');
			return undefined;
		}
		this.last = result;
		this.show(result);
		return result;
	}

	private show(result: VerifyResult): void {
		this.output.clear();
		this.output.append(result.text);
		this.diagnostics.clear();
		const byUri = new Map<string, vscode.Diagnostic[]>();
		for (const e of result.report.entries) {
			const tool = e.tool === 'nginx' ? 'nginx -t' : 'uwsgi --strict';
			for (const s of e.said) {
				const line = s.line ?? 0;
				const mark = e.agrees === undefined ? 'not judged on this machine' : e.agrees ? 'we agree' : `we DISAGREE: ${e.why}`;
				const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${s.message} — ${mark}`,
					/^\[warn\]/.test(s.message) ? vscode.DiagnosticSeverity.Warning : e.verdict === 'refused' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Information);
				d.source = tool;
				const list = byUri.get(s.uri);
				if (list) { list.push(d); } else { byUri.set(s.uri, [d]); }
			}
		}
		for (const [uri, list] of byUri) { this.diagnostics.set(vscode.Uri.parse(uri), list); }
		for (const m of result.report.missing) { void vscode.window.showWarningMessage(`uWSGI + nginx: ${m}`); }
		const entries = result.report.entries;
		const judged = entries.filter(e => e.agrees !== undefined);
		const refused = entries.filter(e => e.verdict === 'refused').length;
		const summary = `Verified ${entries.length} config${entries.length === 1 ? '' : 's'} with the installed binaries: ${refused} refused; we agree on ${judged.filter(e => e.agrees).length} of ${judged.length}.`;
		void vscode.window.showInformationMessage(`uWSGI + nginx: ${summary}`, 'Show Report').then(choice => { if (choice) { this.output.show(true); } });
	}

	dispose(): void {
		this.diagnostics.dispose();
		this.output.dispose();
	}
}
