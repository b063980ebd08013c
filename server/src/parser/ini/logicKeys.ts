/** Keys that open and close uWSGI config-logic blocks (core/uwsgi.c; `else` is master only). */
export const LOGIC_START_KEYS: ReadonlySet<string> = new Set([
	'for', 'for-glob', 'for-times', 'for-readline',
	'if-opt', 'if-not-opt',
	'if-env', 'ifenv', 'if-not-env',
	'if-reload', 'if-not-reload',
	'if-hostname', 'if-not-hostname', 'if-hostname-match', 'if-not-hostname-match',
	'if-exists', 'ifexists', 'if-not-exists',
	'if-file', 'if-not-file',
	'if-dir', 'ifdir', 'if-directory', 'if-not-dir',
	'if-plugin', 'ifplugin', 'if-not-plugin',
]);

/** Any of these closes whatever block is open; `end` is not a registered option. */
export const LOGIC_END_KEYS: ReadonlySet<string> = new Set(['endif', 'end-if', 'endfor', 'end-for', 'end']);

/** `else` (master only) ends the open block and starts a new one. */
export const LOGIC_ELSE_KEY = 'else';
