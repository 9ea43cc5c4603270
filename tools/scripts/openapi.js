#!/usr/bin/env node
// Writes apps/api/openapi.json from the code (the openapi e2e test fails when it is stale).
require('./run-ts').runTs('apps/api/src/scripts/generate-openapi.ts');
