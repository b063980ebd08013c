/**
 * How uWSGI takes each value, judged against what it says:
 *
 * - uwsgi-invalid-value (error): a value that stops uWSGI at startup — a negative count ("must be
 *   > 0"), a chmod mode that is not three octal digits, a protocol, loop engine, logger, namespace,
 *   … no plugin has, an https-socket without its certificate and key, a route or hook uWSGI cannot
 *   read, an empty socket, `*:port`, a `key=value` option without `=` — and a value read so that
 *   every request fails (`workers = four`: no workers; `buffer-size = 64k`: a 64-byte buffer).
 *   uWSGI has no inline comments, so a comment after a chmod mode, a folder to change into, a
 *   user, a config file to load … is part of the value and stops it too.
 * - uwsgi-misread-number (warning): a number uWSGI reads as another number, and runs
 *   (`harakiri = 2m` is 2 seconds, `post-buffering = true` is 0, `buffer-size = 100000` is 65535).
 * - uwsgi-ignored-value (warning): a name the option does not know, which uWSGI ignores or
 *   replaces by its default (`fileserve-mode = apache`, `cheaper-algo = spar`).
 *
 * Every exit and reading here was checked against Debian's uWSGI 2.0.21
 * (test/integration/uwsgiBehaviour.test.ts).
 */
import type { UwsgiOptionData } from '../../data/types';
import { isUwsgiPlugin, UWSGI_ALARM_TYPES, UWSGI_HOOK_ACTIONS, UWSGI_ROUTE_ACTIONS, UWSGI_ROUTE_CONDITIONS, UWSGI_STARTUP_HOOKS, UWSGI_VALUE_RULES, type FixedValueRule } from '../../data/uwsgiValues';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import { Memo } from '../../utils/memo';
import { closestMatches } from '../../utils/strings';
import { Codes, type DiagnosticCode } from '../codes';
import type { UwsgiContext } from '../context';
import { commandConfigOf } from '../commands/invocation';
import { optionEntries } from './entries';
import { isBrokenAutoIp, parseUwsgiAddress, SERVER_SOCKET_HANDLERS } from './sockets';
import { alarmProblem, hookProblem, inlineCommentAt, isValidChmodSocket, isValidLogfileChmod, readNumber, routeProblem, sizeSuffixValue, timeSuffixSeconds, umaskReading } from './values';

const NUMBER_TYPES = new Set(['int', 'uint64', 'uint16']);
/** Options whose value is a count of seconds. */
const SECONDS = /(^|-)(harakiri|timeout|lifetime|mercy|frequency|freq|interval|idle|delay)(-|$)/;
/** Options whose value is a size in bytes. */
const BYTES = /(^|-)(size|buffer|buffering|bufsize|limit-post|body-read-warning|max-vars|stacksize|memory)(-|$)/;

/** A request buffer smaller than this cannot hold one request nginx sends (uwsgi_params alone are several hundred bytes). */
const MIN_REQUEST_BUFFER = 512;

/** Payload for the quick fixes. */
export interface InvalidValueData {
	/** The value to write instead. */
	readonly replacement?: string;
	/** The problem is an inline comment: the offset of its `#`/`;` (the fix moves it onto its own line). */
	readonly comment?: number;
}

interface Problem {
	readonly code: DiagnosticCode;
	readonly detail: string;
	readonly replacement?: string;
}

const error = (detail: string, replacement?: string): Problem => ({ code: Codes.uwsgiInvalidValue, detail, replacement });
const misread = (detail: string, replacement?: string): Problem => ({ code: Codes.uwsgiMisreadNumber, detail, replacement });
const ignored = (detail: string, replacement?: string): Problem => ({ code: Codes.uwsgiIgnoredValue, detail, replacement });

const foreignPlugins = new Memo<IniDocument, boolean>();

/**
 * Whether a config loads a plugin from outside uWSGI's repository (`plugins = ./myrouter_plugin.so`):
 * it may register route actions, hooks, loggers, … no table here knows, so their names are not judged.
 */
export function loadsForeignPlugin(doc: IniDocument): boolean {
	let found = foreignPlugins.get(doc);
	if (found === undefined) {
		found = optionEntries(doc).some(({ entry, option, dynamic }) => option.type === 'plugin_list' && (dynamic || entry.value.text.split(',').some(n => !isUwsgiPlugin(n))));
		foreignPlugins.set(doc, found);
	}
	return found;
}

export function checkInvalidValues(ctx: UwsgiContext): void {
	const text = ctx.doc.text;
	const all = optionEntries(ctx.doc);
	const foreign = loadsForeignPlugin(ctx.doc);
	// on a command line, `--chmod-socket` without a value gives the handler no value at all (666); in an ini a bare key is ""
	const commandLine = commandConfigOf(ctx.doc) !== undefined;
	for (let i = 0; i < all.length; i++) {
		const { entry, option, dynamic } = all[i];
		if (dynamic || option.argument === 'none') { continue; }
		if (commandLine && option.argument === 'optional' && entry.equals < 0 && !entry.value.text) { continue; }
		const raw = entry.value.text;
		const cut = inlineCommentAt(option, raw);
		const meant = cut >= 0 ? raw.slice(0, cut) : raw;
		let problem = startupProblem(option, raw, cut, foreign);
		let comment: number | undefined;
		if (problem && cut >= 0 && !startupProblem(option, meant, -1, foreign)) {
			// the value alone is fine: the comment stops uWSGI
			let at = entry.value.offset + cut;
			while (text[at] === ' ' || text[at] === '\t') { at++; }
			comment = at;
		}
		// a comment after a number or a name that still reads as meant is uwsgi-inline-comment's to judge
		problem ??= valueProblem(option, meant, entry, foreign);
		if (!problem) { continue; }
		const span = entry.value.length ? entry.value : entry.key;
		const data: InvalidValueData = comment !== undefined ? { comment } : problem.replacement !== undefined ? { replacement: problem.replacement } : {};
		ctx.report({ code: problem.code, offset: span.offset, length: span.length, args: { key: entry.key.text, detail: problem.detail }, data });
	}
}

/** What a folder, user, file, … that keeps an inline comment makes uWSGI do: it stops. */
function commentExit(o: UwsgiOptionData): string | undefined {
	switch (o.name) {
		case 'chdir': case 'chdir2':
			return 'changes into that folder, which does not exist, and stops at startup with "chdir(): No such file or directory"';
		case 'chroot':
			return 'cannot chroot into that folder and stops at startup with "chroot(): No such file or directory"';
		case 'home': case 'virtualenv': case 'venv': case 'pyhome':
			return 'uses that folder as the Python home and stops at startup with "Python Home is not a directory"';
		case 'chown-socket':
			return 'looks up that owner for the unix socket and stops at startup with "unable to find user"';
	}
	if (o.type === 'user') { return 'looks up a user of that name and stops at startup ("user … not found")'; }
	if (o.type === 'group') { return 'looks up a group of that name and stops at startup ("group … not found")'; }
	if (o.type === 'config_file') { return 'cannot load a file of that name and stops at startup ("realpath() of … failed")'; }
	if (o.type === 'ssl_socket' || o.type === 'https_spec') { return 'reads the comment into the key file (or the cipher list) and stops at startup ("[uwsgi-ssl] unable to assign key …")'; }
	return undefined;
}

const SEPARATED: Record<string, { readonly sep: string; readonly log: string; readonly form: string }> = {
	uwsgi_opt_set_placeholder: { sep: '=', log: 'invalid placeholder/--set value', form: 'name=value' },
	uwsgi_opt_add_custom_option: { sep: '=', log: 'invalid … syntax, must be newoption=template', form: 'newoption=template' },
	uwsgi_opt_static_map: { sep: '=', log: 'invalid document root in static map, syntax mountpoint=docroot', form: 'mountpoint=folder' },
	uwsgi_opt_add_dyn_dict: { sep: '=', log: 'invalid dictionary syntax', form: 'key=value' },
	uwsgi_opt_add_regexp_dyn_dict: { sep: ' ', log: 'invalid dictionary syntax', form: '<regexp> <value>' },
};

const ROUTE_KIND = (name: string): 'regexp' | 'status' | 'if' | 'run' | 'label' => {
	if (name.endsWith('-label')) { return 'label'; }
	if (name.endsWith('-if') || name.endsWith('-if-not')) { return 'if'; }
	if (name.endsWith('-run')) { return 'run'; }
	if (name.endsWith('-status')) { return 'status'; }
	return 'regexp';
};

/**
 * What stops uWSGI at startup when it reads `value` (the whole value, any comment included);
 * `cut` is where an inline comment starts (-1: none).
 */
export function startupProblem(o: UwsgiOptionData, value: string, cut: number, foreignPlugin = false): Problem | undefined {
	const commented = cut >= 0 ? ` The comment is part of the value: uWSGI has no inline comments.` : '';
	if (o.handler === 'uwsgi_opt_set_int' && readNumber(value).value < 0) {
		return error(`uWSGI refuses negative values here and stops at startup ("invalid value for option "${o.name}": must be > 0").`);
	}
	if (o.handler === 'uwsgi_opt_chmod_socket') {
		if (isValidChmodSocket(value)) { return undefined; }
		const octal = /^0([0-7]{3})$/.exec(value);
		return error(`uWSGI stops at startup with "invalid chmod value: ${value}": it takes exactly three octal digits (such as 660) or 1 (for 666).${commented}`, octal ? octal[1] : undefined);
	}
	if (o.handler === 'uwsgi_opt_logfile_chmod') {
		if (isValidLogfileChmod(value)) { return undefined; }
		const octal = /^0([0-7]{3})$/.exec(value);
		return error(`uWSGI stops at startup with "invalid chmod value: ${value}": it takes exactly three octal digits (such as 640).${commented}`, octal ? octal[1] : undefined);
	}
	const rule = UWSGI_VALUE_RULES[o.name];
	if (rule) {
		if (foreignPlugin && rule.fromPlugins) { return undefined; }
		const p = fixedValueProblem(rule, value);
		if (p?.code === Codes.uwsgiInvalidValue) { return cut >= 0 ? error(p.detail + commented) : p; }
		return undefined;
	}
	if (SERVER_SOCKET_HANDLERS.has(o.handler) || o.handler === 'uwsgi_opt_add_shared_socket') {
		const ssl = o.type === 'ssl_socket';
		if (ssl && value.split(',').length < 3) {
			return error(`an SSL socket is written "address,certificate,key": without them uWSGI stops at startup with "invalid https-socket syntax must be socket,crt,key".`);
		}
		const address = parseUwsgiAddress(value, ssl);
		if (!address) { return error('an empty socket stops uWSGI at startup ("invalid/empty uwsgi socket name").'); }
		if (isBrokenAutoIp(address)) {
			return error('with "*" uWSGI looks for the address of the first network interface, and on Linux it reads 1.0.0.0 there: the bind fails ("Cannot assign requested address") and uWSGI stops at startup. Write ":port" (every interface) or the address.', address.kind === 'tcp' ? `${address.host.slice(1)}:${address.port}` : undefined);
		}
	}
	if (o.handler === 'uwsgi_opt_https' && value.split(',').length < 3) {
		return error('the https router is written "address,certificate,key": without them uWSGI stops at startup with "invalid https syntax must be socket,crt,key".');
	}
	const sep = SEPARATED[o.handler] ?? (o.name === 'mount' ? { sep: '=', log: 'invalid mountpoint', form: 'mountpoint=app' } : undefined);
	if (sep && !value.includes(sep.sep)) {
		return error(`it is written "${sep.form}": without ${sep.sep === ' ' ? 'a blank' : `"${sep.sep}"`} uWSGI stops at startup with "${sep.log}".`);
	}
	if (o.handler === 'uwsgi_opt_add_route') {
		const kind = ROUTE_KIND(o.name);
		const p = kind === 'label' ? undefined : routeProblem(kind, value, a => foreignPlugin || UWSGI_ROUTE_ACTIONS.has(a), c => foreignPlugin || UWSGI_ROUTE_CONDITIONS.has(c));
		return p ? error(p) : undefined;
	}
	if (o.name === 'alarm') {
		const p = alarmProblem(value, t => foreignPlugin || UWSGI_ALARM_TYPES.has(t));
		return p ? error(p) : undefined;
	}
	if (UWSGI_STARTUP_HOOKS.has(o.name)) {
		const p = hookProblem(value, a => foreignPlugin || UWSGI_HOOK_ACTIONS.has(a));
		return p ? error(p) : undefined;
	}
	if (cut >= 0) {
		const exit = commentExit(o);
		if (exit) { return error(`uWSGI has no inline comments: it takes "${value}", comment included, ${exit}.`); }
	}
	return undefined;
}

function knownList(rule: FixedValueRule): string {
	return `${rule.values.slice(0, 12).map(v => `"${v}"`).join(', ')}${rule.values.length > 12 ? ', …' : ''}`;
}

/** A name checked against an option's fixed set (uWSGI_VALUE_RULES), as uWSGI compares it. */
export function fixedValueProblem(rule: FixedValueRule, value: string): Problem | undefined {
	const known = (name: string) => rule.values.includes(rule.ignoreCase ? name.toLowerCase() : name);
	if (rule.list) {
		const list = knownList(rule);
		const items = value.split(',').filter(x => x !== '');
		const unknown = items.filter(x => !known(x) && !(rule.numbers && /^\d+$/.test(x)));
		if (!unknown.length) { return undefined; }
		const names = unknown.map(x => `"${x}"`).join(', ');
		if (rule.unknown === 'exit') { return error(`no uWSGI knows the ${rule.what} ${names}: it stops at startup with "${rule.exitLog!.replace('{name}', unknown[0])}". Known: ${list}.`); }
		if (rule.exitWhenNoneKnown && unknown.length === items.length) { return error(`no uWSGI knows the ${rule.what} ${names}, and with none known it stops at startup with "${rule.exitWhenNoneKnown}". Known: ${list}.`); }
		return ignored(`no uWSGI knows the ${rule.what} ${names}: it logs "unknown" and leaves ${unknown.length === 1 ? 'it' : 'them'} out. Known: ${list}.`);
	}
	let name = value;
	let at = 0;
	if (rule.idPrefix) {
		const space = name.indexOf(' ');
		if (space > 0 && /^[A-Za-z0-9]+$/.test(name.slice(0, space))) {
			name = name.slice(space + 1);
			at = space + 1;
		}
	}
	if (rule.nameEnds) {
		let end = name.length;
		for (const c of rule.nameEnds) {
			const at = name.indexOf(c);
			if (at >= 0 && at < end) { end = at; }
		}
		name = name.slice(0, end);
	}
	if (known(name)) { return undefined; }
	// the closest known name, written where the unknown one is
	const guess = name ? closestMatches(rule.ignoreCase ? name.toLowerCase() : name, rule.values, 1)[0] : undefined;
	const replacement = guess !== undefined ? value.slice(0, at) + guess + value.slice(at + name.length) : undefined;
	const known2 = guess !== undefined ? `Did you mean "${guess}"?` : `Known: ${knownList(rule)}.`;
	if (rule.unknown === 'exit') {
		const stops = rule.inWorkers
			? `every worker stops as it starts ("${rule.exitLog!.replace('{name}', name)}"): without the master uWSGI exits, with it the master respawns them forever and nothing is served`
			: `it stops at startup with "${rule.exitLog!.replace('{name}', name)}"`;
		return error(`no uWSGI knows the ${rule.what} "${name}": ${stops}. ${known2}`, replacement);
	}
	if (rule.unknown === 'fallback') {
		return ignored(`no uWSGI knows the ${rule.what} "${name}": it uses "${rule.fallback}" instead. ${known2}`, replacement);
	}
	return ignored(`"${name}" is not a ${rule.what} uWSGI knows: it ignores the option. ${known2}`, replacement);
}

/** How uWSGI reads what the author wrote (the value before any inline comment), when that differs from what it says. */
function valueProblem(o: UwsgiOptionData, value: string, entry: IniEntryLine, foreignPlugin: boolean): Problem | undefined {
	if (NUMBER_TYPES.has(o.type)) { return numberProblem(o, value, entry.equals >= 0); }
	if (o.type === 'megabytes') {
		if (/^\d+(\.\d+)?$/.test(value)) { return undefined; }
		const n = readNumber(value);
		// `512M`, `512 MB`: uWSGI reads 512 megabytes, as meant
		if (!n.noDigits && /^\s*m(b|ib)?\s*$/i.test(n.junk)) { return undefined; }
		const g = /^\s*g(b|ib)?\s*$/i.test(n.junk) && !n.noDigits;
		return misread(g
			? `uWSGI reads ${n.value} megabytes, not ${n.value} gigabytes: the unit is ignored. Write ${n.value * 1024}.`
			: `"${value}" is not a number of megabytes: uWSGI reads ${n.noDigits ? '0' : n.value}.`, g ? String(n.value * 1024) : undefined);
	}
	if (o.name === 'umask') {
		const r = umaskReading(value);
		const meant = /^[0-7]+$/.test(value) ? parseInt(value, 8) & 0o777 : undefined;
		if (r.error) { return misread(`uWSGI takes at least three characters here: it logs "invalid umask: ${value}" and sets the mask to 000, so every file and socket it creates is writable by everyone.${meant !== undefined ? ` Write ${meant.toString(8).padStart(3, '0')}.` : ''}`, meant !== undefined ? meant.toString(8).padStart(3, '0') : undefined); }
		if (meant === r.mode) { return undefined; }
		const read = r.mode >= 0 && r.mode <= 0o777 ? r.mode.toString(8).padStart(3, '0') : 'a mask that is no octal mode';
		return misread(`uWSGI reads ${value.length === 3 ? 'the three characters' : 'the 2nd to 4th characters'} as octal digits: the mask is ${read}${meant !== undefined ? `, not ${meant.toString(8).padStart(3, '0')}` : ''}.`);
	}
	const rule = UWSGI_VALUE_RULES[o.name];
	if (rule && !(foreignPlugin && rule.fromPlugins)) { return fixedValueProblem(rule, value); }
	return undefined;
}

function numberProblem(o: UwsgiOptionData, value: string, hasEquals: boolean): Problem | undefined {
	const n = readNumber(value);
	// with 0 workers uWSGI starts in "no-workers" mode and serves nothing; elsewhere 0 only turns a feature off
	const isWorkers = o.name === 'workers' || o.name === 'processes';
	if (value === '') {
		const detail = `${hasEquals ? 'An empty value' : 'A key without a value'} reads as 0${isWorkers ? ': uWSGI starts with no workers and serves nothing' : ''}.`;
		return isWorkers ? error(detail) : misread(detail);
	}
	if (n.noDigits) {
		const sw = /^(true|false|on|off|yes|no)$/i.test(value) ? ' This option is a number, not a switch.' : '';
		const detail = `"${value}" is not a number: uWSGI reads it as 0${isWorkers ? ' and starts with no workers at all' : ''}.${sw}`;
		return isWorkers ? error(detail) : misread(detail);
	}
	if (n.negative) {
		// a negative int stops uWSGI (startupProblem); an unsigned one wraps around
		return o.type === 'int' ? undefined : misread(`"${value}" is negative: uWSGI reads it as an unsigned number and gets a huge value.`);
	}
	// 16-bit values are clamped; 65536 (64 KiB spelled out) loses one byte, which changes nothing
	if (o.type === 'uint16' && n.value > 65536) {
		return misread(`${n.value} is more than 65535: uWSGI uses 65535.`, '65535');
	}
	if (!n.junk) { return undefined; }
	const digits = value.slice(0, value.length - n.junk.length).trim();
	if (SECONDS.test(o.name)) {
		const seconds = timeSuffixSeconds(n.value, n.junk);
		if (seconds !== undefined) {
			// `30s`, `30 seconds`: uWSGI reads 30 seconds, as meant
			return seconds === n.value ? undefined : misread(`uWSGI ignores the unit "${n.junk.trim()}" and reads ${digits} seconds, not ${seconds}. Write ${seconds}.`, String(seconds));
		}
	}
	if (BYTES.test(o.name)) {
		if (/^\s*(b|bytes?)\s*$/i.test(n.junk)) { return undefined; }
		const bytes = sizeSuffixValue(n.value, n.junk);
		if (bytes !== undefined) {
			const meant = o.type === 'uint16' ? Math.min(bytes, 65535) : bytes;
			// a request buffer of a few bytes fails every request; any other size read as bytes still works
			return o.name === 'buffer-size' && n.value < MIN_REQUEST_BUFFER
				? error(`uWSGI ignores the unit "${n.junk.trim()}" and reads ${digits} bytes, not ${meant}: no request fits, every one fails with "invalid request block size". Write ${meant}.`, String(meant))
				: misread(`uWSGI ignores the unit "${n.junk.trim()}" and reads ${digits} bytes, not ${meant}. Write ${meant}.`, String(meant));
		}
	}
	if (/^\s+[a-z][a-z\s]*$/i.test(n.junk) && sizeSuffixValue(1, n.junk) === undefined && timeSuffixSeconds(1, n.junk) === undefined) {
		// `4 workers`, `1000 requests per worker`: words after the number, which is read as written
		return undefined;
	}
	return misread(`uWSGI reads only the leading number (${digits}) and ignores "${n.junk}".`, digits);
}
