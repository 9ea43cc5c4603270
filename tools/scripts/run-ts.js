// Runs a TypeScript entry point of this repository in a child Node process: SWC transpiles on load (with decorator
// metadata for NestJS) and resolves the @aiaa/* paths of tsconfig.base.json; worker threads inherit the hook.
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');

/**
 * The child's environment. `glibc.malloc.hugetlb=1` lets glibc back large allocations (the volumes' typed arrays)
 * with transparent huge pages (THP in `madvise` mode, the usual default), so a fresh 600 MB output costs a few hundred
 * page faults instead of ~150 000; where first touches of fresh memory dominate (VMs), a voxel-wise transform of a
 * 512×512×600 CT runs several times faster. glibc before 2.35 ignores the tunable.
 * `glibc.malloc.mmap_threshold` fixed at 1 MiB keeps every allocation from 1 MiB up in its own mapping, returned to the
 * system when freed: glibc's default threshold grows to the size of the largest block freed (up to 32 MiB), after
 * which such blocks stay in its heaps once freed (+110 MB of server RSS after two spleen CT requests).
 */
function childEnv() {
  const tunables = [process.env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1', 'glibc.malloc.mmap_threshold=1048576']
    .filter(Boolean)
    .join(':');
  return { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json'), GLIBC_TUNABLES: tunables };
}

function argsFor(entry, nodeOptions) {
  return [
    ...nodeOptions,
    // lets the worker pools collect garbage once idle, so a request's volumes leave RSS (libs/inference idle-collector)
    '--expose-gc',
    '-r',
    require.resolve('@swc-node/register', { paths: [root] }),
    path.join(root, entry),
    ...process.argv.slice(2),
  ];
}

/** Runs `entry` (relative to the repository root) with this script's arguments and exits with its status. */
function runTs(entry, { cwd = root, nodeOptions = [] } = {}) {
  const result = spawnSync(process.execPath, argsFor(entry, nodeOptions), { stdio: 'inherit', cwd, env: childEnv() });
  process.exit(result.status ?? 1);
}

/** Like {@link runTs}, for long-running tools: SIGINT/SIGTERM are forwarded so stopping this process stops the tool. */
function serveTs(entry, { cwd = root, nodeOptions = [] } = {}) {
  const child = spawn(process.execPath, argsFor(entry, nodeOptions), { stdio: 'inherit', cwd, env: childEnv() });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

module.exports = { root, runTs, serveTs };
