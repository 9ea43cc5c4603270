/** Voxel datatypes the server keeps in memory, named as numpy and AIAA's `dtype` arguments name them. */
export const VOXEL_DTYPES = ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'] as const;
/** One voxel datatype of {@link VOXEL_DTYPES}: `uint8`, `int16`, `float32`, …. */
export type VoxelDType = (typeof VOXEL_DTYPES)[number];

/** A typed array of one of the {@link VoxelDType}s: voxels always live in one of these, never in plain arrays. */
export type VoxelArray =
  Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

interface TypedArrayConstructorOf {
  new (length: number): VoxelArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): VoxelArray;
  readonly BYTES_PER_ELEMENT: number;
}

const CONSTRUCTORS: Record<VoxelDType, TypedArrayConstructorOf> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** True when `value` names a supported voxel datatype. */
export function isVoxelDType(value: unknown): value is VoxelDType {
  return typeof value === 'string' && (VOXEL_DTYPES as readonly string[]).includes(value);
}

/** Bytes per voxel of `dtype`. */
export function bytesPerVoxel(dtype: VoxelDType): number {
  return CONSTRUCTORS[dtype].BYTES_PER_ELEMENT;
}

/** A zero-filled typed array of `length` voxels of `dtype`. */
export function allocateVoxels(dtype: VoxelDType, length: number): VoxelArray {
  return new CONSTRUCTORS[dtype](length);
}

/** A typed-array view of `dtype` over `buffer` (no copy); `byteOffset` must be aligned to the element size. */
export function viewVoxels(dtype: VoxelDType, buffer: ArrayBufferLike, byteOffset: number, length: number): VoxelArray {
  return new CONSTRUCTORS[dtype](buffer, byteOffset, length);
}

/** The datatype of a voxel array. */
export function dtypeOf(voxels: VoxelArray): VoxelDType {
  if (voxels instanceof Uint8Array) {
    return 'uint8';
  }
  if (voxels instanceof Int8Array) {
    return 'int8';
  }
  if (voxels instanceof Int16Array) {
    return 'int16';
  }
  if (voxels instanceof Uint16Array) {
    return 'uint16';
  }
  if (voxels instanceof Int32Array) {
    return 'int32';
  }
  if (voxels instanceof Uint32Array) {
    return 'uint32';
  }
  if (voxels instanceof Float32Array) {
    return 'float32';
  }
  return 'float64';
}

/** True for the integer datatypes. */
export function isIntegerDType(dtype: VoxelDType): boolean {
  return dtype !== 'float32' && dtype !== 'float64';
}

const INTEGER_RANGES: Record<Exclude<VoxelDType, 'float32' | 'float64'>, readonly [number, number]> = {
  uint8: [0, 255],
  int8: [-128, 127],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * Voxels per chunk of the staged kernels: 128 KiB of float64 scratch, which stays in L2 while a kernel reads it.
 */
export const VOXEL_CHUNK = 16384;

/**
 * Copies `voxels[start, start + scratch.length)` (fewer at the end) into `scratch` as float64, exact for every
 * {@link VoxelDType}, and returns how many voxels it copied. Hot loops read the scratch instead of `voxels`: a loop
 * indexing a {@link VoxelArray} sees up to eight element kinds and V8 turns its element access megamorphic (about 10×
 * slower), while the native `set` converts each kind at memory speed and the loop only ever sees a Float64Array.
 */
export function readVoxelChunk(voxels: VoxelArray, start: number, scratch: Float64Array): number {
  const end = Math.min(voxels.length, start + scratch.length);
  scratch.set(voxels.subarray(start, end));
  return end - start;
}

/**
 * Converts voxels to `dtype` in one pass. Integer targets round to nearest and clamp to the type's range (a plain
 * typed-array copy would wrap 300 to 44 in uint8); float targets copy values. Returns `voxels` itself when the
 * datatype already matches.
 */
export function castVoxels(voxels: VoxelArray, dtype: VoxelDType): VoxelArray {
  const from = dtypeOf(voxels);
  if (from === dtype) {
    return voxels;
  }
  const out = allocateVoxels(dtype, voxels.length);
  if (!isIntegerDType(dtype)) {
    out.set(voxels);
    return out;
  }
  const [lo, hi] = INTEGER_RANGES[dtype as keyof typeof INTEGER_RANGES];
  // Clamped (and for float sources rounded) values are exact in the target, so the native float64 → integer `set`
  // writes them unchanged; the loop only sees the float64 scratch.
  const round = !isIntegerDType(from);
  const scratch = new Float64Array(VOXEL_CHUNK);
  for (let start = 0; start < voxels.length; start += VOXEL_CHUNK) {
    const count = readVoxelChunk(voxels, start, scratch);
    for (let i = 0; i < count; i++) {
      const v = round ? Math.round(scratch[i] as number) : (scratch[i] as number);
      // NaN becomes 0: there is no integer for it.
      scratch[i] = v < lo ? lo : v > hi ? hi : v === v ? v : 0;
    }
    out.set(count === VOXEL_CHUNK ? scratch : scratch.subarray(0, count), start);
  }
  return out;
}
