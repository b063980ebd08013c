/**
 * `uwsgiNginx/verify`: the editor's *Verify with the installed nginx and uWSGI*. Runs the
 * installed binaries on the workspace's nginx and uWSGI configs (host/verify/verify.ts) and
 * answers with the report, its text, and the binaries' messages placed on workspace files, each
 * marked as agreeing with our findings or not. The client asks only in a trusted workspace: the
 * binaries read the configs as they would on the server.
 */
import type { Connection, WorkspaceFolder } from 'vscode-languageserver/node';
import { verifyWorkspace } from '../host/verify/verify';
import { renderVerifyText, uriToPath, type LanguageService, type Settings, type VerifyReport } from '../service/index';

export const VERIFY_REQUEST = 'uwsgiNginx/verify';

export interface VerifyRequestParams {
	/** Only these files (URIs); default: every nginx and uWSGI file of the workspace. */
	readonly uris?: readonly string[];
}

export interface VerifyRequestResult {
	readonly report: VerifyReport;
	/** The report as text (paths relative to the workspace folders). */
	readonly text: string;
}

export function registerVerify(connection: Connection, service: LanguageService, settingsFor: (uri: string) => Promise<Settings>, folders: () => readonly WorkspaceFolder[], internalError: (where: string, error: unknown) => void): void {
	connection.onRequest(VERIFY_REQUEST, async (params: VerifyRequestParams | undefined): Promise<VerifyRequestResult | null> => {
		try {
			const wanted = params?.uris ? new Set(params.uris) : undefined;
			const uris = [...service.workspace.all()].filter(e => (e.kind === 'nginx' || e.kind === 'uwsgi') && (!wanted || wanted.has(e.uri))).map(e => e.uri);
			const first = folders()[0]?.uri ?? uris[0] ?? '';
			const settings = await settingsFor(first);
			const report = verifyWorkspace(service, settings, uris);
			const roots = folders().map(f => uriToPath(f.uri)).filter((p): p is string => !!p);
			const display = (uri: string) => {
				const p = uriToPath(uri) ?? uri;
				const root = roots.find(r => p.startsWith(r + '/'));
				return root ? p.slice(root.length + 1) : p;
			};
			return { report, text: renderVerifyText(report, display) };
		} catch (error) {
			internalError(`lsp ${VERIFY_REQUEST}`, error);
			return null;
		}
	});
}
