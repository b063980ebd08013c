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
		'Unknown option "{key}": {effect}{hint}'),

	uwsgiUnreleasedOption: code('uwsgi-unreleased-option', 'information', 'uwsgi',
		'An option only the unreleased 2.1-dev has',
		'"{key}" exists only in uWSGI 2.1-dev (the master branch): released uWSGI 2.0.x does not know it and silently ignores it.'),
	uwsgiInvalidValue: code('uwsgi-invalid-value', 'error', 'uwsgi',
		'A value that stops uWSGI at startup, or that it reads so that every request fails',
		'Invalid value for "{key}": {detail}'),
	uwsgiMisreadNumber: code('uwsgi-misread-number', 'warning', 'uwsgi',
		'A number uWSGI reads differently from how it is written, without breaking',
		'"{key}": {detail}'),
	uwsgiIgnoredValue: code('uwsgi-ignored-value', 'warning', 'uwsgi',
		'A name the option does not know: uWSGI ignores it (or uses its default) and starts anyway',
		'Unrecognised value for "{key}": {detail}'),
	uwsgiSuspiciousBoolean: code('uwsgi-suspicious-boolean', 'warning', 'uwsgi',
		'A switch set to a word that is not true/false',
		'"{value}" is not a boolean: uWSGI reads every value except false, off, no and 0 as true, so this {effect}.{hint}'),
	uwsgiDuplicateOption: code('uwsgi-duplicate-option', 'warning', 'uwsgi',
		'An option that takes one value, set twice in a section',
		'"{key}" is set again on line {line} ("{winner}"): uWSGI keeps only the last value, so this one has no effect.'),
	uwsgiInlineComment: code('uwsgi-inline-comment', 'warning', 'uwsgi',
		'A comment after a value, which uWSGI keeps as part of the value',
		'uWSGI has no inline comments: the value of "{key}" is "{value}", comment included.{effect} Put the comment on its own line.'),
	uwsgiNoUwsgiSection: code('uwsgi-no-uwsgi-section', 'error', 'uwsgi',
		'No [uwsgi] section: uWSGI ignores the options',
		'{detail}'),
	uwsgiImmediateReference: code('uwsgi-immediate-reference', 'warning', 'uwsgi',
		'A placeholder or variable in an option uWSGI applies before expanding them',
		'"{key}" is applied as soon as uWSGI reads it, before $(), @() and %() are expanded: "{ref}" stays literal here. Use a magic variable such as %d, or move the reference out of this option.'),
	uwsgiPublicSocket: code('uwsgi-public-socket', 'warning', 'uwsgi',
		'A socket bound on every interface',
		'"{key}" listens on port {port}{where}, so anyone who can reach this host can talk {protocol} to the application, bypassing nginx.{risk} {fix}'),
	uwsgiPublicStats: code('uwsgi-public-stats', 'warning', 'uwsgi',
		'The stats server bound on every interface',
		'The stats server listens on port {port}{where}: anyone who can reach this host can read the workers, requests and memory of this server. {fix}'),
	uwsgiRunsAsRoot: code('uwsgi-runs-as-root', 'warning', 'uwsgi',
		'The workers run as root',
		'"{key} = root" keeps the workers running as root: any flaw in the application runs with full privileges. Use an unprivileged user such as www-data.'),
	uwsgiNoHarakiri: code('uwsgi-no-harakiri', 'information', 'uwsgi',
		'Workers that serve requests with no harakiri: a hung request holds its worker forever',
		'No harakiri: a request that hangs (a remote call or a query without a timeout) holds its worker forever, and when every worker hangs the site stops answering.{nginx} Set harakiri to the longest time a request may take, below nginx\'s read timeout.'),
	uwsgiNoWorkerRecycling: code('uwsgi-no-worker-recycling', 'hint', 'uwsgi',
		'Long-lived workers that are never recycled',
		'Workers are never recycled: memory an application leaks grows until the kernel kills a worker mid-request. Set max-requests (or reload-on-rss, max-worker-lifetime) so the master replaces workers gracefully.'),
	uwsgiNoMaster: code('uwsgi-no-master', 'warning', 'uwsgi',
		'An option that needs the master process, without the master',
		'{detail} Add "master = true".'),
	uwsgiWorldWritableSocket: code('uwsgi-world-writable-socket', 'warning', 'uwsgi',
		'A unix socket every local user may connect to',
		'chmod-socket = {mode} lets every local user connect to {socket} and talk {protocol} to the application, bypassing nginx.{risk} nginx needs only its group: {fix}'),
	uwsgiDaemonizeManaged: code('uwsgi-daemonize-managed', 'warning', 'uwsgi',
		'daemonize in a config a process manager starts',
		'"{key}" detaches uWSGI into the background, but {manager} starts this config and watches the process it started: {effect} Log with "{logKey}" instead and let the manager keep uWSGI in the foreground.'),

	// ---- nginx ------------------------------------------------------------------------------
	nginxSyntax: code('nginx-syntax', 'error', 'nginx',
		'Text nginx cannot parse',
		'{detail}'),
	nginxMissingSemicolon: code('nginx-missing-semicolon', 'warning', 'nginx',
		'A missing ";" that makes nginx read the next line as more arguments',
		'No ";" after "{name}": nginx reads the next line as more arguments ("{merged}"), so "{next}" there is no directive of its own and has no effect. Add the ";".'),
	nginxByteOrderMark: code('nginx-byte-order-mark', 'error', 'nginx',
		'A UTF-8 byte-order mark at the start of the file',
		'The file starts with an invisible UTF-8 byte-order mark (U+FEFF): nginx reads it as part of the first word and stops with {said}. Save the file as UTF-8 without BOM.'),
	nginxUnknownDirective: code('nginx-unknown-directive', 'error', 'nginx',
		'A directive no known nginx module defines',
		'Unknown directive "{name}": nginx refuses to start with "unknown directive".{hint}'),
	nginxDirectiveNotAllowed: code('nginx-directive-not-allowed', 'error', 'nginx',
		'A directive in a block where its module does not allow it',
		'"{name}"{source} is not allowed in {here}{via}: nginx stops with "directive is not allowed here". It belongs in {allowed}.'),
	nginxInvalidArguments: code('nginx-invalid-arguments', 'error', 'nginx',
		'A directive with the wrong number of arguments, or a block where none belongs',
		'{detail}'),
	nginxInvalidValue: code('nginx-invalid-value', 'error', 'nginx',
		'A value the directive does not accept',
		'Invalid value for "{name}": {detail}'),
	nginxDuplicateDirective: code('nginx-duplicate-directive', 'error', 'nginx',
		'A directive set twice in one block where nginx allows it once',
		'"{name}" is set twice in this block{detail}: nginx stops with "directive is duplicate".'),
	nginxConflictingDeclaration: code('nginx-conflicting-declaration', 'error', 'nginx',
		'Declarations that cannot stand together: a zone, a cache folder or a listen address declared twice',
		'Conflicting declaration: {detail}'),
	nginxOverriddenHandler: code('nginx-overridden-handler', 'warning', 'nginx',
		'A content handler replaced by a later one in the same block',
		'"{name}" is never used: {winner} on line {line} sets this {where}\'s content handler after it, and nginx keeps only the last one. Remove the one you do not mean.'),
	nginxMissingCertificate: code('nginx-missing-certificate', 'error', 'nginx',
		'TLS without the certificate, key or CA certificates nginx needs to set it up',
		'{detail}'),
	nginxInvalidRegex: code('nginx-invalid-regex', 'error', 'nginx',
		'A regular expression PCRE2 does not compile',
		'{detail}'),
	nginxMisplacedDirective: code('nginx-misplaced-directive', 'error', 'nginx',
		'A directive nginx refuses where it stands: in a regex or named location, an if or limit_except, or before what it needs',
		'{detail}'),
	nginxBufferSizes: code('nginx-buffer-sizes', 'error', 'nginx',
		'Buffer sizes that contradict each other once nginx merges a server or location',
		'{detail}'),
	nginxLocationNesting: code('nginx-location-nesting', 'error', 'nginx',
		'A location nested where nginx does not allow it',
		'Misplaced location: {detail}'),
	nginxEmptyUpstream: code('nginx-empty-upstream', 'error', 'nginx',
		'An upstream block without servers (or with backup servers only)',
		'Upstream "{name}" {what}: nginx stops with "{says}".'),
	nginxUnknownUpstream: code('nginx-unknown-upstream', 'error', 'nginx',
		'A pass to a name that is no upstream and has no port',
		'"{name}" is no upstream of this configuration and has no port: nginx stops with "no port in upstream".{hint}'),
	nginxUnknownVariable: code('nginx-unknown-variable', 'error', 'nginx',
		'A variable that no nginx module and nothing in the configuration defines',
		'No nginx module and nothing in the workspace defines "{name}"{where}: nginx stops with: unknown "{key}" variable.{detail}{hint}'),
	nginxUnknownLogFormat: code('nginx-unknown-log-format', 'error', 'nginx',
		'An access_log format that no log_format defines before it',
		'No log_format "{name}" is defined {where}: nginx stops with: unknown log format "{name}".{detail}{hint}'),
	nginxUnknownZone: code('nginx-unknown-zone', 'error', 'nginx',
		'A shared memory zone that nothing declares',
		'{directive} uses the zone "{name}", which nothing declares ({declaration}): nginx stops with: {says}.{detail}{hint}'),
	nginxMissingUwsgiParams: code('nginx-missing-uwsgi-params', 'warning', 'nginx',
		'A uwsgi_pass without the standard uwsgi_param set',
		'The application gets no REQUEST_METHOD, PATH_INFO or QUERY_STRING: {detail}. Add "include uwsgi_params;" next to uwsgi_pass.'),
	nginxIncludeNotFound: code('nginx-include-not-found', 'warning', 'nginx',
		'An include that matches no file of the workspace',
		'"{pattern}" matches no file in the workspace: nginx stops at startup if it is missing there too. Set uwsgiNginx.nginx.prefix or uwsgiNginx.nginx.pathMappings if it lives elsewhere.'),
	nginxIncludeCycle: code('nginx-include-cycle', 'error', 'nginx',
		'Files that include each other',
		'Including "{pattern}" closes a cycle: the file ends up including itself, and nginx recurses until it fails.'),

	// ---- nginx: security and good practice ---------------------------------------------------
	nginxAliasTraversal: code('nginx-alias-traversal', 'warning', 'nginx',
		'An alias joined to a location so that a request reaches the folder above it',
		'"location {location}" with the alias "{alias}": {how} reaches the folder above the alias. {fix}.'),
	nginxAliasSibling: code('nginx-alias-sibling', 'warning', 'nginx',
		'An alias joined to a location without a slash, so that a request reaches the folders beside it',
		'"location {location}" with the alias "{alias}": {how} is served from "{served}", outside the alias folder. {fix}.'),
	nginxAllowWithoutDeny: code('nginx-allow-without-deny', 'warning', 'nginx',
		'allow rules with no deny on their level',
		'This level has allow rules but no deny: requests they do not match are let through as well, so they restrict nothing. Add "deny all;" after them.'),
	nginxOpenStubStatus: code('nginx-open-stub-status', 'warning', 'nginx',
		'stub_status reachable by anyone',
		'stub_status is open to every client: no allow/deny, authentication or internal restricts it, and the server listens beyond the loopback interface. Add "allow 127.0.0.1; deny all;" (or the addresses of your monitoring).'),
	nginxHeaderInheritance: code('nginx-header-inheritance', 'warning', 'nginx',
		'A nested block whose add_header (proxy_set_header, uwsgi_param, …) drops the inherited ones',
		'"{name}" in this {here} replaces every {name} inherited from the enclosing {outer}: {list} {verb} not sent here. Repeat them in this block.'),
	nginxHostSpoofing: code('nginx-host-spoofing', 'warning', 'nginx',
		'A host passed upstream that the client chooses (the raw Host header, a query argument, another header)',
		'{name} gets {variable}, {why}, so the application sees a host nginx never checked. Use $host.'),
	nginxSsrf: code('nginx-ssrf', 'warning', 'nginx',
		'A *_pass whose address comes from the request',
		'The address of {name} is built from request data ({why}): a client can make nginx connect to any host it reaches — internal services, cloud metadata. Use a fixed upstream, or map the request to a fixed list of targets.'),
	nginxResponseSplitting: code('nginx-response-splitting', 'warning', 'nginx',
		'A value that can hold a line break written into headers',
		'{variable} can hold a line break (nginx has decoded %0d%0a in it), and it is written into {where}: a crafted URL adds headers of its own. Use $request_uri (not decoded), or a capture that cannot match line breaks (e.g. [^\\r\\n]).'),
	nginxIfInLocation: code('nginx-if-in-location', 'warning', 'nginx',
		'An if in a location that does more than return or rewrite',
		'This if holds {list}: when its condition holds, the if block replaces the location\'s configuration for the request, with surprising results ("If is evil"). Inside a location, keep if to return and rewrite; move the rest to a location or a map.'),
	nginxMapNoDefault: code('nginx-map-no-default', 'information', 'nginx',
		'A map or geo without a default',
		'This {name} has no default: requests no entry matches get an empty {variable}. Write the default out ("default \"\";" if empty is meant).'),
	nginxMissingCapture: code('nginx-missing-capture', 'warning', 'nginx',
		'$1 … $9 that no regular expression provides',
		'{ref} is empty here: {detail}.'),
	nginxRegexBacktracking: code('nginx-regex-backtracking', 'warning', 'nginx',
		'A regex with nested unbounded quantifiers',
		'"{group}" repeats a group that itself repeats: on a long input that almost matches, the regex tries exponentially many ways to split it, and one request can hold a worker for minutes. Remove the inner or the outer quantifier.'),
	nginxRegexUnanchored: code('nginx-regex-unanchored', 'warning', 'nginx',
		'An origin or referer check whose regex does not pin the host',
		'The {what} check is easy to pass: {problem}. Write it as ^https?://(www\\.)?example\\.com$ (origin) or ^example\\.com/ (valid_referers).'),
	nginxServerTokens: code('nginx-server-tokens', 'information', 'nginx',
		'server_tokens that show the nginx version',
		'"server_tokens {value}" shows the nginx version in the Server header and on error pages, which helps an attacker pick known flaws. Use "server_tokens off;".'),
	nginxWeakTls: code('nginx-weak-tls', 'warning', 'nginx',
		'Broken TLS protocol versions or ciphers enabled',
		'Weak TLS: {detail}'),
	nginxErrorLogOff: code('nginx-error-log-off', 'warning', 'nginx',
		'error_log off, which writes to a file named "off"',
		'"error_log off" does not switch the error log off: nginx writes it to a file named "off" in its prefix folder. To discard it, write it to /dev/null.'),
	nginxRootAtSlash: code('nginx-root-at-slash', 'warning', 'nginx',
		'root or alias at the file system root',
		'"{name} /" serves the whole file system of the host (/etc/passwd, keys, the application\'s settings). Point it at the folder that holds the public files.'),
	nginxValidReferersNone: code('nginx-valid-referers-none', 'warning', 'nginx',
		'valid_referers none, which any client can satisfy',
		'"none" lets every request without a Referer header pass, and leaving the header out is up to the client: the referer check stops no one who tries. Remove "none" (and accept that browsers which strip the header are refused).'),

	// ---- both languages -------------------------------------------------------------------
	unusedSuppression: code('unused-suppression', 'hint', 'uwsgi-nginx',
		'A suppression comment that silences nothing',
		'This uwsgi-nginx-ignore comment ({codes}) silences no finding: remove it.'),

	// ---- the seam: nginx checked against uWSGI ----------------------------------------------
	protocolMismatch: code('protocol-mismatch', 'error', 'uwsgi-nginx',
		'nginx speaks one protocol to a socket where uWSGI speaks another',
		'{directive} speaks {nginx} to {address}, but uWSGI serves {uwsgi} there ("{option}"): {effect}.'),
	socketNotServed: code('socket-not-served', 'warning', 'uwsgi-nginx',
		'nginx passes to a socket no uWSGI config of the workspace serves',
		'No uWSGI config of the workspace serves {address}: nginx answers 502 Bad Gateway with {failure} in its error log.{served}'),
	timeoutMismatch: code('timeout-mismatch', 'warning', 'uwsgi-nginx',
		'uWSGI lets requests run longer than nginx waits for them',
		'{detail}'),
	socketPermission: code('socket-permission', 'warning', 'uwsgi-nginx',
		'nginx\'s workers may not open the unix socket',
		'{detail}'),
	socketUnreferenced: code('socket-unreferenced', 'hint', 'uwsgi-nginx',
		'A uWSGI socket no nginx config of the workspace points at',
		'No nginx config of the workspace passes requests to {address}.'),
	uwsgiBufferTooSmall: code('uwsgi-buffer-too-small', 'warning', 'uwsgi-nginx',
		'A uWSGI buffer-size smaller than the request headers nginx forwards',
		'{detail}'),
	uwsgiHttpRouterPublic: code('uwsgi-http-router-public', 'warning', 'uwsgi-nginx',
		'uWSGI\'s own HTTP router on every interface while nginx fronts the application',
		'{detail}'),
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
