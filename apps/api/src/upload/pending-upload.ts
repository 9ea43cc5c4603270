import * as fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidInputError } from '@aiaa/core';
import { isMultipart, receiveMultipart } from './receive-multipart';
import type { PartRules, UploadedFile } from './upload-policy';

/** The parts of a received request, in its private temp folder. */
export class ReceivedParts {
  constructor(
    /** Text parts by name (`params`, `config`), file parts read as text included. */
    readonly fields: ReadonlyMap<string, string>,
    /** File parts in arrival order. */
    readonly files: readonly UploadedFile[],
    /** The request's temp folder: the uploaded files, and what the route writes for its reply. */
    readonly dir: string,
  ) {}

  /** The first file part, if any. */
  get file(): UploadedFile | undefined {
    return this.files[0];
  }

  /** The first file part. @throws InvalidInputError saying `missing` when the request has none. */
  requireFile(missing: string): UploadedFile {
    const file = this.files[0];
    if (!file) {
      throw new InvalidInputError(missing);
    }
    return file;
  }
}

/**
 * The multipart body of one request, received when the route asks for it ({@link receive}), so that what can be
 * refused without the body (an unknown model or session, a bad name) is refused before a byte of it is stored. The
 * temp folder is removed by the upload interceptor once the reply has been sent, whatever happened.
 */
export class PendingUpload {
  /** Aborts when the client goes away before its reply is complete: the upload and the work stop. */
  readonly signal: AbortSignal;
  readonly #req: IncomingMessage;
  readonly #rules: PartRules;
  #received: Promise<ReceivedParts> | undefined;
  #dir: string | undefined;

  /** `onReceived` hears the bytes of every part once the body is received whole (for the metrics and the log). */
  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    rules: PartRules,
    private readonly onReceived?: (bytes: number) => void,
  ) {
    this.#req = req;
    this.#rules = rules;
    this.signal = clientGoneSignal(res);
  }

  /**
   * The body when it is not multipart: what the JSON body parser made of it (AIAA's `{"dicom": …}` session
   * reference), else undefined.
   */
  get json(): unknown {
    return isMultipart(this.#req) ? undefined : (this.#req as IncomingMessage & { body?: unknown }).body;
  }

  /** Receives the parts into a new temp folder; later calls answer the same. @throws the route's refusals. */
  receive(): Promise<ReceivedParts> {
    this.#received ??= this.#receive();
    return this.#received;
  }

  /** Removes the temp folder (after the receiver has let go of its files); never throws. */
  async remove(): Promise<void> {
    await this.#received?.catch(() => undefined);
    if (this.#dir !== undefined) {
      await fs.rm(this.#dir, { recursive: true, force: true });
    }
  }

  async #receive(): Promise<ReceivedParts> {
    const parent = this.#rules.parentDir;
    await fs.mkdir(parent, { recursive: true });
    this.#dir = await fs.mkdtemp(`${parent}/req-`);
    const parts = await receiveMultipart(this.#req, this.#rules, this.#dir, this.signal);
    let bytes = 0;
    for (const file of parts.files) {
      bytes += file.bytes;
    }
    for (const text of parts.fields.values()) {
      bytes += Buffer.byteLength(text);
    }
    this.onReceived?.(bytes);
    return new ReceivedParts(parts.fields, parts.files, this.#dir);
  }
}

/**
 * A signal that aborts when the client goes away before its reply is complete: the connection closes while the
 * reply is unfinished. Running inference and uploads listen to it, so a disconnect cancels the work.
 */
function clientGoneSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) {
      controller.abort();
    }
  });
  return controller.signal;
}
