/**
 * What validators produce: offset-based findings tied to a code from codes.ts. The service
 * turns them into LSP diagnostics (ranges, severity from settings, docs link) at its edge.
 */
import type { DiagnosticCode } from './codes';

export interface RelatedLocation {
	readonly uri: string;
	readonly offset: number;
	readonly length: number;
	readonly message: string;
}

export interface Finding {
	readonly code: DiagnosticCode;
	readonly offset: number;
	readonly length: number;
	/** Values for the message template. */
	readonly args: Readonly<Record<string, string | number>>;
	/** Payload for quick fixes (travels as `diagnostic.data`). */
	readonly data?: unknown;
	readonly related?: readonly RelatedLocation[];
	readonly tags?: readonly ('unnecessary' | 'deprecated')[];
}

export type Report = (finding: Finding) => void;

/** " Did you mean "a" or "b"?" for a message, or "" when there is nothing to suggest. */
export function didYouMean(candidates: readonly string[]): string {
	if (!candidates.length) { return ''; }
	const quoted = candidates.map(c => `"${c}"`);
	const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
	return ` Did you mean ${list}?`;
}
