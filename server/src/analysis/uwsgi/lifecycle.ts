/**
 * uwsgi-no-harakiri, uwsgi-no-worker-recycling, uwsgi-no-master: how the workers of a config
 * that serves requests are supervised. Checked on the config together with the configs it loads
 * and that load it (profile.ts); silent when one of those is outside the workspace.
 *
 * Facts (uWSGI 2.0.21, checked by running it): without the master, a worker that harakiri hits
 * kills itself and is not replaced; max-requests is ignored; a dead worker is never respawned.
 */
import { Codes } from '../codes';
import type { UwsgiContext } from '../context';
import type { IniDocument, IniEntryLine, IniSectionLine } from '../../parser/ini/nodes';
import { commandConfigOf } from '../commands/invocation';
import { optionEntries } from './entries';
import { configProfile, isRouterOption, profileEntries } from './profile';
import { SERVER_SOCKET_HANDLERS } from './sockets';
import { readNumber } from './values';

/** Options that make the master replace workers before they grow too big or too old. */
const RECYCLING = ['max-requests', 'max-worker-lifetime', 'reload-on-rss', 'evil-reload-on-rss', 'reload-on-as', 'evil-reload-on-as', 'reload-on-uss', 'reload-on-pss'];

/** A fix that inserts an option line below a section header (travels as diagnostic.data). */
export interface InsertOptionData {
	/** The line to insert, e.g. `master = true`. */
	readonly insert: string;
	/** Offset of the section header the line goes below. */
	readonly headerOffset: number;
}

function headerOf(doc: IniDocument, entry: IniEntryLine): IniSectionLine | undefined {
	return entry.section >= 0 ? doc.sections[entry.section]?.header : undefined;
}

/** A static number value, or undefined when it depends on placeholders or the environment. */
function staticNumber(entry: IniEntryLine): number | undefined {
	if (entry.refs.some(r => r.kind !== 'escape')) { return undefined; }
	const n = readNumber(entry.value.text);
	return n.noDigits ? undefined : n.value;
}

export function checkLifecycle(ctx: UwsgiContext): void {
	// cheap test first: only configs that bind a socket or the HTTP router serve requests
	if (!optionEntries(ctx.doc).some(({ option }) => SERVER_SOCKET_HANDLERS.has(option.handler) || isRouterOption(option))) { return; }
	const profile = configProfile(ctx.uri, ctx.doc, ctx.workspace);
	if (!profile.serving || !profile.complete) { return; }
	// a command line has no header of its own: its findings sit on the program word
	const program = commandConfigOf(ctx.doc)?.invocation.program;
	const header = profile.serving.header.length || !program ? profile.serving.header : program;
	if (profile.master === true) {
		if (!profileEntries(profile, 'harakiri').length) {
			ctx.report({
				code: Codes.uwsgiNoHarakiri, offset: header.offset, length: header.length,
				args: { nginx: frontedByNginx(ctx) ? ' nginx gives up after its read timeout (60 s by default) and answers 504, but the worker stays stuck.' : '' },
			});
		}
		if (!RECYCLING.some(n => profileEntries(profile, n).length)) {
			ctx.report({ code: Codes.uwsgiNoWorkerRecycling, offset: header.offset, length: header.length, args: {}, data: { insert: 'max-requests = 1000', headerOffset: header.offset } satisfies InsertOptionData });
		}
	} else if (profile.master === false) {
		const reasons: { names: string[]; detail: (n: number, key: string) => string | undefined }[] = [
			{ names: ['harakiri'], detail: (n, key) => (n > 0 ? `Without the master process, "${key}" makes a stuck worker kill itself and nothing starts a new one: every hung request costs a worker for good.` : undefined) },
			{ names: ['max-requests'], detail: (n, key) => (n > 0 ? `Without the master process, "${key}" has no effect: nothing recycles the workers.` : undefined) },
			{ names: ['processes'], detail: (n, key) => (n > 1 ? `Without the master process, a worker that dies (a crash, the kernel's OOM killer) is never replaced, so "${key} = ${n}" shrinks with every death and uWSGI cannot reload gracefully.` : undefined) },
		];
		for (const reason of reasons) {
			for (const name of reason.names) {
				for (const { uri, entry } of profileEntries(profile, name)) {
					if (uri !== ctx.uri) { continue; }
					const n = staticNumber(entry);
					const detail = n === undefined ? undefined : reason.detail(n, entry.key.text);
					const h = headerOf(ctx.doc, entry);
					if (!detail || !h) { continue; }
					ctx.report({ code: Codes.uwsgiNoMaster, offset: entry.key.offset, length: entry.key.length, args: { detail }, data: { insert: 'master = true', headerOffset: h.offset } satisfies InsertOptionData });
					return;
				}
			}
		}
	}
}

/** Whether an nginx target of the workspace reaches a socket of this file. */
function frontedByNginx(ctx: UwsgiContext): boolean {
	const graph = ctx.workspace.socketGraph();
	return graph.socketsIn(ctx.uri).some(s => graph.targetsOf(s).length > 0);
}
