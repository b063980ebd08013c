/**
 * Shrinks a disagreement to a minimal config: removes statements (and data entries, and files
 * that no longer matter) one at a time while the disagreement stays the same kind.
 */
import { cloneCase, type Case, type Stmt } from './model';
import type { Judgement } from './judge';

function lists(c: Case): Stmt[][] {
	const out: Stmt[][] = [];
	const visit = (list: Stmt[]) => {
		out.push(list);
		for (const s of list) { if (s.block) { visit(s.block); } }
	};
	for (const stmts of c.files.values()) { visit(stmts); }
	return out;
}

/** Positions (list number, index) of every statement, deepest lists last. */
function positions(c: Case): [number, number][] {
	const out: [number, number][] = [];
	lists(c).forEach((list, li) => list.forEach((_, i) => out.push([li, i])));
	return out;
}

export async function shrink(c: Case, same: (j: Judgement) => boolean, run: (c: Case) => Promise<Judgement>, budget = 400): Promise<{ case: Case; judgement: Judgement | undefined; tries: number }> {
	let best = c;
	let bestJ: Judgement | undefined;
	let tries = 0;
	let progress = true;
	while (progress && tries < budget) {
		progress = false;
		// try the biggest cuts first: whole statements from the outside in, then single arguments
		const pos = positions(best);
		for (let p = 0; p < pos.length && tries < budget; p++) {
			const candidate = cloneCase(best);
			const [li, i] = pos[p];
			const list = lists(candidate)[li];
			if (!list || i >= list.length) { continue; }
			const removed = list[i];
			if (removed.name === 'load_module') { continue; }
			list.splice(i, 1);
			tries++;
			const j = await run(candidate);
			if (same(j)) {
				best = candidate;
				bestJ = j;
				progress = true;
				break;
			}
		}
		if (!progress) {
			// files nothing includes any more
			for (const file of [...best.files.keys()].slice(1)) {
				const candidate = cloneCase(best);
				candidate.files.delete(file);
				tries++;
				const j = await run(candidate);
				if (same(j)) { best = candidate; bestJ = j; progress = true; break; }
			}
		}
	}
	return { case: best, judgement: bestJ, tries };
}
