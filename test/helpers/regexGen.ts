/**
 * Random regular expressions for the PCRE2 differential test: valid and broken ones, with the
 * features PCRE2 has and JavaScript does not (possessive quantifiers, \A \z \Z \Q…\E, inline
 * options, named groups in every spelling, branch reset, \K, atomic groups, recursion,
 * conditions, POSIX classes, \x{…}, \o{…}, Unicode properties, verbs, callouts, lookbehinds of
 * fixed and varying length) and the mistakes people make (unclosed groups and classes, stray
 * parentheses, reversed ranges and counts, unknown escapes, names and classes). Seeded: the same
 * seed gives the same expressions.
 */

export { seededRandom } from './rng';

const LITERALS = ['a', 'b', 'x', '/', '.', '-', 'é', '\\.', '\\/', '\\-', ' ', '#', ']', '}', '{', ',', '0', '9', '_', '@'];
const ESCAPES = ['\\d', '\\w', '\\s', '\\D', '\\W', '\\S', '\\b', '\\B', '\\A', '\\z', '\\Z', '\\G', '\\K', '\\h', '\\H', '\\v', '\\V', '\\R', '\\X', '\\N',
	'\\C', '\\p{L}', '\\p{Xan}', '\\pL', '\\PL', '\\p{^Lu}', '\\p{sc:Latn}', '\\p{scx:Greek}', '\\p{bc:L}', '\\p{Foo}', '\\p{', '\\p{L', '\\p', '\\p1', '\\p{ L u }',
	'\\p{Script=Han}', '\\p{sc:Lu}', '\\p{xx:L}', '\\x41', '\\x4', '\\x{41}', '\\x{100}', '\\x{zz}', '\\x{', '\\x{}', '\\x{41', '\\o{17}', '\\o{400}', '\\o{8}',
	'\\o', '\\o{', '\\0', '\\012', '\\12', '\\1', '\\2', '\\8', '\\9', '\\400', '\\c', '\\cA', '\\c~', '\\c\u00e9', '\\e', '\\f', '\\n', '\\r', '\\t', '\\a',
	'\\Qa(b\\E', '\\Q', '\\E', '\\g1', '\\g{1}', '\\g{-1}', '\\g{+1}', '\\g<1>', '\\g<-1>', '\\g<n>', '\\g\'n\'', '\\g{n}', '\\g', '\\g0', '\\g{0}', '\\g{x',
	'\\k<n>', '\\k{n}', '\\k\'n\'', '\\k', '\\k<1n>', '\\i', '\\y', '\\L', '\\l', '\\u', '\\U', '\\F', '\\_', '\\N{2}', '\\N{U+41}', '\\N{x}', '\\\\', '\\'];
const CLASSES = ['[abc]', '[^a-z]', '[z-a]', '[[:alpha:]]', '[[:foo:]]', '[[:^digit:]]', '[a-\\d]', '[\\d-z]', '[\\w-]', '[[.a.]]', '[[=a=]]', '[]a]', '[^]a]',
	'[a-]', '[\\b]', '[\\B]', '[\\x{41}-\\x{5a}]', '[abc', '[', '[^', '[\\', '[a-\\x{20}]', '[\\Qa-\\E]', '[\\N]', '[\\R]', '[\\K]', '[\\g]', '[\\p{L}-x]',
	'[[:alpha:]-z]', '[a-[:digit:]]', '[\\E]', '[-a]', '[a--]', '[\\8]', '[\\400]', '[[:<:]]', '[[:>:]]', '[:alpha:]', '[.x.]', '[%--]', '[\\d-]', '[é-a]'];
const QUANTIFIERS = ['*', '+', '?', '{2}', '{2,5}', '{2,}', '{,3}', '{5,2}', '{65536}', '{1,65536}', '{}', '{x}', '*+', '*?', '++', '+?', '??', '?+', '{2}+', '{0}', '{1}', '**', '+++'];
const NAMES = ['n', 'name', 'a1', '1x', 'R', 'R1', 'DEFINE', '', 'n', 'averyveryveryveryverylongname_0123456789'];
const VERBS = ['(*ACCEPT)', '(*FAIL)', '(*F)', '(*COMMIT)', '(*MARK:x)', '(*MARK)', '(*:x)', '(*SKIP)', '(*PRUNE:y)', '(*THEN)', '(*FOO)', '(*', '(*)', '(*ACCEPT:z)',
	'(*COMMIT:)', '(*MARK:a', '(*UTF)', '(*LIMIT_MATCH=10)'];
const OPTIONS = ['(?i)', '(?x)', '(?xx)', '(?-i)', '(?^)', '(?i-)', '(?-)', '(?z)', '(?^-i)', '(?J)', '(?n)', '(?s-m)', '(?i', '(?)', '(?--i)'];
const MISC = ['^', '$', '(?R)', '(?1)', '(?-1)', '(?+1)', '(?0)', '(?&n)', '(?P>n)', '(?P=n)', '(?Px)', '(?#comment)', '(?#open', '(?C)', '(?C1)', '(?C256)', '(?C"x")',
	'(?C{x})', '(?C"x', '(?C!x!)', '(?Cx)', ')', '(', '(?', '(?-x)', '(?+x)', '(?R', '(?1', '(?&', '(?&1n)'];
const STARTS = ['', '', '', '', '', '(*UTF)', '(*CRLF)', '(*LIMIT_MATCH=10)', '(*LIMIT_DEPTH=)', '(*NO_JIT)', '(*UCP)(*ANYCRLF)'];

/** One random regular expression. */
export function randomRegex(rnd: () => number): string {
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
	const name = () => pick(NAMES);
	function sequence(depth: number): string {
		let out = '';
		const n = 1 + Math.floor(rnd() * (depth > 2 ? 2 : 4));
		for (let i = 0; i < n; i++) {
			out += item(depth);
			if (rnd() < 0.25) { out += pick(QUANTIFIERS); }
		}
		return out;
	}
	function alternatives(depth: number): string {
		const parts = [sequence(depth)];
		while (rnd() < 0.3 && parts.length < 4) { parts.push(rnd() < 0.2 ? '' : sequence(depth)); }
		return parts.join('|');
	}
	function group(depth: number): string {
		const body = () => alternatives(depth + 1);
		const r = rnd();
		const close = rnd() < 0.06 ? '' : ')';
		if (r < 0.18) { return `(${body()}${close}`; }
		if (r < 0.26) { return `(?:${body()}${close}`; }
		if (r < 0.30) { return `(?i:${body()}${close}`; }
		if (r < 0.34) { return `(?>${body()}${close}`; }
		if (r < 0.40) { return `(?=${body()}${close}`; }
		if (r < 0.44) { return `(?!${body()}${close}`; }
		if (r < 0.52) { return `(?<=${body()}${close}`; }
		if (r < 0.56) { return `(?<!${body()}${close}`; }
		if (r < 0.62) { return `(?<${name()}>${body()}${close}`; }
		if (r < 0.65) { return `(?P<${name()}>${body()}${close}`; }
		if (r < 0.67) { return `(?'${name()}'${body()}${close}`; }
		if (r < 0.71) { return `(?|${body()}|${body()}${close}`; }
		if (r < 0.74) { return `(*${pick(['pla', 'plb', 'nla', 'nlb', 'atomic', 'sr', 'asr', 'napla', 'foo', 'positive_lookbehind'])}:${body()}${close}`; }
		if (r < 0.80) { return `(?(${pick(['1', '2', '-1', '+1', '0', '<n>', '\'n\'', 'n', 'R', 'R1', 'R&n', 'DEFINE', 'VERSION>=10.3', 'VERSION=10', 'VERSION>=x', '?=a', '?<=b', '?!x', '?C1)(?=y', 'x', '?x'])})${body()}${close}`; }
		if (r < 0.84) { return `(?${pick(['i', 'x', 's', 'm', 'n', 'U', 'J', '-i', '^', 'xx', 'q'])}:${body()}${close}`; }
		return `(${body()}${close}`;
	}
	function item(depth: number): string {
		const r = rnd();
		if (r < 0.30) { return pick(LITERALS); }
		if (r < 0.50) { return pick(ESCAPES); }
		if (r < 0.60) { return pick(CLASSES); }
		if (r < 0.66) { return pick(MISC); }
		if (r < 0.69) { return pick(VERBS); }
		if (r < 0.73) { return pick(OPTIONS); }
		if (depth < 4 && r < 0.96) { return group(depth); }
		return pick(LITERALS);
	}
	let re = pick(STARTS) + alternatives(0);
	// now and then a mistake at the end
	if (rnd() < 0.05) { re += pick([')', '(', '[', '\\', '{3,1}', '*']); }
	return re;
}
