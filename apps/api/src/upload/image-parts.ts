import type { IncomingMessage } from 'node:http';
import { InvalidInputError } from '@aiaa/core';
import type { InferenceOptions } from '../inference/inference-options';
import { makeRequestDir } from './request-scope';
import { receiveMultipart, type UploadedFile } from './receive-multipart';

/**
 * The file part names AIAA clients use: `datapoint` (Python client), `image` (C++ client, OHIF, Slicer sessions),
 * and `image0`..`imageN` (OHIF sessions: one file, or the slices of a DICOM series on `PUT /session/` only).
 */
export function isImageField(name: string): boolean {
  return name === 'datapoint' || name === 'image' || /^image\d{1,4}$/.test(name);
}

/** A received AIAA request: its `params` JSON and its image file (if one was sent), in a private temp folder. */
export interface ImageRequest {
  readonly params: Record<string, unknown>;
  readonly file: UploadedFile | undefined;
  /** Every file part in arrival order (more than one only when `maxFiles` allowed it). */
  readonly files: readonly UploadedFile[];
  /** The request's temp folder (the upload, and the result files written by the model). */
  readonly dir: string;
  /** Removes the temp folder; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * Receives `params` (JSON text, `{}` when absent) and at most `maxFiles` image file parts (default one: `datapoint`
 * or `image`) into a new temp folder under the uploads dir. The caller removes the folder when the reply has been
 * sent.
 *
 * @throws InvalidInputError naming the part (unexpected field, second file, `params` not a JSON object);
 *   TooLargeError over the size limits; CancelledError when the client goes away.
 */
export async function receiveImageRequest(
  req: IncomingMessage,
  options: InferenceOptions,
  signal: AbortSignal,
  maxFiles = 1,
): Promise<ImageRequest> {
  const scope = await makeRequestDir(options.uploadsDir, 'req');
  try {
    const upload = await receiveMultipart(req, {
      dir: scope.dir,
      textFields: (name) => name === 'params',
      fileFields: isImageField,
      maxFiles,
      maxFileBytes: options.maxUploadBytes,
      maxFieldBytes: options.maxFieldBytes,
      signal,
      idleTimeoutMs: options.uploadIdleTimeoutMs,
    });
    return {
      params: parseParams(upload.fields.get('params')),
      file: upload.files[0],
      files: upload.files,
      dir: scope.dir,
      remove: scope.remove,
    };
  } catch (error) {
    await scope.remove();
    throw error;
  }
}

/**
 * The `params` part as a JSON object (`{}` when absent or empty).
 * @throws InvalidInputError naming `params` when it is not JSON or not an object.
 */
export function parseParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`multipart field 'params': not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(
      `multipart field 'params': expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}
