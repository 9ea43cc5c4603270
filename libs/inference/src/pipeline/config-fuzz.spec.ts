import { AiaaError, CATALOGUE, ConfigError, TransformRegistry } from '@aiaa/core';
import fc from 'fast-check';
import { Inference } from '../inference';
import { ModelConfig } from '../model-config';
import { ModelPipeline } from './model-pipeline';

// The config validator (ModelConfig.parse, then the transform registry building every step) on random input: it
// either loads or throws a ConfigError with a path, never another error, and never takes long.

class NoOpInference extends Inference {
  async inference(_name: string, data: Parameters<Inference['inference']>[1]) {
    return data;
  }
}

const registry = new TransformRegistry(CATALOGUE);
const NAMES = [...new Set(CATALOGUE.flatMap((t) => [t.name, ...(t.aliases ?? [])]))];

/** A real v3 config (AIAA-API §2b shape), the seed every mutation starts from. */
const VALID = {
  version: '1',
  type: 'segmentation',
  labels: ['spleen'],
  description: 'spleen',
  pre_transforms: [
    { name: 'LoadNifti', args: { fields: 'image', as_closest_canonical: 'true' } },
    { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
    { name: 'ScaleByResolution', args: { fields: 'image', target_resolution: [1.5, 1.5, 2.0] } },
    { name: 'ScaleIntensityRange', args: { fields: 'image', a_min: -57, a_max: 164, b_min: 0, b_max: 1, clip: true } },
  ],
  inference: { image: 'image', name: 'TRTISInference', args: { scanning_window: true, roi: [160, 160, 160] } },
  post_transforms: [
    { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
    { name: 'KeepLargestCC', args: { fields: 'model' } },
    { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
    { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } },
  ],
  writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
};

/** Loads `json` as the server does at upload; returns the error, or undefined when it loads. */
async function validate(json: unknown): Promise<unknown> {
  try {
    const config = ModelConfig.parse(json, { engine: 'AIAA', name: 'fuzz' });
    const pipeline = await ModelPipeline.load({ config, registry, resolveInference: () => new NoOpInference() });
    await pipeline.close();
    return undefined;
  } catch (error) {
    return error;
  }
}

function expectConfigErrorOrNothing(error: unknown): void {
  if (error === undefined) {
    return;
  }
  if (!(error instanceof ConfigError)) {
    throw new Error(`expected a ConfigError, got ${error instanceof Error ? error.stack : String(error)}`);
  }
  expect(error).toBeInstanceOf(AiaaError);
  expect(error.message.length).toBeGreaterThan(0);
}

/** Any JSON value, deep enough to reach transform args. */
const anyJson = fc.jsonValue({ maxDepth: 4 });

/** A step: a catalogue name (or a near miss) with random args. */
const step = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 }), anyJson),
  args: fc.oneof(
    fc.dictionary(
      fc.constantFrom(
        'fields',
        'keys',
        'field',
        'a_min',
        'a_max',
        'b_min',
        'b_max',
        'clip',
        'target_resolution',
        'dtype',
        'roi',
        'sigma',
        'pad',
      ),
      anyJson,
    ),
    anyJson,
  ),
});

describe('config validation on random input (fast-check)', () => {
  it('loads the unmutated seed config', async () => {
    expect(await validate(VALID)).toBeUndefined();
  });

  it('any JSON value as a whole config: a ConfigError or a load, never another error', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (json) => expectConfigErrorOrNothing(await validate(json))),
      { numRuns: 500 },
    );
  });

  it('the seed with one top-level field replaced by anything', async () => {
    const field = fc.constantFrom(...Object.keys(VALID), 'cache_until', 'triton_model_config', 'trtis', 'version');
    await fc.assert(
      fc.asyncProperty(field, anyJson, async (key, value) =>
        expectConfigErrorOrNothing(await validate({ ...VALID, [key]: value })),
      ),
      { numRuns: 500 },
    );
  });

  it('random step lists: errors name the list and index of the first bad step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 6 }), fc.array(step, { maxLength: 4 }), async (pre, post) => {
        const error = await validate({ ...VALID, pre_transforms: pre, post_transforms: post });
        expectConfigErrorOrNothing(error);
        if (error instanceof ConfigError) {
          expect(error.message).toMatch(/^(pre_transforms|post_transforms)(\[\d+\])?|^writer|^cache_until|^inference/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a config of 10 000 steps is refused or loaded within a second, not hung', async () => {
    const many = Array.from({ length: 10_000 }, () => ({ name: 'ConvertToChannelsFirst', args: { fields: 'image' } }));
    const started = Date.now();
    expectConfigErrorOrNothing(await validate({ ...VALID, pre_transforms: many }));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
