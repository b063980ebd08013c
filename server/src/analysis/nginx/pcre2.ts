/**
 * Whether PCRE2 compiles a regular expression, and if not why and where: the checks
 * `pcre2_compile()` makes when nginx (1.22, linked with PCRE2 10.42) compiles the regex of a
 * location, server_name, if, map, rewrite, …, with the options nginx passes (none; case-
 * insensitive matching does not change what compiles). Written from PCRE2's documented
 * behaviour and checked against the real nginx on generated expressions
 * (test/integration/pcre2Differential.test.ts).
 *
 * It reads the pattern in three passes, as PCRE2 does, so the first error is the one PCRE2
 * reports:
 * 1. the start-of-pattern settings, `(*UTF)`, `(*LIMIT_MATCH=n)`, `(*CRLF)`, …;
 * 2. the syntax, left to right: escapes, classes, groups and their names, quantifiers, verbs,
 *    option settings, callouts, conditions (a list of items with groups marked);
 * 3. what needs the whole pattern: lookbehind branches of a fixed length (through the groups they
 *    call), references to groups and names that exist, `\K` outside lookarounds, and finally
 *    the number of branches of conditional groups.
 *
 * Not modelled: the size limit of the compiled code ("regular expression is too large", which
 * takes a pattern of tens of kilobytes or huge nested repeats) and the UTF-8 validity of a
 * pattern under (*UTF) (nginx's text is valid UTF-8 here). Both can only make us miss an error.
 */
import { PCRE2_OTHER_PROPERTIES, PCRE2_SCRIPTS } from '../../data/pcre2Properties';

/** PCRE2's compile error texts (pcre2_get_error_message), by error number, for those a pattern can reach. */
const MESSAGES: Readonly<Record<number, string>> = {
	101: '\\ at end of pattern',
	102: '\\c at end of pattern',
	103: 'unrecognized character follows \\',
	104: 'numbers out of order in {} quantifier',
	105: 'number too big in {} quantifier',
	106: 'missing terminating ] for character class',
	107: 'escape sequence is invalid in character class',
	108: 'range out of order in character class',
	109: 'quantifier does not follow a repeatable item',
	111: 'unrecognized character after (? or (?-',
	112: 'POSIX named classes are supported only within a class',
	113: 'POSIX collating elements are not supported',
	114: 'missing closing parenthesis',
	115: 'reference to non-existent subpattern',
	118: 'missing ) after (?# comment',
	119: 'parentheses are too deeply nested',
	122: 'unmatched closing parenthesis',
	124: 'missing closing parenthesis for condition',
	125: 'lookbehind assertion is not fixed length',
	126: 'a relative value of zero is not allowed',
	127: 'conditional subpattern contains more than two branches',
	128: 'assertion expected after (?( or (?(?C)',
	129: 'digit expected after (?+ or (?-',
	130: 'unknown POSIX class name',
	134: 'character code point value in \\x{} or \\o{} is too large',
	135: 'lookbehind is too complicated',
	136: '\\C is not allowed in a lookbehind assertion in UTF-8 mode',
	137: 'PCRE2 does not support \\F, \\L, \\l, \\N{name}, \\U, or \\u',
	138: 'number after (?C is greater than 255',
	139: 'closing parenthesis for (?C expected',
	141: 'unrecognized character after (?P',
	142: 'syntax error in subpattern name (missing terminator?)',
	143: 'two named subpatterns have the same name (PCRE2_DUPNAMES not set)',
	144: 'subpattern name must start with a non-digit',
	146: 'malformed \\P or \\p sequence',
	147: 'unknown property after \\P or \\p',
	148: 'subpattern name is too long (maximum 32 code units)',
	149: 'too many named subpatterns (maximum 10000)',
	150: 'invalid range in character class',
	151: 'octal value is greater than \\377 in 8-bit non-UTF-8 mode',
	154: 'DEFINE subpattern contains more than one branch',
	155: 'missing opening brace after \\o',
	157: '\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number',
	158: '(?R (recursive pattern call) must be followed by a closing parenthesis',
	160: '(*VERB) not recognized or malformed',
	161: 'subpattern number is too big',
	162: 'subpattern name expected',
	164: 'non-octal character in \\o{} (closing brace missing?)',
	165: 'different names for subpatterns of the same number are not allowed',
	166: '(*MARK) must have an argument',
	167: 'non-hex character in \\x{} (closing brace missing?)',
	168: '\\c must be followed by a printable ASCII character',
	169: '\\k is not followed by a braced, angle-bracketed, or quoted name',
	171: '\\N is not supported in a class',
	173: 'disallowed Unicode code point (>= 0xd800 && <= 0xdfff)',
	176: 'name is too long in (*MARK), (*PRUNE), (*SKIP), or (*THEN)',
	178: 'digits missing in \\x{} or \\o{} or \\N{U+}',
	179: 'syntax error or number too big in (?(VERSION condition',
	181: 'missing terminating delimiter for callout with string argument',
	182: 'unrecognized string delimiter follows (?C',
	187: 'lookbehind assertion is too long',
	193: '\\N{U+dddd} is supported only in Unicode (UTF) mode',
	194: 'invalid hyphen in option setting',
	195: '(*alpha_assertion) not recognized',
	197: 'too many capturing groups (maximum 65535)',
	198: 'atomic assertion expected after (?( or (?(?C)',
	199: '\\K is not allowed in lookarounds (but see PCRE2_EXTRA_ALLOW_LOOKAROUND_BSK)',
};

/** Why PCRE2 refuses a pattern: its error number (100 + n), its text, and where (in bytes of the UTF-8 pattern, and in characters of the string). */
export interface Pcre2Failure {
	readonly code: number;
	readonly message: string;
	/** Offset in code units (bytes), as PCRE2 reports it. */
	readonly byteOffset: number;
	/** The same place as an index into the pattern string. */
	readonly offset: number;
}

class Fail {
	constructor(readonly code: number, readonly at: number) {}
}

const MAX_GROUP = 65535;
const MAX_REPEAT = 65535;
const MAX_NAME = 32;
const MAX_NAMES = 10000;
const MAX_MARK = 255;
const NEST_LIMIT = 250;
const LOOKBEHIND_MAX = 65535;
const UNLIMITED = -1;

// options tracked while parsing (PCRE2's names)
const CASELESS = 1;
const MULTILINE = 2;
const DOTALL = 4;
const EXTENDED = 8;
const EXTENDED_MORE = 16;
const NO_AUTO_CAPTURE = 32;
const UNGREEDY = 64;
const DUPNAMES = 128;

type GroupKind = 'capture' | 'nocap' | 'atomic' | 'la' | 'lanot' | 'lana' | 'lb' | 'lbnot' | 'lbna' | 'sr'
	| 'condAssert' | 'condNumber' | 'condName' | 'condRNumber' | 'condRName' | 'condDefine' | 'condVersion';

type Item =
	| { readonly k: 'lit' | 'circ' | 'dollar' | 'dot' | 'class' | 'alt' | 'ket' | 'options' }
	| { readonly k: 'esc'; readonly e: string }
	| { readonly k: 'quant'; readonly min: number; readonly max: number }
	| { readonly k: 'open'; readonly g: GroupKind; readonly n: number; readonly name: string; readonly offset: number; ket: number }
	| { readonly k: 'backref' | 'recurse'; readonly n: number; readonly offset: number }
	| { readonly k: 'backrefName' | 'recurseName'; readonly name: string; readonly offset: number }
	| { readonly k: 'verb'; readonly v: string }
	| { readonly k: 'callout'; readonly offset: number };

const LIT: Item = { k: 'lit' };
const CLASS: Item = { k: 'class' };
const DOT: Item = { k: 'dot' };
const CIRC: Item = { k: 'circ' };
const DOLLAR: Item = { k: 'dollar' };
const ALT: Item = { k: 'alt' };
const KET: Item = { k: 'ket' };
const OPTIONS: Item = { k: 'options' };

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isLower(c: number): boolean { return c >= 97 && c <= 122; }
function isLetter(c: number): boolean { return isLower(c) || (c >= 65 && c <= 90); }
/** ctype_word of PCRE2's default (C locale) tables: ASCII letters, digits, underscore. */
function isWord(c: number): boolean { return isDigit(c) || isLetter(c) || c === 95; }
/** isspace() in the C locale. */
function isSpace(c: number): boolean { return c === 32 || (c >= 9 && c <= 13); }
function hexValue(c: number): number {
	if (isDigit(c)) { return c - 48; }
	const l = c | 0x20;
	return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Escapes with a meaning of their own (PCRE2's escapes table): a letter → its name, a character code, or 0 for those read further. */
const SIMPLE_ESCAPES: ReadonlyMap<number, string | number> = new Map<number, string | number>([
	...[...'ABCDEGHKNPQRSVWXZbdhkpsvwz'].map(ch => [ch.charCodeAt(0), ch] as [number, string]),
	[97, 7], [101, 27], [102, 12], [110, 10], [114, 13], [116, 9],
]);

/** The start-of-pattern settings, in PCRE2's order of trying them. */
const START_OPTIONS: readonly (readonly [string, 'utf' | 'limit' | 'nl' | 'other', string?])[] = [
	['UTF8)', 'utf'], ['UTF)', 'utf'], ['UCP)', 'other'], ['NOTEMPTY)', 'other'], ['NOTEMPTY_ATSTART)', 'other'], ['NO_AUTO_POSSESS)', 'other'],
	['NO_DOTSTAR_ANCHOR)', 'other'], ['NO_JIT)', 'other'], ['NO_START_OPT)', 'other'], ['LIMIT_HEAP=', 'limit'], ['LIMIT_MATCH=', 'limit'],
	['LIMIT_DEPTH=', 'limit'], ['LIMIT_RECURSION=', 'limit'], ['CR)', 'nl', 'cr'], ['LF)', 'nl', 'lf'], ['CRLF)', 'nl', 'crlf'], ['ANY)', 'nl', 'any'],
	['NUL)', 'nl', 'nul'], ['ANYCRLF)', 'nl', 'anycrlf'], ['BSR_ANYCRLF)', 'other'], ['BSR_UNICODE)', 'other'],
];

const VERBS: ReadonlyMap<string, { v: string; arg: number }> = new Map([
	['', { v: 'mark', arg: 1 }], ['MARK', { v: 'mark', arg: 1 }], ['ACCEPT', { v: 'accept', arg: -1 }], ['F', { v: 'fail', arg: -1 }],
	['FAIL', { v: 'fail', arg: -1 }], ['COMMIT', { v: 'commit', arg: 0 }], ['PRUNE', { v: 'prune', arg: 0 }], ['SKIP', { v: 'skip', arg: 0 }],
	['THEN', { v: 'then', arg: 0 }],
]);

const ALPHA_ASSERTIONS: ReadonlyMap<string, GroupKind> = new Map<string, GroupKind>([
	['pla', 'la'], ['plb', 'lb'], ['napla', 'lana'], ['naplb', 'lbna'], ['nla', 'lanot'], ['nlb', 'lbnot'],
	['positive_lookahead', 'la'], ['positive_lookbehind', 'lb'], ['non_atomic_positive_lookahead', 'lana'],
	['non_atomic_positive_lookbehind', 'lbna'], ['negative_lookahead', 'lanot'], ['negative_lookbehind', 'lbnot'],
	['atomic', 'atomic'], ['sr', 'sr'], ['asr', 'asr' as GroupKind], ['script_run', 'sr'], ['atomic_script_run', 'asr' as GroupKind],
]);

const POSIX_CLASSES: ReadonlySet<string> = new Set(['alpha', 'lower', 'upper', 'alnum', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'print', 'punct', 'space', 'word', 'xdigit']);

const CALLOUT_DELIMITERS: ReadonlyMap<number, number> = new Map([[96, 96], [39, 39], [34, 34], [94, 94], [37, 37], [35, 35], [36, 36], [123, 125]]);

interface NestSave { depth: number; reset: number; max: number; flags: number; options: number }
const NSF_RESET = 1;
const NSF_CONDASSERT = 2;
const NSF_ATOMICSR = 4;

interface NamedGroup { readonly name: string; readonly number: number; isdup: boolean }

/** The input as PCRE2 sees it: bytes (or code points under (*UTF)), with the byte offset of each (none: the index is the offset). */
interface Input {
	readonly u: readonly number[];
	readonly at: readonly number[] | undefined;
	readonly bytes: number;
	readonly utf: boolean;
}

/** The pattern's UTF-8 bytes (an ASCII pattern as its character codes, no encoder). */
function toBytes(pattern: string): ArrayLike<number> {
	for (let i = 0; i < pattern.length; i++) {
		if (pattern.charCodeAt(i) > 0x7f) { return new TextEncoder().encode(pattern); }
	}
	const out = new Array<number>(pattern.length);
	for (let i = 0; i < pattern.length; i++) { out[i] = pattern.charCodeAt(i); }
	return out;
}

function decode(bytes: ArrayLike<number>, from: number, utf: boolean): Input {
	if (!utf) {
		const u = new Array<number>(bytes.length - from);
		for (let i = from; i < bytes.length; i++) { u[i - from] = bytes[i]; }
		// offsets count from the start of the whole pattern
		return { u, at: from ? u.map((_, i) => i + from) : undefined, bytes: bytes.length, utf };
	}
	const u: number[] = [];
	const at: number[] = [];
	for (let i = from; i < bytes.length;) {
		const b = bytes[i];
		let cp = b;
		let n = 1;
		if (b >= 0xf0) { cp = b & 7; n = 4; } else if (b >= 0xe0) { cp = b & 15; n = 3; } else if (b >= 0xc0) { cp = b & 31; n = 2; }
		for (let k = 1; k < n; k++) { cp = (cp << 6) | ((bytes[i + k] ?? 0x80) & 63); }
		u.push(cp);
		at.push(i);
		i += n;
	}
	return { u, at, bytes: bytes.length, utf };
}

/** Byte offset → index in the pattern string. */
function charIndex(pattern: string, byteOffset: number): number {
	let bytes = 0;
	let i = 0;
	while (i < pattern.length && bytes < byteOffset) {
		const c = pattern.charCodeAt(i);
		if (c < 0x80) { bytes += 1; } else if (c < 0x800) { bytes += 2; } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < pattern.length) { bytes += 4; i++; } else { bytes += 3; }
		i++;
	}
	return i;
}

/** Escapes that stand for a character or a class and can be repeated (in or out of a class), or are anchors (\b \B). */
const SIMPLE_ESCAPED = new Uint8Array(128);
for (const ch of './-\\()[]{}*+?|^$dDwWsSntr') { SIMPLE_ESCAPED[ch.charCodeAt(0)] = 1; }

/**
 * The common shape, checked in one pass without allocating: literal characters, `.`, `^`, `$`,
 * `|`, plain and `(?:` groups, classes of plain characters and ascending ranges, the simplest
 * escapes, and quantifiers (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, lazy or possessive) after
 * something repeatable. True only for patterns PCRE2 compiles; anything else (false) goes to the
 * full check.
 */
function simplyValid(p: string): boolean {
	let depth = 0;
	let repeatable = false;
	for (let i = 0; i < p.length;) {
		const c = p.charCodeAt(i);
		if (c > 0x7e || c < 0x20) { return false; }
		switch (c) {
			case 92: { // \
				const n = p.charCodeAt(i + 1);
				if (!(n < 128 && SIMPLE_ESCAPED[n] === 1)) { return false; }
				repeatable = true;
				i += 2;
				continue;
			}
			case 40: // (
				if (p.charCodeAt(i + 1) === 63) {
					if (p.charCodeAt(i + 2) !== 58) { return false; }
					i += 2;
				}
				if (++depth > 200) { return false; }
				repeatable = false;
				i++;
				continue;
			case 41: // )
				if (depth-- === 0) { return false; }
				repeatable = true;
				i++;
				continue;
			case 124: case 94: case 36: // | ^ $
				repeatable = false;
				i++;
				continue;
			case 91: { // [
				let k = i + 1;
				// [: [. [= may start a POSIX class (refused outside a class)
				if (p.charCodeAt(k) === 58 || p.charCodeAt(k) === 46 || p.charCodeAt(k) === 61) { return false; }
				if (p.charCodeAt(k) === 94) { k++; }
				let first = true;
				let prev = -1;
				for (;;) {
					if (k >= p.length) { return false; }
					const x = p.charCodeAt(k);
					if (x === 93 && !first) { break; }
					if (x === 92 || x === 91 || x > 0x7e || x < 0x20) { return false; }
					if (x === 45 && prev >= 0 && k + 1 < p.length && p.charCodeAt(k + 1) !== 93) {
						const to = p.charCodeAt(k + 1);
						if (to === 92 || to === 91 || to > 0x7e || to < 0x20 || to < prev) { return false; }
						prev = -1;
						k += 2;
					} else {
						prev = x;
						k++;
					}
					first = false;
				}
				repeatable = true;
				i = k + 1;
				continue;
			}
			case 42: case 43: case 63: case 123: { // * + ? {
				if (!repeatable) { return false; }
				let k = i + 1;
				if (c === 123) {
					let min = 0;
					let digits = 0;
					while (k < p.length && p.charCodeAt(k) >= 48 && p.charCodeAt(k) <= 57) { min = min * 10 + p.charCodeAt(k++) - 48; digits++; }
					if (!digits || digits > 5) { return false; }
					if (p.charCodeAt(k) === 44) {
						k++;
						let max = 0;
						let maxDigits = 0;
						while (k < p.length && p.charCodeAt(k) >= 48 && p.charCodeAt(k) <= 57) { max = max * 10 + p.charCodeAt(k++) - 48; maxDigits++; }
						if (maxDigits > 5 || (maxDigits && max < min) || max > 65535) { return false; }
					}
					if (p.charCodeAt(k) !== 125 || min > 65535) { return false; }
					k++;
				}
				if (p.charCodeAt(k) === 63 || p.charCodeAt(k) === 43) { k++; }
				repeatable = false;
				i = k;
				continue;
			}
			case 125: case 93: case 35: // a lone } ] and # are literal, but keep them to the full check
				return false;
			default:
				repeatable = true;
				i++;
				continue;
		}
	}
	return depth === 0;
}

/** Compiles `pattern` as PCRE2 would; undefined when it compiles. */
export function pcre2Check(pattern: string): Pcre2Failure | undefined {
	if (simplyValid(pattern)) { return undefined; }
	const bytes = toBytes(pattern);
	try {
		checkBytes(bytes);
		return undefined;
	} catch (e) {
		if (!(e instanceof Fail)) { throw e; }
		return { code: e.code, message: MESSAGES[e.code] ?? `error ${e.code}`, byteOffset: e.at, offset: charIndex(pattern, e.at) };
	}
}

function checkBytes(bytes: ArrayLike<number>): void {
	// 1. start-of-pattern settings
	let skip = 0;
	let utf = false;
	let newline = 'lf';
	const ascii = (i: number) => (i < bytes.length ? String.fromCharCode(bytes[i]) : '');
	for (;;) {
		if (bytes.length - skip < 2 || bytes[skip] !== 40 || bytes[skip + 1] !== 42) { break; }
		let matched = false;
		for (const [name, kind, nl] of START_OPTIONS) {
			if (bytes.length - skip - 2 < name.length) { continue; }
			let same = true;
			for (let k = 0; k < name.length && same; k++) { same = ascii(skip + 2 + k) === name[k]; }
			if (!same) { continue; }
			matched = true;
			skip += name.length + 2;
			if (kind === 'utf') { utf = true; } else if (kind === 'nl') { newline = nl!; } else if (kind === 'limit') {
				let pp = skip;
				if (!(pp < bytes.length && isDigit(bytes[pp]))) { throw new Fail(160, pp); }
				let c = 0;
				while (pp < bytes.length && isDigit(bytes[pp])) {
					if (c > 4294967295 / 10 - 1) { break; }
					c = c * 10 + bytes[pp++] - 48;
				}
				if (bytes[pp++] !== 41) { throw new Fail(160, pp); }
				skip = pp;
			}
			break;
		}
		if (!matched) { break; }
	}
	const input = decode(bytes, skip, utf);
	// 2. the syntax
	const parsed = new Parser(input, newline).parse();
	// 3. what needs the whole pattern
	new Checker(input, parsed).run();
}

interface Parsed {
	readonly items: Item[];
	readonly names: NamedGroup[];
	readonly bracount: number;
	readonly hasLookbehind: boolean;
	readonly dupcapUsed: boolean;
	/** Offset of the first reference to each group 1-9 by \1 … \9 (PCRE2 keeps only the first). */
	readonly smallRefOffset: number[];
}

class Parser {
	private readonly u: readonly number[];
	private readonly end: number;
	private p = 0;
	private readonly items: Item[] = [];
	private readonly names: NamedGroup[] = [];
	private bracount = 0;
	private hasLookbehind = false;
	private dupcapUsed = false;
	private readonly smallRefOffset: number[] = new Array<number>(10).fill(-1);
	private options = 0;
	private nestDepth = 0;
	private readonly nests: NestSave[] = [];
	private okQuantifier = false;
	private metaQuantifier = false;

	constructor(private readonly input: Input, private readonly newline: string) {
		this.u = input.u;
		this.end = input.u.length;
	}

	/** Byte offset of position i (the end of the pattern past the last character). */
	private off(i: number): number {
		const at = this.input.at;
		return i < this.end ? (at ? at[i] : i) : this.input.bytes;
	}

	private fail(code: number, at = this.p): never {
		throw new Fail(code, this.off(at));
	}

	private char(i: number): number {
		return i < this.end ? this.u[i] : -1;
	}

	private push(item: Item): void {
		this.items.push(item);
	}

	private literal(): void {
		this.push(LIT);
		this.okQuantifier = true;
	}

	parse(): Parsed {
		let inescq = false;
		let inverbname = false;
		let verbStart = 0;
		let expectCondAssert = 0;
		while (this.p < this.end) {
			if (this.nestDepth > NEST_LIMIT) { this.fail(119); }
			const c = this.u[this.p++];
			if (inescq) {
				if (c === 92 && this.char(this.p) === 69) {
					inescq = false;
					this.p++;
				} else {
					if (expectCondAssert > 0) { this.fail(128, this.p - 1); }
					if (!inverbname) { this.literal(); }
					this.metaQuantifier = false;
				}
				continue;
			}
			if (inverbname) {
				// the name of a (*VERB:NAME): everything up to ")" is literal (no ALT_VERBNAMES in nginx)
				if (c === 41) {
					inverbname = false;
					if (this.off(this.p - 1) - this.off(verbStart) > MAX_MARK) { this.fail(176, this.p - 1); }
				}
				continue;
			}
			if (c === 92 && this.p < this.end && (this.u[this.p] === 81 || this.u[this.p] === 69)) {
				inescq = this.u[this.p] === 81;
				this.p++;
				continue;
			}
			if ((this.options & EXTENDED) !== 0) {
				if ((c < 256 && isSpace(c)) || c === 0x85 || (c | 1) === 0x200f || (c | 1) === 0x2029) { continue; }
				if (c === 35) {
					this.skipComment();
					continue;
				}
			}
			if (c === 40 && this.end - this.p >= 2 && this.u[this.p] === 63 && this.u[this.p + 1] === 35) {
				while (++this.p < this.end && this.u[this.p] !== 41) { /* the comment */ }
				if (this.p >= this.end) { this.fail(118); }
				this.p++;
				continue;
			}
			if (expectCondAssert > 0) {
				let ok = c === 40 && this.end - this.p >= 3 && (this.u[this.p] === 63 || this.u[this.p] === 42);
				if (ok) {
					if (this.u[this.p] === 42) {
						ok = isLower(this.u[this.p + 1]);
					} else {
						const n = this.u[this.p + 1];
						ok = n === 67 ? expectCondAssert === 2 : n === 61 || n === 33 ? true : n === 60 ? this.u[this.p + 2] === 61 || this.u[this.p + 2] === 33 : false;
					}
				}
				if (!ok) { this.fail(128, this.p - 1); }
			}
			const prevExpectCondAssert = expectCondAssert;
			expectCondAssert = 0;
			const prevOk = this.okQuantifier;
			const prevMeta = this.metaQuantifier;
			this.okQuantifier = false;
			this.metaQuantifier = false;
			if (prevMeta && (c === 63 || c === 43)) { continue; }
			switch (c) {
				case 92: this.escape(); break;
				case 94: this.push(CIRC); break;
				case 36: this.push(DOLLAR); break;
				case 46: this.push(DOT); this.okQuantifier = true; break;
				case 42: this.quantifier(prevOk, 0, UNLIMITED); break;
				case 43: this.quantifier(prevOk, 1, UNLIMITED); break;
				case 63: this.quantifier(prevOk, 0, 1); break;
				case 123: {
					const counts = this.repeatCounts(this.p, false);
					if (counts === undefined) {
						this.literal();
						break;
					}
					this.p = counts.next;
					this.quantifier(prevOk, counts.min, counts.max);
					break;
				}
				case 91: this.characterClass(); break;
				case 40: {
					const r = this.openParenthesis(prevExpectCondAssert);
					if (r.verbName) {
						inverbname = true;
						verbStart = this.p;
					}
					if (r.expectCondAssert !== undefined) { expectCondAssert = r.expectCondAssert; }
					break;
				}
				case 124: {
					const top = this.nests[this.nests.length - 1];
					if (top && top.depth === this.nestDepth && (top.flags & NSF_RESET) !== 0) {
						if (this.bracount > top.max) { top.max = this.bracount; }
						this.bracount = top.reset;
					}
					this.push(ALT);
					break;
				}
				case 41: {
					this.okQuantifier = true;
					const top = this.nests[this.nests.length - 1];
					if (top && top.depth === this.nestDepth) {
						this.options = (this.options & ~TRACKED) | top.options;
						if ((top.flags & NSF_RESET) !== 0 && top.max > this.bracount) { this.bracount = top.max; }
						if ((top.flags & NSF_CONDASSERT) !== 0) { this.okQuantifier = false; }
						if ((top.flags & NSF_ATOMICSR) !== 0) { this.push(KET); }
						this.nests.pop();
					}
					if (this.nestDepth === 0) { this.fail(122, this.p - 1); }
					this.nestDepth--;
					this.push(KET);
					break;
				}
				default:
					this.literal();
					break;
			}
		}
		if (inverbname) { this.fail(160); }
		if (this.nestDepth !== 0) { this.fail(114); }
		return { items: this.items, names: this.names, bracount: this.bracount, hasLookbehind: this.hasLookbehind, dupcapUsed: this.dupcapUsed, smallRefOffset: this.smallRefOffset };
	}

	/** After `#` in extended mode: up to and including the next newline. */
	private skipComment(): void {
		while (this.p < this.end) {
			const n = this.newlineLength(this.p);
			if (n) {
				this.p += n;
				return;
			}
			this.p++;
		}
	}

	private newlineLength(i: number): number {
		const c = this.u[i];
		switch (this.newline) {
			case 'lf': return c === 10 ? 1 : 0;
			case 'cr': return c === 13 ? 1 : 0;
			case 'nul': return c === 0 ? 1 : 0;
			case 'crlf': return c === 13 && this.u[i + 1] === 10 ? 2 : 0;
			case 'anycrlf': return c === 13 ? (this.u[i + 1] === 10 ? 2 : 1) : c === 10 ? 1 : 0;
			default: // any
				if (c === 13) { return this.u[i + 1] === 10 ? 2 : 1; }
				return c === 10 || c === 11 || c === 12 || c === 0x85 || c === 0x2028 || c === 0x2029 ? 1 : 0;
		}
	}

	/** `{n}`, `{n,}`, `{n,m}` from i (after `{`): the counts and where it ends, or undefined when it is no quantifier. Errors are thrown unless `probe`. */
	private repeatCounts(i: number, probe: boolean): { min: number; max: number; next: number } | undefined {
		let comma = false;
		for (let p = i; ; p++) {
			if (p >= this.end) { return undefined; }
			const c = this.u[p];
			if (isDigit(c)) { continue; }
			if (c === 125) { break; }
			if (c !== 44 || comma) { return undefined; }
			comma = true;
		}
		let p = i;
		const min = this.readCount(p);
		if (min.error !== undefined) {
			if (probe) { return undefined; }
			this.fail(min.error, min.next);
		}
		if (min.value === undefined) { return undefined; }
		p = min.next;
		let max: number;
		if (this.u[p] === 125) {
			p++;
			max = min.value;
		} else {
			p++;
			if (this.u[p] !== 125) {
				const m = this.readCount(p);
				if (m.error !== undefined) {
					if (probe) { return undefined; }
					this.fail(m.error, m.next);
				}
				if (m.value === undefined) { return undefined; }
				p = m.next;
				if (m.value < min.value) {
					if (probe) { return undefined; }
					this.fail(104, p);
				}
				max = m.value;
			} else {
				max = UNLIMITED;
			}
			p++;
		}
		return { min: min.value, max, next: p };
	}

	/** An unsigned count of a quantifier at i: its value (undefined: no digit), or error 105 past 65535 (at the digit after which it was too big). */
	private readCount(i: number): { value?: number; error?: number; next: number } {
		if (!isDigit(this.char(i))) { return { next: i }; }
		let n = 0;
		while (i < this.end && isDigit(this.u[i])) {
			n = n * 10 + this.u[i++] - 48;
			if (n > MAX_REPEAT) { return { error: 105, next: i }; }
		}
		return { value: n, next: i };
	}

	/**
	 * PCRE2's read_number at i: an optional sign (relative to `relativeTo` when that is >= 0),
	 * digits up to `max` (else `maxError`). The number, nothing (no digit there), or an error,
	 * with where reading stopped. Relative numbers: +n adds, -n counts back (0 is refused).
	 */
	private readNumber(i: number, relativeTo: number, max: number, maxError: number): { n?: number; error?: number; next: number } {
		let sign = 0;
		let limit = max;
		const start = i;
		if (relativeTo >= 0 && i < this.end) {
			if (this.u[i] === 43) { sign = 1; limit -= relativeTo; i++; } else if (this.u[i] === 45) { sign = -1; i++; }
		}
		if (i >= this.end || !isDigit(this.u[i])) { return { next: start }; }
		let n = 0;
		while (i < this.end && isDigit(this.u[i])) {
			n = n * 10 + this.u[i++] - 48;
			if (n > limit) { return { error: maxError, next: i }; }
		}
		if (relativeTo >= 0 && sign !== 0) {
			if (n === 0) { return { error: 126, next: i }; }
			if (sign > 0) { return { n: n + relativeTo, next: i }; }
			if (n > relativeTo) { return { error: 115, next: i }; }
			return { n: relativeTo + 1 - n, next: i };
		}
		return { n, next: i };
	}

	/** readNumber at p, moving p past it; an error is reported where reading stopped. */
	private number(relativeTo: number, max: number, maxError: number): number | undefined {
		const r = this.readNumber(this.p, relativeTo, max, maxError);
		if (r.error !== undefined) { this.fail(r.error, r.next); }
		this.p = r.next;
		return r.n;
	}

	private quantifier(prevOk: boolean, min: number, max: number): void {
		if (!prevOk) { this.fail(109, this.p - 1); }
		const last = this.items[this.items.length - 1];
		if (last && last.k === 'verb' && last.v === 'accept') {
			// PCRE2 wraps a quantified (*ACCEPT) in a group, which the quantifier then repeats
			this.items.pop();
			this.open('nocap');
			this.push(last);
			this.push(KET);
		}
		this.push({ k: 'quant', min, max });
		this.metaQuantifier = true;
	}

	/**
	 * An escape after `\` (p is past the backslash): a literal character (`literal`), a
	 * back reference (negative group number in `ref`), or the name of a special escape.
	 * `inClass`: inside a character class.
	 */
	private readEscape(inClass: boolean): { kind: 'char'; c: number } | { kind: 'ref'; n: number } | { kind: 'special'; e: string } {
		if (this.p >= this.end) { this.fail(101); }
		const c = this.u[this.p++];
		const simple = c < 128 ? SIMPLE_ESCAPES.get(c) : undefined;
		// outside 0-9, A-Z, a-z an escaped character is itself
		if (c < 48 || c > 122 || !(isDigit(c) || isLetter(c))) { return { kind: 'char', c }; }
		if (typeof simple === 'number') { return { kind: 'char', c: simple }; }
		if (typeof simple === 'string') {
			if (simple === 'N' && this.char(this.p) === 123) {
				const q = this.p + 1;
				if (this.end - q > 1 && this.u[q] === 85 && this.u[q + 1] === 43) {
					if (this.input.utf) {
						this.p = q + 1;
						return { kind: 'char', c: this.hexBraced() };
					}
					this.fail(193);
				}
				// \N{2,3} is \N quantified; anything else after \N{ is refused (a count error there too, but at the N)
				let counts: { min: number; max: number; next: number } | undefined;
				try {
					counts = this.repeatCounts(q, false);
				} catch (err) {
					if (err instanceof Fail) { this.fail(err.code); }
					throw err;
				}
				if (!counts) { this.fail(137); }
			}
			return { kind: 'special', e: simple };
		}
		switch (c) {
			case 70: case 108: case 76: case 117: case 85:
				this.fail(137);
				break;
			case 103: { // \g
				if (inClass) { return { kind: 'char', c }; }
				if (this.p >= this.end) { this.fail(157); }
				const next = this.u[this.p];
				if (next === 60 || next === 39) { return { kind: 'special', e: 'g' }; }
				let s: number | undefined;
				if (next === 123) {
					const r = this.readNumber(this.p + 1, this.bracount, MAX_GROUP, 161);
					// an error is reported at the "{"
					if (r.error !== undefined) { this.fail(r.error); }
					if (r.n === undefined) { return { kind: 'special', e: 'k' }; }
					if (r.next >= this.end || this.u[r.next] !== 125) { this.fail(157); }
					s = r.n;
					this.p = r.next + 1;
				} else {
					s = this.number(this.bracount, MAX_GROUP, 161);
					if (s === undefined) { this.fail(157); }
				}
				if (s <= 0) { this.fail(115); }
				return { kind: 'ref', n: s };
			}
			case 49: case 50: case 51: case 52: case 53: case 54: case 55: case 56: case 57: {
				if (!inClass) {
					const after = this.p;
					let i = this.p - 1;
					let n = 0;
					let tooBig = false;
					while (i < this.end && isDigit(this.u[i])) {
						n = n * 10 + this.u[i++] - 48;
						if (n > 214748363) { tooBig = true; break; }
					}
					if (!tooBig && (n < 10 || c >= 56 || n <= this.bracount)) {
						this.p = i;
						if (n > MAX_GROUP) { this.fail(161); }
						return { kind: 'ref', n };
					}
					this.p = after;
				}
				if (c >= 56) { return { kind: 'char', c }; }
				return { kind: 'char', c: this.octal(c) };
			}
			case 48:
				return { kind: 'char', c: this.octal(c) };
			case 111: { // \o{...}
				if (this.p >= this.end || this.u[this.p++] !== 123) {
					this.p--;
					this.fail(155);
				}
				if (this.p >= this.end || this.u[this.p] === 125) { this.fail(178); }
				let v = 0;
				let overflow = false;
				while (this.p < this.end && this.u[this.p] >= 48 && this.u[this.p] <= 55) {
					const d = this.u[this.p++];
					if (v === 0 && d === 48) { continue; }
					v = v * 8 + (d - 48);
					if (v > (this.input.utf ? 0x10ffff : 0xff)) { overflow = true; break; }
				}
				if (overflow) {
					while (this.p < this.end && this.u[this.p] >= 48 && this.u[this.p] <= 55) { this.p++; }
					this.fail(134);
				}
				if (this.p < this.end && this.u[this.p++] === 125) {
					if (this.input.utf && v >= 0xd800 && v <= 0xdfff) {
						this.p--;
						this.fail(173);
					}
					return { kind: 'char', c: v };
				}
				this.p--;
				this.fail(164);
				break;
			}
			case 120: { // \x
				if (this.char(this.p) === 123) { return { kind: 'char', c: this.hexBraced() }; }
				let v = 0;
				for (let k = 0; k < 2 && this.p < this.end && hexValue(this.u[this.p]) >= 0; k++) { v = v * 16 + hexValue(this.u[this.p++]); }
				return { kind: 'char', c: v };
			}
			case 99: { // \c
				if (this.p >= this.end) { this.fail(102); }
				let x = this.u[this.p];
				if (isLower(x)) { x -= 32; }
				if (x < 32 || x > 126) { this.fail(168); }
				this.p++;
				return { kind: 'char', c: x ^ 0x40 };
			}
			default:
				this.fail(103, this.p - 1);
		}
		return { kind: 'char', c };
	}

	/** `{hhh}` after \x (p at `{`; also \N{U+hhh} with p at `+`): the code point. */
	private hexBraced(): number {
		if (++this.p >= this.end || this.u[this.p] === 125) { this.fail(178); }
		let v = 0;
		let overflow = false;
		while (this.p < this.end && hexValue(this.u[this.p]) >= 0) {
			const d = hexValue(this.u[this.p++]);
			if (v === 0 && d === 0) { continue; }
			v = v * 16 + d;
			if (v > (this.input.utf ? 0x10ffff : 0xff)) { overflow = true; break; }
		}
		if (overflow) {
			while (this.p < this.end && hexValue(this.u[this.p]) >= 0) { this.p++; }
			this.fail(134);
		}
		if (this.p < this.end && this.u[this.p++] === 125) {
			if (this.input.utf && v >= 0xd800 && v <= 0xdfff) {
				this.p--;
				this.fail(173);
			}
			return v;
		}
		this.p--;
		this.fail(167);
	}

	/** Up to three octal digits starting with the digit `c` already read. */
	private octal(c: number): number {
		let v = c - 48;
		for (let k = 0; k < 2 && this.p < this.end && this.u[this.p] >= 48 && this.u[this.p] <= 55; k++) { v = v * 8 + this.u[this.p++] - 48; }
		if (!this.input.utf && v > 0xff) { this.fail(151); }
		return v;
	}

	/** `\` outside a class (p past the backslash). */
	private escape(): void {
		const r = this.readEscape(false);
		if (r.kind === 'char') {
			this.literal();
			return;
		}
		if (r.kind === 'ref') {
			const offset = this.off(this.p) - 1;
			if (r.n < 10 && this.smallRefOffset[r.n] < 0) { this.smallRefOffset[r.n] = offset; }
			this.push({ k: 'backref', n: r.n, offset });
			this.okQuantifier = true;
			return;
		}
		const e = r.e;
		switch (e) {
			case 'C': case 'X': case 'H': case 'h': case 'N': case 'R': case 'V': case 'v':
			case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
				this.okQuantifier = true;
				this.push({ k: 'esc', e });
				return;
			case 'p': case 'P':
				this.property();
				this.push({ k: 'esc', e });
				this.okQuantifier = true;
				return;
			case 'g': case 'k': {
				const next = this.char(this.p);
				if (next !== 123 && next !== 60 && next !== 39) { this.fail(e === 'g' ? 157 : 169); }
				const terminator = next === 60 ? 62 : next === 39 ? 39 : 125;
				if (e === 'g' && terminator !== 125) {
					// a number is a call by number; its errors are reported at the "<"
					const r = this.readNumber(this.p + 1, this.bracount, MAX_GROUP, 161);
					if (r.error !== undefined) { this.fail(r.error); }
					if (r.n !== undefined) {
						if (r.next >= this.end || this.u[r.next] !== terminator) { this.fail(157); }
						this.p = r.next;
						this.recursion(r.n);
						return;
					}
				}
				const name = this.readName(terminator);
				this.push({ k: e === 'k' || terminator === 125 ? 'backrefName' : 'recurseName', name: name.name, offset: name.offset });
				this.okQuantifier = true;
				return;
			}
			default: // \A \B \b \G \K \Z \z, \E \Q (handled before)
				this.push({ k: 'esc', e });
				return;
		}
	}

	/** A call (?n) / \g<n>: p at its closing character. */
	private recursion(n: number): void {
		const offset = this.off(this.p);
		this.p++;
		this.push({ k: 'recurse', n, offset });
		this.okQuantifier = true;
	}

	/** \p / \P after the letter: the property, as get_ucp reads it (code unit by code unit, also under (*UTF)). */
	private property(): void {
		// the rest of the pattern as code units, and the byte offset where it starts
		const units = this.input.utf ? [...new TextEncoder().encode(String.fromCodePoint(...this.u.slice(this.p)))] : this.u.slice(this.p);
		const base = this.off(this.p);
		let q = 0;
		const fail = (code: number): never => { throw new Fail(code, base + q); };
		if (q >= units.length) { fail(146); }
		let c = units[q++];
		let name = '';
		let split = -1;
		if (c === 123) {
			if (q >= units.length) { fail(146); }
			if (units[q] === 94) { q++; }
			let closed = false;
			for (let i = 0; i < 49; i++) {
				if (q >= units.length) { fail(146); }
				c = units[q++];
				while (c === 95 || c === 45 || (c < 256 && isSpace(c))) {
					if (q >= units.length) { fail(146); }
					c = units[q++];
				}
				if (c === 0) { fail(146); }
				if (c === 125) { closed = true; break; }
				const ch = c >= 65 && c <= 90 ? c + 32 : c;
				if ((c === 58 || c === 61) && split < 0) { split = name.length; }
				name += String.fromCharCode(ch);
			}
			if (!closed) { fail(146); }
		} else if (c < 128 && isLetter(c)) {
			name = String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
		} else {
			fail(146);
		}
		// past the property: back to a position in characters (it ended on "}" or an ASCII letter)
		let k = this.p;
		while (k < this.end && this.off(k) < base + q) { k++; }
		this.p = k;
		if (split >= 0) {
			const kind = name.slice(0, split);
			const value = name.slice(split + 1);
			if (kind === 'bidiclass' || kind === 'bc') {
				if (!PCRE2_OTHER_PROPERTIES.has(`bidi${value}`) && !PCRE2_SCRIPTS.has(`bidi${value}`)) { this.fail(147); }
				return;
			}
			if (kind === 'script' || kind === 'sc' || kind === 'scriptextensions' || kind === 'scx') {
				if (!PCRE2_SCRIPTS.has(value)) { this.fail(147); }
				return;
			}
			this.fail(147);
		}
		if (!PCRE2_SCRIPTS.has(name) && !PCRE2_OTHER_PROPERTIES.has(name)) { this.fail(147); }
	}

	/**
	 * A group or verb name (PCRE2's read_name): p at the character before it (`*` for a verb or
	 * alpha assertion); for a group name the terminator must follow and is skipped.
	 */
	private readName(terminator: number): { name: string; offset: number } {
		const group = this.u[this.p] !== 42;
		if (++this.p >= this.end) { this.fail(group ? 162 : 160); }
		const start = this.p;
		if (this.input.utf && group) {
			const first = this.u[this.p];
			if (isUnicodeDigit(first)) { this.fail(144); }
			while (this.p < this.end && (isUnicodeDigit(this.u[this.p]) || isUnicodeLetter(this.u[this.p]) || this.u[this.p] === 95)) { this.p++; }
		} else {
			if (group && isDigit(this.u[this.p])) { this.fail(144); }
			while (this.p < this.end && this.u[this.p] < 256 && isWord(this.u[this.p])) { this.p++; }
		}
		if (this.off(this.p) - this.off(start) > MAX_NAME) { this.fail(148); }
		const name = String.fromCodePoint(...this.u.slice(start, this.p));
		if (group) {
			if (this.p === start) { this.fail(162); }
			if (this.p >= this.end || this.u[this.p] !== terminator) { this.fail(142); }
			this.p++;
		}
		return { name, offset: this.off(start) };
	}

	private pushNest(flags: number): NestSave {
		const save: NestSave = { depth: this.nestDepth, reset: 0, max: 0, flags, options: this.options & TRACKED };
		this.nests.push(save);
		return save;
	}

	private open(g: GroupKind, n = 0, name = '', offset = 0): void {
		this.push({ k: 'open', g, n, name, offset, ket: -1 });
	}

	private newCapture(): number {
		if (this.bracount >= MAX_GROUP) { this.fail(197); }
		return ++this.bracount;
	}

	/** `(` (p past it). */
	private openParenthesis(prevExpectCondAssert: number): { verbName?: boolean; expectCondAssert?: number; callout?: boolean } {
		if (this.p >= this.end) { this.fail(114); }
		if (this.u[this.p] !== 63) {
			if (this.u[this.p] !== 42) {
				this.nestDepth++;
				if ((this.options & NO_AUTO_CAPTURE) === 0) {
					this.open('capture', this.newCapture());
				} else {
					this.open('nocap');
				}
				return {};
			}
			// (* at the end or before ")": nothing here, the "*" then quantifies nothing
			if (this.end - this.p <= 1 || this.u[this.p + 1] === 41) { return {}; }
			if (isLower(this.u[this.p + 1])) { return this.alphaAssertion(prevExpectCondAssert); }
			return this.verb();
		}
		if (++this.p >= this.end) { this.fail(114); }
		const c = this.u[this.p];
		switch (c) {
			case 80: { // (?P
				if (++this.p >= this.end) { this.fail(114); }
				const n = this.u[this.p];
				if (n === 60) { this.defineName(62); return {}; }
				if (n === 62) { this.recurseByName(); return {}; }
				if (n !== 61) { this.fail(141); }
				const name = this.readName(41);
				this.push({ k: 'backrefName', name: name.name, offset: name.offset });
				this.okQuantifier = true;
				return {};
			}
			case 82: // (?R)
				this.p++;
				if (this.p >= this.end || this.u[this.p] !== 41) { this.fail(158); }
				this.recursion(0);
				return {};
			case 43:
				if (this.end - this.p < 2 || !isDigit(this.u[this.p + 1])) { this.fail(129); }
				this.recursionByNumber();
				return {};
			case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 55: case 56: case 57:
				this.recursionByNumber();
				return {};
			case 38:
				this.recurseByName();
				return {};
			case 67: // (?C callout
				return this.callout(prevExpectCondAssert);
			case 40: // (?( condition
				this.condition();
				return this.lastCondAssert ? { expectCondAssert: 2 } : {};
			case 62: // (?> atomic
				this.open('atomic');
				this.nestDepth++;
				this.p++;
				return {};
			case 61: this.p++; this.assertion('la', prevExpectCondAssert); return {};
			case 42: this.p++; this.assertion('lana', prevExpectCondAssert); return {};
			case 33: this.p++; this.assertion('lanot', prevExpectCondAssert); return {};
			case 60: {
				const n = this.char(this.p + 1);
				if (this.end - this.p <= 1 || (n !== 61 && n !== 33 && n !== 42)) {
					this.defineName(62);
					return {};
				}
				this.lookbehind(n === 61 ? 'lb' : n === 33 ? 'lbnot' : 'lbna', prevExpectCondAssert);
				return {};
			}
			case 39:
				this.defineName(39);
				return {};
			default:
				if (c === 45 && this.end - this.p > 1 && isDigit(this.u[this.p + 1])) {
					this.recursionByNumber();
					return {};
				}
				this.optionsOrReset();
				return {};
		}
	}

	private lastCondAssert = false;

	/** After `(?(`: the condition (p at its first character). */
	private condition(): void {
		this.lastCondAssert = false;
		if (++this.p >= this.end) { this.fail(114); }
		this.nestDepth++;
		const c = this.u[this.p];
		if (c === 63 || c === 42) {
			this.open('condAssert');
			this.p--;
			this.lastCondAssert = true;
			return;
		}
		const n = this.number(this.bracount, MAX_GROUP, 161);
		if (n !== undefined) {
			if (n <= 0) { this.fail(115); }
			this.open('condNumber', n, '', this.off(this.p) - 2);
		} else if (this.end - this.p >= 10 && this.matches(this.p, 'VERSION') && this.u[this.p + 7] !== 41) {
			this.p += 7;
			if (this.u[this.p] === 62) { this.p++; }
			if (this.u[this.p] !== 61) { this.fail(179); }
			this.p++;
			if (!isDigit(this.char(this.p))) { this.fail(179); }
			const major = this.number(-1, 1000, 179);
			if (major === undefined) { this.fail(179); }
			if (this.p >= this.end) { this.fail(179); }
			if (this.u[this.p] === 46) {
				if (++this.p >= this.end || !isDigit(this.u[this.p])) { this.fail(179); }
				this.p++;
				if (this.p >= this.end) { this.fail(179); }
				if (isDigit(this.u[this.p])) { this.p++; }
				if (this.p >= this.end || this.u[this.p] !== 41) { this.fail(179); }
			}
			this.open('condVersion');
		} else {
			let terminator = 41;
			let rAmpersand = false;
			if (c === 82 && this.end - this.p > 1 && this.u[this.p + 1] === 38) {
				rAmpersand = true;
				this.p++;
			} else if (c === 60) {
				terminator = 62;
			} else if (c === 39) {
				terminator = 39;
			} else {
				this.p--;
			}
			const name = this.readName(terminator);
			if (rAmpersand) {
				this.open('condRName', 0, name.name, name.offset);
				this.p--;
			} else if (terminator === 41) {
				if (name.name === 'DEFINE') {
					this.open('condDefine', 0, name.name, name.offset);
				} else {
					const rnumber = name.name.startsWith('R') && /^R\d*$/.test(name.name);
					this.open(rnumber ? 'condRNumber' : 'condName', 0, name.name, name.offset);
				}
				this.p--;
			} else {
				this.open('condName', 0, name.name, name.offset);
			}
		}
		if (this.p >= this.end || this.u[this.p] !== 41) { this.fail(124); }
		this.p++;
	}

	private matches(i: number, text: string): boolean {
		for (let k = 0; k < text.length; k++) {
			if (this.u[i + k] !== text.charCodeAt(k)) { return false; }
		}
		return true;
	}

	/** (?n) (?+n) (?-n) with p at the first character of the number. */
	private recursionByNumber(): void {
		const relative = isDigit(this.u[this.p]) ? -1 : this.bracount;
		const n = this.number(relative, MAX_GROUP, 161);
		if (n === undefined) { this.fail(114); }
		if (n < 0) { this.fail(115, this.p - 1); }
		if (this.p >= this.end || this.u[this.p] !== 41) { this.fail(114); }
		this.recursion(n);
	}

	/** (?&name) / (?P>name) with p at the character before the name. */
	private recurseByName(): void {
		const name = this.readName(41);
		this.push({ k: 'recurseName', name: name.name, offset: name.offset });
		this.okQuantifier = true;
	}

	/** A named group (?<name> (?'name' (?P<name> with p at the character before the name. */
	private defineName(terminator: number): void {
		const name = this.readName(terminator);
		const n = this.newCapture();
		this.open('capture', n, name.name);
		this.nestDepth++;
		if (this.names.length >= MAX_NAMES) { this.fail(149); }
		let isdup = false;
		for (const g of this.names) {
			if (g.name === name.name) {
				if (g.number === n) { return; }
				if ((this.options & DUPNAMES) === 0) { this.fail(143); }
				isdup = g.isdup = true;
			} else if (g.number === n) {
				this.fail(165);
			}
		}
		this.names.push({ name: name.name, number: n, isdup });
	}

	private assertion(g: GroupKind, prevExpectCondAssert: number): void {
		this.open(g);
		this.nestDepth++;
		if (prevExpectCondAssert > 0) { this.pushNest(NSF_CONDASSERT); }
	}

	/** (?<= (?<! (?<* with p at `<` (or an alpha lookbehind with p at the character before its `:`). */
	private lookbehind(g: GroupKind, prevExpectCondAssert: number): void {
		this.hasLookbehind = true;
		this.open(g, 0, '', this.off(this.p) - 2);
		this.p += 2;
		this.nestDepth++;
		if (prevExpectCondAssert > 0) { this.pushNest(NSF_CONDASSERT); }
	}

	/** (*pla: (*atomic: (*sr: … with p at `*`. */
	private alphaAssertion(prevExpectCondAssert: number): { expectCondAssert?: number } {
		const name = this.readName(0);
		if (this.p >= this.end || this.u[this.p] !== 58) { this.fail(195); }
		const kind = ALPHA_ASSERTIONS.get(name.name) as GroupKind | 'asr' | undefined;
		if (kind === undefined) { this.fail(195); }
		const lookaround = kind === 'la' || kind === 'lanot' || kind === 'lb' || kind === 'lbnot';
		if (prevExpectCondAssert > 0 && !lookaround) { this.fail(kind === 'lana' || kind === 'lbna' ? 198 : 128); }
		switch (kind) {
			case 'atomic':
				this.open('atomic');
				this.nestDepth++;
				this.p++;
				return {};
			case 'la': case 'lana': case 'lanot':
				this.p++;
				this.assertion(kind, prevExpectCondAssert);
				return {};
			case 'lb': case 'lbnot': case 'lbna':
				this.p--;
				this.lookbehind(kind, prevExpectCondAssert);
				return {};
			default: // sr, asr
				this.open('sr');
				this.nestDepth++;
				this.p++;
				if (kind === 'asr') {
					this.open('atomic');
					this.pushNest(NSF_ATOMICSR);
				}
				return {};
		}
	}

	/** (*VERB) or (*VERB:NAME) with p at `*`. */
	private verb(): { verbName?: boolean } {
		const name = this.readName(0);
		if (this.p >= this.end || (this.u[this.p] !== 58 && this.u[this.p] !== 41)) { this.fail(160); }
		const verb = VERBS.get(name.name);
		if (!verb) { this.fail(160); }
		if (this.u[this.p] === 58 && this.p + 1 < this.end && this.u[this.p + 1] === 41) { this.p++; }
		if (verb.arg > 0 && this.u[this.p] !== 58) { this.fail(166); }
		this.push({ k: 'verb', v: verb.v });
		this.okQuantifier = verb.v === 'accept';
		if (this.u[this.p++] === 58) { return { verbName: true }; }
		return {};
	}

	/** (?C…) with p at `C`. */
	private callout(prevExpectCondAssert: number): { expectCondAssert: number; callout: boolean } {
		if (++this.p >= this.end) { this.fail(114); }
		const expectCondAssert = prevExpectCondAssert - 1;
		let offset = -1;
		if (this.u[this.p] !== 41 && !isDigit(this.u[this.p])) {
			const start = this.p;
			const close = CALLOUT_DELIMITERS.get(this.u[this.p]);
			if (close === undefined) { this.fail(182); }
			for (;;) {
				if (++this.p >= this.end) { this.fail(181, start); }
				if (this.u[this.p] === close && (++this.p >= this.end || this.u[this.p] !== close)) { break; }
			}
			offset = this.off(start);
		} else {
			let n = 0;
			while (this.p < this.end && isDigit(this.u[this.p])) {
				n = n * 10 + this.u[this.p++] - 48;
				if (n > 255) { this.fail(138); }
			}
		}
		if (this.p >= this.end || this.u[this.p] !== 41) { this.fail(139); }
		this.p++;
		this.push({ k: 'callout', offset });
		return { expectCondAssert, callout: true };
	}

	/** (?| or an option setting (?imnsxJU-imnsx) / (?imnsx: with p at its first character. */
	private optionsOrReset(): void {
		this.nestDepth++;
		const nest = this.pushNest(0);
		if (this.u[this.p] === 124) {
			nest.reset = this.bracount;
			nest.max = this.bracount;
			nest.flags |= NSF_RESET;
			this.dupcapUsed = true;
			this.open('nocap');
			this.p++;
			return;
		}
		let hyphenOk = true;
		let set = 0;
		let unset = 0;
		let unsetting = false;
		if (this.p < this.end && this.u[this.p] === 94) {
			this.options &= ~(CASELESS | MULTILINE | NO_AUTO_CAPTURE | DOTALL | EXTENDED | EXTENDED_MORE);
			hyphenOk = false;
			this.p++;
		}
		while (this.p < this.end && this.u[this.p] !== 41 && this.u[this.p] !== 58) {
			const c = this.u[this.p++];
			let bit = 0;
			switch (c) {
				case 45:
					if (!hyphenOk) { this.fail(194, this.p - 1); }
					unsetting = true;
					hyphenOk = false;
					continue;
				case 74: bit = DUPNAMES; break;
				case 105: bit = CASELESS; break;
				case 109: bit = MULTILINE; break;
				case 110: bit = NO_AUTO_CAPTURE; break;
				case 115: bit = DOTALL; break;
				case 85: bit = UNGREEDY; break;
				case 120:
					bit = EXTENDED;
					if (this.p < this.end && this.u[this.p] === 120) {
						bit |= EXTENDED_MORE;
						this.p++;
					}
					break;
				default:
					this.fail(111, this.p - 1);
			}
			if (unsetting) { unset |= bit; } else { set |= bit; }
		}
		if ((set & (EXTENDED | EXTENDED_MORE)) === EXTENDED || (unset & EXTENDED) !== 0) { unset |= EXTENDED_MORE; }
		this.options = (this.options | set) & ~unset;
		if (this.p >= this.end) { this.fail(114); }
		if (this.u[this.p++] === 41) {
			// options for the rest of this level, not a group
			this.nestDepth--;
			const n = this.nests.length;
			if (n > 1 && this.nests[n - 2].depth === this.nestDepth) {
				this.nests.pop();
			} else {
				nest.depth = this.nestDepth;
			}
		} else {
			this.open('nocap');
		}
		this.push(OPTIONS);
	}

	/** `[` (p past it). */
	private characterClass(): void {
		this.okQuantifier = true;
		// [[:<:]] and [[:>:]]: start and end of a word
		if (this.end - this.p >= 6 && (this.matches(this.p, '[:<:]]') || this.matches(this.p, '[:>:]]'))) {
			this.push({ k: 'esc', e: 'b' });
			if (this.u[this.p + 2] === 60) {
				this.open('la');
			} else {
				this.open('lb');
				this.hasLookbehind = true;
			}
			this.push({ k: 'esc', e: 'w' });
			this.push(KET);
			this.p += 6;
			return;
		}
		const first = this.char(this.p);
		if ((first === 58 || first === 46 || first === 61) && this.posixSyntax(this.p) >= 0) {
			this.fail(first === 58 ? 112 : 113, this.p - 1);
		}
		let c = this.u[this.p - 1];
		let negated = false;
		while (this.p < this.end) {
			c = this.u[this.p++];
			if (c === 92) {
				if (this.char(this.p) === 69) { this.p++; } else if (this.end - this.p >= 3 && this.matches(this.p, 'Q\\E')) { this.p += 3; } else { break; }
			} else if ((this.options & EXTENDED_MORE) !== 0 && (c === 32 || c === 9)) {
				continue;
			} else if (!negated && c === 94) {
				negated = true;
			} else {
				break;
			}
		}
		let inescq = false;
		// range state: 0 no, 1 started (after "-"), 2 a single character that may start one; and its value
		let range = 0;
		let rangeFrom = -1;
		let lastLiteral = -1;
		for (;;) {
			let literal = -1;
			if (inescq) {
				if (c === 92 && this.char(this.p) === 69) {
					inescq = false;
					this.p++;
				} else {
					literal = c;
				}
			} else if ((this.options & EXTENDED_MORE) !== 0 && (c === 32 || c === 9)) {
				// skipped
			} else if (c === 91 && this.end - this.p >= 3 && (this.u[this.p] === 58 || this.u[this.p] === 46 || this.u[this.p] === 61) && this.posixSyntax(this.p) >= 0) {
				const close = this.posixSyntax(this.p);
				if (range === 1) { this.fail(150); }
				if (this.u[this.p] !== 58) { this.fail(113, this.p - 1); }
				if (this.u[++this.p] === 94) { this.p++; }
				const name = String.fromCodePoint(...this.u.slice(this.p, close));
				if (!POSIX_CLASSES.has(name)) { this.fail(130); }
				this.p = close + 2;
				if (this.p < this.end - 1 && this.u[this.p] === 45 && this.u[this.p + 1] !== 93) { this.fail(150); }
				range = 0;
			} else if (c === 45 && range === 2) {
				range = 1;
				rangeFrom = lastLiteral;
			} else if (c !== 92) {
				literal = c;
			} else {
				const r = this.readEscape(true);
				if (r.kind === 'char') {
					literal = r.c;
				} else if (r.kind === 'ref') {
					// a class never holds references: readEscape gives none in a class
					literal = 0;
				} else if (r.e === 'b') {
					literal = 8;
				} else if (r.e === 'Q') {
					inescq = true;
				} else if (r.e === 'E') {
					// an orphan \E
				} else if (r.e === 'B' || r.e === 'R' || r.e === 'X') {
					this.fail(107, this.p - 1);
				} else {
					if (range === 1) { this.fail(150); }
					range = 0;
					switch (r.e) {
						case 'N': this.fail(171); break;
						case 'H': case 'h': case 'V': case 'v': case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
							break;
						case 'p': case 'P':
							this.property();
							break;
						default:
							this.fail(107, this.p - 1);
					}
					if (this.p < this.end - 1 && this.u[this.p] === 45 && this.u[this.p + 1] !== 93) { this.fail(150); }
				}
			}
			if (literal >= 0) {
				if (range === 1) {
					if (literal < rangeFrom) { this.fail(108, this.p - 1); }
					range = 0;
				} else {
					range = 2;
					lastLiteral = literal;
				}
			}
			if (this.p >= this.end) { this.fail(106); }
			c = this.u[this.p++];
			if (c === 93 && !inescq) { break; }
		}
		this.push(CLASS);
		void negated;
	}

	/** check_posix_syntax: at i (the `:` `.` `=` after `[`), the index of the terminator before `]`, or -1. */
	private posixSyntax(i: number): number {
		const terminator = this.u[i++];
		for (; this.end - i >= 2; i++) {
			const c = this.u[i];
			if (c === 92 && (this.u[i + 1] === 93 || this.u[i + 1] === 92)) {
				i++;
			} else if ((c === 91 && this.u[i + 1] === terminator) || c === 93) {
				return -1;
			} else if (c === terminator && this.u[i + 1] === 93) {
				return i;
			}
		}
		return -1;
	}
}

const TRACKED = CASELESS | DOTALL | DUPNAMES | EXTENDED | EXTENDED_MORE | MULTILINE | NO_AUTO_CAPTURE | UNGREEDY;

function isUnicodeLetter(c: number): boolean {
	return /\p{L}/u.test(String.fromCodePoint(c));
}

function isUnicodeDigit(c: number): boolean {
	return /\p{Nd}/u.test(String.fromCodePoint(c));
}

/** The checks PCRE2 makes on the parsed pattern: lookbehind lengths, references, \K, conditional branches. */
class Checker {
	private readonly items: Item[];
	private loops = 0;
	private errorOffset = -1;
	/** By group number: 0 unknown, -1 not of a fixed length, else its length + 1. */
	private readonly groupLengths: number[] = [];

	constructor(private readonly input: Input, private readonly parsed: Parsed) {
		this.items = parsed.items;
		// pair each group with its end
		const stack: number[] = [];
		for (let i = 0; i < this.items.length; i++) {
			const it = this.items[i];
			if (it.k === 'open') { stack.push(i); } else if (it.k === 'ket') {
				const o = stack.pop();
				if (o !== undefined) { (this.items[o] as { ket: number }).ket = i; }
			}
		}
	}

	run(): void {
		if (this.parsed.hasLookbehind) {
			const code = this.checkLookbehinds(0);
			if (code.error) { throw new Fail(code.error, this.errorOffset >= 0 ? this.errorOffset : 0); }
		}
		this.compilePass();
		this.branchCounts();
	}

	/** Lookbehinds from i on, to the end or the end of the group i stands in: 0, or an error code. */
	private checkLookbehinds(i: number): { error: number; end: number } {
		this.errorOffset = -1;
		let level = 0;
		for (; i < this.items.length; i++) {
			const it = this.items[i];
			if (it.k === 'ket') {
				if (--level < 0) { return { error: 0, end: i }; }
			} else if (it.k === 'open') {
				if (it.g === 'lb' || it.g === 'lbnot' || it.g === 'lbna') {
					const r = this.lookbehindLengths(i);
					if (r.error) { return { error: r.error, end: i }; }
					i = r.end;
				} else {
					level++;
				}
			}
		}
		return { error: 0, end: i };
	}

	/** Each branch of the lookbehind opened at i must have a fixed length. */
	private lookbehindLengths(i: number): { error: number; end: number } {
		const open = this.items[i] as Extract<Item, { k: 'open' }>;
		let p = i + 1;
		for (;;) {
			const r = this.branchLength(p, []);
			if (r.length < 0) {
				const error = r.error || 125;
				if (this.errorOffset < 0) { this.errorOffset = open.offset; }
				return { error, end: r.end };
			}
			p = r.end;
			if (this.items[p].k !== 'alt') { break; }
			p++;
		}
		return { error: 0, end: p };
	}

	/** The length of the branch starting at i (its end: the alt or ket), -1 when not fixed, with an error code when one is due. */
	private branchLength(i: number, calls: number[]): { length: number; error: number; end: number } {
		if (this.loops++ > 2000) { return { length: -1, error: 135, end: i }; }
		let length = 0;
		let last = 0;
		const notFixed = (at: number) => ({ length: -1, error: 125, end: at });
		for (; ; i++) {
			const it = this.items[i];
			let item = 0;
			switch (it.k) {
				case 'ket': case 'alt':
					return { length, error: 0, end: i };
				case 'lit': case 'class': case 'dot':
					item = 1;
					break;
				case 'circ': case 'dollar': case 'options': case 'callout':
					break;
				case 'verb':
					if (it.v === 'accept' || it.v === 'fail') {
						i = this.skipToBranchEnd(i + 1);
						return { length, error: 0, end: i };
					}
					break;
				case 'esc':
					if (it.e === 'R' || it.e === 'X') { return { length: -1, error: 0, end: i }; }
					if ('DdSsWwNCPpHhVv'.includes(it.e)) {
						if (this.input.utf && it.e === 'C') { return { length: -1, error: 136, end: i }; }
						item = 1;
					}
					break;
				case 'quant':
					if (it.min === it.max) {
						if (it.min === 0) { length -= last; } else if (it.min === 1) { item = 0; } else {
							item = (it.min - 1) * last;
						}
						break;
					}
					return notFixed(i);
				case 'backrefName': case 'recurseName': {
					const g = this.parsed.names.find(x => x.name === it.name);
					if (!g) {
						this.errorOffset = it.offset;
						return { length: -1, error: 115, end: i };
					}
					if (it.k === 'backrefName' && (g.isdup || this.parsed.dupcapUsed)) { return notFixed(i); }
					const r = this.calledGroupLength(g.number, i, it.offset, calls);
					if (r.length < 0) { return { ...r, end: i }; }
					item = r.length;
					break;
				}
				case 'backref': case 'recurse': {
					if (it.k === 'backref' && this.parsed.dupcapUsed) { return notFixed(i); }
					const offset = it.k === 'backref' && it.n < 10 ? this.parsed.smallRefOffset[it.n] : it.offset;
					const r = this.calledGroupLength(it.n, i, offset, calls);
					if (r.length < 0) { return { ...r, end: i }; }
					item = r.length;
					break;
				}
				case 'open': {
					if (it.g === 'la' || it.g === 'lanot' || it.g === 'lana') {
						const r = this.checkLookbehinds(i + 1);
						if (r.error) { return { length: -1, error: r.error, end: i }; }
						i = r.end;
						// a quantifier after a lookahead is ignored
						if (this.items[i + 1]?.k === 'quant') { i++; }
						break;
					}
					if (it.g === 'lb' || it.g === 'lbnot' || it.g === 'lbna') {
						const r = this.lookbehindLengths(i);
						if (r.error) { return { length: -1, error: r.error, end: i }; }
						i = r.end;
						break;
					}
					if (it.g === 'condDefine') {
						i = it.ket;
						break;
					}
					const r = this.groupLength(i + 1, it.g === 'capture' ? it.n : 0, true, calls);
					if (r.length < 0) { return { length: -1, error: r.error, end: i }; }
					i = r.end;
					item = r.length;
					break;
				}
			}
			if ((length += item) > LOOKBEHIND_MAX) { return { length: -1, error: 187, end: i }; }
			last = item;
		}
	}

	/** Skips to the alt or ket that ends the branch i stands in. */
	private skipToBranchEnd(i: number): number {
		let level = 0;
		for (; i < this.items.length; i++) {
			const k = this.items[i].k;
			if (k === 'open') { level++; } else if (k === 'ket') {
				if (level-- === 0) { return i; }
			} else if (k === 'alt' && level === 0) { return i; }
		}
		return i;
	}

	/** The fixed length of group `n` called (or referred to) from position `from`. */
	private calledGroupLength(n: number, from: number, offset: number, calls: number[]): { length: number; error: number } {
		if (n > this.parsed.bracount) {
			this.errorOffset = offset;
			return { length: -1, error: 115 };
		}
		if (n === 0) { return { length: -1, error: 125 }; }
		const at = this.items.findIndex(x => x.k === 'open' && x.g === 'capture' && x.n === n);
		if (at < 0) { return { length: -1, error: 125 }; }
		const ket = (this.items[at] as { ket: number }).ket;
		if (from > at && from < ket) { return { length: -1, error: 125 }; }
		if (calls.includes(at)) { return { length: -1, error: 125 }; }
		const r = this.groupLength(at + 1, n, false, [...calls, at]);
		if (r.length < 0) { return { length: -1, error: r.error || 125 }; }
		return { length: r.length, error: 0 };
	}

	/** The length of the group whose first branch starts at i (all branches must agree); its ket. */
	private groupLength(i: number, group: number, inline: boolean, calls: number[]): { length: number; error: number; end: number } {
		const cacheable = group > 0 && !this.parsed.dupcapUsed;
		if (cacheable) {
			const known = this.groupLengths[group];
			if (known === -1) { return { length: -1, error: 0, end: i }; }
			if (known > 0) { return { length: known - 1, error: 0, end: inline ? this.ketOf(i) : i }; }
		}
		let length = -1;
		for (;;) {
			const r = this.branchLength(i, calls);
			if (r.length < 0 || (length >= 0 && r.length !== length)) {
				if (cacheable) { this.groupLengths[group] = -1; }
				return { length: -1, error: r.length < 0 ? r.error : 0, end: r.end };
			}
			length = r.length;
			i = r.end;
			if (this.items[i].k === 'ket') { break; }
			i++;
		}
		if (cacheable) { this.groupLengths[group] = length + 1; }
		return { length, error: 0, end: i };
	}

	/** The ket closing the group whose content starts at i. */
	private ketOf(i: number): number {
		let level = 0;
		for (; i < this.items.length; i++) {
			const k = this.items[i].k;
			if (k === 'open') { level++; } else if (k === 'ket' && level-- === 0) { return i; }
		}
		return i;
	}

	/** The first pass of compiling: references to groups and names that exist, \K outside lookarounds. */
	private compilePass(): void {
		const { names, bracount, smallRefOffset } = this.parsed;
		let asserts = 0;
		const assertStack: boolean[] = [];
		for (const it of this.items) {
			switch (it.k) {
				case 'open': {
					const assertion = it.g === 'la' || it.g === 'lanot' || it.g === 'lana' || it.g === 'lb' || it.g === 'lbnot' || it.g === 'lbna';
					assertStack.push(assertion);
					if (assertion) { asserts++; }
					if (it.g === 'condNumber' && it.n > bracount) { throw new Fail(115, it.offset); }
					if (it.g === 'condName' || it.g === 'condRName' || it.g === 'condRNumber') {
						if (!names.some(g => g.name === it.name)) {
							let n = 0;
							if (it.g === 'condRNumber') {
								for (let k = 1; k < it.name.length; k++) {
									n = n * 10 + it.name.charCodeAt(k) - 48;
									if (n > MAX_GROUP) { throw new Fail(161, it.offset + k); }
								}
							}
							if (it.g !== 'condRNumber' || n > bracount) { throw new Fail(115, it.offset); }
						}
					}
					break;
				}
				case 'ket':
					if (assertStack.pop()) { asserts--; }
					break;
				case 'backref':
					if (it.n > bracount) { throw new Fail(115, it.n < 10 ? smallRefOffset[it.n] : it.offset); }
					break;
				case 'recurse':
					if (it.n > bracount) { throw new Fail(115, it.offset); }
					break;
				case 'backrefName': case 'recurseName':
					if (!names.some(g => g.name === it.name)) { throw new Fail(115, it.offset); }
					break;
				case 'esc':
					if (it.e === 'K' && asserts > 0) { throw new Fail(199, this.input.bytes); }
					break;
				default:
					break;
			}
		}
	}

	/** The real compile: a conditional group has at most two branches, a DEFINE group one; checked as each group ends. */
	private branchCounts(): void {
		const { smallRefOffset } = this.parsed;
		// per open branch: the offset PCRE2's compile_branch last noted in it
		const lastOffset: number[] = [0];
		const open: { item: Extract<Item, { k: 'open' }>; branches: number; noted: number }[] = [];
		for (const it of this.items) {
			const top = lastOffset.length - 1;
			switch (it.k) {
				case 'open': {
					let noted = lastOffset[top];
					if (it.g === 'condNumber') { noted = it.offset - 2; } else if (it.g === 'condName' || it.g === 'condRName' || it.g === 'condRNumber' || it.g === 'condDefine') { noted = it.offset; }
					lastOffset[top] = noted;
					open.push({ item: it, branches: 1, noted });
					lastOffset.push(0);
					break;
				}
				case 'alt':
					if (open.length) { open[open.length - 1].branches++; }
					lastOffset[top] = 0;
					break;
				case 'ket': {
					lastOffset.pop();
					const g = open.pop();
					if (!g) { break; }
					const kind = g.item.g;
					if (kind === 'condDefine' && g.branches > 1) { throw new Fail(154, g.noted); }
					if (kind.startsWith('cond') && kind !== 'condDefine' && g.branches > 2) {
						throw new Fail(127, g.noted);
					}
					break;
				}
				case 'backref':
					lastOffset[top] = it.n < 10 ? smallRefOffset[it.n] : it.offset;
					break;
				case 'recurse': case 'backrefName': case 'recurseName':
					lastOffset[top] = it.offset;
					break;
				case 'callout':
					if (it.offset >= 0) { lastOffset[top] = it.offset; }
					break;
				default:
					break;
			}
		}
	}
}
