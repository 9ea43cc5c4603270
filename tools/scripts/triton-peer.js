#!/usr/bin/env node
// Starts the KServe v2 peer (a Triton stand-in on the CPU) from TypeScript sources, passing options through and
// forwarding SIGINT/SIGTERM so stopping this process stops the peer.
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const child = spawn(
  process.execPath,
  ['-r', '@swc-node/register', path.join(root, 'tools/src/triton-peer.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') } },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
