import * as fs from 'node:fs';
import * as path from 'node:path';
import { exists } from './model-files';
import { PENDING_MARKER, TRASH_MARKER, type ModelFolders, type PendingMarker, type TrashMarker } from './model-folders';
import type { ModelEvents } from './model-events';
import type { ModelRepository } from './model.repository';

/** The marker of the single-version layout's interrupted replace: the previous folder moved aside to `previous`. */
const SINGLE_VERSION_RESTORE = 'restore.json';

/**
 * Undoes or finishes what an interrupted write left in `<workspace>/staging`, then empties it. The rows decide:
 * - an upload whose version folder moved into `models/` but whose row did not commit: the folder goes;
 * - a version or model moved to trash whose row delete did not commit: it goes back;
 * - a version the single-version layout had moved aside for a replace: it goes back when its place is empty.
 * Anything else there (an upload cut off while it was received) is removed.
 */
export async function recoverStaging(
  stagingDir: string,
  repository: ModelRepository,
  folders: ModelFolders,
  events: ModelEvents,
): Promise<void> {
  for (const entry of (await exists(stagingDir)) ? await fs.promises.readdir(stagingDir) : []) {
    const dir = path.join(stagingDir, entry);
    const pending = await readMarker<PendingMarker>(path.join(dir, PENDING_MARKER));
    if (pending) {
      await undoUncommittedUpload(pending, dir, repository, folders, events);
    }
    const trash = await readMarker<TrashMarker>(path.join(dir, TRASH_MARKER));
    if (trash) {
      await restoreUncommittedDelete(trash, dir, repository, folders, events);
    }
    const restore = await readMarker<{ name: string }>(path.join(dir, SINGLE_VERSION_RESTORE));
    if (restore && (await exists(path.join(dir, 'previous'))) && !(await exists(folders.modelDir(restore.name)))) {
      await fs.promises.rename(path.join(dir, 'previous'), folders.modelDir(restore.name));
      events.repaired(restore.name, 'restored the folder an interrupted upload had moved aside');
    }
    events.stagingRemoved(entry);
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

async function undoUncommittedUpload(
  marker: PendingMarker,
  dir: string,
  repository: ModelRepository,
  folders: ModelFolders,
  events: ModelEvents,
): Promise<void> {
  const model = await repository.findModel(marker.name);
  const committed = model ? await repository.findVersion(model.id, marker.version) : null;
  const versionDir = folders.versionDir(marker.name, marker.version);
  if (!committed && (await exists(versionDir))) {
    await fs.promises.rename(versionDir, path.join(dir, 'uncommitted'));
    await folders.removeIfEmpty(marker.name);
    events.repaired(marker.name, 'an upload stopped before its commit; its folder is removed', marker.version);
  }
}

async function restoreUncommittedDelete(
  marker: TrashMarker,
  dir: string,
  repository: ModelRepository,
  folders: ModelFolders,
  events: ModelEvents,
): Promise<void> {
  const content = path.join(dir, 'content');
  const model = await repository.findModel(marker.name);
  if (!model || !(await exists(content))) {
    return;
  }
  if (marker.version === undefined) {
    if (!(await exists(folders.modelDir(marker.name)))) {
      await fs.promises.rename(content, folders.modelDir(marker.name));
      events.repaired(marker.name, 'a delete stopped before its commit; the model is kept');
    }
    return;
  }
  const row = await repository.findVersion(model.id, marker.version);
  const versionDir = folders.versionDir(marker.name, marker.version);
  if (row && !(await exists(versionDir))) {
    await fs.promises.mkdir(folders.modelDir(marker.name), { recursive: true });
    await fs.promises.rename(content, versionDir);
    events.repaired(marker.name, 'a version delete stopped before its commit; the version is kept', marker.version);
  }
}

/** A marker's JSON, or undefined when there is none (or it is unreadable: a write cut off before the move). */
async function readMarker<T extends { name: string }>(file: string): Promise<T | undefined> {
  try {
    const parsed = JSON.parse(await fs.promises.readFile(file, 'utf8')) as T;
    return typeof parsed.name === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
