/**
 * nginx-duplicate-directive: a directive whose slot setter refuses a second value at the same
 * level (nginx: `"client_max_body_size" directive is duplicate`), set twice in one block.
 */
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { DIRECTIVE_IDS, directiveId, factFlags, FACTS_REPEAT_ERROR, SetPredicate } from './facts';
import { runFacts } from './fileContexts';

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
const HAS_MAIN = new SetPredicate(contexts => contexts.includes('main'));
/** `return` is once per block only in a stream server, where it is the content handler (in http a later one is just never reached). */
const RETURN = directiveId('return');
const IN_STREAM_SERVER = new SetPredicate(contexts => contexts.length > 0 && contexts.every(c => c === 'stream.server'));

const seenBlock = new Int32Array(KEYS).fill(-1);
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
				if (!(ONCE_PER_CONFIG_IDS[id] === 1 && HAS_MAIN.has(set))) { continue; }
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
			ctx.report({
				code: Codes.nginxDuplicateDirective, offset: name.offset, length: name.length,
				args: { name: name.value },
				related: [{ uri: ctx.uri, offset: first.offset, length: first.length, message: 'first set here' }],
			});
		}
	}
}
