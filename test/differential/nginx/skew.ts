/**
 * Version skew: a refusal of the installed nginx (Debian's is older) for something our tables —
 * nginx 1.31.5's — accept. The generator never asks for such things (probe.ts), but a mutation
 * can move a directive into a context only newer versions allow. Such a case is counted apart and
 * printed, not judged: our engine is right for the version it follows.
 */
import { getNginxDirectives, isNginxDirective } from '../../../server/src/data/nginxData';
import type { Knowledge } from './probe';

/** Parameters newer than nginx 1.22 that our tables know, by the words nginx 1.22 refuses them with. */
const NEWER_PARAMETERS: readonly RegExp[] = [
	// stream's listen takes default_server since 1.25.5 (with server_name)
	/^the invalid "default_server" parameter$/,
];

/** Why a refusal is version skew, or undefined when it is not. */
export function versionSkew(text: string, k: Knowledge): string | undefined {
	const unknown = /^unknown directive "([^"]+)"$/.exec(text);
	if (unknown && isNginxDirective(unknown[1]) && !k.contexts[unknown[1]]) { return `"${unknown[1]}" is newer than the installed nginx`; }
	const notAllowed = /^"([^"]+)" directive is not allowed here$/.exec(text);
	if (notAllowed) {
		const ours = new Set(getNginxDirectives(notAllowed[1]).filter(d => d.origin !== 'third-party').flatMap(d => d.contexts));
		const theirs = new Set(k.contexts[notAllowed[1]] ?? []);
		if ([...ours].some(c => !theirs.has(c))) { return `"${notAllowed[1]}" is allowed in more places by nginx 1.31.5 than by the installed nginx`; }
	}
	const value = /^invalid value "([^"]+)"/.exec(text);
	if (value && Object.values(k.refusedValues).some(list => list.includes(value[1]))) { return `"${value[1]}" is a value newer than the installed nginx`; }
	if (NEWER_PARAMETERS.some(re => re.test(text))) { return 'a parameter newer than the installed nginx'; }
	return undefined;
}
