import * as fs from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

/**
 * A signal that aborts when the client goes away before its reply is complete: the connection closes while the
 * reply is unfinished. Running inference and uploads listen to it, so a disconnect cancels the work.
 */
export function clientGoneSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) {
      controller.abort();
    }
  });
  return controller.signal;
}

/** Creates a private temp folder under `parent` and returns it with a remover that never throws. */
export async function makeRequestDir(
  parent: string,
  prefix: string,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  await fs.mkdir(parent, { recursive: true });
  const dir = await fs.mkdtemp(`${parent}/${prefix}-`);
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}
