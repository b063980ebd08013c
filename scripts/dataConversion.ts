/**
 * Pure conversion from the extracted reference tables to the compact data the language
 * service ships. No file access here: scripts/generateData.ts does the I/O, and
 * test/data/generator.test.ts checks these functions on small hand-made inputs.
 */
import type { NginxDirectiveData, UwsgiOptionData } from '../server/src/data/types';

// ---- uWSGI ------------------------------------------------------------------------------

export interface RawUwsgiOption {
	name: string;
	plugin: string;
	argument: string;
	shortcut: string | null;
	handler: string;
	value_type: string;
	flags: string[];
	data_string?: string;
	if?: string[];
	aliases?: string[];
	deprecated?: boolean;
	doc_url: string | null;
	doc_url_computed: string;
	in_release_2_0_30?: boolean;
}

export interface RawUwsgiTables {
	sources: unknown;
	handler_types: Record<string, { type: string; note?: string }>;
	options: RawUwsgiOption[];
	shortcut_conflicts?: Record<string, { winner: string; all: string[] }>;
}

/** Value types whose handlers collect every occurrence even when the note does not say "repeatable". */
const ALWAYS_REPEATABLE_TYPES = new Set([
	'config_file', 'config_logic', 'config_logic_end', 'key_value', 'custom_option_definition',
	'custom_option', 'action', 'deprecated',
]);

/** Handlers whose every call has an effect of its own (printing, loading plugins, defining names). */
const ALWAYS_REPEATABLE_HANDLERS = new Set(['uwsgi_opt_print', 'uwsgi_opt_load_plugin', 'uwsgi_opt_load_dl']);

export function isRepeatable(handler: string, type: string, note: string | undefined): boolean {
	return /\brepeatable\b/.test(note ?? '') || ALWAYS_REPEATABLE_TYPES.has(type) || ALWAYS_REPEATABLE_HANDLERS.has(handler)
		// handlers that append to a list (mules, spoolers, legion hooks, ...)
		|| /^uwsgi_opt_add_|legion/.test(handler);
}

function argumentKind(raw: string): UwsgiOptionData['argument'] {
	if (raw === 'no_argument') { return 'none'; }
	if (raw === 'optional_argument') { return 'optional'; }
	return 'required';
}

function convertOption(o: RawUwsgiOption, tables: RawUwsgiTables, since: UwsgiOptionData['since']): UwsgiOptionData {
	const ht = tables.handler_types[o.handler];
	const out: { -readonly [K in keyof UwsgiOptionData]: UwsgiOptionData[K] } = {
		name: o.name,
		plugin: o.plugin,
		argument: argumentKind(o.argument),
		type: o.value_type,
		handler: o.handler,
		repeatable: isRepeatable(o.handler, o.value_type, ht?.note),
		flags: o.flags.map(f => f.replace(/^UWSGI_OPT_/, '').toLowerCase()),
		since,
		docUrl: o.doc_url ?? o.doc_url_computed,
		documented: o.doc_url !== null,
	};
	if (o.shortcut) { out.shortcut = o.shortcut; }
	if (o.aliases && o.aliases.length) { out.aliases = [...o.aliases]; }
	if (o.data_string && o.value_type.includes('socket')) { out.protocol = o.data_string; }
	if (o.if && o.if.length) { out.conditions = [...o.if]; }
	if (o.deprecated) { out.deprecated = true; }
	return out;
}

/**
 * Merges the 2.0.30 table (what users run) with the master table: options only in master
 * are added with `since: '2.1-dev'`; options only in 2.0.30 are marked `removedInMaster`.
 */
export function convertUwsgi(release: RawUwsgiTables, master: RawUwsgiTables): { options: UwsgiOptionData[]; source: unknown } {
	const key = (o: RawUwsgiOption) => `${o.plugin}:${o.name}`;
	const masterKeys = new Set(master.options.map(key));
	const options: UwsgiOptionData[] = [];
	for (const o of release.options) {
		const c = convertOption(o, release, '2.0');
		options.push(masterKeys.has(key(o)) ? c : { ...c, removedInMaster: true });
	}
	for (const o of master.options) {
		if (o.in_release_2_0_30 === false) {
			options.push(convertOption(o, master, '2.1-dev'));
		}
	}
	return { options, source: { release: release.sources, master: master.sources } };
}

// ---- nginx ------------------------------------------------------------------------------

export interface RawNginxDirective {
	name: string;
	module: string;
	origin: string;
	contexts: string[];
	args: { min: number; max: number | null; counts: number[] | null; flag: boolean; block: boolean; any: boolean };
	value_type: string;
	values_kind?: string;
	allowed_values?: string[];
	conditional_values?: unknown;
	bounds?: { low: number; high: number };
	repeat_same_level?: string;
	block_child_contexts?: string[];
	raw_content_block?: boolean;
	raw_content_keywords?: string[];
	deprecated?: { status: string; replacement?: string | null };
	if?: string[];
	doc_url?: string | null;
}

export interface RawNginxTables {
	sources: unknown;
	directives: RawNginxDirective[];
}

/**
 * What the installed nginx answered about a directive with a custom setter written twice at one
 * level (scripts/data/nginx-repeat.json, made by scripts/probeNginxRepeat.ts): by context, the
 * same value twice and two different values.
 */
export interface RepeatFactRow {
	readonly name: string;
	readonly module: string;
	readonly same: Readonly<Record<string, 'error' | 'accepted'>>;
	readonly different?: Readonly<Record<string, 'error' | 'accepted'>>;
}

/**
 * The repeat rule the facts prove: `error` when nginx refused the second occurrence in every
 * context it was asked in, whatever the value; otherwise none (a repeat refused only for the same
 * key, such as limit_conn of one zone, is a rule of its own in the duplicate check).
 */
export function repeatFromFacts(row: RepeatFactRow | undefined): 'error' | undefined {
	if (!row) { return undefined; }
	const same = Object.values(row.same);
	const different = Object.values(row.different ?? {});
	return same.length > 0 && same.every(v => v === 'error') && different.every(v => v === 'error') ? 'error' : undefined;
}

export function convertNginxDirective(d: RawNginxDirective, facts?: ReadonlyMap<string, RepeatFactRow>): NginxDirectiveData {
	const out: { -readonly [K in keyof NginxDirectiveData]: NginxDirectiveData[K] } = {
		name: d.name,
		module: d.module,
		origin: d.origin,
		contexts: [...d.contexts],
		args: { min: d.args.min, max: d.args.max, counts: d.args.counts ? [...d.args.counts] : null, flag: d.args.flag, block: d.args.block, any: d.args.any },
		valueType: d.value_type,
	};
	if (d.allowed_values && d.allowed_values.length) {
		out.values = [...d.allowed_values];
		out.valuesKind = d.values_kind === 'bitmask' ? 'bitmask' : 'enum';
	}
	if (d.bounds) { out.bounds = { low: d.bounds.low, high: d.bounds.high }; }
	if (d.repeat_same_level) {
		out.repeat = d.repeat_same_level.startsWith('error') ? 'error' : 'accumulates';
	} else if (facts) {
		const asked = repeatFromFacts(facts.get(`${d.name} ${d.module}`));
		if (asked) { out.repeat = asked; }
	}
	if (d.block_child_contexts && d.block_child_contexts.length) { out.blockContexts = [...d.block_child_contexts]; }
	if (d.raw_content_block) {
		out.rawBlock = true;
		out.rawKeywords = [...(d.raw_content_keywords ?? [])];
	}
	if (d.deprecated) {
		out.deprecated = d.deprecated.replacement ? { status: d.deprecated.status, replacement: d.deprecated.replacement } : { status: d.deprecated.status };
	}
	if (d.if && d.if.length) { out.conditions = [...d.if]; }
	if (d.doc_url) { out.docUrl = d.doc_url; }
	return out;
}

export function convertNginx(tables: RawNginxTables, repeatFacts: readonly RepeatFactRow[] = []): { directives: NginxDirectiveData[]; source: unknown } {
	const facts = new Map(repeatFacts.map(r => [`${r.name} ${r.module}`, r]));
	return { directives: tables.directives.map(d => convertNginxDirective(d, facts)), source: tables.sources };
}

// ---- output -----------------------------------------------------------------------------

/** Renders a TypeScript module holding one exported, typed, readonly array, one entry per line. */
export function renderModule(constName: string, typeName: string, rows: readonly object[], source: unknown): string {
	const lines = rows.map(r => '\t' + JSON.stringify(r) + ',');
	return [
		'// GENERATED by scripts/generateData.ts from shared/reference — do not edit; run `npm run update-data`.',
		`// Source: ${JSON.stringify(source)}`,
		`import type { ${typeName} } from '../types';`,
		'',
		`export const ${constName}: readonly ${typeName}[] = [`,
		...lines,
		'];',
		'',
	].join('\n');
}
