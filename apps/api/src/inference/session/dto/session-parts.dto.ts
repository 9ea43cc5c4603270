import { namedSchema } from '../../../docs/named-schema';
import { imageParts } from '../../../upload/image-parts';

const SESSION_PARAMS = namedSchema('SessionParams', {
  type: 'object',
  additionalProperties: true,
  example: {},
  description: 'Sent as `{}` by the clients; nothing in it is read.',
});

/**
 * The parts of `PUT /session/`: one image, or the slices of a DICOM series, as AIAA's clients send them (`image`,
 * `image0..N`) or as MONAI Label's (`files`, with a `client_id` field). A JSON body `{"dicom": {...}}` (a series of
 * the PACS) is read by the session service before any part is; any other body that is not multipart is refused.
 */
export const SESSION_PARTS = imageParts({
  params: { schema: SESSION_PARAMS, description: 'JSON text, `{}` (optional).' },
  files: {
    image: 'A NIfTI image (`.nii`, `.nii.gz`), or one DICOM file; the Python client names the part `datapoint`.',
    image0: 'The first DICOM slice of a series; `image1`, `image2`, … follow, one part per slice.',
    files: "MONAI Label's form: one NIfTI image or DICOM file, or one DICOM slice per `files` part.",
  },
  otherFiles: ['files'],
  fields: { client_id: "MONAI Label's client id (read by nothing)." },
  series: true,
});
