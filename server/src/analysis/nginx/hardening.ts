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
import { isUncheckable } from './fileContexts';
import { NameFilter } from './facts';

const HARDENING = new NameFilter(['server_tokens', 'error_log', 'root', 'alias', 'valid_referers']);

export function checkHardening(ctx: NginxContext): void {
	for (const d of HARDENING.in(ctx.file)) {
		const name = d.name.value;
		if (isUncheckable(ctx, d)) { continue; }
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
