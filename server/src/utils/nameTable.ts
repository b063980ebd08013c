/**
 * Interns a fixed set of names to small integer ids and finds the id of a name written in a
 * text without cutting it out: the parser looks a directive name up by its offsets, so the hot
 * path allocates no string. Open addressing over a power-of-two table; the hash reads only the
 * length and five characters (first, second, middle, second to last, last), and a candidate is
 * confirmed with one native comparison (`startsWith` at the offset).
 *
 * A name can also be looked up in a byte copy of the text (idInBytes), which the nginx parser
 * scans: five typed-array reads for the hash and a byte loop against the names' own bytes
 * confirm it in about half the time of `charCodeAt` and `startsWith`.
 */
export class NameTable {
	readonly names: readonly string[];
	private readonly slots: Int32Array;
	private readonly mask: number;
	/** The names' characters one after another, one byte each (for idInBytes) ... */
	private readonly pool: Uint8Array;
	/** ... where each name starts in it. */
	private readonly poolStart: Int32Array;
	/** Every name is ASCII (else idInBytes falls back to idAt). */
	private readonly ascii: boolean;

	constructor(names: Iterable<string>) {
		const list: string[] = [];
		const seen = new Set<string>();
		for (const n of names) {
			if (!seen.has(n)) { seen.add(n); list.push(n); }
		}
		this.names = list;
		let size = 16;
		while (size < list.length * 4) { size <<= 1; }
		this.slots = new Int32Array(size).fill(-1);
		this.mask = size - 1;
		for (let id = 0; id < list.length; id++) {
			const s = list[id];
			let h = hashString(s) & this.mask;
			while (this.slots[h] !== -1) { h = (h + 1) & this.mask; }
			this.slots[h] = id;
		}
		let total = 0;
		for (const s of list) { total += s.length; }
		this.pool = new Uint8Array(total);
		this.poolStart = new Int32Array(list.length);
		let ascii = true;
		let at = 0;
		for (let id = 0; id < list.length; id++) {
			const s = list[id];
			this.poolStart[id] = at;
			for (let k = 0; k < s.length; k++) {
				const c = s.charCodeAt(k);
				if (c >= 128) { ascii = false; }
				this.pool[at++] = c;
			}
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
	 * Id of `text.slice(start, end)`, or -1, read from `bytes`: the text with one byte per
	 * character, each ASCII character as itself and any other as a byte of 128 or more (no
	 * ASCII name can match there).
	 */
	idInBytes(bytes: Uint8Array, text: string, start: number, end: number): number {
		if (!this.ascii) { return this.idAt(text, start, end); }
		const len = end - start;
		let slot = len === 0 ? 0 : hashChars(len, bytes[start], bytes[start + (len > 1 ? 1 : 0)], bytes[start + (len >> 1)],
			bytes[end - (len > 1 ? 2 : 1)], bytes[end - 1]) & this.mask;
		const pool = this.pool;
		for (;;) {
			const id = this.slots[slot];
			if (id < 0) { return -1; }
			if (this.names[id].length === len) {
				const from = this.poolStart[id] - start;
				let k = start;
				while (k < end && pool[from + k] === bytes[k]) { k++; }
				if (k === end) { return id; }
			}
			slot = (slot + 1) & this.mask;
		}
	}

	/** Id of a name, or -1. */
	id(name: string): number {
		return this.idAt(name, 0, name.length);
	}
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
