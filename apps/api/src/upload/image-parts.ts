import type { ReferenceObject } from '@nestjs/swagger';
import { CancelledError, InvalidInputError, TooLargeError } from '@aiaa/core';
import { RetryLaterError } from '../common/status-errors';
import { InferenceOptions } from '../inference/inference-options';
import { UploadStalledError } from './upload-stalled.error';
import type { PartRules, Refusal, UploadPolicy } from './upload-policy';

/**
 * The file part names AIAA clients use: `datapoint` (Python client), `image` (C++ client, OHIF, Slicer sessions),
 * and `image0`..`imageN` (OHIF sessions: one file, or the slices of a DICOM series on `PUT /session/` only).
 */
export function isImageField(name: string): boolean {
  return name === 'datapoint' || name === 'image' || /^image\d{1,4}$/.test(name);
}

/** The parts of a route that takes an image as the AIAA clients send it: `params` (JSON text) and file parts. */
export interface ImageParts {
  /** What `params` holds, for the OpenAPI document: its named schema, what it is for, and whether it must be sent. */
  readonly params: { readonly schema: ReferenceObject; readonly description: string; readonly required?: boolean };
  /** The file parts the OpenAPI document shows, with what each holds (any {@link isImageField} name is accepted). */
  readonly files: Readonly<Record<string, string>>;
  /** File part names accepted besides {@link isImageField}'s (MONAI Label's `files` on `PUT /session/`). */
  readonly otherFiles?: readonly string[];
  /** Text parts accepted besides `params`, with what each holds (read by nothing, like MONAI Label's `client_id`). */
  readonly fields?: Readonly<Record<string, string>>;
  /** Accept up to `InferenceOptions.maxFiles` file parts, a DICOM series (`PUT /session/`); else one file part. */
  readonly series?: boolean;
  /** The route's error for a body that is not multipart, when it has a more telling one than the default. */
  readonly notMultipart?: (body: unknown) => Error | undefined;
}

/**
 * The upload policy of a route taking `params` and image file parts (AIAA-API §1), within the limits of
 * {@link InferenceOptions}: any other part name, a file part too many or one over the limits is refused naming it.
 */
export function imageParts(parts: ImageParts): UploadPolicy<InferenceOptions> {
  const files = Object.fromEntries(
    Object.entries(parts.files).map(([name, description]) => [name, { type: 'string', format: 'binary', description }]),
  );
  const fields = Object.fromEntries(
    Object.entries(parts.fields ?? {}).map(([name, description]) => [name, { type: 'string', description }]),
  );
  const textParts = ['params', ...Object.keys(parts.fields ?? {})];
  const isFile = (name: string): boolean => isImageField(name) || (parts.otherFiles ?? []).includes(name);
  return {
    options: InferenceOptions,
    heavy: true,
    schema: {
      type: 'object',
      ...(parts.params.required ? { required: ['params'] } : {}),
      properties: {
        // A form field whose text is JSON: an object property of a multipart body (OpenAPI's default encoding).
        params: { allOf: [parts.params.schema], description: parts.params.description },
        ...fields,
        ...files,
      },
    },
    rules: (options): PartRules => {
      const maxFiles = parts.series ? options.maxFiles : 1;
      return {
        parentDir: options.uploadsDir,
        maxFileBytes: options.maxUploadBytes,
        // A DICOM series is many files: together they stay within the one-file limit.
        maxTotalBytes: options.maxUploadBytes,
        maxFieldBytes: options.maxFieldBytes,
        maxParts: maxFiles + 64,
        maxFieldNameBytes: 200,
        field: (name) => (textParts.includes(name) ? undefined : { reason: 'unexpected-field', part: name }),
        file: (name, received) => {
          if (!isFile(name)) {
            return { reason: 'unexpected-file', part: name };
          }
          if (received.length >= maxFiles) {
            return { reason: 'too-many-files', part: name, first: received[0]?.field ?? name, max: maxFiles };
          }
          return { keep: 'disk' };
        },
        refuse: (refusal) => refuseImageRequest(refusal, parts.notMultipart),
      };
    },
  };
}

/** How an image route words a refusal: the part at fault by name, the limit it broke. */
function refuseImageRequest(refusal: Refusal, notMultipart: ImageParts['notMultipart']): Error {
  switch (refusal.reason) {
    case 'not-multipart':
      return (
        notMultipart?.(refusal.body) ??
        new InvalidInputError(
          `request body: expected multipart/form-data with a 'params' field, got Content-Type '${refusal.contentType ?? 'none'}'`,
        )
      );
    case 'unexpected-field':
      return new InvalidInputError(
        `multipart field '${refusal.part}' is not accepted here (expected 'params' and one image file part)`,
      );
    case 'unexpected-file':
      return new InvalidInputError(
        `multipart file part '${refusal.part}' is not accepted here (expected 'datapoint' or 'image')`,
      );
    case 'too-many-files':
      return new InvalidInputError(
        `multipart file part '${refusal.part}': only ${refusal.max} file part(s) accepted, already got '${refusal.first}'` +
          (refusal.max === 1 ? ' (a DICOM series as image0..N is accepted by PUT /session/ only)' : ''),
      );
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

/** The refusals every image route words the same way; the route words the parts it expects (see the callers). */
type CommonRefusal = Exclude<
  Refusal,
  { reason: 'not-multipart' | 'unexpected-field' | 'unexpected-file' | 'too-many-files' }
>;

/** How any image or MONAI Label request words a refusal that does not depend on which parts it expects. */
export function refuseRequestBody(refusal: CommonRefusal): Error {
  switch (refusal.reason) {
    case 'bad-header':
      return new InvalidInputError(`request body: ${refusal.detail}`);
    case 'too-many-parts':
      return new InvalidInputError(`request body: too many parts (${refusal.limit})`);
    case 'field-too-large':
      return new TooLargeError(`multipart field '${refusal.part}' exceeds the ${refusal.maxBytes}-byte limit`);
    case 'file-too-large':
      return new TooLargeError(
        `multipart file part '${refusal.part}' (${refusal.filename}) exceeds the upload limit of ${refusal.maxBytes} bytes`,
      );
    case 'body-too-large':
      return new TooLargeError(
        `multipart file part '${refusal.part}': the file parts of the request total more than ${refusal.maxBytes} bytes (--max_upload_mb ${Math.round(refusal.maxBytes / 1048576)})`,
      );
    case 'staging-full':
      return stagingFull('request body', refusal.limitBytes);
    case 'unwritable':
      return new InvalidInputError(`multipart file part '${refusal.part}': ${refusal.detail}`);
    case 'malformed':
      return new InvalidInputError(`request body: malformed multipart data: ${refusal.detail}`);
    case 'disconnected':
      return new CancelledError('upload cancelled by the client');
    case 'stalled':
      return new UploadStalledError('request body', refusal.deadline);
  }
}

/** Uploads in progress fill the server's staging space: 503, try again shortly. */
export function stagingFull(what: string, limitBytes: number): RetryLaterError {
  return new RetryLaterError(
    503,
    `${what}: the server's space for uploads in progress is full (${Math.round(limitBytes / 1048576)} MiB, --max_staging_mb); retry shortly`,
    5,
  );
}

/**
 * Deepest nesting `params` may have: AIAA's params are a few levels deep (points are lists of lists); a deeper
 * document only costs stack in every later clone (to the pipeline workers) and stringification.
 */
export const MAX_PARAMS_DEPTH = 32;

/**
 * The `params` part as a JSON object (`{}` when absent or empty).
 * @throws InvalidInputError naming `params` when it is not JSON, not an object, or nested deeper than
 *   {@link MAX_PARAMS_DEPTH}.
 */
export function parseParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`multipart field 'params': not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(
      `multipart field 'params': expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  const depth = nestingDepth(value, MAX_PARAMS_DEPTH + 1);
  if (depth > MAX_PARAMS_DEPTH) {
    throw new InvalidInputError(
      `multipart field 'params': nested more than ${MAX_PARAMS_DEPTH} levels deep (objects and arrays within each other)`,
    );
  }
  return value as Record<string, unknown>;
}

/** How deep objects and arrays nest in a JSON value, counted without recursion and up to `stopAt` at most. */
function nestingDepth(root: unknown, stopAt: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    deepest = Math.max(deepest, depth);
    if (deepest >= stopAt) {
      return deepest;
    }
    for (const child of Object.values(value)) {
      stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
