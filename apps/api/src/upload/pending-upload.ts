import * as fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidInputError } from '@aiaa/core';
import { isMultipart, receiveMultipart } from './receive-multipart';
import type { RequestSlots, ReleaseSlot } from './request-slots';
import type { UploadSpace } from './upload-space';
import type { PartRules, StagingLedger, UploadedFile } from './upload-policy';

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

/** What a {@link PendingUpload} shares with the other requests. */
export interface SharedUploadLimits {
  /** The server's staging space: file parts take their bytes from it, the removal gives them back. */
  readonly space: UploadSpace;
  /** The turns of image requests, for a route that decodes images (its policy is `heavy`). */
  readonly slots?: RequestSlots;
}

/**
 * The multipart body of one request, received when the route asks for it ({@link receive}), so that what can be
 * refused without the body (an unknown model or session, a bad name) is refused before a byte of it is stored. An
 * image route then waits for its turn among the image requests. The temp folder is removed, its staging space and
 * its turn given back, by the upload interceptor once the reply has been sent, whatever happened.
 */
export class PendingUpload {
  /** Aborts when the client goes away before its reply is complete: the upload and the work stop. */
  readonly signal: AbortSignal;
  readonly #req: IncomingMessage;
  readonly #rules: PartRules;
  readonly #limits: SharedUploadLimits;
  readonly #staged: StagingLedger & { taken: number };
  #received: Promise<ReceivedParts> | undefined;
  #dir: string | undefined;
  #releaseSlot: ReleaseSlot | undefined;

  /** `onReceived` hears the bytes of every part once the body is received whole (for the metrics and the log). */
  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    rules: PartRules,
    limits: SharedUploadLimits,
    private readonly onReceived?: (bytes: number) => void,
  ) {
    this.#req = req;
    this.#rules = rules;
    this.#limits = limits;
    this.signal = clientGoneSignal(res);
    const space = limits.space;
    this.#staged = {
      taken: 0,
      limitBytes: space.limitBytes,
      take(bytes) {
        if (!space.take(bytes)) {
          return false;
        }
        this.taken += bytes;
        return true;
      },
    };
  }

  /**
   * The body when it is not multipart: what the JSON body parser made of it (AIAA's `{"dicom": …}` session
   * reference), else undefined.
   */
  get json(): unknown {
    return isMultipart(this.#req) ? undefined : (this.#req as IncomingMessage & { body?: unknown }).body;
  }

  /**
   * Receives the parts into a new temp folder, then (image routes) waits for a turn; later calls answer the same.
   * @throws the route's refusals; RetryLaterError (503) when the image requests' queue is full.
   */
  receive(): Promise<ReceivedParts> {
    this.#received ??= this.#receive();
    return this.#received;
  }

  /**
   * Waits for this request's turn among the image requests (image routes; at once on the others), for work on an
   * image that does not come in the body (a series of the PACS). Called by {@link receive}; a second call is free.
   * @throws RetryLaterError (503) when the image requests' queue is full.
   */
  async waitForTurn(): Promise<void> {
    if (this.#limits.slots && this.#releaseSlot === undefined) {
      this.#releaseSlot = await this.#limits.slots.acquire(this.signal);
    }
  }

  /** Removes the temp folder (after the receiver has let go of its files) and gives back what it held; never throws. */
  async remove(): Promise<void> {
    await this.#received?.catch(() => undefined);
    this.#releaseSlot?.();
    if (this.#dir !== undefined) {
      await fs.rm(this.#dir, { recursive: true, force: true });
    }
    this.#limits.space.release(this.#staged.taken);
    this.#staged.taken = 0;
  }

  async #receive(): Promise<ReceivedParts> {
    const parent = this.#rules.parentDir;
    await fs.mkdir(parent, { recursive: true });
    this.#dir = await fs.mkdtemp(`${parent}/req-`);
    const parts = await receiveMultipart(this.#req, this.#rules, this.#dir, this.signal, this.#staged);
    let bytes = 0;
    for (const file of parts.files) {
      bytes += file.bytes;
    }
    for (const text of parts.fields.values()) {
      bytes += Buffer.byteLength(text);
    }
    this.onReceived?.(bytes);
    await this.waitForTurn();
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
