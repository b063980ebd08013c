/**
 * The stats servers a uWSGI config declares: every `stats` / `stats-server` option of its uWSGI
 * sections, with placeholders and magic variables resolved, `stats-http` noted, a relative unix
 * path placed below `chdir` (or, without one, next to the file), and the code lens that opens
 * the live view on it.
 */
import type { CodeLens } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { expandValue } from '../../analysis/seam/socketGraph';
import { optionEntries } from '../../analysis/uwsgi/entries';
import { readsAsFalse } from '../../analysis/uwsgi/values';
import type { IniDocument, IniEntryLine } from '../../parser/ini/nodes';
import { dirname, joinPath } from '../../utils/paths';
import { uriToPath } from '../../utils/uri';
import { formatStatsAddress, parseStatsAddress, type StatsAddress } from './address';

export const SHOW_STATS_COMMAND = 'uwsgiNginx.showStats';

export interface StatsSource {
	readonly entry: IniEntryLine;
	/** The value as written. */
	readonly configured: string;
	/** The address to read, when the value resolves to one. */
	readonly address?: StatsAddress;
	/** Why there is no address (a value from the environment, a bad port, ...). */
	readonly problem?: string;
	/** A relative unix path was placed next to the file, not below `chdir`: a guess. */
	readonly guessedFolder: boolean;
}

/** The argument of the `uwsgiNginx.showStats` command. */
export interface ShowStatsArgs {
	/** What to read (formatStatsAddress form), or undefined: ask. */
	readonly address?: string;
	readonly http: boolean;
	readonly configured: string;
	readonly uri: string;
	readonly problem?: string;
}

/**
 * `cwd`: the folder the program starts in when the host file says (a Dockerfile's WORKDIR, a
 * unit's WorkingDirectory=): a relative socket path without `chdir` is below it.
 */
export function statsSources(uri: string, doc: IniDocument, cwd?: string): StatsSource[] {
	const entries = optionEntries(doc);
	const file = uriToPath(uri);
	// each section is a config of its own (`uwsgi --ini file.ini:name`): stats-http and chdir per section
	const http = new Set(entries.filter(e => e.option.name === 'stats-http' && !readsAsFalse(e.entry.value.text.trim())).map(e => e.section));
	const chdirs = new Map<string, string | undefined>();
	for (const e of entries) {
		if (e.option.name === 'chdir' && !chdirs.has(e.section)) { chdirs.set(e.section, expandValue(doc, uri, e.entry.value.text)); }
	}
	const out: StatsSource[] = [];
	for (const { entry, option, section } of entries) {
		if (option.name !== 'stats' && option.name !== 'stats-server') { continue; }
		const configured = entry.value.text;
		// a command line's `$VAR` or `$(cmd)` is filled in when it runs
		const expanded = entry.refs.some(r => r.kind === 'shell') ? undefined : expandValue(doc, uri, configured);
		if (expanded === undefined) {
			out.push({ entry, configured, problem: 'the address depends on the environment or a file', guessedFolder: false });
			continue;
		}
		const parsed = parseStatsAddress(expanded, http.has(section));
		if ('error' in parsed) {
			out.push({ entry, configured, problem: parsed.error, guessedFolder: false });
			continue;
		}
		let address = parsed.address;
		let guessedFolder = false;
		const t = address.target;
		const chdir = chdirs.get(section);
		if (t.kind === 'unix' && !t.path.startsWith('/')) {
			const base = chdir?.startsWith('/') ? chdir : cwd?.startsWith('/') ? cwd : undefined;
			if (base) {
				address = { ...address, target: { kind: 'unix', path: joinPath(base, t.path) } };
			} else if (file) {
				address = { ...address, target: { kind: 'unix', path: joinPath(dirname(file), t.path) } };
				guessedFolder = true;
			}
		}
		out.push({ entry, configured, address, guessedFolder });
	}
	return out;
}

export function statsCodeLenses(document: TextDocument, doc: IniDocument, cwd?: string): CodeLens[] {
	return statsSources(document.uri, doc, cwd).map(s => {
		const args: ShowStatsArgs = {
			address: s.address ? formatStatsAddress(s.address) : undefined,
			http: s.address?.http ?? false,
			configured: s.configured,
			uri: document.uri,
			problem: s.problem,
		};
		const start = document.positionAt(s.entry.key.offset);
		const end = document.positionAt(s.entry.value.offset + s.entry.value.length);
		const where = args.address ? ` · ${args.address}` : '';
		return { range: { start, end }, command: { title: `$(pulse) Show live stats${where}`, command: SHOW_STATS_COMMAND, arguments: [args] } };
	});
}
