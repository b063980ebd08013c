/**
 * nginx-directive-not-allowed and nginx-invalid-arguments: a known directive in a context its
 * module does not allow, with an argument count its rule does not allow, or written as a block
 * when it is not one (and the other way round). Mirrors the checks of ngx_conf_handler.
 */
import type { NginxArgRule } from '../../data/types';
import { TERM_BLOCK, TERM_MISSING, TERM_SEMICOLON, TOKEN_DOUBLE_QUOTED, TOKEN_SINGLE_QUOTED, type NginxFile } from '../../parser/nginx/nodes';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import type { RelatedLocation } from '../findings';
import { acceptsArgs, contextId, contextName, contextSetId, contextSetNames, DATA_ID, directiveFacts, directiveId as directiveIdOf, directiveIds, shapeAccepted, UNKNOWN_ID, type DirectiveFacts } from './facts';
import { contextWord, includeGraph, runFacts } from './fileContexts';
import { contextsFor, type IncludeEdge, type NginxIncludeGraph } from './includes';
import { NGINX_CONF_FILES } from '../../data/generated/nginxConfFiles';

export { acceptsCount } from './facts';

function describeRule(rule: NginxArgRule): string {
	if (rule.flag) { return 'exactly 1 (on or off)'; }
	if (rule.counts) { return rule.counts.length === 1 ? `exactly ${rule.counts[0]}` : rule.counts.join(' or '); }
	return rule.max === null ? `${rule.min} or more` : `${rule.min} to ${rule.max}`;
}

export function checkPlacement(ctx: NginxContext): void {
	const f = runFacts(ctx);
	const t = ctx.file.tree;
	const { ids, blockSet, extra } = f;
	// the tree's arrays in locals: the calls in the loop would make V8 load them from the tree again on every turn
	const { dirParent, dirTerm, dirArgc } = t;
	const n = t.directiveCount;
	for (let d = 0; d < n; d++) {
		const id = ids[d];
		if (id < 0) { continue; }
		const set = blockSet[dirParent[d]];
		if (set === 0) { continue; }
		// the common case first, on packed facts: a rule applies and takes this shape (nothing below can report then)
		const term = dirTerm[d];
		if (term !== TERM_MISSING && shapeAccepted(set, id, term === TERM_BLOCK, dirArgc[d])) { continue; }
		if ((t.tokFlags[t.dirTok[d]] & (TOKEN_DOUBLE_QUOTED | TOKEN_SINGLE_QUOTED)) !== 0) { continue; }
		if (extra.size && extra.has(ctx.file.token(t.dirTok[d]).value)) { continue; }
		const facts = directiveFacts(set, id);
		if (facts.refusedIn.length) {
			// a file read in several places: nginx refuses it where one of them does not allow it
			reportRefusedIn(ctx, d, facts);
			continue;
		}
		if (!facts.defs.length) {
			const name = ctx.file.token(t.dirTok[d]);
			const allowed = [...new Set(facts.all.flatMap(x => x.contexts))].map(contextWord);
			ctx.report({
				code: Codes.nginxDirectiveNotAllowed, offset: name.offset, length: name.length,
				args: { name: name.value, here: contextWord(contextSetNames(set)[0]), allowed: allowed.join(', ') },
			});
			continue;
		}
		if (term === TERM_MISSING) { continue; }
		if (term === TERM_BLOCK ? facts.blockOk && acceptsArgs(facts, t.dirArgc[d]) : facts.semicolonOk && acceptsArgs(facts, t.dirArgc[d])) { continue; }
		checkShape(ctx, d, facts);
	}
}

/** The includes that read this file with its top level in context `top`. */
export function includeSitesIn(graph: NginxIncludeGraph, uri: string, top: string): IncludeEdge[] {
	return graph.includersOf(uri).filter(e => {
		const from = graph.fileOf(e.from);
		if (!from) { return false; }
		const block = from.tree.dirParent[e.index];
		return graph.topContexts(e.from).some(t => contextName(contextsFor(from, contextId(t))[block]) === top);
	});
}

/** 1-based line of offset `at` in `text`. */
function lineAt(text: string, at: number): number {
	let line = 1;
	for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) { line++; }
	return line;
}

function fileName(uri: string): string {
	return uri.slice(uri.lastIndexOf('/') + 1);
}

/** A directive allowed where one reading of the file puts it but not where another does: reported with the includes of that reading. */
function reportRefusedIn(ctx: NginxContext, d: number, facts: DirectiveFacts): void {
	const f = runFacts(ctx);
	const t = ctx.file.tree;
	const graph = includeGraph(ctx);
	const tops = graph.topContexts(ctx.uri);
	const block = t.dirParent[d];
	const refused = new Set(facts.refusedIn);
	const related: RelatedLocation[] = [];
	let here = facts.refusedIn[0];
	let via = '';
	for (let i = 0; i < f.blockContexts.length; i++) {
		const c = contextName(f.blockContexts[i][block]);
		if (!refused.has(c)) { continue; }
		for (const e of includeSitesIn(graph, ctx.uri, tops[i] ?? '')) {
			const from = graph.fileOf(e.from);
			if (!from || related.length >= 8) { continue; }
			const name = from.token(from.tree.dirTok[e.index]);
			const where = `${fileName(e.from)}, line ${lineAt(from.text, name.offset)}`;
			if (!related.length) {
				here = c;
				via = `, where ${where} includes this file`;
			}
			related.push({ uri: e.from, offset: name.offset, length: name.length, message: `this include reads the file in ${contextWord(c)}` });
		}
	}
	const name = ctx.file.token(t.dirTok[d]);
	const allowed = [...new Set(facts.all.flatMap(x => x.contexts))].map(contextWord);
	ctx.report({
		code: Codes.nginxDirectiveNotAllowed, offset: name.offset, length: name.length,
		args: { name: name.value, here: contextWord(here), allowed: allowed.join(', '), via },
		related,
	});
}

/** Directive names at the top level of nginx's standard files (read when no workspace file of that name is included). */
const STANDARD_NAMES: Readonly<Record<string, readonly string[]>> = {
	'uwsgi_params': ['uwsgi_param'], 'scgi_params': ['scgi_param'], 'fastcgi_params': ['fastcgi_param'], 'fastcgi.conf': ['fastcgi_param'],
	'proxy_params': ['proxy_set_header'], 'mime.types': ['types'], 'koi-utf': ['charset_map'], 'koi-win': ['charset_map'], 'win-utf': ['charset_map'],
};

interface Found { readonly refusal: Refusal; readonly target: string; readonly context: number }

/** What an included file holds that its include site's context refuses: the first such directive (memo per tree and context). */
interface Refusal { readonly name: string; readonly line: number | undefined; readonly allowed: string }
const refusals = new Map<NginxFile, Map<number, Refusal | null>>();

function refusalIn(file: NginxFile, context: number): Refusal | null {
	let m = refusals.get(file);
	if (!m) {
		m = new Map();
		// trees are never mutated: a few recent ones are enough
		if (refusals.size > 256) { refusals.clear(); }
		refusals.set(file, m);
	}
	const known = m.get(context);
	if (known !== undefined) { return known; }
	let out: Refusal | null = null;
	const t = file.tree;
	const ids = directiveIds(file);
	const contexts = contextsFor(file, context);
	for (let d = 0; d < t.directiveCount && !out; d++) {
		const id = ids[d];
		const c = contexts[t.dirParent[d]];
		if (id < 0 || c === UNKNOWN_ID || c === DATA_ID) { continue; }
		const facts = directiveFacts(contextSetId([c]), id);
		if (facts.defs.length || !facts.all.length) { continue; }
		out = { name: file.token(t.dirTok[d]).value, line: lineAt(file.text, t.tokStart[t.dirTok[d]]), allowed: [...new Set(facts.all.flatMap(x => x.contexts))].map(contextWord).join(', ') };
	}
	m.set(context, out);
	return out;
}

const standardMemo = new Map<string, Refusal | null>();

function standardRefusal(name: string, context: number): Refusal | null {
	const key = `${name}\u0000${context}`;
	const known = standardMemo.get(key);
	if (known !== undefined) { return known; }
	let out: Refusal | null = null;
	for (const n of STANDARD_NAMES[name] ?? []) {
		const facts = directiveFacts(contextSetId([context]), directiveIdOf(n));
		if (facts.defs.length || !facts.all.length) { continue; }
		const text = NGINX_CONF_FILES[name];
		const at = text ? new RegExp(`^\\s*${n}\\b`, 'm').exec(text) : null;
		out = { name: n, line: at ? lineAt(text, at.index + at[0].length - n.length) : undefined, allowed: [...new Set(facts.all.flatMap(x => x.contexts))].map(contextWord).join(', ') };
		break;
	}
	standardMemo.set(key, out);
	return out;
}

/**
 * nginx-directive-not-allowed at an include: the file it reads holds a directive the include's
 * block does not allow (`include uwsgi_params;` in an `if`: nginx stops with "uwsgi_param"
 * directive is not allowed here, in uwsgi_params). Reported here too, since the included file
 * may never be opened (a standard file of nginx's is not in the workspace at all).
 */
export function checkIncludedPlacement(ctx: NginxContext): void {
	const graph = includeGraph(ctx);
	const edges = graph.edgesFrom(ctx.uri);
	if (!edges.length) { return; }
	const f = runFacts(ctx);
	const t = ctx.file.tree;
	// includes of one pattern share what it resolves to: asked once per context (a config of a thousand servers repeats a few)
	const asked = new Map<readonly string[] | string, Map<number, Found | null>>();
	for (const e of edges) {
		const block = t.dirParent[e.index];
		if (f.blockSet[block] === 0) { continue; }
		const targets = e.targets;
		const key = targets.length ? targets : e.standard;
		if (key === undefined) { continue; }
		let byContext = asked.get(key);
		if (!byContext) { byContext = new Map(); asked.set(key, byContext); }
		let found: Found | null = null;
		for (const contexts of f.blockContexts) {
			const c = contexts[block];
			if (c === UNKNOWN_ID || c === DATA_ID) { continue; }
			let hit = byContext.get(c);
			if (hit === undefined) {
				hit = null;
				if (targets.length) {
					for (const target of targets) {
						const file = graph.fileOf(target);
						const r = file && refusalIn(file, c);
						if (r) { hit = { refusal: r, target: fileName(target), context: c }; break; }
					}
				} else {
					const r = standardRefusal(key as string, c);
					if (r) { hit = { refusal: r, target: key as string, context: c }; }
				}
				byContext.set(c, hit);
			}
			if (hit) { found = hit; break; }
		}
		if (!found || f.extra.has(found.refusal.name)) { continue; }
		const name = ctx.file.token(t.dirTok[e.index]);
		const r = found.refusal;
		ctx.report({
			code: Codes.nginxDirectiveNotAllowed, offset: name.offset, length: name.length,
			args: { name: r.name, source: ` (${found.target}${r.line ? `, line ${r.line}` : ''}, read by this include)`, here: contextWord(contextName(found.context)), allowed: r.allowed },
		});
	}
}

/** Reports what is wrong with the shape of directive `d` (block-ness, then the argument count). */
function checkShape(ctx: NginxContext, index: number, facts: DirectiveFacts): void {
	const d = ctx.file.directive(index);
	const rules = facts.defs.map(x => x.args);
	const name = d.name.value;
	if (ctx.file.tree.dirTerm[index] === TERM_BLOCK && !facts.blockOk) {
		const brace = d.block!.open;
		ctx.report({ code: Codes.nginxInvalidArguments, offset: brace, length: 1, args: { name, detail: `"${name}" is not a block directive: nginx says it "is not terminated by ;".` } });
		return;
	}
	if (ctx.file.tree.dirTerm[index] === TERM_SEMICOLON && !facts.semicolonOk) {
		ctx.report({ code: Codes.nginxInvalidArguments, offset: d.name.offset, length: d.name.length, args: { name, detail: `"${name}" needs a { ... } block: nginx says it "has no opening {".` } });
		return;
	}
	const n = d.args.length;
	if (acceptsArgs(facts, n)) { return; }
	const span = n ? { offset: d.args[0].offset, length: d.args[n - 1].offset + d.args[n - 1].length - d.args[0].offset } : d.name;
	ctx.report({
		code: Codes.nginxInvalidArguments, offset: span.offset, length: span.length,
		args: { name, detail: `"${name}" takes ${rules.map(describeRule).join(' or ')} argument${rules.length === 1 && rules[0].counts?.length === 1 && rules[0].counts[0] === 1 ? '' : 's'}, not ${n}: nginx stops with "invalid number of arguments".` },
	});
}
