import { TransformContext } from '@aiaa/core';
import { makeImage } from '@aiaa/core/testing';
import { BUILTIN_INFERENCE_NAMES, Inference, isBuiltinInference } from './inference';
import { ModelConfig } from './model-config';

class ThresholdInference extends Inference {
  inference(_name: string, data: TransformContext, config: ModelConfig): Promise<TransformContext> {
    const image = data.getImage(config.getInferenceInput());
    const mask = Uint8Array.from(image.voxels, (v) => (v > 0.5 ? 1 : 0));
    data.setImage(config.getInferenceOutput(), image.with({ voxels: mask }));
    return Promise.resolve(data);
  }
}

describe('Inference', () => {
  it('lets a subclass write the output image named by the config', async () => {
    const config = ModelConfig.parse({ type: 'segmentation', inference: { output: 'pred' } }, { engine: 'AIAA' });
    const data = new TransformContext({ images: [['image', makeImage(Float32Array.of(0.2, 0.7, 0.9), [1, 1, 3])]] });
    const inference = new ThresholdInference();
    const out = await inference.inference('m', data, config);
    expect([...out.getImage('pred').voxels]).toEqual([0, 1, 1]);
    await expect(inference.close()).resolves.toBeUndefined();
  });

  it('knows the AIAA built-in inference names and no user class name', () => {
    expect(BUILTIN_INFERENCE_NAMES).toEqual(
      expect.arrayContaining(['TRTISInference', 'aiaa.inference.TritonInference', 'aiaa.inference.PyTorchInference']),
    );
    expect(isBuiltinInference('NativeInference')).toBe(true);
    expect(isBuiltinInference('custom_inference.CustomInference')).toBe(false);
  });
});
