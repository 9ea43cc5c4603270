import {
  AiaaError,
  type AllocationBudget,
  ConfigError,
  InvalidInputError,
  type MedicalImage,
  type TransformContext,
  type VoxelArray,
  castVoxels,
} from '@aiaa/core';
import type { InferenceEngine, ModelHandle, ModelLoadSpec, Tensor, TensorInfo } from '../engine';
import { Inference } from '../inference';
import type { InferenceArgs, ModelConfig } from '../model-config';
import { slidingWindowInference } from './sliding-window';
import { tensorToVoxels, voxelsToTensor } from './tensor-voxels';

/** What {@link NativeInference.create} needs. */
export interface NativeInferenceOptions {
  /** The engine chosen at start (`--engine`); the model file is loaded into it once. */
  readonly engine: InferenceEngine;
  /** The model's validated config: model file, tensor names, image keys and sliding-window arguments. */
  readonly config: ModelConfig;
}

/**
 * The context property in which the built-in inference counts its engine executions (one per whole image, one per
 * batch of sliding windows), added to what an earlier inference on the same context counted.
 */
export const ENGINE_RUNS_PROPERTY = 'engine_runs';

/**
 * The built-in inference (`NativeInference`, and what `TRTISInference`/`PyTorchInference` configs mean here): runs
 * the model file on the context's input image and stores the network output, on the input's grid, as a `CDHW` (or
 * `CHW`) image under the config's output key (`model` by default).
 *
 * The input image (`DHW` or `CDHW`; `HW` or `CHW` for 2-D models) gets a batch axis and is run whole, or, with
 * `scanning_window`, in `roi` windows (`overlap`, `batch_size`, `mode`) as MONAI's sliding window does.
 */
export class NativeInference extends Inference {
  readonly #handle: ModelHandle;
  readonly #input: TensorInfo;
  readonly #outputName: string;

  private constructor(handle: ModelHandle, input: TensorInfo, outputName: string) {
    super();
    this.#handle = handle;
    this.#input = input;
    this.#outputName = outputName;
  }

  /**
   * Loads the config's model file into the engine.
   * @throws ConfigError when the config has no model file or asks for a sliding window without `roi`;
   *   the engine's load error (e.g. ModelLoadError naming the model and cause) unchanged.
   */
  static async create(options: NativeInferenceOptions): Promise<NativeInference> {
    const { engine, config } = options;
    const args = config.inferenceArgs();
    if (args.scanningWindow && !args.roi) {
      throw new ConfigError('inference.roi', 'is required with scanning_window');
    }
    const inputNames = config.inputTensorNames();
    const outputNames = config.outputTensorNames();
    const deployConfig = config.tritonModelConfig();
    const spec: ModelLoadSpec = {
      name: config.name,
      modelPath: config.getPath(),
      ...(config.modelDir ? { modelDir: config.modelDir } : {}),
      ...(inputNames ? { inputNames } : {}),
      ...(outputNames ? { outputNames } : {}),
      ...(deployConfig ? { deployConfig } : {}),
    };
    const handle = await engine.load(spec);
    const inputName = inputNames?.[0] ?? handle.inputNames[0];
    const input = handle.inputs.find((t) => t.name === inputName);
    const outputName = outputNames?.[0] ?? handle.outputNames[0];
    if (!input || outputName === undefined || handle.inputs.length !== 1) {
      await handle.dispose();
      throw new ConfigError(
        'inference',
        `model '${config.name}' must take one image input and give an output; it has inputs [${handle.inputNames.join(', ')}] and outputs [${handle.outputNames.join(', ')}]`,
      );
    }
    return new NativeInference(handle, input, outputName);
  }

  /**
   * Runs the model on `data.getImage(config.getInferenceInput())` and stores the output image.
   * @throws InvalidInputError when the input image is not `DHW`/`CDHW` (or `HW`/`CHW` for 2-D models), or the output
   *   is not `[1, C, ...spatial]` on the input's grid; CancelledError when `data.signal` aborts.
   */
  async inference(name: string, data: TransformContext, config: ModelConfig): Promise<TransformContext> {
    const inputKey = config.getInferenceInput();
    const outputKey = config.getInferenceOutput();
    const image = data.getImage(inputKey);
    const planar = image.shapeFormat === 'HW' || image.shapeFormat === 'CHW';
    if (!planar && image.shapeFormat !== 'DHW' && image.shapeFormat !== 'CDHW') {
      throw new InvalidInputError(
        `model '${name}': image '${inputKey}' has format ${image.shapeFormat}; the model takes DHW, CDHW, HW or CHW (add ConvertToChannelsFirst)`,
      );
    }
    const spatial = image.spatialShape;
    const args = config.inferenceArgs();
    const signal = data.signal;
    const runs = { count: 0 };
    let output: Tensor;
    if (args.scanningWindow && args.roi) {
      output = await this.#slidingWindow(name, image, args, signal, data.budget, runs);
    } else {
      const shape = [1, image.channels, ...spatial];
      if (!sharesVoxels(image.voxels, this.#input.dtype)) {
        const dtype = this.#input.dtype;
        data.budget.reserve(
          `model '${name}': input [${shape.join(', ')}] ${dtype}`,
          image.voxels.length,
          TENSOR_BYTES[dtype],
        );
      }
      const feed = voxelsToTensor(image.voxels, this.#input.dtype, shape);
      runs.count++;
      output = this.#outputOf(name, await this.#handle.run({ [this.#input.name]: feed }, { signal }));
    }
    data.setProperty(ENGINE_RUNS_PROPERTY, (data.getProperty<number>(ENGINE_RUNS_PROPERTY) ?? 0) + runs.count);
    const [batch, channels, ...outSpatial] = output.shape;
    if (batch !== 1 || channels === undefined || outSpatial.join() !== spatial.join()) {
      throw new InvalidInputError(
        `model '${name}': output '${this.#outputName}' has shape [${output.shape.join(', ')}]; expected [1, C, ${spatial.join(', ')}] on the input's grid`,
      );
    }
    if (!sharesVoxels(output.data, output.dtype)) {
      data.budget.reserve(
        `model '${name}': output '${this.#outputName}' [${output.shape.join(', ')}] as image voxels`,
        output.data.length,
        4,
      );
    }
    const voxels = tensorToVoxels(output, `model '${name}': output '${this.#outputName}'`);
    data.setImage(
      outputKey,
      image.with<VoxelArray>({ voxels, shape: [channels, ...spatial], shapeFormat: planar ? 'CHW' : 'CDHW' }),
    );
    data.copyGeometry(inputKey, outputKey);
    return data;
  }

  /**
   * MONAI's sliding window over the image; a 2-D image runs as one slice deep (`[1, h, w]` windows, the model seeing
   * `[B, C, h, w]`). A model whose batch axis is fixed at 1 gets one window per call whatever `batch_size` says, and
   * no call carries more windows than the engine's batch budget allows (at least one).
   */
  async #slidingWindow(
    name: string,
    image: MedicalImage,
    args: InferenceArgs,
    signal: AbortSignal | undefined,
    budget: AllocationBudget,
    runs: { count: number },
  ): Promise<Tensor> {
    const spatial = image.spatialShape;
    const planar = spatial.length === 2;
    const roi = args.roi ?? [];
    if (roi.length !== spatial.length) {
      throw new InvalidInputError(
        `model '${name}': roi [${roi.join(', ')}] has ${roi.length} sizes but the image has ${spatial.length} spatial axes`,
      );
    }
    const windowBytes = image.channels * roi.reduce((n, r, i) => n * (r > 0 ? r : (spatial[i] as number)), 4);
    const batchBytes = this.#handle.batchBudgetBytes ?? Infinity;
    const batchSize =
      this.#input.shape[0] === 1 ? 1 : Math.max(1, Math.min(args.batchSize, Math.floor(batchBytes / windowBytes)));
    if (!(image.voxels instanceof Float32Array)) {
      budget.reserveVoxels(`model '${name}': image as float32`, image.shape, 'float32');
    }
    const blended = await slidingWindowInference({
      input: castVoxels(image.voxels, 'float32') as Float32Array,
      shape: [image.channels, ...(planar ? [1, ...spatial] : spatial)],
      roi: planar ? [1, ...roi] : roi,
      overlap: args.overlap,
      batchSize,
      mode: args.mode,
      signal,
      budget,
      run: async (batch) => {
        const [b, c, , h, w] = batch.shape;
        const shape = planar ? [b as number, c as number, h as number, w as number] : batch.shape;
        // Windows are cut as float32; a model of another input type gets them converted per batch.
        const feed = voxelsToTensor(batch.data, this.#input.dtype, shape);
        runs.count++;
        const out = this.#outputOf(name, await this.#handle.run({ [this.#input.name]: feed }, { signal }));
        // Put the slice axis back so the blending sees [B, C, 1, h, w].
        return planar && out.shape.length === 4
          ? { ...out, shape: [...out.shape.slice(0, 2), 1, ...out.shape.slice(2)] }
          : out;
      },
    });
    const [channels] = blended.shape;
    return { ...blended, shape: [1, channels as number, ...spatial] };
  }

  /** Disposes the loaded model. */
  override close(): Promise<void> {
    return this.#handle.dispose();
  }

  #outputOf(name: string, outputs: Record<string, Tensor>): Tensor {
    const tensor = outputs[this.#outputName];
    if (!tensor) {
      throw new AiaaError('internal', `model '${name}': the run returned no output '${this.#outputName}'`);
    }
    return tensor;
  }
}

/** Bytes per element of each tensor type, for the budget of a converted copy. */
const TENSOR_BYTES: Readonly<Record<Tensor['dtype'], number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  bool: 1,
};

/**
 * True when an array of `dtype` is used as it is, with no converted copy: the voxel types over their own arrays; a
 * copy (a cast, float16 and int64 always) is checked against the budget first.
 */
function sharesVoxels(data: Tensor['data'] | VoxelArray, dtype: Tensor['dtype']): boolean {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array;
    case 'float64':
      return data instanceof Float64Array;
    case 'int8':
      return data instanceof Int8Array;
    case 'uint8':
      return data instanceof Uint8Array;
    case 'int16':
      return data instanceof Int16Array;
    case 'uint16':
      return data instanceof Uint16Array;
    case 'int32':
      return data instanceof Int32Array;
    case 'uint32':
      return data instanceof Uint32Array;
    case 'float16':
    case 'int64':
    case 'bool':
      return false;
  }
}
