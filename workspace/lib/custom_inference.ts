// The example of AIAA's "Bring your own Inference", in TypeScript: invert the image, add a batch dimension, run the
// network from the uploaded model file, store the output as `model`. Name it in config_aiaa.json as
// `"inference": {"name": "custom_inference.CustomInference", "args": {}}` (see README.md beside this file).
import {
  InvalidInputError,
  type MedicalImage,
  type TransformContext,
  type VoxelArray,
  allocateVoxels,
  dtypeOf,
} from '@aiaa/core';
import { Inference, type ModelConfig, type ModelHandle, OnnxEngine, type Tensor } from '@aiaa/inference';

/** Constructor arguments (`inference.args` of the config). */
export interface CustomInferenceArgs {
  /** onnxruntime threads inside one operator; 0 (default) lets it choose. */
  readonly intra_op_num_threads?: number;
}

/**
 * AIAA's `CustomInference` example: takes channel 0 of the input image, inverts it as scikit-image's `util.invert`
 * does (floats: `1 - x`; unsigned integers: `max - x`; signed integers: `-1 - x`), adds a batch dimension (and a
 * channel dimension when the network's input has one), runs the uploaded `.onnx` network (`config.getPath()`), and
 * stores its first output, without the batch dimension, as the inference output (`model` by default).
 */
export class CustomInference extends Inference {
  readonly #engine: OnnxEngine;
  #handle: Promise<ModelHandle> | undefined;
  #handlePath: string | undefined;

  constructor(args: CustomInferenceArgs = {}) {
    super();
    this.#engine = new OnnxEngine({ intraOpNumThreads: args.intra_op_num_threads ?? 0 });
  }

  async inference(name: string, data: TransformContext, config: ModelConfig): Promise<TransformContext> {
    const inputKey = config.getInferenceInput();
    const outputKey = config.getInferenceOutput();
    const image = data.getImage(inputKey);
    const model = await this.#load(name, config.getPath());

    const spatial = image.spatialShape;
    const inverted = invert(firstChannel(image));
    // [1, D, H, W] as the seed does; [1, 1, D, H, W] for networks that declare a channel axis.
    const wantsChannel = model.inputs[0]?.shape.length === spatial.length + 2;
    const shape = wantsChannel ? [1, 1, ...spatial] : [1, ...spatial];
    const inputName = model.inputNames[0] as string;
    const outputs = await model.run(
      { [inputName]: { dtype: 'float32', shape, data: inverted } },
      data.signal ? { signal: data.signal } : {},
    );
    const output = outputs[model.outputNames[0] as string] as Tensor;

    const outShape = output.shape.slice(1);
    const format = outShape.length === spatial.length + 1 ? 'CDHW' : 'DHW';
    if (spatial.length !== 3 || outShape.length !== format.length) {
      throw new InvalidInputError(
        `CustomInference: network output [${output.shape.join(', ')}] is not [1, C, D, H, W] or [1, D, H, W]`,
      );
    }
    data.setImage(outputKey, image.with({ voxels: voxelsOf(output), shape: outShape, shapeFormat: format }));
    data.copyGeometry(inputKey, outputKey);
    return data;
  }

  override async close(): Promise<void> {
    this.#handle = undefined;
    await this.#engine.close();
  }

  /** The network's session, created on first use and kept (a new model file, after an upload, gets a new one). */
  #load(name: string, modelPath: string): Promise<ModelHandle> {
    if (!this.#handle || this.#handlePath !== modelPath) {
      const previous = this.#handle;
      this.#handlePath = modelPath;
      this.#handle = this.#engine.load({ name, modelPath });
      void previous?.then(
        (h) => h.dispose(),
        () => undefined,
      );
    }
    return this.#handle;
  }
}

/** Channel 0 of a channel-first image (the seed's `img.get_data()[0]`), or the image itself: a view, no copy. */
function firstChannel(image: MedicalImage): VoxelArray {
  return image.shapeFormat.startsWith('C') ? image.voxels.subarray(0, image.spatialSize) : image.voxels;
}

/**
 * scikit-image's `util.invert`, into float32 for the network. Arrays are made and typed by `@aiaa/core` (never by
 * this file's globals), so the checks hold whichever realm the server's arrays come from.
 */
function invert(voxels: VoxelArray): Float32Array {
  const out = allocateVoxels('float32', voxels.length) as Float32Array;
  const dtype = dtypeOf(voxels);
  let offset: number;
  if (dtype === 'float32' || dtype === 'float64') {
    offset = 1;
  } else if (dtype === 'uint8' || dtype === 'uint16' || dtype === 'uint32') {
    offset = 2 ** (8 * voxels.BYTES_PER_ELEMENT) - 1;
  } else {
    offset = -1;
  }
  for (let i = 0; i < voxels.length; i++) {
    out[i] = offset - (voxels[i] as number);
  }
  return out;
}

/** The output tensor's values as image voxels (int64 narrowed to int32). */
function voxelsOf(tensor: Tensor): VoxelArray {
  if (tensor.dtype === 'int64') {
    const data = tensor.data as BigInt64Array;
    const out = allocateVoxels('int32', data.length);
    for (let i = 0; i < data.length; i++) {
      out[i] = Number(data[i]);
    }
    return out;
  }
  if (tensor.dtype === 'float16') {
    throw new InvalidInputError('CustomInference: float16 network outputs are not supported');
  }
  return tensor.data as VoxelArray;
}
