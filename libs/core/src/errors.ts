/**
 * The one error family of the libraries. Each error carries a `kind` that the server maps to an HTTP status
 * (invalid-input → 400, not-found → 404, conflict → 409, too-large → 413, unsupported-media → 415,
 * unavailable → 503, timeout → 504, cancelled → 499, logged only since nobody is left to read it, internal → 500)
 * and a message that says what, where, expected versus got.
 */
export type ErrorKind =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media'
  | 'unavailable'
  | 'timeout'
  | 'cancelled'
  | 'internal';

/** Base class of every error the libraries throw on purpose. */
export class AiaaError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A NIfTI file (or byte buffer) that cannot be read: names the file and the header field at fault. */
export class InvalidNiftiError extends AiaaError {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly detail: string,
    kind: ErrorKind = 'invalid-input',
  ) {
    super(kind, `${file}: ${field}: ${detail}`);
  }
}

/** A model config (`config_aiaa.json`) that cannot be used; `path` is e.g. `pre_transforms[2].args.a_min`. */
export class ConfigError extends AiaaError {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super('invalid-input', path ? `${path}: ${detail}` : detail);
  }
}

/** Request input (params, points, images) that a transform or engine cannot use. */
export class InvalidInputError extends AiaaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-input', message, options);
  }
}

/** An input whose size exceeds a configured limit. */
export class TooLargeError extends AiaaError {
  constructor(message: string) {
    super('too-large', message);
  }
}

/** Input in an encoding that is understood but not supported, e.g. a compressed DICOM transfer syntax. */
export class UnsupportedMediaError extends AiaaError {
  constructor(message: string) {
    super('unsupported-media', message);
  }
}

/** No model registered under that name. */
export class ModelNotFoundError extends AiaaError {
  constructor(readonly modelName: string) {
    super('not-found', `model '${modelName}' is not loaded`);
  }
}

/** An inference engine (onnxruntime, Triton) that cannot serve right now. */
export class EngineUnavailableError extends AiaaError {
  constructor(
    readonly engine: string,
    cause: unknown,
  ) {
    super('unavailable', `${engine} is unavailable: ${describeError(cause)}`, { cause });
  }
}

/** Work stopped because its deadline passed. */
export class TimeoutError extends AiaaError {
  constructor(message: string) {
    super('timeout', message);
  }
}

/** Work stopped because its caller went away (client disconnect, AbortSignal). */
export class CancelledError extends AiaaError {
  constructor(message = 'cancelled') {
    super('cancelled', message);
  }
}

/** The message of anything thrown, for wrapping errors from third-party code. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
