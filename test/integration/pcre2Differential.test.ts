/**
 * Our PCRE2 syntax checker (server/src/analysis/nginx/pcre2.ts) against the real nginx, which
 * compiles with PCRE2: thousands of generated regular expressions (valid and broken, with the
 * features PCRE2 has and JavaScript lacks; test/helpers/regexGen.ts) and a list of edge cases,
 * each put where nginx compiles a regex (location ~ / ~*, server_name ~, if, rewrite, map,
 * valid_referers, proxy_redirect, proxy_cookie_path, gzip_disable) and run through `nginx -t`,
 * several at a time. For each, nginx's verdict and ours must agree: it compiles ⇔ we report no
 * error on that line; it does not ⇔ we report nginx-invalid-regex quoting nginx's message
 * exactly (the reason and the place: `… in "re" at "rest"`).
 *
 * PCRE2_CASES sets how many generated expressions (default 2000), PCRE2_SEED the seed.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/service';
import { nginxTestMany } from '../helpers/nginx';
import { requireProgram } from '../helpers/processes';
import { randomRegex, seededRandom } from '../helpers/regexGen';

const CASES = Number(process.env.PCRE2_CASES ?? 2000);
const SEED = Number(process.env.PCRE2_SEED ?? 0x9c2e2);

/** Patterns that reach the corners of PCRE2 the generator rarely does. */
const EDGES = [
	'^/(foo', '^/(foo|bar)$', '\\.(jpe?g|png)$', '(?i)^/api/', '^/(?<slug>[^/]+)/?$', '^/a++b', '\\A/x\\z', '\\Qa.b\\E', '(?|(a)|(b))\\1', 'a\\Kb', '(?>a+)b', '(a)(?1)', '[[:alpha:]]+',
	'\\x{41}', '\\x{100}', '(*UTF)\\x{100}', '\\p{L}+', '\\p{Foo}', '(?<=ab|c)d', '(?<=a+)b', '(?<!\\d{3})x', 'a{3,2}', 'a{65536}', '(?P<n>a)(?P=n)', '(?<n>a)(?<n>b)', '(?J)(?<n>a)(?<n>b)',
	'[z-a]', '[a-\\d]', '\\i', '\\y', '\\L', 'x**', '(', ')', '[', '\\', '(?#', '(?', '(*', '(*FOO)', '(*ACCEPT)?', '(?(1)a|b|c)', '(a)(?(1)a|b|c)', '(?(DEFINE)a|b)', '\\g{-1}', '\\8', '\\400',
	'(*LIMIT_MATCH=)', '(?<=\\K)', '(?=\\K)', '[\\N]', '\\N{U+41}', '\\cé', '(?x) a b # c', '\\Q', '\\E', '(?<' + 'n'.repeat(33) + '>a)', '('.repeat(251) + ')'.repeat(251), '[[:<:]]a[[:>:]]', '(?-i)',
	'(?^-i)', '(?(VERSION>=10.4)a|b)', '(?C"x")', '(?C256)', 'é+', '[é-a]',
];

interface Place {
	readonly name: string;
	/** The http-level text holding the regex (already quoted for nginx). */
	readonly wrap: (quoted: string) => string;
}

/** A regex as a double-quoted nginx word: nginx turns \\ and \" back into \ and ". */
function quote(re: string): string {
	return `"${re.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const SERVER = (body: string) => `    server {\n        listen 127.0.0.1:18080;\n${body}\n    }`;
const PLACES: readonly Place[] = [
	{ name: 'location ~', wrap: q => SERVER(`        location ~ ${q} {\n        }`) },
	{ name: 'location ~*', wrap: q => SERVER(`        location ~* ${q} {\n        }`) },
	{ name: 'server_name', wrap: q => SERVER(`        server_name ${q.replace(/^"/, '"~')};`) },
	{ name: 'if', wrap: q => SERVER(`        if ($uri ~ ${q} ) {\n            return 404;\n        }`) },
	{ name: 'rewrite', wrap: q => SERVER(`        rewrite ${q} /x;`) },
	{ name: 'map', wrap: q => `    map $uri $m {\n        ${q.replace(/^"/, '"~')} 1;\n    }` },
	{ name: 'valid_referers', wrap: q => SERVER(`        valid_referers ${q.replace(/^"/, '"~')};`) },
	{ name: 'proxy_redirect', wrap: q => SERVER(`        proxy_redirect ${q.replace(/^"/, '"~*')} /;`) },
	{ name: 'proxy_cookie_path', wrap: q => SERVER(`        proxy_cookie_path ${q.replace(/^"/, '"~')} /;`) },
	{ name: 'gzip_disable', wrap: q => SERVER(`        gzip_disable ${q};`) },
];

interface Case { readonly regex: string; readonly place: string; readonly config: string; readonly line: number }

function cases(): Case[] {
	const rnd = seededRandom(SEED);
	const regexes = [...EDGES];
	for (let i = 0; i < CASES; i++) { regexes.push(randomRegex(rnd)); }
	return regexes.map((regex, i) => {
		const p = PLACES[i % PLACES.length];
		const q = quote(regex);
		const config = `pid nginx.pid;\nerror_log error.log;\nevents {}\nhttp {\n    access_log off;\n${p.wrap(q)}\n}\n`;
		const line = config.split('\n').findIndex(l => l.includes(q.slice(1)));
		return { regex, place: p.name, config, line };
	});
}

describe(`nginx -t and our PCRE2 checker agree on generated regular expressions (seed ${SEED}, ${CASES} + ${EDGES.length} cases)`, () => {
	before(() => requireProgram('nginx', 'apt-get install nginx-core (scripts/test-all.sh does it)'));

	it('every expression nginx compiles gets no error from us; every one it does not gets nginx-invalid-regex with its exact message', async () => {
		const all = cases();
		assert.ok(all.every(c => c.line > 0), 'each case finds its line');
		const verdicts = await nginxTestMany(all.map(c => c.config));
		const svc = getLanguageService({ onInternalError: (where, e) => { throw new Error(`internal error in ${where}: ${String(e)}`); } });
		const problems: string[] = [];
		let refused = 0;
		let other = 0;
		for (let i = 0; i < all.length; i++) {
			const c = all[i];
			const v = verdicts[i];
			const doc = TextDocument.create(`file:///pcre2/${i}/nginx.conf`, 'nginx', 1, c.config);
			const errors = svc.doValidation(doc).filter(d => d.severity === 1 && d.range.start.line <= c.line && c.line <= d.range.end.line);
			svc.workspace.delete(doc.uri);
			const ours = errors.filter(d => d.code === 'nginx-invalid-regex').map(d => String(d.message));
			const said = /\[emerg\] (pcre2_compile\(\) failed: .*) in <dir>\/nginx\.conf:\d+\n/s.exec(v.output)?.[1];
			const show = `${c.place} ${JSON.stringify(c.regex)}`;
			if (v.status === 0) {
				if (errors.length) { problems.push(`${show}: nginx compiles it, we say ${errors.map(d => `${String(d.code)}: ${String(d.message)}`).join(' | ')}`); }
				continue;
			}
			if (!said) {
				// refused for another reason (a named capture that clashes with a variable, …): not about compiling
				other++;
				continue;
			}
			refused++;
			// nginx cuts its message at 1024 bytes, and an "at" that starts inside a multi-byte character shows a broken byte (U+FFFD here)
			const truncated = Buffer.byteLength(said) > 900;
			const broken = said.includes('\ufffd');
			const expected = broken ? said.replace(/ at "[^"]*"$/, '') : said;
			if (!ours.some(m => m.includes(`nginx stops with "${expected}${truncated || broken ? '' : '".'}`))) {
				problems.push(`${show}: nginx says ${JSON.stringify(said)}, we say ${ours.length ? ours.join(' | ') : errors.length ? errors.map(d => `${String(d.code)}: ${String(d.message)}`).join(' | ') : 'nothing'}`);
			}
		}
		assert.ok(refused > all.length / 4 && refused < all.length * 0.95, `the cases should mix valid and broken expressions: ${refused} of ${all.length} refused`);
		assert.ok(other < all.length / 100, `too many cases nginx refuses for other reasons: ${other}`);
		assert.deepEqual(problems.slice(0, 30), [], `${problems.length} of ${all.length} disagree`);
	});
});
