import { z } from 'zod';
import { defineTransform } from '../transform';
import { type GuidanceSpec, guidanceArg, readGuidance } from './guidance';

const args = z.object({
  /** The image whose original grid the clicks index. */
  ref_image: z.string().min(1).default('image'),
  guidance: guidanceArg,
  /** Request params holding the positive and negative clicks. */
  foreground: z.string().min(1).default('foreground'),
  background: z.string().min(1).default('background'),
  /** 2 for deepgrow 2D, 3 for deepgrow 3D (MONAI's older `dimensions`, newer `spatial_dims`). */
  dimensions: z.union([z.literal(2), z.literal(3)]).optional(),
  spatial_dims: z.union([z.literal(2), z.literal(3)]).optional(),
  /** Slices are always along z (the `D` axis of `DHW`), which is MONAI's `axis: 0, depth_first: true`. */
  axis: z.literal(0).default(0),
  depth_first: z.literal(true).default(true),
  /** Request param naming the slice of 2-D guidance. */
  slice_key: z.string().min(1).default('slice'),
});

/**
 * Deepgrow's entry step: checks the request's `foreground`/`background` clicks ([x, y, z] voxels of the input image:
 * in range, at least one, at most 1000 per list) and leaves a guidance spec under `guidance` for the steps that
 * follow (Fetch2DSliced, SpatialCropGuidanced, AddGuidanceSignald). Those read the clicks of the request they run
 * in and map them through the recorded crops and resamples, so the guidance never goes stale or loses precision.
 * For 2-D guidance the slice is `params.slice`, else `current_point`'s z, else the lowest clicked z.
 *
 * @throws InvalidInputError naming the param (`params.foreground[2]`) when a click is malformed or outside the image.
 */
export const addGuidanceFromPoints = defineTransform({
  name: 'AddGuidanceFromPointsd',
  summary: "Turns the request's deepgrow foreground and background clicks into the guidance the next steps read.",
  aliases: ['monai.apps.deepgrow.transforms.AddGuidanceFromPointsd', 'aiaa.transforms.AddGuidanceFromPointsd'],
  args,
  apply(ctx, a) {
    const spec: GuidanceSpec = {
      kind: 'guidance',
      refImage: a.ref_image,
      foreground: a.foreground,
      background: a.background,
      dimensions: a.dimensions ?? a.spatial_dims ?? 2,
      sliceKey: a.slice_key,
    };
    readGuidance(ctx, spec);
    ctx.setProperty(a.guidance, spec);
  },
});
