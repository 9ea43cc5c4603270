#!/usr/bin/env node
// Builds the demo models from TypeScript sources (same loader as `npm start`), passing the output folder through.
require('./run-ts').runTs('tools/src/build-demo-models.ts');
