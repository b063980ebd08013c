/**
 * Lookups over the generated nginx directive table (nginx + njs) and the shipped table of
 * common third-party modules. Built once, on first use.
 */
import { NGINX_DIRECTIVES } from './generated/nginxDirectives';
import { REMOVED_DIRECTIVES } from './nginxRemoved';
import { THIRD_PARTY_DIRECTIVES } from './thirdPartyDirectives';
import type { NginxDirectiveData } from './types';

export type { NginxDirectiveData } from './types';

let byName: Map<string, NginxDirectiveData[]> | undefined;

function index(): Map<string, NginxDirectiveData[]> {
	if (!byName) {
		byName = new Map();
		for (const d of [...NGINX_DIRECTIVES, ...REMOVED_DIRECTIVES, ...THIRD_PARTY_DIRECTIVES]) {
			const list = byName.get(d.name);
			if (list) { list.push(d); } else { byName.set(d.name, [d]); }
		}
	}
	return byName;
}

/** Every definition of a directive name (one per module: `listen` exists for http, stream, mail). */
export function getNginxDirectives(name: string): readonly NginxDirectiveData[] {
	return index().get(name) ?? [];
}

export function isNginxDirective(name: string): boolean {
	return index().has(name);
}

export function nginxDirectiveNames(): IterableIterator<string> {
	return index().keys();
}

/** Directive names whose block body is data (`map`, `types`, `geo`, `split_clients`, `charset_map`, ...). */
export function isNginxDataBlock(name: string): boolean {
	const defs = index().get(name);
	return !!defs && defs.some(d => d.rawBlock);
}
