import * as dicomParser from 'dicom-parser';
import { UnsupportedMediaError } from '../errors';
import { EXPLICIT_VR_LITTLE_ENDIAN, NATIVE_TRANSFER_SYNTAXES, describeTransferSyntax } from '../dicom/transfer-syntax';
import { PacsUnavailableError, SeriesTooLargeError } from './dicomweb-errors';
import { type DicomwebConnection, dicomwebFetch } from './dicomweb-http';
import { type MultipartPart, MultipartSyntaxError, boundaryOf, readMultipartParts } from './multipart-related';

/** Limits and cancellation of a series retrieval. */
export interface RetrieveSeriesOptions {
  /** Most bytes read from the PACS for the whole series; the download stops past it (SeriesTooLargeError). */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

/** One instance of a retrieved series: its DICOM Part 10 bytes, in an uncompressed transfer syntax. */
export interface RetrievedInstance {
  readonly bytes: Uint8Array;
  readonly transferSyntaxUid: string;
}

/**
 * Statuses by which a PACS says it cannot send the syntax asked for (406, 415) or fails trying to transcode (500,
 * 501, as Orthanc does for a syntax it cannot decode): the series is then asked for as stored.
 */
const SYNTAX_REFUSALS = [406, 415, 500, 501];

const accept = (syntax: string): string => `multipart/related; type="application/dicom"; transfer-syntax=${syntax}`;

/**
 * Retrieves a series with WADO-RS as uncompressed Part 10 instances, yielding each as soon as it has arrived.
 *
 * Explicit VR little endian is asked for. A PACS that refuses (or fails transcoding) is asked again for the series
 * as stored (`transfer-syntax=*`), which is fine when that is uncompressed. Bytes are counted as they arrive; a
 * Content-Length over the limit stops before reading any.
 *
 * @throws UnsupportedMediaError naming the compressed transfer syntax the PACS sent or could only send;
 *   SeriesTooLargeError past `maxBytes`; PacsUnavailableError (unreachable, 5xx, malformed multipart) and
 *   PacsRequestError (404 …) from the request.
 */
export async function* retrieveSeries(
  connection: DicomwebConnection,
  studyUid: string,
  seriesUid: string,
  options: RetrieveSeriesOptions,
): AsyncGenerator<RetrievedInstance> {
  const path = `/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}`;
  const what = `WADO-RS retrieve of series ${seriesUid}`;
  const signal = options.signal;
  let response = await dicomwebFetch(
    connection,
    path,
    { headers: { Accept: accept(EXPLICIT_VR_LITTLE_ENDIAN) }, what, ...(signal ? { signal } : {}) },
    SYNTAX_REFUSALS,
  );
  let refusal: string | undefined;
  if (!response.ok) {
    refusal = `${response.status} ${response.statusText}`.trim();
    await response.body?.cancel();
    response = await dicomwebFetch(connection, path, {
      headers: { Accept: accept('*') },
      what: `${what} (as stored, after ${refusal} to explicit VR little endian)`,
      ...(signal ? { signal } : {}),
    });
  }
  const announced = Number(response.headers.get('content-length') ?? NaN);
  if (announced > options.maxBytes) {
    await response.body?.cancel();
    throw new SeriesTooLargeError(seriesUid, options.maxBytes, 0, `the PACS announces ${announced} bytes`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  const boundary = boundaryOf(contentType);
  if (!response.body || !/^multipart\/related/i.test(contentType) || !boundary) {
    await response.body?.cancel();
    throw new PacsUnavailableError(connection.url, `${what}: answered '${contentType}', not multipart/related`);
  }
  let index = 0;
  try {
    for await (const part of readMultipartParts(countBytes(response.body, seriesUid, options.maxBytes), boundary)) {
      index++;
      const transferSyntaxUid = transferSyntaxOf(part, connection.url, `${what}: part ${index}`);
      if (!NATIVE_TRANSFER_SYNTAXES.has(transferSyntaxUid)) {
        throw new UnsupportedMediaError(
          `DICOMweb series ${seriesUid}: instance ${index} came as ${describeTransferSyntax(transferSyntaxUid)}` +
            (refusal
              ? `: the PACS could not send it as explicit VR little endian (${EXPLICIT_VR_LITTLE_ENDIAN}; it answered ${refusal})`
              : ' although explicit VR little endian was asked for') +
            '; only uncompressed transfer syntaxes are read',
        );
      }
      yield { bytes: part.body, transferSyntaxUid };
    }
  } catch (error) {
    if (error instanceof MultipartSyntaxError) {
      throw new PacsUnavailableError(connection.url, `${what}: malformed multipart reply: ${error.message}`);
    }
    if (signal?.aborted && signal.reason instanceof Error) {
      throw signal.reason;
    }
    throw error;
  }
}

/** The body's chunks, counted: throws once more than `maxBytes` have arrived (the body is then cancelled). */
async function* countBytes(
  body: AsyncIterable<Uint8Array>,
  seriesUid: string,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  for await (const chunk of body) {
    received += chunk.length;
    if (received > maxBytes) {
      throw new SeriesTooLargeError(seriesUid, maxBytes, received, `${received} bytes received`);
    }
    yield chunk;
  }
}

/** The part's transfer syntax: its Part 10 meta header's (0002,0010), which says what the bytes are. */
function transferSyntaxOf(part: MultipartPart, pacsUrl: string, where: string): string {
  let syntax: string | undefined;
  try {
    syntax = dicomParser.readPart10Header(part.body).string('x00020010');
  } catch {
    syntax = undefined;
  }
  if (!syntax) {
    throw new PacsUnavailableError(
      pacsUrl,
      `${where} (${part.headers['content-type'] ?? 'no Content-Type'}) is not a DICOM Part 10 file with a transfer syntax`,
    );
  }
  return syntax;
}
