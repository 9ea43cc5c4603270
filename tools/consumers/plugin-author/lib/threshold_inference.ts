// A plugin author's inference, compiled with tsc against @aiaa/inference's declarations and dropped, as JavaScript,
// into <workspace>/lib: config_aiaa.json names it `threshold_inference.ThresholdInference`.
import { type TransformContext, allocateVoxels } from '@aiaa/core';
import { Inference, type ModelConfig } from '@aiaa/inference';

/** `inference.args` of the config. */
export interface ThresholdInferenceArgs {
  /** Voxels at or above this value (Hounsfield units for a CT) are foreground. */
  readonly min_hu: number;
}

/** Labels every voxel of the input image at or above `min_hu` 1, the others 0, on the input's grid. */
export class ThresholdInference extends Inference {
  readonly #minHu: number;

  constructor(args: ThresholdInferenceArgs) {
    super();
    if (typeof args.min_hu !== 'number' || !Number.isFinite(args.min_hu)) {
      throw new TypeError(`ThresholdInference: args.min_hu must be a finite number, got ${String(args.min_hu)}`);
    }
    this.#minHu = args.min_hu;
  }

  async inference(_name: string, data: TransformContext, config: ModelConfig): Promise<TransformContext> {
    const inputKey = config.getInferenceInput();
    const image = data.getImage(inputKey);
    const mask = allocateVoxels('uint8', image.voxels.length);
    for (let i = 0; i < image.voxels.length; i++) {
      mask[i] = (image.voxels[i] as number) >= this.#minHu ? 1 : 0;
    }
    data.setImage(config.getInferenceOutput(), image.with({ voxels: mask }));
    data.copyGeometry(inputKey, config.getInferenceOutput());
    return data;
  }
}
