/** Small helpers over offsets; conversion to LSP positions happens only at the service edge. */

export interface Span {
	readonly offset: number;
	readonly length: number;
}

export function spanEnd(s: Span): number {
	return s.offset + s.length;
}

export function containsOffset(s: Span, offset: number): boolean {
	return offset >= s.offset && offset <= s.offset + s.length;
}
