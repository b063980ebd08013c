/** Entry point of the CLI bundle (dist/cli.js). */
import { runCheck } from './cli/check';

runCheck(process.argv.slice(2), s => process.stdout.write(s), s => process.stderr.write(s)).then(
	code => { process.exitCode = code; },
	e => {
		process.stderr.write(`uwsgi-nginx-check: ${e instanceof Error ? e.message : String(e)}\n`);
		process.exitCode = 2;
	},
);
