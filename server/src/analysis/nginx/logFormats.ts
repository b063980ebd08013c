/**
 * nginx-unknown-log-format: `access_log path NAME` where no `log_format NAME` is defined before
 * it. nginx looks the name up while it reads the access_log line (a log_format further down comes
 * too late; names compare case-insensitively) and stops with `unknown log format "NAME"` on that
 * line. http has the built-in `combined`; stream has no built-in format.
 *
 * A format defined in another file of the workspace counts (its order against this file is not
 * known); one defined only further down in the same file is reported; one defined nowhere only
 * in a complete configuration (variables.ts, inCompleteConfig): a site file's unseen nginx.conf
 * usually defines `main`.
 */
import type { NginxFile } from '../../parser/nginx/nodes';
import { closestMatches } from '../../utils/strings';
import { Memo } from '../../utils/memo';
import { Codes } from '../codes';
import type { NameIndex, NginxContext } from '../context';
import { didYouMean } from '../findings';
import { directiveId, directivesByName, tokenText } from './facts';
import { runFacts } from './fileContexts';
import { explicitFamily, inCompleteConfig, runFamily, type VariableFamily } from './variables';

const LOG_FORMAT = directiveId('log_format');
const ACCESS_LOG = directiveId('access_log');

interface FormatDefinition {
	/** The name, lowercase. */
	readonly key: string;
	readonly family: VariableFamily | undefined;
	/** Offset of the log_format directive. */
	readonly offset: number;
}

const memo = new Memo<object, FormatDefinition[]>();

/** The log_format definitions of a file (kept per parsed tree). */
export function logFormatsOf(file: NginxFile): readonly FormatDefinition[] {
	let out = memo.get(file.tree);
	if (!out) {
		out = [];
		const t = file.tree;
		for (const d of directivesByName(file).of(LOG_FORMAT)) {
			if (t.dirArgc[d] < 1) { continue; }
			out.push({ key: tokenText(file, t.dirTok[d] + 1).toLowerCase(), family: explicitFamily(file, d), offset: t.tokStart[t.dirTok[d]] });
		}
		memo.set(file.tree, out);
	}
	return out;
}

function tag(family: VariableFamily | undefined): string {
	return family === 'http' ? 'h' : family === 'stream' ? 's' : '*';
}

/** Whether a definition of `family` (undefined: unknown) serves a use in `use` (undefined: unknown). */
function compatible(def: VariableFamily | undefined, use: VariableFamily | undefined): boolean {
	return def === undefined || use === undefined || def === use;
}

function formatIndex(ctx: NginxContext): NameIndex {
	return ctx.workspace.nginxNames('logFormats', file => logFormatsOf(file).map(f => `${tag(f.family)}:${f.key}`));
}

function definedElsewhere(ctx: NginxContext, index: NameIndex, key: string, family: VariableFamily | undefined): boolean {
	for (const t of ['*', 'h', 's']) {
		if (t !== '*' && family !== undefined && t !== tag(family)) { continue; }
		for (const uri of index.files.get(`${t}:${key}`) ?? []) {
			if (uri !== ctx.uri) { return true; }
		}
	}
	return false;
}

export interface UnknownLogFormatData {
	readonly candidates: readonly string[];
}

export function checkLogFormats(ctx: NginxContext): void {
	const { file } = ctx;
	const logs = directivesByName(file).of(ACCESS_LOG);
	if (!logs.length) { return; }
	const t = file.tree;
	const f = runFacts(ctx);
	const own = logFormatsOf(file);
	let index: NameIndex | undefined;
	let complete: boolean | undefined;
	for (const d of logs) {
		if (t.dirArgc[d] < 2) { continue; }
		const family = runFamily(f, t.dirParent[d]);
		if (f.blockSet[t.dirParent[d]] === 0) { continue; }
		if (tokenText(file, t.dirTok[d] + 1) === 'off') { continue; }
		const k = t.dirTok[d] + 2;
		const name = tokenText(file, k);
		const key = name.toLowerCase();
		if (key === 'combined' && family !== 'stream') { continue; }
		const at = t.tokStart[t.dirTok[d]];
		if (own.some(x => x.key === key && x.offset < at && compatible(x.family, family))) { continue; }
		index ??= formatIndex(ctx);
		if (definedElsewhere(ctx, index, key, family)) { continue; }
		const later = own.find(x => x.key === key && x.offset > at && compatible(x.family, family));
		if (!later && !(complete ??= inCompleteConfig(ctx))) { continue; }
		const names = new Set<string>(family !== 'stream' ? ['combined'] : []);
		for (const x of own) { if (x.offset < at && compatible(x.family, family)) { names.add(x.key); } }
		for (const n of index.files.keys()) { if (compatible(n[0] === 'h' ? 'http' : n[0] === 's' ? 'stream' : undefined, family)) { names.add(n.slice(2)); } }
		const candidates = later ? [] : closestMatches(key, [...names].filter(n => n !== key), 3);
		const token = file.token(k);
		const line = later ? lineOf(file.text, later.offset) : 0;
		const data: UnknownLogFormatData = { candidates };
		ctx.report({
			code: Codes.nginxUnknownLogFormat, offset: token.offset, length: token.length,
			args: {
				name, where: later ? 'before this access_log' : family === 'stream' ? 'in this stream configuration (stream has no built-in format)' : 'in the workspace',
				detail: later ? ` It is defined further down (line ${line}), and nginx looks the name up while it reads this line: move the log_format above.` : '',
				hint: didYouMean(candidates),
			},
			data,
		});
	}
}

function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line++; }
	return line;
}
