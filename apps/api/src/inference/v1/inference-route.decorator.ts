import { applyDecorators, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { ApiMultipartReply } from '../../docs/api-replies.decorator';
import { ReceivesParts } from '../../upload/upload.interceptor';
import { inferenceParts } from './dto/inference-parts.dto';
import { INFERENCE_RESULT } from './dto/inference-params.dto';
import type { InferenceKind } from './inference.service';

/** What every inference route answers, whatever the model. */
const REPLY_TEXT =
  'Multipart by default: the result JSON (`params`) and the result file (`image`, `result.nii.gz` or the ' +
  "writer's format). `output=image`: the file alone. `output=json`, or a model whose writer writes no file " +
  '(classification): the JSON alone.';

/** The route's operation: its id, a one-line summary, and what it does in full. */
export interface InferenceOperation {
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
}

/**
 * The route stack every inference endpoint shares: `POST /v1/<kind>`, its operation, the multipart body the clients
 * send, the replies (multipart, the file alone, or JSON) and the errors.
 */
export function InferenceRoute(kind: InferenceKind, operation: InferenceOperation): MethodDecorator {
  return applyDecorators(
    Post(kind),
    ApiOperation({
      ...operation,
      description:
        `${operation.description}\n\nThe image comes as the file part, or from a session (\`session_id\`, ` +
        '`PUT /session/`): one upload, then many requests.',
    }),
    ReceivesParts(inferenceParts(kind)),
    ApiMultipartReply({ description: REPLY_TEXT, params: INFERENCE_RESULT, image: 'result.nii.gz', outputModes: true }),
    ApiErrors(400, 408, 413, 503, {
      404: 'No model by that name is loaded.',
      440: 'Unknown or expired `session_id`: upload the image again (`PUT /session/`).',
      504: 'The model ran past `--request_timeout_sec` and was cancelled.',
    }),
  );
}
