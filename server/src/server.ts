/** Entry point of the language server bundle (dist/server.js): `--stdio`, `--node-ipc` or `--socket=N`. */
import { setFlagsFromString } from 'node:v8';
import { SERVER_NAME, SERVER_V8_FLAGS, SERVER_VERSION, startServer } from './lsp/server';

// before the workspace is indexed (see SERVER_V8_FLAGS)
setFlagsFromString(SERVER_V8_FLAGS);

const argv = process.argv.slice(2);
if (argv.includes('--version')) {
	process.stdout.write(`${SERVER_NAME} ${SERVER_VERSION}\n`);
} else if (argv.includes('--help') || !argv.some(a => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'))) {
	process.stdout.write(`usage: ${SERVER_NAME} --stdio | --node-ipc | --socket=PORT\n\nThe uWSGI + nginx language server. Editors start it; see the README for Neovim, Helix and Emacs.\n`);
	if (!argv.includes('--help')) { process.exitCode = 2; }
} else {
	startServer();
}
