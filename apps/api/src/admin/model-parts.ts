import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { CancelledError, InvalidInputError, TooLargeError } from '@aiaa/core';
import { UploadStalledError, watchUploadIdle } from '../upload/upload-stalled.error';

/** Limits of one `PUT /admin/model/{name}` body. */
export interface UploadLimits {
  /** Largest `data` file, in bytes (413 above it). */
  readonly maxFileBytes: number;
  /** Largest `config` part, in bytes. */
  readonly maxConfigBytes: number;
  /** Abandons the upload with a 408 when no bytes arrive for this long (0: never). */
  readonly idleTimeoutMs?: number;
}

/** A file received into the staging folder. */
export interface StagedFile {
  readonly path: string;
  /** The client's file name (`model.onnx`), when it sent one. */
  readonly filename: string | undefined;
  readonly bytes: number;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
}

/** The parts of a model upload: `config` (JSON text, from a file or a field) and `data` (the model file or a zip). */
export interface ReceivedUpload {
  /** The staging folder of this upload; the caller removes it. */
  readonly dir: string;
  readonly configText: string | undefined;
  readonly data: StagedFile | undefined;
}

const CONFIG_PART = 'config';
const DATA_PART = 'data';

/**
 * Streams a multipart model upload into a new folder under `stagingRoot`, hashing the `data` file as it arrives.
 * The request is read to its end even after a limit is hit, so the client always gets the reply.
 * @throws InvalidInputError for a body that is not multipart, an unexpected part, an NGC reference or no parts;
 * TooLargeError naming the part and the limit. The staging folder is removed when it throws.
 */
export async function receiveModelUpload(
  req: IncomingMessage & { body?: unknown },
  stagingRoot: string,
  limits: UploadLimits,
): Promise<ReceivedUpload> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw notMultipart(contentType, req.body);
  }
  const dir = path.join(stagingRoot, randomUUID());
  await fs.promises.mkdir(dir, { recursive: true });
  try {
    const upload = await readParts(req, dir, limits);
    if (upload.configText === undefined && upload.data === undefined) {
      throw new InvalidInputError(`model upload: expected a '${CONFIG_PART}' part, a '${DATA_PART}' part or both`);
    }
    return upload;
  } catch (error) {
    await fs.promises.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function readParts(req: IncomingMessage, dir: string, limits: UploadLimits): Promise<ReceivedUpload> {
  return new Promise<ReceivedUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: limits.maxFileBytes, fieldSize: limits.maxConfigBytes, files: 4, fields: 8, parts: 12 },
      });
    } catch (error) {
      const contentType = req.headers['content-type'] ?? '';
      reject(
        new InvalidInputError(
          `model upload: Content-Type '${contentType}' is not usable multipart/form-data with a boundary (${(error as Error).message})`,
        ),
      );
      return;
    }
    let failure: Error | undefined;
    let configText: string | undefined;
    let data: StagedFile | undefined;
    const writes: Promise<void>[] = [];
    const fail = (error: Error): void => {
      failure ??= error;
    };

    parser.on('field', (name, value, info) => {
      if (name === CONFIG_PART) {
        if (info.valueTruncated) {
          fail(
            new TooLargeError(`model upload: part '${CONFIG_PART}' is over the ${limits.maxConfigBytes} byte limit`),
          );
        }
        configText = value;
      } else if (name === 'ngc') {
        fail(new InvalidInputError(`model upload: part 'ngc': downloading models from NGC is not supported here`));
      } else {
        fail(unexpectedPart(name));
      }
    });
    parser.on('file', (name, stream, info) => {
      if (name === CONFIG_PART) {
        writes.push(
          // A config file part is bounded by both limits: busboy cuts every file part at the upload limit.
          readText(stream, Math.min(limits.maxConfigBytes, limits.maxFileBytes)).then(
            (text) => void (configText = text),
            (error: Error) => fail(error),
          ),
        );
      } else if (name === DATA_PART && data === undefined && failure === undefined) {
        const target = path.join(dir, `${DATA_PART}.part`);
        writes.push(
          saveFile(stream, target, limits.maxFileBytes).then(
            (saved) => void (data = { ...saved, filename: info.filename || undefined }),
            (error: Error) => fail(error),
          ),
        );
      } else {
        fail(
          name === DATA_PART
            ? new InvalidInputError(`model upload: more than one '${DATA_PART}' part`)
            : unexpectedPart(name),
        );
        stream.resume();
      }
    });
    for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(event, () => fail(new InvalidInputError(`model upload: too many parts (${event})`)));
    }
    parser.on('error', (error: Error) => {
      fail(new InvalidInputError(`model upload: malformed multipart body: ${error.message}`));
      // busboy stops at a malformed body; drain the rest so the reply reaches the client.
      req.resume();
      req.once('end', () => finish());
    });
    parser.on('close', () => finish());
    // A client gone mid-body: busboy would wait for the rest forever, keeping the staged file open and the staging
    // folder on disk. Destroying the parser ends the file stream with an error, so every write settles.
    req.once('close', () => {
      if (!req.complete) {
        fail(new CancelledError('model upload: the client disconnected before the body ended'));
        parser.destroy();
        finish();
      }
    });
    // A client that stops sending: the same, answered 408 (the connection is closed with the reply).
    const idleMs = limits.idleTimeoutMs ?? 0;
    const stopIdleWatch = watchUploadIdle(req, idleMs, () => {
      fail(new UploadStalledError('model upload', idleMs));
      parser.destroy();
      finish();
    });
    let finished = false;
    const finish = (): void => {
      if (finished) {
        return;
      }
      finished = true;
      stopIdleWatch();
      void Promise.all(writes).then(() => {
        if (failure) {
          reject(failure);
        } else {
          resolve({ dir, configText, data });
        }
      });
    };
    req.pipe(parser);
  });
}

/** Streams `stream` into `target`, hashing it; past `maxBytes` the rest is drained and a TooLargeError raised. */
async function saveFile(stream: Readable & { truncated?: boolean }, target: string, maxBytes: number) {
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  let limited = false;
  stream.once('limit', () => {
    limited = true;
  });
  await pipeline(stream, counter, fs.createWriteStream(target));
  if (limited || stream.truncated) {
    await fs.promises.rm(target, { force: true });
    throw new TooLargeError(
      `model upload: part '${DATA_PART}' is over the ${maxBytes} byte limit (--max_upload_mb ${Math.round(maxBytes / 1048576)})`,
    );
  }
  return { path: target, bytes, sha256: hash.digest('hex') };
}

async function readText(stream: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBytes) {
      chunks.push(chunk);
    }
  }
  // `truncated`: busboy stopped the part at its file size limit, so the text read is only its start.
  if (bytes > maxBytes || (stream as Readable & { truncated?: boolean }).truncated === true) {
    throw new TooLargeError(`model upload: part '${CONFIG_PART}' is over the ${maxBytes} byte limit`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function unexpectedPart(name: string): InvalidInputError {
  return new InvalidInputError(
    `model upload: unexpected part '${name}' (expected '${CONFIG_PART}' and/or '${DATA_PART}')`,
  );
}

function notMultipart(contentType: string, body: unknown): InvalidInputError {
  if (/json/i.test(contentType) && typeof body === 'object' && body !== null && 'path' in body) {
    return new InvalidInputError(
      `model upload: a JSON body {"path", "version"} names an NGC model; downloading from NGC is not supported here, ` +
        `upload the files as multipart parts '${CONFIG_PART}' and '${DATA_PART}'`,
    );
  }
  return new InvalidInputError(
    `model upload: Content-Type '${contentType || 'none'}', expected multipart/form-data with parts '${CONFIG_PART}' and/or '${DATA_PART}'`,
  );
}
