import { ConfigError, EngineUnavailableError } from '@aiaa/core';
import type { InferenceEngine } from './engine';
import type { EngineName } from './model-config';
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

/** The engines this server can start, by `--engine` name. A new engine is one line here. */
const ENGINES: { readonly [K in EngineName]?: EngineFactory } = {
  AIAA: (options) => new OnnxEngine(options.onnx),
  TRITON: (options) => {
    if (!options.triton) {
      throw new ConfigError('triton', 'the TRITON engine needs the Triton address (--triton_ip, --triton_port)');
    }
    return TritonEngine.create(options.triton);
  },
};

/** Engine names {@link createEngine} knows. */
export function engineNames(): EngineName[] {
  return Object.keys(ENGINES) as EngineName[];
}

/**
 * The engine named by `--engine`.
 * @throws EngineUnavailableError when no engine of that name is listed; ConfigError when its options are missing or
 *   invalid (e.g. `triton_port`).
 */
export async function createEngine(name: EngineName, options: EngineOptions = {}): Promise<InferenceEngine> {
  const factory = ENGINES[name];
  if (!factory) {
    throw new EngineUnavailableError(name, `no engine '${name}' in this build (engines: ${engineNames().join(', ')})`);
  }
  return factory(options);
}
