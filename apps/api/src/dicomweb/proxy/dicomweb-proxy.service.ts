import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { AiaaError, InvalidInputError, TooLargeError, UnsupportedMediaError } from '@aiaa/core';
import { AppConfig } from '../../config/app-config';
import { DicomwebSource } from '../dicomweb-source';

/** The services a viewer reaches through `/proxy/dicom/{service}/…`; all three are the same DICOMweb root. */
export const PROXIED_SERVICES = ['qido', 'wado', 'stow'] as const;

/** One viewer request to relay. */
export interface ProxyRequest {
  readonly method: 'GET' | 'POST';
  readonly service: string;
  /** What follows `/proxy/dicom/<service>` in the request URL, as sent (still percent-encoded), query included. */
  readonly pathAndQuery: string;
  readonly headers: IncomingHttpHeaders;
  /** The request body (STOW-RS uploads). */
  readonly body?: AsyncIterable<Uint8Array>;
  /** Aborted when the viewer goes away. */
  readonly signal: AbortSignal;
}

/** The PACS' answer, to send on as it comes. */
export interface ProxyAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Counted: throws {@link ProxyTooLargeError} past the limit (the reply has started, so it is cut). */
  readonly body: AsyncIterable<Uint8Array> | undefined;
}

/** A PACS answer or a viewer's upload over the proxy's bound. */
export class ProxyTooLargeError extends TooLargeError {}

/** An unknown service under `/proxy/dicom`. */
export class ProxyServiceNotFoundError extends AiaaError {
  constructor(service: string) {
    super('not-found', `/proxy/dicom/${service}: no such DICOMweb service (${PROXIED_SERVICES.join(', ')})`);
  }
}

/** Request headers a DICOMweb request depends on; nothing else (cookies, the viewer's credentials) goes on. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'if-none-match', 'if-modified-since'] as const;
/** Answer headers passed back; Content-Length only when the body comes as the PACS sent it. */
const FORWARDED_ANSWER_HEADERS = ['content-type', 'etag', 'last-modified', 'cache-control', 'warning'] as const;

/**
 * `/proxy/dicom/{qido|wado|stow}/…`: relays a viewer's DICOMweb request to the PACS with this server's credentials,
 * so that OHIF needs one address (as MONAI Label's proxy does). Paths stay below the DICOMweb root (`.` and `..`
 * segments are refused, encoded or not); answers stream through, at most `--dicomweb_max_series_mb` each, uploads at
 * most `--max_upload_mb`.
 */
@Injectable()
export class DicomwebProxyService {
  constructor(
    @Inject(DicomwebSource) private readonly source: DicomwebSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * @throws ProxyServiceNotFoundError (404); InvalidInputError (400) for a path leaving the root;
   *   UnsupportedMediaError (415) for an upload that is not multipart/related; ProxyTooLargeError (413) for an
   *   answer announced over the bound; DicomwebNotConfiguredError (400); PacsUnavailableError (503).
   */
  async open(request: ProxyRequest): Promise<ProxyAnswer> {
    if (!(PROXIED_SERVICES as readonly string[]).includes(request.service)) {
      throw new ProxyServiceNotFoundError(request.service);
    }
    const pacs = this.source.require(`/proxy/dicom/${request.service}`);
    checkPath(request.service, request.pathAndQuery);
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') {
        headers[name] = value;
      }
    }
    const what = `${request.method} /proxy/dicom/${request.service}${request.pathAndQuery.split('?')[0] ?? ''}`;
    let body: ReadableStream<Uint8Array> | undefined;
    // fetch reports a failing body stream as a network failure: the upload's own error is kept here to be thrown.
    const overflow: { error?: Error } = {};
    if (request.method === 'POST') {
      body = this.#upload(request, headers, what, overflow);
    }
    let response: Response;
    try {
      response = await pacs.client.relay(request.pathAndQuery, {
        method: request.method,
        headers,
        ...(body ? { body } : {}),
        signal: request.signal,
        what,
      });
    } catch (error) {
      throw overflow.error ?? error;
    }
    const announced = Number(response.headers.get('content-length') ?? NaN);
    if (announced > pacs.maxSeriesBytes) {
      await response.body?.cancel();
      throw new ProxyTooLargeError(
        `${what}: the DICOMweb server announces ${announced} bytes, over the ${pacs.maxSeriesBytes}-byte limit ` +
          '(--dicomweb_max_series_mb)',
      );
    }
    const answerHeaders: Record<string, string> = {};
    for (const name of FORWARDED_ANSWER_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) {
        answerHeaders[name] = value;
      }
    }
    // fetch inflates an encoded body, so its length is only the PACS' when nothing was encoded.
    if (Number.isFinite(announced) && response.headers.get('content-encoding') === null) {
      answerHeaders['content-length'] = String(announced);
    }
    return {
      status: response.status,
      headers: answerHeaders,
      body: response.body
        ? counted(response.body, pacs.maxSeriesBytes, `${what}: the answer`, '--dicomweb_max_series_mb')
        : undefined,
    };
  }

  /** The STOW-RS body, counted against `--max_upload_mb` (a declared length over it is refused before any byte). */
  #upload(
    request: ProxyRequest,
    headers: Record<string, string>,
    what: string,
    overflow: { error?: Error },
  ): ReadableStream<Uint8Array> {
    if (!/^multipart\/related\b/i.test(headers['content-type'] ?? '')) {
      throw new UnsupportedMediaError(
        `${what}: STOW-RS through the proxy takes multipart/related, got '${headers['content-type'] ?? 'none'}'`,
      );
    }
    const limit = this.config.maxUploadBytes;
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (declared > limit) {
      throw new ProxyTooLargeError(`${what}: the upload of ${declared} bytes exceeds ${limit} (--max_upload_mb)`);
    }
    const upload = counted(
      request.body ?? Readable.from([]),
      limit,
      `${what}: the upload`,
      '--max_upload_mb',
      overflow,
    );
    return Readable.toWeb(Readable.from(upload)) as ReadableStream<Uint8Array>;
  }
}

/**
 * Refuses a path that would leave the DICOMweb root once the PACS resolves it: `.` or `..` segments, plain or
 * percent-encoded, and encoded slashes (which would hide them).
 * @throws InvalidInputError naming the segment.
 */
function checkPath(service: string, pathAndQuery: string): void {
  const path = pathAndQuery.split('?')[0] ?? '';
  if (!path.startsWith('/') || path === '/') {
    throw new InvalidInputError(`/proxy/dicom/${service}: name a DICOMweb resource below it, such as /studies`);
  }
  for (const segment of path.slice(1).split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new InvalidInputError(`/proxy/dicom/${service}${path}: malformed percent-encoding in '${segment}'`);
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) {
      throw new InvalidInputError(
        `/proxy/dicom/${service}${path}: the segment '${segment}' would leave the DICOMweb root`,
      );
    }
  }
}

/** The chunks of `body`, throwing (and keeping in `overflow`) once more than `maxBytes` have come. */
async function* counted(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  what: string,
  flag: string,
  overflow: { error?: Error } = {},
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      overflow.error = new ProxyTooLargeError(`${what} passed ${maxBytes} bytes (${flag}); it was cut`);
      throw overflow.error;
    }
    yield chunk;
  }
}
