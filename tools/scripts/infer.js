#!/usr/bin/env node
// Runs the infer CLI from TypeScript sources (same loader and environment as `npm start`). Relative paths are taken
// from the folder `npm run infer` was called in.
require('./run-ts').runTs('tools/src/infer.ts', { cwd: process.env.INIT_CWD || process.cwd() });
