import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { namedSchema } from '../../../docs/named-schema';
import type { InferenceKind } from '../inference.service';

/** `[x, y, z]`: voxel indices of the image as stored (x along dim[1]). */
const VOXEL_POINT = namedSchema('VoxelPoint', {
  type: 'array',
  items: { type: 'number' },
  minItems: 3,
  maxItems: 3,
  example: [150, 200, 10],
  description: '`[x, y, z]`: voxel indices of the image as stored (x along `dim[1]`, z the slice).',
});

const pointList = (description: string, minItems = 0): SchemaObject => ({
  type: 'array',
  items: VOXEL_POINT,
  ...(minItems > 0 ? { minItems } : {}),
  description,
});

const SIX_EXTREME_POINTS = [
  [120, 200, 10],
  [180, 200, 10],
  [150, 170, 10],
  [150, 230, 10],
  [150, 200, 5],
  [150, 200, 15],
];

/** The JSON of the `params` part of each inference route, as the official clients send it (AIAA-API §1). */
const PARAMS_BY_KIND: Readonly<Record<InferenceKind, ReferenceObject>> = {
  segmentation: namedSchema('SegmentationParams', {
    type: 'object',
    additionalProperties: true,
    example: {},
    description: 'Usually `{}`; any keys are handed to the model (its transforms read them from the params).',
  }),
  dextr3d: namedSchema('Dextr3dParams', {
    type: 'object',
    additionalProperties: true,
    required: ['points'],
    properties: {
      points: {
        oneOf: [
          pointList('At least six extreme points of the object: min/max x, min/max y, min/max z.', 6),
          { type: 'string', description: 'The same list as JSON text, as clients up to 3.0 send it.' },
        ],
        description: 'The extreme points, `[x, y, z]` voxel indices of the image (a 400 names any point outside).',
      },
    },
    example: { points: SIX_EXTREME_POINTS },
    description: 'DEXTR3D: the extreme points of the object to annotate.',
  }),
  deepgrow: namedSchema('DeepgrowParams', {
    type: 'object',
    additionalProperties: true,
    properties: {
      foreground: pointList('Clicks inside the object; with `background`, at least one click in all.'),
      background: pointList('Clicks outside the object.'),
      current_point: {
        oneOf: [VOXEL_POINT, pointList('The latest click, as a list of one.')],
        description: 'The latest click (2-D deepgrow models take its slice).',
      },
    },
    example: { foreground: [[150, 200, 10]], background: [[90, 60, 10]], current_point: [150, 200, 10] },
    description: 'Deepgrow: foreground and background clicks, `[x, y, z]` voxel indices of the image.',
  }),
  inference: namedSchema('InferenceParams', {
    type: 'object',
    additionalProperties: true,
    example: {},
    description: "Any JSON object: the model's transforms read what they need from it.",
  }),
};

/** The `params` schema of `POST /v1/<kind>`. */
export function inferenceParamsSchema(kind: InferenceKind): ReferenceObject {
  return PARAMS_BY_KIND[kind];
}

/** The JSON result of an inference: the `params` part of the reply, or the whole reply for JSON-only models. */
export const INFERENCE_RESULT = namedSchema('InferenceResult', {
  type: 'object',
  additionalProperties: true,
  properties: {
    points: pointList(
      '`FetchExtremePoints`: the six extreme points of the result mask, on the input grid (segmentation models).',
    ),
    bbox: {
      type: 'array',
      items: { type: 'array', items: { type: 'number' } },
      description: '`BoundingBox`: `[[x0, y0, z0], [x1, y1, z1]]` of the result mask.',
    },
  },
  description:
    "What the model's post-transforms put in its result (its writer's `json`): the keys depend on the model; " +
    'a classification model answers its label and score here alone.',
});
