/**
 * THE table of diagnostic codes. Every diagnostic the product reports has a row here: its id
 * (also the settings key and the anchor in docs/DIAGNOSTICS.md), default severity, source
 * and message template (`{name}` is filled from the finding's arguments).
 * test/unit/docs.test.ts fails when this table and docs/DIAGNOSTICS.md disagree.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type DiagnosticSource = 'uwsgi' | 'nginx' | 'uwsgi-nginx';

export interface DiagnosticCode {
	readonly id: string;
	readonly severity: Severity;
	readonly source: DiagnosticSource;
	/** One line: what the rule finds. */
	readonly title: string;
	readonly message: string;
}

function code(id: string, severity: Severity, source: DiagnosticSource, title: string, message: string): DiagnosticCode {
	return { id, severity, source, title, message };
}

export const Codes = {
	// ---- uWSGI ini --------------------------------------------------------------------------
	uwsgiSyntax: code('uwsgi-syntax', 'error', 'uwsgi',
		'A line or block uWSGI cannot read as intended',
		'{detail}'),
	uwsgiUnknownOption: code('uwsgi-unknown-option', 'warning', 'uwsgi',
		'A key that is no option of uWSGI core or any plugin',
		'Unknown option "{key}": uWSGI does not know it and silently keeps it as a placeholder, so it has no effect.{hint}'),

	// ---- nginx ------------------------------------------------------------------------------
	nginxSyntax: code('nginx-syntax', 'error', 'nginx',
		'Text nginx cannot parse',
		'{detail}'),
	nginxUnknownDirective: code('nginx-unknown-directive', 'error', 'nginx',
		'A directive no known nginx module defines',
		'Unknown directive "{name}": nginx refuses to start with "unknown directive".{hint}'),
} as const satisfies Record<string, DiagnosticCode>;

export type CodeKey = keyof typeof Codes;

const BY_ID: ReadonlyMap<string, DiagnosticCode> = new Map(Object.values(Codes).map(c => [c.id, c]));

export function codeById(id: string): DiagnosticCode | undefined {
	return BY_ID.get(id);
}

export function allCodes(): readonly DiagnosticCode[] {
	return [...BY_ID.values()];
}

/** Where each code is documented (an anchor of docs/DIAGNOSTICS.md). */
export const DOCS_BASE_URL = 'https://github.com/uwsgi-nginx/uwsgi-nginx/blob/main/docs/DIAGNOSTICS.md';

export function codeDocUrl(id: string): string {
	return `${DOCS_BASE_URL}#${id}`;
}

export function renderMessage(template: string, args: Readonly<Record<string, string | number>>): string {
	return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in args ? String(args[k]) : ''));
}
