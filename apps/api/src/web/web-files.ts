import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AiaaError } from '@aiaa/core';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Where `tools/scripts/build-web.js` writes the page (`npm start` and the api tests build it first). */
export const WEB_BUNDLE_DIR = path.join(REPO_ROOT, 'dist', 'web');

/** The sample volumes shipped with the repository (see `samples/README.md`). */
export const SAMPLES_DIR = path.join(REPO_ROOT, 'samples');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Names a request may ask for: one plain file name, never a path. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The plain files of `dir` whose names `accept` takes, sorted. A missing folder lists nothing (the page is not
 * built yet), any other failure throws.
 */
export async function listFiles(dir: string, accept: (name: string) => boolean): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  return entries
    .filter((e) => e.isFile() && SAFE_NAME.test(e.name) && accept(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Streams `dir/name` with its Content-Type and Content-Length. Only names that {@link listFiles} would list are
 * served, so no request reaches outside `dir`. @throws AiaaError not-found naming what was asked for
 */
export async function sendFile(
  res: ServerResponse,
  dir: string,
  name: string,
  what: string,
  accept: (name: string) => boolean,
): Promise<void> {
  if (!SAFE_NAME.test(name) || !accept(name)) {
    throw new AiaaError('not-found', `${what} '${name}' does not exist`);
  }
  const file = path.join(dir, name);
  let stat: fs.Stats;
  try {
    stat = await fsp.stat(file);
  } catch {
    throw new AiaaError('not-found', `${what} '${name}' does not exist`);
  }
  if (!stat.isFile()) {
    throw new AiaaError('not-found', `${what} '${name}' does not exist`);
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', stat.size);
  // The bundle keeps fixed names across builds: browsers revalidate rather than keep a stale page.
  res.setHeader('Cache-Control', 'no-cache');
  await pipeline(fs.createReadStream(file), res);
}
