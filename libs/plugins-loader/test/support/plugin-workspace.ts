import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A real workspace folder in the OS temp dir (outside the repository), with plugin files under `lib/`. */
export class PluginWorkspace {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'aiaa-plugins-'));

  /** Writes `lib/<relative>` (creating folders) and returns its absolute path. */
  write(relative: string, source: string): string {
    const file = path.join(this.dir, 'lib', relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, source);
    return file;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
