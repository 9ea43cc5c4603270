import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { resolveModelPath } from '@aiaa/inference';

/** SHA-256 of a file, hex, streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** Bytes of every regular file under `dir` (symlinks not followed). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      total += await folderBytes(full);
    } else if (entry.isFile()) {
      total += (await fs.promises.stat(full)).size;
    }
  }
  return total;
}

/** True when `file` exists (any type). */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The model file of a folder that was not uploaded through the API (a demo model): the config's `path` relative to
 * the folder, else the first `.onnx` file in it or in `models/`. Relative to `dir`; undefined when there is none.
 */
export async function findModelFile(dir: string, config: unknown): Promise<string | undefined> {
  const declared =
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['path'] : undefined;
  if (typeof declared === 'string') {
    // A path outside the folder is refused (ConfigError), never looked for.
    const file = resolveModelPath(dir, declared);
    if (await exists(file)) {
      return path.relative(dir, file);
    }
  }
  for (const sub of ['', 'models']) {
    const folder = path.join(dir, sub);
    const names = (await exists(folder)) ? (await fs.promises.readdir(folder)).sort() : [];
    const onnx = names.find((n) => n.endsWith('.onnx'));
    if (onnx) {
      return path.join(sub, onnx);
    }
  }
  return undefined;
}
