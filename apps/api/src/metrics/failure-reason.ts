import { HttpException } from '@nestjs/common';
import { AiaaError, EngineUnavailableError } from '@aiaa/core';
import { PipelineStageError } from '@aiaa/inference';
import { SessionNotFoundError } from '../common/session-not-found.error';
import { UploadStalledError } from '../upload/upload-stalled.error';

/** The `reason` label of a failed request: a short, bounded vocabulary (Triton's, plus the AIAA statuses). */
export type FailureReason =
  | 'bad_request'
  | 'not_found'
  | 'session_expired'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media'
  | 'upload_stalled'
  | 'unavailable'
  | 'engine'
  | 'timeout'
  | 'cancelled'
  | 'internal';

const BY_KIND: Readonly<Record<AiaaError['kind'], FailureReason>> = {
  'invalid-input': 'bad_request',
  'not-found': 'not_found',
  conflict: 'conflict',
  'too-large': 'too_large',
  'unsupported-media': 'unsupported_media',
  unavailable: 'unavailable',
  timeout: 'timeout',
  cancelled: 'cancelled',
  internal: 'internal',
};

/**
 * Why a request failed, for the metrics: a session that expired (440), an upload that stalled (408), the engine
 * (a failure inside the inference stage, or an engine that cannot be reached), else the error's kind.
 */
export function failureReason(error: unknown): FailureReason {
  if (error instanceof SessionNotFoundError) {
    return 'session_expired';
  }
  if (error instanceof UploadStalledError) {
    return 'upload_stalled';
  }
  if (error instanceof EngineUnavailableError) {
    return 'engine';
  }
  if (error instanceof PipelineStageError && error.stage.kind === 'inference' && error.kind === 'internal') {
    return 'engine';
  }
  if (error instanceof AiaaError) {
    return BY_KIND[error.kind];
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return status === 404
      ? 'not_found'
      : status === 413
        ? 'too_large'
        : status === 415
          ? 'unsupported_media'
          : status < 500
            ? 'bad_request'
            : 'internal';
  }
  return 'internal';
}
