/**
 * A cache of what was derived from an object (a parsed tree, a directive, a validation context),
 * kept on the object itself. It is used where a WeakMap would be, and like a WeakMap an entry
 * lives exactly as long as its key.
 *
 * Why not a WeakMap: V8's young-generation collector does not drop the entries of a long-lived
 * WeakMap; it keeps their keys and values alive and promotes them to the old generation, where
 * only the next full collection frees them. The trees of an edited document are short-lived (one
 * per keystroke), so caching per tree in WeakMaps made every edit leave its tree and everything
 * derived from it in the old generation, and the server's RSS climbed with each edit until V8
 * ran a full collection. Kept on the key, a tree and its derived data die together young.
 */
const SLOTS = Symbol('memo');

interface Holder {
	[SLOTS]?: Map<object, unknown>;
}

export class Memo<K extends object, V> {
	/** For keys that cannot take a property (frozen or sealed objects). */
	private fallback: WeakMap<K, V> | undefined;

	get(key: K): V | undefined {
		const slots = (key as Holder)[SLOTS];
		if (slots) { return slots.get(this) as V | undefined; }
		return this.fallback?.get(key);
	}

	set(key: K, value: V): this {
		const holder = key as Holder;
		let slots = holder[SLOTS];
		if (!slots) {
			if (!Object.isExtensible(key)) {
				(this.fallback ??= new WeakMap()).set(key, value);
				return this;
			}
			slots = new Map();
			Object.defineProperty(holder, SLOTS, { value: slots, enumerable: false, writable: false, configurable: false });
		}
		slots.set(this, value);
		return this;
	}
}
