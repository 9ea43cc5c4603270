#!/usr/bin/env node
// Writes docs/transforms.md from the transform catalogue (a tools spec fails when it is stale).
require('./run-ts').runTs('tools/src/write-docs.ts');
