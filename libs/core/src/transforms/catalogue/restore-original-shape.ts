import { AllocationBudget } from '../../budget/allocation-budget';
import { z } from 'zod';
import { InvalidInputError } from '../../errors';
import { cropOrPad } from '../../image/crop';
import { allocateVoxels, dtypeOf, isIntegerDType } from '../../image/dtype';
import type { MedicalImage } from '../../image/medical-image';
import { undoReorientation } from '../../image/orientation';
import { type ResampleMode, resampleToShape } from '../../image/resample';
import type { ShapeFormat } from '../../image/shape-format';
import { keyList } from '../args';
import type { GeometryStep } from '../geometry-history';
import { defineTransform } from '../transform';

/** A boolean, also as "true"/"false", with no default (absent means "decide from the dtype"). */
const optionalFlag = z
  .union([z.boolean(), z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE'])])
  .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true'))
  .optional();

const args = z.object({
  fields: keyList.optional(),
  field: z.string().min(1).optional(),
  keys: keyList.optional(),
  /** The pre-processed image whose recorded geometry is undone (v3 `src_field`, v4 `ref_image`). */
  src_field: z.string().min(1).optional(),
  ref_image: z.string().min(1).optional(),
  /** v3: nearest neighbour for labels. */
  is_label: optionalFlag,
  /** v4 (RestoreLabeld, Restored): MONAI's interpolation name. */
  mode: z.enum(['nearest', 'linear', 'bilinear', 'trilinear', 'area']).optional(),
});

/**
 * Undoes, last first, every geometric step recorded for a reference image (crop or pad, resample, channel move,
 * reorientation to the closest canonical axes) on another image that lies on the reference's final grid, so a model output lands voxel for voxel on
 * the input image's grid. Each step ends on the exact `before` affine it recorded; the original header is copied.
 *
 * Resampling back uses the same corner-aligned convention as ScaleByResolution (first and last voxel centres fixed),
 * so an integer zoom `out − 1 = k · (in − 1)` reads back exactly the original voxel centres. Voxels outside a crop are
 * 0. A channel axis added by ConvertToChannelsFirst is dropped again when it has one channel (several channels stay
 * first). `mode: nearest` / `is_label: true` keep labels as labels; without either, integer images use nearest and
 * float images trilinear.
 *
 * @throws InvalidInputError when the image is not on the reference's final grid.
 */
export function restoreGeometry(
  image: MedicalImage,
  steps: readonly GeometryStep[],
  mode: ResampleMode,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): MedicalImage {
  let out = image;
  for (let s = steps.length - 1; s >= 0; s--) {
    const step = steps[s] as GeometryStep;
    const before = step.before;
    switch (step.kind) {
      case 'crop':
        out = cropOrPad(
          liftToRank(out, before.spatialShape.length),
          step.startDhw.map((v) => -v),
          before.spatialShape,
          0,
          budget,
        );
        break;
      case 'resample':
        out = resampleToShape(out, before.spatialShape, mode, budget);
        break;
      case 'channels':
        out = undoChannels(out, before.shapeFormat, budget);
        break;
      case 'reorient':
        out = undoReorientation(out, asTriple(step.permutation), asTriple(step.flipped));
        break;
    }
    // Each undo recomputes the affine; the recorded one is exact, so the arithmetic never accumulates.
    out = out.with({ affine: Float64Array.from(before.affine) });
  }
  return out;
}

const LIFTED: Partial<Record<ShapeFormat, ShapeFormat>> = { HW: 'DHW', CHW: 'CDHW', HWC: 'DHWC' };

/**
 * A 2-D image as the one-slice 3-D image it was cut from (deepgrow 2D's Fetch2DSliced records a depth-1 crop of the
 * volume), so that undoing that crop puts it back on its slice. No voxel moves; the affine already has its k column.
 */
function liftToRank(image: MedicalImage, rank: number): MedicalImage {
  const lifted = LIFTED[image.shapeFormat];
  if (rank !== 3 || !lifted) {
    return image;
  }
  const at = lifted.indexOf('D');
  const shape = [...image.shape.slice(0, at), 1, ...image.shape.slice(at)];
  return image.with({ shape, shapeFormat: lifted });
}

/** Back to the recorded format's channel layout, as far as the channel count allows. */
function undoChannels(image: MedicalImage, before: ShapeFormat, budget: AllocationBudget): MedicalImage {
  const format = image.shapeFormat;
  const spatial = image.spatialShape;
  if (!format.startsWith('C')) {
    return image;
  }
  const channels = image.channels;
  const spatialFormat = format.slice(1) as ShapeFormat;
  if (!before.includes('C')) {
    return channels === 1 ? image.with({ shape: spatial, shapeFormat: spatialFormat }) : image;
  }
  if (before.endsWith('C')) {
    const size = image.spatialSize;
    const src = image.voxels;
    budget.reserveVoxels(`${image.source}: channels last again`, image.shape, dtypeOf(src));
    const out = allocateVoxels(dtypeOf(src), src.length);
    for (let c = 0; c < channels; c++) {
      const base = c * size;
      for (let v = 0, d = c; v < size; v++, d += channels) {
        out[d] = src[base + v] as number;
      }
    }
    return image.with({ voxels: out, shape: [...spatial, channels], shapeFormat: `${spatialFormat}C` as ShapeFormat });
  }
  return image;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * AIAA's RestoreOriginalShape (v3 `{field, src_field, is_label}`), `aiaa.transforms.Restored` (v4 `{keys, ref_image}`)
 * and deepgrow's RestoreLabeld (`{keys, ref_image, mode}`): see {@link restoreGeometry}. The restored image gets the
 * reference's original header and an empty geometry history.
 */
export const restoreOriginalShape = defineTransform({
  name: 'RestoreOriginalShape',
  summary: 'Undoes every recorded crop, resample, reorientation and channel change, back onto the input grid.',
  aliases: [
    'Restored',
    'aiaa.transforms.Restored',
    'RestoreLabeld',
    'monai.apps.deepgrow.transforms.RestoreLabeld',
    'aiaa.transforms.RestoreLabeld',
  ],
  args,
  apply(ctx, a) {
    const reference = a.src_field ?? a.ref_image ?? 'image';
    const refImage = ctx.getImage(reference);
    const steps = ctx.geometryHistory(reference).steps;
    for (const key of a.keys ?? a.fields ?? (a.field ? [a.field] : ['model'])) {
      const image = ctx.getImage(key);
      if (!sameShape(image.spatialShape, refImage.spatialShape)) {
        throw new InvalidInputError(
          `RestoreOriginalShape: '${key}' has spatial shape [${image.spatialShape.join(', ')}] but '${reference}' ended its pre-transforms on [${refImage.spatialShape.join(', ')}]`,
        );
      }
      const nearest =
        a.mode !== undefined ? a.mode === 'nearest' : (a.is_label ?? isIntegerDType(dtypeOf(image.voxels)));
      let restored = restoreGeometry(image, steps, nearest ? 'nearest' : 'linear', ctx.budget);
      if (steps.length === 0) {
        restored = restored.with({ affine: Float64Array.from(refImage.affine) });
      }
      ctx.deleteImage(key);
      ctx.setImage(key, restored.with({ header: refImage.header }));
    }
  },
});

/** A recorded per-axis list (i, j, k) as the triple undoReorientation takes. */
function asTriple<T>(values: readonly T[]): [T, T, T] {
  if (values.length !== 3) {
    throw new InvalidInputError(`a reorientation step lists ${values.length} axes, expected 3`);
  }
  return [values[0] as T, values[1] as T, values[2] as T];
}
