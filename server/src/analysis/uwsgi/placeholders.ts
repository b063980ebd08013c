/**
 * Placeholder names a set of ini files refers to with `%(name)`, including the names inside
 * `%(a + b)` expressions.
 */
import type { IniDocument } from '../../parser/ini/nodes';
import { Memo } from '../../utils/memo';

const NAME = /^[A-Za-z_][\w.-]*$/;
const referenced = new Memo<IniDocument, ReadonlySet<string>>();

/** The placeholder names one file refers to; worked out once per parsed tree. */
export function referencedPlaceholders(doc: IniDocument): ReadonlySet<string> {
	let names = referenced.get(doc);
	if (!names) {
		names = collectPlaceholders(doc);
		referenced.set(doc, names);
	}
	return names;
}

function collectPlaceholders(doc: IniDocument): Set<string> {
	const into = new Set<string>();
	const entries = doc.entries;
	for (let i = 0; i < entries.length; i++) {
		const refs = entries[i].refs;
		for (let j = 0; j < refs.length; j++) {
			const r = refs[j];
			if (r.kind !== 'placeholder') { continue; }
			if (!r.name.includes(' ')) {
				into.add(r.name);
				continue;
			}
			for (const token of r.name.split(/\s+/)) {
				if (NAME.test(token)) { into.add(token); }
			}
		}
	}
	return into;
}

const MAX_DEPTH = 16;

/**
 * The value of `%(name)` as uWSGI resolves it: the first option or placeholder with that key
 * anywhere in the file (later lines count too), `set`/`set-placeholder`/`set-ph` included,
 * with the references inside it expanded in turn. Undefined when nothing sets the name.
 */
export function resolvePlaceholder(doc: IniDocument, name: string, depth = 0): string | undefined {
	if (depth > MAX_DEPTH) { return undefined; }
	for (const e of doc.entries) {
		let raw: string | undefined;
		if (e.key.text === name) {
			raw = e.value.text;
		} else if ((e.key.text === 'set-placeholder' || e.key.text === 'set-ph' || e.key.text === 'set') && e.value.text.startsWith(name + '=')) {
			raw = e.value.text.slice(name.length + 1);
		}
		if (raw !== undefined) { return expandPlaceholders(doc, raw, depth + 1); }
	}
	return undefined;
}

/** Expands `%(..)` references (names and expressions) in a value; others stay as written. */
export function expandPlaceholders(doc: IniDocument, value: string, depth = 0): string {
	if (depth > MAX_DEPTH || !value.includes('%(')) { return value; }
	return value.replace(/%\(([^()]*)\)/g, (whole, inner: string) => {
		const v = inner.includes(' ') ? evaluateExpression(inner, n => resolvePlaceholder(doc, n, depth + 1)) : resolvePlaceholder(doc, inner, depth + 1);
		return v ?? whole;
	});
}

const OPERATORS = new Set(['+', '-', '*', '/']);

function toInt(s: string): bigint {
	const m = /^\s*[+-]?\d+/.exec(s);
	try {
		return m ? BigInt.asIntN(64, BigInt(m[0].trim())) : 0n;
	} catch {
		return 0n;
	}
}

/**
 * uWSGI's placeholder math: tokens split on blanks; numbers, names (their values, unknown = ""),
 * `+ - * /`, `++`, `--`; strictly left to right with no precedence; two values in a row are
 * joined as strings; division by zero gives 0; 64-bit integers.
 */
export function evaluateExpression(expr: string, lookup: (name: string) => string | undefined): string {
	let acc: string | undefined;
	let op: string | undefined;
	for (const t of expr.split(/\s+/).filter(Boolean)) {
		if (OPERATORS.has(t)) { op = t; continue; }
		if (t === '++' || t === '--') {
			acc = String(BigInt.asIntN(64, toInt(acc ?? '') + (t === '++' ? 1n : -1n)));
			continue;
		}
		const value = /^[+-]?\d+$/.test(t) ? t : lookup(t) ?? '';
		if (acc === undefined) {
			acc = value;
		} else if (op) {
			const a = toInt(acc);
			const b = toInt(value);
			const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : b === 0n ? 0n : a / b;
			acc = String(BigInt.asIntN(64, r));
			op = undefined;
		} else {
			acc += value;
		}
	}
	return acc ?? '';
}
