/** The shapes this page reads from the server's JSON replies (see the OpenAPI document at `/docs`). */

/** One `GET /v1/models` entry; models served by Triton add `triton`. */
export interface ModelInfo {
  readonly name: string;
  readonly type: string;
  readonly labels: readonly string[];
  readonly description: string;
  /** The config's own version, as a string (AIAA's contract). */
  readonly version: string;
  /** The registry's version that serves (`PUT /admin/model/{name}/active` switches it). */
  readonly active_version?: number;
  readonly triton?: { readonly state: string; readonly reason?: string };
  readonly deepgrow?: string;
}

/** `GET /health`. */
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly engine: string;
  readonly triton?: {
    readonly address: string;
    readonly live: boolean;
    readonly ready: boolean;
    readonly detail?: string;
  };
}

/** One `GET /admin/model` entry. */
export interface AdminModel {
  readonly name: string;
  readonly type: string;
  readonly version: string;
  /** The registry's version that serves, and every kept one. */
  readonly activeVersion?: number;
  readonly versions?: readonly number[];
  readonly engine: string;
  readonly sizeBytes: number;
  readonly updatedAt: string;
  readonly loaded: boolean;
}

/** One `GET /samples` entry. */
export interface SampleInfo {
  readonly name: string;
  readonly bytes: number;
}

/** `PUT /session/`. */
export interface SessionReply {
  readonly session_id: string;
}

/** The body of every error reply: `message` says what, where, expected versus got. */
export interface ErrorReply {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly kind?: string;
}
