/**
 * How uWSGI's option handlers read values (core/uwsgi.c): strtol/strtoul for numbers, the
 * boolean rule of uwsgi_opt_true, the chmod-socket rule. Pure functions over strings.
 */

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
