/** What uWSGI's magic `%x` variables expand to (core/utils.c), computed for a file where possible. */
import { uriToPath } from '../../utils/uri';

const MEANING: Record<string, string> = {
	d: 'the absolute directory of this config file, with a trailing `/`',
	p: 'the absolute path of this config file',
	s: 'the file name of this config file',
	n: 'the file name without its last extension',
	e: 'the extension of the file name',
	c: 'the name of the directory that holds this file',
	x: 'the section name given as `file:section` (empty if none)',
	o: 'the file name as written on the command line',
	i: 'the inode of the file',
	j: 'a hex hash of the file path',
	b: 'the path of the uWSGI binary',
	v: 'the current working directory',
	h: 'the host name',
	t: 'the unix time in seconds at startup',
	T: 'the unix time in microseconds at startup',
	V: 'the uWSGI version',
	k: 'the number of CPU cores',
	u: 'the uid uWSGI runs as',
	U: 'the user name uWSGI runs as',
	g: 'the gid uWSGI runs as',
	G: 'the group name uWSGI runs as',
	'[': 'the ESC character (for colours in logs)',
	'%': 'a literal `%`',
};

/** Values computable from the file path alone. */
function valueFor(letter: string, uri: string): string | undefined {
	const path = uriToPath(uri);
	if (!path) { return undefined; }
	const slash = path.lastIndexOf('/');
	const dir = path.slice(0, slash + 1);
	const file = path.slice(slash + 1);
	const dot = file.lastIndexOf('.');
	switch (letter) {
		case 'd': return dir;
		case 'p': return path;
		case 's': return file;
		case 'n': return dot > 0 ? file.slice(0, dot) : file;
		case 'e': return dot > 0 ? file.slice(dot + 1) : '';
		case 'c': { const parts = dir.split('/').filter(Boolean); return parts[parts.length - 1] ?? ''; }
		default: return undefined;
	}
}

export function magicVariableHover(letter: string, uri: string): string {
	if (/[0-9]/.test(letter)) {
		return `\`%${letter}\` — part ${letter} of this file's directory path, split on \`/\` (\`%0\` is the first).`;
	}
	const upper = 'ODSPCENXIJ'.includes(letter) ? letter.toLowerCase() : undefined;
	const meaning = MEANING[letter] ?? (upper && MEANING[upper] ? `${MEANING[upper]}, frozen to the first config file loaded` : undefined);
	if (!meaning) {
		return `\`%${letter}\` — not a uWSGI magic variable: uWSGI replaces it with nothing. Write \`%%\` for a literal percent sign.`;
	}
	const value = valueFor(letter, uri);
	return `\`%${letter}\` — ${meaning}.${value !== undefined ? ` Here: \`${value}\`` : ''}`;
}

/** The magic letters uWSGI knows. */
export const MAGIC_LETTERS = new Set([...Object.keys(MEANING), ...'ODSPCENXIJ0123456789']);
