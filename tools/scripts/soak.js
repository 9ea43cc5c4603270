#!/usr/bin/env node
// Runs the soak (apps/api/test/support/soak) from TypeScript sources, with the same loader as `npm start`, passing
// options through: `npm run soak -- --requests 2000 --clients 8`. The driver lives beside the api's tests because the
// soak spec in `npm test` runs the same functions, and projects import no other project's files.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  [
    '-r',
    require.resolve('@swc-node/register', { paths: [root] }),
    path.join(root, 'apps/api/test/support/soak/soak-main.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') } },
);
process.exit(result.status ?? 1);
