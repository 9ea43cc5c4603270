import { CancelledError } from '../errors';
import { PacsRequestError, PacsUnavailableError, describeFetchFailure } from './dicomweb-errors';

/** Credentials sent to the DICOMweb server with every request. */
export type DicomwebAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

/** Where the DICOMweb server is and how to reach it. */
export interface DicomwebConnection {
  /** The service root, e.g. `http://pacs:8042/dicom-web` (QIDO, WADO and STOW paths are appended to it). */
  readonly url: string;
  readonly auth?: DicomwebAuth;
  /** How long to wait for the answer's headers, in ms (default 30 s); bodies are bounded by the caller's signal. */
  readonly headersTimeoutMs?: number;
}

const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
/** Most characters of an error body quoted in a message. */
const QUOTED_BODY_CHARS = 300;

/** One request to the DICOMweb server: `what` names it in errors ("QIDO-RS search for studies"). */
export interface DicomwebRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Bytes, or a stream sent as it comes (a relayed upload). */
  readonly body?: Uint8Array | ReadableStream<Uint8Array>;
  readonly signal?: AbortSignal;
  readonly what: string;
}

/**
 * Sends one request to the DICOMweb server and answers its response once the headers are in; statuses other than
 * 2xx (and those in `accept`, or any with `'any'`) become typed errors with the server's URL and a quote of its error
 * body.
 */
export async function dicomwebFetch(
  connection: DicomwebConnection,
  path: string,
  init: DicomwebRequest,
  accept: readonly number[] | 'any' = [],
): Promise<Response> {
  const url = `${connection.url.replace(/\/+$/, '')}${path}`;
  const headersTimeout = AbortSignal.timeout(connection.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  init.signal?.addEventListener('abort', abort, { once: true });
  headersTimeout.addEventListener('abort', abort, { once: true });
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...init.headers, ...authorization(connection.auth) },
      // A stream goes out as it is read (`duplex: 'half'` is how fetch is told so).
      ...(init.body ? { body: init.body, ...(init.body instanceof Uint8Array ? {} : { duplex: 'half' }) } : {}),
      signal: controller.signal,
    } as RequestInit);
  } catch (error) {
    if (init.signal?.aborted) {
      throw init.signal.reason instanceof Error ? init.signal.reason : new CancelledError(`${init.what}: cancelled`);
    }
    const detail = headersTimeout.aborted
      ? `no answer to ${init.what} within ${connection.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS} ms`
      : `${init.what} failed: ${describeFetchFailure(error)}`;
    throw new PacsUnavailableError(connection.url, detail, { cause: error });
  } finally {
    headersTimeout.removeEventListener('abort', abort);
  }
  // From here only the caller's signal aborts (the body read); the headers timeout no longer applies.
  if (response.ok || accept === 'any' || accept.includes(response.status)) {
    return response;
  }
  throw await statusError(connection.url, response, init.what);
}

/** The typed error of a non-2xx answer: 404 → not-found, 400 → invalid-input, 413 → too-large, else unavailable. */
async function statusError(pacsUrl: string, response: Response, what: string): Promise<Error> {
  const quoted = await quoteBody(response);
  const status = `${response.status} ${response.statusText}`.trim();
  switch (response.status) {
    case 404:
      return new PacsRequestError('not-found', pacsUrl, 404, `${what}: not found on DICOMweb server ${pacsUrl}`);
    case 400:
      return new PacsRequestError('invalid-input', pacsUrl, 400, `${what}: ${pacsUrl} answered ${status}${quoted}`);
    case 413:
      return new PacsRequestError('too-large', pacsUrl, 413, `${what}: ${pacsUrl} answered ${status}${quoted}`);
    case 401:
    case 403:
      return new PacsUnavailableError(pacsUrl, `${what}: ${status}; check the DICOMweb credentials${quoted}`);
    default:
      return new PacsUnavailableError(pacsUrl, `${what}: answered ${status}${quoted}`);
  }
}

async function quoteBody(response: Response): Promise<string> {
  try {
    const text = (await response.text()).replace(/\s+/g, ' ').trim();
    return text ? ` (${text.slice(0, QUOTED_BODY_CHARS)})` : '';
  } catch {
    return '';
  }
}

function authorization(auth: DicomwebAuth | undefined): Record<string, string> {
  if (!auth) {
    return {};
  }
  switch (auth.kind) {
    case 'basic':
      return {
        Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`,
      };
    case 'bearer':
      return { Authorization: `Bearer ${auth.token}` };
  }
}
