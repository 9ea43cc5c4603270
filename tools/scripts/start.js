#!/usr/bin/env node
// Starts the server from TypeScript sources: no build step for the user. SWC transpiles on load (with decorator
// metadata for NestJS) and resolves the @aiaa/* paths of tsconfig.base.json. Worker threads inherit the hook.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const result = spawnSync(
  process.execPath,
  ['-r', '@swc-node/register', path.join(root, 'apps/api/src/main.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
  },
);
process.exit(result.status ?? 1);
