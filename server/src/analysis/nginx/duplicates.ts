/**
 * nginx-duplicate-directive: a directive whose setter refuses a second value at the same level
 * (nginx: `"client_max_body_size" directive is duplicate`), set twice in one block. Which
 * directives do is data: the slot setters' rule from the reference tables, the custom setters'
 * from asking nginx itself (scripts/data/nginx-repeat.json). A few refuse a repeat only for the
 * same key or next to "off" (CONDITIONAL below).
 */
import { TERM_MISSING, type NginxFile } from '../../parser/nginx/nodes';
import { Memo } from '../../utils/memo';
import { nginxDirectivesById } from '../../data/nginxData';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { contextId, contextSetId, DATA_ID, DIRECTIVE_IDS, directiveFacts, directiveId, directiveIds, factFlags, FACTS_DEFINED, FACTS_REPEAT_ERROR, SetPredicate, tokenText, UNKNOWN_ID } from './facts';
import { includeGraph, runFacts } from './fileContexts';
import { contextsFor, type NginxIncludeGraph } from './includes';

const INCLUDE = directiveId('include');

/** Blocks nginx's core modules accept once per configuration ("events" directive is duplicate). */
const ONCE_PER_CONFIG: ReadonlySet<string> = new Set(['events', 'http', 'stream', 'mail']);

/**
 * Directives whose own setters refuse a second one in the same block (custom setters the slot
 * data does not mark); names in one group exclude each other ("root" and "alias"). Each pass is a
 * group of its own: the same pass twice is "directive is duplicate", but two different ones are
 * accepted (each sets the location's content handler, the last one wins: nginx-overridden-handler).
 */
const ONCE_PER_BLOCK: ReadonlyMap<string, string> = new Map([
	['uwsgi_pass', 'uwsgi_pass'], ['proxy_pass', 'proxy_pass'], ['fastcgi_pass', 'fastcgi_pass'], ['scgi_pass', 'scgi_pass'], ['grpc_pass', 'grpc_pass'], ['memcached_pass', 'memcached_pass'],
	['pass', 'pass'], ['root', 'root'], ['alias', 'root'],
]);

/**
 * Keys of the duplicate check: a directive's own id, or for the groups above the id of the
 * group's name (a group name that is no directive gets a key after the last id).
 */
// by directive id, as typed arrays: the loop below reads them for every directive of the file
// (a Map lookup there cost as much as the rest of the loop)
const ONCE_PER_CONFIG_IDS = new Uint8Array(DIRECTIVE_IDS);
for (const name of ONCE_PER_CONFIG) { ONCE_PER_CONFIG_IDS[directiveId(name)] = 1; }
/** By directive id: 1 when some definition is a block that refuses a repeat (limit_except). */
const BLOCK_ONCE_IDS = new Uint8Array(DIRECTIVE_IDS);
for (let id = 0; id < DIRECTIVE_IDS; id++) {
	if (nginxDirectivesById(id).some(x => x.args.block && x.repeat === 'error')) { BLOCK_ONCE_IDS[id] = 1; }
}
const GROUP_KEYS = new Map<string, number>();
/** By directive id: the key of its group + 1 (0: in no group). */
const BLOCK_GROUP = new Int32Array(DIRECTIVE_IDS);
for (const [name, group] of ONCE_PER_BLOCK) {
	let key = GROUP_KEYS.get(group);
	if (key === undefined) {
		key = directiveId(group);
		if (key < 0) { key = DIRECTIVE_IDS + GROUP_KEYS.size; }
		GROUP_KEYS.set(group, key);
	}
	BLOCK_GROUP[directiveId(name)] = key + 1;
}
const KEYS = DIRECTIVE_IDS + GROUP_KEYS.size;
const ROOT_KEY = GROUP_KEYS.get('root') ?? -1;
/**
 * A map block fixes map_hash_max_size and map_hash_bucket_size of its level (to the defaults when
 * unset), so either one after a map is "directive is duplicate".
 */
const MAP = directiveId('map');
const MAP_HASH_KEYS = [directiveId('map_hash_max_size'), directiveId('map_hash_bucket_size')].filter(id => id >= 0);
const HAS_MAIN = new SetPredicate(contexts => contexts.includes('main'));
/** `return` is once per block only in a stream server, where it is the content handler (in http a later one is just never reached). */
const RETURN = directiveId('return');
const IN_STREAM_SERVER = new SetPredicate(contexts => contexts.length > 0 && contexts.every(c => c === 'stream.server'));

const seenBlock = new Int32Array(KEYS).fill(-1);
/** Stamps of checkAcrossIncludes, per key: brought by an include, set by the file itself (shared by every call). */
const broughtStamp = new Int32Array(KEYS);
const ownStamp = new Int32Array(KEYS);
let acrossStamp = 0;
const seenDirective = new Int32Array(KEYS);
let stampBase = 0;

export function checkDuplicates(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const file = ctx.file;
	const t = file.tree;
	const { ids, blockSet } = f;
	// per key: the block it was last seen in (as a stamp unique to this call) and the directive;
	// blocks are walked one at a time. The arrays are shared by every call: a file costs only its size.
	if (stampBase + t.blockCount >= 0x7fffffff) {
		seenBlock.fill(-1);
		stampBase = 0;
	}
	const base = stampBase;
	stampBase += t.blockCount;
	// the tree's arrays in locals: the calls in the loop would make V8 load them from the tree again on every turn
	const { blockFirst, dirNext, dirBlock } = t;
	for (let b = 0; b < t.blockCount; b++) {
		const set = blockSet[b];
		if (set === 0) { continue; }
		for (let d = blockFirst[b]; d >= 0; d = dirNext[d]) {
			const id = ids[d];
			if (id < 0) { continue; }
			let key: number;
			if (dirBlock[d] >= 0) {
				if (id === MAP) {
					for (const k of MAP_HASH_KEYS) {
						if (seenBlock[k] !== base + b) {
							seenBlock[k] = base + b;
							seenDirective[k] = d;
						}
					}
					continue;
				}
				// events/http/...: once per configuration; limit_except: once per location (most blocks are neither: a byte says so)
				if (!(ONCE_PER_CONFIG_IDS[id] === 1 && HAS_MAIN.has(set)) && (BLOCK_ONCE_IDS[id] === 0 || (factFlags(set, id) & FACTS_REPEAT_ERROR) === 0)) { continue; }
				key = id;
			} else {
				const group = BLOCK_GROUP[id];
				if (group !== 0) {
					key = group - 1;
				} else {
					if ((factFlags(set, id) & FACTS_REPEAT_ERROR) === 0 && !(id === RETURN && IN_STREAM_SERVER.has(set))) { continue; }
					key = id;
				}
			}
			if (seenBlock[key] !== base + b) {
				seenBlock[key] = base + b;
				seenDirective[key] = d;
				continue;
			}
			const first = file.directive(seenDirective[key]);
			const name = file.token(t.dirTok[d]);
			const byMap = ids[seenDirective[key]] === MAP;
			ctx.report({
				code: Codes.nginxDuplicateDirective, offset: name.offset, length: name.length,
				args: { name: name.value, detail: byMap ? ' (the map block before it already fixed the value: set it before the first map)' : '' },
				related: [{ uri: ctx.uri, offset: first.offset, length: first.length, message: byMap ? 'this map fixes it' : 'first set here' }],
			});
		}
	}
	checkConditional(ctx);
	checkAcrossIncludes(ctx);
}

/** The key of the duplicate check for a plain directive (by id) standing in a context set, or -1 when a repeat is fine. */
function keyOf(set: number, id: number): number {
	// root and alias exclude each other; each content handler is its own (two different ones are accepted, the last wins)
	const group = BLOCK_GROUP[id];
	if (group !== 0 && group - 1 === ROOT_KEY) { return ROOT_KEY; }
	return (factFlags(set, id) & FACTS_REPEAT_ERROR) !== 0 ? id : -1;
}

/** A once-per-level directive a file brings to the level it is included at. */
interface Once { readonly key: number; readonly uri: string; readonly file: NginxFile; readonly index: number }

const onceMemo = new Memo<object, Map<number, Once[]>>();

/** The once-per-level directives at the top level of a file read in context set `set` (its includes followed), first of each key. */
function topOnce(graph: NginxIncludeGraph, uri: string, file: NginxFile, set: number, depth: number, seen: Set<string>): Once[] {
	let m = onceMemo.get(file.tree);
	const known = m?.get(set);
	if (known) { return known; }
	const out: Once[] = [];
	const t = file.tree;
	const ids = directiveIds(file);
	for (let d = t.blockFirst[0]; d >= 0; d = t.dirNext[d]) {
		const id = ids[d];
		if (id < 0 || t.dirBlock[d] >= 0) { continue; }
		if (id === INCLUDE) {
			if (depth > 8) { continue; }
			const edge = graph.edgeAt(uri, t.tokStart[t.dirTok[d]]);
			for (const target of edge?.targets ?? []) {
				const other = graph.fileOf(target);
				if (!other || seen.has(target)) { continue; }
				seen.add(target);
				for (const o of topOnce(graph, target, other, set, depth + 1, seen)) {
					if (!out.some(x => x.key === o.key)) { out.push(o); }
				}
				seen.delete(target);
			}
			continue;
		}
		const key = keyOf(set, id);
		if (key >= 0 && !out.some(x => x.key === key)) { out.push({ key, uri, file, index: d }); }
	}
	m ??= new Map();
	m.set(set, out);
	onceMemo.set(file.tree, m);
	return out;
}

function relatedAt(o: Once, message: string) {
	const tok = o.file.token(o.file.tree.dirTok[o.index]);
	return { uri: o.uri, offset: tok.offset, length: tok.length, message };
}

/**
 * Duplicates across an include: a once-per-level directive that a file included at a level brings
 * and the level sets too. nginx reads the included file in place, so the later of the two is the
 * duplicate: reported here when it stands in this file after the include, and in the included
 * file (see below) when the including block set it before the include.
 */
function checkAcrossIncludes(ctx: NginxContext): void {
	const graph = includeGraph(ctx);
	const f = runFacts(ctx);
	const file = ctx.file;
	const t = file.tree;
	const edges = graph.edgesFrom(ctx.uri);
	// this file's includes, by block: a block walked only when an include of it brings a once-per-level directive
	let blocks: Map<number, Map<number, Once[]>> | undefined;
	// the includes of one pattern share their targets: what they bring is worked out once per context set
	const brought = new Map<readonly string[], Map<number, Once[]>>();
	for (const e of edges) {
		const b = t.dirParent[e.index];
		const set = f.blockSet[b];
		const targets = e.targets;
		if (set === 0 || !targets.length) { continue; }
		let bySet = brought.get(targets);
		if (!bySet) { bySet = new Map(); brought.set(targets, bySet); }
		let items = bySet.get(set);
		if (!items) {
			items = [];
			for (const target of targets) {
				const other = graph.fileOf(target);
				if (other && target !== ctx.uri) { items.push(...topOnce(graph, target, other, set, 0, new Set([ctx.uri, target]))); }
			}
			bySet.set(set, items);
		}
		if (!items.length) { continue; }
		blocks ??= new Map();
		let m = blocks.get(b);
		if (!m) { m = new Map(); blocks.set(b, m); }
		m.set(e.index, items);
	}
	for (const [b, byInclude] of blocks ?? []) {
		// per key, stamped for this block: brought by an include before (the first one kept), set by this file before
		if (acrossStamp >= 0x7ffffff0) {
			broughtStamp.fill(0);
			ownStamp.fill(0);
			acrossStamp = 0;
		}
		const stamp = ++acrossStamp;
		const firstBrought = new Map<number, Once>();
		for (let d = t.blockFirst[b]; d >= 0; d = t.dirNext[d]) {
			const items = byInclude.get(d);
			if (items) {
				for (const o of items) {
					if (broughtStamp[o.key] !== stamp && ownStamp[o.key] !== stamp) {
						broughtStamp[o.key] = stamp;
						firstBrought.set(o.key, o);
					}
				}
				continue;
			}
			const id = f.ids[d];
			if (id < 0 || t.dirBlock[d] >= 0) { continue; }
			const group = BLOCK_GROUP[id];
			const k = group !== 0 && group - 1 === ROOT_KEY ? ROOT_KEY : id;
			// set before in this file: the main check reports a repeat of it
			if (ownStamp[k] === stamp) { continue; }
			ownStamp[k] = stamp;
			if (broughtStamp[k] !== stamp) { continue; }
			const first = firstBrought.get(k)!;
			const name = file.token(t.dirTok[d]);
			ctx.report({
				code: Codes.nginxDuplicateDirective, offset: name.offset, length: name.length,
				args: { name: name.value, detail: ` (a file included before it sets it already)` },
				related: [relatedAt(first, 'first set here, in a file included at this level')],
			});
		}
	}
	// this file's top level, included where the including block set the same directive before the include
	const includers = graph.includersOf(ctx.uri);
	if (!includers.length || f.blockSet[0] === 0) { return; }
	const reported = new Set<number>();
	for (const e of includers) {
		const from = graph.fileOf(e.from);
		if (!from || e.from === ctx.uri) { continue; }
		const ft = from.tree;
		const bA = ft.dirParent[e.index];
		const topA = graph.topContexts(e.from)[0];
		if (topA === undefined) { continue; }
		const c = contextsFor(from, contextId(topA))[bA];
		if (c === UNKNOWN_ID || c === DATA_ID) { continue; }
		const set = contextSetId([c]);
		const before = new Map<number, Once>();
		const idsA = directiveIds(from);
		for (let d = ft.blockFirst[bA]; d >= 0 && d !== e.index; d = ft.dirNext[d]) {
			const id = idsA[d];
			if (id < 0 || ft.dirBlock[d] >= 0) { continue; }
			if (id === INCLUDE) {
				const edge = graph.edgeAt(e.from, ft.tokStart[ft.dirTok[d]]);
				for (const target of edge?.targets ?? []) {
					const other = graph.fileOf(target);
					// the same file included twice in one block counts too
					if (!other) { continue; }
					for (const o of topOnce(graph, target, other, set, 0, new Set([e.from, target]))) {
						if (!before.has(o.key)) { before.set(o.key, o); }
					}
				}
				continue;
			}
			const key = keyOf(set, id);
			if (key >= 0 && !before.has(key)) { before.set(key, { key, uri: e.from, file: from, index: d }); }
		}
		if (!before.size) { continue; }
		for (let d = t.blockFirst[0]; d >= 0; d = t.dirNext[d]) {
			const id = f.ids[d];
			if (id < 0 || t.dirBlock[d] >= 0 || reported.has(d)) { continue; }
			const key = keyOf(set, id);
			const first = key >= 0 ? before.get(key) : undefined;
			if (!first) { continue; }
			reported.add(d);
			const name = file.token(t.dirTok[d]);
			ctx.report({
				code: Codes.nginxDuplicateDirective, offset: name.offset, length: name.length,
				args: { name: name.value, detail: ` where this file is included (the including block sets it before the include)` },
				related: [relatedAt(first, 'first set here, before the include that reads this file')],
			});
		}
	}
}

/**
 * Directives whose setter refuses a repeat only in some cases: `limit_conn`/`limit_req` of the
 * same zone twice (each zone once per level), and `off` next to any other line of the same
 * directive (`mirror`, `proxy_redirect`, `proxy_cookie_*`: off clears the list the others add to).
 */
type Conditional = 'zone' | 'off';
const CONDITIONAL: ReadonlyMap<string, Conditional> = new Map([
	['limit_conn', 'zone'], ['limit_req', 'zone'],
	['mirror', 'off'], ['proxy_redirect', 'off'], ['proxy_cookie_domain', 'off'], ['proxy_cookie_path', 'off'], ['proxy_cookie_flags', 'off'],
]);
const CONDITIONAL_FLAGS = new Uint8Array(DIRECTIVE_IDS + 1);
const CONDITIONAL_KIND: Conditional[] = [];
for (const [name, kind] of CONDITIONAL) {
	const id = directiveId(name);
	if (id >= 0) {
		CONDITIONAL_FLAGS[id + 1] = 1;
		CONDITIONAL_KIND[id] = kind;
	}
}

/** The zone a limit_conn (first argument) or limit_req (`zone=NAME`) line names, or undefined. */
function zoneOf(ctx: NginxContext, d: number, name: string): string | undefined {
	const t = ctx.file.tree;
	const first = t.dirTok[d] + 1;
	if (name === 'limit_conn') { return t.dirArgc[d] >= 1 ? tokenText(ctx.file, first) : undefined; }
	for (let k = first; k < first + t.dirArgc[d]; k++) {
		const v = tokenText(ctx.file, k);
		if (v.startsWith('zone=')) { return v.slice(5); }
	}
	return undefined;
}

function checkConditional(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const file = ctx.file;
	const t = file.tree;
	const list = f.byName.flagged(CONDITIONAL_FLAGS);
	if (list.length < 2) { return; }
	// by block and directive id: the lines seen so far (document order)
	// (null once a clash was reported: nginx stops at the first)
	const seen = new Map<string, { d: number; key: string }[] | null>();
	for (const d of list) {
		const id = f.ids[d];
		const set = f.blockSet[t.dirParent[d]];
		if (set === 0 || t.dirTerm[d] === TERM_MISSING || t.dirBlock[d] >= 0 || (factFlags(set, id) & FACTS_DEFINED) === 0) { continue; }
		if (directiveFacts(set, id).defs.some(x => x.origin === 'third-party')) { continue; }
		const name = file.token(t.dirTok[d]).value;
		const kind = CONDITIONAL_KIND[id];
		const key = kind === 'zone' ? zoneOf(ctx, d, name) : t.dirArgc[d] === 1 && tokenText(file, t.dirTok[d] + 1) === 'off' ? 'off' : '';
		if (key === undefined) { continue; }
		const slot = `${t.dirParent[d]}:${id}`;
		let before = seen.get(slot);
		if (before === null) { continue; }
		if (!before) { before = []; seen.set(slot, before); }
		const clash = kind === 'zone' ? before.find(x => x.key === key) : before.length > 0 && (key === 'off' || before.some(x => x.key === 'off')) ? before[0] : undefined;
		before.push({ d, key });
		if (!clash) { continue; }
		const first = file.directive(clash.d);
		const at = file.token(t.dirTok[d]);
		const detail = kind === 'zone'
			? ` for the zone "${key}" (each zone once per level)`
			: ` with "off" (nginx does not combine "${name} off" with other ${name} lines)`;
		ctx.report({
			code: Codes.nginxDuplicateDirective, offset: at.offset, length: at.length,
			args: { name, detail },
			related: [{ uri: ctx.uri, offset: first.offset, length: first.length, message: 'first set here' }],
		});
		seen.set(slot, null);
	}
}
