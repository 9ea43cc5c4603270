import { applyDecorators, Post } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { ReceivesParts } from '../../upload/upload.interceptor';
import { INFERENCE_PARTS } from './dto/inference-parts.dto';
import type { InferenceKind } from './inference.service';

const INFERENCE_REPLY = {
  status: 200,
  description:
    'multipart/form-data: `params` (JSON) + `image` (`filename="result.nii.gz"`); the file alone with output=image; ' +
    'JSON alone when the model writes no image or with output=json. 440 for an unknown or expired session.',
} as const;

/**
 * The route stack every inference endpoint shares: `POST /v1/<kind>`, its summary, the multipart body the clients
 * send, and the replies (multipart, the file alone, or JSON).
 */
export function InferenceRoute(kind: InferenceKind, summary: string): MethodDecorator {
  return applyDecorators(
    Post(kind),
    ApiOperation({ summary }),
    ReceivesParts(INFERENCE_PARTS),
    ApiProduces('multipart/form-data', 'application/octet-stream', 'application/json'),
    ApiResponse(INFERENCE_REPLY),
  );
}
