// A pipeline factory for the worker-pool specs: real catalogue transforms and a small inference whose output is known
// by hand. Loaded by path inside worker threads; never imported by production code.
import { threadId } from 'node:worker_threads';
import { CATALOGUE, TransformContext, TransformRegistry } from '@aiaa/core';
import { Inference } from '../inference';
import { ModelConfig } from '../model-config';
import { ModelPipeline } from '../pipeline/model-pipeline';
import type { PipelineSpec } from '../pipeline/pipeline-worker-protocol';

/**
 * `model = image > cut` (uint8). Request params steer the test: `busyMs` spins the CPU that long first (checking the
 * signal every millisecond), `exitCode` ends the worker thread, `fail` throws.
 */
class ThresholdInference extends Inference {
  constructor(private readonly cut: number) {
    super();
  }

  inference(_name: string, data: TransformContext, config: ModelConfig): Promise<TransformContext> {
    const { busyMs, exitCode, fail } = data.params as { busyMs?: number; exitCode?: number; fail?: string };
    if (exitCode !== undefined) {
      process.exit(exitCode);
    }
    if (fail !== undefined) {
      throw new TypeError(fail);
    }
    const until = performance.now() + (busyMs ?? 0);
    while (performance.now() < until && !data.signal?.aborted) {
      // Busy on purpose: stands for a CPU-bound model run that would block an event loop.
    }
    const image = data.getImage(config.getInferenceInput());
    const src = image.voxels;
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) {
      out[i] = (src[i] as number) > this.cut ? 1 : 0;
    }
    data.setImage(config.getInferenceOutput(), image.with({ voxels: out }));
    data.result()['threadId'] = threadId;
    return Promise.resolve(data);
  }
}

export function createPipeline(spec: PipelineSpec): Promise<ModelPipeline> {
  const config = ModelConfig.parse(spec.configJson, { engine: spec.engine, name: spec.modelName });
  return ModelPipeline.load({
    config,
    registry: new TransformRegistry(CATALOGUE),
    resolveInference: (_name, args) => new ThresholdInference(typeof args['cut'] === 'number' ? args['cut'] : 0.5),
  });
}
