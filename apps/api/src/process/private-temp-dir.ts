import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The server's own temp folder while it runs. */
export interface PrivateTempDir {
  readonly dir: string;
  /** Removes the folder and everything in it, and restores the temp folder the process had; never throws. */
  remove(): void;
}

const PREFIX = 'aiaa-server-';

/**
 * Gives the process a private temp folder (mode 0700, made fresh under the OS temp folder, named after the pid) as
 * `TMPDIR`, before any model loads: the server, its worker threads and native libraries then write there.
 * onnxruntime writes `mat-debug-<pid>.log` into `$TMPDIR`, and in a shared `/tmp` it would follow a symlink another
 * user planted under that name and leave the file behind; here nobody else can write, and the folder goes at
 * shutdown. Folders that servers killed outright (SIGKILL, a crash) left behind are removed first.
 */
export function usePrivateTempDir(): PrivateTempDir {
  const previous = process.env['TMPDIR'];
  const parent = os.tmpdir();
  removeAbandoned(parent);
  const dir = fs.mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-`));
  fs.chmodSync(dir, 0o700);
  process.env['TMPDIR'] = dir;
  return {
    dir,
    remove: () => {
      if (previous === undefined) {
        delete process.env['TMPDIR'];
      } else {
        process.env['TMPDIR'] = previous;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Removes this user's `aiaa-server-<pid>-*` folders whose process no longer runs. */
function removeAbandoned(parent: string): void {
  const uid = process.getuid?.();
  for (const entry of fs.readdirSync(parent)) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(entry)?.[1];
    if (pid === undefined || isRunning(Number(pid))) {
      continue;
    }
    const dir = path.join(parent, entry);
    const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (stat?.isDirectory() && (uid === undefined || stat.uid === uid)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}
