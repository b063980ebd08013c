/**
 * The services of a compose file, as far as the checks need them: where each service's block is,
 * the ports it publishes (`ports:` in short and long syntax — `expose:` publishes nothing), its
 * `network_mode`, and how its image is built (`build:`). Line-based over the YAML that compose
 * files are written in (block maps and lists, flow lists `[...]`, quoted and plain scalars,
 * comments); anchors, merges and multi-document files are not followed. Linear; never throws.
 *
 * This is the seed of the deployment model (which service runs what, on which network, with which
 * volumes): new facts about a service go here.
 */

/** One `ports:` entry. */
export interface ComposePort {
	/** The container port, or the first of a range; undefined when written with a variable (`${PORT}`). */
	readonly target?: number;
	/** The last container port of a range (`8000-8010`). */
	readonly targetEnd?: number;
	/** The host address it is published on: '' for every interface (the default). */
	readonly hostIp: string;
	/** `tcp` (the default) or `udp`, `sctp`. */
	readonly protocol: string;
	/** Offset and length of the entry in the file. */
	readonly offset: number;
	readonly length: number;
}

export interface ComposeService {
	readonly name: string;
	/** The service's key and the end of its block (offsets into the file). */
	readonly offset: number;
	readonly end: number;
	readonly ports: readonly ComposePort[];
	/** `network_mode:` as written (`host`, `bridge`, `none`, `service:db`, `container:x`). */
	readonly networkMode?: string;
	/** `build:` — the context folder and the Dockerfile, relative to the compose file. */
	readonly build?: { readonly context: string; readonly dockerfile?: string };
}

interface Line {
	readonly start: number;
	readonly end: number;
	readonly indent: number;
	/** Content after the indent, before any comment, trailing blanks trimmed ('' for blank and comment lines). */
	readonly content: string;
}

function lines(text: string): Line[] {
	const out: Line[] = [];
	let pos = 0;
	while (pos <= text.length) {
		const nl = text.indexOf('\n', pos);
		const stop = nl < 0 ? text.length : nl;
		let i = pos;
		while (i < stop && (text[i] === ' ' || text[i] === '\t')) { i++; }
		out.push({ start: pos, end: stop, indent: i - pos, content: stripComment(text.slice(i, stop)) });
		if (nl < 0) { break; }
		pos = nl + 1;
	}
	return out;
}

/** A YAML line without its comment (a `#` at the start or after a blank, outside quotes). */
function stripComment(s: string): string {
	let quote = '';
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (quote) {
			if (c === quote) { quote = ''; }
			continue;
		}
		if (c === '"' || c === "'") { quote = c; continue; }
		if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) { return s.slice(0, i).trimEnd(); }
	}
	return s.trimEnd();
}

/** A scalar without its quotes. */
function unquote(s: string): string {
	const t = s.trim();
	if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) { return t.slice(1, -1); }
	return t;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?)[ \t]*:(?:[ \t]+(.*)|$)/;

function keyOf(content: string): { key: string; value: string } | undefined {
	const m = KEY.exec(content);
	return m ? { key: unquote(m[1]), value: (m[2] ?? '').trim() } : undefined;
}

/** Top-level keys of a compose file that are not services (the old format has services at the top). */
const NOT_SERVICES = new Set(['version', 'services', 'networks', 'volumes', 'configs', 'secrets', 'name', 'include']);

/** The lines of the block under line `i` (deeper than `indent`), as an index range. */
function blockEnd(ls: readonly Line[], i: number, indent: number): number {
	let k = i + 1;
	let last = i;
	for (; k < ls.length; k++) {
		if (!ls[k].content) { continue; }
		if (ls[k].indent <= indent) { break; }
		last = k;
	}
	return last + 1;
}

/** Every service of a compose file, in file order. */
export function composeServices(text: string): ComposeService[] {
	const ls = lines(text);
	const out: ComposeService[] = [];
	const servicesKey = ls.findIndex(l => l.indent === 0 && keyOf(l.content)?.key === 'services');
	let from: number;
	let to: number;
	let indent: number;
	if (servicesKey >= 0) {
		from = servicesKey + 1;
		to = blockEnd(ls, servicesKey, 0);
		const first = ls.slice(from, to).find(l => l.content);
		if (!first) { return out; }
		indent = first.indent;
	} else {
		from = 0;
		to = ls.length;
		indent = 0;
	}
	for (let i = from; i < to; i++) {
		const l = ls[i];
		if (!l.content || l.indent !== indent) { continue; }
		const k = keyOf(l.content);
		if (!k || k.value || (servicesKey < 0 && (NOT_SERVICES.has(k.key) || k.key.startsWith('x-')))) { continue; }
		const end = blockEnd(ls, i, indent);
		out.push(readService(text, ls, k.key, i, end));
		i = end - 1;
	}
	return out;
}

function readService(text: string, ls: readonly Line[], name: string, at: number, end: number): ComposeService {
	let ports: ComposePort[] = [];
	let networkMode: string | undefined;
	let build: ComposeService['build'];
	const first = ls.slice(at + 1, end).find(l => l.content);
	const indent = first?.indent ?? 0;
	for (let i = at + 1; i < end; i++) {
		const l = ls[i];
		if (!l.content || l.indent !== indent) { continue; }
		const k = keyOf(l.content);
		if (!k) { continue; }
		const childEnd = blockEnd(ls, i, indent);
		if (k.key === 'ports') {
			ports = readPorts(text, ls, l, k.value, i, childEnd);
		} else if (k.key === 'network_mode') {
			networkMode = unquote(k.value);
		} else if (k.key === 'build') {
			build = k.value ? { context: unquote(k.value) } : readBuild(ls, i, childEnd);
		}
	}
	return { name, offset: ls[at].start + ls[at].indent, end: ls[end - 1].end, ports, networkMode, build };
}

function readBuild(ls: readonly Line[], at: number, end: number): ComposeService['build'] {
	let context = '.';
	let dockerfile: string | undefined;
	for (let i = at + 1; i < end; i++) {
		const k = keyOf(ls[i].content);
		if (k?.key === 'context') { context = unquote(k.value); }
		if (k?.key === 'dockerfile') { dockerfile = unquote(k.value); }
	}
	return { context, dockerfile };
}

function readPorts(text: string, ls: readonly Line[], keyLine: Line, value: string, at: number, end: number): ComposePort[] {
	const out: ComposePort[] = [];
	if (value.startsWith('[')) {
		// a flow list on the key's line
		const open = keyLine.start + text.slice(keyLine.start, keyLine.end).indexOf('[');
		const close = text.indexOf(']', open);
		const body = text.slice(open + 1, close < 0 ? keyLine.end : close);
		let pos = open + 1;
		for (const item of body.split(',')) {
			const lead = item.length - item.trimStart().length;
			const port = shortPort(unquote(item), pos + lead, item.trim().length);
			if (port) { out.push(port); }
			pos += item.length + 1;
		}
		return out;
	}
	for (let i = at + 1; i < end; i++) {
		const l = ls[i];
		if (!l.content.startsWith('-')) { continue; }
		const item = l.content.replace(/^-[ \t]*/, '');
		const offset = l.start + l.indent + (l.content.length - item.length);
		const k = keyOf(item);
		if (!k) {
			const port = shortPort(unquote(item), offset, item.length);
			if (port) { out.push(port); }
			continue;
		}
		// long syntax: `- target: 8000` and the keys under it
		const fields = new Map<string, string>([[k.key, unquote(k.value)]]);
		let last = l;
		for (let j = i + 1; j < end && (ls[j].indent > l.indent || !ls[j].content) && !ls[j].content.startsWith('-'); j++) {
			const f = keyOf(ls[j].content);
			if (f) { fields.set(f.key, unquote(f.value)); }
			if (ls[j].content) { last = ls[j]; }
		}
		const target = fields.get('target');
		const range = target !== undefined ? /^(\d+)(?:-(\d+))?$/.exec(target) : null;
		out.push({
			target: range ? Number(range[1]) : undefined, targetEnd: range?.[2] ? Number(range[2]) : undefined,
			hostIp: fields.get('host_ip') ?? '', protocol: (fields.get('protocol') ?? 'tcp').toLowerCase(),
			offset, length: last.start + last.indent + last.content.length - offset,
		});
	}
	return out;
}

/** `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, ports possibly ranges (`8000-8010`). */
function shortPort(s: string, offset: number, length: number): ComposePort | undefined {
	if (!s) { return undefined; }
	let spec = s;
	let protocol = 'tcp';
	const slash = spec.lastIndexOf('/');
	if (slash >= 0) {
		protocol = spec.slice(slash + 1).toLowerCase();
		spec = spec.slice(0, slash);
	}
	const colon = spec.lastIndexOf(':');
	const container = spec.slice(colon + 1);
	let hostIp = '';
	if (colon >= 0) {
		const rest = spec.slice(0, colon);
		const c2 = rest.lastIndexOf(':');
		if (c2 >= 0) { hostIp = rest.slice(0, c2); }
	}
	const range = /^(\d+)(?:-(\d+))?$/.exec(container);
	return { target: range ? Number(range[1]) : undefined, targetEnd: range?.[2] ? Number(range[2]) : undefined, hostIp, protocol, offset, length };
}

/** Host addresses that only the machine itself reaches. */
const LOOPBACK = /^(\[?::1\]?|127(\.\d+){3}|localhost)$/i;

/**
 * The `ports:` entry that publishes a TCP container port beyond the machine, if any: an entry
 * for that port (or a range holding it, or a port written with a variable) on every interface
 * or a non-loopback address.
 */
export function publishedPort(service: ComposeService, port: number): ComposePort | undefined {
	return service.ports.find(p => p.protocol === 'tcp'
		&& (p.target === undefined || (p.targetEnd === undefined ? p.target === port : p.target <= port && port <= p.targetEnd))
		&& !LOOPBACK.test(p.hostIp));
}
