/** file:// URIs ⇄ paths, without the vscode-uri dependency (POSIX and Windows drive paths). */

export function uriToPath(uri: string): string | undefined {
	if (!uri.startsWith('file://')) { return undefined; }
	const raw = uri.slice('file://'.length).replace(/^[^/]*/, '');
	let p: string;
	try {
		p = decodeURIComponent(raw);
	} catch {
		// a malformed %-escape: keep the text as written rather than fail
		p = raw;
	}
	if (/^\/[A-Za-z]:/.test(p)) { p = p.slice(1); }
	return p;
}

export function pathToUri(path: string): string {
	let p = path.replace(/\\/g, '/');
	if (/^[A-Za-z]:/.test(p)) { p = '/' + p; }
	return 'file://' + p.split('/').map(s => encodeURIComponent(s).replace(/%3A/g, ':')).join('/');
}
