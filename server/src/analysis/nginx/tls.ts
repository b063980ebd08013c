/**
 * nginx-weak-tls: `ssl_protocols` (or `proxy_ssl_protocols`, `uwsgi_ssl_protocols`, ...) that
 * enable SSLv2, SSLv3, TLSv1 or TLSv1.1, and cipher lists that turn on broken suites (NULL,
 * anonymous, EXPORT, RC4, single and triple DES, MD5, LOW). Ciphers switched off with `!` or `-`
 * are fine: `HIGH:!aNULL:!MD5` is nginx's own default.
 */
import type { NginxToken } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { isUncheckable } from './fileContexts';
import { directiveId, directiveIds, NameFilter } from './facts';

const WEAK_PROTOCOLS: ReadonlySet<string> = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
const WEAK_LIST = [...WEAK_PROTOCOLS];
/** Ids of the protocol directives (the names no module defines are looked at as strings). */
const PROTOCOL_IDS: ReadonlySet<number> = new Set(['ssl_protocols', 'proxy_ssl_protocols', 'uwsgi_ssl_protocols', 'grpc_ssl_protocols'].map(directiveId).filter(id => id >= 0));
export const STRONG_PROTOCOLS: ReadonlySet<string> = new Set(['TLSv1.2', 'TLSv1.3']);

/** Cipher-string keywords and suite-name parts that stand for broken ciphers. */
const WEAK_KEYWORDS: ReadonlySet<string> = new Set(['NULL', 'ENULL', 'ANULL', 'EXPORT', 'EXP', 'EXPORT40', 'EXPORT56', 'EXPORT1024', 'RC4', 'DES', '3DES', 'MD5', 'LOW', 'ADH', 'AECDH', 'SSLV2', 'RC2']);

/** The weak part of one element of a cipher list (`RC4-SHA`, `EXP-DES-CBC-SHA`, `aNULL`), or undefined. */
export function weakCipher(element: string): string | undefined {
	const upper = element.toUpperCase();
	for (const part of upper.split('+')) {
		if (WEAK_KEYWORDS.has(part)) { return part; }
	}
	// suite names: RC4-SHA, DES-CBC3-SHA, EXP-RC4-MD5, NULL-SHA256, ADH-AES128-SHA, ECDHE-RSA-NULL-SHA
	const words = upper.split('-');
	if (words.length > 1) {
		for (const w of words) {
			if (w === 'RC4' || w === 'NULL' || w === 'EXP' || w === 'MD5' || w === 'ADH' || w === 'AECDH' || w === 'CBC3' || w === 'RC2') { return w === 'CBC3' ? '3DES' : w; }
			if (w === 'DES') { return 'DES'; }
		}
	}
	return undefined;
}

const TLS = new NameFilter(['ssl_protocols', 'ssl_ciphers', ...['proxy', 'uwsgi', 'grpc'].flatMap(p => [`${p}_ssl_protocols`, `${p}_ssl_ciphers`])]);

export function checkWeakTls(ctx: NginxContext): void {
	const file = ctx.file;
	const t = file.tree;
	const ids = directiveIds(file);
	for (const index of TLS.indexes(file)) {
		// protocols on the text first: plain arguments none of which is a weak protocol report nothing
		if (PROTOCOL_IDS.has(ids[index])) {
			let plainAndStrong = true;
			for (let k = t.dirTok[index] + 1; k <= t.dirTok[index] + t.dirArgc[index]; k++) {
				if (t.tokFlags[k] !== 0 || WEAK_LIST.some(w => t.tokEnd[k] - t.tokStart[k] === w.length && file.text.startsWith(w, t.tokStart[k]))) {
					plainAndStrong = false;
					break;
				}
			}
			if (plainAndStrong) { continue; }
		}
		const d = file.directive(index);
		const name = d.name.value;
		const protocols = name === 'ssl_protocols' || /^(proxy|uwsgi|grpc)_ssl_protocols$/.test(name);
		const ciphers = name === 'ssl_ciphers' || /^(proxy|uwsgi|grpc)_ssl_ciphers$/.test(name);
		if ((!protocols && !ciphers) || !d.args.length || isUncheckable(ctx, d)) { continue; }
		if (protocols) {
			const weak = d.args.filter(a => WEAK_PROTOCOLS.has(a.value));
			if (!weak.length) { continue; }
			const start = weak[0];
			const end = weak[weak.length - 1];
			const all = d.args;
			const known = all.every(a => WEAK_PROTOCOLS.has(a.value) || STRONG_PROTOCOLS.has(a.value));
			const kept = all.filter(a => STRONG_PROTOCOLS.has(a.value)).map(a => a.value);
			ctx.report({
				code: Codes.nginxWeakTls, offset: start.offset, length: end.offset + end.length - start.offset,
				args: { detail: `${weak.map(a => a.value).join(', ')} ${weak.length > 1 ? 'are' : 'is'} broken or deprecated (RFC 8996): clients can be downgraded to ${weak.length > 1 ? 'them' : 'it'}. Allow only TLSv1.2 and TLSv1.3.` },
				data: known ? { from: all[0].offset, to: all[all.length - 1].offset + all[all.length - 1].length, replacement: (kept.length ? kept : ['TLSv1.2', 'TLSv1.3']).join(' ') } : {},
			});
			continue;
		}
		reportCiphers(ctx, d.args[0]);
	}
}

function reportCiphers(ctx: NginxContext, token: NginxToken): void {
	if (token.value.includes('$')) { return; }
	const weak: string[] = [];
	for (const element of token.value.split(/[:, ]+/)) {
		// `!X` and `-X` take ciphers out, `+X` only moves them, `@STRENGTH` sorts
		if (!element || /^[!\-+@]/.test(element)) { continue; }
		if (weakCipher(element)) { weak.push(element); }
	}
	if (!weak.length) { return; }
	ctx.report({
		code: Codes.nginxWeakTls, offset: token.offset, length: token.length,
		args: { detail: `the cipher list turns on broken ciphers (${weak.join(', ')}). Exclude them (e.g. "HIGH:!aNULL:!MD5:!RC4:!3DES") or use a current list such as Mozilla's intermediate profile.` },
		data: {},
	});
}
