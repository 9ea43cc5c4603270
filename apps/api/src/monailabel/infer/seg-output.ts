import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { InvalidInputError, type MedicalImage, type TransformContext, type WriterOutput, readNifti } from '@aiaa/core';

/** What a request asks of a DICOM SEG of its result: the reply (`output=dicom_seg`), a STOW-RS store (`save_seg`). */
export interface SegRequest {
  readonly reply: boolean;
  readonly store: boolean;
}

/**
 * The SEG a request asks for, if any: `output=dicom_seg` answers the SEG instead of the mask; `params.save_seg: true`
 * stores it on the PACS (in the source series' study) and adds its UIDs to the reply as `dicom_seg`.
 * @throws InvalidInputError naming `params.save_seg` when it is not a boolean.
 */
export function segRequestOf(
  output: string | undefined,
  params: Readonly<Record<string, unknown>>,
): SegRequest | undefined {
  const save = params['save_seg'];
  if (save !== undefined && typeof save !== 'boolean') {
    throw new InvalidInputError(`params.save_seg: expected true or false, got ${JSON.stringify(save)}`);
  }
  const request = { reply: output === 'dicom_seg', store: save === true };
  return request.reply || request.store ? request : undefined;
}

/**
 * The segment names: `params.label_info` (`[{name, id}]`, Slicer's `idx` too) when given, else the model's labels
 * (value n is label n).
 * @throws InvalidInputError naming the `params.label_info` entry that has no name or no whole-number value.
 */
export function segmentNames(
  params: Readonly<Record<string, unknown>>,
  modelLabels: readonly string[],
): Map<number, string> {
  const names = new Map(modelLabels.map((label, n) => [n + 1, label] as const));
  const info = params['label_info'];
  if (info === undefined || info === null) {
    return names;
  }
  if (!Array.isArray(info)) {
    throw new InvalidInputError(`params.label_info: expected a list of {name, id}, got ${JSON.stringify(info)}`);
  }
  info.forEach((entry: unknown, n) => {
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const value = record['id'] ?? record['idx'];
    const name = record['name'];
    if (typeof name !== 'string' || name === '' || typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new InvalidInputError(
        `params.label_info[${n}]: expected {"name": <text>, "id": <label value ≥ 1>}, got ${JSON.stringify(entry)}`,
      );
    }
    names.set(value, name);
  });
  return names;
}

/**
 * The result as a volume: the context image the writer wrote, or (a writer that does not say which) its NIfTI file.
 * @throws InvalidInputError when neither is there.
 */
export async function resultLabels(
  ctx: TransformContext,
  written: WriterOutput | undefined,
  maxBytes: number,
): Promise<MedicalImage> {
  const image = written?.image === undefined ? undefined : ctx.findImage(written.image);
  if (image) {
    return image;
  }
  if (written?.file !== undefined && /\.nii(\.gz)?$/.test(written.file)) {
    return readNifti(written.file, { maxBytes, source: 'the result' });
  }
  throw new InvalidInputError(
    "a DICOM SEG needs the model's result image: its writer named no image and wrote no NIfTI file",
  );
}

/** Writes the SEG into the request's folder, for the reply. */
export async function writeSegFile(dir: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, 'result.dcm');
  await fs.writeFile(file, bytes);
  return file;
}
