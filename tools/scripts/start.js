#!/usr/bin/env node
// Starts the server from TypeScript sources: no build step for the user (see run-ts.js for the loader and the
// environment).
require('./run-ts').runTs('apps/api/src/main.ts');
