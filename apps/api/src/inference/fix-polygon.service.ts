import * as fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, TooLargeError, readNifti, writeNifti } from '@aiaa/core';
import { encodeGreyPng, isPng, readPngSize } from './grey-png';
import { InferenceOptions } from './inference-options';
import { sendInferenceReply } from './multipart-reply';
import { readFixPolygonParams } from './fix-polygon-params';
import { paintPolygons } from './polygon-raster';
import { moveVertex, moveVertexAcrossSlices } from './polygon-vertex-move';
import { clientGoneSignal } from './request-scope';
import { receiveImageRequest } from './upload/image-request';
import type { UploadedFile } from './upload/multipart-upload';

/** Bytes read to recognise a PNG and find its IHDR chunk (signature 8 + chunk head 8 + width and height 8). */
const PNG_HEAD_BYTES = 24;

/**
 * `POST /v1/fixpolygon` (AIAA-API §6): moves one polygon vertex, drags its neighbours along (and, in 3-D, the same
 * polygon on nearby slices), then paints the polygons into a mask on the reference image's grid. Replies multipart:
 * `params` = `{"poly": <the updated polygons>}` and the mask (`result.png` for 2-D, `result.nii.gz` for 3-D).
 */
@Injectable()
export class FixPolygonService {
  constructor(@Inject(InferenceOptions) private readonly options: InferenceOptions) {}

  /**
   * @throws InvalidInputError naming the part or `params.<field>`; InvalidNiftiError; TooLargeError;
   *   CancelledError when the client goes away.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signal = clientGoneSignal(res);
    const started = performance.now();
    const request = await receiveImageRequest(req, this.options, signal);
    try {
      if (!request.file) {
        throw new InvalidInputError(
          `multipart file part 'datapoint' (or 'image') is required: the image whose grid the mask takes`,
        );
      }
      const params = readFixPolygonParams(request.params);
      let json: Record<string, unknown>;
      let file: string;
      if (params.dimension === 2) {
        const { width, height } = await this.planeSize(request.file, signal);
        const polygons = params.polygons.map((polygon, p) =>
          p === params.polygonIndex
            ? moveVertex(polygon, params.vertexIndex, params.offset, params.neighbours)
            : polygon,
        );
        const pixels = new Uint8Array(width * height);
        paintPolygons(polygons, pixels, width, height);
        file = path.join(request.dir, 'result.png');
        await fs.writeFile(file, encodeGreyPng(pixels, width, height));
        json = { poly: polygons };
      } else {
        const image = await readNifti(request.file.path, {
          maxBytes: this.options.maxImageBytes,
          signal,
          source: request.file.filename,
        });
        const [sizeX, sizeY, sizeZ] = image.sizeIjk;
        if (params.polygonsBySlice.length > sizeZ) {
          throw new InvalidInputError(
            `params.poly: ${params.polygonsBySlice.length} slices, but the image has ${sizeZ} (dim[3])`,
          );
        }
        const polygonsBySlice = moveVertexAcrossSlices(
          params.polygonsBySlice,
          params,
          params.offset,
          params.neighbours,
          params.slices,
        );
        const sliceSize = sizeX * sizeY;
        const mask = new Uint8Array(sliceSize * sizeZ);
        polygonsBySlice.forEach((polygons, k) =>
          paintPolygons(polygons, mask.subarray(k * sliceSize, (k + 1) * sliceSize), sizeX, sizeY),
        );
        file = path.join(request.dir, 'result.nii.gz');
        await writeNifti(file, image.with({ voxels: mask, shape: [sizeZ, sizeY, sizeX], shapeFormat: 'DHW' }));
        json = { poly: polygonsBySlice };
      }
      await sendInferenceReply(res, { json, file, timingsMs: { total: performance.now() - started } }, 'all');
    } finally {
      await request.remove();
    }
  }

  /**
   * Width (x) and height (y) of a 2-D reference: a PNG's IHDR (pixels are not decoded), or a NIfTI with one slice.
   * @throws InvalidInputError for a NIfTI with more slices; TooLargeError past the image size limit.
   */
  private async planeSize(file: UploadedFile, signal: AbortSignal): Promise<{ width: number; height: number }> {
    const handle = await fs.open(file.path, 'r');
    const head = new Uint8Array(PNG_HEAD_BYTES);
    let read: number;
    try {
      ({ bytesRead: read } = await handle.read(head, 0, PNG_HEAD_BYTES, 0));
    } finally {
      await handle.close();
    }
    if (isPng(head.subarray(0, read))) {
      const size = readPngSize(head.subarray(0, read), file.filename);
      if (size.width * size.height > this.options.maxImageBytes) {
        throw new TooLargeError(
          `${file.filename}: ${size.width}×${size.height} pixels exceed the limit of ${this.options.maxImageBytes}`,
        );
      }
      return size;
    }
    const image = await readNifti(file.path, { maxBytes: this.options.maxImageBytes, signal, source: file.filename });
    const [width, height, depth] = image.sizeIjk;
    if (depth !== 1) {
      throw new InvalidInputError(
        `${file.filename}: dimension 2 needs a PNG or a single-slice NIfTI, got ${depth} slices (send dimension 3)`,
      );
    }
    return { width, height };
  }
}
