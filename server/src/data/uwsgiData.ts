/**
 * Lookups over the generated uWSGI option table. Built once, on first use.
 */
import { UWSGI_OPTIONS } from './generated/uwsgiOptions';
import type { UwsgiOptionData } from './types';

export type { UwsgiOptionData } from './types';

let byName: Map<string, UwsgiOptionData[]> | undefined;
let names: string[] | undefined;

function index(): Map<string, UwsgiOptionData[]> {
	if (!byName) {
		byName = new Map();
		for (const o of UWSGI_OPTIONS) {
			const list = byName.get(o.name);
			if (list) { list.push(o); } else { byName.set(o.name, [o]); }
		}
	}
	return byName;
}

/** Every definition of an option name (several when core and a plugin, or two plugins, define it). */
export function getUwsgiOptions(name: string): readonly UwsgiOptionData[] {
	return index().get(name) ?? [];
}

let best: Map<string, UwsgiOptionData> | undefined;

/** The definition users get: core first, then the 2.0 release line, then master-only. */
export function getUwsgiOption(name: string): UwsgiOptionData | undefined {
	if (!best) {
		best = new Map();
		for (const [n, defs] of index()) {
			best.set(n, defs.find(d => d.plugin === 'core' && d.since === '2.0') ?? defs.find(d => d.since === '2.0') ?? defs[0]);
		}
	}
	return best.get(name);
}

export function isUwsgiOption(name: string): boolean {
	return index().has(name);
}

/** All option names, each once, in table order (core first). */
export function uwsgiOptionNames(): readonly string[] {
	if (!names) { names = [...index().keys()]; }
	return names;
}

/** All option names known to the data, as a set of every definition. */
export function allUwsgiOptions(): readonly UwsgiOptionData[] {
	return UWSGI_OPTIONS;
}

/** Names that denote the same option as `name` (its aliases and itself). */
export function uwsgiOptionGroup(name: string): readonly string[] {
	const o = getUwsgiOption(name);
	return o ? [o.name, ...(o.aliases ?? [])] : [name];
}
