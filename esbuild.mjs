// Bundles the extension client, the language server and the CLI into dist/ (CommonJS, Node 20).
// `node esbuild.mjs --production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	sourcemap: !production,
	minify: production,
	logLevel: 'warning',
	legalComments: 'external',
};

const builds = [
	{ entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
	{ entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
	{ entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' },
];

if (watch) {
	for (const b of builds) {
		const ctx = await esbuild.context({ ...common, ...b });
		await ctx.watch();
	}
} else {
	await Promise.all(builds.map(b => esbuild.build({ ...common, ...b })));
}
