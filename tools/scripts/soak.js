#!/usr/bin/env node
// Runs the soak (tools/soak) from TypeScript sources, with the same loader as `npm start`, passing options through:
// `npm run soak -- --requests 2000 --clients 8`. `npm test` runs its short form (tools/soak/soak.spec.ts).
require('./run-ts').runTs('tools/soak/soak-main.ts');
