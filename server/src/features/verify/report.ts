/**
 * The report of a verification with the installed binaries: for each config tree (nginx) or
 * config file (uWSGI), what the binary said, what we say, and whether we agree. Built by
 * server/src/host/verify/verify.ts, printed by the CLI and shown by the editor.
 */
import type { UwsgiMessage } from './uwsgiVerdict';

export interface VerifyLine {
	readonly uri: string;
	/** 0-based line, when known. */
	readonly line?: number;
	readonly character?: number;
	readonly message: string;
	/** Ours: the code and severity. */
	readonly code?: string;
	readonly severity?: 'error' | 'warning' | 'information' | 'hint';
}

export interface VerifyEntry {
	readonly tool: 'nginx' | 'uwsgi';
	/** The file the binary was given: a config tree's root, or an ini file. */
	readonly uri: string;
	/** Every workspace file the binary read (the root first). */
	readonly files: readonly string[];
	readonly verdict: 'ok' | 'refused' | 'environment';
	/** What the binary said (refusals, unknown options), mapped onto workspace files. */
	readonly said: readonly VerifyLine[];
	/** Our findings that answer it (errors; for uWSGI also unknown options). */
	readonly ours: readonly VerifyLine[];
	/** Whether the binary and we agree; undefined when this machine kept the binary from judging. */
	readonly agrees: boolean | undefined;
	/** One line: the agreement or the disagreement. */
	readonly why: string;
	/** How the config was made runnable here (stubs, mapped paths, wrappers). */
	readonly notes: readonly string[];
}

export interface VerifyReport {
	/** The binaries used, with their versions. */
	readonly tools: { readonly nginx?: string; readonly uwsgi?: string };
	/** A message per binary that is not installed, saying how to install it. */
	readonly missing: readonly string[];
	readonly entries: readonly VerifyEntry[];
}

export const INSTALL_NGINX = 'nginx is not installed here: install it to verify (Debian/Ubuntu: apt-get install nginx-core; Fedora: dnf install nginx; macOS: brew install nginx), or put it on the PATH';
export const INSTALL_UWSGI = 'uWSGI is not installed here: install it to verify (Debian/Ubuntu: apt-get install uwsgi uwsgi-plugin-python3; anywhere: pip install uwsgi), or put it on the PATH';

/** Agreement of uWSGI's strict parsing with our findings on one file. */
export function uwsgiAgreement(kind: 'ok' | 'refused' | 'environment', messages: readonly UwsgiMessage[], ours: readonly VerifyLine[]): { agrees: boolean | undefined; why: string } {
	if (kind === 'environment') { return { agrees: undefined, why: 'uWSGI could not read it on this machine (a file or plugin it names is missing here)' }; }
	const errors = ours.filter(o => o.severity === 'error');
	const unknownOurs = new Set(ours.filter(o => o.code === 'uwsgi-unknown-option').map(o => o.message));
	if (kind === 'ok') {
		if (errors.length) { return { agrees: false, why: `uWSGI accepts it, but we report ${errors.length} error${errors.length > 1 ? 's' : ''}` }; }
		if (unknownOurs.size) { return { agrees: false, why: 'uWSGI knows every option, but we report unknown options' }; }
		return { agrees: true, why: 'uWSGI accepts it and we report no error' };
	}
	const problems: string[] = [];
	for (const m of messages) {
		if (m.unknown !== undefined) {
			if (m.plugin) { continue; }
			if (![...unknownOurs].some(o => o.includes(`"${m.unknown}"`))) { problems.push(`uWSGI does not know "${m.unknown}" and we do not say so`); }
		} else if (!errors.length) {
			problems.push(`uWSGI stops ("${m.text}") and we report no error`);
		}
	}
	if (problems.length) { return { agrees: false, why: problems.join('; ') }; }
	const plugins = [...new Set(messages.filter(m => m.plugin).map(m => m.plugin))];
	return { agrees: true, why: `we report what uWSGI refuses${plugins.length ? ` (options of plugins this uWSGI has not loaded: ${plugins.join(', ')} — add "plugin = ${plugins.join(',')}" where the deployment needs it)` : ''}` };
}

/** The report as text; `display` turns a URI into the path to print. */
export function renderVerifyText(report: VerifyReport, display: (uri: string) => string): string {
	const out: string[] = [];
	const where = (l: VerifyLine) => `${display(l.uri)}${l.line !== undefined ? `:${l.line + 1}${l.character !== undefined ? `:${l.character + 1}` : ''}` : ''}`;
	for (const e of report.entries) {
		const tool = e.tool === 'nginx' ? `nginx -t (${report.tools.nginx ?? 'nginx'})` : `uwsgi --strict (${report.tools.uwsgi ?? 'uwsgi'})`;
		const more = e.files.length > 1 ? ` and ${e.files.length - 1} included file${e.files.length > 2 ? 's' : ''}` : '';
		out.push(`${tool} on ${display(e.uri)}${more}`);
		const verdict = e.verdict === 'ok' ? 'accepted' : e.verdict === 'refused' ? 'refused' : 'could not judge it on this machine';
		out.push(`  ${e.tool === 'nginx' ? 'nginx' : 'uWSGI'}: ${verdict}${e.said.length ? '' : ''}`);
		for (const s of e.said) { out.push(`    ${where(s)}: ${s.message}`); }
		out.push(`  ours: ${e.ours.length ? '' : 'no error'}`);
		for (const o of e.ours) { out.push(`    ${where(o)}: ${o.severity} ${o.code}: ${o.message}`); }
		out.push(`  ${e.agrees === undefined ? '?' : e.agrees ? '=' : '≠'} ${e.agrees === undefined ? 'not judged' : e.agrees ? 'agree' : 'DISAGREE'}: ${e.why}`);
		for (const n of e.notes) { out.push(`  note: ${n}`); }
		out.push('');
	}
	for (const m of report.missing) { out.push(m); }
	const judged = report.entries.filter(e => e.agrees !== undefined);
	const agree = judged.filter(e => e.agrees).length;
	const refused = report.entries.filter(e => e.verdict === 'refused').length;
	out.push(`verify: ${report.entries.length} config${report.entries.length === 1 ? '' : 's'} checked with the installed binaries, ${refused} refused; we agree on ${agree} of ${judged.length}${judged.length < report.entries.length ? ` (${report.entries.length - judged.length} not judged on this machine)` : ''}`);
	return out.join('\n') + '\n';
}
