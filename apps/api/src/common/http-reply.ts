import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CancelledError } from '@aiaa/core';
import { knownExtension } from '../upload/receive-multipart';

/**
 * Writes a whole JSON reply with `Content-Type` and `Content-Length` (never chunked): the official Python client
 * parses replies from the raw socket and breaks on chunked bodies (AIAA-API §6).
 */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  writeBody(res, status, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(body), 'utf8'));
}

/** Writes a whole text reply with `Content-Type` and `Content-Length`. */
export function writeText(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  writeBody(res, status, `${contentType}; charset=utf-8`, Buffer.from(text, 'utf8'));
}

function writeBody(res: ServerResponse, status: number, contentType: string, body: Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** What `?output=` asks for: `image` = the result file alone, `json` = the params alone, `all` (default) = both. */
export type OutputMode = 'all' | 'image' | 'json';

/** What a route's service returns: the reply's content, which {@link sendResult} writes. */
export interface RouteResult {
  /** The JSON result (a writer's `json`, the polygons), sent as the `params` part or as the whole body. */
  readonly json: unknown;
  /** A result file (in the request's temp folder, or a stored file); absent for JSON-only replies (mask2polygon). */
  readonly file?: string;
  /** The name the file is sent under; default {@link resultFileName} (`result.nii.gz`). */
  readonly fileName?: string;
  /** The file's Content-Type; default `application/octet-stream` (a DICOM SEG is `application/dicom`). */
  readonly fileType?: string;
  /** Milliseconds per stage, sent as `Server-Timing` (routes that never sent one give none). */
  readonly timingsMs?: Readonly<Record<string, number>>;
  /** True when the model's `cache_until` snapshot of the session image was used (`Server-Timing: cache;desc=hit`). */
  readonly cacheHit?: boolean;
}

/** The file name the image part carries: `result` plus the written file's extension (`result.nii.gz`). */
export function resultFileName(file: string): string {
  return `result${knownExtension(path.basename(file)) || path.extname(file)}`;
}

/**
 * `Server-Timing` value: `load;dur=12.3, infer;dur=80.1` (metric names reduced to HTTP tokens), then `cache;desc=hit`
 * when the pre-transforms up to `cache_until` were skipped.
 */
export function serverTiming(timingsMs: Readonly<Record<string, number>>, cacheHit = false): string {
  const metrics = Object.entries(timingsMs).map(
    ([name, ms]) => `${name.replace(/[^A-Za-z0-9!#$%&'*+.^_`|~-]/g, '_')};dur=${Math.round(ms * 10) / 10}`,
  );
  return [...metrics, ...(cacheHit ? ['cache;desc=hit'] : [])].join(', ');
}

/**
 * Sends a route's result the way AIAA does (AIAA-API §1, §6): a `multipart/form-data` body with a `params` text
 * part (the JSON) and an `image` file part (`filename="result.nii.gz"`, `application/octet-stream`); only the file
 * with `output=image`; plain JSON when there is no file or with `output=json`. Every reply carries `Content-Length`
 * and is never chunked, because the Python client parses it with `cgi.FieldStorage`. Status is exactly 200.
 */
export async function sendResult(res: ServerResponse, reply: RouteResult, output: OutputMode = 'all'): Promise<void> {
  if (reply.timingsMs) {
    res.setHeader('Server-Timing', serverTiming(reply.timingsMs, reply.cacheHit));
  }
  if (reply.file === undefined || output === 'json') {
    writeJson(res, 200, reply.json);
    return;
  }
  const fileBytes = (await fs.promises.stat(reply.file)).size;
  const name = reply.fileName ?? resultFileName(reply.file);
  if (output === 'image') {
    res.statusCode = 200;
    res.setHeader('Content-Type', reply.fileType ?? 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Content-Length', fileBytes);
    await streamTo(res, reply.file, fileBytes, { end: true });
    return;
  }
  const boundary = `aiaa-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      // No Content-Type on the text part: like a browser form field, which every client reads as a plain field.
      'Content-Disposition: form-data; name="params"\r\n\r\n' +
      `${JSON.stringify(reply.json)}\r\n` +
      `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="image"; filename="${name}"\r\n` +
      `Content-Type: ${reply.fileType ?? 'application/octet-stream'}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  res.statusCode = 200;
  res.setHeader('Content-Type', `multipart/form-data; boundary=${boundary}`);
  res.setHeader('Content-Length', head.length + fileBytes + tail.length);
  res.write(head);
  await streamTo(res, reply.file, fileBytes, { end: false });
  if (!res.destroyed) {
    res.end(tail);
  }
}

/**
 * Pipes a file of `bytes` bytes into the reply. A client that closes the connection once every byte was handed to it
 * (before Node saw the reply finish) is no failure; one that closes before is a cancellation (logged as such, never
 * as an error).
 */
async function streamTo(res: ServerResponse, path: string, bytes: number, options: { end: boolean }): Promise<void> {
  const file = fs.createReadStream(path);
  try {
    await pipeline(file, res, options);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      throw error;
    }
    if (file.bytesRead < bytes) {
      throw new CancelledError('the client closed the connection before the reply ended');
    }
  }
}
