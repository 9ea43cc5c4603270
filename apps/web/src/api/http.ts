import type { ErrorReply } from './types';

/** A failed request: the HTTP status (0 when the server did not answer) and the server's own words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** "400 Bad Request: config: not valid JSON …" as shown on the page. */
  describe(): string {
    return this.status === 0 ? this.message : `HTTP ${this.status}: ${this.message}`;
  }
}

/** Bytes moved so far and the total when known. */
export interface Progress {
  readonly loaded: number;
  readonly total?: number;
}

export interface RequestOptions {
  readonly method?: string;
  readonly body?: XMLHttpRequestBodyInit;
  readonly headers?: Readonly<Record<string, string>>;
  readonly onUpload?: (progress: Progress) => void;
  readonly onDownload?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
}

/** A reply with status 200–299: its bytes and headers. */
export interface RawReply {
  readonly status: number;
  readonly body: ArrayBuffer;
  header(name: string): string | null;
}

/**
 * One request through XMLHttpRequest, which (unlike fetch) reports upload progress. Resolves on 2xx; rejects with an
 * {@link ApiError} carrying the server's `message` on any other status, and on network failure or abort.
 */
export function request(url: string, options: RequestOptions = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.method ?? 'GET', url);
    xhr.responseType = 'arraybuffer';
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      xhr.setRequestHeader(name, value);
    }
    const progress = (e: ProgressEvent): Progress => ({
      loaded: e.loaded,
      total: e.lengthComputable ? e.total : undefined,
    });
    if (options.onUpload) {
      const onUpload = options.onUpload;
      xhr.upload.onprogress = (e) => onUpload(progress(e));
    }
    if (options.onDownload) {
      const onDownload = options.onDownload;
      xhr.onprogress = (e) => onDownload(progress(e));
    }
    const onAbort = (): void => xhr.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    xhr.onloadend = () => options.signal?.removeEventListener('abort', onAbort);
    xhr.onabort = () => reject(new ApiError(0, `${describeRequest(options, url)} was cancelled`));
    xhr.onerror = () => reject(new ApiError(0, `${describeRequest(options, url)}: the server did not answer`));
    xhr.onload = () => {
      const body = xhr.response as ArrayBuffer;
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ status: xhr.status, body, header: (name) => xhr.getResponseHeader(name) });
      } else {
        reject(errorOf(xhr.status, xhr.statusText, xhr.getResponseHeader('Content-Type'), body));
      }
    };
    xhr.send(options.body ?? null);
  });
}

/** A JSON GET (or other method with a JSON reply). */
export async function requestJson<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const reply = await request(url, options);
  return JSON.parse(new TextDecoder().decode(reply.body)) as T;
}

/** The error of a non-2xx reply, worded as the server worded it. */
export function errorOf(status: number, statusText: string, contentType: string | null, body: ArrayBuffer): ApiError {
  const text = new TextDecoder().decode(body).trim();
  if (contentType?.includes('json')) {
    try {
      const reply = JSON.parse(text) as Partial<ErrorReply>;
      if (typeof reply.message === 'string') {
        return new ApiError(status, reply.message, reply.kind);
      }
    } catch {
      // Not the server's error shape: the raw text below says what came back.
    }
  }
  return new ApiError(status, text === '' ? statusText || 'no message' : text);
}

function describeRequest(options: RequestOptions, url: string): string {
  return `${options.method ?? 'GET'} ${url.replace(/\?.*$/, '')}`;
}
