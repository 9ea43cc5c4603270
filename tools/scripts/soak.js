#!/usr/bin/env node
// Runs the soak (apps/api/test/support/soak) from TypeScript sources, with the same loader as `npm start`, passing
// options through: `npm run soak -- --requests 2000 --clients 8`. The driver lives beside the api's tests because the
// soak spec in `npm test` runs the same functions, and projects import no other project's files.
require('./run-ts').runTs('apps/api/test/support/soak/soak-main.ts');
