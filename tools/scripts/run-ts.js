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
 * A fixed `glibc.malloc.mmap_threshold` keeps glibc returning memory: by default the threshold grows to the largest
 * block freed (up to 32 MiB) and the heap trim threshold to twice that, so freed volumes and window buffers stayed in
 * glibc's heaps (+110 MB of server RSS after two spleen CT requests; back to idle with it fixed). 16 MiB, not less:
 * at 1 MiB a sliding window's per-window buffers (1–4 MB) were fresh mappings faulted in each time, +15% CPU in the
 * model loop (16 MiB: no measurable cost).
 */
function childEnv() {
  const tunables = [process.env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1', 'glibc.malloc.mmap_threshold=16777216']
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

/**
 * Like {@link runTs}, for long-running tools: SIGINT/SIGTERM are forwarded so stopping this process stops the tool,
 * and this process exits with the tool's status.
 */
function serveTs(entry, { cwd = root, nodeOptions = [] } = {}) {
  const child = spawn(process.execPath, argsFor(entry, nodeOptions), { stdio: 'inherit', cwd, env: childEnv() });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

module.exports = { root, runTs, serveTs };
