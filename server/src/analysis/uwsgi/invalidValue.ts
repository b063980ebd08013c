/**
 * uwsgi-invalid-value: a value uWSGI reads differently from what it says — a number that is not
 * one (`workers = four` reads as 0), a unit uWSGI ignores (`harakiri = 30s` reads as 30,
 * `buffer-size = 64k` as 64 bytes), a negative count (fatal), a chmod-socket mode that is not
 * three octal digits (fatal), a value outside a fixed set.
 */
import type { UwsgiOptionData } from '../../data/types';
import { UWSGI_FIXED_VALUES } from '../../data/uwsgiValues';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { optionEntries } from './entries';
import { inlineCommentAt } from './inlineComment';
import { isValidChmodSocket, readNumber, sizeSuffixValue, timeSuffixSeconds } from './values';

const NUMBER_TYPES = new Set(['int', 'uint64', 'uint16']);
/** Options whose value is a count of seconds. */
const SECONDS = /(^|-)(harakiri|timeout|lifetime|mercy|frequency|freq|interval|idle|delay)(-|$)/;
/** Options whose value is a size in bytes. */
const BYTES = /(^|-)(size|buffer|buffering|bufsize|limit-post|body-read-warning|max-vars|stacksize|memory)(-|$)/;

/** Below this, a buffer or size read as bytes cannot be what was meant (uWSGI's default buffer is 4096). */
const MIN_USEFUL_BYTES = 4096;


/** Payload for a quick fix that rewrites the value. */
export interface InvalidValueData {
	readonly replacement?: string;
}

interface Problem {
	readonly detail: string;
	readonly replacement?: string;
	/** uWSGI starts and serves anyway (it reads another number than written): a warning, not an error. */
	readonly harmless?: boolean;
}

export function checkInvalidValues(ctx: UwsgiContext): void {
	const all = optionEntries(ctx.doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option, dynamic } = all[i];
		if (dynamic || option.argument === 'none') { continue; }
		if (inlineCommentAt(option, entry.value.text) >= 0) { continue; }
		const problem = describeProblem(option, entry.value.text, entry.equals >= 0);
		if (!problem) { continue; }
		const span = entry.value.length ? entry.value : entry.key;
		const data: InvalidValueData = problem.replacement !== undefined ? { replacement: problem.replacement } : {};
		ctx.report({
			code: problem.harmless ? Codes.uwsgiMisreadNumber : Codes.uwsgiInvalidValue,
			offset: span.offset, length: span.length, args: { key: entry.key.text, detail: problem.detail }, data,
		});
	}
}

function describeProblem(o: UwsgiOptionData, value: string, hasEquals: boolean): Problem | undefined {
	if (NUMBER_TYPES.has(o.type)) { return numberProblem(o, value, hasEquals); }
	if (o.type === 'megabytes') {
		if (/^\d+(\.\d+)?$/.test(value)) { return undefined; }
		const n = readNumber(value);
		return { detail: `"${value}" is not a number of megabytes: uWSGI reads ${n.noDigits ? '0' : n.value}.`, harmless: true };
	}
	if (o.handler === 'uwsgi_opt_chmod_socket') {
		if (isValidChmodSocket(value)) { return undefined; }
		const octal = /^0([0-7]{3})$/.exec(value);
		return {
			detail: `uWSGI stops at startup with "invalid chmod value": it takes exactly three octal digits (such as 660) or 1 (for 666).`,
			replacement: octal ? octal[1] : undefined,
		};
	}
	if (o.type === 'octal_mode') {
		return /^[0-7]+$/.test(value) ? undefined : { detail: `"${value}" is not an octal mode such as 022.` };
	}
	const fixed = o.handler === 'uwsgi_opt_fileserve_mode' ? UWSGI_FIXED_VALUES[o.name] : undefined;
	if (fixed && !fixed.includes(value.toLowerCase())) {
		return { detail: `"${value}" is not one of ${fixed.map(v => `"${v}"`).join(', ')}.` };
	}
	return undefined;
}

function numberProblem(o: UwsgiOptionData, value: string, hasEquals: boolean): Problem | undefined {
	const n = readNumber(value);
	// with 0 workers uWSGI starts in "no-workers" mode and serves nothing; elsewhere 0 only turns a feature off
	const isWorkers = o.name === 'workers' || o.name === 'processes';
	if (value === '') {
		return { detail: `${hasEquals ? 'An empty value' : 'A key without a value'} reads as 0${isWorkers ? ': uWSGI starts with no workers and serves nothing' : ''}.`, harmless: !isWorkers };
	}
	if (n.noDigits) {
		const sw = /^(true|false|on|off|yes|no)$/i.test(value) ? ' This option is a number, not a switch.' : '';
		return { detail: `"${value}" is not a number: uWSGI reads it as 0${isWorkers ? ' and starts with no workers at all' : ''}.${sw}`, harmless: !isWorkers };
	}
	if (n.negative) {
		if (o.type === 'int') { return { detail: `uWSGI refuses negative values here and does not start ("must be > 0").` }; }
		return { detail: `"${value}" is negative: uWSGI reads it as an unsigned number and gets a huge value.` };
	}
	if (o.type === 'uint16' && n.value > 65535) {
		return { detail: `${n.value} is more than 65535: uWSGI uses 65535.`, replacement: '65535', harmless: true };
	}
	if (!n.junk) { return undefined; }
	const digits = value.slice(0, value.length - n.junk.length).trim();
	if (SECONDS.test(o.name)) {
		const seconds = timeSuffixSeconds(n.value, n.junk);
		if (seconds !== undefined) {
			return seconds === n.value
				? { detail: `uWSGI ignores "${n.junk.trim()}" and reads ${digits} seconds, as meant. Write the bare number.`, replacement: digits, harmless: true }
				: { detail: `uWSGI ignores the unit "${n.junk.trim()}" and reads ${digits} seconds, not ${seconds}. Write ${seconds}.`, replacement: String(seconds) };
		}
	}
	if (BYTES.test(o.name)) {
		const bytes = sizeSuffixValue(n.value, n.junk);
		if (bytes !== undefined) {
			const meant = o.type === 'uint16' ? Math.min(bytes, 65535) : bytes;
			// a few bytes where kilobytes were meant breaks every request; a large value read as bytes still works
			return n.value < MIN_USEFUL_BYTES
				? { detail: `uWSGI ignores the unit "${n.junk.trim()}" and reads ${digits} bytes, not ${meant}. Write ${meant}.`, replacement: String(meant) }
				: { detail: `uWSGI ignores the unit "${n.junk.trim()}" and reads ${digits} bytes.`, replacement: digits, harmless: true };
		}
	}
	return { detail: `uWSGI reads only the leading number (${digits}) and ignores "${n.junk}".`, replacement: digits, harmless: true };
}
