/**
 * Ways to break a config the way people do: drop a `;` or a brace, move a directive to another
 * block, change an argument's type or count, misspell a directive or a variable, remove a
 * definition something refers to, repeat a once-only directive, break a regex or a port, put a
 * byte-order mark in front. Each mutation says what it did (the case's origin).
 */
import { getNginxDirectives, isNginxDirective } from '../../../server/src/data/nginxData';
import type { Rng } from '../../helpers/rng';
import { blockContext, blocks, walk, type Case, type Stmt } from './model';
import type { Knowledge } from './probe';

type Mutation = (c: Case, r: Rng, k: Knowledge) => string | undefined;

interface Site { file: string; list: Stmt[]; index: number; stmt: Stmt }

function sites(c: Case, keep: (s: Stmt) => boolean): Site[] {
	const out: Site[] = [];
	for (const w of walk(c)) { if (keep(w.stmt)) { out.push(w); } }
	return out;
}

const directive = (s: Stmt) => s.ctx !== 'data' && s.name !== 'load_module';

const dropSemicolon: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && !s.block);
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	t.stmt.noSemi = true;
	return `drop ";" after ${t.stmt.name}`;
};

const dropBrace: Mutation = (c, r) => {
	const all = sites(c, s => !!s.block && s.ctx !== 'data');
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	if (r.chance(0.5)) { t.stmt.noClose = true; return `drop "}" of ${t.stmt.name}`; }
	t.stmt.noOpen = true;
	return `drop "{" of ${t.stmt.name}`;
};

function setContext(s: Stmt, ctx: string): void {
	s.ctx = ctx;
	if (s.block && !s.data) { for (const x of s.block) { setContext(x, blockContext(s)); } }
}

const moveDirective: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && s.name !== 'events' && s.name !== 'http');
	const targets = [...blocks(c)];
	if (!all.length || !targets.length) { return undefined; }
	const t = r.pick(all);
	const to = r.pick(targets);
	if (to.list === t.list || containsList(t.stmt, to.list)) { return undefined; }
	t.list.splice(t.index, 1);
	setContext(t.stmt, to.ctx);
	to.list.splice(r.int(0, to.list.length), 0, t.stmt);
	return `move ${t.stmt.name} to ${to.ctx}`;
};

function containsList(s: Stmt, list: Stmt[]): boolean {
	if (!s.block) { return false; }
	if (s.block === list) { return true; }
	return s.block.some(x => containsList(x, list));
}

const WRONG_VALUES = ['yes', '10mb', '5x', '1M', '-1', 'abc', '1.5', '"on off"', '0x10', '99999999999999999999', '', '1r/x', '=', '"', 'on;'];

const changeArgType: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && s.args.length > 0 && s.name !== 'include');
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	const i = r.int(0, t.stmt.args.length - 1);
	const was = t.stmt.args[i];
	let now = r.pick(WRONG_VALUES);
	if (now === '') { now = '""'; }
	if (now === '"' || now === 'on;') { return undefined; }
	t.stmt.args[i] = now;
	return `${t.stmt.name}: argument ${i + 1} ${was} → ${now}`;
};

const changeArgCount: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && s.name !== 'include');
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	if (t.stmt.args.length && r.chance(0.5)) {
		t.stmt.args.pop();
		return `${t.stmt.name}: one argument fewer`;
	}
	t.stmt.args.push(t.stmt.args.length ? t.stmt.args[t.stmt.args.length - 1] : r.pick(['on', '1', 'x']));
	return `${t.stmt.name}: one argument more`;
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyz_';

function misspell(name: string, r: Rng): string {
	const i = r.int(0, name.length - 1);
	switch (r.int(0, 3)) {
		case 0: return name.slice(0, i) + name.slice(i + 1);
		case 1: return name.slice(0, i) + r.pick([...LETTERS]) + name.slice(i);
		case 2: return name.slice(0, i) + r.pick([...LETTERS]) + name.slice(i + 1);
		default: return i + 1 < name.length ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2) : name + 's';
	}
}

const misspellDirective: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && !s.block && s.name.length > 3);
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	for (let attempt = 0; attempt < 10; attempt++) {
		const name = misspell(t.stmt.name, r);
		if (name && !isNginxDirective(name) && /^[a-z_0-9]+$/.test(name)) {
			const was = t.stmt.name;
			t.stmt.name = name;
			return `misspell ${was} → ${name}`;
		}
	}
	return undefined;
};

const misspellVariable: Mutation = (c, r, k) => {
	const all = sites(c, s => directive(s) && s.args.some(a => /\$[a-z_]{4,}/.test(a)));
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	const i = t.stmt.args.findIndex(a => /\$[a-z_]{4,}/.test(a));
	const m = /\$([a-z_]{4,})/.exec(t.stmt.args[i])!;
	const known = new Set([...k.httpVariables, ...k.streamVariables]);
	for (let attempt = 0; attempt < 10; attempt++) {
		const name = misspell(m[1], r);
		if (name && !known.has(name) && /^[a-z_]+$/.test(name) && !/^(http|arg|cookie|sent_http|upstream_http|upstream_cookie|sent_trailer|upstream_trailer)_/.test(name)) {
			t.stmt.args[i] = t.stmt.args[i].replace(`$${m[1]}`, `$${name}`);
			return `misspell $${m[1]} → $${name}`;
		}
	}
	return undefined;
};

const removeDefinition: Mutation = (c, r) => {
	const used = new Set<string>();
	for (const { stmt } of walk(c)) { for (const u of stmt.uses ?? []) { used.add(u); } }
	for (const { stmt } of walk(c)) { for (const a of stmt.args) { for (const m of a.matchAll(/\$\{?([a-z_0-9]+)/g)) { used.add(`var:${m[1]}`); } } }
	const all = sites(c, s => (s.defines ?? []).some(d => used.has(d)));
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	t.list.splice(t.index, 1);
	return `remove ${t.stmt.name} ${t.stmt.args.join(' ')} (defines ${(t.stmt.defines ?? []).filter(d => used.has(d)).join(', ')})`;
};

const duplicateOnce: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && !s.block && getNginxDirectives(s.name).some(d => d.repeat !== 'accumulates' && d.contexts.includes(s.ctx)));
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	const copy = { ...t.stmt, args: [...t.stmt.args], defines: undefined };
	t.list.splice(t.index + 1 + (r.chance(0.5) ? 0 : t.list.length - t.index - 1), 0, copy);
	return `repeat ${t.stmt.name}`;
};

const breakRegex: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && (s.name === 'location' && /^~\*?$/.test(s.args[0] ?? '') || s.name === 'rewrite' || s.name === 'if' && s.args.some(a => /~/.test(a))));
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	const i = t.stmt.name === 'location' ? 1 : t.stmt.name === 'rewrite' ? 0 : t.stmt.args.length - 1;
	const was = t.stmt.args[i];
	if (was === undefined) { return undefined; }
	const quoted = /^".*"\)?$/.test(was);
	const body = quoted ? was.replace(/^"/, '').replace(/"(\))?$/, '') : was;
	const tail = /"\)$/.test(was) ? ')' : '';
	let broken: string;
	switch (r.int(0, 5)) {
		case 0: broken = body.replace(')', ''); break;
		case 1: broken = `(${body}`; break;
		case 2: broken = `${body}[a-`; break;
		case 3: broken = `*${body}`; break;
		case 4: broken = `${body}\\`; break;
		default: broken = `${body}{3,2}`; break;
	}
	if (broken === body) { return undefined; }
	t.stmt.args[i] = `"${broken.replace(/"/g, '\\"')}"${tail}`;
	return `${t.stmt.name}: regex ${was} → ${t.stmt.args[i]}`;
};

const badPort: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && (s.name === 'listen' || s.name === 'server' && !s.block || /_pass$/.test(s.name)) && s.args.some(a => /:\d+/.test(a)));
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	const i = t.stmt.args.findIndex(a => /:\d+/.test(a));
	const was = t.stmt.args[i];
	t.stmt.args[i] = was.replace(/:\d+/, `:${r.pick(['99999', 'YOURPORT', '', '0', '65536', '8o80', '-1'])}`);
	return `${t.stmt.name}: port ${was} → ${t.stmt.args[i]}`;
};

const bom: Mutation = c => {
	c.mainPrefix = '\ufeff';
	return 'byte-order mark before the first directive';
};

const unquote: Mutation = (c, r) => {
	const all = sites(c, s => directive(s) && s.args.some(a => /^["'].*["']$/.test(a)));
	if (!all.length) { return undefined; }
	const t = r.pick(all);
	const i = t.stmt.args.findIndex(a => /^["'].*["']$/.test(a));
	const was = t.stmt.args[i];
	t.stmt.args[i] = was.slice(1, -1);
	return `${t.stmt.name}: unquote ${was}`;
};

export const MUTATIONS: readonly (readonly [string, Mutation, number])[] = [
	['drop-semicolon', dropSemicolon, 2],
	['drop-brace', dropBrace, 1],
	['move', moveDirective, 4],
	['arg-type', changeArgType, 4],
	['arg-count', changeArgCount, 3],
	['misspell-directive', misspellDirective, 2],
	['misspell-variable', misspellVariable, 3],
	['remove-definition', removeDefinition, 3],
	['duplicate', duplicateOnce, 2],
	['regex', breakRegex, 2],
	['port', badPort, 2],
	['bom', bom, 0.3],
	['unquote', unquote, 1],
];

/** Applies one mutation (a few attempts until one applies); returns what it did. */
export function mutate(c: Case, r: Rng, k: Knowledge): string | undefined {
	for (let attempt = 0; attempt < 8; attempt++) {
		const [name, m] = r.weighted(MUTATIONS.map(([n, f, w]) => [[n, f] as const, w] as const));
		const did = m(c, r, k);
		if (did) {
			c.origin.push(`${name}: ${did}`);
			return did;
		}
	}
	return undefined;
}
