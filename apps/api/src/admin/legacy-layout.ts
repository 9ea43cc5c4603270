import * as fs from 'node:fs';
import * as path from 'node:path';
import { exists } from './model-files';
import { isVersionFolderName, type ModelFolders } from './model-folders';
import type { ModelEvents } from './model-events';
import { CONFIG_FILE } from './model-version';

/**
 * Moves every model folder of the single-version layout (`models/<name>/config_aiaa.json` and its files) to version
 * 1 (`models/<name>/1/`), as the registry's migration made its row version 1. The config moves last, so a move cut
 * off by a crash is finished at the next boot: a config at the top means the move is not done.
 */
export async function moveSingleVersionFolders(
  modelsDir: string,
  folders: ModelFolders,
  events: ModelEvents,
): Promise<void> {
  for (const name of (await exists(modelsDir)) ? await fs.promises.readdir(modelsDir) : []) {
    const dir = path.join(modelsDir, name);
    if (name.startsWith('.') || !(await exists(path.join(dir, CONFIG_FILE)))) {
      continue;
    }
    const target = folders.versionDir(name, 1);
    if (await exists(path.join(target, CONFIG_FILE))) {
      events.refused(
        `models/${name}`,
        `holds both ${CONFIG_FILE} and version folder 1 with its own: left alone; move one of them out`,
      );
      continue;
    }
    await fs.promises.mkdir(target, { recursive: true });
    const entries = (await fs.promises.readdir(dir)).filter(
      (entry) => !entry.startsWith('.') && !isVersionFolderName(entry) && entry !== CONFIG_FILE,
    );
    for (const entry of [...entries, CONFIG_FILE]) {
      await fs.promises.rename(path.join(dir, entry), path.join(target, entry));
    }
    events.repaired(name, `moved from the single-version layout to models/${name}/1`, 1);
  }
}
