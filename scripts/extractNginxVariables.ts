/**
 * Extracts the variable names nginx's C source defines (the documentation omits some) into
 * scripts/data/nginx-source-variables.json, which scripts/generateData.ts merges with the
 * documented variables of `@nginx/reference-lib`.
 *
 *   node out/scripts/extractNginxVariables.js NGINX_SOURCE_DIR COMMIT
 *
 * NGINX_SOURCE_DIR is a checkout of https://github.com/nginx/nginx (its `src/` folder is read);
 * COMMIT is recorded as the source of the list. The extraction itself is extractSourceVariables
 * in ./dataConversion.ts (pure, tested).
 */
import * as fs from 'fs';
import * as path from 'path';
import { extractSourceVariables } from './dataConversion';

function walk(dir: string, out: string[]): void {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) { walk(p, out); } else if (e.name.endsWith('.c')) { out.push(p); }
	}
}

function main(argv: string[]): number {
	const [root, commit] = argv;
	if (!root || !commit || !fs.existsSync(path.join(root, 'src', 'core', 'nginx.h'))) {
		process.stderr.write('usage: extractNginxVariables NGINX_SOURCE_DIR COMMIT\n');
		return 2;
	}
	const version = /#define\s+NGINX_VERSION\s+"([^"]+)"/.exec(fs.readFileSync(path.join(root, 'src', 'core', 'nginx.h'), 'utf8'))?.[1];
	const files: string[] = [];
	for (const sub of ['http', 'stream']) { walk(path.join(root, 'src', sub), files); }
	const variables = extractSourceVariables(files.map(f => ({ path: path.relative(root, f).split(path.sep).join('/'), text: fs.readFileSync(f, 'latin1') })));
	const out = {
		source: { repo: 'https://github.com/nginx/nginx', commit, version, extractedBy: 'scripts/extractNginxVariables.ts' },
		variables,
	};
	const target = path.resolve(__dirname, '..', '..', 'scripts', 'data', 'nginx-source-variables.json');
	// one variable a line, so a new nginx release shows up as a readable diff
	const text = `{\n\t"source": ${JSON.stringify(out.source)},\n\t"variables": [\n${variables.map(v => '\t\t' + JSON.stringify(v)).join(',\n')}\n\t]\n}\n`;
	fs.writeFileSync(target, text);
	process.stdout.write(`wrote ${variables.length} variables to ${path.relative(process.cwd(), target)}\n`);
	return 0;
}

if (require.main === module) {
	process.exitCode = main(process.argv.slice(2));
}
