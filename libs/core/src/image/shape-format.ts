/**
 * How the axes of a row-major voxel array are named, slowest first (AIAA's `get_shape_format`). `W` is the
 * fastest-varying spatial axis (NIfTI's i / x), `H` is j / y, `D` is k / z, `C` channels (or time), `N` batch.
 * Voxels read from a NIfTI file need no transposition: file order (x fastest) is exactly row-major `DHW`.
 */
export const SHAPE_FORMATS = ['HW', 'CHW', 'HWC', 'NCHW', 'DHW', 'CDHW', 'DHWC', 'NCDHW'] as const;
/** One shape format of {@link SHAPE_FORMATS}: `DHW`, `CDHW`, …. */
export type ShapeFormat = (typeof SHAPE_FORMATS)[number];

/** True when `value` is a supported shape format. */
export function isShapeFormat(value: unknown): value is ShapeFormat {
  return typeof value === 'string' && (SHAPE_FORMATS as readonly string[]).includes(value);
}

/** Number of spatial axes (2 or 3). */
export function spatialRank(format: ShapeFormat): 2 | 3 {
  return format.includes('D') ? 3 : 2;
}

/** Index of the channel axis, or -1 when the format has none. */
export function channelAxis(format: ShapeFormat): number {
  return format.indexOf('C');
}

/** True when the format has a channel axis. */
export function hasChannels(format: ShapeFormat): boolean {
  return format.includes('C');
}
