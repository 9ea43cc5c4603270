import type { NiftiHeader } from './nifti-header';
import { type Mat4, identityMat4, spacingFromAffine } from './affine';
import { type VoxelArray, type VoxelDType, dtypeOf } from './dtype';
import { type ShapeFormat, channelAxis, spatialRank } from './shape-format';

/** What it takes to build a {@link MedicalImage}. */
export interface MedicalImageInit<T extends VoxelArray = VoxelArray> {
  /** Row-major voxels, last axis fastest; never copied by the constructor. */
  voxels: T;
  /** Sizes per axis, slowest first, named by `shapeFormat`. */
  shape: readonly number[];
  shapeFormat: ShapeFormat;
  /** Voxel (i, j, k) → RAS+ mm; identity when omitted. */
  affine?: Mat4;
  /** The header the image was read with, kept for writing back. */
  header?: NiftiHeader;
  /** Where the image came from (a file name), for error messages. */
  source?: string;
}

/**
 * A medical image: one typed array of voxels in the file's own datatype, an explicit shape format, and the affine
 * that places voxels in RAS+ millimetres. Immutable by convention: transforms build new images with {@link MedicalImage.with},
 * sharing whatever did not change.
 */
export class MedicalImage<T extends VoxelArray = VoxelArray> {
  readonly voxels: T;
  readonly shape: readonly number[];
  readonly shapeFormat: ShapeFormat;
  readonly affine: Mat4;
  readonly header: NiftiHeader | undefined;
  readonly source: string;

  /** @throws RangeError when the shape does not match the format or the number of voxels. */
  constructor(init: MedicalImageInit<T>) {
    if (init.shape.length !== init.shapeFormat.length) {
      throw new RangeError(
        `shape [${init.shape.join(', ')}] has ${init.shape.length} axes but format ${init.shapeFormat} has ${init.shapeFormat.length}`,
      );
    }
    const count = init.shape.reduce((a, b) => a * b, 1);
    if (count !== init.voxels.length) {
      throw new RangeError(
        `shape [${init.shape.join(', ')}] holds ${count} voxels but the array has ${init.voxels.length}`,
      );
    }
    this.voxels = init.voxels;
    this.shape = Object.freeze([...init.shape]);
    this.shapeFormat = init.shapeFormat;
    this.affine = init.affine ?? identityMat4();
    this.header = init.header;
    this.source = init.source ?? 'image';
  }

  /** The voxel datatype. */
  get dtype(): VoxelDType {
    return dtypeOf(this.voxels);
  }

  /** Spatial sizes, slowest first: [D, H, W] for 3-D formats, [H, W] for 2-D. */
  get spatialShape(): number[] {
    return [...this.shapeFormat].flatMap((axis, i) => ('DHW'.includes(axis) ? [this.shape[i] as number] : []));
  }

  /** Spatial sizes in NIfTI order [i, j, k] = [W, H, D] (k = 1 for 2-D images). */
  get sizeIjk(): [number, number, number] {
    const s = this.spatialShape;
    return spatialRank(this.shapeFormat) === 3
      ? [s[2] as number, s[1] as number, s[0] as number]
      : [s[1] as number, s[0] as number, 1];
  }

  /** Number of channels (1 when the format has no channel axis). */
  get channels(): number {
    const axis = channelAxis(this.shapeFormat);
    return axis < 0 ? 1 : (this.shape[axis] as number);
  }

  /** Voxel size in mm along i, j, k (NIfTI order: W, H, D), from the affine. */
  get spacingMm(): [number, number, number] {
    return spacingFromAffine(this.affine);
  }

  /** Voxels per spatial volume (one channel). */
  get spatialSize(): number {
    return this.spatialShape.reduce((a, b) => a * b, 1);
  }

  /** A new image with some fields replaced and the rest shared (no voxel copy). */
  with<U extends VoxelArray = T>(changes: Partial<MedicalImageInit<U>>): MedicalImage<U> {
    return new MedicalImage<U>({
      voxels: (changes.voxels ?? this.voxels) as U,
      shape: changes.shape ?? this.shape,
      shapeFormat: changes.shapeFormat ?? this.shapeFormat,
      affine: changes.affine ?? this.affine,
      header: 'header' in changes ? changes.header : this.header,
      source: changes.source ?? this.source,
    });
  }
}
