import { Inject, Injectable } from '@nestjs/common';
import { InvalidInputError, readNifti, traceMaskSlices } from '@aiaa/core';
import type { RouteResult } from '../../common/http-reply';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { InferenceOptions } from '../inference-options';

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
  async outline(upload: PendingUpload): Promise<RouteResult> {
    const signal = upload.signal;
    const parts = await upload.receive();
    const params = parseParams(parts.fields.get('params'));
    const file = parts.requireFile(`multipart file part 'datapoint' (or 'image') is required: the mask to outline`);
    const morePoints = readMorePoints(params['more_points']);
    const mask = await readNifti(file.path, { maxBytes: this.options.maxImageBytes, signal });
    if (mask.channels !== 1) {
      throw new InvalidInputError(
        `multipart file part '${file.field}': expected a single-channel mask, got ${mask.channels} channels`,
      );
    }
    const [sizeX, sizeY] = mask.sizeIjk;
    return { json: await traceMaskSlices(mask.voxels, sizeX, sizeY, morePoints, signal) };
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
