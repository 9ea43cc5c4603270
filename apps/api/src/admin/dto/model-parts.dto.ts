import { CancelledError, InvalidInputError, TooLargeError } from '@aiaa/core';
import { AppConfig } from '../../config/app-config';
import { stagingFull } from '../../upload/image-parts';
import { UploadStalledError } from '../../upload/upload-stalled.error';
import type { Refusal, UploadPolicy } from '../../upload/upload-policy';

/** The model's config part: `config_aiaa.json`, as a text field or a file part. */
export const CONFIG_PART = 'config';
/** The model file part: an `.onnx` file or a zip bundle. */
export const DATA_PART = 'data';

/** Largest accepted `config` part. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * The parts of `PUT /admin/model/{name}`: `config` (text, from a field or a file part, at most 4 MiB and the upload
 * limit) and one `data` file (hashed as it arrives), written under `<workspace>/staging` on the models' filesystem.
 * A JSON NGC reference, an `ngc` part or any other part is refused naming it.
 */
export const MODEL_PARTS: UploadPolicy<AppConfig> = {
  options: AppConfig,
  schema: {
    type: 'object',
    properties: {
      config: {
        type: 'string',
        format: 'binary',
        description: '`config_aiaa.json`, as a file part or a text field (at most 4 MiB).',
      },
      data: {
        type: 'string',
        format: 'binary',
        description: 'The model file (`.onnx`), or a zip bundle of `config/config_aiaa.json` and `models/…`.',
      },
    },
  },
  rules: (config) => ({
    parentDir: config.stagingDir,
    maxFileBytes: config.maxUploadBytes,
    maxTotalBytes: config.maxUploadBytes,
    maxFieldBytes: MAX_CONFIG_BYTES,
    maxParts: 12,
    maxFileParts: 4,
    maxFieldParts: 8,
    field: (name) => (name === CONFIG_PART ? undefined : { reason: 'unexpected-field', part: name }),
    file: (name, received) => {
      if (name === CONFIG_PART) {
        // Bounded by both limits: busboy cuts every file part at the upload limit.
        return { keep: 'text', maxBytes: Math.min(MAX_CONFIG_BYTES, config.maxUploadBytes) };
      }
      if (name !== DATA_PART) {
        return { reason: 'unexpected-file', part: name };
      }
      const first = received.find((file) => file.field === DATA_PART);
      return first
        ? { reason: 'too-many-files', part: name, first: first.field, max: 1 }
        : { keep: 'disk', sha256: true };
    },
    refuse: refuseModelUpload,
  }),
};

/** How the model upload words a refusal: `model upload: …`, naming the part and the limit. */
function refuseModelUpload(refusal: Refusal): Error {
  switch (refusal.reason) {
    case 'not-multipart':
      return notMultipart(refusal.contentType ?? '', refusal.body);
    case 'bad-header':
      return new InvalidInputError(
        `model upload: Content-Type '${refusal.contentType}' is not usable multipart/form-data with a boundary (${refusal.detail})`,
      );
    case 'unexpected-field':
      return refusal.part === 'ngc'
        ? new InvalidInputError(`model upload: part 'ngc': downloading models from NGC is not supported here`)
        : unexpectedPart(refusal.part);
    case 'unexpected-file':
      return unexpectedPart(refusal.part);
    case 'too-many-files':
      return new InvalidInputError(`model upload: more than one '${DATA_PART}' part`);
    case 'too-many-parts':
      return new InvalidInputError(`model upload: too many parts (${refusal.limit})`);
    case 'field-too-large':
      return new TooLargeError(`model upload: part '${refusal.part}' is over the ${refusal.maxBytes} byte limit`);
    case 'file-too-large':
      return new TooLargeError(
        refusal.part === DATA_PART
          ? `model upload: part '${DATA_PART}' is over the ${refusal.maxBytes} byte limit (--max_upload_mb ${Math.round(refusal.maxBytes / 1048576)})`
          : `model upload: part '${refusal.part}' is over the ${refusal.maxBytes} byte limit`,
      );
    case 'body-too-large':
      return new TooLargeError(`model upload: the parts total more than ${refusal.maxBytes} bytes (--max_upload_mb)`);
    case 'staging-full':
      return stagingFull('model upload', refusal.limitBytes);
    case 'unwritable':
      return new InvalidInputError(`model upload: part '${refusal.part}': ${refusal.detail}`);
    case 'malformed':
      return new InvalidInputError(`model upload: malformed multipart body: ${refusal.detail}`);
    case 'disconnected':
      return new CancelledError('model upload: the client disconnected before the body ended');
    case 'stalled':
      return new UploadStalledError('model upload', refusal.deadline);
  }
}

function unexpectedPart(name: string): InvalidInputError {
  return new InvalidInputError(
    `model upload: unexpected part '${name}' (expected '${CONFIG_PART}' and/or '${DATA_PART}')`,
  );
}

function notMultipart(contentType: string, body: unknown): InvalidInputError {
  if (/json/i.test(contentType) && typeof body === 'object' && body !== null && 'path' in body) {
    return new InvalidInputError(
      `model upload: a JSON body {"path", "version"} names an NGC model; downloading from NGC is not supported here, ` +
        `upload the files as multipart parts '${CONFIG_PART}' and '${DATA_PART}'`,
    );
  }
  return new InvalidInputError(
    `model upload: Content-Type '${contentType || 'none'}', expected multipart/form-data with parts '${CONFIG_PART}' and/or '${DATA_PART}'`,
  );
}
