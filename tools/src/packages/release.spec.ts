// `nx release` as configured in nx.json, previewed: the next patch version of the four packages (one fixed group),
// the changelog from the commits, the commit and the tag, without writing, committing or publishing anything. npm
// is pointed at a closed port of this machine, so a release step that asked a registry would fail here.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './build-package';
import { PACKAGE_LIBS, run, runOk } from './scratch-project';

function version(lib: string): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'libs', lib, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function nextPatch(current: string): string {
  const [major, minor, patch] = current.split('.').map(Number);
  return `${major}.${minor}.${(patch as number) + 1}`;
}

it('previews the next release of every package without changing the repository', () => {
  const current = version('core');
  const next = nextPatch(current);
  const gitStatus = (): string => runOk('git', ['status', '--porcelain'], REPO_ROOT).stdout;
  const before = gitStatus();
  const nx = require.resolve('nx/bin/nx.js', { paths: [REPO_ROOT] });
  const args = [nx, 'release', 'patch', '--dry-run', '--skip-publish', '--first-release', '--verbose'];
  const result = run(process.execPath, args, REPO_ROOT, {
    timeoutMs: 180_000,
    env: { npm_config_registry: 'http://127.0.0.1:9/' },
  });
  // (--verbose shows the git commands; it also logs the lookup of a remote for links, which a checkout may lack.)
  expect(result.stderr).not.toMatch(/ECONNREFUSED|registry/i);
  expect(result.status).toBe(0);
  for (const lib of PACKAGE_LIBS) {
    expect(version(lib)).toBe(current);
    expect(result.stdout).toContain(`New version ${next} written to manifest: libs/${lib}/package.json`);
  }
  expect(result.stdout).toContain(`Previewing an entry in CHANGELOG.md for v${next}`);
  expect(result.stdout).toContain(`git tag --annotate v${next} --message v${next}`);
  expect(result.stdout).toContain(`git commit --message Release ${next}`);
  expect(result.stdout).toContain('Skipped publishing packages');
  expect(gitStatus()).toBe(before);
}, 200_000);
