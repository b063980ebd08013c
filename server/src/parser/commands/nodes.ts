/**
 * uWSGI command lines inside host files (shell scripts, Dockerfiles, compose files, systemd
 * units, supervisor programs, Procfiles). Every word keeps exact offsets into the host file,
 * character by character, so that a flag or a value can be reported and edited in place even
 * when it is quoted, escaped or written inside a nested `sh -c "..."` string.
 */
import type { Span } from '../../utils/positions';
import type { ComposeService } from './compose';

/** Which kind of file the command line is written in. */
export type CommandHost = 'shell' | 'dockerfile' | 'compose' | 'systemd' | 'supervisor' | 'procfile';

/** One argument as the program receives it. */
export interface CommandWord extends Span {
	/** The text after the host's quoting and escapes are applied. */
	readonly text: string;
	/** Host offset where each character of `text` is written. */
	readonly starts: readonly number[];
	/** Host offset just past each character of `text` (an escape `\"` spans two). */
	readonly ends: readonly number[];
	/** Parts filled in when the command runs (`$VAR`, `${VAR}`, `$(cmd)`, `{{ }}`, `%i`): the value is unknown. */
	readonly dynamic: boolean;
}

/**
 * How more arguments are written next to an existing one: `shell` (blank-separated words, also
 * inside a quoted `sh -c` string), `json` (a JSON or YAML flow list: `, "x"`), `yaml-block`
 * (one `- x` item per line).
 */
export type ArgumentForm = 'shell' | 'json' | 'yaml-block';

export interface CommandInvocation {
	/** The program word (`uwsgi`, `/usr/local/bin/uwsgi`, ...). */
	readonly program: CommandWord;
	/** The arguments after the program, in order. */
	readonly args: readonly CommandWord[];
	readonly form: ArgumentForm;
	/** For `yaml-block`: what precedes an item on its line (`    - `). */
	readonly itemPrefix?: string;
	/** The folder the command starts in, when the host says (Dockerfile WORKDIR, WorkingDirectory=, directory=). */
	readonly cwd?: string;
	/** Where the command runs, when it is a container (undefined: a process of the host). */
	readonly runsIn?: RunPlace;
}

/**
 * Where a command runs. `compose`: in the container of a compose service (its published ports and
 * network mode say who reaches it); `image`: in a container of a Dockerfile's image, whose ports
 * are published by whoever runs it (`docker run -p`, a compose file), not by the Dockerfile.
 */
export type RunPlace =
	| { readonly kind: 'compose'; readonly service: ComposeService; readonly services: readonly ComposeService[] }
	| { readonly kind: 'image' };

export interface CommandFile {
	readonly host: CommandHost;
	readonly text: string;
	readonly invocations: readonly CommandInvocation[];
	/** Comment spans of the host file (for suppression comments). */
	readonly comments: readonly Span[];
}

/** The span of the characters [from, to) of a word in the host file. */
export function wordSpan(w: CommandWord, from = 0, to = w.text.length): Span {
	if (to <= from) {
		const at = from < w.starts.length ? w.starts[from] : from > 0 ? w.ends[from - 1] : w.offset;
		return { offset: at, length: 0 };
	}
	return { offset: w.starts[from], length: w.ends[to - 1] - w.starts[from] };
}
