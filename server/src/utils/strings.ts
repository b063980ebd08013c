/**
 * String helpers: typo distance and "did you mean" suggestions.
 */

/** QWERTY rows; two keys are neighbours when they touch on the same or an adjacent row. */
const ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const KEY_POS = new Map<string, [number, number]>();
ROWS.forEach((row, r) => [...row].forEach((ch, c) => KEY_POS.set(ch, [r, c + r * 0.5])));

function keyboardNeighbours(a: string, b: string): boolean {
	const pa = KEY_POS.get(a.toLowerCase());
	const pb = KEY_POS.get(b.toLowerCase());
	if (!pa || !pb) { return false; }
	return Math.abs(pa[0] - pb[0]) <= 1 && Math.abs(pa[1] - pb[1]) <= 1.01;
}

/**
 * Edit distance with transpositions (optimal string alignment). Substituting a key by its
 * keyboard neighbour, swapping `-`/`_` and changing case cost less than other edits, so real
 * typos rank first. Returns Infinity early when the distance exceeds `limit`.
 */
export function typoDistance(a: string, b: string, limit = Infinity): number {
	if (a === b) { return 0; }
	if (Math.abs(a.length - b.length) > limit) { return Infinity; }
	const n = a.length;
	const m = b.length;
	let prev2 = new Float64Array(m + 1);
	let prev = new Float64Array(m + 1);
	let cur = new Float64Array(m + 1);
	for (let j = 0; j <= m; j++) { prev[j] = j; }
	for (let i = 1; i <= n; i++) {
		cur[0] = i;
		let rowMin = cur[0];
		const ca = a.charCodeAt(i - 1);
		for (let j = 1; j <= m; j++) {
			const cb = b.charCodeAt(j - 1);
			let sub: number;
			if (ca === cb) {
				sub = 0;
			} else {
				const x = String.fromCharCode(ca);
				const y = String.fromCharCode(cb);
				if (x.toLowerCase() === y.toLowerCase() || (isDashOrUnderscore(ca) && isDashOrUnderscore(cb))) {
					sub = 0.25;
				} else if (keyboardNeighbours(x, y)) {
					sub = 0.75;
				} else {
					sub = 1;
				}
			}
			let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub);
			if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
				v = Math.min(v, prev2[j - 2] + 0.75);
			}
			cur[j] = v;
			if (v < rowMin) { rowMin = v; }
		}
		if (rowMin > limit) { return Infinity; }
		const t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

function isDashOrUnderscore(c: number): boolean {
	return c === 45 || c === 95;
}

/** The largest distance still taken for a typo of a word of this length. */
export function typoLimit(length: number): number {
	if (length <= 3) { return 1; }
	if (length <= 6) { return 2; }
	return Math.min(4, 2 + Math.floor(length / 8));
}

/**
 * The closest candidates to `word`, best first, at most `max` of them, within the typo
 * limit for its length. Candidates with equal distance keep their input order.
 */
export function closestMatches(word: string, candidates: Iterable<string>, max = 3): string[] {
	const limit = typoLimit(word.length);
	const scored: { name: string; d: number; i: number }[] = [];
	let i = 0;
	const lower = word.toLowerCase();
	const extending: { name: string; d: number; i: number }[] = [];
	for (const c of candidates) {
		if (c === word) { continue; }
		const d = typoDistance(word, c, limit);
		if (d <= limit) {
			scored.push({ name: c, d, i: i++ });
		} else if (word.length >= 3 && (c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase()))) {
			// one name extending the other (`django` / `django_app`) is the next best guess
			extending.push({ name: c, d: Math.abs(c.length - word.length), i: i++ });
		}
	}
	if (!scored.length) { scored.push(...extending); }
	scored.sort((x, y) => x.d - y.d || x.i - y.i);
	return scored.slice(0, max).map(s => s.name);
}

/**
 * "Did you mean" over a fixed list of names, remembering answers: a file with the same typo on
 * many lines (or a re-validation after a keystroke) pays for it once.
 */
export class Suggester {
	private readonly cache = new Map<string, string[]>();

	constructor(private readonly names: () => Iterable<string>, private readonly max = 3, private readonly cacheSize = 4096) {}

	suggest(word: string): string[] {
		let hit = this.cache.get(word);
		if (!hit) {
			hit = closestMatches(word, this.names(), this.max);
			if (this.cache.size >= this.cacheSize) { this.cache.clear(); }
			this.cache.set(word, hit);
		}
		return hit;
	}
}
