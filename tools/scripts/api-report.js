#!/usr/bin/env node
// Checks the built libraries' public API against their committed reports (libs/<lib>/api/*.api.md), or rewrites the
// reports with --local: `node tools/scripts/api-report.js libs/core [--local]`. `npm run api-reports` rewrites all.
require('./run-ts').runTs('tools/src/packages/api-report.ts');
