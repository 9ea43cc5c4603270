#!/usr/bin/env node
// Writes apps/api/openapi.json from the code (the openapi e2e test fails when it is stale). Runs from TypeScript
// sources like `npm start`: SWC with decorator metadata and the @aiaa/* paths of tsconfig.base.json.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  ['-r', '@swc-node/register', path.join(root, 'apps/api/src/scripts/generate-openapi.ts')],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
  },
);
process.exit(result.status ?? 1);
