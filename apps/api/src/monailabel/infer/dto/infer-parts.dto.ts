import { namedSchema } from '../../../docs/named-schema';
import { monaiLabelParts } from '../../monailabel-parts';

const IJK_POINT = { type: 'array', items: { type: 'number' }, description: 'An `[i, j, k]` voxel of the image.' };

/** The JSON of the `params` part of `POST /infer/{model}`, as MONAI Label's clients send it. */
const INFER_PARAMS = namedSchema('MonaiLabelInferParams', {
  type: 'object',
  additionalProperties: true,
  properties: {
    result_extension: {
      type: 'string',
      enum: ['.nrrd', '.nii.gz', '.nii'],
      description: "The format of the result file (default: the input's suffix).",
    },
    result_dtype: { type: 'string', description: 'The voxel type of the result (`uint8`, `uint16`, …).' },
    result_compress: { type: 'boolean', description: 'Whether an NRRD result is gzip-encoded.' },
    restore_label_idx: { type: 'boolean', description: 'Accepted as a boolean; label lists are already 1..n.' },
    foreground: { type: 'array', items: IJK_POINT, description: 'Foreground clicks (deepgrow, deepedit).' },
    background: { type: 'array', items: IJK_POINT, description: 'Background clicks (deepgrow, deepedit).' },
    label: {
      type: 'string',
      description:
        'deepedit: the current label; its click list (a key named after it) becomes the foreground, the other ' +
        "labels' lists the background.",
    },
    slice: { type: 'number', description: 'A 2-D model: the slice (k) to run on.' },
    roi: {
      type: 'array',
      items: { type: 'number' },
      description: 'A region `[imin, imax, jmin, jmax, kmin, kmax]` inside the image.',
    },
    save_label: {
      type: 'boolean',
      description: 'On a datastore image: also store the result as its label under `label_tag`.',
    },
    label_tag: { type: 'string', description: 'The tag `save_label` saves it under (default `original`).' },
    save_seg: {
      type: 'boolean',
      description: 'On a series of the DICOMweb server: also store the result there as a DICOM SEG (STOW-RS).',
    },
    label_info: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'The segment name.' },
          id: { type: 'integer', description: 'The label value it names.' },
          idx: { type: 'integer', description: 'The label value, as 3D Slicer names it (when `id` is absent).' },
        },
      },
      description: "A DICOM SEG's segment names, `[{name, id}]` (default: the model's labels).",
    },
  },
  example: { foreground: [[106, 229, 14]], background: [], result_extension: '.nrrd' },
  description: "The request params; keys this server does not know are ignored, as MONAI Label's do.",
});

/** The multipart body of `POST /infer/{model}`, as MONAI Label's clients send it. */
export const INFER_PARTS = monaiLabelParts({
  params: { schema: INFER_PARAMS, description: 'The request params, JSON text (absent: `{}`).' },
  files: {
    file: { description: 'The image itself (NIfTI), instead of `?image=`.' },
    label: { description: 'A label on the image grid (NIfTI, or `.bin`: raw uint8), handed to the model as `label`.' },
  },
});

/** The JSON result of `POST /infer/{model}`: the writer's JSON plus MONAI Label's own keys. */
export const INFER_RESULT = namedSchema('MonaiLabelInferResult', {
  type: 'object',
  additionalProperties: true,
  properties: {
    label_names: { type: 'array', items: { type: 'string' }, description: "The model's labels, value n for name n." },
    latencies: {
      type: 'object',
      additionalProperties: true,
      properties: {
        pre: { type: 'number', description: 'Pre-transforms, seconds.' },
        infer: { type: 'number', description: 'Inference, seconds.' },
        invert: { type: 'number', description: 'Inverse transforms, seconds (0 here).' },
        post: { type: 'number', description: 'Post-transforms, seconds.' },
        write: { type: 'number', description: 'Writing the result, seconds.' },
        total: { type: 'number', description: 'The whole request, seconds.' },
        transform: { type: 'object', nullable: true, description: 'Per-transform times: null (see Server-Timing).' },
      },
      description: 'Stage times in seconds, rounded to 10 ms.',
    },
    dicom_seg: {
      type: 'object',
      properties: {
        StudyInstanceUID: { type: 'string', description: 'The study of the source series, which holds the SEG.' },
        SeriesInstanceUID: { type: 'string', description: "The SEG's own series." },
        SOPInstanceUID: { type: 'string', description: 'The SEG instance.' },
      },
      description: 'With `params.save_seg: true`: the UIDs of the DICOM SEG stored on the PACS.',
    },
  },
  description: "The model's result JSON with MONAI Label's `label_names` and `latencies`.",
});
