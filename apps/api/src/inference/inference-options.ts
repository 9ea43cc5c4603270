import { join } from 'node:path';
import type { AllocationBudgetSpec } from '@aiaa/core';

/** Limits and folders of the inference endpoints and sessions; built once at boot by {@link InferenceModule}. */
export class InferenceOptions {
  /** The server workspace (`<ws>`); sessions live in `<ws>/sessions/<id>/`, uploads in `<ws>/sessions/tmp/`. */
  workspaceDir = join(process.cwd(), 'workspace');
  /** This instance among several sharing the workspace (`--instance_id`); undefined when it is alone. */
  instanceId: string | undefined = undefined;
  /** Largest accepted file part, in bytes (413 above it). */
  maxUploadBytes = 1024 ** 3;
  /** Largest decoded voxel payload of an image, in bytes (a header asking for more is refused with 413). */
  maxImageBytes = 2 * 1024 ** 3;
  /** Most bytes of arrays one request may hold at once (`--request_budget_mb`; 413 past it). */
  requestBudgetBytes = 4 * 1024 ** 3;
  /** Largest accepted text part (`params`), in bytes (413 above it). */
  maxFieldBytes = 16 * 1024 ** 2;
  /** Most file parts in one request (DICOM series upload as `image0..N`). */
  maxFiles = 1000;
  /** Most sessions alive at once; creating one more answers 503. */
  maxSessions = 100;
  /** Most sessions one client may hold; one more answers 429 (`--sessions_per_client`). */
  sessionsPerClient = 10;
  /** Most bytes stored by all sessions together; creating one past it answers 503. */
  maxSessionBytes = 20 * 1024 ** 3;
  /** Expiry of a session created with `expiry=0` or none, in seconds. */
  defaultSessionExpirySec = 3600;
  /** Upper bound of a requested session expiry, in seconds (AIAA: min(server max, requested)). */
  maxSessionExpirySec = 24 * 3600;
  /** Decoded session images kept in memory for repeated requests (entries, and bytes of voxels). */
  sessionImageCacheEntries = 4;
  sessionImageCacheBytes = 2 * 1024 ** 3;
  /** Longest one inference may run, in ms, before it is abandoned with a TimeoutError (504); 0: no limit. */
  requestTimeoutMs = 600_000;
  /** How often expired sessions are deleted, in seconds. */
  sessionSweepSec = 60;

  constructor(init: Partial<InferenceOptions> = {}) {
    Object.assign(this, init);
  }

  /** The allocation budget of one request (`TransformContext.budget`). */
  get requestBudget(): AllocationBudgetSpec {
    return { limitBytes: this.requestBudgetBytes, hint: '--request_budget_mb' };
  }

  /** Most bytes one client's sessions may hold: its share of the storage (as its sessions are of all sessions). */
  get sessionBytesPerClient(): number {
    return Math.floor(this.maxSessionBytes * Math.min(1, this.sessionsPerClient / this.maxSessions));
  }

  /** The decoded size an image may have: the image limit, within the request's budget. */
  get maxReadBytes(): number {
    return Math.min(this.maxImageBytes, this.requestBudgetBytes);
  }

  get sessionsDir(): string {
    return join(this.workspaceDir, 'sessions');
  }

  /**
   * Per-request upload folders; on the sessions' filesystem so a session is created by a rename. Each instance sharing
   * the workspace has its own (`tmp/<instance>`), emptied at its start.
   */
  get uploadsDir(): string {
    return this.instanceId === undefined
      ? join(this.sessionsDir, 'tmp')
      : join(this.sessionsDir, 'tmp', this.instanceId);
  }
}
