/**
 * nginx-unknown-zone: a shared memory zone used but declared nowhere.
 *
 * - `limit_req zone=NAME` needs `limit_req_zone … zone=NAME:size`, `limit_conn NAME …` a
 *   `limit_conn_zone … zone=NAME:size` of the same family (http or stream), an upstream's
 *   `zone NAME;` another upstream's `zone NAME size;`: nginx stops with `zero size shared memory
 *   zone "NAME"` (no line);
 * - `proxy_cache NAME` needs `proxy_cache_path … keys_zone=NAME:size` (fastcgi_cache, uwsgi_cache,
 *   scgi_cache their own *_cache_path): nginx stops with `"proxy_cache" zone "NAME" is unknown`.
 *
 * The order does not matter (nginx sizes the zones when the configuration is read), names are
 * case-sensitive, and a zone declared for another use (a limit_conn_zone's name in limit_req)
 * makes nginx stop as well ("already declared for a different use"). A declaration in any file of
 * the workspace counts; a name declared nowhere is reported in a complete configuration (see
 * variables.ts, inCompleteConfig), and in a fragment only when it is one typo away from a zone
 * of the workspace.
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { closestMatches, typoDistance } from '../../utils/strings';
import { Memo } from '../../utils/memo';
import { Codes } from '../codes';
import type { NameIndex, NginxContext } from '../context';
import { didYouMean } from '../findings';
import { directiveId, directiveIds, directivesByName, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { explicitFamily, inCompleteConfig, runFamily, type VariableFamily } from './variables';

/** The kinds of zone: each is its own namespace. */
type Kind = 'limit_req' | 'limit_conn' | 'proxy' | 'fastcgi' | 'uwsgi' | 'scgi' | 'upstream';

interface KindInfo {
	/** The directive that declares a zone of this kind. */
	readonly declarer: string;
	/** The declaration that would define `name`, for messages. */
	readonly declaration: (name: string) => string;
	/** What nginx says when the zone is missing. */
	readonly says: (directive: string, name: string) => string;
	/** Whether http and stream have separate zones of this kind (else it is http only). */
	readonly perFamily: boolean;
}

const ZERO_SIZE = (_: string, name: string) => `zero size shared memory zone "${name}"`;
const UNKNOWN_CACHE = (directive: string, name: string) => `"${directive}" zone "${name}" is unknown`;

const KINDS: Readonly<Record<Kind, KindInfo>> = {
	limit_req: { declarer: 'limit_req_zone', declaration: n => `limit_req_zone … zone=${n}:size`, says: ZERO_SIZE, perFamily: false },
	limit_conn: { declarer: 'limit_conn_zone', declaration: n => `limit_conn_zone … zone=${n}:size`, says: ZERO_SIZE, perFamily: true },
	proxy: { declarer: 'proxy_cache_path', declaration: n => `proxy_cache_path … keys_zone=${n}:size`, says: UNKNOWN_CACHE, perFamily: false },
	fastcgi: { declarer: 'fastcgi_cache_path', declaration: n => `fastcgi_cache_path … keys_zone=${n}:size`, says: UNKNOWN_CACHE, perFamily: false },
	uwsgi: { declarer: 'uwsgi_cache_path', declaration: n => `uwsgi_cache_path … keys_zone=${n}:size`, says: UNKNOWN_CACHE, perFamily: false },
	scgi: { declarer: 'scgi_cache_path', declaration: n => `scgi_cache_path … keys_zone=${n}:size`, says: UNKNOWN_CACHE, perFamily: false },
	upstream: { declarer: 'an upstream\'s zone', declaration: n => `an upstream with "zone ${n} size;"`, says: ZERO_SIZE, perFamily: true },
};

/** Directives that declare a zone: the parameter that names it (`zone=NAME:size`). */
const DECLARERS: readonly { readonly id: number; readonly kind: Kind; readonly param: string }[] = [
	{ id: directiveId('limit_req_zone'), kind: 'limit_req', param: 'zone=' },
	{ id: directiveId('limit_conn_zone'), kind: 'limit_conn', param: 'zone=' },
	{ id: directiveId('proxy_cache_path'), kind: 'proxy', param: 'keys_zone=' },
	{ id: directiveId('fastcgi_cache_path'), kind: 'fastcgi', param: 'keys_zone=' },
	{ id: directiveId('uwsgi_cache_path'), kind: 'uwsgi', param: 'keys_zone=' },
	{ id: directiveId('scgi_cache_path'), kind: 'scgi', param: 'keys_zone=' },
];

const CACHE_USERS: readonly { readonly id: number; readonly kind: Kind; readonly name: string }[] = (['proxy', 'fastcgi', 'uwsgi', 'scgi'] as const)
	.map(k => ({ id: directiveId(`${k}_cache`), kind: k, name: `${k}_cache` }));

const LIMIT_REQ = directiveId('limit_req');
const LIMIT_CONN = directiveId('limit_conn');
const ZONE = directiveId('zone');
const UPSTREAM = directiveId('upstream');

interface ZoneDeclaration {
	readonly kind: Kind;
	readonly name: string;
	readonly family: VariableFamily | undefined;
}

const memo = new Memo<object, ZoneDeclaration[]>();

/** The zones a file declares (kept per parsed tree). */
export function zonesOf(file: NginxFile): readonly ZoneDeclaration[] {
	let out = memo.get(file.tree);
	if (out) { return out; }
	out = [];
	const t = file.tree;
	const byName = directivesByName(file);
	for (const { id, kind, param } of DECLARERS) {
		for (const d of byName.of(id)) {
			for (let k = t.dirTok[d] + 1; k <= t.dirTok[d] + t.dirArgc[d]; k++) {
				const v = tokenText(file, k);
				if (!v.startsWith(param)) { continue; }
				const colon = v.indexOf(':', param.length);
				if (colon > param.length) { out.push({ kind, name: v.slice(param.length, colon), family: explicitFamily(file, d) }); }
			}
		}
	}
	// an upstream's `zone NAME size;` (a `zone NAME;` without a size uses one declared so)
	for (const d of byName.of(ZONE)) {
		if (t.dirArgc[d] !== 2 || !inUpstream(file, d)) { continue; }
		out.push({ kind: 'upstream', name: tokenText(file, t.dirTok[d] + 1), family: explicitFamily(file, d) });
	}
	memo.set(file.tree, out);
	return out;
}

function inUpstream(file: NginxFile, d: number): boolean {
	const t = file.tree;
	const owner = t.blockOwner[t.dirParent[d]];
	return owner >= 0 && directiveIds(file)[owner] === UPSTREAM;
}

function tag(kind: Kind, family: VariableFamily | undefined): string {
	return `${kind}:${KINDS[kind].perFamily ? (family === 'http' ? 'h' : family === 'stream' ? 's' : '*') : '*'}:`;
}

function zoneIndex(ctx: NginxContext): NameIndex {
	return ctx.workspace.nginxNames('zones', file => zonesOf(file).map(z => tag(z.kind, z.family) + z.name));
}

/** The names of `kind` usable in `family`. */
function namesOf(index: NameIndex, kind: Kind, family: VariableFamily | undefined): string[] {
	const out: string[] = [];
	for (const n of index.files.keys()) {
		if (!n.startsWith(`${kind}:`)) { continue; }
		const fam = n.charAt(kind.length + 1);
		if (fam === '*' || family === undefined || (fam === 'h') === (family === 'http')) { out.push(n.slice(kind.length + 3)); }
	}
	return out;
}

function declared(index: NameIndex, kind: Kind, family: VariableFamily | undefined, name: string): boolean {
	if (!KINDS[kind].perFamily) { return index.files.has(tag(kind, undefined) + name); }
	return index.files.has(`${kind}:*:${name}`)
		|| (family !== 'stream' && index.files.has(`${kind}:h:${name}`))
		|| (family !== 'http' && index.files.has(`${kind}:s:${name}`));
}

export interface UnknownZoneData {
	readonly candidates: readonly string[];
}

interface Use {
	readonly kind: Kind;
	readonly directive: string;
	readonly d: number;
	/** The name's offset and length in the text. */
	readonly offset: number;
	readonly length: number;
}

/** The zone uses of a file: their names as written, where nothing else (a `$`) makes them unknowable. */
function usesOf(file: NginxFile): Use[] {
	const t = file.tree;
	const text = file.text;
	const byName = directivesByName(file);
	const out: Use[] = [];
	const plain = (k: number, from: number): [number, number] | undefined => {
		// only plain tokens: a quoted or escaped name is read the same, but rare enough to leave
		if (t.tokFlags[k] !== 0) { return undefined; }
		const s = t.tokStart[k] + from;
		const e = t.tokEnd[k];
		const dollar = text.indexOf('$', s);
		if (e <= s || (dollar >= 0 && dollar < e)) { return undefined; }
		return [s, e];
	};
	for (const d of byName.of(LIMIT_REQ)) {
		for (let k = t.dirTok[d] + 1; k <= t.dirTok[d] + t.dirArgc[d]; k++) {
			if (!text.startsWith('zone=', t.tokStart[k])) { continue; }
			const r = plain(k, 5);
			if (r) { out.push({ kind: 'limit_req', directive: 'limit_req', d, offset: r[0], length: r[1] - r[0] }); }
		}
	}
	for (const d of byName.of(LIMIT_CONN)) {
		if (t.dirArgc[d] !== 2) { continue; }
		const r = plain(t.dirTok[d] + 1, 0);
		if (r) { out.push({ kind: 'limit_conn', directive: 'limit_conn', d, offset: r[0], length: r[1] - r[0] }); }
	}
	for (const { id, kind, name } of CACHE_USERS) {
		for (const d of byName.of(id)) {
			if (t.dirArgc[d] !== 1) { continue; }
			const r = plain(t.dirTok[d] + 1, 0);
			if (r && text.slice(r[0], r[1]) !== 'off') { out.push({ kind, directive: name, d, offset: r[0], length: r[1] - r[0] }); }
		}
	}
	for (const d of byName.of(ZONE)) {
		if (t.dirArgc[d] !== 1 || !inUpstream(file, d)) { continue; }
		const r = plain(t.dirTok[d] + 1, 0);
		if (r) { out.push({ kind: 'upstream', directive: 'zone', d, offset: r[0], length: r[1] - r[0] }); }
	}
	return out;
}

export function checkZones(ctx: NginxContext): void {
	const uses = usesOf(ctx.file);
	if (!uses.length) { return; }
	const f = runFacts(ctx);
	const t = ctx.file.tree;
	const index = zoneIndex(ctx);
	let complete: boolean | undefined;
	for (const u of uses) {
		if (f.blockSet[t.dirParent[u.d]] === 0) { continue; }
		const family = runFamily(f, t.dirParent[u.d]);
		const name = ctx.file.text.slice(u.offset, u.offset + u.length);
		if (declared(index, u.kind, family, name)) { continue; }
		const known = namesOf(index, u.kind, family);
		// one typo from a zone of the workspace (`per_ip` for `perip`), not a short name or one that extends another
		const nearMiss = name.length >= 4 && known.some(n => !n.startsWith(name) && !name.startsWith(n) && typoDistance(name, n, 1) <= 1);
		if (!nearMiss && !(complete ??= inCompleteConfig(ctx))) { continue; }
		const candidates = closestMatches(name, known, 3);
		const other = (Object.keys(KINDS) as Kind[]).find(k => k !== u.kind && declared(index, k, family, name));
		const info = KINDS[u.kind];
		const data: UnknownZoneData = { candidates };
		ctx.report({
			code: Codes.nginxUnknownZone, offset: u.offset, length: u.length,
			args: {
				directive: u.directive === 'zone' ? 'This upstream\'s "zone"' : `"${u.directive}"`, name, declaration: info.declaration(name),
				says: other ? `the shared memory zone "${name}" is already declared for a different use` : info.says(u.directive, name),
				detail: other ? ` "${name}" is a zone of ${KINDS[other].declarer}, which ${u.directive} cannot use.` : '',
				hint: didYouMean(candidates),
			},
			data,
		});
	}
}
