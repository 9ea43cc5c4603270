import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ErrorKind } from '@aiaa/core';
import { ERROR_KINDS_SENT, type ErrorReply } from './domain-error.filter';

/** The body of every 4xx/5xx reply, as the OpenAPI document shows it (one schema, `Error`). */
@ApiSchema({
  name: 'Error',
  description:
    'The body of every error reply: the status, its text, a message that says what is wrong and where (the part, ' +
    'field, query parameter or config path at fault), and the kind of error.',
})
export class ErrorReplyDto implements ErrorReply {
  @ApiProperty({ example: 400, description: 'The HTTP status, repeated.' })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request', description: "The status text (`Session Expired` for AIAA's 440)." })
  error!: string;

  @ApiProperty({
    example: 'params.points[5]: [150, 200, 900] is outside the image (size [512, 512, 90])',
    description: 'What is wrong and where, expected versus got. A 500 names only the failed operation.',
  })
  message!: string;

  @ApiProperty({
    enum: ERROR_KINDS_SENT,
    example: 'invalid-input',
    description:
      'The kind of error, which fixes the status: `invalid-input` 400, `not-found` 404 (440 for a session), ' +
      '`conflict` 409, `too-large` 413, `unsupported-media` 415, `unavailable` 503, `timeout` 504 (408 for a ' +
      'stalled upload), `internal` ' +
      "500; `http` for the framework's own refusals (a query parameter of the wrong type, 403 on admin routes).",
  })
  kind!: ErrorKind | 'http';
}
