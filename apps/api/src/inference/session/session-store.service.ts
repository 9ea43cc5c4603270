import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InvalidInputError, LruCache, describeError, type MedicalImage } from '@aiaa/core';
import { SessionNotFoundError } from '../../common/session-not-found.error';
import { RetryLaterError } from '../../common/status-errors';
import { InferenceOptions } from '../inference-options';
import { knownExtension } from '../../upload/receive-multipart';
import { type UploadedFile, clientFileName } from '../../upload/upload-policy';
import { SessionLimitError } from './session-limit.error';

/** A session as `PUT /session/` and `GET /session/{id}` return it; times are Unix seconds, as AIAA's. */
export interface SessionInfo {
  readonly session_id: string;
  /** The uploaded file's client-side name. */
  readonly name: string;
  readonly size_bytes: number;
  /** Seconds of inactivity after which the session is removed. */
  readonly expiry: number;
  /** The image as read at upload: sizes [i, j, k] (W, H, D), voxel size in mm, datatype. */
  readonly image: SessionImageInfo;
  readonly create_ts: number;
  last_access_ts: number;
}

/** What a session tells about its image. */
export interface SessionImageInfo {
  readonly size: readonly number[];
  readonly spacing_mm: readonly number[];
  readonly channels: number;
  readonly dtype: string;
}

/** What is kept per session: its info, where its image lies, and the client that created it (for its quota). */
interface StoredSession {
  readonly info: SessionInfo;
  readonly imagePath: string;
  readonly owner?: string;
}

const META_FILE = 'session.json';
/** `randomUUID()` output: anything else cannot be a session and never reaches the file system. */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Sessions: an uploaded image kept in `<workspace>/sessions/<id>/` so that repeated requests (deepgrow clicks) send
 * only `session_id`. Ids are random UUIDs; a session expires after `expiry` seconds without access and is removed by
 * a timer. Count and disk use are bounded (per instance). Sessions found on disk at start are served again until they
 * expire.
 *
 * Several instances may share the workspace: the folder and its `session.json` are the session, so a session created
 * on one instance is found on disk by another, a delete anywhere removes the folder every instance checks, and each
 * access writes its time into `session.json` (a rename: never a torn file), so that no instance expires a session
 * another one is using. Sweeps remove a folder by renaming it away first: of two sweeps, one wins, the other skips it.
 */
@Injectable()
export class SessionStore implements OnModuleInit, OnModuleDestroy {
  readonly #logger = new Logger(SessionStore.name);
  readonly #sessions = new Map<string, StoredSession>();
  /**
   * The decoded images of the most recently used sessions, so that repeated clicks on one session (deepgrow) skip
   * reading and inflating the file. Images are shared, never copied: transforms build new images instead of writing
   * into their input.
   */
  readonly #cache: LruCache<MedicalImage>;
  #timer: NodeJS.Timeout | undefined;

  constructor(@Inject(InferenceOptions) private readonly options: InferenceOptions) {
    this.#cache = new LruCache({
      maxEntries: options.sessionImageCacheEntries,
      maxBytes: options.sessionImageCacheBytes,
      // Voxels and the header's NIfTI extensions, which the image keeps too.
      bytesOf: (image) => image.voxels.byteLength + (image.header?.extensions.byteLength ?? 0),
    });
  }

  async onModuleInit(): Promise<void> {
    await fs.rm(this.options.uploadsDir, { recursive: true, force: true });
    await fs.mkdir(this.options.uploadsDir, { recursive: true });
    await this.#restore();
    this.#timer = setInterval(() => void this.sweep(), this.options.sessionSweepSec * 1000);
    this.#timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.#timer);
  }

  /**
   * The expiry of a new session: `requested` seconds capped by the server maximum; 0 or absent → the default.
   * @throws InvalidInputError naming `expiry` when it is not a non-negative integer.
   */
  effectiveExpiry(requested: string | undefined): number {
    if (requested === undefined || requested === '') {
      return this.options.defaultSessionExpirySec;
    }
    if (!/^\d+$/.test(requested.trim())) {
      throw new InvalidInputError(
        `query parameter 'expiry': expected a non-negative whole number of seconds, got '${requested}'`,
      );
    }
    const seconds = Number(requested);
    return seconds === 0 ? this.options.defaultSessionExpirySec : Math.min(seconds, this.options.maxSessionExpirySec);
  }

  /**
   * Checks that one more session of `bytes` bytes fits: the server's session count and storage (503 past them), then
   * `owner`'s quota, at most `sessionsPerClient` sessions and the same share of the storage, so that one client over
   * its quota is refused while others keep working.
   * @throws SessionLimitError (503); RetryLaterError (429) with a Retry-After of when the client's first session
   *   expires.
   */
  checkRoom(owner: string, bytes = 0): void {
    if (this.#sessions.size >= this.options.maxSessions) {
      throw new SessionLimitError(
        `session limit reached: ${this.#sessions.size} of ${this.options.maxSessions} sessions are open`,
      );
    }
    const used = this.usedBytes();
    if (used + bytes > this.options.maxSessionBytes) {
      throw new SessionLimitError(
        `session storage full: ${used} bytes used, ${bytes} more would exceed the ${this.options.maxSessionBytes}-byte budget`,
      );
    }
    const now = Date.now() / 1000;
    const own = [...this.#sessions.values()].filter((s) => s.owner === owner && !isExpired(s.info, now));
    const usedBytes = own.reduce((sum, s) => sum + s.info.size_bytes, 0);
    const max = this.options.sessionsPerClient;
    const maxBytes = this.options.sessionBytesPerClient;
    if (own.length < max && usedBytes + bytes <= maxBytes) {
      return;
    }
    const firstExpiry = Math.min(...own.map((s) => s.info.last_access_ts + s.info.expiry));
    const retryAfterSec = Math.max(1, Math.ceil((Number.isFinite(firstExpiry) ? firstExpiry : now + 60) - now));
    const held =
      own.length >= max
        ? `holds ${own.length} sessions, the most one client may hold (--sessions_per_client ${max})`
        : `holds ${usedBytes} bytes of sessions; ${bytes} more would pass the ${maxBytes} one client may hold`;
    throw new RetryLaterError(
      429,
      `client ${owner} ${held}: close one (DELETE /session/{id}) or wait until one expires, in ${retryAfterSec} s`,
      retryAfterSec,
    );
  }

  /**
   * Moves `file` into a new session folder, owned by client `owner`.
   * @throws RetryLaterError (429) when the client is over its quota; SessionLimitError when the server's session
   *   count or disk budget would be exceeded.
   */
  async create(file: UploadedFile, image: SessionImageInfo, expirySec: number, owner: string): Promise<SessionInfo> {
    await this.#expire(this.#sessions.keys(), Date.now());
    this.checkRoom(owner, file.bytes);
    const id = randomUUID();
    const dir = this.#dirOf(id);
    await fs.mkdir(dir, { recursive: true });
    const imagePath = path.join(dir, `image${knownExtension(file.path)}`);
    await fs.rename(file.path, imagePath);
    const now = Date.now() / 1000;
    const info: SessionInfo = {
      session_id: id,
      name: path.basename(clientFileName(file)),
      size_bytes: file.bytes,
      expiry: expirySec,
      image,
      create_ts: now,
      last_access_ts: now,
    };
    await this.#write(id, { info, imagePath, owner });
    this.#sessions.set(id, { info, imagePath, owner });
    this.#logger.log(`session ${id} created (${file.bytes} bytes, expiry ${expirySec} s)`);
    return { ...info };
  }

  /**
   * The session `id`; `touch` refreshes its last access (inference calls and `?update_ts=true`).
   * @throws SessionNotFoundError (HTTP 440) for an unknown or expired id.
   */
  async get(id: string, touch = false): Promise<SessionInfo> {
    return { ...(await this.#find(id, touch)).info };
  }

  /** Path of the session's image, refreshing its last access. @throws SessionNotFoundError */
  async imagePath(id: string): Promise<string> {
    return (await this.#find(id, true)).imagePath;
  }

  /**
   * The session's decoded image: from memory when recently used, else `read(path)` (kept for the next request).
   * @throws SessionNotFoundError; whatever `read` throws.
   */
  async image(id: string, read: (path: string) => Promise<MedicalImage>): Promise<MedicalImage> {
    const session = await this.#find(id, true);
    const cached = this.#cache.get(id);
    if (cached) {
      return cached;
    }
    const image = await read(session.imagePath);
    if (this.#sessions.has(id)) {
      this.#cache.set(id, image);
    }
    return image;
  }

  /** Keeps a decoded image of session `id` for its next requests (the upload was just read). */
  remember(id: string, image: MedicalImage): void {
    this.#cache.set(id, image);
  }

  /** Removes the session. @throws SessionNotFoundError when it does not exist (or already expired). */
  async remove(id: string): Promise<void> {
    await this.#find(id, false);
    await this.#delete(id);
  }

  /** Bytes held by all sessions. */
  usedBytes(): number {
    let total = 0;
    for (const session of this.#sessions.values()) {
      total += session.info.size_bytes;
    }
    return total;
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Removes every expired session (run by the timer): those this instance knows and those on disk (created by
   * another instance sharing the workspace, or left by one that stopped), each by its times as last written.
   */
  async sweep(now = Date.now()): Promise<void> {
    const entries = await fs.readdir(this.options.sessionsDir).catch(() => [] as string[]);
    await this.#expire(new Set([...this.#sessions.keys(), ...entries.filter((e) => SESSION_ID.test(e))]), now);
  }

  /**
   * The live session `id`: from memory if its folder is still there (another instance may have deleted it), else
   * from its folder (another instance may have created it).
   */
  async #find(id: string, touch: boolean): Promise<StoredSession> {
    if (!SESSION_ID.test(id)) {
      throw new SessionNotFoundError(id);
    }
    const known = this.#sessions.get(id);
    const onDisk = await this.#read(id);
    if (!onDisk) {
      if (known) {
        this.#sessions.delete(id);
        this.#cache.delete(id);
      }
      throw new SessionNotFoundError(id);
    }
    const session = known ?? onDisk;
    // Another instance's access counts too: the later of the two times.
    session.info.last_access_ts = Math.max(session.info.last_access_ts, onDisk.info.last_access_ts);
    const now = Date.now() / 1000;
    if (isExpired(session.info, now)) {
      void this.#delete(id);
      throw new SessionNotFoundError(id);
    }
    this.#sessions.set(id, session);
    if (touch) {
      session.info.last_access_ts = now;
      await this.#write(id, session);
    }
    return session;
  }

  /** The session's `session.json`; undefined when its folder is gone or the file unreadable. */
  async #read(id: string): Promise<StoredSession | undefined> {
    try {
      const stored = JSON.parse(await fs.readFile(path.join(this.#dirOf(id), META_FILE), 'utf8')) as StoredSession;
      return stored.info.session_id === id ? stored : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes `session.json` whole: to a temp file renamed over it, so a reader on another instance never sees half. */
  async #write(id: string, session: StoredSession): Promise<void> {
    const file = path.join(this.#dirOf(id), META_FILE);
    const temp = `${file}.${randomUUID()}`;
    try {
      await fs.writeFile(temp, JSON.stringify(session));
      await fs.rename(temp, file);
    } catch (error) {
      // Deleted meanwhile (by another instance): the next access answers 440.
      await fs.rm(temp, { force: true });
      this.#logger.warn(`session ${id}: its access time was not written: ${describeError(error)}`);
    }
  }

  /**
   * Removes those of `ids` that expired, judged by the later of this instance's last access and the one on disk
   * (another instance's use counts), and those whose `session.json` is gone.
   */
  async #expire(ids: Iterable<string>, nowMs: number): Promise<void> {
    for (const id of [...ids]) {
      const known = this.#sessions.get(id);
      if (known && !isExpired(known.info, nowMs / 1000)) {
        continue;
      }
      const stored = await this.#read(id);
      if (known && stored) {
        known.info.last_access_ts = Math.max(known.info.last_access_ts, stored.info.last_access_ts);
      }
      const info = known?.info ?? stored?.info;
      if (!stored || !info || isExpired(info, nowMs / 1000)) {
        await this.#delete(id);
      }
    }
  }

  /** Renames the folder away, then removes it: of two instances removing one session, one renames, one skips. */
  async #delete(id: string): Promise<void> {
    this.#sessions.delete(id);
    this.#cache.delete(id);
    const removed = path.join(this.options.sessionsDir, `.removed-${id}-${randomUUID()}`);
    try {
      await fs.rename(this.#dirOf(id), removed);
    } catch {
      return; // Already removed, here or by another instance.
    }
    try {
      await fs.rm(removed, { recursive: true, force: true });
    } catch (error) {
      this.#logger.warn(`removing session ${id} failed: ${describeError(error)}`);
    }
  }

  #dirOf(id: string): string {
    return path.join(this.options.sessionsDir, id);
  }

  /** Reads `session.json` of every session folder left by a previous run; removes broken or expired ones. */
  async #restore(): Promise<void> {
    const entries = await fs.readdir(this.options.sessionsDir, { withFileTypes: true });
    const now = Date.now() / 1000;
    for (const entry of entries) {
      if (!entry.isDirectory() || !SESSION_ID.test(entry.name)) {
        continue;
      }
      try {
        const stored = JSON.parse(
          await fs.readFile(path.join(this.#dirOf(entry.name), META_FILE), 'utf8'),
        ) as StoredSession;
        if (stored.info.session_id === entry.name && !isExpired(stored.info, now)) {
          this.#sessions.set(entry.name, stored);
          continue;
        }
      } catch (error) {
        this.#logger.warn(`session folder ${entry.name} is unreadable, removing it: ${describeError(error)}`);
      }
      await this.#delete(entry.name);
    }
  }
}

function isExpired(info: SessionInfo, nowSec: number): boolean {
  return nowSec > info.last_access_ts + info.expiry;
}
