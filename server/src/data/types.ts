/**
 * Shapes of the generated language data. The generator (scripts/generateData.ts) writes
 * arrays of these into server/src/data/generated/; lookups live in uwsgiData.ts / nginxData.ts.
 */

/** One uWSGI option entry (core or plugin), from the extracted option tables. */
export interface UwsgiOptionData {
	readonly name: string;
	/** `core` or the plugin folder name (`python`, `http`, `router_basicauth`, ...). */
	readonly plugin: string;
	readonly argument: 'required' | 'none' | 'optional';
	/** Short command-line letter, if any (`s` for `socket`). */
	readonly shortcut?: string;
	/** Value type derived from the handler (`boolean`, `int`, `socket`, `string_list`, ...). */
	readonly type: string;
	readonly handler: string;
	/** Every occurrence counts (lists, sockets, routes, loaders); false: the last one wins. */
	readonly repeatable: boolean;
	/** UWSGI_OPT_* flags without the prefix, lowercased: `immediate`, `master`, `threads`, ... */
	readonly flags: readonly string[];
	/** Other names of the same option (same plugin, handler and target). */
	readonly aliases?: readonly string[];
	/** For socket options: the protocol the socket speaks (`uwsgi`, `http`, `fastcgi`, ...). */
	readonly protocol?: string;
	/** Build conditions (`defined(UWSGI_SSL)`). */
	readonly conditions?: readonly string[];
	readonly deprecated?: boolean;
	/** `2.0` for options of the released 2.0.x line, `2.1-dev` for options only in master. */
	readonly since: '2.0' | '2.1-dev';
	/** True for the one option that exists in 2.0.30 but was removed in master. */
	readonly removedInMaster?: boolean;
	readonly docUrl: string;
	/** Whether the official Options page documents this option (false: the link is the computed anchor). */
	readonly documented: boolean;
}

export interface NginxArgRule {
	readonly min: number;
	/** null: unbounded. */
	readonly max: number | null;
	/** Exact allowed counts (TAKE bits are a set); null for 1MORE/2MORE/ANY. */
	readonly counts: readonly number[] | null;
	readonly flag: boolean;
	readonly block: boolean;
	readonly any: boolean;
}

/** One nginx directive definition (one per module that defines it). */
export interface NginxDirectiveData {
	readonly name: string;
	readonly module: string;
	/** `nginx`, `njs` or `third-party`. */
	readonly origin: string;
	/** Context ids: main, events, http, http.server, http.location, http.upstream, http.server.if, ... */
	readonly contexts: readonly string[];
	readonly args: NginxArgRule;
	readonly valueType: string;
	readonly values?: readonly string[];
	readonly valuesKind?: 'enum' | 'bitmask';
	readonly bounds?: { readonly low: number; readonly high: number };
	/** `error`: a second occurrence at the same level is "duplicate"; `accumulates`: each one adds. */
	readonly repeat?: 'error' | 'accumulates';
	/** For block directives: the context ids the block opens. */
	readonly blockContexts?: readonly string[];
	/** The block body is read by the module's own handler (map, types, geo, ...), not as directives. */
	readonly rawBlock?: boolean;
	readonly rawKeywords?: readonly string[];
	readonly deprecated?: { readonly status: string; readonly replacement?: string };
	readonly conditions?: readonly string[];
	readonly docUrl?: string;
	/** For directives nginx no longer has: the version that removed them. */
	readonly removedIn?: string;
}

/** One nginx variable a module defines (http and stream have separate sets). */
export interface NginxVariableData {
	/** The name without `$`, lowercase; for a family of names, its prefix (`http_`). */
	readonly name: string;
	readonly module: string;
	readonly family: 'http' | 'stream';
	/** A family: every name that starts with `name` is defined (`$http_user_agent`, `$arg_page`). */
	readonly prefix?: boolean;
	/** The official documentation describes it (else it is only in nginx's C source). */
	readonly documented: boolean;
	/** Documented, but no module defines it: the configuration must set it (`set $memcached_key …`). */
	readonly userSet?: boolean;
}
