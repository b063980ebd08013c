/**
 * Interns a fixed set of names to small integer ids and finds the id of a name written in a
 * text without cutting it out: the parser looks a directive name up by its offsets, so the hot
 * path allocates no string. Open addressing over a power-of-two table, keys compared char by char.
 */
export class NameTable {
	readonly names: readonly string[];
	private readonly slots: Int32Array;
	private readonly mask: number;

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
	}

	get size(): number {
		return this.names.length;
	}

	/** Id of `text.slice(start, end)`, or -1. */
	idAt(text: string, start: number, end: number): number {
		let h = 0x811c9dc5;
		for (let i = start; i < end; i++) { h = Math.imul(h ^ text.charCodeAt(i), 0x01000193); }
		const len = end - start;
		let slot = (h >>> 0) & this.mask;
		for (;;) {
			const id = this.slots[slot];
			if (id < 0) { return -1; }
			const name = this.names[id];
			if (name.length === len) {
				let k = 0;
				while (k < len && name.charCodeAt(k) === text.charCodeAt(start + k)) { k++; }
				if (k === len) { return id; }
			}
			slot = (slot + 1) & this.mask;
		}
	}

	/** Id of a name, or -1. */
	id(name: string): number {
		return this.idAt(name, 0, name.length);
	}
}

function hashString(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) { h = Math.imul(h ^ s.charCodeAt(i), 0x01000193); }
	return h >>> 0;
}
