/**
 * nginx-invalid-value: values of directives whose setter parses them in a fixed way
 * (ngx_conf_set_*_slot): on|off, numbers, sizes, offsets, times, enum and bitmask values.
 */
import type { NginxDirectiveData } from '../../data/types';
import type { NginxToken } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { applicableDefinitions, isUncheckable } from './fileContexts';

const TIME_MS_UNITS = new Set(['ms', 's', 'm', 'h', 'd', 'w']);
const TIME_S_UNITS = new Set(['s', 'm', 'h', 'd', 'w', 'M', 'y']);

/** ngx_parse_time: one or more `<number><unit>` parts, blanks allowed between; a bare number is seconds. */
export function isTime(value: string, units: ReadonlySet<string>): boolean {
	const parts = value.trim().split(/\s+/).join('');
	if (!parts) { return false; }
	const re = /(\d+)(ms|[a-zA-Z])?/y;
	let pos = 0;
	while (pos < parts.length) {
		re.lastIndex = pos;
		const m = re.exec(parts);
		if (!m) { return false; }
		pos = re.lastIndex;
		// a number without a unit counts as seconds; only the last part may omit the unit
		if (m[2] === undefined ? pos !== parts.length : !units.has(m[2])) { return false; }
	}
	return true;
}

export function isSize(value: string, withGiga: boolean): boolean {
	return withGiga ? /^\d+[kKmMgG]?$/.test(value) : /^\d+[kKmM]?$/.test(value);
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
			if (!/^\d+$/.test(first.value)) { return bad(first); }
			const n = Number(first.value);
			if (def.bounds && (n < def.bounds.low || (def.bounds.high !== -1 && n > def.bounds.high))) {
				return { token: first, detail: `${n} is out of range: it must be ${def.bounds.high === -1 ? `at least ${def.bounds.low}` : `between ${def.bounds.low} and ${def.bounds.high}`}.` };
			}
			return undefined;
		}
		case 'size':
			return isSize(first.value, false) ? undefined : bad(first);
		case 'offset':
			return isSize(first.value, true) ? undefined : bad(first);
		case 'time_ms':
			return isTime(first.value, TIME_MS_UNITS) ? undefined : bad(first, /\d+[My]$/.test(first.value) ? ' (months and years are not allowed here)' : '');
		case 'time_s':
			return isTime(first.value, TIME_S_UNITS) ? undefined : bad(first, /\d+ms$/.test(first.value) ? ' (milliseconds are not allowed here)' : '');
		case 'bufs':
			if (args.length !== 2) { return undefined; }
			if (!/^\d+$/.test(args[0].value) || args[0].value === '0') { return bad(args[0]); }
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

const CHECKED_TYPES = new Set(['flag', 'number', 'size', 'offset', 'time_ms', 'time_s', 'bufs', 'enum', 'bitmask']);

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

export function checkValues(ctx: NginxContext): void {
	for (const d of ctx.file.directives) {
		if (d.terminator === 'missing' || !d.args.length || isUncheckable(ctx, d)) { continue; }
		if ((d.name.value === 'allow' || d.name.value === 'deny') && d.args.length === 1) {
			const a = d.args[0];
			if (!a.value.includes('$') && !isAccessRule(a.value)) {
				ctx.report({ code: Codes.nginxInvalidValue, offset: a.offset, length: a.length, args: { name: d.name.value, detail: `"${a.value}" is not an address, a network such as 10.0.0.0/8, "unix:" or "all" (host names are not allowed): nginx stops with "invalid parameter".` } });
			}
			continue;
		}
		const defs = applicableDefinitions(ctx, d);
		// with several definitions in play (stream and http listen, third-party twins), only check when all agree
		if (!defs.length || !defs.every(x => CHECKED_TYPES.has(x.valueType) && x.origin !== 'third-party')) { continue; }
		const p = valueProblem(defs[0], d.args);
		if (!p || defs.some((def, i) => i > 0 && valueProblem(def, d.args) === undefined)) { continue; }
		ctx.report({ code: Codes.nginxInvalidValue, offset: p.token.offset, length: p.token.length, args: { name: d.name.value, detail: p.detail } });
	}
}
