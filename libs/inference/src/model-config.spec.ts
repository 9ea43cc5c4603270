import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@aiaa/core';
import { ModelConfig } from './model-config';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'configs');

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

function parseError(json: unknown): ConfigError {
  try {
    ModelConfig.parse(json, { engine: 'AIAA' });
  } catch (error) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ModelConfig on a v4 segmentation config (MONAI spleen)', () => {
  const json = fixture('v4-segmentation-spleen.json');
  const aiaa = ModelConfig.parse(json, { engine: 'AIAA', modelPath: '/ws/models/spleen/model.onnx', name: 'spleen' });
  const triton = ModelConfig.parse(json, { engine: 'TRITON', name: 'spleen' });

  it('reads the top-level fields, with the version as a string', () => {
    expect(aiaa.name).toBe('spleen');
    expect(aiaa.version).toBe('1');
    expect(aiaa.type).toBe('segmentation');
    expect(aiaa.labels).toEqual(['spleen']);
    expect(aiaa.description).toMatch(/^A pre-trained model for volumetric \(3D\) segmentation/);
    expect(aiaa.raw).toBe(json);
    expect(aiaa.getPath()).toBe('/ws/models/spleen/model.onnx');
  });

  it('keeps the transform lists as written', () => {
    expect(aiaa.preTransforms.map((t) => t.name)).toEqual([
      'monai.transforms.LoadImaged',
      'monai.transforms.AddChanneld',
      'monai.transforms.Spacingd',
      'monai.transforms.ScaleIntensityRanged',
    ]);
    expect(aiaa.preTransforms[2]?.args).toEqual({ keys: 'image', pixdim: [1, 1, 1] });
    expect(aiaa.postTransforms).toHaveLength(8);
    expect(aiaa.writer).toEqual({ name: 'aiaa.transforms.Writer', args: { image: 'pred', json: 'result' } });
    expect(aiaa.cacheUntil).toBeUndefined();
  });

  it('names input and output images from inference.input/output', () => {
    expect(aiaa.getInferenceInput()).toBe('image');
    expect(aiaa.getInferenceOutput()).toBe('pred');
  });

  it('selects the engine section by --engine', () => {
    expect(aiaa.inferenceName()).toBe('aiaa.inference.PyTorchInference');
    expect(triton.inferenceName()).toBe('aiaa.inference.TritonInference');
    expect(aiaa.inferenceArgs()).toMatchObject({ scanningWindow: true, roi: [160, 160, 160], overlap: 0.25 });
    expect(aiaa.inferenceArgs().all).toMatchObject({ device: 'cpu', sw_device: 'cuda' });
    expect(triton.inferenceArgs()).toMatchObject({ scanningWindow: true, roi: [160, 160, 160], overlap: 0.5 });
    expect(triton.inferenceArgs().batchSize).toBe(1);
  });

  it('takes tensor names and the Triton model config from TRITON.triton_model_config', () => {
    expect(triton.inputTensorNames()).toEqual(['INPUT__0']);
    expect(triton.outputTensorNames()).toEqual(['OUTPUT__0']);
    expect(triton.tritonModelConfig()).toMatchObject({ platform: 'pytorch_libtorch', max_batch_size: 1 });
  });

  it('has no listing extras for a segmentation model', () => {
    expect(aiaa.listingExtras()).toEqual({});
  });

  it('refuses getPath() without a model file', () => {
    expect(() => triton.getPath()).toThrow(ConfigError);
    expect(() => triton.getPath()).toThrow(/path: model 'spleen' has no model file/);
  });
});

describe('ModelConfig on a v3 segmentation config (Clara spleen)', () => {
  const config = ModelConfig.parse(fixture('v3-segmentation-spleen.json'), { engine: 'AIAA', name: 'seg' });

  it('reads the v3 inference keys', () => {
    expect(config.version).toBe('2');
    expect(config.getInferenceInput()).toBe('image');
    expect(config.getInferenceOutput()).toBe('model');
    expect(config.inferenceArgs()).toMatchObject({
      scanningWindow: true,
      roi: [160, 160, 160],
      batchSize: 3,
      overlap: 0.25,
      imageFormat: 'CDHW',
    });
  });

  it('defaults the inference class to the engine built-in', () => {
    expect(config.inferenceName()).toBe('NativeInference');
    expect(ModelConfig.parse(fixture('v3-segmentation-spleen.json'), { engine: 'TRITON' }).inferenceName()).toBe(
      'aiaa.inference.TritonInference',
    );
  });

  it('takes tensor names from tf.input_nodes/output_nodes and Triton settings from trtis', () => {
    expect(config.inputTensorNames()).toEqual(['NV_MODEL_INPUT']);
    expect(config.outputTensorNames()).toEqual(['NV_MODEL_OUTPUT']);
    expect(config.tritonModelConfig()).toMatchObject({ platform: 'tensorflow_graphdef', max_batch_size: 8 });
  });

  it('accepts v3 string booleans in transform args untouched', () => {
    expect(config.preTransforms[0]?.args['as_closest_canonical']).toBe('false');
  });
});

describe('ModelConfig listing extras', () => {
  it('gives annotation models padding, roi and sigma', () => {
    const config = ModelConfig.parse(fixture('v3-annotation-dextr3d.json'), { engine: 'AIAA' });
    expect(config.listingExtras()).toEqual({ padding: 20, roi: [128, 128, 128], sigma: 3 });
  });

  it('defaults padding 20, roi 128³ and sigma 3 for a bare annotation model', () => {
    const config = ModelConfig.parse({ type: 'annotation', labels: ['liver'] }, { engine: 'AIAA' });
    expect(config.listingExtras()).toEqual({ padding: 20, roi: [128, 128, 128], sigma: 3 });
  });

  it('copies inference.meta_data (deepgrow 3D) and reads cache_until', () => {
    const config = ModelConfig.parse(fixture('v4-deepgrow-3d.json'), { engine: 'TRITON' });
    expect(config.type).toBe('deepgrow');
    expect(config.metaData).toEqual({ deepgrow: '3D' });
    expect(config.listingExtras()).toEqual({ deepgrow: '3D' });
    expect(config.cacheUntil).toBe('LoadImaged');
    expect(config.inputTensorNames()).toEqual(['INPUT__0']);
  });

  it('reads a pipeline config: class and model list from the engine args', () => {
    const config = ModelConfig.parse(fixture('v4-deepgrow-pipeline.json'), { engine: 'AIAA' });
    expect(config.type).toBe('pipeline');
    expect(config.inferenceName()).toBe('aiaa.apps.deepgrow.DeepgrowInferencePipeline');
    expect(config.inferenceArgs().batchSize).toBe(32);
    expect(config.inferenceArgs().all['models']).toEqual([
      'clara_pt_deepgrow_2d_annotation',
      'clara_pt_deepgrow_3d_annotation',
    ]);
    expect(config.hasModelFile()).toBe(false);
  });

  it('falls back to the other engine section when the chosen one is absent', () => {
    const config = ModelConfig.parse(
      { type: 'segmentation', inference: { TRITON: { name: 'custom.Infer', args: { roi: [64, 64, 64] } } } },
      { engine: 'AIAA' },
    );
    expect(config.inferenceName()).toBe('custom.Infer');
    expect(config.inferenceArgs().roi).toEqual([64, 64, 64]);
  });
});

describe('ModelConfig.parse rejects bad configs', () => {
  it('rejects a config that is not an object', () => {
    for (const bad of [null, [], 'text', 3]) {
      const error = parseError(bad);
      expect(error.kind).toBe('invalid-input');
      expect(error.message).toMatch(/^config_aiaa.json must be a JSON object/);
    }
  });

  it('rejects a roi that is not 3 positive integers, naming inference.roi', () => {
    const error = parseError({ inference: { roi: [160, -1, 160] } });
    expect(error.path).toBe('inference.roi[1]');
    expect(error.message).toMatch(/^inference\.roi\[1\]: expected 3 positive integers/);
    expect(parseError({ inference: { roi: 'big' } }).path).toBe('inference.roi');
  });

  it('names the engine args field', () => {
    const error = parseError({ inference: { AIAA: { args: { roi: [1.5, 2, 3] } } } });
    expect(error.path).toBe('inference.AIAA.args.roi[0]');
    expect(parseError({ inference: { TRITON: { args: { overlap: 1 } } } }).path).toBe('inference.TRITON.args.overlap');
    expect(parseError({ inference: { batch_size: 0 } }).path).toBe('inference.batch_size');
    expect(parseError({ inference: { scanning_window: 'yes' } }).message).toBe(
      'inference.scanning_window: expected a boolean, got string "yes"',
    );
  });

  it('rejects an unknown type, listing the allowed ones', () => {
    const error = parseError({ type: 'detection' });
    expect(error.path).toBe('type');
    expect(error.message).toMatch(/^type: expected one of "segmentation", .*"pipeline", got "detection"/);
  });

  it('rejects wrong types of top-level fields', () => {
    expect(parseError({ labels: 'spleen' }).message).toBe('labels: expected array, got string "spleen"');
    expect(parseError({ labels: ['spleen', 3] }).path).toBe('labels[1]');
    expect(parseError({ description: 42 }).path).toBe('description');
    expect(parseError({ version: true }).path).toBe('version');
  });

  it('rejects transform entries without a name, naming the index', () => {
    expect(parseError({ pre_transforms: [{ name: 'LoadNifti' }, { args: {} }] }).message).toBe(
      'pre_transforms[1].name: is required',
    );
    expect(parseError({ post_transforms: {} }).path).toBe('post_transforms');
    expect(parseError({ writer: { name: 'WriteNifti', args: [] } }).path).toBe('writer.args');
  });

  it('rejects bad tensor declarations', () => {
    const error = parseError({ inference: { tf: { input_nodes: { image: 1 } } } });
    expect(error.path).toBe('inference.tf.input_nodes.image');
    expect(
      parseError({ inference: { TRITON: { triton_model_config: { input: [{ data_type: 'TYPE_FP32' }] } } } }).path,
    ).toBe('inference.TRITON.triton_model_config.input[0].name');
  });
});

describe('ModelConfig.parse: nothing is silently ignored', () => {
  it.each([
    [{ post_transform: [] }, "post_transform: unknown key; did you mean 'post_transforms'?"],
    [{ labels: [], Labels: [] }, "Labels: unknown key; did you mean 'labels'?"],
    [{ inference: { scaning_window: true } }, "inference.scaning_window: unknown key; did you mean 'scanning_window'?"],
    [{ inference: { AIAA: { nmae: 'x' } } }, "inference.AIAA.nmae: unknown key; did you mean 'name'?"],
    [{ writer: { name: 'WriteNifti', arg: {} } }, "writer.arg: unknown key; did you mean 'args'?"],
    [{ pre_transforms: [{ name: 'X', argz: {} }] }, "pre_transforms[0].argz: unknown key; did you mean 'args'?"],
    [{ inference: { tf: { input_node: {} } } }, "inference.tf.input_node: unknown key; did you mean 'input_nodes'?"],
  ])('refuses %j: %s', (json, message) => {
    const error = parseError(json);
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('lists the keys of the section when no key is close', () => {
    expect(parseError({ checkpoint: 'x' }).message).toBe(
      'checkpoint: unknown key (the keys here: name, path, version, type, labels, description, pre_transforms, ' +
        'post_transforms, writer, cache_until, inference)',
    );
  });

  it('takes any key where the schema says so: inference args, meta_data, Triton configuration', () => {
    const config = ModelConfig.parse(
      {
        inference: {
          args: { device: 'cuda', models: ['a'] },
          meta_data: { deepgrow: '3D', anything: 1 },
          AIAA: { args: { sw_device: 'cpu' } },
          TRITON: { triton_model_config: { platform: 'onnxruntime_onnx', max_batch_size: 4 } },
        },
      },
      { engine: 'AIAA' },
    );
    expect(config.inferenceArgs().all).toMatchObject({ device: 'cuda', sw_device: 'cpu' });
    expect(config.metaData).toEqual({ deepgrow: '3D', anything: 1 });
  });
});
