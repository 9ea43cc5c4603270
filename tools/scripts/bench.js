#!/usr/bin/env node
// Runs the benchmarks from TypeScript sources (same loader and environment as `npm start`), passing options through.
require('./run-ts').runTs('tools/bench/main.ts', { nodeOptions: ['--max-old-space-size=8192'] });
