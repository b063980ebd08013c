/**
 * Pure conversion from the extracted reference tables to the compact data the language
 * service ships. No file access here: scripts/generateData.ts does the I/O, and
 * test/data/generator.test.ts checks these functions on small hand-made inputs.
 */
import type { NginxDirectiveData, NginxVariableData, UwsgiOptionData } from '../server/src/data/types';

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

// ---- nginx variables --------------------------------------------------------------------

/** A variable as `@nginx/reference-lib`'s getVariables() lists it (`$arg_NAME` for a family). */
export interface RawReferenceVariable {
	readonly name: string;
	readonly module: string;
}

/** A variable nginx's C source defines, as extractSourceVariables finds it. */
export interface SourceVariable {
	readonly family: 'http' | 'stream';
	readonly name: string;
	readonly prefix: boolean;
	readonly module: string;
}

/** The extracted list as it is checked in (scripts/data/nginx-source-variables.json). */
export interface SourceVariables {
	readonly source: unknown;
	readonly variables: readonly SourceVariable[];
}

/**
 * Variables the documentation lists that no module defines: the module reads them, and the
 * configuration must set them. `memcached_pass` without `set $memcached_key …` anywhere makes
 * nginx -t fail with `unknown "memcached_key" variable` (test/integration/nginxVariables.test.ts).
 */
export const USER_SET_VARIABLES: ReadonlySet<string> = new Set(['memcached_key']);

/** The documented module name of a C source file (`src/http/modules/ngx_http_gzip_filter_module.c` → ngx_http_gzip_module). */
export function moduleOfSource(path: string): string {
	const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.c$/, '');
	if (base === 'ngx_http_variables') { return 'ngx_http_core_module'; }
	if (base === 'ngx_stream_variables') { return 'ngx_stream_core_module'; }
	if (base === 'ngx_http_upstream' || base === 'ngx_stream_upstream') { return `${base}_module`; }
	return base.replace(/_filter_module$/, '_module');
}

/**
 * The variables nginx's C source defines: the entries of every `ngx_http_variable_t` /
 * `ngx_stream_variable_t` array (`NGX_*_VAR_PREFIX` marks a family), and the static names a
 * module adds with `ngx_http_add_variable(cf, &name, …)`. Names only, from the text.
 */
export function extractSourceVariables(files: readonly { readonly path: string; readonly text: string }[]): SourceVariable[] {
	const out: SourceVariable[] = [];
	const seen = new Set<string>();
	const add = (v: SourceVariable) => {
		const key = `${v.family}:${v.name}`;
		if (!seen.has(key)) {
			seen.add(key);
			out.push(v);
		}
	};
	for (const { path, text } of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
		if (!path.endsWith('.c')) { continue; }
		const module = moduleOfSource(path);
		for (const m of text.matchAll(/static\s+ngx_(http|stream)_variable_t\s+\w+\[\]\s*=\s*\{([\s\S]*?)\n\};/g)) {
			const family = m[1] as 'http' | 'stream';
			for (const e of m[2].matchAll(/\{\s*ngx_string\("([^"]+)"\)\s*,([^}]*)\}/g)) {
				add({ family, name: e[1], prefix: /_VAR_PREFIX\b/.test(e[2]), module });
			}
		}
		for (const m of text.matchAll(/static\s+ngx_str_t\s+(\w+)\s*=\s*ngx_string\("([^"]+)"\);/g)) {
			const call = new RegExp(`ngx_(http|stream)_add_variable\\(\\s*cf\\s*,\\s*&${m[1]}\\b`).exec(text);
			if (call) { add({ family: call[1] as 'http' | 'stream', name: m[2], prefix: false, module }); }
		}
	}
	return out;
}

function familyOfModule(module: string): 'http' | 'stream' {
	return module.startsWith('ngx_stream_') ? 'stream' : 'http';
}

/**
 * The variable table: every documented variable (`$arg_NAME` becomes the family `arg_`) and
 * every variable of nginx's source the documentation omits. Sorted by family and name.
 */
export function convertNginxVariables(docs: readonly RawReferenceVariable[], source: SourceVariables): NginxVariableData[] {
	const rows = new Map<string, { -readonly [K in keyof NginxVariableData]: NginxVariableData[K] }>();
	for (const v of docs) {
		const raw = v.name.replace(/^\$/, '');
		const prefix = raw.endsWith('_NAME');
		const name = (prefix ? raw.slice(0, -'NAME'.length) : raw).toLowerCase();
		const family = familyOfModule(v.module);
		const row: { -readonly [K in keyof NginxVariableData]: NginxVariableData[K] } = { name, module: v.module, family, documented: true };
		if (prefix) { row.prefix = true; }
		if (USER_SET_VARIABLES.has(name)) { row.userSet = true; }
		rows.set(`${family}:${name}`, rows.get(`${family}:${name}`) ?? row);
	}
	for (const v of source.variables) {
		const key = `${v.family}:${v.name}`;
		if (rows.has(key)) { continue; }
		const row: { -readonly [K in keyof NginxVariableData]: NginxVariableData[K] } = { name: v.name, module: v.module, family: v.family, documented: false };
		if (v.prefix) { row.prefix = true; }
		rows.set(key, row);
	}
	return [...rows.values()].sort((a, b) => (a.family !== b.family ? (a.family < b.family ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
