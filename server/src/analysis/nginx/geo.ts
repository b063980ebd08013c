/**
 * The entries of a `geo` block (http and stream) as ngx_http_geo / ngx_stream_geo read them
 * (nginx-invalid-value): a network and its value (two words), `default`, `delete`, `include`,
 * `proxy` (http), and alone `ranges` (first), `proxy_recursive` (http) or `volatile` (nginx
 * 1.29.3+). With `ranges`, networks are `a.b.c.d-e.f.g.h` ranges running upwards; without, an
 * address with an optional /mask. nginx stops with "invalid number of the geo parameters",
 * "invalid range", "invalid network" or "the "ranges" directive must be the first directive
 * inside "geo" block". Entries that come from an include are not read here.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { contextName, directiveId, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { ipv6Bytes, isIpv4 } from './urls';

const GEO = directiveId('geo');

/** ngx_ptocidr (with geo's "255.255.255.255"): an IPv4 or IPv6 address and an optional mask. */
function isNetwork(net: string): boolean {
	if (net === '255.255.255.255') { return true; }
	const slash = net.indexOf('/');
	const addr = slash < 0 ? net : net.slice(0, slash);
	let bits: number;
	if (isIpv4(addr)) {
		bits = 32;
	} else if (ipv6Bytes(addr)) {
		bits = 128;
	} else {
		return false;
	}
	if (slash < 0) { return true; }
	const mask = net.slice(slash + 1);
	return /^\d+$/.test(mask) && Number(mask) <= bits;
}

/** A range `a.b.c.d-e.f.g.h` whose ends are IPv4 addresses (not 255.255.255.255, which ngx_inet_addr cannot tell from an error) in order. */
function isRange(net: string): boolean {
	const dash = net.indexOf('-');
	if (dash < 0) { return false; }
	const a = net.slice(0, dash);
	const b = net.slice(dash + 1);
	if (!isIpv4(a) || !isIpv4(b) || a === '255.255.255.255' || b === '255.255.255.255') { return false; }
	const v = (s: string) => s.split('.').reduce((x, o) => x * 256 + Number(o || 0), 0);
	return v(a) <= v(b);
}

export function checkGeo(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const file = ctx.file;
	const t = file.tree;
	for (const g of f.byName.of(GEO)) {
		const b = t.dirBlock[g];
		if (b < 0 || f.blockSet[t.dirParent[g]] === 0) { continue; }
		const stream = f.blockContexts.some(c => contextName(c[t.dirParent[g]]).startsWith('stream'));
		let ranges = false;
		let entries = false;
		for (let d = t.blockFirst[b]; d >= 0; d = t.dirNext[d]) {
			if (t.dirBlock[d] >= 0) { continue; }
			const name = tokenText(file, t.dirTok[d]);
			const argc = t.dirArgc[d];
			const bad = (tok: number, detail: string) => {
				const token = file.token(tok);
				ctx.report({ code: Codes.nginxInvalidValue, offset: token.offset, length: token.length, args: { name: 'geo', detail } });
			};
			if (argc === 0 && (name === 'ranges' || name === 'volatile' || (!stream && name === 'proxy_recursive'))) {
				if (name === 'ranges') {
					if (entries) { bad(t.dirTok[d], '"ranges" must be the first entry of the geo block: nginx stops with "the "ranges" directive must be the first directive inside "geo" block".'); }
					ranges = true;
				}
				continue;
			}
			if (argc !== 1) {
				bad(t.dirTok[d], `a geo entry is a network and its value (two words), and this one has ${argc + 1}: nginx stops with "invalid number of the geo parameters".${argc === 0 ? ' (Its value is missing.)' : ' (A value with blanks needs quotes.)'}`);
				continue;
			}
			if (name === 'include') { continue; }
			if (name === 'proxy' && !stream) {
				const net = tokenText(file, t.dirTok[d] + 1);
				if (!isNetwork(net)) { bad(t.dirTok[d] + 1, `"${net}" is not an address or a network such as 10.0.0.0/8: nginx stops with "invalid network".`); }
				continue;
			}
			if (name === 'default') {
				if (!ranges) { entries = true; }
				continue;
			}
			const tok = name === 'delete' ? t.dirTok[d] + 1 : t.dirTok[d];
			const net = tokenText(file, tok);
			if (ranges) {
				if (!isRange(net)) { bad(tok, `with "ranges", an entry is a range of IPv4 addresses such as 10.0.0.0-10.255.255.255, running upwards, and "${net}" is not one: nginx stops with "invalid range".`); }
			} else {
				entries = true;
				if (!isNetwork(net)) { bad(tok, `"${net}" is not an address or a network such as 10.0.0.0/8 (host names are not allowed): nginx stops with "invalid network".`); }
			}
		}
	}
}
