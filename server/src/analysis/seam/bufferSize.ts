/**
 * uwsgi-buffer-too-small: a uWSGI config that nginx forwards to, whose `buffer-size` (default
 * 4096 bytes) is smaller than one request header line nginx accepts (`large_client_header_buffers`,
 * default 4 8k: lines up to 8 KB, 32 KB in all). uWSGI reads the whole request (the uwsgi packet,
 * or the HTTP head on an http-socket) into that buffer and drops a bigger one: nginx answers 502
 * and uWSGI logs "invalid request block size: N (max 4096)...skip" (on an http-socket: "invalid
 * HTTP request size (max 4096)...skip"). Large cookies, JWTs and long query strings trigger it.
 * uWSGI's own HTTP router hands requests to the workers in uwsgi packets, so the same limit
 * applies behind it. Checked with nginx 1.22 and uWSGI 2.0.21: a 5000-byte cookie gets 502
 * through uwsgi_pass and through proxy_pass to an http-socket.
 *
 * Both defaults together (4096 against 8k lines) are what nearly every deployment runs, and a
 * typical request (nginx's uwsgi_params and a browser's headers: one or two KB) fits: reported
 * only where one side was set against the other — nginx explicitly accepts header lines larger
 * than uWSGI's buffer, or buffer-size is set below uWSGI's own default. buffer-size is a 16-bit
 * number: uWSGI clamps a larger value to 65535 (65536 is 65535, not 0).
 */
import type { NginxDirective, NginxFile } from '../../parser/nginx/nodes';
import { directiveId, directiveIds } from '../nginx/facts';
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import type { IniEntryLine } from '../../parser/ini/nodes';
import { configProfile, isRouterOption, profileEntries } from '../uwsgi/profile';
import { readNumber } from '../uwsgi/values';
import { speaksTo, type UwsgiSocket } from './socketGraph';

export const UWSGI_DEFAULT_BUFFER = 4096;
const LARGE_CLIENT_HEADER_BUFFERS = directiveId('large_client_header_buffers');
/** buffer-size is a 16-bit number: the largest value uWSGI can hold. */
const UWSGI_MAX_BUFFER = 65535;
/** What the fix suggests at least: nginx's default total for request headers (4 × 8k). */
const SUGGESTED = 32768;

/** nginx size (`8k`, `1m`, bare bytes) in bytes. */
export function nginxBytes(value: string): number | undefined {
	const m = /^(\d+)([kKmM]?)$/.exec(value);
	if (!m) { return undefined; }
	return Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2]) ? 1024 : 1024 * 1024);
}

/** `large_client_header_buffers` in force at a pass directive (default 4 8k). */
export function headerBuffers(file: NginxFile, pass: NginxDirective): { number: number; size: number; directive?: NginxDirective } {
	// up the enclosing blocks on the compact tree: only a directive of that name becomes a view
	const t = file.tree;
	const ids = directiveIds(file);
	for (let b = pass.parent; b >= 0;) {
		for (let d = t.blockFirst[b]; d >= 0; d = t.dirNext[d]) {
			if (ids[d] !== LARGE_CLIENT_HEADER_BUFFERS || t.dirArgc[d] !== 2) { continue; }
			const c = file.directive(d);
			const number = Number(c.args[0].value);
			const size = nginxBytes(c.args[1].value);
			if (number > 0 && size) { return { number, size, directive: c }; }
		}
		const owner = t.blockOwner[b];
		b = owner >= 0 ? t.dirParent[owner] : -1;
	}
	return { number: 4, size: 8192 };
}

export function checkBufferSize(ctx: UwsgiContext): void {
	const graph = ctx.workspace.socketGraph();
	const mine = graph.socketsIn(ctx.uri);
	if (!mine.length) { return; }
	// the largest header line any nginx target of this config accepts
	let worst: { socket: UwsgiSocket; pass: NginxDirective; uri: string; number: number; size: number; directive?: NginxDirective } | undefined;
	for (const socket of mine) {
		for (const { target } of graph.targetsOf(socket)) {
			if (!speaksTo(target.protocol, socket.protocol)) { continue; }
			const b = headerBuffers(target.file, target.directive);
			if (!worst || b.size > worst.size) { worst = { socket, pass: target.directive, uri: target.uri, ...b }; }
		}
	}
	if (!worst) { return; }
	const profile = configProfile(ctx.uri, ctx.doc, ctx.workspace);
	const set = profileEntries(profile, 'buffer-size');
	let entry: IniEntryLine | undefined;
	let inThisFile = false;
	let buffer = UWSGI_DEFAULT_BUFFER;
	if (set.length) {
		const last = set.filter(e => e.uri === ctx.uri).pop() ?? set[set.length - 1];
		if (last.entry.refs.some(r => r.kind !== 'escape')) { return; }
		const n = readNumber(last.entry.value.text);
		if (n.noDigits) { return; }
		// uwsgi_opt_set_16bit clamps to 65535 (strtoul: a negative value is huge, so 65535 too)
		buffer = n.negative || n.value > UWSGI_MAX_BUFFER ? UWSGI_MAX_BUFFER : n.value;
		entry = last.entry;
		inThisFile = last.uri === ctx.uri;
	} else if (!profile.complete) {
		return;
	}
	const needed = Math.min(worst.size, UWSGI_MAX_BUFFER);
	if (buffer >= needed) { return; }
	// both defaults (or a buffer raised above uWSGI's default, still below nginx's default lines): the common healthy pairing
	if (!worst.directive && buffer >= UWSGI_DEFAULT_BUFFER) { return; }
	const suggested = Math.min(UWSGI_MAX_BUFFER, Math.max(SUGGESTED, worst.number * worst.size));
	const nginxSays = worst.directive
		? `large_client_header_buffers ${worst.directive.args[0].value} ${worst.directive.args[1].value}`
		: 'large_client_header_buffers 4 8k, the default';
	const log = worst.socket.protocol.startsWith('http') && !isRouterOption(worst.socket.option) ? `"invalid HTTP request size (max ${buffer})"` : `"invalid request block size: N (max ${buffer})"`;
	const detail = `nginx forwards request header lines of up to ${worst.size} bytes (${nginxSays}), but uWSGI's buffer-size is ${buffer} bytes${entry ? '' : ' (the default)'}: a request whose headers and variables exceed it — a large cookie, a long query string — gets 502 Bad Gateway, and uWSGI logs ${log}. Set buffer-size = ${suggested}.`;
	const anchor = entry && inThisFile ? entry.value : worst.socket.entry.value;
	const header = worst.socket.entry.section >= 0 ? ctx.doc.sections[worst.socket.entry.section]?.header : undefined;
	const data = entry ? (inThisFile ? { replacement: String(suggested) } : {}) : header ? { insert: `buffer-size = ${suggested}`, headerOffset: header.offset } : {};
	const span = worst.directive ?? worst.pass;
	ctx.report({
		code: Codes.uwsgiBufferTooSmall, offset: anchor.offset, length: anchor.length, args: { detail }, data,
		related: [{ uri: worst.uri, offset: span.offset, length: span.length, message: worst.directive ? 'nginx accepts header lines this large' : 'nginx forwards requests here' }],
	});
}
