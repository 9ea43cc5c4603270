import type { ServerResponse } from 'node:http';

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
