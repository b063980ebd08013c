/**
 * Lookups over the generated nginx directive table (nginx + njs) and the shipped table of
 * common third-party modules. Built once, on first use.
 */
import { NGINX_DIRECTIVES } from './generated/nginxDirectives';
import { REMOVED_DIRECTIVES } from './nginxRemoved';
import { THIRD_PARTY_DIRECTIVES } from './thirdPartyDirectives';
import type { NginxDirectiveData } from './types';
import { NameTable } from '../utils/nameTable';

export type { NginxDirectiveData } from './types';

let byName: Map<string, NginxDirectiveData[]> | undefined;
let table: NameTable | undefined;
let byId: (readonly NginxDirectiveData[])[] | undefined;
let dataBlocks: Uint8Array | undefined;

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

/** Every directive name interned to an id (what the parser stores per directive). */
export function nginxNameTable(): NameTable {
	if (!table) {
		table = new NameTable(index().keys());
		byId = table.names.map(n => index().get(n)!);
		dataBlocks = new Uint8Array(table.size);
		for (let id = 0; id < table.size; id++) { dataBlocks[id] = byId[id].some(d => d.rawBlock) ? 1 : 0; }
	}
	return table;
}

/** Definitions of a directive by its id in nginxNameTable(). */
export function nginxDirectivesById(id: number): readonly NginxDirectiveData[] {
	nginxNameTable();
	return byId![id];
}

/** By id: 1 when the directive's block body is data (see isNginxDataBlock). */
export function nginxDataBlockIds(): Uint8Array {
	nginxNameTable();
	return dataBlocks!;
}

/** Directive names whose block body is data (`map`, `types`, `geo`, `split_clients`, `charset_map`, ...). */
export function isNginxDataBlock(name: string): boolean {
	const defs = index().get(name);
	return !!defs && defs.some(d => d.rawBlock);
}
