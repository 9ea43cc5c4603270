import type { ReferenceObject } from '@nestjs/swagger';
import { InvalidInputError } from '@aiaa/core';
import { InferenceOptions } from '../inference/inference-options';
import { refuseRequestBody } from '../upload/image-parts';
import type { PartRules, Refusal, UploadPolicy } from '../upload/upload-policy';

/** The parts of a MONAI Label route: named file parts (each at most once) and the `params` text part. */
export interface MonaiLabelParts {
  /** What `params` holds, for the OpenAPI document: its named schema and what it is for. */
  readonly params: { readonly schema: ReferenceObject; readonly description: string };
  /** File part names with what each holds; `required` ones are listed in the schema's `required`. */
  readonly files: Readonly<Record<string, { readonly description: string; readonly required?: boolean }>>;
}

/**
 * The upload policy of a MONAI Label route, within the limits of {@link InferenceOptions} (the same as the AIAA
 * routes): `params` and the named file parts, each at most once, hashed on their way to disk. Any other part, or a
 * part sent twice, is refused naming it.
 */
export function monaiLabelParts(parts: MonaiLabelParts): UploadPolicy<InferenceOptions> {
  const names = Object.keys(parts.files);
  const expected = `'params' and ${names.map((n) => `'${n}'`).join(' or ')}`;
  const properties = Object.fromEntries(
    Object.entries(parts.files).map(([name, file]) => [
      name,
      { type: 'string', format: 'binary', description: file.description },
    ]),
  );
  const required = Object.entries(parts.files)
    .filter(([, file]) => file.required === true)
    .map(([name]) => name);
  return {
    options: InferenceOptions,
    // Decodes images: it waits its turn among the image requests.
    heavy: true,
    schema: {
      type: 'object',
      properties: {
        // A form field whose text is JSON: an object property of a multipart body (OpenAPI's default encoding).
        params: { allOf: [parts.params.schema], description: parts.params.description },
        ...properties,
      },
      ...(required.length > 0 ? { required } : {}),
    },
    rules: (options): PartRules => ({
      parentDir: options.uploadsDir,
      maxFileBytes: options.maxUploadBytes,
      // An image and a label: together within the one-file limit, as a DICOM series is.
      maxTotalBytes: options.maxUploadBytes,
      maxFieldBytes: options.maxFieldBytes,
      maxParts: names.length + 8,
      maxFieldNameBytes: 200,
      field: (name) => (name === 'params' ? undefined : { reason: 'unexpected-field', part: name }),
      file: (name, received) => {
        if (!names.includes(name)) {
          return { reason: 'unexpected-file', part: name };
        }
        if (received.some((file) => file.field === name)) {
          return { reason: 'too-many-files', part: name, first: name, max: 1 };
        }
        return { keep: 'disk', sha256: true };
      },
      refuse: (refusal) => refuse(refusal, expected),
    }),
  };
}

function refuse(refusal: Refusal, expected: string): Error {
  switch (refusal.reason) {
    case 'not-multipart':
      return new InvalidInputError(
        `request body: expected multipart/form-data with ${expected}, got Content-Type '${refusal.contentType ?? 'none'}'`,
      );
    case 'unexpected-field':
      return new InvalidInputError(`multipart field '${refusal.part}' is not accepted here (expected ${expected})`);
    case 'unexpected-file':
      return new InvalidInputError(`multipart file part '${refusal.part}' is not accepted here (expected ${expected})`);
    case 'too-many-files':
      return new InvalidInputError(`multipart file part '${refusal.part}' was sent twice; one is accepted`);
    case 'bad-header':
    case 'too-many-parts':
    case 'field-too-large':
    case 'file-too-large':
    case 'body-too-large':
    case 'staging-full':
    case 'unwritable':
    case 'malformed':
    case 'disconnected':
    case 'stalled':
      return refuseRequestBody(refusal);
  }
}
