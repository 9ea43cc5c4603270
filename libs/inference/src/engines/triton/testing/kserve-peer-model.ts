import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { TensorDType } from '../../../engine';
import { configDataTypeOf, kserveDatatypeOf } from '../kserve-datatypes';
import type { ModelConfigTensor, TritonModelConfig } from '../kserve-proto';

// How the peer finds and describes a model, as Triton does: the version folder it serves and the effective config.

/** The highest version folder of a model folder, as Triton's default version policy picks it. */
export async function latestVersion(dir: string): Promise<string | undefined> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  let best: string | undefined;
  for (const entry of entries) {
    // Triton ignores version folders that are not numeric or start with 0.
    if (/^[1-9]\d*$/.test(entry) && (await stat(join(dir, entry))).isDirectory()) {
      if (best === undefined || Number(entry) > Number(best)) {
        best = entry;
      }
    }
  }
  return best;
}

/**
 * The effective config, as Triton's ONNX auto-complete makes it: inputs/outputs the config leaves out come from the
 * model; the ones it declares must exist in the model with the same datatype.
 */
export function completeConfig(
  name: string,
  partial: TritonModelConfig,
  session: ort.InferenceSession,
): TritonModelConfig {
  const maxBatch = Number(partial.max_batch_size ?? 0);
  const fromModel = (metadata: readonly ort.InferenceSession.ValueMetadata[]): ModelConfigTensor[] =>
    metadata.map((value) => {
      if (!value.isTensor) {
        throw new Error(`'${value.name}' is not a tensor`);
      }
      const dims = value.shape.map((d) => (typeof d === 'number' ? d : -1));
      return {
        name: value.name,
        data_type: configDataTypeOf(kserveDatatypeOf(value.type as TensorDType)),
        dims: maxBatch > 0 ? dims.slice(1) : dims,
      };
    });
  const check = (side: 'input' | 'output', declared: ModelConfigTensor[], actual: ModelConfigTensor[]): void => {
    for (const tensor of declared) {
      const match = actual.find((a) => a.name === tensor.name);
      if (match === undefined) {
        throw new Error(
          `${side} '${tensor.name}' is not in the model (it has ${actual.map((a) => a.name).join(', ')})`,
        );
      }
      if (match.data_type !== tensor.data_type) {
        throw new Error(`${side} '${tensor.name}' is ${match.data_type} in the model, config says ${tensor.data_type}`);
      }
    }
  };
  const inputs = fromModel(session.inputMetadata);
  const outputs = fromModel(session.outputMetadata);
  check('input', partial.input, inputs);
  check('output', partial.output, outputs);
  return {
    ...partial,
    name,
    platform: 'onnxruntime_onnx',
    max_batch_size: maxBatch,
    input: partial.input.length > 0 ? partial.input.map(numericDims) : inputs,
    output: partial.output.length > 0 ? partial.output.map(numericDims) : outputs,
  };
}

function numericDims(tensor: ModelConfigTensor): ModelConfigTensor {
  return { ...tensor, dims: tensor.dims.map(Number) };
}
