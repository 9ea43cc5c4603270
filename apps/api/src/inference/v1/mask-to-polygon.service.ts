import { Inject, Injectable } from '@nestjs/common';
import { AllocationBudget, InvalidInputError, readNifti, traceMaskSlices } from '@aiaa/core';
import type { RouteResult } from '../../common/http-reply';
import { parseParams } from '../../upload/image-parts';
import type { PendingUpload } from '../../upload/pending-upload';
import { clientBaseName } from '../../upload/upload-policy';
import { InferenceOptions } from '../inference-options';
import { readMorePoints } from './dto/mask-to-polygon-parts.dto';

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
    const mask = await readNifti(file.path, {
      maxBytes: this.options.maxReadBytes,
      signal,
      source: clientBaseName(file),
    });
    if (mask.channels !== 1) {
      throw new InvalidInputError(
        `multipart file part '${file.field}': expected a single-channel mask, got ${mask.channels} channels`,
      );
    }
    const budget = new AllocationBudget(this.options.requestBudget, () => mask.voxels.byteLength);
    return { json: await traceMaskSlices(mask.voxels, mask.sizeIjk, morePoints, signal, budget) };
  }
}
