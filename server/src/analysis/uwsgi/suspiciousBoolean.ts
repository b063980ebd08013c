/**
 * uwsgi-suspicious-boolean: uwsgi_opt_true treats every value except false/off/no/0 as true, so
 * `master = ture` works by accident and `lazy-apps = flase` or `= disabled` turn it ON.
 */
import { typoDistance } from '../../utils/strings';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import { optionEntries } from './entries';
import { inlineCommentAt } from './values';
import { isClearBoolean } from './values';

export interface SuspiciousBooleanData {
	/** `true` and `false`, the likelier one first. */
	readonly candidates: readonly string[];
}

const BOOLEAN_TYPES = new Set(['boolean', 'boolean_inverted']);
const FALSY_HINT = /^(dis|de|un|non|never|nope|none|null|nil|f)/i;

export function checkSuspiciousBooleans(ctx: UwsgiContext): void {
	const all = optionEntries(ctx.doc);
	for (let i = 0; i < all.length; i++) {
		const { entry, option, dynamic } = all[i];
		if (!BOOLEAN_TYPES.has(option.type) || dynamic) { continue; }
		// `master = ture # x`: the word before an inline comment is what was meant
		const cut = inlineCommentAt(option, entry.value.text);
		const value = cut >= 0 ? entry.value.text.slice(0, cut) : entry.value.text;
		if (isClearBoolean(value)) { continue; }
		const lower = value.toLowerCase();
		const toFalse = Math.min(typoDistance(lower, 'false'), typoDistance(lower, 'off'), typoDistance(lower, 'no'));
		const toTrue = Math.min(typoDistance(lower, 'true'), typoDistance(lower, 'on'), typoDistance(lower, 'yes'));
		const meantFalse = toFalse < toTrue || (toFalse === toTrue && FALSY_HINT.test(value));
		const effect = option.type === 'boolean' ? 'turns the option on' : 'turns the feature off';
		const data: SuspiciousBooleanData = { candidates: meantFalse ? ['false', 'true'] : ['true', 'false'] };
		ctx.report({
			code: Codes.uwsgiSuspiciousBoolean, offset: entry.value.offset, length: value.length,
			args: { value, key: entry.key.text, effect, hint: meantFalse ? ' If you meant false, write "false".' : '' },
			data,
		});
	}
}
