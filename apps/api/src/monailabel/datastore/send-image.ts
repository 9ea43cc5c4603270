import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encodeNiftiParts } from '@aiaa/core';
import { sendResult } from '../../common/http-reply';
import type { OpenedImage } from './datastore';

/** Written in slices so that the socket's backpressure, not one huge write, paces a 500 MB volume. */
const SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Sends an image for download (`Content-Disposition` names it `<id><extension>`): a stored file as it is, or a PACS
 * series' volume as an uncompressed NIfTI written straight from memory (its header, then views of the voxels: no copy,
 * no gzip on the event loop), with its Content-Length.
 */
export async function sendImage(res: ServerResponse, opened: OpenedImage): Promise<void> {
  if (opened.kind === 'file') {
    await sendResult(res, { json: {}, file: opened.path, fileName: opened.name }, 'image');
    return;
  }
  const { header, voxels } = encodeNiftiParts(opened.image);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Disposition', `attachment; filename="${opened.name}"`);
  res.setHeader('Content-Length', header.length + voxels.length);
  function* parts(): Generator<Uint8Array> {
    yield header;
    for (let at = 0; at < voxels.length; at += SLICE_BYTES) {
      yield voxels.subarray(at, at + SLICE_BYTES);
    }
  }
  await pipeline(Readable.from(parts()), res);
}
