import type { TransformContext } from '@aiaa/core';
import type { ModelConfig } from './model-config';

/**
 * Inference names that mean "run the uploaded model file with the engine chosen by `--engine`" rather than "load a
 * class from `<workspace>/lib`": AIAA v3's `TRTISInference`, v4's `aiaa.inference.TritonInference` and
 * `aiaa.inference.PyTorchInference`, and this server's own `NativeInference`.
 */
export const BUILTIN_INFERENCE_NAMES: readonly string[] = Object.freeze([
  'TRTISInference',
  'aiaa.inference.TritonInference',
  'aiaa.inference.PyTorchInference',
  'NativeInference',
  'aiaa.inference.NativeInference',
]);

/** True when `name` (a config's `inference.name`) is run by the server itself, not loaded from `<workspace>/lib`. */
export function isBuiltinInference(name: string): boolean {
  return BUILTIN_INFERENCE_NAMES.includes(name);
}

/**
 * The base class of an inference step, AIAA's `Inference` (`inference(name, data, config, triton_config)` and
 * `close()`). To bring your own, write a class in `<workspace>/lib/<module>.ts` (or `.js`) that extends it and name it
 * in `config_aiaa.json` as `"inference": {"name": "<module>.<Class>", "args": {...}}`; the server constructs it once
 * per model version with `args` and calls {@link Inference.inference} for every request:
 *
 * ```ts
 * import { Inference, type ModelConfig } from '@aiaa/inference';
 * import type { TransformContext } from '@aiaa/core';
 *
 * export class ThresholdInference extends Inference {
 *   async inference(name: string, data: TransformContext, config: ModelConfig): Promise<TransformContext> {
 *     const image = data.getImage(config.getInferenceInput());
 *     const mask = Uint8Array.from(image.voxels, (v) => (v > 0.5 ? 1 : 0));
 *     data.setImage(config.getInferenceOutput(), image.with({ voxels: mask }));
 *     return data;
 *   }
 * }
 * ```
 */
export abstract class Inference {
  /**
   * Runs the model on `data` and stores the result in it (by convention under `config.getInferenceOutput()`).
   * @param name - the model's registry name.
   * @param data - the request's context after the pre-transforms; check `data.signal` in long loops.
   * @param config - the model's validated `config_aiaa.json`.
   * @param tritonConfig - the model's Triton configuration (`config.tritonModelConfig()`) when the engine is TRITON.
   * @returns the context the post-transforms continue with (usually `data`).
   */
  abstract inference(
    name: string,
    data: TransformContext,
    config: ModelConfig,
    tritonConfig?: unknown,
  ): Promise<TransformContext>;

  /** Frees what the instance holds (sessions, files); called once when the model is unloaded. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
