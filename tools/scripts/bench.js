#!/usr/bin/env node
// Runs the benchmarks from TypeScript sources (same loader as `npm start`), passing options through.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  [
    '--max-old-space-size=8192',
    '-r',
    '@swc-node/register',
    path.join(root, 'tools/bench/main.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') } },
);
process.exit(result.status ?? 1);
