/**
 * Corpus check: runs the language service over the real-world configs of a corpus folder
 * (manifest.jsonl with `nginx -t` / `uwsgi --strict` verdicts) and holds the zero-false-error bar.
 *
 *   npm run test:corpus -- ../shared/corpus [--verbose]
 *
 * Fails (exit 1) when a file the oracle accepts gets an error-severity diagnostic, or when a
 * uWSGI file strict mode accepts gets uwsgi-unknown-option. Reports how often we agree with the
 * oracles where they reject a file. Files of one repository form one workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { getNginxDirectives, isNginxDirective } from '../../server/src/data/nginxData';
import { builtinVariable } from '../../server/src/data/nginxVariables';
import { getLanguageService, type LanguageKind } from '../../server/src/service';
import { openGroup, readManifest, workspacesOf } from './manifest';

interface Row {
	file: string;
	repo: string;
	/** The file's path in its repository. */
	path?: string;
	kind: LanguageKind;
	expected: string;
	nginx_t?: string;
	nginx_t_relaxed?: string;
	nginx_t_context?: string;
	uwsgi_strict?: string;
	notes?: string;
	uwsgi_unknown_options?: { option: string; used_as_placeholder: boolean }[];
}

/** `invalid value "2"` for a value the 1.31.5 tables accept on that line (proxy_http_version 2). */
function isNewerValue(message: string, text: string, line: number): boolean {
	const m = /invalid value "([^"]+)"/.exec(message);
	if (!m || !line) { return false; }
	const words = (text.split('\n')[line - 1] ?? '').trim().replace(/;.*$/, '').split(/\s+/);
	return getNginxDirectives(words[0] ?? '').some(d => d.values?.includes(m[1]));
}

/**
 * The class of a configuration error nginx -t reports, the code of ours that matches it, and
 * whether it is version skew (valid for nginx 1.31.5, which our tables follow). `text` is the
 * file's text and `line` the line nginx names (0: none). `anyLine`: nginx names no line of the
 * statement (unknown variables and zero-size zones are found at the end of the configuration; an
 * unknown cache zone is reported at the end of http).
 */
function rejectionClass(message: string, text: string, line: number): { code: string; skew: boolean; anyLine?: boolean } | undefined {
	const at = (text.split('\n')[line - 1] ?? '');
	const variable = /unknown "([^"]+)" variable/.exec(message);
	if (variable) {
		// a variable newer than nginx 1.22 (ours are 1.31.5's) is valid for us
		const key = variable[1].toLowerCase();
		return { code: 'nginx-unknown-variable', skew: !!(builtinVariable('http', key) ?? builtinVariable('stream', key)), anyLine: true };
	}
	if (/unknown log format "/.test(message)) { return { code: 'nginx-unknown-log-format', skew: false }; }
	if (/zero size shared memory zone "/.test(message)) { return { code: 'nginx-unknown-zone', skew: false, anyLine: true }; }
	if (/zone "[^"]*" is unknown/.test(message)) { return { code: 'nginx-unknown-zone', skew: false, anyLine: true }; }
	if (/unknown directive "\ufeff/.test(message)) { return { code: 'nginx-byte-order-mark', skew: false }; }
	if (/is already bound to key|^\[emerg\] duplicate zone|of shared memory zone "[^"]*" conflicts|already declared for a different use|the same path name|a duplicate listen|a duplicate default server|address and port pair/.test(message)) { return { code: 'nginx-conflicting-declaration', skew: false }; }
	const unknown = /unknown directive "([^"]+)"/.exec(message);
	if (unknown) {
		// a directive nginx 1.22 lacks but 1.31.5 or a shipped module table has is valid for us
		return { code: 'nginx-unknown-directive', skew: isNginxDirective(unknown[1]) };
	}
	if (/is not allowed here/.test(message)) { return { code: 'nginx-directive-not-allowed', skew: false }; }
	if (/invalid number of arguments/.test(message)) { return { code: 'nginx-invalid-arguments', skew: false }; }
	if (/pcre2?_compile\(\) failed|empty regex|must have 2 captures/.test(message)) { return { code: 'nginx-invalid-regex', skew: false }; }
	if (/no "ssl_certificate(_key)?" is defined|no ssl_client_certificate for ssl_verify_client/.test(message)) {
		// nginx 1.27.2+ also takes ssl_trusted_certificate for ssl_verify_client
		return { code: 'nginx-missing-certificate', skew: /ssl_client_certificate for/.test(message) && /ssl_trusted_certificate/.test(text) };
	}
	// addresses (ngx_parse_url), if conditions, return codes, geo entries, proxy_pass URI parts
	if (/(invalid port|invalid port range|invalid host|no host|invalid IPv6 address|no path in the unix domain socket|too long path in the unix domain socket) in (upstream|"[^"]*" of the "listen" directive)|invalid URL prefix|invalid condition|in condition|invalid return code|invalid number of the geo parameters|invalid range|invalid network|cannot have URI part/.test(message)) {
		// geo's "volatile" is nginx 1.29.3+
		return { code: 'nginx-invalid-value', skew: /geo parameters/.test(message) && /^\s*volatile\s*;/.test(at) };
	}
	if (/invalid value|invalid parameter/.test(message)) { return { code: 'nginx-invalid-value', skew: /invalid parameter "(quic|resolve|[a-z_]+=)/.test(message) }; }
	if (/is duplicate|duplicate location/.test(message)) { return { code: 'nginx-duplicate-directive', skew: false }; }
	if (/no port in upstream/.test(message)) { return { code: 'nginx-unknown-upstream', skew: false }; }
	if (/no servers are inside upstream/.test(message)) { return { code: 'nginx-empty-upstream', skew: false }; }
	if (/is outside location|cannot be inside the|can be on the server level only/.test(message)) { return { code: 'nginx-location-nesting', skew: false }; }
	return undefined;
}

/** Lines (1-based, inclusive) where our finding of a class may start for the line nginx names. */
function window(code: string, line: number): [number, number] {
	// nginx names the server's line for a TLS listen without a certificate; we point at the listen in it
	if (code === 'nginx-missing-certificate') { return [line, line + 60]; }
	// nginx names the line where the statement ended; ours starts at the directive
	return [line - 5, line];
}

interface Pair {
	pair: string;
	verdict: string;
	best: { nginx_file: string; nginx_target: string; uwsgi_file: string; uwsgi_socket: string };
}

/**
 * The seam against pairs.jsonl (verdicts worked out by hand and script): a pair that matches must
 * get no seam error on its nginx target; a protocol mismatch must get protocol-mismatch; a port or
 * path mismatch must get socket-not-served (or protocol-mismatch where the other socket speaks
 * another protocol).
 */
function checkPairs(dir: string, findings: Map<string, Diagnostic[]>, failures: string[], verbose: boolean): { total: number; agree: number; falseErrors: number } {
	const file = path.join(dir, 'pairs.jsonl');
	if (!fs.existsSync(file)) { return { total: 0, agree: 0, falseErrors: 0 }; }
	const pairs = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as Pair);
	let agree = 0;
	let falseErrors = 0;
	for (const p of pairs) {
		// the finding sits on the pass, or on the upstream `server` line it goes through
		const onTarget = findings.get(p.best.nginx_file) ?? [];
		const codes = new Set(onTarget.map(d => String(d.code)));
		let ok: boolean;
		if (p.verdict === 'match' || p.verdict === 'basename-match') {
			ok = !codes.has('protocol-mismatch') && !codes.has('socket-not-served');
			if (onTarget.some(d => d.severity === DiagnosticSeverity.Error)) {
				falseErrors++;
				failures.push(`${p.pair} (${p.verdict}) got a seam error: ${onTarget.map(d => d.code).join(', ')}`);
			}
		} else if (p.verdict === 'protocol-mismatch') {
			ok = codes.has('protocol-mismatch');
		} else {
			ok = codes.has('socket-not-served') || codes.has('protocol-mismatch');
		}
		if (ok) { agree++; } else if (verbose) { process.stdout.write(`pair ${p.pair} (${p.verdict}): ours ${[...codes].join(', ') || 'nothing'} — ${p.best.nginx_target} / ${p.best.uwsgi_socket}\n`); }
	}
	return { total: pairs.length, agree, falseErrors };
}

function main(argv: string[]): number {
	const dir = argv.find(a => !a.startsWith('--'));
	const verbose = argv.includes('--verbose');
	if (!dir) {
		process.stderr.write('usage: runCorpus CORPUS_DIR [--verbose]\n');
		return 2;
	}
	const rows = readManifest<Row>('runCorpus', dir);
	if (!rows) { return 2; }
	// files of one repository form a workspace; documentation snippets and test configs stand alone
	const byRepo = workspacesOf(rows);
	const failures: string[] = [];
	const seamFindings = new Map<string, Diagnostic[]>();
	const stats = { nginxOk: 0, nginxOkClean: 0, uwsgiOk: 0, uwsgiOkClean: 0, nginxRejectedConfig: 0, nginxRejectedAgree: 0, nginxVersionSkew: 0, nginxRejectedOtherClass: 0, uwsgiUnknownExpected: 0, uwsgiUnknownFound: 0, internalErrors: 0 };
	const started = Date.now();
	for (const [, group] of byRepo) {
		const service = getLanguageService({ onInternalError: (where, e) => { stats.internalErrors++; failures.push(`internal error in ${where}: ${String(e)}`); } });
		const docs = openGroup(service, dir, group);
		// every file's diagnostics first: nginx may name another file of the repository than the one it was run on
		const all = docs.map(({ r, doc }) => ({ r, doc, diagnostics: service.doValidation(doc) }));
		const byPath = new Map(all.filter(x => x.r.path).map(x => [x.r.path!, x]));
		for (const { r, doc, diagnostics } of all) {
			// nginx -t and uwsgi --strict see one file: compare them with our single-file findings only
			const errors = diagnostics.filter(d => d.severity === DiagnosticSeverity.Error && d.source !== 'uwsgi-nginx');
			seamFindings.set(r.file, diagnostics.filter(d => d.source === 'uwsgi-nginx'));
			const show = (ds: Diagnostic[]) => ds.map(d => `    ${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`).join('\n');
			if (r.kind === 'nginx') {
				if (r.nginx_t_relaxed === 'ok') {
					stats.nginxOk++;
					if (errors.length) { failures.push(`${r.file} (nginx -t ok) got errors:\n${show(errors)}`); } else { stats.nginxOkClean++; }
				} else if (r.nginx_t_relaxed) {
					const line = Number(/:(\d+)\s*$/.exec(r.nginx_t_relaxed)?.[1] ?? 0);
					// the file nginx names, when it is another file of this repository we hold
					const named = /in <tree>\/(.+):\d+\s*$/.exec(r.nginx_t_relaxed)?.[1];
					const other = named && named !== r.path ? byPath.get(named) : undefined;
					const target = other ?? { r, doc, diagnostics };
					const reason = rejectionClass(r.nginx_t_relaxed, target.doc.getText(), line);
					if (reason) {
						stats.nginxRejectedConfig++;
						const [from, to] = window(reason.code, reason.anyLine ? 0 : line);
						const near = (d: Diagnostic) => reason.anyLine || !line || (d.range.start.line + 1 <= to && d.range.start.line + 1 >= from);
						const targetErrors = other ? other.diagnostics.filter(d => d.severity === DiagnosticSeverity.Error && d.source !== 'uwsgi-nginx') : errors;
						const skew = reason.skew || isNewerValue(r.nginx_t_relaxed, target.doc.getText(), line);
						if (targetErrors.some(d => d.code === reason.code && near(d))) {
							stats.nginxRejectedAgree++;
						} else if (skew) {
							stats.nginxVersionSkew++;
						} else if (targetErrors.some(near)) {
							stats.nginxRejectedOtherClass++;
							if (verbose) { process.stdout.write(`reported as another class: ${r.file}: ${r.nginx_t_relaxed} / ours: ${targetErrors.filter(near).map(d => d.code).join(', ')}\n`); }
						} else if (verbose) {
							process.stdout.write(`missed: ${r.file}: ${r.nginx_t_relaxed}\n`);
						}
					}
				}
			} else {
				const unknown = diagnostics.filter(d => d.code === 'uwsgi-unknown-option');
				if (r.uwsgi_strict === 'ok') {
					stats.uwsgiOk++;
					const bad = [...errors, ...unknown];
					if (bad.length) { failures.push(`${r.file} (uwsgi --strict ok) got:\n${show(bad)}`); } else { stats.uwsgiOkClean++; }
				}
				// names strict mode rejects that the file does not use as placeholders are real unknown options
				const expectedUnknown = (r.uwsgi_unknown_options ?? []).filter(o => !o.used_as_placeholder).map(o => o.option);
				stats.uwsgiUnknownExpected += expectedUnknown.length;
				const flagged = new Set(unknown.map(d => doc.getText(d.range)));
				for (const name of expectedUnknown) {
					if (flagged.has(name)) { stats.uwsgiUnknownFound++; } else if (verbose) { process.stdout.write(`not flagged (placeholder or plugin?): ${r.file}: ${name}\n`); }
				}
			}
		}
	}
	const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
	const seam = checkPairs(dir, seamFindings, failures, verbose);
	process.stdout.write([
		`corpus: ${rows.length} files in ${byRepo.size} workspaces, ${Date.now() - started} ms`,
		`nginx files nginx -t accepts: ${stats.nginxOk}, without error diagnostics: ${stats.nginxOkClean}`,
		`uWSGI files strict mode accepts: ${stats.uwsgiOk}, without errors or unknown options: ${stats.uwsgiOkClean}`,
		`nginx files nginx 1.22 rejects for a configuration reason: ${stats.nginxRejectedConfig}; valid for nginx 1.31.5 (a newer directive or parameter): ${stats.nginxVersionSkew}; of the other ${stats.nginxRejectedConfig - stats.nginxVersionSkew}, our error of the same class on that statement: ${stats.nginxRejectedAgree} (${pct(stats.nginxRejectedAgree, stats.nginxRejectedConfig - stats.nginxVersionSkew)}), an error of another class there: ${stats.nginxRejectedOtherClass}`,
		`nginx ⇄ uWSGI pairs: ${seam.total}; verdicts we agree with: ${seam.agree} (${pct(seam.agree, seam.total)}); seam errors on pairs that match: ${seam.falseErrors}`,
		`names uWSGI strict mode rejects and no file uses as a placeholder: ${stats.uwsgiUnknownExpected}, flagged as unknown options: ${stats.uwsgiUnknownFound} (${pct(stats.uwsgiUnknownFound, stats.uwsgiUnknownExpected)})`,
		'',
	].join('\n'));
	if (failures.length) {
		process.stdout.write(`\n${failures.length} false findings:\n${failures.join('\n')}\n`);
		process.stdout.write(`corpus: ${stats.nginxOkClean + stats.uwsgiOkClean} passed, ${failures.length} failed\n`);
		return 1;
	}
	process.stdout.write(`corpus: ${stats.nginxOkClean + stats.uwsgiOkClean} passed, 0 failed\n`);
	return 0;
}

process.stdout.on('error', () => undefined);
process.exitCode = main(process.argv.slice(2));
