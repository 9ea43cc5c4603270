#!/usr/bin/env node
// Builds the demo models from TypeScript sources (same loader as `npm start`), passing the output folder through.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  ['-r', '@swc-node/register', path.join(root, 'tools/src/build-demo-models.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') } },
);
process.exit(result.status ?? 1);
