/**
 * Settings of the language service: the typed form of the `uwsgiNginx.*` configuration
 * section (package.json `contributes.configuration`). The server pulls them per resource;
 * the CLI reads them from `--config settings.json`. See docs/ARCHITECTURE.md, "Adding a setting".
 */
import { codeById, type Severity } from '../analysis/codes';

export type SeverityOverride = Severity | 'off';

export interface Settings {
	readonly diagnostics: {
		/** Per code id: a severity, or `off`. Codes not listed keep their default. */
		readonly severity: Readonly<Record<string, SeverityOverride>>;
	};
	/** Where "Convert to unix socket" puts the socket. */
	readonly unixSocketDirectory: string;
	readonly format: {
		readonly enable: boolean;
		/** Line up the values of `map` entries. */
		readonly alignMapValues: boolean;
		/** Longest run of blank lines kept. */
		readonly maxBlankLines: number;
	};
	readonly nginx: {
		/** Directive names (or definitions) the user's own modules add. */
		readonly extraDirectives: readonly (string | { readonly name: string; readonly contexts?: readonly string[] })[];
		/** The folder relative includes are resolved against (nginx's prefix, e.g. a workspace copy of /etc/nginx). */
		readonly prefix?: string;
		/** Absolute paths in the configs → folders in the workspace (`{"/etc/nginx": "/home/me/project/deploy/nginx"}`). */
		readonly pathMappings: Readonly<Record<string, string>>;
	};
}

export const DEFAULT_SETTINGS: Settings = {
	diagnostics: { severity: {} },
	unixSocketDirectory: '/run/uwsgi',
	format: { enable: true, alignMapValues: false, maxBlankLines: 1 },
	nginx: { extraDirectives: [], pathMappings: {} },
};

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'information', 'hint', 'off']);

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface SettingsProblem {
	readonly message: string;
}

/**
 * Builds Settings from what a client sends (the `uwsgiNginx` section as an object) or from a
 * settings.json (flat keys such as `"uwsgiNginx.diagnostics.severity"` are accepted too).
 * Unknown or malformed values are dropped and reported, never thrown.
 */
export function normalizeSettings(raw: unknown, problems: SettingsProblem[] = []): Settings {
	if (!isObject(raw)) { return DEFAULT_SETTINGS; }
	const section = expandFlatKeys(raw);
	const severity: Record<string, SeverityOverride> = {};
	const diag = section.diagnostics;
	if (isObject(diag) && isObject(diag.severity)) {
		for (const [id, level] of Object.entries(diag.severity)) {
			if (!codeById(id)) {
				problems.push({ message: `uwsgiNginx.diagnostics.severity: unknown code "${id}"` });
			} else if (typeof level !== 'string' || !SEVERITIES.has(level)) {
				problems.push({ message: `uwsgiNginx.diagnostics.severity: "${String(level)}" for "${id}" is not one of error, warning, information, hint, off` });
			} else {
				severity[id] = level as SeverityOverride;
			}
		}
	}
	const extra: Settings['nginx']['extraDirectives'][number][] = [];
	const nginx = section.nginx;
	if (isObject(nginx) && Array.isArray(nginx.extraDirectives)) {
		for (const e of nginx.extraDirectives) {
			if (typeof e === 'string' && e) {
				extra.push(e);
			} else if (isObject(e) && typeof e.name === 'string') {
				const contexts = Array.isArray(e.contexts) ? e.contexts.filter((c): c is string => typeof c === 'string') : undefined;
				extra.push(contexts ? { name: e.name, contexts } : { name: e.name });
			}
		}
	}
	const prefix = isObject(nginx) && typeof nginx.prefix === 'string' && nginx.prefix ? nginx.prefix : undefined;
	const pathMappings: Record<string, string> = {};
	if (isObject(nginx) && isObject(nginx.pathMappings)) {
		for (const [from, to] of Object.entries(nginx.pathMappings)) {
			if (typeof to === 'string' && from.startsWith('/')) { pathMappings[from] = to; }
		}
	}
	const dir = typeof section.unixSocketDirectory === 'string' && section.unixSocketDirectory.startsWith('/') ? section.unixSocketDirectory : DEFAULT_SETTINGS.unixSocketDirectory;
	const f = isObject(section.format) ? section.format : {};
	const format = {
		enable: typeof f.enable === 'boolean' ? f.enable : true,
		alignMapValues: f.alignMapValues === true,
		maxBlankLines: typeof f.maxBlankLines === 'number' && f.maxBlankLines >= 0 ? Math.floor(f.maxBlankLines) : 1,
	};
	return { diagnostics: { severity }, unixSocketDirectory: dir, format, nginx: prefix ? { extraDirectives: extra, prefix, pathMappings } : { extraDirectives: extra, pathMappings } };
}

/** `{"uwsgiNginx.diagnostics.severity": x}` or `{"uwsgiNginx": {...}}` or the section itself → the section. */
function expandFlatKeys(raw: Record<string, unknown>): Record<string, unknown> {
	const base: Record<string, unknown> = isObject(raw.uwsgiNginx) ? { ...raw.uwsgiNginx } : { ...raw };
	for (const [key, value] of Object.entries(raw)) {
		if (!key.startsWith('uwsgiNginx.')) { continue; }
		const parts = key.slice('uwsgiNginx.'.length).split('.');
		let obj = base;
		for (let k = 0; k < parts.length - 1; k++) {
			const next = obj[parts[k]];
			obj = obj[parts[k]] = isObject(next) ? { ...next } : {};
		}
		obj[parts[parts.length - 1]] = value;
	}
	return base;
}
