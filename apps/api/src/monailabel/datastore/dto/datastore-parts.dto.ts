import { namedSchema } from '../../../docs/named-schema';
import { monaiLabelParts } from '../../monailabel-parts';

const IMAGE_PARAMS = namedSchema('DatastoreImageParams', {
  type: 'object',
  additionalProperties: true,
  properties: { client_id: { type: 'string', description: 'The uploading client, as MONAI Label clients send it.' } },
  description: 'Kept as the image info.',
});

const LABEL_PARAMS = namedSchema('DatastoreLabelParams', {
  type: 'object',
  additionalProperties: true,
  properties: {
    label_info: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'The label name.' },
          idx: { type: 'number', description: 'Its value in the label volume.' },
        },
        description: 'One label of the volume.',
      },
      description: 'The labels of the volume.',
    },
    model: { type: 'string', description: 'The model that made the label, if any.' },
    client_id: { type: 'string', description: 'The saving client.' },
  },
  description: 'Kept as the label info.',
});

/** `PUT /datastore/` and `PUT /datastore/image`: the image and the client's params. */
export const IMAGE_PARTS = monaiLabelParts({
  params: { schema: IMAGE_PARAMS, description: 'JSON text, kept as the image info (optional).' },
  files: { file: { description: 'The image: NIfTI (`.nii.gz` or `.nii`); its suffix is kept.', required: true } },
});

/** `PUT /datastore/label`: the label and the client's params. */
export const LABEL_PARTS = monaiLabelParts({
  params: { schema: LABEL_PARAMS, description: 'JSON text, kept as the label info (optional).' },
  files: {
    label: {
      description:
        'The label: NIfTI on the image grid, NRRD (`.nrrd`, `.seg.nrrd`), or `.bin` (raw uint8, x fastest, stored as NIfTI).',
      required: true,
    },
  },
});
