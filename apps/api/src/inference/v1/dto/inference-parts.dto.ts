import { imageParts } from '../../../upload/image-parts';
import type { InferenceKind } from '../inference.service';
import { inferenceParamsSchema } from './inference-params.dto';

const DATAPOINT =
  'The image (NIfTI, `.nii` or `.nii.gz`); the C++ client and OHIF name the part `image`. Omit it with `session_id`.';

/** The multipart request body of `POST /v1/<kind>`, as the official clients send it. */
export function inferenceParts(kind: InferenceKind): ReturnType<typeof imageParts> {
  return imageParts({
    params: {
      schema: inferenceParamsSchema(kind),
      description: 'The request params, JSON text (absent: `{}`).',
      required: kind === 'dextr3d' || kind === 'deepgrow',
    },
    files: { datapoint: DATAPOINT },
  });
}
