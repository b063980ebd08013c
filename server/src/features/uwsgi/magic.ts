/** What uWSGI's magic `%x` variables expand to (core/utils.c), computed for a file where possible. */
import { magicValue } from '../../analysis/uwsgi/magicValues';

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

export function magicVariableHover(letter: string, uri: string): string {
	if (/[0-9]/.test(letter)) {
		return `\`%${letter}\` — part ${letter} of this file's directory path, split on \`/\` (\`%0\` is the first).`;
	}
	const upper = 'ODSPCENXIJ'.includes(letter) ? letter.toLowerCase() : undefined;
	const meaning = MEANING[letter] ?? (upper && MEANING[upper] ? `${MEANING[upper]}, frozen to the first config file loaded` : undefined);
	if (!meaning) {
		return `\`%${letter}\` — not a uWSGI magic variable: uWSGI replaces it with nothing. Write \`%%\` for a literal percent sign.`;
	}
	const value = magicValue(letter, uri);
	return `\`%${letter}\` — ${meaning}.${value !== undefined ? ` Here: \`${value}\`` : ''}`;
}

/** The magic letters uWSGI knows. */
export const MAGIC_LETTERS = new Set([...Object.keys(MEANING), ...'ODSPCENXIJ0123456789']);
