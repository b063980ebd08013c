/**
 * uwsgi-inline-comment: uWSGI has no inline comments, so in `socket = /run/app.sock # main` the
 * socket really is `/run/app.sock # main`. Reported on the ` #`/` ;` part of the value; the fix
 * moves it onto its own comment line above. Command-like values (daemons, hooks, cron, routes),
 * where `;` and `#` belong to a shell or a rule, are left alone.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import type { UwsgiOptionData } from '../../data/types';
import { optionEntries } from './entries';
import { readsAsFalse } from './values';

const COMMAND_TYPES = new Set(['command', 'cron_spec', 'keyval_spec', 'route_rule', 'legion_spec', 'string_list', 'custom_option_definition', 'action']);
const COMMAND_NAMES = /^(attach-|smart-attach-|exec-|hook-|call-|cron|unique-cron|legion-|route|final-route|error-route|response-route|log-format|logformat|log-req-encoder|log-encoder|print|declare-option|alarm|if-|for)/;

/**
 * Where an inline comment starts in an option's value (the blank before ` #`/` ;`), or -1.
 * Other value checks skip such values: this rule explains them.
 */
const commandLike = new Map<UwsgiOptionData, boolean>();

export function inlineCommentAt(option: UwsgiOptionData, value: string): number {
	// no `#` or `;`: no comment (the common case, found without a regular expression)
	if (value.indexOf('#') < 0 && value.indexOf(';') < 0) { return -1; }
	let command = commandLike.get(option);
	if (command === undefined) {
		command = COMMAND_TYPES.has(option.type) || COMMAND_NAMES.test(option.name);
		commandLike.set(option, command);
	}
	if (command) { return -1; }
	const m = /[ \t]+[#;]/.exec(value);
	return m ? m.index : -1;
}

export function checkInlineComments(ctx: UwsgiContext): void {
	const text = ctx.doc.text;
	const all = optionEntries(ctx.doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option } = all[i];
		const v = entry.value;
		const at = inlineCommentAt(option, v.text);
		if (at < 0) { continue; }
		const cutOffset = v.offset + at;
		let commentOffset = cutOffset;
		while (text[commentOffset] === ' ' || text[commentOffset] === '\t') { commentOffset++; }
		const before = text.slice(v.offset, cutOffset);
		ctx.report({
			code: Codes.uwsgiInlineComment, offset: commentOffset, length: v.offset + v.length - commentOffset,
			args: { key: entry.key.text, value: v.text, effect: effectOf(option, before) }, data: {},
		});
	}
}

/** What the comment does to the option, where it changes more than the text. */
function effectOf(option: UwsgiOptionData, before: string): string {
	if ((option.type === 'boolean' || option.type === 'boolean_inverted') && readsAsFalse(before.trim())) {
		return ` Because of it, "${before.trim()}" no longer reads as false: the option is ${option.type === 'boolean' ? 'ON' : 'OFF'}.`;
	}
	if (option.type === 'socket' || option.type === 'ssl_socket' || option.type === 'path' || option.type === 'string') {
		return ' The comment becomes part of the path or name uWSGI uses.';
	}
	return '';
}
