import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import {
  CancelledError,
  InvalidInputError,
  type Polygon,
  type VoxelArray,
  maskToPolygons,
  readNifti,
} from '@aiaa/core';
import { writeJson } from '../../common/http-reply';
import { InferenceOptions } from '../inference-options';
import { clientGoneSignal } from '../../upload/request-scope';
import { receiveImageRequest } from '../../upload/image-parts';

/** Voxels traced between two yields to the event loop (about 10 ms of work). */
const VOXELS_PER_YIELD = 1 << 20;

/**
 * {@link maskToPolygons} slice by slice, giving the event loop a turn every {@link VOXELS_PER_YIELD} voxels so that
 * a large mask (the client's test mask is 32 M voxels) does not stall other requests, and stopping when the client
 * goes away.
 */
async function traceSlices(
  voxels: VoxelArray,
  sizeX: number,
  sizeY: number,
  morePoints: number,
  signal: AbortSignal,
): Promise<Polygon[][]> {
  const sliceSize = sizeX * sizeY;
  const slices = sliceSize === 0 ? 0 : Math.floor(voxels.length / sliceSize);
  const result: Polygon[][] = [];
  let sinceYield = 0;
  for (let k = 0; k < slices; k++) {
    result.push(
      maskToPolygons(voxels.subarray(k * sliceSize, (k + 1) * sliceSize), sizeX, sizeY, { morePoints })[0] ?? [],
    );
    sinceYield += sliceSize;
    if (sinceYield >= VOXELS_PER_YIELD) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) {
        throw new CancelledError('mask2polygon cancelled by the client');
      }
    }
  }
  return result;
}

/** Most `more_points` accepted: 8 already keeps every pixel of an outline. */
const MAX_MORE_POINTS = 1000;

/** `POST /v1/mask2polygon`: a label mask in, its outlines per slice out, as plain JSON (AIAA-API §6). */
@Injectable()
export class MaskToPolygonService {
  constructor(@Inject(InferenceOptions) private readonly options: InferenceOptions) {}

  /**
   * @throws InvalidInputError naming the part or `params.more_points`; InvalidNiftiError; TooLargeError;
   *   CancelledError when the client goes away.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signal = clientGoneSignal(res);
    const request = await receiveImageRequest(req, this.options, signal);
    try {
      if (!request.file) {
        throw new InvalidInputError(`multipart file part 'datapoint' (or 'image') is required: the mask to outline`);
      }
      const morePoints = readMorePoints(request.params['more_points']);
      const mask = await readNifti(request.file.path, { maxBytes: this.options.maxImageBytes, signal });
      if (mask.channels !== 1) {
        throw new InvalidInputError(
          `multipart file part '${request.file.field}': expected a single-channel mask, got ${mask.channels} channels`,
        );
      }
      const [sizeX, sizeY] = mask.sizeIjk;
      const polygons = await traceSlices(mask.voxels, sizeX, sizeY, morePoints, signal);
      writeJson(res, 200, polygons);
    } finally {
      await request.remove();
    }
  }
}

/** `params.more_points`: absent → 0; otherwise a whole number in 0..1000. @throws InvalidInputError naming it. */
function readMorePoints(value: unknown): number {
  if (value === undefined || value === null) {
    return 0;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_MORE_POINTS) {
    throw new InvalidInputError(
      `params.more_points: expected a whole number from 0 to ${MAX_MORE_POINTS}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}
