/**
 * Config files a uWSGI ini loads: `ini = other.ini[:section]`, `include`, `inherit`, `yaml`,
 * `json`, `xml` (the option table's config_file options), resolved against the workspace: first
 * next to the loading file, then by file name anywhere in the workspace.
 */
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import { normalizePath as normalize } from '../../utils/paths';
import { uriToPath } from '../../utils/uri';
import { magicValue } from './magicValues';
import { optionEntries } from './entries';

export interface ConfigLoad {
	readonly entry: IniEntryLine;
	/** The file part of the value (without `:section`). */
	readonly file: string;
	readonly section?: string;
	/** Workspace URIs it resolves to. */
	readonly targets: readonly string[];
}

/** Loaders whose value is a local file (not ldap/sqlite/URLs). */
const FILE_LOADERS: ReadonlySet<string> = new Set(['ini', 'include', 'inherit', 'yaml', 'yml', 'json', 'js', 'xml', 'xmlconfig', 'ini-paste', 'ini-paste-logged', 'pypy-ini-paste', 'config']);

export function configLoads(uri: string, doc: IniDocument, workspaceUris: readonly string[]): ConfigLoad[] {
	const out: ConfigLoad[] = [];
	const path = uriToPath(uri) ?? '';
	const dir = path.slice(0, path.lastIndexOf('/') + 1);
	const all = optionEntries(doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option } = all[i];
		if (option.type !== 'config_file' || !FILE_LOADERS.has(option.name)) { continue; }
		// in a function of its own: closures in this loop's body would make a context for every entry
		const load = loadOf(uri, dir, entry, workspaceUris);
		if (load) { out.push(load); }
	}
	return out;
}

function loadOf(uri: string, dir: string, entry: IniEntryLine, workspaceUris: readonly string[]): ConfigLoad | undefined {
	// loaders are immediate: only magic variables are expanded in their value
	const value = entry.value.text.replace(/%([a-zA-Z])/g, (w, l: string) => magicValue(l, uri) ?? w);
	if (!value || /^[a-z]+:\/\//.test(value) || /[$@%]\(/.test(value)) { return undefined; }
	const colon = value.lastIndexOf(':');
	const file = colon > 0 && !value.slice(colon).includes('/') ? value.slice(0, colon) : value;
	const section2 = file !== value ? value.slice(colon + 1) : undefined;
	const absolute = file.startsWith('/') ? file : dir + file;
	const norm = normalize(absolute);
	let targets = workspaceUris.filter(u => uriToPath(u) === norm);
	if (!targets.length) {
		const base = '/' + file.split('/').pop();
		targets = workspaceUris.filter(u => (uriToPath(u) ?? '').endsWith(base));
	}
	return section2 !== undefined ? { entry, file, section: section2, targets } : { entry, file, targets };
}
