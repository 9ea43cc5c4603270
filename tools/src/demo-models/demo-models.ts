import { buildIdentityModel, buildModel, buildWindowSegmenter } from '@aiaa/inference/testing';

/** A demo model: its folder name under `<workspace>/models`, its `config_aiaa.json` and its `model.onnx` bytes. */
export interface DemoModel {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  build(): Uint8Array;
}

/** ScaleIntensityRange of the demos: CT Hounsfield units [-100, 300] → [0, 1], clipped. */
const HU_MIN = -100;
const HU_MAX = 300;
const toUnit = (hu: number): number => (hu - HU_MIN) / (HU_MAX - HU_MIN);

/** The contrast-enhanced spleen of the demo CT lies mostly in 130–200 HU (liver, kidneys and vessels overlap it). */
const SPLEEN_HU: readonly [number, number] = [130, 200];

const TF_NODES = { input_nodes: { image: 'NV_MODEL_INPUT' }, output_nodes: { model: 'NV_MODEL_OUTPUT' } };

/**
 * `spleen_ct_threshold` (segmentation): CT scaled to [0, 1], smoothed in-plane (3×3 box), foreground where the mean
 * lies in 130–200 HU, run in sliding windows. A classical window rule written as a network, not a trained model: on
 * a contrast CT it marks the enhancing soft tissue, the spleen among it (the largest component is the liver, so
 * KeepLargestCC would drop the spleen; this model keeps every component).
 */
const spleenCtThreshold: DemoModel = {
  name: 'spleen_ct_threshold',
  config: {
    version: '3',
    type: 'segmentation',
    labels: ['spleen'],
    description:
      'Demo: voxels whose in-plane 3x3 mean lies in 130-200 HU, i.e. contrast-enhanced soft tissue: the spleen together with liver, kidneys and vessels (the largest component is the liver, so none is singled out). Run in 32x256x256 sliding windows. A classical rule expressed as an ONNX network, not a trained model.',
    pre_transforms: [
      { name: 'LoadNifti', args: { fields: 'image' } },
      { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
      {
        name: 'ScaleIntensityRange',
        args: { fields: 'image', a_min: HU_MIN, a_max: HU_MAX, b_min: 0.0, b_max: 1.0, clip: true },
      },
    ],
    inference: {
      image: 'image',
      scanning_window: true,
      roi: [32, 256, 256],
      overlap: 0.25,
      batch_size: 2,
      tf: TF_NODES,
    },
    post_transforms: [
      { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
      { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
      { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } },
    ],
    writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
  },
  build: () =>
    buildWindowSegmenter({
      inputName: 'NV_MODEL_INPUT',
      outputName: 'NV_MODEL_OUTPUT',
      low: toUnit(SPLEEN_HU[0]),
      high: toUnit(SPLEEN_HU[1]),
      smoothing: [1, 3, 3],
    }),
};

/** Bonus added to the foreground logit at an extreme point (the heat channel is 1 there, -1 far away). */
const POINT_BONUS = 0.1;

/**
 * `annotation_ct_dextr3d` (annotation, DEXTR3D-shaped): the client's six extreme points crop the CT (20 mm margin,
 * resampled to 128³), AddExtremePointsChannel adds their Gaussian heat map as channel 1, and the network marks voxels
 * whose in-plane 3×3 mean of channel 0 lies in 130–200 HU, with a bonus near the points (so the boundary the user
 * clicked is kept); the largest component inside the box is the result.
 */
const annotationCtDextr3d: DemoModel = {
  name: 'annotation_ct_dextr3d',
  config: {
    version: '3',
    type: 'annotation',
    labels: ['spleen'],
    description:
      'Demo DEXTR3D: crop around the six extreme points, then voxels whose in-plane 3x3 mean lies in 130-200 HU, favoured near the points; largest component kept. A classical rule expressed as an ONNX network, not a trained model.',
    pre_transforms: [
      { name: 'LoadNifti', args: { fields: 'image' } },
      { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
      { name: 'CropByExtremePoints', args: { image_field: 'image', points: 'points', pad: 20, roi: [128, 128, 128] } },
      {
        name: 'ScaleIntensityRange',
        args: { fields: 'image', a_min: HU_MIN, a_max: HU_MAX, b_min: 0.0, b_max: 1.0, clip: true },
      },
      { name: 'AddExtremePointsChannel', args: { image_field: 'image', points: 'points', sigma: 3 } },
    ],
    inference: {
      image: 'image',
      scanning_window: false,
      batch_size: 1,
      roi: [128, 128, 128],
      padding: 20,
      tf: TF_NODES,
    },
    post_transforms: [
      { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
      { name: 'KeepLargestCC', args: { fields: 'model' } },
      { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
      { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } },
    ],
    writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
  },
  build: () => buildPointGuidedSegmenter(toUnit(SPLEEN_HU[0]), toUnit(SPLEEN_HU[1]), POINT_BONUS),
};

/**
 * Input `[N, 2, D, H, W]` (image, extreme-point heat in [-1, 1]) → logits `[N, 2, D, H, W]`:
 * foreground `min(s − low, high − s) + bonus × (heat + 1) / 2` with `s` the in-plane 3×3 mean of the image channel.
 */
function buildPointGuidedSegmenter(low: number, high: number, bonus: number): Uint8Array {
  const input = 'NV_MODEL_INPUT';
  const output = 'NV_MODEL_OUTPUT';
  // Channel 0 averaged over 1×3×3; channel 1 ignored by the smoothing kernel.
  const smoothing = new Float32Array(2 * 9);
  smoothing.fill(1 / 9, 0, 9);
  return buildModel({
    graphName: 'point_guided_window_segmenter',
    docString: `in-plane 3x3 mean in [${low}, ${high}], plus ${bonus} x (heat + 1) / 2 near the extreme points`,
    inputs: [{ name: input, dtype: 'float32', shape: ['N', 2, 'D', 'H', 'W'] }],
    outputs: [{ name: output, dtype: 'float32', shape: ['N', 2, 'D', 'H', 'W'] }],
    initializers: [
      { name: 'smoothing', dtype: 'float32', shape: [1, 2, 1, 3, 3], data: smoothing },
      { name: 'heat_weight', dtype: 'float32', shape: [1, 2, 1, 1, 1], data: Float32Array.of(0, bonus / 2) },
      { name: 'heat_bias', dtype: 'float32', shape: [1], data: Float32Array.of(bonus / 2) },
      { name: 'low', dtype: 'float32', shape: [], data: Float32Array.of(low) },
      { name: 'high', dtype: 'float32', shape: [], data: Float32Array.of(high) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: [input, 'smoothing'],
        outputs: ['smoothed'],
        attributes: {
          kernel_shape: { type: 'ints', value: [1, 3, 3] },
          pads: { type: 'ints', value: [0, 1, 1, 0, 1, 1] },
        },
      },
      {
        opType: 'Conv',
        inputs: [input, 'heat_weight', 'heat_bias'],
        outputs: ['point_bonus'],
        attributes: { kernel_shape: { type: 'ints', value: [1, 1, 1] } },
      },
      { opType: 'Sub', inputs: ['smoothed', 'low'], outputs: ['above_low'] },
      { opType: 'Sub', inputs: ['high', 'smoothed'], outputs: ['below_high'] },
      { opType: 'Min', inputs: ['above_low', 'below_high'], outputs: ['in_window'] },
      { opType: 'Add', inputs: ['in_window', 'point_bonus'], outputs: ['foreground'] },
      { opType: 'Neg', inputs: ['foreground'], outputs: ['background'] },
      {
        opType: 'Concat',
        inputs: ['background', 'foreground'],
        outputs: [output],
        attributes: { axis: { type: 'int', value: 1 } },
      },
    ],
  });
}

/** Weight of the click channels: a click's own voxel gains (foreground) or loses (background) a full 1 of logit. */
const CLICK_WEIGHT = 1;

/**
 * `deepgrow_ct_window` (deepgrow 3D, MONAI v4 schema): a 32×192×192 box around the clicks, CT scaled to [0, 1], the
 * foreground and background click maps (Gaussians, σ 2 voxels, each scaled to [0, 1]) as channels 1 and 2. The
 * network's logit is `min(s − low, high − s) + fg − bg` with `s` the in-plane 3×3 mean in the 130–200 HU window, so
 * enhancing tissue is grown, a foreground click is always inside and a background click always outside the mask.
 */
const deepgrowCtWindow: DemoModel = {
  name: 'deepgrow_ct_window',
  config: {
    version: 1,
    type: 'deepgrow',
    labels: [],
    description:
      'Demo Deepgrow 3D: in a 32x192x192 box around the clicks, voxels whose in-plane 3x3 mean lies in 130-200 HU, pushed in near foreground clicks and out near background clicks (each click decides its own voxel). A classical rule expressed as an ONNX network, not a trained model.',
    pre_transforms: [
      { name: 'monai.transforms.LoadImaged', args: { keys: 'image' } },
      {
        name: 'monai.apps.deepgrow.transforms.AddGuidanceFromPointsd',
        args: { ref_image: 'image', guidance: 'guidance', dimensions: 3 },
      },
      { name: 'monai.transforms.AddChanneld', args: { keys: 'image' } },
      {
        name: 'monai.apps.deepgrow.transforms.SpatialCropGuidanced',
        args: { keys: 'image', guidance: 'guidance', spatial_size: [32, 192, 192] },
      },
      {
        name: 'monai.transforms.ScaleIntensityRanged',
        args: { keys: 'image', a_min: HU_MIN, a_max: HU_MAX, b_min: 0.0, b_max: 1.0, clip: true },
      },
      { name: 'monai.apps.deepgrow.transforms.AddGuidanceSignald', args: { image: 'image', guidance: 'guidance' } },
    ],
    inference: {
      input: 'image',
      output: 'pred',
      meta_data: { deepgrow: '3D' },
      AIAA: { name: 'aiaa.inference.PyTorchInference', args: {} },
    },
    post_transforms: [
      { name: 'monai.transforms.Activationsd', args: { keys: 'pred', sigmoid: true } },
      { name: 'monai.transforms.AsDiscreted', args: { keys: 'pred', threshold_values: true, logit_thresh: 0.5 } },
      {
        name: 'monai.apps.deepgrow.transforms.RestoreLabeld',
        args: { keys: 'pred', ref_image: 'image', mode: 'nearest' },
      },
    ],
    writer: { name: 'aiaa.transforms.Writer', args: { image: 'pred', json: 'result' } },
  },
  build: () => buildClickGuidedSegmenter(toUnit(SPLEEN_HU[0]), toUnit(SPLEEN_HU[1]), CLICK_WEIGHT),
};

/**
 * Input `[N, 3, D, H, W]` (image, foreground clicks, background clicks) → one logit channel `[N, 1, D, H, W]`:
 * `min(s − low, high − s) + weight × (fg − bg)` with `s` the in-plane 3×3 mean of the image channel.
 */
function buildClickGuidedSegmenter(low: number, high: number, weight: number): Uint8Array {
  const input = 'INPUT__0';
  const output = 'OUTPUT__0';
  const smoothing = new Float32Array(3 * 9);
  smoothing.fill(1 / 9, 0, 9);
  return buildModel({
    graphName: 'click_guided_window_segmenter',
    docString: `in-plane 3x3 mean in [${low}, ${high}], plus ${weight} x (foreground - background click maps)`,
    inputs: [{ name: input, dtype: 'float32', shape: ['N', 3, 'D', 'H', 'W'] }],
    outputs: [{ name: output, dtype: 'float32', shape: ['N', 1, 'D', 'H', 'W'] }],
    initializers: [
      { name: 'smoothing', dtype: 'float32', shape: [1, 3, 1, 3, 3], data: smoothing },
      { name: 'clicks', dtype: 'float32', shape: [1, 3, 1, 1, 1], data: Float32Array.of(0, weight, -weight) },
      { name: 'low', dtype: 'float32', shape: [], data: Float32Array.of(low) },
      { name: 'high', dtype: 'float32', shape: [], data: Float32Array.of(high) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: [input, 'smoothing'],
        outputs: ['smoothed'],
        attributes: {
          kernel_shape: { type: 'ints', value: [1, 3, 3] },
          pads: { type: 'ints', value: [0, 1, 1, 0, 1, 1] },
        },
      },
      {
        opType: 'Conv',
        inputs: [input, 'clicks'],
        outputs: ['click_push'],
        attributes: { kernel_shape: { type: 'ints', value: [1, 1, 1] } },
      },
      { opType: 'Sub', inputs: ['smoothed', 'low'], outputs: ['above_low'] },
      { opType: 'Sub', inputs: ['high', 'smoothed'], outputs: ['below_high'] },
      { opType: 'Min', inputs: ['above_low', 'below_high'], outputs: ['in_window'] },
      { opType: 'Add', inputs: ['in_window', 'click_push'], outputs: [output] },
    ],
  });
}

/** ScaleIntensityRange of body_bone_ct: [-1000, 1000] HU → [0, 1], clipped. */
const wideUnit = (hu: number): number => (hu + 1000) / 2000;

/** Below −500 HU is air (outside the body, lungs, bowel gas); above 250 HU is bone (and contrast-filled vessels). */
const AIR_BELOW_HU = -500;
const BONE_ABOVE_HU = 250;

/**
 * `body_bone_ct` (segmentation, labels body = 1 and bone = 2): CT smoothed in-plane (3×3 box), then three logits —
 * air below −500 HU, body between, bone above 250 HU — so the argmax labels each voxel; the largest component of
 * body ∪ bone (the patient) is kept, which drops the scanner table, and its six extreme points go into the reply
 * (`points`), as every AIAA segmentation reply carries them. Run on the whole volume.
 */
const bodyBoneCt: DemoModel = {
  name: 'body_bone_ct',
  config: {
    version: '3',
    type: 'segmentation',
    labels: ['body', 'bone'],
    description:
      'Demo: in-plane 3x3 mean of the CT labelled air (< -500 HU, 0), body (1) or bone (> 250 HU, 2); the largest component of body and bone together (the patient) is kept, dropping the table. A classical rule expressed as an ONNX network, not a trained model.',
    pre_transforms: [
      { name: 'LoadNifti', args: { fields: 'image' } },
      { name: 'ConvertToChannelsFirst', args: { fields: 'image' } },
      {
        name: 'ScaleIntensityRange',
        args: { fields: 'image', a_min: -1000, a_max: 1000, b_min: 0.0, b_max: 1.0, clip: true },
      },
    ],
    inference: { image: 'image', scanning_window: false, tf: TF_NODES },
    post_transforms: [
      { name: 'ArgmaxAcrossChannels', args: { fields: 'model' } },
      { name: 'KeepLargestCC', args: { fields: 'model', applied_labels: [1, 2], independent: false } },
      { name: 'FetchExtremePoints', args: { image_field: 'image', label_field: 'model', points: 'points' } },
      { name: 'RestoreOriginalShape', args: { field: 'model', src_field: 'image', is_label: true } },
    ],
    writer: { name: 'WriteNifti', args: { field: 'model', dtype: 'uint8' } },
  },
  build: () => buildBodyBoneSegmenter(wideUnit(AIR_BELOW_HU), wideUnit(BONE_ABOVE_HU)),
};

/**
 * Input `[N, 1, D, H, W]` → logits `[N, 3, D, H, W]` with `s` the in-plane 3×3 mean: air `air − s`, body
 * `min(s − air, bone − s)`, bone `s − bone`; exactly one is positive away from the two thresholds.
 */
function buildBodyBoneSegmenter(air: number, bone: number): Uint8Array {
  const input = 'NV_MODEL_INPUT';
  const output = 'NV_MODEL_OUTPUT';
  return buildModel({
    graphName: 'body_bone_segmenter',
    docString: `in-plane 3x3 mean: air below ${air}, bone above ${bone}, body between`,
    inputs: [{ name: input, dtype: 'float32', shape: ['N', 1, 'D', 'H', 'W'] }],
    outputs: [{ name: output, dtype: 'float32', shape: ['N', 3, 'D', 'H', 'W'] }],
    initializers: [
      { name: 'smoothing', dtype: 'float32', shape: [1, 1, 1, 3, 3], data: new Float32Array(9).fill(1 / 9) },
      { name: 'air', dtype: 'float32', shape: [], data: Float32Array.of(air) },
      { name: 'bone', dtype: 'float32', shape: [], data: Float32Array.of(bone) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: [input, 'smoothing'],
        outputs: ['smoothed'],
        attributes: {
          kernel_shape: { type: 'ints', value: [1, 3, 3] },
          pads: { type: 'ints', value: [0, 1, 1, 0, 1, 1] },
        },
      },
      { opType: 'Sub', inputs: ['air', 'smoothed'], outputs: ['air_logit'] },
      { opType: 'Sub', inputs: ['smoothed', 'air'], outputs: ['above_air'] },
      { opType: 'Sub', inputs: ['bone', 'smoothed'], outputs: ['below_bone'] },
      { opType: 'Min', inputs: ['above_air', 'below_bone'], outputs: ['body_logit'] },
      { opType: 'Sub', inputs: ['smoothed', 'bone'], outputs: ['bone_logit'] },
      {
        opType: 'Concat',
        inputs: ['air_logit', 'body_logit', 'bone_logit'],
        outputs: [output],
        attributes: { axis: { type: 'int', value: 1 } },
      },
    ],
  });
}

/** Every demo model, in the order the tools script writes them. */
/** The version folder each demo model is shipped as: `workspace/models/<name>/1/`. */
export const DEMO_VERSION = 1;

export const DEMO_MODELS: readonly DemoModel[] = Object.freeze([
  spleenCtThreshold,
  bodyBoneCt,
  annotationCtDextr3d,
  deepgrowCtWindow,
]);

/**
 * The network of the bring-your-own-inference example (`examples/custom_inference`, beside its `config_aiaa.json`):
 * the identity on `[N, 1, D, H, W]` float32, so the reply is exactly what `CustomInference` feeds it, the inverted
 * image.
 */
export const CUSTOM_INFERENCE_EXAMPLE = {
  path: 'examples/custom_inference/model.onnx',
  build: (): Uint8Array =>
    buildIdentityModel({ inputName: 'image', outputName: 'model', shape: ['N', 1, 'D', 'H', 'W'] }),
} as const;
