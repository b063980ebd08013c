/**
 * How to let the installed uWSGI read a config without it doing anything: uWSGI runs some
 * options while it reads (`exec-asap`, `hook-asap`, `@(exec://…)` commands, `chdir`) and others
 * when it exits (`vacuum` removes the pid file and sockets — of a live deployment, if the paths
 * exist here). The copy it reads has those values replaced by harmless ones, its files moved into
 * the throw-away folder; option names are never changed, so strict mode judges the same keys.
 * Pure: the host adapter writes the copy and runs uWSGI.
 */

/** Options whose value names a file uWSGI writes or removes. */
const WRITES = new Set(['pidfile', 'pidfile2', 'safe-pidfile', 'safe-pidfile2', 'daemonize', 'daemonize2', 'logto', 'logto2', 'stats-push', 'req-logger', 'logger']);

export interface UwsgiCopy {
	readonly text: string;
	/** What was changed, for the report. */
	readonly notes: readonly string[];
}

/**
 * The text of the copy of an ini file. `mapPath` turns a deployment path into its copy in the
 * sandbox (undefined: not in the workspace); `scratch` is a folder of the sandbox for files uWSGI
 * would write.
 */
export function neutralizeUwsgiIni(text: string, mapPath: (p: string) => string | undefined, scratch: string): UwsgiCopy {
	const notes = new Set<string>();
	let n = 0;
	const lines = text.split('\n').map(line => {
		const m = /^(\s*)([^=\s;#[][^=]*?)(\s*=\s*)(.*?)(\s*)$/.exec(line);
		if (!m) { return line; }
		const [, lead, key, eq, value, tail] = m;
		let v = value.replace(/@\(exec:\/\/[^)]*\)/g, () => { notes.add('@(exec://…) commands are not run: read as empty'); return ''; });
		if (/^exec-/.test(key)) {
			notes.add(`${key}: the command is not run`);
			v = 'true';
		} else if (/^hook-/.test(key)) {
			notes.add(`${key}: the hook is not run`);
			v = 'exec:true';
		} else if (key === 'vacuum') {
			notes.add('vacuum: off (it would remove the pid file and sockets of a running deployment on exit)');
			v = 'false';
		} else if (WRITES.has(key)) {
			v = `${scratch}/${++n}-${key}`;
		} else if (key === 'chdir' || key === 'chdir2') {
			const mapped = mapPath(v.replace(/\/+$/, ''));
			notes.add(mapped ? `${key}: the workspace's copy of ${v}` : `${key} ${v}: not in the workspace, the throw-away folder used instead`);
			v = mapped ?? scratch;
		} else if (/^(ini|include|inherit|yaml|json|xml)$/.test(key) && v.startsWith('/')) {
			const mapped = mapPath(v.replace(/:[\w-]+$/, ''));
			if (mapped) { v = mapped + (/:[\w-]+$/.exec(v)?.[0] ?? ''); }
		}
		return `${lead}${key}${eq}${v}${tail}`;
	});
	return { text: lines.join('\n'), notes: [...notes] };
}
