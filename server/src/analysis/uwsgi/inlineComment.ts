/**
 * uwsgi-inline-comment: uWSGI has no inline comments, so a ` # note` after a value is part of it.
 * Reported only where that changes what uWSGI does:
 *
 * - a switch written false (`master = false # later`) reads as TRUE — the value is no longer
 *   exactly "false"; `true # x` stays true and is not reported;
 * - a path, module, file or name keeps the comment (`socket = /run/app.sock # main` binds a
 *   socket of that name; `module = app:application # x` finds no application);
 * - an address whose comment moves the port or the host (`:8000 # note: x` — the last `:` is in
 *   the comment); `0.0.0.0:8000 ; note` binds port 8000, as meant, and is not reported;
 * - a name of a fixed set that uWSGI then ignores or replaces by its default.
 *
 * A number is not reported: uWSGI's number parsing stops at the blank (`socket-timeout = 600 #
 * seconds` is 600). Where the comment stops uWSGI at startup (after a chmod mode, a folder to
 * change into, a user, a protocol, …) uwsgi-invalid-value reports it as an error instead.
 * Command-like values (daemons, hooks, cron, routes), where `;` and `#` belong to a shell or a
 * rule, are left alone. The fix moves the comment onto its own line above.
 */
import { UWSGI_VALUE_RULES } from '../../data/uwsgiValues';
import type { UwsgiOptionData } from '../../data/types';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { optionEntries } from './entries';
import { fixedValueProblem, loadsForeignPlugin, startupProblem } from './invalidValue';
import { parseUwsgiAddress, sameUwsgiAddress, SERVER_SOCKET_HANDLERS, type UwsgiAddress } from './sockets';
import { inlineCommentAt, readsAsFalse } from './values';

export { inlineCommentAt };

const NUMBER_TYPES = new Set(['int', 'uint64', 'uint16', 'megabytes', 'int_optional']);

export function checkInlineComments(ctx: UwsgiContext): void {
	const text = ctx.doc.text;
	const all = optionEntries(ctx.doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option } = all[i];
		const v = entry.value;
		const at = inlineCommentAt(option, v.text);
		if (at < 0) { continue; }
		// uwsgi-invalid-value reports a comment that stops uWSGI
		if (startupProblem(option, v.text, at, loadsForeignPlugin(ctx.doc))) { continue; }
		const effect = effectOf(option, v.text, v.text.slice(0, at));
		if (effect === undefined) { continue; }
		let commentOffset = v.offset + at;
		while (text[commentOffset] === ' ' || text[commentOffset] === '\t') { commentOffset++; }
		ctx.report({
			code: Codes.uwsgiInlineComment, offset: commentOffset, length: v.offset + v.length - commentOffset,
			args: { key: entry.key.text, value: v.text, effect }, data: {},
		});
	}
}

/** Whether the option's value is an address uWSGI binds (a socket, the HTTP router, the stats server). */
function isAddressOption(option: UwsgiOptionData): boolean {
	return SERVER_SOCKET_HANDLERS.has(option.handler) || option.type === 'socket' || option.name === 'stats' || option.name === 'stats-server';
}

function describe(a: UwsgiAddress | undefined): string {
	if (!a) { return 'nothing'; }
	if (a.kind === 'tcp') { return `port ${a.port}${a.port === '0' ? ' (any free port)' : ''} of the host "${a.host}"`; }
	if (a.kind === 'unix') { return `the unix socket "${a.path}"`; }
	if (a.kind === 'abstract') { return `the abstract socket "@${a.name}"`; }
	return `descriptor ${a.fd}`;
}

/**
 * What the comment changes, in words (starting with a blank), or undefined when uWSGI reads the
 * value as the author meant it.
 */
function effectOf(option: UwsgiOptionData, raw: string, meant: string): string | undefined {
	if (NUMBER_TYPES.has(option.type)) { return undefined; }
	if (option.type === 'boolean' || option.type === 'boolean_inverted') {
		if (!readsAsFalse(meant.trim())) { return undefined; }
		return ` Because of it, "${meant.trim()}" reads as TRUE (only a value that is exactly false, off, no or 0 is false): the option is ${option.type === 'boolean' ? 'ON' : 'OFF'}.`;
	}
	if (isAddressOption(option)) {
		const ssl = option.type === 'ssl_socket';
		const got = parseUwsgiAddress(raw, ssl);
		const want = parseUwsgiAddress(meant, ssl);
		if (sameUwsgiAddress(got, want)) { return undefined; }
		if (got?.kind === 'unix' && want?.kind === 'unix') { return ` uWSGI creates the socket file under that name, not "${want.path}".`; }
		const becameTcp = got?.kind === 'tcp' && want?.kind !== 'tcp';
		return ` uWSGI binds ${describe(got)}${becameTcp ? ' (the ":" in the comment makes it a TCP address)' : ''}, not ${describe(want)}.`;
	}
	const rule = UWSGI_VALUE_RULES[option.name];
	if (rule && fixedValueProblem(rule, raw) && !fixedValueProblem(rule, meant)) {
		return rule.unknown === 'fallback'
			? ` uWSGI does not know the ${rule.what} "${raw}" and uses "${rule.fallback}" instead.`
			: ` uWSGI does not know the ${rule.what} "${raw}" and ignores the option.`;
	}
	// a bare name of a fixed set that still reads right; a logger's or encoder's arguments (a path) keep the comment
	if (rule && !rule.nameEnds) { return undefined; }
	const what = option.type === 'path' || option.type === 'config_file' || /dir|file|path|home|log|pid|touch|socket/.test(option.name) ? 'path' : 'name';
	return ` The comment becomes part of the ${what} uWSGI uses.`;
}
