/**
 * nginx-invalid-value: values of directives whose setter parses them in a fixed way
 * (ngx_conf_set_*_slot): on|off, numbers, sizes, offsets, times, enum and bitmask values.
 */
import type { NginxDirectiveData } from '../../data/types';
import { TERM_MISSING, type NginxToken, type NginxTree } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { nginxDirectivesById } from '../../data/nginxData';
import { CHECKED_TYPES, DIRECTIVE_IDS, directiveFacts, directiveId } from './facts';
import { runFacts } from './fileContexts';

const TIME_MS_UNITS = new Set(['ms', 's', 'm', 'h', 'd', 'w']);
const TIME_S_UNITS = new Set(['s', 'm', 'h', 'd', 'w', 'M', 'y']);

const MAX_INT = (1n << 63n) - 1n;
const TIME_STEPS: Readonly<Record<string, { step: number; scale: bigint }>> = {
	y: { step: 1, scale: 31536000n }, M: { step: 2, scale: 2592000n }, w: { step: 3, scale: 604800n }, d: { step: 4, scale: 86400n },
	h: { step: 5, scale: 3600n }, m: { step: 6, scale: 60n }, s: { step: 7, scale: 1n },
};

/**
 * ngx_parse_time, as 1.22 reads a time: `<number><unit>` parts with units in falling order (y M w d
 * h m s ms; a second-based time has no ms, a millisecond-based one no y or M), blanks after a
 * unit, a bare number at the end (seconds); no part and no total past 2^63 - 1 (in milliseconds
 * for a millisecond time). The value, or undefined when nginx refuses it.
 */
export function parseTime(value: string, isSec: boolean): bigint | undefined {
	const ST_MONTH = 2;
	const ST_MSEC = 8;
	const ST_SEC = 7;
	const ST_LAST = 9;
	let step = isSec ? 0 : ST_MONTH;
	let v = 0n;
	let total = 0n;
	let valid = false;
	let i = 0;
	while (i < value.length) {
		const c = value.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			v = v * 10n + BigInt(c - 48);
			if (v > MAX_INT) { return undefined; }
			valid = true;
			i++;
			continue;
		}
		const u = value[i++];
		let max: bigint;
		let scale: bigint;
		if (u === 'm' && value[i] === 's') {
			if (isSec || step >= ST_MSEC) { return undefined; }
			i++;
			step = ST_MSEC;
			max = MAX_INT;
			scale = 1n;
		} else if (u === ' ') {
			if (step >= ST_SEC) { return undefined; }
			step = ST_LAST;
			max = MAX_INT;
			scale = 1n;
		} else {
			const unit = TIME_STEPS[u];
			// y is only the first unit (step > start); the others only after a larger one
			if (!unit || (u === 'y' ? step > 0 : step >= unit.step)) { return undefined; }
			step = unit.step;
			max = MAX_INT / unit.scale;
			scale = unit.scale;
		}
		if (step !== ST_MSEC && !isSec) {
			scale *= 1000n;
			max /= 1000n;
		}
		if (v > max) { return undefined; }
		v *= scale;
		if (total > MAX_INT - v) { return undefined; }
		total += v;
		v = 0n;
		while (value[i] === ' ') { i++; }
	}
	if (!valid) { return undefined; }
	if (!isSec) {
		if (v > MAX_INT / 1000n) { return undefined; }
		v *= 1000n;
	}
	return total > MAX_INT - v ? undefined : total + v;
}

/** Whether nginx reads `value` as a time; `units` with "ms" for a millisecond time (ngx_parse_time with is_sec 0). */
export function isTime(value: string, units: ReadonlySet<string>): boolean {
	return parseTime(value, !units.has('ms')) !== undefined;
}

/** ngx_parse_size (with giga: ngx_parse_offset): digits and an optional unit, at most 2^63 - 1 before the unit's scale allows. */
export function isSize(value: string, withGiga: boolean): boolean {
	const m = (withGiga ? /^(\d+)([kKmMgG]?)$/ : /^(\d+)([kKmM]?)$/).exec(value);
	if (!m) { return false; }
	if (m[1].length < 10) { return true; }
	const u = m[2].toLowerCase();
	const scale = u === 'k' ? 1024n : u === 'm' ? 1048576n : u === 'g' ? 1073741824n : 1n;
	return BigInt(m[1]) <= MAX_INT / scale;
}

/** ngx_atoi: digits only, at most 2^63 - 1. */
export function isNumber(value: string): boolean {
	return /^\d+$/.test(value) && (value.length < 16 || BigInt(value) <= MAX_INT);
}

function tooLarge(v: string): string {
	return /^\d{16,}[kKmMgG]?$/.test(v) ? ' (it is too large)' : '';
}

/** Why a time nginx refuses is wrong, beyond "not a time" (empty when nothing more is to say). */
function timeWhy(v: string, isSec: boolean): string {
	if (!isSec && /\d+[My]/.test(v)) { return ' (months and years are not allowed here)'; }
	if (isSec && /\d+ms/.test(v)) { return ' (milliseconds are not allowed here)'; }
	if (/^\d[\d\w ]*$/.test(v) && /\d{16,}/.test(v)) { return ' (it is too large)'; }
	if (/^\d+[a-zA-Z]+.*\d+[a-zA-Z]+/.test(v)) { return ' (each unit once, from the largest to the smallest: 1h30m)'; }
	return '';
}

function describe(def: NginxDirectiveData): string {
	switch (def.valueType) {
		case 'flag': return '"on" or "off"';
		case 'number': return 'a whole number';
		case 'size': return 'a size such as 8k or 1m';
		case 'offset': return 'a size such as 8k, 1m or 1g';
		case 'time_ms': return 'a time such as 500ms, 30s, 5m or 1h';
		case 'time_s': return 'a time such as 30s, 5m, 1h or 1d';
		case 'bufs': return '"<number> <size>", such as 8 4k';
		default: return def.values ? `one of ${def.values.join(', ')}` : 'a valid value';
	}
}

/** Why a value is wrong for the definition, or undefined when it is fine. */
export function valueProblem(def: NginxDirectiveData, args: readonly NginxToken[]): { token: NginxToken; detail: string } | undefined {
	const bad = (token: NginxToken, why = '') => ({ token, detail: `"${token.value}" is not ${describe(def)}${why}.` });
	const first = args[0];
	if (!first) { return undefined; }
	switch (def.valueType) {
		case 'flag':
			return /^(on|off)$/i.test(first.value) ? undefined : bad(first);
		case 'number': {
			if (!isNumber(first.value)) { return bad(first, /^\d+$/.test(first.value) ? ' (it is too large)' : ''); }
			const n = Number(first.value);
			if (def.bounds && (n < def.bounds.low || (def.bounds.high !== -1 && n > def.bounds.high))) {
				return { token: first, detail: `${n} is out of range: it must be ${def.bounds.high === -1 ? `at least ${def.bounds.low}` : `between ${def.bounds.low} and ${def.bounds.high}`}.` };
			}
			return undefined;
		}
		case 'size':
			return isSize(first.value, false) ? undefined : bad(first, tooLarge(first.value));
		case 'offset':
			return isSize(first.value, true) ? undefined : bad(first, tooLarge(first.value));
		case 'time_ms':
			return isTime(first.value, TIME_MS_UNITS) ? undefined : bad(first, timeWhy(first.value, false));
		case 'time_s':
			return isTime(first.value, TIME_S_UNITS) ? undefined : bad(first, timeWhy(first.value, true));
		case 'bufs':
			if (args.length !== 2) { return undefined; }
			if (!isNumber(args[0].value) || args[0].value === '0') { return bad(args[0]); }
			return isSize(args[1].value, false) && !/^0+[kKmM]?$/.test(args[1].value) ? undefined : bad(args[1]);
		default:
			break;
	}
	if (def.values && (def.valueType === 'enum' || def.valueType === 'bitmask' || def.valuesKind)) {
		const allowed = new Set(def.values.map(v => v.toLowerCase()));
		const checked = def.valuesKind === 'bitmask' ? args : args.slice(0, 1);
		for (const t of checked) {
			if (!allowed.has(t.value.toLowerCase())) { return bad(t); }
		}
	}
	return undefined;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** `allow`/`deny` (ngx_http_access_module, ngx_stream_access_module): all, unix:, or an address with an optional mask. */
export function isAccessRule(value: string): boolean {
	if (value === 'all' || value === 'unix:') { return true; }
	const [addr, mask, extra] = value.split('/');
	if (extra !== undefined) { return false; }
	if (IPV4.test(addr)) { return mask === undefined || (/^\d+$/.test(mask) && Number(mask) <= 32); }
	if (addr.includes(':') && /^[0-9a-fA-F:.]+$/.test(addr)) { return mask === undefined || (/^\d+$/.test(mask) && Number(mask) <= 128); }
	return false;
}

const ALLOW = directiveId('allow');
const DENY = directiveId('deny');

/**
 * By directive id + 1: 1 when checkValues can have something to check (allow, deny, or a name with
 * a definition whose value type it reads), from the data tables once. The check reads only the
 * directives of these names, found through the by-name index (a pass over every directive of a
 * config of a thousand servers cost more than the checks: most are location, server, include, ...).
 */
const MAY_CHECK = new Uint8Array(DIRECTIVE_IDS + 1);
for (let id = 0; id < DIRECTIVE_IDS; id++) {
	if (id === ALLOW || id === DENY || nginxDirectivesById(id).some(x => CHECKED_TYPES.has(x.valueType) && x.origin !== 'third-party')) { MAY_CHECK[id + 1] = 1; }
}

export function checkValues(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const file = ctx.file;
	const t = file.tree;
	const text = file.text;
	const { ids, blockSet } = f;
	// the tree's arrays in locals: the calls in the loop would make V8 load them from the tree again on every turn
	const { dirArgc, dirTerm, dirParent, dirTok } = t;
	for (const d of f.byName.flagged(MAY_CHECK)) {
		const id = ids[d];
		const argc = dirArgc[d];
		if (argc === 0 || dirTerm[d] === TERM_MISSING) { continue; }
		const set = blockSet[dirParent[d]];
		if (set === 0) { continue; }
		if ((id === ALLOW || id === DENY) && argc === 1) {
			const a = file.token(dirTok[d] + 1);
			if (!a.value.includes('$') && !isAccessRule(a.value)) {
				const name = file.token(dirTok[d]).value;
				ctx.report({ code: Codes.nginxInvalidValue, offset: a.offset, length: a.length, args: { name, detail: `"${a.value}" is not an address, a network such as 10.0.0.0/8, "unix:" or "all" (host names are not allowed): nginx stops with "invalid parameter".` } });
			}
			continue;
		}
		// with several definitions in play (stream and http listen, third-party twins), only check when all agree
		let row = kinds[set];
		if (row === undefined || row[id] === 0) { row = learnKind(set, id); }
		const kind = row[id];
		if (kind === NOT_CHECKED || quickAccept(kind, kind >= LIST_FIRST ? lists[set][id] : undefined, text, t, dirTok[d] + 1, argc)) { continue; }
		const defs = directiveFacts(set, id).defs;
		const args = file.directive(d).args;
		const p = valueProblem(defs[0], args);
		if (!p || defs.some((def, i) => i > 0 && valueProblem(def, args) === undefined)) { continue; }
		ctx.report({ code: Codes.nginxInvalidValue, offset: p.token.offset, length: p.token.length, args: { name: file.token(dirTok[d]).value, detail: p.detail } });
	}
}

// Fast acceptance on the text of plain tokens (no quotes, no backslash): true only for values
// valueProblem accepts too; everything else goes the long way.

function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}

/** Index after the leading digits of [s, e). */
function digitsEnd(text: string, s: number, e: number): number {
	while (s < e && isDigit(text.charCodeAt(s))) { s++; }
	return s;
}

function lower(c: number): number {
	return c >= 65 && c <= 90 ? c + 32 : c;
}

/** `^\d+[kKmM]?$` (with giga: `[kKmMgG]`). */
function quickSize(text: string, s: number, e: number, withGiga: boolean): boolean {
	const k = digitsEnd(text, s, e);
	// long numbers may overflow: the long way
	if (k === s || k - s > 9) { return false; }
	if (k === e) { return true; }
	if (k + 1 !== e) { return false; }
	const u = lower(text.charCodeAt(k));
	return u === 107 || u === 109 || (withGiga && u === 103);
}

/** One `<number><unit>` part (or a bare number) whose unit is allowed. */
function quickTime(text: string, s: number, e: number, millis: boolean): boolean {
	const k = digitsEnd(text, s, e);
	if (k === s || k - s > 10) { return false; }
	if (k === e) { return true; }
	const u = text.charCodeAt(k);
	if (k + 1 === e) {
		// s m h d w, and M y for second-based times
		return u === 115 || u === 109 || u === 104 || u === 100 || u === 119 || (!millis && (u === 77 || u === 121));
	}
	return millis && k + 2 === e && u === 109 && text.charCodeAt(k + 1) === 115;
}

function equalsIgnoreCase(text: string, s: number, e: number, lowered: string): boolean {
	if (e - s !== lowered.length) { return false; }
	// from the end: listed values of one length mostly share a prefix (TLSv1.1, TLSv1.2, TLSv1.3),
	// so a mismatch shows at the first character read (this halved the time of ssl_protocols)
	for (let k = lowered.length - 1; k >= 0; k--) {
		if (lower(text.charCodeAt(s + k)) !== lowered.charCodeAt(k)) { return false; }
	}
	return true;
}

// What quickAccept checks for a directive in a context set, as a small number (from the first
// applicable definition, worked out once per set and id): the checks read it for every directive
// with a checked value, where reading the definition itself (data objects of many shapes) cost
// more than the check.
const NOT_CHECKED = 1;
const FLAG = 2;
const NUMBER = 3;
/** A number with bounds: the long way. */
const NUMBER_BOUNDED = 4;
const SIZE = 5;
const OFFSET = 6;
const TIME_MS = 7;
const TIME_S = 8;
const BUFS = 9;
/** No list of values to check: plain tokens pass. */
const ANY = 10;
/** The first argument is one of a list of values (lower-cased in `lists`); ALL_LISTED: every argument. */
const LIST_FIRST = 11;
const ALL_LISTED = 12;

/** By context set: per directive id its kind (0: not worked out yet), and for the LIST kinds the lower-cased values. */
const kinds: Uint8Array[] = [];
const lists: (readonly string[] | undefined)[][] = [];

function learnKind(set: number, id: number): Uint8Array {
	const row = (kinds[set] ??= new Uint8Array(DIRECTIVE_IDS));
	const facts = directiveFacts(set, id);
	row[id] = facts.valueChecked ? kindOf(facts.defs[0]) : NOT_CHECKED;
	if (row[id] >= LIST_FIRST) {
		// filled up front: a sparse row indexed by id would turn into a dictionary
		(lists[set] ??= new Array<readonly string[] | undefined>(DIRECTIVE_IDS).fill(undefined))[id] = facts.defs[0].values!.map(v => v.toLowerCase());
	}
	return row;
}

function kindOf(def: NginxDirectiveData): number {
	switch (def.valueType) {
		case 'flag': return FLAG;
		case 'number': return def.bounds ? NUMBER_BOUNDED : NUMBER;
		case 'size': return SIZE;
		case 'offset': return OFFSET;
		case 'time_ms': return TIME_MS;
		case 'time_s': return TIME_S;
		case 'bufs': return BUFS;
		default: break;
	}
	if (!(def.values && (def.valueType === 'enum' || def.valueType === 'bitmask' || def.valuesKind))) { return ANY; }
	return def.valuesKind === 'bitmask' ? ALL_LISTED : LIST_FIRST;
}

function quickAccept(kind: number, values: readonly string[] | undefined, text: string, t: NginxTree, first: number, argc: number): boolean {
	for (let k = first; k < first + argc; k++) {
		if (t.tokFlags[k] !== 0) { return false; }
	}
	const s = t.tokStart[first];
	const e = t.tokEnd[first];
	switch (kind) {
		case FLAG: return equalsIgnoreCase(text, s, e, 'on') || equalsIgnoreCase(text, s, e, 'off');
		case NUMBER: return digitsEnd(text, s, e) === e && e > s && e - s < 16;
		case NUMBER_BOUNDED: return false;
		case SIZE: return quickSize(text, s, e, false);
		case OFFSET: return quickSize(text, s, e, true);
		case TIME_MS: return quickTime(text, s, e, true);
		case TIME_S: return quickTime(text, s, e, false);
		case BUFS: {
			if (argc !== 2) { return true; }
			const s2 = t.tokStart[first + 1];
			const e2 = t.tokEnd[first + 1];
			const zero = e - s === 1 && text.charCodeAt(s) === 48;
			return e > s && e - s < 16 && digitsEnd(text, s, e) === e && !zero && quickSize(text, s2, e2, false) && text.charCodeAt(s2) !== 48;
		}
		case ANY: return true;
		default:
			break;
	}
	const last = kind === ALL_LISTED ? first + argc : first + 1;
	for (let k = first; k < last; k++) {
		let known = false;
		for (let v = 0; v < values!.length && !known; v++) { known = equalsIgnoreCase(text, t.tokStart[k], t.tokEnd[k], values![v]); }
		if (!known) { return false; }
	}
	return true;
}
