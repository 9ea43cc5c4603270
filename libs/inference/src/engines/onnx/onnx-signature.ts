import * as ort from 'onnxruntime-node';

/** One input or output an ONNX model declares. */
export interface OnnxValue {
  readonly name: string;
  /** False for sequences and maps, which no engine here carries. */
  readonly isTensor: boolean;
  /** onnxruntime's element type name (`float32`, `int64`, `string`, …); empty for a non-tensor. */
  readonly type: string;
  /** Sizes; a string or a negative number marks a dynamic dimension. */
  readonly shape: readonly (number | string)[];
}

/** The inputs and outputs of an ONNX model, in graph order. */
export interface OnnxSignature {
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
}

/**
 * Reads what an ONNX model takes and gives, from its bytes, with onnxruntime (the session is released at once).
 * For engines that deploy `.onnx` files elsewhere and must describe them, as Triton's ONNX auto-complete does.
 * @throws onnxruntime's error when the bytes are not a model it can load.
 */
export async function readOnnxSignature(modelBytes: Uint8Array): Promise<OnnxSignature> {
  const session = await ort.InferenceSession.create(modelBytes);
  try {
    return { inputs: session.inputMetadata.map(valueOf), outputs: session.outputMetadata.map(valueOf) };
  } finally {
    await session.release();
  }
}

function valueOf(value: ort.InferenceSession.ValueMetadata): OnnxValue {
  return value.isTensor
    ? { name: value.name, isTensor: true, type: value.type, shape: [...value.shape] }
    : { name: value.name, isTensor: false, type: '', shape: [] };
}
