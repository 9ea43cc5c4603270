import { ApiError, request, requestJson, type Progress } from './http';
import { readInferenceReply, type InferenceResult } from './inference-reply';
import type { AdminModel, HealthReport, ModelInfo, SampleInfo, SessionReply } from './types';

/** The inference endpoints (`/v1/<endpoint>`). */
export type InferenceEndpoint = 'segmentation' | 'dextr3d' | 'deepgrow' | 'inference';

/** One inference request, on an uploaded session. */
export interface InferenceRequest {
  readonly endpoint: InferenceEndpoint;
  readonly model: string;
  readonly sessionId: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly onDownload?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
}

/** Parts of a model upload (`PUT /admin/model/{name}`): config + model file, a zip bundle, or a config alone. */
export interface ModelUpload {
  readonly name: string;
  readonly config?: File;
  readonly data?: File;
  readonly native: boolean;
  readonly onUpload?: (progress: Progress) => void;
}

/** The server's HTTP API as this page uses it; the admin token (if any) goes on `/admin/*` calls only. */
export class AiaaApi {
  #adminToken: string | undefined;

  constructor(private readonly base = '') {}

  set adminToken(token: string | undefined) {
    this.#adminToken = token === '' ? undefined : token;
  }

  get adminToken(): string | undefined {
    return this.#adminToken;
  }

  health(): Promise<HealthReport> {
    return requestJson(`${this.base}/health`);
  }

  models(): Promise<ModelInfo[]> {
    return requestJson(`${this.base}/v1/models`);
  }

  samples(): Promise<SampleInfo[]> {
    return requestJson(`${this.base}/samples`);
  }

  async sample(name: string, onDownload?: (progress: Progress) => void): Promise<Blob> {
    const reply = await request(`${this.base}/samples/${encodeURIComponent(name)}`, { onDownload });
    return new Blob([reply.body]);
  }

  /** Uploads the image once; every click then runs on `session_id`. */
  async createSession(image: Blob, filename: string, onUpload?: (progress: Progress) => void): Promise<string> {
    const form = new FormData();
    form.append('image', image, filename);
    const reply = await requestJson<SessionReply>(`${this.base}/session/?expiry=3600`, {
      method: 'PUT',
      body: form,
      onUpload,
    });
    return reply.session_id;
  }

  /** Runs a model on a session; 440 (an expired session) rejects as an ApiError with status 440. */
  async infer(req: InferenceRequest): Promise<InferenceResult> {
    const form = new FormData();
    form.append('params', JSON.stringify(req.params));
    const query = new URLSearchParams({ model: req.model, session_id: req.sessionId });
    const reply = await request(`${this.base}/v1/${req.endpoint}?${query}`, {
      method: 'POST',
      body: form,
      onDownload: req.onDownload,
      signal: req.signal,
    });
    return readInferenceReply(reply);
  }

  /** The registered models; rejects with 403 when this client may not administer the server. */
  adminModels(): Promise<AdminModel[]> {
    return requestJson(`${this.base}/admin/model`, { headers: this.#adminHeaders() });
  }

  putModel(upload: ModelUpload): Promise<AdminModel> {
    const form = new FormData();
    if (upload.config) {
      form.append('config', upload.config, upload.config.name);
    }
    if (upload.data) {
      form.append('data', upload.data, upload.data.name);
    }
    const query = upload.native ? '?native=true' : '';
    return requestJson(`${this.base}/admin/model/${encodeURIComponent(upload.name)}${query}`, {
      method: 'PUT',
      body: form,
      headers: this.#adminHeaders(),
      onUpload: upload.onUpload,
    });
  }

  deleteModel(name: string): Promise<AdminModel> {
    return requestJson(`${this.base}/admin/model/${encodeURIComponent(name)}`, {
      method: 'DELETE',
      headers: this.#adminHeaders(),
    });
  }

  /** `GET /admin/model/{name}/versions` as the server answers it (see model-versions.ts for the shapes read). */
  versions(name: string): Promise<unknown> {
    return requestJson(`${this.base}/admin/model/${encodeURIComponent(name)}/versions`, {
      headers: this.#adminHeaders(),
    });
  }

  activateVersion(name: string, version: number): Promise<unknown> {
    return requestJson(`${this.base}/admin/model/${encodeURIComponent(name)}/active`, {
      method: 'PUT',
      body: JSON.stringify({ version }),
      headers: { ...this.#adminHeaders(), 'Content-Type': 'application/json' },
    });
  }

  /**
   * The paths of the server's OpenAPI document: the page asks for a route (model versions) only when the server
   * documents it, instead of probing and logging a 404 in the browser console.
   */
  async documentedPaths(): Promise<Set<string>> {
    try {
      const doc = await requestJson<{ paths?: Record<string, unknown> }>(`${this.base}/docs-json`);
      return new Set(Object.keys(doc.paths ?? {}));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        return new Set();
      }
      throw error;
    }
  }

  #adminHeaders(): Record<string, string> {
    return this.#adminToken === undefined ? {} : { Authorization: `Bearer ${this.#adminToken}` };
  }
}
