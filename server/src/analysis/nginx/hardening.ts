/**
 * Hardening settings written out in the config:
 * - nginx-server-tokens: `server_tokens on` (or `build`) puts nginx's version in every error page
 *   and Server header;
 * - nginx-error-log-off: `error_log off` is no switch — nginx writes its error log to a file named
 *   "off" in its prefix;
 * - nginx-root-at-slash: `root /` or `alias /` makes the whole file system of the host servable;
 * - nginx-valid-referers-none: `valid_referers none` lets every request without a Referer through,
 *   and anyone can leave the header out.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { runFacts } from './fileContexts';
import { directiveId, NameFilter } from './facts';

const HARDENING = new NameFilter(['server_tokens', 'error_log', 'root', 'alias', 'valid_referers']);

const ROOT = directiveId('root');
const ALIAS = directiveId('alias');
const SERVER_TOKENS = directiveId('server_tokens');
const ERROR_LOG = directiveId('error_log');

/**
 * Whether a directive (by index) may be reported, read on the tree: false when its plain
 * arguments already show that it cannot (`alias /srv/app/static/;` on every location of a big
 * config); the rules below then need no view of it.
 */
function mayFire(file: NginxContext['file'], d: number, id: number): boolean {
	const t = file.tree;
	const argc = t.dirArgc[d];
	if (argc === 0) { return false; }
	const k = t.dirTok[d] + 1;
	if (t.tokFlags[k] !== 0) { return true; }
	const s = t.tokStart[k];
	const e = t.tokEnd[k];
	const text = file.text;
	if (id === ROOT || id === ALIAS) {
		if (argc !== 1) { return false; }
		for (let i = s; i < e; i++) { if (text.charCodeAt(i) !== 47 /* / */) { return false; } }
		return true;
	}
	if (id === SERVER_TOKENS) { return argc === 1 && (isWord(text, s, e, 'on') || isWord(text, s, e, 'build')); }
	if (id === ERROR_LOG) { return isWord(text, s, e, 'off'); }
	return true;
}

function isWord(text: string, s: number, e: number, word: string): boolean {
	return e - s === word.length && text.startsWith(word, s);
}

export function checkHardening(ctx: NginxContext): void {
	const file = ctx.file;
	const f = runFacts(ctx);
	for (const index of HARDENING.indexes(file)) {
		if (f.blockSet[file.tree.dirParent[index]] === 0 || !mayFire(file, index, f.ids[index])) { continue; }
		const d = file.directive(index);
		const name = d.name.value;
		const first = d.args[0];
		if (!first) { continue; }
		if (name === 'server_tokens') {
			if (d.args.length === 1 && (first.value === 'on' || first.value === 'build')) {
				ctx.report({ code: Codes.nginxServerTokens, offset: first.offset, length: first.length, args: { value: first.value }, data: { replacement: 'off' } });
			}
		} else if (name === 'error_log') {
			if (first.value === 'off') {
				ctx.report({ code: Codes.nginxErrorLogOff, offset: first.offset, length: first.length, args: {}, data: { replacement: '/dev/null' } });
			}
		} else if (name === 'root' || name === 'alias') {
			if (d.args.length === 1 && /^\/+$/.test(first.value)) {
				ctx.report({ code: Codes.nginxRootAtSlash, offset: d.offset, length: first.offset + first.length - d.offset, args: { name } });
			}
		} else {
			for (const a of d.args) {
				if (a.value === 'none') {
					ctx.report({ code: Codes.nginxValidReferersNone, offset: a.offset, length: a.length, args: {}, data: { remove: true } });
				}
			}
		}
	}
}
