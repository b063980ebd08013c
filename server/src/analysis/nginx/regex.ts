/**
 * A small reader of the PCRE regular expressions nginx uses (location, rewrite, if, map,
 * server_name, valid_referers): capturing groups (numbered and named), which characters a group
 * can match (can a capture hold a line break, a slash?), and nested unbounded quantifiers that
 * backtrack catastrophically. It never throws: text it cannot read is taken as "anything".
 */

interface Quant {
	readonly min: number;
	readonly max: number;
	readonly possessive: boolean;
}

type Atom =
	| { readonly kind: 'set'; readonly matches: (c: number) => boolean; quant?: Quant }
	| { readonly kind: 'zero'; quant?: Quant }
	| { readonly kind: 'group'; readonly capture?: Capture; readonly atomic: boolean; readonly lookaround: boolean; readonly alternatives: Atom[][]; readonly start: number; end: number; quant?: Quant };

export interface Capture {
	/** 1-based number, as $1 … $9 refer to it. */
	readonly index: number;
	readonly name?: string;
	/** Whether the group can match a string holding this character. */
	readonly canMatch: (c: number) => boolean;
}

export interface RegexInfo {
	readonly captures: readonly Capture[];
	/** A group with an unbounded quantifier around content that can repeat on its own: `(a+)+`, `(\w*)*`. */
	readonly catastrophic?: { readonly start: number; readonly end: number };
}

const LF = 10;
const ANY = (): boolean => true;

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isWord(c: number): boolean { return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; }
function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }

/** The set of one escape (`\d`, `\n`, `\x0a`, …), and how many characters it took after the backslash. */
function escapeSet(re: string, i: number): { matches: (c: number) => boolean; length: number; zero?: boolean } {
	const ch = re[i];
	switch (ch) {
		case 'd': return { matches: isDigit, length: 1 };
		case 'D': return { matches: c => !isDigit(c), length: 1 };
		case 'w': return { matches: isWord, length: 1 };
		case 'W': return { matches: c => !isWord(c), length: 1 };
		case 's': return { matches: isSpace, length: 1 };
		case 'S': return { matches: c => !isSpace(c), length: 1 };
		case 'h': return { matches: c => c === 32 || c === 9, length: 1 };
		case 'H': return { matches: c => c !== 32 && c !== 9, length: 1 };
		case 'v': case 'R': return { matches: c => c >= 10 && c <= 13, length: 1 };
		case 'V': case 'N': return { matches: c => c < 10 || c > 13, length: 1 };
		case 'n': return { matches: c => c === LF, length: 1 };
		case 'r': return { matches: c => c === 13, length: 1 };
		case 't': return { matches: c => c === 9, length: 1 };
		case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': return { matches: ANY, length: 1, zero: true };
		case 'x': {
			const braced = /^x\{([0-9a-fA-F]+)\}/.exec(re.slice(i));
			if (braced) { const v = parseInt(braced[1], 16); return { matches: c => c === v, length: braced[0].length }; }
			const hex = /^x([0-9a-fA-F]{1,2})/.exec(re.slice(i));
			if (hex) { const v = parseInt(hex[1], 16); return { matches: c => c === v, length: hex[0].length }; }
			return { matches: c => c === 0, length: 1 };
		}
		case 'p': case 'P': {
			const m = /^[pP](\{[^}]*\}|\w)/.exec(re.slice(i));
			// a Unicode property: \p{L} holds no line break, \P{L} may
			return { matches: ch === 'p' ? (c => c > 127) : ANY, length: m ? m[0].length : 1 };
		}
		case 'c': return { matches: c => c === ((re.charCodeAt(i + 1) || 64) ^ 64), length: 2 };
		case undefined: return { matches: c => c === 92, length: 0 };
		default: {
			if (ch >= '0' && ch <= '7') {
				const oct = /^[0-7]{1,3}/.exec(re.slice(i))![0];
				if (ch !== '0' && oct.length < 2) { return { matches: ANY, length: 1, zero: true }; } // a back-reference
				const v = parseInt(oct, 8);
				return { matches: c => c === v, length: oct.length };
			}
			if (ch >= '1' && ch <= '9') { return { matches: ANY, length: 1 }; }
			const v = ch.charCodeAt(0);
			return { matches: c => c === v, length: 1 };
		}
	}
}

/** A character class starting at `[` (index i): its set and the index after `]`. */
function readClass(re: string, i: number): { matches: (c: number) => boolean; next: number } {
	let j = i + 1;
	const negated = re[j] === '^';
	if (negated) { j++; }
	const parts: ((c: number) => boolean)[] = [];
	let first = true;
	let prev: number | undefined;
	while (j < re.length && (re[j] !== ']' || first)) {
		first = false;
		if (re.startsWith('[:', j)) {
			const end = re.indexOf(':]', j + 2);
			if (end > 0) {
				const name = re.slice(j + 2, end).replace(/^\^/, '');
				const neg = re[j + 2] === '^';
				const posix: Record<string, (c: number) => boolean> = { alpha: c => isWord(c) && !isDigit(c) && c !== 95, digit: isDigit, alnum: c => isWord(c) && c !== 95, space: isSpace, word: isWord, upper: c => c >= 65 && c <= 90, lower: c => c >= 97 && c <= 122, xdigit: c => isDigit(c) || /[a-fA-F]/.test(String.fromCharCode(c)) };
				const f = posix[name] ?? ANY;
				parts.push(neg ? (c => !f(c)) : f);
				j = end + 2;
				prev = undefined;
				continue;
			}
		}
		let code: number | undefined;
		if (re[j] === '\\') {
			const e = escapeSet(re, j + 1);
			j += 1 + e.length;
			if (e.zero) { continue; }
			// a single character escape can start a range
			const single = [...Array(128).keys()].filter(c => e.matches(c));
			if (single.length === 1 && !e.matches(200)) { code = single[0]; } else { parts.push(e.matches); prev = undefined; continue; }
		} else {
			code = re.charCodeAt(j);
			j++;
		}
		if (re[j] === '-' && prev === undefined && j + 1 < re.length && re[j + 1] !== ']') {
			// a range code-...
			let to: number;
			if (re[j + 1] === '\\') {
				const e = escapeSet(re, j + 2);
				const single = [...Array(256).keys()].find(c => e.matches(c));
				to = single ?? code;
				j += 2 + e.length;
			} else {
				to = re.charCodeAt(j + 1);
				j += 2;
			}
			const from = code;
			parts.push(c => c >= from && c <= to);
			continue;
		}
		const v = code;
		parts.push(c => c === v);
		prev = undefined;
	}
	const matches = (c: number) => parts.some(p => p(c));
	return { matches: negated ? (c => !matches(c)) : matches, next: j + 1 };
}

/** Reads a regex; never throws. */
export function readRegex(re: string): RegexInfo {
	const captures: Capture[] = [];
	let i = 0;
	let dotAll = false;
	let catastrophic: RegexInfo['catastrophic'];

	function readQuant(): Quant | undefined {
		const c = re[i];
		let q: Quant | undefined;
		if (c === '*') { q = { min: 0, max: Infinity, possessive: false }; i++; } else if (c === '+') { q = { min: 1, max: Infinity, possessive: false }; i++; } else if (c === '?') { q = { min: 0, max: 1, possessive: false }; i++; } else if (c === '{') {
			const m = /^\{(\d*)(,(\d*))?\}/.exec(re.slice(i));
			if (!m || (m[1] === '' && !m[2])) { return undefined; }
			q = { min: Number(m[1] || 0), max: m[2] ? (m[3] ? Number(m[3]) : Infinity) : Number(m[1]), possessive: false };
			i += m[0].length;
		}
		if (!q) { return undefined; }
		if (re[i] === '+') { i++; return { ...q, possessive: true }; }
		if (re[i] === '?') { i++; }
		return q;
	}

	function readAlternatives(depth: number): Atom[][] {
		const alts: Atom[][] = [[]];
		while (i < re.length) {
			const c = re[i];
			if (c === ')') {
				if (depth > 0) { return alts; }
				i++;
				continue;
			}
			if (c === '|') { alts.push([]); i++; continue; }
			const seq = alts[alts.length - 1];
			let atom: Atom;
			if (c === '(') {
				const start = i;
				i++;
				let capture: { name?: string } | undefined;
				let atomic = false;
				let lookaround = false;
				if (re[i] === '?') {
					const rest = re.slice(i);
					const named = /^\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
					if (named) {
						capture = { name: named[1] ?? named[2] };
						i += named[0].length;
					} else if (rest.startsWith('?#')) {
						const end = re.indexOf(')', i);
						i = end < 0 ? re.length : end + 1;
						continue;
					} else {
						const flags = /^\?([a-zA-Z-]*)(\)|:)/.exec(rest);
						if (flags) {
							const on = flags[1].split('-')[0];
							if (on.includes('s')) { dotAll = true; }
							i += flags[0].length;
							if (flags[2] === ')') { continue; }
						} else {
							atomic = rest.startsWith('?>');
							lookaround = /^\?(=|!|<=|<!)/.test(rest);
							const m = /^\?(>|=|!|<=|<!|\||P>\w+\)?|&\w+\)?|R\)?|\d+\)?)/.exec(rest);
							i += m ? m[0].length : 1;
						}
					}
				} else {
					capture = {};
				}
				let cap: Capture | undefined;
				let group: Atom;
				if (capture) {
					const index = captures.length + 1;
					// canMatch is filled in once the group is read
					let set: (c: number) => boolean = ANY;
					cap = { index, name: capture.name, canMatch: c => set(c) };
					captures.push(cap);
					const alternatives = readAlternatives(depth + 1);
					group = { kind: 'group', capture: cap, atomic, lookaround, alternatives, start, end: i };
					const g = group;
					set = c => canMatch(g, c);
				} else {
					const alternatives = readAlternatives(depth + 1);
					group = { kind: 'group', atomic, lookaround, alternatives, start, end: i };
				}
				if (re[i] === ')') { i++; }
				(group as { end: number }).end = i;
				atom = group;
			} else if (c === '[') {
				const cls = readClass(re, i);
				i = cls.next;
				atom = { kind: 'set', matches: cls.matches };
			} else if (c === '\\') {
				const e = escapeSet(re, i + 1);
				i += 1 + e.length;
				atom = e.zero ? { kind: 'zero' } : { kind: 'set', matches: e.matches };
			} else if (c === '.') {
				i++;
				const all = dotAll;
				atom = { kind: 'set', matches: ch => all || ch !== LF };
			} else if (c === '^' || c === '$') {
				i++;
				atom = { kind: 'zero' };
			} else {
				i++;
				const v = c.charCodeAt(0);
				atom = { kind: 'set', matches: ch => ch === v };
			}
			const q = readQuant();
			if (q) { (atom as { quant?: Quant }).quant = q; }
			seq.push(atom);
			if (atom.kind === 'group' && q && q.max === Infinity && !q.possessive && !atom.atomic && !catastrophic
				&& atom.alternatives.some(repeatsOnItsOwn)) {
				catastrophic = { start: atom.start, end: i };
			}
		}
		return alts;
	}

	try {
		readAlternatives(0);
	} catch {
		// unreadable: what was read so far stands
	}
	return { captures, catastrophic };
}

function canMatch(atom: Atom, c: number): boolean {
	if (atom.kind === 'zero') { return false; }
	if (atom.kind === 'set') { return atom.quant?.max !== 0 && atom.matches(c); }
	if (atom.lookaround) { return false; }
	return atom.alternatives.some(seq => seq.some(a => canMatch(a, c)));
}

/** An atom that can match a run of several characters, or nothing: `a+`, `\w*`, `(x+)`. */
function isUnbounded(a: Atom): boolean {
	if (a.quant?.max === Infinity) { return true; }
	return a.kind === 'group' && !a.quant && !a.atomic && a.alternatives.some(repeatsOnItsOwn);
}

/** A sequence whose every atom is optional or repeating, with one unbounded: it can split a run of input in many ways. */
function repeatsOnItsOwn(seq: readonly Atom[]): boolean {
	const real = seq.filter(a => a.kind !== 'zero' && !(a.kind === 'group' && a.lookaround));
	if (!real.length) { return false; }
	const flexible = (a: Atom) => !!a.quant && (a.quant.min === 0 || a.quant.max > 1) || isUnbounded(a);
	return real.every(flexible) && real.some(isUnbounded);
}

/** Capture of a `$N` or `$name` reference in the regex, if it has one. */
export function captureFor(info: RegexInfo, ref: string): Capture | undefined {
	if (/^\d$/.test(ref)) { return info.captures[Number(ref) - 1]; }
	return info.captures.find(c => c.name === ref);
}
