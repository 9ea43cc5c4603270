import type { IncomingMessage } from 'node:http';
import type { Type } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { BodyDeadline } from './upload-stalled.error';

/** One file part of a request, already on disk. */
export interface UploadedFile {
  /** The form field it came under (`datapoint`, `image`, `image0`, `data`...). */
  readonly field: string;
  /** The client's file name (`spleen.nii.gz`) when it sent one. */
  readonly filename: string | undefined;
  /** Where it was written: `<dir>/<field>-<n><extension>`. */
  readonly path: string;
  readonly bytes: number;
  /** SHA-256 of the content, hex, when the route asked for it. */
  readonly sha256?: string;
}

/** Why a multipart body is refused, before a route words it in its own terms. */
export type Refusal =
  | { readonly reason: 'not-multipart'; readonly contentType: string | undefined; readonly body: unknown }
  | { readonly reason: 'bad-header'; readonly contentType: string; readonly detail: string }
  | { readonly reason: 'unexpected-field'; readonly part: string }
  | { readonly reason: 'unexpected-file'; readonly part: string }
  | { readonly reason: 'too-many-files'; readonly part: string; readonly first: string; readonly max: number }
  | { readonly reason: 'too-many-parts'; readonly limit: 'partsLimit' | 'filesLimit' | 'fieldsLimit' }
  | { readonly reason: 'field-too-large'; readonly part: string; readonly maxBytes: number }
  | { readonly reason: 'file-too-large'; readonly part: string; readonly filename: string; readonly maxBytes: number }
  | { readonly reason: 'body-too-large'; readonly part: string; readonly maxBytes: number }
  | { readonly reason: 'staging-full'; readonly limitBytes: number }
  | { readonly reason: 'unwritable'; readonly part: string; readonly detail: string }
  | { readonly reason: 'malformed'; readonly detail: string }
  | { readonly reason: 'disconnected' }
  | { readonly reason: 'stalled'; readonly deadline: BodyDeadline };

/** What happens to an accepted file part: written to disk (optionally hashed), or read into `fields` as text. */
export type FileRule =
  { readonly keep: 'disk'; readonly sha256?: boolean } | { readonly keep: 'text'; readonly maxBytes: number };

/** Disk space an upload takes as its file parts arrive (see `UploadSpace`): false when the bytes do not fit. */
export interface StagingLedger {
  take(bytes: number): boolean;
  readonly limitBytes: number;
}

/** The parts one request may carry and how big they may be, with the route's wording of every refusal. */
export interface PartRules {
  /** Parent of the request's temp folder: on the filesystem its files are later renamed into. */
  readonly parentDir: string;
  /** Largest file part, in bytes. */
  readonly maxFileBytes: number;
  /** Most bytes of all file parts of the request together. */
  readonly maxTotalBytes: number;
  /** Largest text part, in bytes. */
  readonly maxFieldBytes: number;
  /** Most parts, file parts and text parts (busboy's limits; over them the request is refused). */
  readonly maxParts: number;
  readonly maxFileParts?: number;
  readonly maxFieldParts?: number;
  /** Longest field name, in bytes (busboy's default otherwise). */
  readonly maxFieldNameBytes?: number;
  /** Whether a text part is kept (in `fields`) or refused. */
  field(name: string): Refusal | undefined;
  /** Whether a file part is kept, and how, given the file parts already received; or why it is refused. */
  file(name: string, received: readonly UploadedFile[]): FileRule | Refusal;
  /** The route's error for a refusal (`request body: …`, `model upload: …`). */
  refuse(refusal: Refusal): Error;
}

/**
 * The multipart parts of one route family: the options its limits come from (a provider, read on every request),
 * its rules, and the parts as the OpenAPI document shows them. One declaration serves the receiver and `@ApiBody`.
 */
export interface UploadPolicy<O = unknown> {
  /** The provider holding the limits (`InferenceOptions`, `AppConfig`). */
  readonly options: Type<O>;
  rules(options: O, req: IncomingMessage): PartRules;
  /**
   * The route decodes images (inference, sessions, polygons): once its body is in, it waits for one of the
   * `--max_heavy_requests` turns, and gives it back when its reply is sent.
   */
  readonly heavy?: boolean;
  /** The parts of the body, for `@ApiBody({ schema })`. */
  readonly schema: SchemaObject;
}

/** Whether `value` is a {@link Refusal} rather than a rule. */
export function isRefusal(value: FileRule | Refusal | undefined): value is Refusal {
  return value !== undefined && 'reason' in value;
}

/** The name a file part is known by in messages: the client's file name, or its field when it sent none. */
export function clientFileName(file: UploadedFile): string {
  return file.filename ?? file.field;
}

/** {@link clientFileName} without the client's folders (`C:\\scans\\ct.nii` → `ct.nii`): never the server's path. */
export function clientBaseName(file: UploadedFile): string {
  return clientFileName(file).replace(/\\/g, '/').split('/').pop() || file.field;
}
