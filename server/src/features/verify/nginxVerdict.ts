/**
 * What `nginx -t` said, read from its output: accepted, refused for a reason in the config, or
 * refused for a reason of the machine it ran on (a file, certificate, user, host name or module
 * this machine lacks). The differential tests and `uwsgi-nginx-check --verify` judge only the
 * first two against our findings; the third is reported apart, with the reason.
 */

export interface NginxMessage {
	/** `emerg`, `alert`, `crit`, `error`, `warn`, `notice`, … */
	readonly level: string;
	readonly text: string;
	/** The file nginx names (absolute), when it names one. */
	readonly file?: string;
	/** 1-based line nginx names, when it names one. */
	readonly line?: number;
}

export type NginxVerdictKind = 'ok' | 'config' | 'environment' | 'crash';

export interface NginxVerdict {
	readonly kind: NginxVerdictKind;
	/** The message that decided the verdict (the first emerg/alert/crit line), when refused. */
	readonly reason?: NginxMessage;
	/** For `environment`: what of the machine was missing (`file`, `certificate`, `user`, `host`, `module`, `data`, `platform`). */
	readonly lack?: string;
	/** Every message nginx printed (warnings included). */
	readonly messages: readonly NginxMessage[];
}

const LINE = /^nginx: \[(\w+)\] (.*?)(?: in (\S+?):(\d+))?$/;

export function parseNginxMessages(output: string): NginxMessage[] {
	const out: NginxMessage[] = [];
	for (const raw of output.split('\n')) {
		const m = LINE.exec(raw.trimEnd());
		if (!m) { continue; }
		out.push(m[3] ? { level: m[1], text: m[2], file: m[3], line: Number(m[4]) } : { level: m[1], text: m[2] });
	}
	return out;
}

/**
 * Messages that depend on the machine rather than on the config, and what is missing. Anything
 * else nginx refuses is a reason in the config itself.
 */
const ENVIRONMENT: readonly [RegExp, string][] = [
	[/^open\(\) ".*" failed \((2|13|20): /, 'file'],
	[/^(?:mkdir|opendir|stat|chown|fopen)\(\) ".*" failed/, 'file'],
	[/^cannot load certificate|^SSL_CTX_use_|^SSL_CONF_cmd|^PEM_read_bio|^BIO_new_file|^X509_LOOKUP_load_file|^d2i_OCSP|^SSL_CTX_load_verify_locations|^SSL_CTX_set_cipher_list|^SSL_load_client_CA_file|^ENGINE_/, 'certificate'],
	[/" must be (?:48 or 80|\d+) bytes$/, 'certificate'],
	[/^getpwnam\(|^getgrnam\(/, 'user'],
	[/^host not found in |^no host in resolver|could not be resolved/, 'host'],
	[/^dlopen\(\) /, 'module'],
	[/^bind\(\) to .* failed \((98|99|13): /, 'address'],
	[/^GeoIP_open|^MMDB_open|^xsltParseStylesheetFile|^xmlParseFile|^require_module|^perl_parse|^js_import|^ngx_http_perl_module|^failed to load javascript/, 'data'],
	[/is unsupported on this platform|is not supported on this platform|^invalid event type "|^getrlimit|^setrlimit|^sysconf/, 'platform'],
];

/** Reads nginx -t's exit status and output into a verdict. */
export function nginxVerdict(status: number | null, signal: string | null, output: string): NginxVerdict {
	const messages = parseNginxMessages(output);
	if (signal) {
		return { kind: 'crash', messages, reason: { level: 'crash', text: `killed by ${signal}` } };
	}
	const fatal = messages.find(m => m.level === 'emerg' || m.level === 'alert' || m.level === 'crit');
	if (status === 0) { return { kind: 'ok', messages }; }
	const reason = fatal ?? messages.find(m => m.level === 'error') ?? { level: 'emerg', text: output.trim().split('\n')[0] ?? `exit status ${status}` };
	for (const [re, lack] of ENVIRONMENT) {
		if (re.test(reason.text)) { return { kind: 'environment', reason, lack, messages }; }
	}
	return { kind: 'config', reason, messages };
}
