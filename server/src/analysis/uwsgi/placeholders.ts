/**
 * Placeholder names a set of ini files refers to with `%(name)`, including the names inside
 * `%(a + b)` expressions.
 */
import type { IniDocument } from '../../parser/ini/nodes';

const NAME = /^[A-Za-z_][\w.-]*$/;

export function referencedPlaceholders(doc: IniDocument, into = new Set<string>()): Set<string> {
	for (const e of doc.entries) {
		for (const r of e.refs) {
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
