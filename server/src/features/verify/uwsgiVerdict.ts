/**
 * What uWSGI's own option parsing says of a config: `uwsgi --strict --ini FILE --get socket`
 * reads the file as uWSGI does (sections, placeholders, includes, immediate options, each
 * option's handler — a bad chmod or protocol stops it here) and stops before starting anything.
 * Strict mode turns every unknown key into a refusal: those are held against our
 * uwsgi-unknown-option, the others against our errors.
 */
import { getUwsgiOption } from '../../data/uwsgiData';

export interface UwsgiMessage {
	readonly text: string;
	/** For an unknown key: the key. */
	readonly unknown?: string;
	/** For an unknown key that is an option of a plugin this uWSGI has not loaded: the plugin. */
	readonly plugin?: string;
}

export interface UwsgiVerdict {
	readonly kind: 'ok' | 'refused' | 'environment';
	readonly messages: readonly UwsgiMessage[];
}

const NOISE = /^\[uWSGI\] getting (INI|YAML|JSON|XML) configuration from|^running ".*" \([\w-]+\)\.\.\.$|^\*\*\* WARNING: you are running uWSGI as root|^uWSGI running as root/;
const ENVIRONMENT = /^realpath\(\) of .* failed|^unable to load plugin|^!!! UNABLE to load uWSGI plugin|No such file or directory/;

/** Reads the output of `uwsgi --strict --ini FILE --get socket` (the value it prints is `printed`). */
export function uwsgiVerdict(output: string, printed?: string): UwsgiVerdict {
	const messages: UwsgiMessage[] = [];
	let environment = false;
	for (const line of output.split('\n').map(l => l.trim()).filter(Boolean)) {
		if (NOISE.test(line) || line === printed) { continue; }
		const unknown = /^\[strict-mode\] unknown config directive: (.*)$/.exec(line);
		if (unknown) {
			const option = getUwsgiOption(unknown[1]);
			messages.push({ text: line, unknown: unknown[1], plugin: option && option.plugin !== 'core' ? option.plugin : undefined });
			continue;
		}
		if (ENVIRONMENT.test(line)) { environment = true; }
		messages.push({ text: line.replace(/^\*\*\* WARNING: (.*) \*\*\*$/, '$1') });
	}
	// `--get` exits 1 when the option is not set: that alone is no refusal
	if (!messages.length) { return { kind: 'ok', messages }; }
	if (environment && messages.every(m => !m.unknown)) { return { kind: 'environment', messages }; }
	// anything else it says stops it (a missing section is only a warning, but then nothing of the file is read)
	return { kind: 'refused', messages };
}
