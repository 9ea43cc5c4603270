import { join } from 'node:path';
import { z } from 'zod';
import { AiaaError, InvalidInputError } from '../../errors';
import { VOXEL_DTYPES, type VoxelDType, dtypeOf, isVoxelDType } from '../../image/dtype';
import { writeNifti } from '../../nifti/write-nifti';
import { writeNrrd } from '../../nrrd/write-nrrd';
import { flag, keyList } from '../args';
import { defineTransform } from '../transform';
import type { TransformContext } from '../transform-context';

/** How a result image is written when the request does not say otherwise. */
export interface ResultFileDefaults {
  dtype: VoxelDType | undefined;
  compress: boolean;
}

const EXTENSIONS = ['.nii.gz', '.nii', '.nrrd'] as const;

/**
 * Writes `ctx`'s image `key` as `<outputDir>/result.nii.gz` (or `.nii`) and sets `ctx.writerOutput` with the file and
 * the JSON result under property `jsonKey`. The request's params win over the config, as AIAA's clients expect:
 * `result_extension` (".nii.gz" or ".nii", the name deciding the compression; ".nrrd" as OHIF asks, gzip-encoded
 * unless `result_compress` is false), else `result_compress`, else the config's `compressed`; `result_dtype` (e.g. "uint8", "uint16") over the config's `dtype` (values rounded and clamped).
 *
 * @throws InvalidInputError naming the request param that cannot be honoured.
 */
export async function writeResultFile(
  ctx: TransformContext,
  key: string,
  jsonKey: string,
  defaults: ResultFileDefaults,
): Promise<void> {
  const image = ctx.getImage(key);
  const { extension, compress, dtype } = resultFormat(ctx.params, defaults);
  if (!ctx.outputDir) {
    throw new AiaaError('internal', `writer: no output folder was given for the result of '${key}'`);
  }
  const file = join(ctx.outputDir, `result${extension}`);
  ctx.throwIfCancelled();
  if (dtype !== undefined && dtype !== dtypeOf(image.voxels)) {
    ctx.budget.reserveVoxels(`image '${key}' written as ${dtype}`, image.shape, dtype);
  }
  const options = { ...(dtype ? { dtype } : {}), compress };
  await (extension === '.nrrd' ? writeNrrd(file, image, options) : writeNifti(file, image, options));
  ctx.writerOutput = { file, image: key, json: ctx.result(jsonKey) };
}

/** The file format the request params and the config defaults ask for. */
export function resultFormat(
  params: Readonly<Record<string, unknown>>,
  defaults: ResultFileDefaults,
): { extension: string; compress: boolean; dtype: VoxelDType | undefined } {
  const compressParam = params['result_compress'];
  let compress = defaults.compress;
  if (compressParam !== undefined) {
    if (typeof compressParam === 'boolean') {
      compress = compressParam;
    } else if (compressParam === 'true' || compressParam === 'false') {
      compress = compressParam === 'true';
    } else {
      throw new InvalidInputError(`params.result_compress must be true or false, got ${JSON.stringify(compressParam)}`);
    }
  }
  let extension = compress ? '.nii.gz' : '.nii';
  const extensionParam = params['result_extension'];
  if (extensionParam !== undefined) {
    const named =
      typeof extensionParam === 'string' && !extensionParam.startsWith('.') ? `.${extensionParam}` : extensionParam;
    if (!(EXTENSIONS as readonly unknown[]).includes(named)) {
      throw new InvalidInputError(
        `params.result_extension ${JSON.stringify(extensionParam)} is not written by this server (expected ${EXTENSIONS.join(' or ')})`,
      );
    }
    extension = named as string;
    // NIfTI's compression is in its name; NRRD's is in its header, so result_compress still decides it
    compress = extension === '.nrrd' ? (compressParam === undefined ? true : compress) : extension === '.nii.gz';
  }
  const dtypeParam = params['result_dtype'];
  if (dtypeParam !== undefined && !isVoxelDType(dtypeParam)) {
    throw new InvalidInputError(
      `params.result_dtype ${JSON.stringify(dtypeParam)} is not a voxel datatype (expected one of ${VOXEL_DTYPES.join(', ')})`,
    );
  }
  return { extension, compress, dtype: dtypeParam ?? defaults.dtype };
}

const args = z.object({
  field: z.string().min(1).optional(),
  fields: keyList.optional(),
  keys: keyList.optional(),
  dtype: z.enum(VOXEL_DTYPES).optional(),
  compressed: flag(true),
  /** The result JSON property returned as the reply's params (default `result`). */
  json: z.string().min(1).default('result'),
});

/** AIAA's WriteNifti (v3 `{field, dtype, compressed}`): see {@link writeResultFile}. */
export const writeNiftiTransform = defineTransform({
  name: 'WriteNifti',
  summary: 'Writes the result image as NIfTI (or NRRD) and sets the reply: file and JSON result.',
  aliases: ['aiaa.transforms.WriteNifti'],
  args,
  async apply(ctx, a) {
    const key = a.field ?? a.keys?.[0] ?? a.fields?.[0] ?? 'model';
    await writeResultFile(ctx, key, a.json, { dtype: a.dtype, compress: a.compressed });
  },
});
