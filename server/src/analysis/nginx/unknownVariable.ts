/**
 * nginx-unknown-variable: a `$name` nginx compiles that nothing defines — no module of the
 * family (http or stream) has it, no directive or named capture of the workspace defines it, no
 * third-party module the workspace uses names its variables so. nginx checks every name at the
 * end of the configuration and stops with `unknown "name" variable` (no file or line).
 *
 * Where the file's surroundings are not all in the workspace (a site file included from an
 * nginx.conf outside it, a tree with an include that matches nothing), they may define the
 * name: there only a near miss of a built-in name is reported (`$reqest_uri`), and the
 * names nginx can never define (`$0`, `${1}`: captures are `$1` … `$9`, one digit, no braces).
 */
import { builtinVariableNames, userSetVariable } from '../../data/nginxVariables';
import { closestMatches, typoDistance } from '../../utils/strings';
import { Codes } from '../codes';
import type { NginxContext } from '../context';
import { didYouMean } from '../findings';
import type { NginxFile } from '../../parser/nginx/nodes';
import { directiveId, directiveIds } from './facts';
import { includeGraph } from './fileContexts';
import {
	definedVariableNames, inCompleteConfig, isUseDefined, memcachedPasses, resolveVariable, variableIndex, variableUses,
	type VariableFamily, type VariableIndex, type VariableUse,
} from './variables';

export interface UnknownVariableData {
	/** Replacements for the whole reference (`$request_uri`, or `${request_uri}` where braces were written). */
	readonly candidates: readonly string[];
}

function suggestions(index: VariableIndex, key: string, family: VariableFamily | undefined): string[] {
	const builtins = family ? builtinVariableNames(family) : [...builtinVariableNames('http'), ...builtinVariableNames('stream')];
	return closestMatches(key, new Set([...builtins, ...definedVariableNames(index, family)]), 3);
}

/**
 * A built-in of the family one typo away, as `$reqest_uri` is from `$request_uri` (a fragment's
 * unseen surroundings do not define those). Not for short names, nor for a name that only
 * extends a built-in (`$uri2`, `$hosts`): those are often variables of their own.
 */
function nearBuiltin(key: string, family: VariableFamily | undefined): boolean {
	if (key.length < 7) { return false; }
	const names = family ? builtinVariableNames(family) : [...builtinVariableNames('http'), ...builtinVariableNames('stream')];
	return names.some(n => Math.abs(n.length - key.length) <= 1 && !key.startsWith(n) && !n.startsWith(key) && typoDistance(key, n, 1) <= 1);
}

/** Why the name is unknown, when something more than "nothing defines it" can be said. */
function detail(key: string, family: VariableFamily | undefined, written: string): string {
	if (/^\d/.test(key)) {
		return written.startsWith('${')
			? ' Captures are $1 … $9 without braces: nginx reads ${…} as a variable name.'
			: ' Captures are $1 … $9 (one digit): nginx reads $0 and longer numbers as variable names.';
	}
	if (family && userSetVariable(family, key)) {
		return ` nginx's ${userSetVariable(family, key)!.module} reads $${key} but does not define it: set it (set $${key} …;).`;
	}
	const other: VariableFamily | undefined = family === 'http' ? 'stream' : family === 'stream' ? 'http' : undefined;
	if (other && builtinVariableNames(other).includes(key)) {
		return ` $${key} is a variable of nginx's ${other} modules, and ${family} has a set of its own.`;
	}
	return '';
}

/** Directives nginx compiles when it merges a level into a server or location, not where they stand. */
const MERGE_COMPILED = new Set(['proxy_set_header', 'grpc_set_header', 'proxy_set_body', 'uwsgi_param', 'fastcgi_param', 'scgi_param'].map(directiveId));
const HTTP = directiveId('http');
const SERVER = directiveId('server');
const INCLUDE = directiveId('include');

/**
 * A use nginx never compiles. A directive compiled on merge (proxy_set_header, *_param) that
 * stands right in an http block is compiled only when a server inherits it: a server without
 * its own directive of that name (and without an include at its level that could bring one).
 * When every server of the http block — here, or at the top of a file included there — has its
 * own, or there is no server, its variables are never looked up.
 */
function neverMerged(ctx: NginxContext, d: number): boolean {
	const t = ctx.file.tree;
	const ids = directiveIds(ctx.file);
	const id = ids[d];
	if (!MERGE_COMPILED.has(id)) { return false; }
	const block = t.dirParent[d];
	const owner = t.blockOwner[block];
	if (owner < 0 || ids[owner] !== HTTP) { return false; }
	const inherits = (file: NginxFile, serverBlock: number): boolean => {
		const fids = directiveIds(file);
		const ft = file.tree;
		for (let c = ft.blockFirst[serverBlock]; c >= 0; c = ft.dirNext[c]) {
			if (fids[c] === id || fids[c] === INCLUDE) { return false; }
		}
		return true;
	};
	const graph = includeGraph(ctx);
	const edges = new Map(graph.edgesFrom(ctx.uri).map(e => [e.index, e]));
	for (let c = t.blockFirst[block]; c >= 0; c = t.dirNext[c]) {
		if (ids[c] === SERVER && t.dirBlock[c] >= 0 && inherits(ctx.file, t.dirBlock[c])) { return false; }
		if (ids[c] !== INCLUDE) { continue; }
		const edge = edges.get(c);
		// an include that resolves to nothing of the workspace may bring a server that inherits
		if (!edge || (!edge.targets.length && !edge.standard)) { return false; }
		for (const target of edge.targets) {
			const other = graph.fileOf(target);
			if (!other) { return false; }
			const oids = directiveIds(other);
			for (let x = other.tree.blockFirst[0]; x >= 0; x = other.tree.dirNext[x]) {
				if (oids[x] === INCLUDE) { return false; }
				if (oids[x] === SERVER && other.tree.dirBlock[x] >= 0 && inherits(other, other.tree.dirBlock[x])) { return false; }
			}
		}
	}
	return true;
}

export function checkUnknownVariables(ctx: NginxContext): void {
	const uses = variableUses(ctx);
	const passes = memcachedPasses(ctx.file);
	if (!uses.count && !passes.length) { return; }
	const index = variableIndex(ctx);
	let complete: boolean | undefined;
	const text = ctx.file.text;
	for (let i = 0; i < uses.count; i++) {
		if (isUseDefined(uses, i, index, text)) { continue; }
		const u = uses.use(i);
		const numeric = /^\d/.test(u.key);
		if (!numeric && !(complete ??= inCompleteConfig(ctx)) && !nearBuiltin(u.key, u.family)) { continue; }
		if (neverMerged(ctx, u.directive)) { continue; }
		report(ctx, index, u, text.slice(u.offset, u.offset + u.length));
	}
	// memcached_pass reads $memcached_key, which only the configuration defines
	if (passes.length && resolveVariable(index, 'memcached_key', 'http').kind === 'unknown' && (complete ??= inCompleteConfig(ctx))) {
		const t = ctx.file.tree;
		for (const d of passes) {
			const name = t.dirTok[d];
			ctx.report({
				code: Codes.nginxUnknownVariable, offset: t.tokStart[name], length: t.tokEnd[name] - t.tokStart[name],
				args: { name: '$memcached_key', key: 'memcached_key', where: '', detail: ' memcached_pass reads it for the key to look up, and nginx does not define it: set it (set $memcached_key $uri;).', hint: '' },
				data: { candidates: [] } satisfies UnknownVariableData,
			});
		}
	}
}

function report(ctx: NginxContext, index: VariableIndex, u: VariableUse, written: string): void {
	const braces = written.startsWith('${');
	const names = /^\d/.test(u.key) ? [] : suggestions(index, u.key, u.family);
	const candidates = braces ? names.map(n => `\${${n}}`) : names.map(n => `$${n}`);
	if (/^\d$/.test(u.key) && braces) { candidates.push(`$${u.key}`); }
	const data: UnknownVariableData = { candidates };
	ctx.report({
		code: Codes.nginxUnknownVariable, offset: u.offset, length: u.length,
		args: { name: written, key: u.key, where: u.family ? ` in ${u.family}` : '', detail: detail(u.key, u.family, written), hint: didYouMean(names.map(n => `$${n}`)) },
		data,
	});
}
