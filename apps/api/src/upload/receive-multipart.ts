import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { CancelledError, InvalidInputError, TooLargeError, describeError } from '@aiaa/core';
import { UploadStalledError, watchUploadIdle } from './upload-stalled.error';

/** One file part of a request, already on disk. */
export interface UploadedFile {
  /** The form field it came under (`datapoint`, `image`, `image0`...). */
  readonly field: string;
  /** The client's file name (`spleen.nii.gz`); used for its extension only. */
  readonly filename: string;
  /** Where it was written: `<dir>/<field><extension>`. */
  readonly path: string;
  readonly bytes: number;
}

/** The parts of a multipart request: text fields by name, files in arrival order. */
export interface MultipartUpload {
  readonly fields: ReadonlyMap<string, string>;
  readonly files: readonly UploadedFile[];
}

/** Which parts a request may carry and how big they may be. */
export interface MultipartLimits {
  /** Folder that receives the files (created by the caller, removed by the caller). */
  readonly dir: string;
  /** Accepted text field names; any other is refused with a 400 naming it. */
  readonly textFields: (name: string) => boolean;
  /** Accepted file field names; any other is refused with a 400 naming it. */
  readonly fileFields: (name: string) => boolean;
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly maxFieldBytes: number;
  /** Aborts the upload (client disconnect). */
  readonly signal?: AbortSignal;
  /** Abandons the upload with a 408 when no bytes arrive for this long (0: never). */
  readonly idleTimeoutMs?: number;
}

/** Longest wait for file writes to stop after a failure. */
const SETTLE_TIMEOUT_MS = 5000;

/** Extensions kept on stored files, longest first, so readers and writers can tell `.nii.gz` from `.nii`. */
const KNOWN_EXTENSIONS = ['.nii.gz', '.nii', '.nrrd', '.png', '.dcm', '.gz'];

/** `.nii.gz` for `spleen.nii.gz`, `''` for an unknown or missing extension. */
export function knownExtension(filename: string): string {
  const lower = filename.toLowerCase();
  return KNOWN_EXTENSIONS.find((ext) => lower.endsWith(ext)) ?? '';
}

/** True when the request says it carries `multipart/form-data`. */
export function isMultipart(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/**
 * Streams a `multipart/form-data` request: text fields into memory, file parts straight to `<dir>/<field><ext>`.
 * Field names and counts are checked as the parts arrive, so a refused request stops before it fills the disk.
 *
 * @throws InvalidInputError naming the part (an unexpected field name, one file too many, a non-multipart body);
 *   TooLargeError naming the part over its size limit; CancelledError when `signal` aborts.
 */
export function receiveMultipart(req: IncomingMessage, limits: MultipartLimits): Promise<MultipartUpload> {
  if (!isMultipart(req)) {
    const got = req.headers['content-type'] ?? 'none';
    return Promise.reject(
      new InvalidInputError(
        `request body: expected multipart/form-data with a 'params' field, got Content-Type '${got}'`,
      ),
    );
  }
  return new Promise<MultipartUpload>((resolve, reject) => {
    const fields = new Map<string, string>();
    const files: UploadedFile[] = [];
    const writes: Promise<void>[] = [];
    /** File parts still streaming: destroyed on failure so their writes settle and the promise ends. */
    const streaming = new Set<NodeJS.ReadableStream & { destroy(error?: Error): void }>();
    let failure: Error | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          fieldSize: limits.maxFieldBytes,
          fileSize: limits.maxFileBytes,
          fieldNameSize: 200,
          parts: limits.maxFiles + 64,
        },
      });
    } catch (error) {
      reject(new InvalidInputError(`request body: ${describeError(error)}`));
      return;
    }

    const fail = (error: Error): void => {
      if (failure) {
        return;
      }
      failure = error;
      stopIdleWatch();
      req.unpipe(parser);
      // The parser gets no more of the body: end the open file parts now so their writes settle, rather than after
      // the bound below (every 413 waited for it). With the error: a part whose end was parsed but not yet read would
      // otherwise keep its pipeline pending forever (Node settles it only on 'end' or an error).
      for (const stream of streaming) {
        stream.destroy(error);
      }
      // Drain the rest of the body so the error reply can be read by the client instead of a reset connection.
      req.resume();
      // Wait for the file writes to stop (bounded, should a stream never settle) before the caller removes the folder.
      const bound = new Promise((resolve) => setTimeout(resolve, SETTLE_TIMEOUT_MS).unref());
      void Promise.race([Promise.allSettled(writes), bound]).then(() => reject(error));
    };
    const onAbort = (): void => fail(new CancelledError('upload cancelled by the client'));
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    const idleMs = limits.idleTimeoutMs ?? 0;
    const stopIdleWatch = watchUploadIdle(req, idleMs, () => fail(new UploadStalledError('request body', idleMs)));

    parser.on('field', (name, value, info) => {
      if (failure) {
        return;
      }
      if (!limits.textFields(name)) {
        fail(
          new InvalidInputError(
            `multipart field '${name}' is not accepted here (expected 'params' and one image file part)`,
          ),
        );
      } else if (info.valueTruncated) {
        fail(new TooLargeError(`multipart field '${name}' exceeds the ${limits.maxFieldBytes}-byte limit`));
      } else {
        fields.set(name, value);
      }
    });

    parser.on('file', (name, stream, info) => {
      if (failure) {
        stream.resume();
        return;
      }
      if (!limits.fileFields(name)) {
        stream.resume();
        fail(
          new InvalidInputError(`multipart file part '${name}' is not accepted here (expected 'datapoint' or 'image')`),
        );
        return;
      }
      if (files.length >= limits.maxFiles) {
        stream.resume();
        const first = files[0]?.field ?? name;
        fail(
          new InvalidInputError(
            `multipart file part '${name}': only ${limits.maxFiles} file part(s) accepted, already got '${first}'` +
              (limits.maxFiles === 1 ? ' (a DICOM series as image0..N is accepted by PUT /session/ only)' : ''),
          ),
        );
        return;
      }
      const filename = info.filename ?? name;
      const target = path.join(limits.dir, `${safeName(name)}-${files.length}${knownExtension(filename)}`);
      const file = { field: name, filename, path: target, bytes: 0 };
      files.push(file);
      streaming.add(stream);
      stream.once('close', () => streaming.delete(stream));
      stream.on('data', (chunk: Buffer) => {
        file.bytes += chunk.length;
      });
      stream.on('limit', () => {
        fail(
          new TooLargeError(
            `multipart file part '${name}' (${filename}) exceeds the upload limit of ${limits.maxFileBytes} bytes`,
          ),
        );
      });
      writes.push(
        pipeline(stream, fs.createWriteStream(target)).catch((error: unknown) => {
          fail(new InvalidInputError(`multipart file part '${name}': ${describeError(error)}`));
        }),
      );
    });

    parser.on('error', (error: Error) =>
      fail(new InvalidInputError(`request body: malformed multipart data: ${error.message}`)),
    );
    parser.on('close', () => {
      stopIdleWatch();
      void Promise.all(writes).then(() => {
        limits.signal?.removeEventListener('abort', onAbort);
        if (!failure) {
          resolve({ fields, files });
        }
      });
    });
    req.pipe(parser);
  });
}

function safeName(field: string): string {
  return field.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'file';
}
