import { InvalidNiftiError } from '../errors';
import { type VoxelDType, bytesPerVoxel } from '../image/dtype';

/** NIfTI `datatype` codes of the voxel types the server keeps in memory. */
const DTYPE_BY_CODE: ReadonlyMap<number, VoxelDType> = new Map<number, VoxelDType>([
  [2, 'uint8'],
  [4, 'int16'],
  [8, 'int32'],
  [16, 'float32'],
  [64, 'float64'],
  [256, 'int8'],
  [512, 'uint16'],
  [768, 'uint32'],
]);

/** Names of the standard's other codes, so an error says what the file holds. */
const UNSUPPORTED_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'binary'],
  [32, 'complex64'],
  [128, 'rgb24'],
  [1024, 'int64'],
  [1280, 'uint64'],
  [1536, 'float128'],
  [1792, 'complex128'],
  [2048, 'complex256'],
  [2304, 'rgba32'],
]);

/**
 * The voxel datatype of a NIfTI `datatype` code.
 * @throws InvalidNiftiError naming `datatype` for codes outside uint8, int8, int16, uint16, int32, uint32, float32,
 * float64.
 */
export function dtypeFromNiftiCode(code: number, source: string): VoxelDType {
  const dtype = DTYPE_BY_CODE.get(code);
  if (dtype === undefined) {
    const name = UNSUPPORTED_NAMES.get(code);
    throw new InvalidNiftiError(
      source,
      'datatype',
      `unsupported datatype ${code}${name ? ` (${name})` : ''}; supported: ${[...DTYPE_BY_CODE]
        .map(([c, d]) => `${c} (${d})`)
        .join(', ')}`,
    );
  }
  return dtype;
}

/** The NIfTI `datatype` code and `bitpix` of a voxel datatype. */
export function niftiCodeOf(dtype: VoxelDType): { datatypeCode: number; bitpix: number } {
  for (const [code, d] of DTYPE_BY_CODE) {
    if (d === dtype) {
      return { datatypeCode: code, bitpix: bytesPerVoxel(dtype) * 8 };
    }
  }
  // Unreachable: every VoxelDType has a code above.
  throw new RangeError(`no NIfTI datatype for ${dtype}`);
}
