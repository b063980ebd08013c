/**
 * Lookups over the generated table of nginx's built-in variables (http and stream have separate
 * sets): exact names, and the families of names a prefix defines (`$http_*`, `$arg_*`, …).
 * Built once, on first use. Names are compared lowercase, as nginx compares them.
 */
import { NGINX_VARIABLES } from './generated/nginxVariables';
import type { NginxVariableData } from './types';

export type { NginxVariableData } from './types';
export type VariableFamily = 'http' | 'stream';

interface FamilyIndex {
	readonly exact: Map<string, NginxVariableData>;
	/** Prefix families, longest first (nginx takes the longest prefix that matches). */
	readonly prefixes: readonly NginxVariableData[];
	/** Names a module defines (not the prefixes, not those the configuration must set), for suggestions. */
	readonly names: readonly string[];
}

let http: FamilyIndex | undefined;
let stream: FamilyIndex | undefined;

function build(family: VariableFamily): FamilyIndex {
	const rows = NGINX_VARIABLES.filter(v => v.family === family);
	return {
		exact: new Map(rows.filter(v => !v.prefix).map(v => [v.name, v])),
		prefixes: rows.filter(v => v.prefix).sort((a, b) => b.name.length - a.name.length),
		names: rows.filter(v => !v.prefix && !v.userSet).map(v => v.name),
	};
}

function index(family: VariableFamily): FamilyIndex {
	return family === 'http' ? (http ??= build('http')) : (stream ??= build('stream'));
}

/**
 * The built-in variable a lowercase name is in `family`: the exact entry, else the longest prefix
 * family it starts with (`http_x_forwarded_for` → `http_`). A variable the configuration must set
 * (`memcached_key`) is not built in.
 */
export function builtinVariable(family: VariableFamily, key: string): NginxVariableData | undefined {
	const ix = index(family);
	const exact = ix.exact.get(key);
	if (exact) { return exact.userSet ? undefined : exact; }
	for (const p of ix.prefixes) {
		if (key.startsWith(p.name)) { return p; }
	}
	return undefined;
}

/** The documented variable the configuration itself must set (`memcached_key`), if `key` is one. */
export function userSetVariable(family: VariableFamily, key: string): NginxVariableData | undefined {
	const v = index(family).exact.get(key);
	return v?.userSet ? v : undefined;
}

/** Names of the built-in variables of a family (exact names only), for suggestions and completion. */
export function builtinVariableNames(family: VariableFamily): readonly string[] {
	return index(family).names;
}

/** The prefix families of a family (`http_`, `arg_`, …), longest first. */
export function builtinVariablePrefixes(family: VariableFamily): readonly NginxVariableData[] {
	return index(family).prefixes;
}
