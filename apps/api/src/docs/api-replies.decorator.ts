import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeaderObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/** `Server-Timing`, sent by the routes that time their stages. */
const SERVER_TIMING: HeaderObject = {
  description:
    'Milliseconds per stage (`upload;dur=12.3, read;dur=40.1, infer;dur=80.6, …, total;dur=150.2`), then ' +
    '`cache;desc=hit` when the model skipped its pre-transforms for a kept snapshot of the session image.',
  schema: { type: 'string' },
};

const BINARY: SchemaObject = { type: 'string', format: 'binary' };

/** The 200 reply of a route answering a JSON result and a file (AIAA's multipart reply). */
export interface MultipartReplyOptions {
  /** What the reply holds. */
  readonly description: string;
  /** The schema of the `params` part: a DTO class (`@ApiSchema({ name })`) or a named schema's `$ref`. */
  readonly params: Type<unknown> | ReferenceObject;
  /** The file: its name (`result.nii.gz`, `result.png`) and format. */
  readonly image: string;
  /** `?output=image` answers the file alone, `?output=json` the params alone (the inference routes). */
  readonly outputModes?: boolean;
  /** Other files the route may answer instead, by media type (`application/dicom`: a DICOM SEG), with what each is. */
  readonly otherFiles?: Readonly<Record<string, string>>;
}

/**
 * Documents AIAA's multipart reply: `multipart/form-data` with a `params` part (the JSON result, sent as a plain
 * form field) and an `image` file part (`application/octet-stream`), and with `outputModes` the file alone
 * (`application/octet-stream`) or the JSON alone (`application/json`); with its `Server-Timing` header.
 */
export function ApiMultipartReply(options: MultipartReplyOptions): MethodDecorator {
  const params = typeof options.params === 'function' ? { $ref: getSchemaPath(options.params) } : options.params;
  const content: Record<string, { schema: SchemaObject | ReferenceObject; encoding?: Record<string, object> }> = {
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['params', 'image'],
        properties: {
          params: {
            allOf: [params],
            description: 'The JSON result: the first part, a form field without Content-Type whose text is JSON.',
          },
          image: { ...BINARY, description: `The result file, \`filename="${options.image}"\`.` },
        },
      },
      encoding: {
        params: { contentType: 'application/json' },
        image: { contentType: 'application/octet-stream' },
      },
    },
  };
  const headers: Record<string, HeaderObject> = { 'Server-Timing': SERVER_TIMING };
  if (options.outputModes) {
    content['application/octet-stream'] = { schema: { ...BINARY, description: 'The result file alone.' } };
    content['application/json'] = { schema: params };
    headers['Content-Disposition'] = {
      description: 'With `output=image`: `attachment; filename="result.nii.gz"`.',
      schema: { type: 'string' },
    };
  }
  for (const [mediaType, description] of Object.entries(options.otherFiles ?? {})) {
    content[mediaType] = { schema: { ...BINARY, description } };
  }
  return applyDecorators(
    ...(typeof options.params === 'function' ? [ApiExtraModels(options.params)] : []),
    ApiResponse({ status: 200, description: options.description, content, headers }),
  );
}

/** Documents a 200 reply that is a file (`mediaType`, binary). */
export function ApiFileReply(description: string, mediaType = 'application/octet-stream'): MethodDecorator {
  return ApiResponse({ status: 200, description, content: { [mediaType]: { schema: BINARY } } });
}

/** Documents a reply of `status` that is text (`text/plain`, `text/html`) of the named schema `schema`. */
export function ApiTextReply(
  status: number,
  description: string,
  mediaType: string,
  schema: ReferenceObject,
): MethodDecorator {
  return ApiResponse({ status, description, content: { [mediaType]: { schema } } });
}
