import { ConfigError, EngineUnavailableError } from '@aiaa/core';
import type { InferenceEngine } from './engine';
import { OnnxEngine, type OnnxEngineOptions } from './engines/onnx/onnx-engine';
import { TritonEngine, type TritonEngineOptions } from './engines/triton/triton-engine';

/** Options of every engine, each under its own key; an engine reads only its own. */
export interface EngineOptions {
  /** `AIAA`: onnxruntime session options. */
  readonly onnx?: OnnxEngineOptions;
  /** `TRITON`: the server's address and deployment options (required for that engine). */
  readonly triton?: TritonEngineOptions;
}

type EngineFactory = (options: EngineOptions) => InferenceEngine | Promise<InferenceEngine>;

/**
 * The engines this server can start, by `--engine` name. A new engine is one folder under `engines/` (its
 * `InferenceEngine`), one line here and its name in {@link EngineName}.
 */
const ENGINES: Readonly<Record<EngineName, EngineFactory>> = {
  AIAA: (options) => new OnnxEngine(options.onnx),
  TRITON: (options) => {
    if (!options.triton) {
      throw new ConfigError('triton', 'the TRITON engine needs the Triton address (--triton_ip, --triton_port)');
    }
    return TritonEngine.create(options.triton);
  },
};

/**
 * An engine `--engine` can name (`AIAA`: in-process onnxruntime; `TRITON`: a Triton server over KServe v2 gRPC). The
 * compiler holds it and the keys of `ENGINES` equal: a name without its factory, or a factory without its name, fails.
 */
export type EngineName = 'AIAA' | 'TRITON';

/** Every engine name, in the order of `ENGINES`. */
export const ENGINE_NAMES: readonly EngineName[] = Object.freeze(Object.keys(ENGINES) as EngineName[]);

/** The engine that runs models inside this process: the one of `PUT /admin/model/{name}?native=true`. */
export const IN_PROCESS_ENGINE: EngineName = 'AIAA';

/**
 * The engine named by `--engine`.
 * @throws EngineUnavailableError when no engine of that name is listed; ConfigError when its options are missing or
 *   invalid (e.g. `triton_port`).
 */
export async function createEngine(name: EngineName, options: EngineOptions = {}): Promise<InferenceEngine> {
  const factory: EngineFactory | undefined = ENGINES[name];
  if (!factory) {
    throw new EngineUnavailableError(name, `no engine '${name}' in this build (engines: ${ENGINE_NAMES.join(', ')})`);
  }
  return factory(options);
}
