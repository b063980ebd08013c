/**
 * Hover documentation of a uWSGI option: hand-written descriptions where we have them
 * (data/uwsgiDescriptions.ts), otherwise a sentence composed from the option's facts.
 */
import { UWSGI_DESCRIPTIONS } from '../../data/uwsgiDescriptions';
import type { UwsgiOptionData } from '../../data/types';

const TYPE_SENTENCES: Record<string, string> = {
	boolean: 'An on/off switch: any value except `false`, `off`, `no` or `0` turns it on (so does the bare key).',
	boolean_inverted: 'An on/off switch that turns a feature off: any value except `false`, `off`, `no` or `0` disables it.',
	int: 'Takes a whole number; a bare key means 1.',
	uint64: 'Takes a whole number (64-bit); a bare key means 1.',
	uint16: 'Takes a whole number up to 65535.',
	megabytes: 'Takes a size in megabytes (decimals allowed).',
	string: 'Takes one text value; when set more than once, the last one wins.',
	string_list: 'Takes a text value; every occurrence adds one more.',
	path: 'Takes a file system path.',
	path_list: 'Takes directories; every occurrence adds more.',
	socket: 'Takes a socket address: a UNIX path, `host:port`, `:port` (all interfaces), or `@name` (abstract); every occurrence binds one more socket.',
	ssl_socket: 'Takes `address,certificate,key[,ciphers[,client_ca]]`.',
	key_value: 'Takes `name=value`.',
	key_value_list: 'Takes `key=value`; every occurrence adds one.',
	env_assignment: 'Takes `NAME=VALUE`; every occurrence sets one more variable.',
	route_rule: 'Takes a routing rule `<condition> <action>`; rules run in order.',
	config_file: 'Loads another configuration file at this point.',
	config_logic: 'Starts a config-logic block, closed by `endif`/`endfor`.',
	config_logic_end: 'Closes the open config-logic block.',
	user: 'Takes a user name or uid.',
	group: 'Takes a group name or gid.',
	octal_mode: 'Takes an octal file mode such as `660`.',
	octal_mode_optional: 'Takes an octal mode such as `660`; a bare key sets the default mode.',
	plugin_list: 'Takes plugin names separated by commas.',
	logger_spec: 'Takes a logger spec `plugin[:arguments]`; every occurrence adds a logger.',
	command: 'Takes a command line; every occurrence adds one.',
	cron_spec: 'Takes `minute hour day month weekday command`.',
	regexp_list: 'Takes a regular expression; every occurrence adds one.',
	action: 'Triggers an action; its value is ignored.',
	deprecated: 'Deprecated: uWSGI prints a warning and ignores it.',
};

export function optionDescription(o: UwsgiOptionData): string {
	return UWSGI_DESCRIPTIONS[o.name] ?? UWSGI_DESCRIPTIONS[o.aliases?.find(a => UWSGI_DESCRIPTIONS[a]) ?? ''] ?? composedDescription(o);
}

function composedDescription(o: UwsgiOptionData): string {
	const owner = o.plugin === 'core' ? 'A uWSGI core option.' : `An option of the \`${o.plugin}\` plugin (load it with \`plugin = ${o.plugin}\` unless your build includes it).`;
	const sentence = TYPE_SENTENCES[o.type] ?? (o.argument === 'none' ? 'Takes no value.' : `Takes a value (${o.type.replace(/_/g, ' ')}).`);
	const proto = o.protocol ? ` Sockets bound by it speak the ${o.protocol} protocol.` : '';
	return `${owner} ${sentence}${proto}`;
}

/** The full hover markdown for an option. */
export function optionHoverMarkdown(o: UwsgiOptionData, definedElsewhere: readonly UwsgiOptionData[] = []): string {
	const facts: string[] = [];
	facts.push(`**Type:** ${o.type.replace(/_/g, ' ')}${o.repeatable ? ' (repeatable)' : ''}`);
	if (o.argument !== 'required') { facts.push(o.argument === 'none' ? '**Value:** none needed' : '**Value:** optional'); }
	facts.push(`**Plugin:** ${o.plugin}`);
	if (o.aliases?.length) { facts.push(`**Same as:** ${o.aliases.map(a => `\`${a}\``).join(', ')}`); }
	if (o.shortcut) { facts.push(`**Command line:** \`--${o.name}\` or \`-${o.shortcut}\``); }
	if (o.flags.includes('master')) { facts.push('**Needs the master process** (setting it turns `master` on)'); }
	if (o.flags.includes('immediate')) { facts.push('**Read immediately:** `$()`, `@()` and `%()` are not expanded in its value'); }
	if (o.since === '2.1-dev') { facts.push('**2.1-dev only:** not in any released uWSGI (2.0.x ignores it as unknown)'); }
	if (o.removedInMaster) { facts.push('**Removed in 2.1-dev**'); }
	if (o.deprecated) { facts.push('**Deprecated**'); }
	if (o.conditions?.length) { facts.push(`**Only in builds with** ${o.conditions.map(c => `\`${c}\``).join(', ')}`); }
	const others = definedElsewhere.filter(d => d.plugin !== o.plugin).map(d => d.plugin);
	if (others.length) { facts.push(`**Also defined by:** ${[...new Set(others)].join(', ')}`); }
	return [
		`**${o.name}** — uWSGI option`,
		'',
		optionDescription(o),
		'',
		facts.join('  \n'),
		'',
		`[uWSGI documentation](${o.docUrl})`,
	].join('\n');
}
