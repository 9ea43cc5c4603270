// @aiaa/client: a typed client of the AIAA server, generated from its OpenAPI document (`npm run openapi`), and the
// helpers for what the document cannot say: multipart uploads from a path or bytes, and AIAA's multipart reply.
import type { components } from './generated/aiaa-api';
import type { MultipartReply } from './multipart-reply';

/** The typed client and its options. */
export { createAiaaClient, type AiaaClient, type AiaaClientOptions } from './create-client';
/** Every route, operation and schema of the server's OpenAPI document, as TypeScript types. */
export type { components, operations, paths } from './generated/aiaa-api';
/** Reads AIAA's multipart reply (`params` JSON + `image` file) into `{params, image: Buffer, filename}`. */
export { parseMultipartReply, readMultipartReply, type MultipartReply } from './multipart-reply';
/** File parts from a path or bytes, and the multipart body serializer the client sends every body with. */
export { filePart, formDataOf } from './upload-parts';

/** A component schema of the document by name: `Schema<'ModelInfo'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
/** One loaded model, as `GET /v1/models` lists it. */
export type ModelInfo = Schema<'ModelInfo'>;
/** An image uploaded once for many requests (`PUT /session/`). */
export type SessionInfo = Schema<'SessionInfo'>;
/** A model's row in the registry (`/admin/model`). */
export type ModelRecord = Schema<'ModelRecord'>;
/** The body of every error reply: `{statusCode, error, message, kind}`. */
export type ErrorReply = Schema<'Error'>;
/** The JSON result of an inference route (the `params` part of its reply). */
export type InferenceResult = Schema<'InferenceResult'>;
/** The reply of an inference route, read with {@link readMultipartReply}. */
export type InferenceReply = MultipartReply<InferenceResult>;
