import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { UnsupportedMediaError, describeError } from '@aiaa/core';
import { type PartRules, type Refusal, type StagingLedger, type UploadedFile, isRefusal } from './upload-policy';
import { onBodyStalled } from './body-deadline';

/** The parts of a multipart request: text parts by name (and file parts read as text), files in arrival order. */
export interface MultipartParts {
  readonly fields: ReadonlyMap<string, string>;
  readonly files: readonly UploadedFile[];
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

type FileStream = Readable & { truncated?: boolean };

/**
 * The one multipart receiver: streams a request's text parts into memory and its file parts straight to
 * `<dir>/<field>-<n><ext>`, checking names, counts and sizes against `rules` as the parts arrive, so a refused
 * request stops before it fills the disk.
 *
 * On any failure it stops at once: the parser is detached from the body, open file writes end, and the rest of the
 * body is drained so the client can read the error reply instead of a reset connection; it rejects once the writes
 * have settled (bounded), so the caller can remove the folder. A client that goes away (`signal`, or the request
 * closing before its end) or whose body stalls (the server's body deadline) fails it the same way. File bytes are
 * taken from `staging` as they arrive (the server's space for uploads in progress) and counted against the request's
 * `rules.maxTotalBytes`.
 *
 * @throws what `rules.refuse` makes of the {@link Refusal} at fault.
 */
export function receiveMultipart(
  req: IncomingMessage & { body?: unknown },
  rules: PartRules,
  dir: string,
  signal: AbortSignal,
  staging: StagingLedger,
): Promise<MultipartParts> {
  if (!isMultipart(req)) {
    // Worded by the route (which parts it expects), answered 415 whatever the route.
    const contentType = req.headers['content-type'];
    const refusal = rules.refuse({ reason: 'not-multipart', contentType, body: req.body });
    return Promise.reject(new UnsupportedMediaError(refusal.message));
  }
  return new Promise<MultipartParts>((resolve, reject) => {
    const fields = new Map<string, string>();
    const files: UploadedFile[] = [];
    const writes: Promise<void>[] = [];
    /** File parts still streaming: destroyed on failure so their writes settle and the promise ends. */
    const streaming = new Set<FileStream>();
    let failure: Error | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          fieldSize: rules.maxFieldBytes,
          fileSize: rules.maxFileBytes,
          parts: rules.maxParts,
          ...(rules.maxFileParts === undefined ? {} : { files: rules.maxFileParts }),
          ...(rules.maxFieldParts === undefined ? {} : { fields: rules.maxFieldParts }),
          ...(rules.maxFieldNameBytes === undefined ? {} : { fieldNameSize: rules.maxFieldNameBytes }),
        },
      });
    } catch (error) {
      const contentType = req.headers['content-type'] ?? '';
      reject(rules.refuse({ reason: 'bad-header', contentType, detail: describeError(error) }));
      return;
    }

    const fail = (refusal: Refusal): void => {
      if (failure) {
        return;
      }
      const error = rules.refuse(refusal);
      failure = error;
      stopIdleWatch();
      req.unpipe(parser);
      // With the error: a part whose end was parsed but not yet read would otherwise keep its pipeline pending
      // forever (Node settles it only on 'end' or an error).
      for (const stream of streaming) {
        stream.destroy(error);
      }
      // Drain the rest of the body so the error reply can be read by the client instead of a reset connection.
      req.resume();
      // Wait for the file writes to stop (bounded, should a stream never settle) before the caller removes the folder.
      const bound = new Promise((settle) => setTimeout(settle, SETTLE_TIMEOUT_MS).unref());
      void Promise.race([Promise.allSettled(writes), bound]).then(() => reject(error));
    };
    let totalBytes = 0;
    /** Counts a file part's chunk against the request's total and the server's staging space; false on refusal. */
    const admitChunk = (part: string, bytes: number): boolean => {
      totalBytes += bytes;
      if (totalBytes > rules.maxTotalBytes) {
        fail({ reason: 'body-too-large', part, maxBytes: rules.maxTotalBytes });
        return false;
      }
      if (!staging.take(bytes)) {
        fail({ reason: 'staging-full', limitBytes: staging.limitBytes });
        return false;
      }
      return true;
    };
    const onAbort = (): void => fail({ reason: 'disconnected' });
    signal.addEventListener('abort', onAbort, { once: true });
    // A client gone mid-body may close the request before the reply's socket reports it.
    const onClose = (): void => {
      if (!req.complete) {
        onAbort();
      }
    };
    req.once('close', onClose);
    const stopIdleWatch = onBodyStalled(req, (deadline) => fail({ reason: 'stalled', deadline }));

    parser.on('field', (name, value, info) => {
      if (failure) {
        return;
      }
      const refusal = rules.field(name);
      if (refusal) {
        fail(refusal);
      } else if (info.valueTruncated) {
        fail({ reason: 'field-too-large', part: name, maxBytes: rules.maxFieldBytes });
      } else {
        fields.set(name, value);
      }
    });

    parser.on('file', (name, stream: FileStream, info) => {
      if (failure) {
        stream.resume();
        return;
      }
      const rule = rules.file(name, files);
      if (isRefusal(rule)) {
        stream.resume();
        fail(rule);
        return;
      }
      const filename = info.filename ?? name;
      streaming.add(stream);
      stream.once('close', () => streaming.delete(stream));
      stream.on('limit', () => {
        fail({ reason: 'file-too-large', part: name, filename, maxBytes: rules.maxFileBytes });
      });
      if (rule.keep === 'text') {
        writes.push(
          readText(stream, () => fail({ reason: 'file-too-large', part: name, filename, maxBytes: rule.maxBytes }), {
            maxBytes: rule.maxBytes,
          }).then((text) => {
            if (text !== undefined) {
              fields.set(name, text);
            }
          }),
        );
        return;
      }
      const target = path.join(dir, `${safeName(name)}-${files.length}${knownExtension(filename)}`);
      const hash = rule.sha256 ? createHash('sha256') : undefined;
      const file = {
        field: name,
        filename: info.filename,
        path: target,
        bytes: 0,
        sha256: undefined as string | undefined,
      };
      files.push(file);
      writes.push(
        pipeline(
          stream,
          counter(file, hash, (bytes) => admitChunk(name, bytes)),
          fs.createWriteStream(target),
        ).then(
          () => {
            file.sha256 = hash?.digest('hex');
          },
          (error: unknown) => fail({ reason: 'unwritable', part: name, detail: describeError(error) }),
        ),
      );
    });

    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => fail({ reason: 'too-many-parts', limit }));
    }
    parser.on('error', (error: Error) => fail({ reason: 'malformed', detail: error.message }));
    parser.on('close', () => {
      stopIdleWatch();
      void Promise.all(writes).then(() => {
        signal.removeEventListener('abort', onAbort);
        req.off('close', onClose);
        if (!failure) {
          resolve({ fields, files });
        }
      });
    });
    req.pipe(parser);
  });
}

/**
 * Counts (and hashes, when asked) the bytes of a file part on their way to disk; a chunk `admit` refuses goes no
 * further (the request is failing, and its streams are being destroyed).
 */
function counter(file: { bytes: number }, hash: Hash | undefined, admit: (bytes: number) => boolean): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!admit(chunk.length)) {
        callback();
        return;
      }
      file.bytes += chunk.length;
      hash?.update(chunk);
      callback(null, chunk);
    },
  });
}

/**
 * A file part read into memory as UTF-8 text; undefined (after `onTooLarge`) past `maxBytes` or when busboy cut the
 * part at the file size limit, the rest being drained.
 */
async function readText(
  stream: FileStream,
  onTooLarge: () => void,
  { maxBytes }: { readonly maxBytes: number },
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes <= maxBytes) {
        chunks.push(chunk);
      }
    }
  } catch {
    // Destroyed by a failure elsewhere in the request: that failure is the one reported.
    return undefined;
  }
  if (bytes > maxBytes || stream.truncated === true) {
    onTooLarge();
    return undefined;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeName(field: string): string {
  return field.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40) || 'file';
}
