#!/usr/bin/env node
// Starts the language server; editors pass --stdio (or --node-ipc / --socket=PORT).
require('../dist/server.js');
