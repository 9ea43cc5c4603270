#!/usr/bin/env node
// Builds libraries into installable packages under dist/: `node tools/scripts/build-package.js libs/core` (the `build`
// target of each library; `npx nx run-many -t build` builds them all, in dependency order, cached).
require('./run-ts').runTs('tools/src/packages/build-package.ts');
