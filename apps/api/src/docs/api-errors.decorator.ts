import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorReplyDto } from '../common/error-reply.dto';

/** The error statuses routes answer (see `DomainErrorFilter`). */
export type ErrorStatus = 400 | 403 | 404 | 408 | 409 | 413 | 415 | 429 | 440 | 500 | 501 | 503 | 504;

/** What each status means on any route; a route says more where it knows more (`{ 404: 'no such model' }`). */
const MEANING: Readonly<Record<ErrorStatus, string>> = {
  400: 'Bad input; the message names the part, field, query parameter or config path at fault.',
  403: 'An admin route, from a client outside `--admin_hosts` without a valid `Authorization: Bearer` admin token.',
  404: 'Not found; the message names what was asked for.',
  408:
    'The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within ' +
    '`--body_timeout_sec`; the server closes the connection.',
  409: 'Conflicts with the current state; the message says with what.',
  413:
    'Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an ' +
    'array the request would need past `--request_budget_mb` (the message names the step and the size).',
  415: 'An encoding the server cannot read (a compressed DICOM transfer syntax), named in the message.',
  429: 'This client holds as many sessions as `--sessions_per_client` allows; the reply has a `Retry-After`.',
  440: 'Unknown or expired `session_id` (AIAA\'s "Session Expired"; the clients then upload the image again).',
  500: 'Unexpected failure; the message names the failed operation, the cause is in the server log.',
  501: 'Not offered by this server; the message says what it does instead.',
  503:
    'Unavailable: the engine (Triton) cannot serve now, or the server is at its bound of image requests or staged ' +
    'upload bytes; try again later (`Retry-After`).',
  504: 'The work ran past `--request_timeout_sec` and was cancelled.',
};

/**
 * Documents the error replies of a route (or of every route of a controller): each status listed, and always 500,
 * with the one `Error` schema. A number takes the status' usual meaning; an object gives route-specific text:
 * `@ApiErrors(400, 413, { 404: 'no model by that name' })`.
 */
export function ApiErrors(
  ...entries: readonly (ErrorStatus | Partial<Record<ErrorStatus, string>>)[]
): MethodDecorator & ClassDecorator {
  const described = new Map<ErrorStatus, string>([[500, MEANING[500]]]);
  for (const entry of entries) {
    if (typeof entry === 'number') {
      described.set(entry, MEANING[entry]);
    } else {
      for (const [status, text] of Object.entries(entry) as [`${ErrorStatus}`, string][]) {
        described.set(Number(status) as ErrorStatus, text);
      }
    }
  }
  const schema = { $ref: getSchemaPath(ErrorReplyDto) };
  return applyDecorators(
    ApiExtraModels(ErrorReplyDto),
    ...[...described].map(([status, description]) =>
      ApiResponse({ status, description, content: { 'application/json': { schema } } }),
    ),
  );
}
