/**
 * How uWSGI's option handlers read values (core/uwsgi.c): strtol/strtoul for numbers, the
 * boolean rule of uwsgi_opt_true, the chmod-socket rule. Pure functions over strings.
 */

import type { UwsgiOptionData } from '../../data/types';

/** Values that uwsgi_opt_true reads as false (case-insensitive), plus exactly "0". */
const FALSE_WORDS = new Set(['false', 'off', 'no']);
/** Values a person writes to mean true. uWSGI takes anything else as true as well. */
const TRUE_WORDS = new Set(['true', 'on', 'yes', '1']);

export function readsAsFalse(value: string): boolean {
	return value === '0' || FALSE_WORDS.has(value.toLowerCase());
}

/** A value that reads clearly as a boolean (the empty value of a bare key is "true"). */
export function isClearBoolean(value: string): boolean {
	const v = value.toLowerCase();
	return v === '' || v === '0' || FALSE_WORDS.has(v) || TRUE_WORDS.has(v);
}

export interface NumberReading {
	/** What uWSGI stores. */
	readonly value: number;
	/** The text after the digits that strtol ignores ("s" of "30s"), or "" */
	readonly junk: string;
	/** No digits at all: strtol gives 0. */
	readonly noDigits: boolean;
	readonly negative: boolean;
}

/** strtol/strtoul in base 10: leading blanks, an optional sign, digits; the rest is ignored. */
export function readNumber(value: string): NumberReading {
	const m = /^[ \t]*([+-]?)(\d*)/.exec(value)!;
	const digits = m[2];
	if (!digits) { return { value: 0, junk: value, noDigits: true, negative: false }; }
	const n = Number(digits) * (m[1] === '-' ? -1 : 1);
	return { value: n, junk: value.slice(m[0].length), noDigits: false, negative: m[1] === '-' && n !== 0 };
}

/** chmod-socket takes `1` (mode 666) or exactly three octal digits; anything else is fatal. */
export function isValidChmodSocket(value: string): boolean {
	return value === '1' || /^[0-7]{3}$/.test(value);
}

/** Size units people write (`64k`, `1M`) that uWSGI's number options do not understand. */
export function sizeSuffixValue(n: number, junk: string): number | undefined {
	const unit = junk.trim().toLowerCase();
	const mult: Record<string, number> = { k: 1024, kb: 1024, m: 1024 * 1024, mb: 1024 * 1024, g: 1024 ** 3, gb: 1024 ** 3 };
	return unit in mult ? n * mult[unit] : undefined;
}

/** Time units people write (`30s`, `2m`): seconds they mean. */
export function timeSuffixSeconds(n: number, junk: string): number | undefined {
	const unit = junk.trim().toLowerCase();
	const mult: Record<string, number> = { s: 1, sec: 1, secs: 1, seconds: 1, m: 60, min: 60, mins: 60, minutes: 60, h: 3600 };
	return unit in mult ? n * mult[unit] : undefined;
}

/** logfile-chmod takes exactly three octal digits; anything else is fatal ("invalid chmod value"). */
export function isValidLogfileChmod(value: string): boolean {
	return /^[0-7]{3}$/.test(value);
}

/**
 * The mask `umask = …` sets (uwsgi_mode_t): three characters are read as octal digits; a longer
 * value uses its 2nd to 4th characters (`0022` is 022); a shorter one is an error uWSGI only logs
 * ("invalid umask"), setting the mask to 000. No character is checked to be a digit.
 */
export function umaskReading(value: string): { readonly mode: number; readonly error: boolean } {
	if (value.length < 3) { return { mode: 0, error: true }; }
	const d = value.length === 3 ? value.slice(0, 3) : value.slice(1, 4);
	let mode = 0;
	for (let i = 0; i < 3; i++) { mode = (mode << 3) + (d.charCodeAt(i) - 48); }
	return { mode, error: false };
}

/**
 * A route rule as core/routing.c reads it (uwsgi_opt_add_route): `<subject> <action>:<args>` —
 * the subject (a regular expression, a status, or for route-if `<condition>:<args>`) ends at the
 * first blank; `route-run` has only the action. Returns what makes uWSGI stop, or undefined.
 */
export function routeProblem(kind: 'regexp' | 'status' | 'if' | 'run', value: string, isAction: (name: string) => boolean, isCondition: (name: string) => boolean): string | undefined {
	let command = value;
	if (kind !== 'run') {
		const space = value.indexOf(' ');
		if (space < 0) { return 'a route needs a subject, a blank and an action ("^/path$ last:"): uWSGI stops at startup with "invalid route syntax".'; }
		if (kind === 'if') {
			const cond = value.slice(0, space);
			const colon = cond.indexOf(':');
			if (colon < 0) { return 'a route-if condition is written "<condition>:<arguments>": uWSGI stops at startup with "invalid route condition syntax".'; }
			const name = cond.slice(0, colon);
			if (!isCondition(name)) { return `no plugin of uWSGI has the route condition "${name}": uWSGI stops at startup with "unable to find "${name}" route condition".`; }
		}
		command = value.slice(space + 1);
	}
	const colon = command.indexOf(':');
	if (colon < 0) { return `the action "${command}" has no ":" (write "${command}:" when it takes no argument): uWSGI stops at startup with "invalid route syntax".`; }
	const action = command.slice(0, colon);
	if (!isAction(action)) { return `no plugin of uWSGI has the route action "${action}": uWSGI stops at startup with "unable to register route".`; }
	return undefined;
}

/** An alarm as core/alarm.c reads it: `<name> <type>:<arguments>`. */
export function alarmProblem(value: string, isType: (name: string) => boolean): string | undefined {
	const space = value.indexOf(' ');
	const colon = space < 0 ? -1 : value.indexOf(':', space + 1);
	if (colon < 0) { return `an alarm is written "<name> <type>:<arguments>" (such as "mail cmd:mail -s alarm admin@example.com"): uWSGI stops at startup with "invalid alarm syntax".`; }
	const type = value.slice(space + 1, colon);
	if (!isType(type)) { return `no plugin of uWSGI has the alarm type "${type}": uWSGI stops at startup with "invalid alarm".`; }
	return undefined;
}

/** A hook as core/hooks.c reads it: `<action>:<arguments>` (`!` before the action hides its arguments from the log). */
export function hookProblem(value: string, isAction: (name: string) => boolean): string | undefined {
	const colon = value.indexOf(':');
	if (colon < 0) { return 'a hook is written "<action>:<arguments>": uWSGI stops at startup with "invalid hook syntax, must be hook:args".'; }
	const action = value.slice(value.startsWith('!') ? 1 : 0, colon);
	if (!isAction(action)) { return `no plugin of uWSGI has the hook action "${action}": uWSGI stops at startup with "hook action not found: ${action}".`; }
	return undefined;
}

// ---- inline comments -------------------------------------------------------------------------

const COMMAND_TYPES = new Set(['command', 'cron_spec', 'keyval_spec', 'route_rule', 'legion_spec', 'string_list', 'custom_option_definition', 'action']);
const COMMAND_NAMES = /^(attach-|smart-attach-|exec-|hook-|call-|cron|unique-cron|legion-|route|final-route|error-route|response-route|log-format|logformat|log-req-encoder|log-encoder|print|declare-option|alarm|if-|for)/;

const commandLike = new Map<UwsgiOptionData, boolean>();

/**
 * Where an inline comment starts in an option's value (the blank before ` #`/` ;`), or -1.
 * uWSGI has no inline comments: the comment is part of the value. Command-like values (daemons,
 * hooks, cron, routes, log formats), where `;` and `#` belong to a shell or a rule, have none.
 */
export function inlineCommentAt(option: UwsgiOptionData, value: string): number {
	// no `#` or `;`: no comment (the common case, found without a regular expression)
	if (value.indexOf('#') < 0 && value.indexOf(';') < 0) { return -1; }
	let command = commandLike.get(option);
	if (command === undefined) {
		command = COMMAND_TYPES.has(option.type) || COMMAND_NAMES.test(option.name);
		commandLike.set(option, command);
	}
	if (command) { return -1; }
	const m = /[ \t]+[#;]/.exec(value);
	return m ? m.index : -1;
}
