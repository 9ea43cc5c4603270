// A real model for the inference e2e specs, until models are uploaded through PUT /admin/model: a ModelPipeline
// built from a config_aiaa.json with catalogue transforms (ScaleIntensityRange, FetchExtremePoints), a threshold
// inference step and a NIfTI writer, registered in the app's runtime.
import * as path from 'node:path';
import {
  CATALOGUE,
  CancelledError,
  MedicalImage,
  TransformContext,
  TransformRegistry,
  writeNifti,
  type Transform,
} from '@aiaa/core';
import { Inference, ModelConfig, ModelPipeline } from '@aiaa/inference';
import { modelInfoOf } from '../src/runtime/model-loader';
import type { LoadedModel } from '../src/runtime/loaded-model';

/** Marks voxels of `image` above 0.5 with 1 in `model` (uint8), keeping the grid. */
class ThresholdInference extends Inference {
  inference(_name: string, data: TransformContext): Promise<TransformContext> {
    const image = data.getImage('image');
    const src = image.voxels;
    const mask = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) {
      mask[i] = (src[i] as number) > 0.5 ? 1 : 0;
    }
    data.setImage(
      'model',
      new MedicalImage({ voxels: mask, shape: image.shape, shapeFormat: image.shapeFormat, affine: image.affine }),
    );
    data.copyGeometry('image', 'model');
    return Promise.resolve(data);
  }
}

/** Waits until the request is cancelled (at most 20 s), then reports the cancellation; counts what it saw. */
export class WaitForCancelInference extends Inference {
  started = 0;
  cancelled = 0;

  async inference(_name: string, data: TransformContext): Promise<TransformContext> {
    this.started++;
    for (let waited = 0; waited < 20_000 && !data.signal?.aborted; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (data.signal?.aborted) {
      this.cancelled++;
      throw new CancelledError('cancelled while waiting');
    }
    return data;
  }
}

/** Writes image `model` as uint8 `<outputDir>/result.nii.gz` and returns the `result` JSON. */
function niftiWriter(name: string, _args: Record<string, unknown>, at: string): Transform {
  return {
    name,
    path: at,
    async apply(ctx: TransformContext): Promise<void> {
      const file = path.join(ctx.outputDir ?? '.', 'result.nii.gz');
      await writeNifti(file, ctx.getImage('model'), { dtype: 'uint8' });
      ctx.writerOutput = { file, json: ctx.result() };
    },
  };
}

/** Writes no file: the JSON-only reply of a classification model (voxel count above 0.5 after scaling). */
function jsonWriter(name: string, _args: Record<string, unknown>, at: string): Transform {
  return {
    name,
    path: at,
    apply(ctx: TransformContext): Promise<void> {
      let count = 0;
      const voxels = ctx.getImage('model').voxels;
      for (let i = 0; i < voxels.length; i++) {
        count += voxels[i] === 1 ? 1 : 0;
      }
      ctx.writerOutput = { json: { foreground_voxels: count } };
      return Promise.resolve();
    },
  };
}

export interface TestModelOptions {
  readonly name: string;
  readonly type: 'segmentation' | 'annotation' | 'deepgrow' | 'classification';
  /** Intensity window mapped to [0, 1]: voxels above the middle become foreground. */
  readonly aMin: number;
  readonly aMax: number;
  readonly writer?: 'nifti' | 'json';
  readonly inference?: Inference;
}

/** Builds the model's pipeline from its config and wraps it as the runtime's LoadedModel. */
export async function buildTestModel(options: TestModelOptions): Promise<LoadedModel> {
  const json = {
    version: 1,
    type: options.type,
    labels: ['spleen'],
    description: `threshold at the middle of [${options.aMin}, ${options.aMax}]`,
    pre_transforms: [
      {
        name: 'ScaleIntensityRange',
        args: { fields: 'image', a_min: options.aMin, a_max: options.aMax, b_min: 0, b_max: 1, clip: true },
      },
    ],
    inference: { name: 'test.Threshold' },
    post_transforms: [
      { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
    ],
    writer: { name: options.writer === 'json' ? 'test.JsonWriter' : 'test.NiftiWriter', args: {} },
  };
  const config = ModelConfig.parse(json, { engine: 'AIAA', name: options.name });
  const pipeline = await ModelPipeline.load({
    config,
    registry: new TransformRegistry(CATALOGUE),
    resolveInference: () => options.inference ?? new ThresholdInference(),
    resolveWriter: (name, args, at) =>
      name === 'test.JsonWriter' ? jsonWriter(name, args, at) : niftiWriter(name, args, at),
  });
  return {
    info: modelInfoOf(config),
    engine: 'AIAA',
    async run(ctx, runOptions) {
      const result = await pipeline.run(ctx, runOptions?.signal ? { signal: runOptions.signal } : {});
      return { ctx: result.ctx, timingsMs: { ...result.timingsMs } };
    },
    close: () => pipeline.close(),
  };
}
