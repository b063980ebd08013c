/**
 * Interns a fixed set of names to small integer ids and finds the id of a name written in a
 * text without cutting it out: the parser looks a directive name up by its offsets, so the hot
 * path allocates no string. Open addressing over a power-of-two table; the hash reads only the
 * length and five characters (first, second, middle, second to last, last), and a candidate is
 * confirmed with one native comparison (`startsWith` at the offset).
 *
 * A name can also be looked up in a byte copy of the text (idInBytes), which the nginx parser
 * scans. That lookup reads the text four bytes at a time: the first and the last four bytes of
 * the name (overlapping when it is short) are both its hash and most of its confirmation; only a
 * name over 8 characters compares the words between. It has a slot table of its own, built on
 * its first use.
 */
export class NameTable {
	readonly names: readonly string[];
	private readonly slots: Int32Array;
	private readonly mask: number;
	/** Every name is ASCII (else idInBytes falls back to idAt). */
	private readonly ascii: boolean;
	private words: WordIndex | undefined;

	constructor(names: Iterable<string>) {
		const list: string[] = [];
		const seen = new Set<string>();
		for (const n of names) {
			if (!seen.has(n)) { seen.add(n); list.push(n); }
		}
		this.names = list;
		const size = slotCount(list.length);
		this.slots = new Int32Array(size).fill(-1);
		this.mask = size - 1;
		let ascii = true;
		for (let id = 0; id < list.length; id++) {
			const s = list[id];
			let h = hashString(s) & this.mask;
			while (this.slots[h] !== -1) { h = (h + 1) & this.mask; }
			this.slots[h] = id;
			for (let k = 0; k < s.length && ascii; k++) { if (s.charCodeAt(k) >= 128) { ascii = false; } }
		}
		this.ascii = ascii;
	}

	get size(): number {
		return this.names.length;
	}

	/** Id of `text.slice(start, end)`, or -1. */
	idAt(text: string, start: number, end: number): number {
		const len = end - start;
		let slot = len === 0 ? 0 : hashChars(len, text.charCodeAt(start), text.charCodeAt(start + (len > 1 ? 1 : 0)), text.charCodeAt(start + (len >> 1)),
			text.charCodeAt(end - (len > 1 ? 2 : 1)), text.charCodeAt(end - 1)) & this.mask;
		for (;;) {
			const id = this.slots[slot];
			if (id < 0) { return -1; }
			const name = this.names[id];
			if (name.length === len && text.startsWith(name, start)) { return id; }
			slot = (slot + 1) & this.mask;
		}
	}

	/**
	 * Id of `text.slice(start, end)`, or -1, read from `bytes`: a view of the text with one byte
	 * per character, each ASCII character as itself and any other as a byte of 128 or more (no
	 * ASCII name can match there).
	 */
	idInBytes(bytes: DataView, text: string, start: number, end: number): number {
		if (!this.ascii) { return this.idAt(text, start, end); }
		const w = (this.words ??= wordIndex(this.names));
		const len = end - start;
		let first: number;
		let last: number;
		if (len >= 4) {
			first = bytes.getInt32(start, true);
			last = bytes.getInt32(end - 4, true);
		} else {
			first = 0;
			for (let k = 0; k < len; k++) { first |= bytes.getUint8(start + k) << (8 * k); }
			last = first;
		}
		const mask = w.mask;
		let slot = hashWords(len, first, last) & mask;
		for (;;) {
			const id = w.slots[slot];
			if (id < 0) { return -1; }
			if (w.length[id] === len && w.first[id] === first && w.last[id] === last) {
				if (len <= 8) { return id; }
				// the words between the first and the last four bytes
				const pool = w.pool;
				let p = w.start[id] + 4;
				let k = start + 4;
				const stop = end - 4;
				while (k < stop && pool.getInt32(p, true) === bytes.getInt32(k, true)) {
					k += 4;
					p += 4;
				}
				if (k >= stop) { return id; }
			}
			slot = (slot + 1) & mask;
		}
	}

	/** Id of a name, or -1. */
	id(name: string): number {
		return this.idAt(name, 0, name.length);
	}
}

/** idInBytes' table: the names' first and last four bytes, lengths, and their bytes one after another. */
interface WordIndex {
	readonly slots: Int32Array;
	readonly mask: number;
	readonly length: Int32Array;
	readonly first: Int32Array;
	readonly last: Int32Array;
	/** The names' characters one after another (one byte each, 4 bytes of padding at the end) ... */
	readonly pool: DataView;
	/** ... and where each starts. */
	readonly start: Int32Array;
}

function wordIndex(names: readonly string[]): WordIndex {
	let total = 0;
	for (const s of names) { total += s.length; }
	const bytes = new Uint8Array(total + 4);
	const pool = new DataView(bytes.buffer);
	const start = new Int32Array(names.length);
	const length = new Int32Array(names.length);
	const first = new Int32Array(names.length);
	const last = new Int32Array(names.length);
	const size = slotCount(names.length);
	const slots = new Int32Array(size).fill(-1);
	const mask = size - 1;
	let at = 0;
	for (let id = 0; id < names.length; id++) {
		const s = names[id];
		start[id] = at;
		length[id] = s.length;
		for (let k = 0; k < s.length; k++) { bytes[at + k] = s.charCodeAt(k); }
		if (s.length >= 4) {
			first[id] = pool.getInt32(at, true);
			last[id] = pool.getInt32(at + s.length - 4, true);
		} else {
			let word = 0;
			for (let k = 0; k < s.length; k++) { word |= bytes[at + k] << (8 * k); }
			first[id] = last[id] = word;
		}
		at += s.length;
		let h = hashWords(s.length, first[id], last[id]) & mask;
		while (slots[h] !== -1) { h = (h + 1) & mask; }
		slots[h] = id;
	}
	return { slots, mask, length, first, last, pool, start };
}

/** Slots of an open-addressing table for `count` names: a power of two, at most a quarter full. */
function slotCount(count: number): number {
	let size = 16;
	while (size < count * 4) { size <<= 1; }
	return size;
}

function hashWords(len: number, first: number, last: number): number {
	let h = Math.imul(first ^ len, 0x85ebca6b) ^ Math.imul(last, 0xc2b2ae35);
	h = Math.imul(h ^ (h >>> 15), 0x27d4eb2f);
	return (h ^ (h >>> 13)) >>> 0;
}

function hashChars(len: number, a: number, b: number, m: number, y: number, z: number): number {
	let h = Math.imul(len ^ 0x9e3779b9, 0x85ebca6b);
	h = Math.imul(h ^ a, 0xc2b2ae35);
	h = Math.imul(h ^ (b << 8 | z), 0x27d4eb2f);
	h = Math.imul(h ^ (m << 8 | y), 0x165667b1);
	return (h ^ (h >>> 15)) >>> 0;
}

function hashString(s: string): number {
	const len = s.length;
	return len === 0 ? 0 : hashChars(len, s.charCodeAt(0), s.charCodeAt(len > 1 ? 1 : 0), s.charCodeAt(len >> 1), s.charCodeAt(len - (len > 1 ? 2 : 1)), s.charCodeAt(len - 1));
}
