import { EngineUnavailableError } from '@aiaa/core';
import type { InferenceEngine } from './engine';
import type { EngineName } from './model-config';
import { OnnxEngine, type OnnxEngineOptions } from './native/onnx-engine';

/** Options of every engine, each under its own key; an engine reads only its own. */
export interface EngineOptions {
  /** `AIAA`: onnxruntime session options. */
  readonly onnx?: OnnxEngineOptions;
}

/** The engines this server can start, by `--engine` name. A new engine is one line here. */
const ENGINES: { readonly [K in EngineName]?: (options: EngineOptions) => InferenceEngine } = {
  AIAA: (options) => new OnnxEngine(options.onnx),
};

/** Engine names {@link createEngine} knows. */
export function engineNames(): EngineName[] {
  return Object.keys(ENGINES) as EngineName[];
}

/**
 * The engine named by `--engine`.
 * @throws EngineUnavailableError when no engine of that name is listed.
 */
export function createEngine(name: EngineName, options: EngineOptions = {}): InferenceEngine {
  const factory = ENGINES[name];
  if (!factory) {
    throw new EngineUnavailableError(name, `no engine '${name}' in this build (engines: ${engineNames().join(', ')})`);
  }
  return factory(options);
}
