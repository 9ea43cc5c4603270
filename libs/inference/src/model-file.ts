import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { AiaaError, ConfigError, TooLargeError, formatBytes } from '@aiaa/core';

/** Largest model file the engines read: onnxruntime cannot parse an ONNX protobuf past 2 GiB anyway. */
export const MAX_MODEL_FILE_BYTES = 2 * 1024 ** 3;

/**
 * The file a config's `path` names, inside the model folder: a relative path that stays in `modelDir` once `..` are
 * resolved. Nothing is read here, so a refusal says nothing about the host's files.
 * @throws ConfigError naming `path` for an absolute path or one that leaves the folder.
 */
export function resolveModelPath(modelDir: string, declared: string): string {
  const posix = declared.replace(/\\/g, '/');
  if (path.isAbsolute(declared) || path.posix.isAbsolute(posix) || /^[A-Za-z]:/.test(posix)) {
    throw new ConfigError('path', 'must name a file inside the model folder by a relative path (models/model.onnx)');
  }
  const root = path.resolve(modelDir);
  const file = path.resolve(root, posix);
  if (file === root || !file.startsWith(root + path.sep)) {
    throw new ConfigError('path', 'must name a file inside the model folder; this one leaves it');
  }
  return file;
}

/** A model file the server will not read: not a regular file in its folder, too large, unreadable. */
export class ModelFileError extends AiaaError {
  constructor(modelName: string, file: string, detail: string) {
    super('invalid-input', `model '${modelName}': model file ${path.basename(file)}: ${detail}`);
  }
}

/** What {@link readModelFile} checks besides the file itself. */
export interface ReadModelFileOptions {
  /** The model's folder: the file, its links resolved, must lie inside it. */
  readonly modelDir?: string;
  /** Default {@link MAX_MODEL_FILE_BYTES}. */
  readonly maxBytes?: number;
}

/**
 * Reads a model file as an engine loads it: a regular file only (a FIFO would hang the reader, a device grow it
 * without bound), opened without following a last symlink and without blocking, at most `maxBytes`, and, given the
 * model folder, lying inside it once every link is resolved. Messages name the file's base name, never its path.
 * @throws ModelFileError; TooLargeError past `maxBytes`.
 */
export async function readModelFile(
  modelName: string,
  file: string,
  options: ReadModelFileOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? MAX_MODEL_FILE_BYTES;
  if (options.modelDir !== undefined) {
    const [root, real] = await Promise.all([realpath(options.modelDir), realpath(file).catch(() => undefined)]);
    if (real === undefined) {
      throw new ModelFileError(modelName, file, 'not found in the model folder');
    }
    if (!real.startsWith(root + path.sep)) {
      throw new ModelFileError(modelName, file, 'links outside the model folder');
    }
  }
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'not found'
        : code === 'ELOOP'
          ? 'is a symbolic link'
          : `cannot be opened (${code ?? 'error'})`;
    throw new ModelFileError(modelName, file, why);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new ModelFileError(modelName, file, 'not a regular file');
    }
    if (stat.size > maxBytes) {
      throw new TooLargeError(
        `model '${modelName}': model file ${path.basename(file)} is ${formatBytes(stat.size)}, over the ${formatBytes(maxBytes)} a model file may have`,
      );
    }
    const bytes = new Uint8Array(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) {
        break;
      }
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
