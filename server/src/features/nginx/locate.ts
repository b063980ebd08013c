/** Finding the node at an offset in an nginx file. */
import type { NginxBlock, NginxDirective, NginxFile, NginxToken } from '../../parser/nginx/nodes';

/** The innermost block whose braces contain the offset (the top level when none). */
export function blockAt(file: NginxFile, offset: number): NginxBlock {
	let best = file.blocks[0];
	for (let i = 1; i < file.blocks.length; i++) {
		const b = file.blocks[i];
		if (b.open >= offset) { break; }
		const end = b.close >= 0 ? b.close : file.text.length;
		if (offset > b.open && offset <= end) { best = b; }
	}
	return best;
}

export interface DirectiveAtResult {
	readonly directive: NginxDirective;
	readonly token: NginxToken;
	/** -1 for the name, else the argument index. */
	readonly index: number;
}

/** The directive whose name or arguments contain the offset. */
export function directiveAt(file: NginxFile, offset: number): DirectiveAtResult | undefined {
	const ds = file.directives;
	let lo = 0;
	let hi = ds.length - 1;
	let found = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (ds[mid].offset <= offset) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
	}
	// walk back over enclosing block directives: the nearest directive starting before the offset
	for (let k = found; k >= 0 && k > found - 64; k--) {
		const d = ds[k];
		const tokens = [d.name, ...d.args];
		for (let t = 0; t < tokens.length; t++) {
			const tok = tokens[t];
			if (offset >= tok.offset && offset <= tok.offset + tok.length) { return { directive: d, token: tok, index: t - 1 }; }
		}
	}
	return undefined;
}
