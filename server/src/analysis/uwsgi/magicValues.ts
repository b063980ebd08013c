/** Values of uWSGI's magic `%x` variables that follow from a config file's path alone. */
import { uriToPath } from '../../utils/uri';

export function magicValue(letter: string, uri: string): string | undefined {
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
		case '%': return '%';
		default: return undefined;
	}
}
