import { AllocationBudget, describeArray } from '../budget/allocation-budget';
import { InvalidInputError } from '../errors';
import { type Mat4, multiplyMat4, scalingAffine } from './affine';
import { allocateVoxels, bytesPerVoxel, dtypeOf } from './dtype';
import type { MedicalImage } from './medical-image';
import { type ShapeFormat, spatialRank } from './shape-format';

/**
 * Cuts the box `[startDhw, startDhw + sizeDhw)` out of an image; the parts of the box outside the image are filled with
 * `fill` (so the same call crops, pads, or both). Channels (first or last) and the batch axis are kept whole.
 *
 * The affine is updated exactly: voxel 0 of the result sits where voxel `startDhw` of the input sat, i.e. the new
 * affine is `affine · translate(start)` with the start in (i, j, k) order. Rows along W are copied with `subarray`/
 * `set`, never voxel by voxel.
 *
 * @param startDhw - first voxel of the box, slowest axis first ([D, H, W], or [H, W] for 2-D images); may be negative.
 * @param sizeDhw - box size per spatial axis, same order; every size ≥ 1.
 * @param budget - checked for the output (which padding can make larger than the image) before it is allocated.
 * @throws InvalidInputError when the box has the wrong rank, a non-integer start or a size below 1; TooLargeError
 *   when the output does not fit the budget.
 */
export function cropOrPad(
  image: MedicalImage,
  startDhw: readonly number[],
  sizeDhw: readonly number[],
  fill = 0,
  budget: AllocationBudget = AllocationBudget.UNLIMITED,
): MedicalImage {
  const rank = spatialRank(image.shapeFormat);
  if (
    startDhw.length !== rank ||
    sizeDhw.length !== rank ||
    startDhw.some((s) => !Number.isInteger(s)) ||
    sizeDhw.some((s) => !Number.isInteger(s) || s < 1)
  ) {
    throw new InvalidInputError(
      `${image.source}: cannot crop ${image.shapeFormat} with start [${startDhw.join(', ')}] and size [${sizeDhw.join(', ')}]: expected ${rank} integers each, sizes ≥ 1`,
    );
  }
  const layout = layoutOf(image);
  const start = rank === 3 ? [...startDhw] : [0, ...startDhw];
  const size = rank === 3 ? [...sizeDhw] : [1, ...sizeDhw];
  const [inD, inH, inW] = layout.dhw;
  const [outD, outH, outW] = size as [number, number, number];
  const [z0, y0, x0] = start as [number, number, number];
  const inner = layout.inner;
  const dtype = dtypeOf(image.voxels);
  const count = layout.outer * outD * outH * outW * inner;
  budget.reserve(`${image.source}: cropped to ${describeArray(sizeDhw, dtype)}`, count, bytesPerVoxel(dtype));
  const out = allocateVoxels(dtype, count);
  if (fill !== 0) {
    out.fill(fill);
  }
  // The part of the box that overlaps the image, in output coordinates.
  const xLo = Math.max(0, -x0);
  const xHi = Math.min(outW, inW - x0);
  const yLo = Math.max(0, -y0);
  const yHi = Math.min(outH, inH - y0);
  const zLo = Math.max(0, -z0);
  const zHi = Math.min(outD, inD - z0);
  if (xLo < xHi && yLo < yHi && zLo < zHi) {
    const rowLength = (xHi - xLo) * inner;
    const src = image.voxels;
    for (let n = 0; n < layout.outer; n++) {
      const inBase = n * inD * inH * inW;
      const outBase = n * outD * outH * outW;
      for (let z = zLo; z < zHi; z++) {
        for (let y = yLo; y < yHi; y++) {
          const from = (inBase + (z + z0) * inH * inW + (y + y0) * inW + xLo + x0) * inner;
          const to = (outBase + z * outH * outW + y * outW + xLo) * inner;
          out.set(src.subarray(from, from + rowLength), to);
        }
      }
    }
  }
  const shape = [...image.shape];
  const spatialAxes = layout.spatialAxes;
  const outSpatial = rank === 3 ? size : size.slice(1);
  spatialAxes.forEach((axis, i) => {
    shape[axis] = outSpatial[i] as number;
  });
  const affine = multiplyMat4(image.affine, scalingAffine([1, 1, 1], [x0, y0, z0]));
  return image.with({ voxels: out, shape, affine });
}

/** The grid an image lay on before a geometric step: spatial sizes (slowest first) and affine. */
export interface GridBefore {
  /** [D, H, W] (or [H, W]) before the step. */
  spatialShape: readonly number[];
  /** Voxel → RAS+ mm before the step. */
  affine: Mat4;
  shapeFormat: ShapeFormat;
}

/** The grid an image lies on now, to record as the `before` of a geometric step. */
export function gridOf(image: MedicalImage): GridBefore {
  return { spatialShape: image.spatialShape, affine: image.affine, shapeFormat: image.shapeFormat };
}

interface Layout {
  /** Product of the axes before the spatial ones (batch, channels first). */
  outer: number;
  /** [D, H, W] with D = 1 for 2-D images. */
  dhw: [number, number, number];
  /** Product of the axes after W (channels last). */
  inner: number;
  /** Indices of the spatial axes in `shape`. */
  spatialAxes: number[];
}

function layoutOf(image: MedicalImage): Layout {
  const format = image.shapeFormat;
  const spatialAxes: number[] = [];
  let outer = 1;
  let inner = 1;
  for (let a = 0; a < format.length; a++) {
    const axis = format[a] as string;
    const size = image.shape[a] as number;
    if ('DHW'.includes(axis)) {
      spatialAxes.push(a);
    } else if (spatialAxes.length === 0) {
      outer *= size;
    } else {
      inner *= size;
    }
  }
  const [w, h, d] = image.sizeIjk;
  return { outer, dhw: [d, h, w], inner, spatialAxes };
}
