import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The server's own temp folder while it runs. */
export interface PrivateTempDir {
  readonly dir: string;
  /** Removes the folder and everything in it, and restores the temp folder the process had; never throws. */
  remove(): void;
}

/**
 * Gives the process a private temp folder (mode 0700, made fresh under the OS temp folder) as `TMPDIR`, before any
 * model loads: the server, its worker threads and native libraries then write there. onnxruntime writes
 * `mat-debug-<pid>.log` into `$TMPDIR`, and in a shared `/tmp` it would follow a symlink another user planted under
 * that name and leave the file behind; here nobody else can write, and the folder goes at shutdown.
 */
export function usePrivateTempDir(): PrivateTempDir {
  const previous = process.env['TMPDIR'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiaa-server-'));
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
