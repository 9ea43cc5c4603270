#!/usr/bin/env node
// Runs the infer CLI from TypeScript sources (same loader as `npm start`). Relative paths are taken from the folder
// `npm run infer` was called in.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  [
    '-r',
    require.resolve('@swc-node/register', { paths: [root] }),
    path.join(root, 'tools/src/infer.ts'),
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    cwd: process.env.INIT_CWD || process.cwd(),
    env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
  },
);
process.exit(result.status ?? 1);
