import { ConfigError, InvalidInputError } from '@aiaa/core';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TensorDType, type TensorInfo, isTensorDType } from '../../engine';
import { type OnnxValue, readOnnxSignature } from '../onnx/onnx-signature';
import { renderPbtxt } from './config-pbtxt';
import {
  configDataTypeOf,
  datatypeOfConfigType,
  describeTensorType,
  kserveDatatypeOf,
  tensorDTypeOf,
} from './kserve-datatypes';
import type { ModelConfigTensor, ModelMetadataResponse, TritonModelConfig } from './kserve-proto';
import { checkTritonModelConfig } from './triton-config-schema';

/** Triton's ONNX auto-complete gives models whose first dimension is dynamic everywhere this batch size. */
export const DEFAULT_MAX_BATCH_SIZE = 4;

/** Names Triton accepts for a model folder: no path separators, no dot-only names. */
const MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Throws ConfigError when `name` cannot be a Triton model folder name. */
export function checkTritonModelName(name: string): void {
  if (!MODEL_NAME.test(name)) {
    throw new ConfigError('name', `'${name}' cannot name a Triton model (letters, digits, '_', '.', '-')`);
  }
}

/**
 * The config Triton loads the model with: the config's `triton_model_config` (or v3 `trtis`) section, made an ONNX
 * config (see {@link onnxSection}), checked and named after the model, with the inputs/outputs it leaves out taken from the ONNX model's own, as Triton's ONNX
 * auto-complete does. Without a section, `max_batch_size` is {@link DEFAULT_MAX_BATCH_SIZE} when every input and
 * output has a dynamic first dimension, else 0. Throws ConfigError naming the field, InvalidInputError when the model
 * has a tensor type KServe cannot carry.
 */
export async function tritonConfigFor(
  name: string,
  modelBytes: Uint8Array,
  section: Readonly<Record<string, unknown>> | undefined,
): Promise<TritonModelConfig> {
  const declared = section === undefined ? undefined : checkTritonModelConfig(onnxSection(section));
  const signature = await readOnnxSignature(modelBytes);
  const io = [...signature.inputs, ...signature.outputs];
  const batchable = io.every((value) => value.isTensor && isDynamic(value.shape[0]));
  const maxBatchSize = Number(declared?.max_batch_size ?? (batchable ? DEFAULT_MAX_BATCH_SIZE : 0));
  const fromModel = (values: readonly OnnxValue[]): ModelConfigTensor[] =>
    values.map((value) => {
      if (!value.isTensor) {
        throw new InvalidInputError(`model '${name}': '${value.name}' is not a tensor`);
      }
      const dims = value.shape.map((d) => (isDynamic(d) ? -1 : Number(d)));
      if (!isTensorDType(value.type)) {
        throw new InvalidInputError(
          `model '${name}': '${value.name}' is a ${value.type} tensor, which KServe cannot carry`,
        );
      }
      const datatype = kserveDatatypeOf(value.type);
      return {
        name: value.name,
        data_type: configDataTypeOf(datatype),
        dims: maxBatchSize > 0 ? dims.slice(1) : dims,
      };
    });
  const input = declared?.input.length ? declared.input : fromModel(signature.inputs);
  const output = declared?.output.length ? declared.output : fromModel(signature.outputs);
  return {
    ...declared,
    name,
    platform: 'onnxruntime_onnx',
    max_batch_size: maxBatchSize,
    input: input.map((tensor) => ({ ...tensor, dims: tensor.dims.map(Number) })),
    output: output.map((tensor) => ({ ...tensor, dims: tensor.dims.map(Number) })),
  };
}

/** AIAA v3 `trtis` fields that are not Triton's: the channel counts and the GPU instance count. */
const V3_FIELDS = ['input_channels', 'output_channels', 'gpu_instance_count'] as const;

/**
 * The section as Triton config fields for the ONNX file deployed here. `platform`/`backend` are dropped: they
 * described the model format AIAA was given (`tensorflow_graphdef`, `pytorch_libtorch`), and the file this server
 * deploys is ONNX. A v3 `trtis` section's `gpu_instance_count` becomes one instance group of that count (kind left
 * to Triton); its channel counts are dropped, the model's own inputs and outputs apply.
 */
function onnxSection(section: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...section };
  delete rest['platform'];
  delete rest['backend'];
  for (const field of V3_FIELDS) {
    delete rest[field];
  }
  const instances = section['gpu_instance_count'];
  if (instances !== undefined && rest['instance_group'] === undefined) {
    if (!Number.isSafeInteger(instances) || (instances as number) < 1) {
      throw new ConfigError(
        'trtis.gpu_instance_count',
        `expected a whole number ≥ 1, got ${JSON.stringify(instances)}`,
      );
    }
    rest['instance_group'] = [{ count: instances }];
  }
  return rest;
}

function isDynamic(dim: number | string | undefined): boolean {
  return typeof dim === 'string' || (typeof dim === 'number' && dim < 0);
}

/**
 * Writes `<repository>/<name>/config.pbtxt` and `<repository>/<name>/1/model.onnx`, each to a temporary name first
 * and renamed, so a polling Triton never reads half a file; the model goes first so the config never points at a
 * missing file.
 */
export async function writeModelFolder(
  repository: string,
  config: TritonModelConfig,
  modelBytes: Uint8Array,
): Promise<string> {
  const dir = join(repository, config.name);
  const filename = config.default_model_filename || 'model.onnx';
  await mkdir(join(dir, '1'), { recursive: true });
  await writeAtomically(join(dir, '1', filename), modelBytes);
  await writeAtomically(join(dir, 'config.pbtxt'), renderPbtxt(config as unknown as Record<string, unknown>));
  return dir;
}

/** Removes the model folder written by {@link writeModelFolder}. */
export async function removeModelFolder(repository: string, name: string): Promise<void> {
  checkTritonModelName(name);
  await rm(join(repository, name), { recursive: true, force: true });
}

async function writeAtomically(path: string, content: Uint8Array | string): Promise<void> {
  // Unique per call, not per process: the pipeline worker threads of one model deploy it at the same time, and with
  // one temp name per pid one thread renamed the other's file away (ENOENT, an upload answered 500 under load).
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/** Engine tensor descriptions of ModelMetadata tensors (-1 marks a dynamic dimension). */
export function tensorInfosOf(
  model: string,
  side: 'input' | 'output',
  tensors: ModelMetadataResponse['inputs'],
): TensorInfo[] {
  return tensors.map((tensor) => ({
    name: tensor.name,
    dtype: tensorDTypeOf(tensor.datatype, `${side} '${tensor.name}' of model '${model}'`) as TensorDType,
    shape: tensor.shape.map(Number),
  }));
}

/**
 * Checks what Triton serves against what was deployed and what the config names: every config input/output is
 * served with the same datatype and a compatible shape (batch dimension first when `max_batch_size` > 0), and the
 * config's `inputNames`/`outputNames` exist. Throws ConfigError naming the model and the tensor, expected versus got.
 */
export function checkServedModel(
  config: TritonModelConfig,
  metadata: ModelMetadataResponse,
  names: { readonly inputNames?: readonly string[]; readonly outputNames?: readonly string[] },
): void {
  const sides = [
    ['input', config.input, metadata.inputs, names.inputNames] as const,
    ['output', config.output, metadata.outputs, names.outputNames] as const,
  ];
  for (const [side, declared, served, wanted] of sides) {
    const where = (tensor: string): string => `model '${config.name}' ${side} '${tensor}'`;
    const servedNames = served.map((tensor) => tensor.name).join(', ') || 'none';
    for (const tensor of declared) {
      const match = served.find((s) => s.name === tensor.name);
      if (match === undefined) {
        throw new ConfigError(where(tensor.name), `Triton does not serve it (it serves ${servedNames})`);
      }
      const datatype = datatypeOfConfigType(tensor.data_type) ?? tensor.data_type;
      const expected = [...(config.max_batch_size > 0 ? [-1] : []), ...tensor.dims.map(Number)];
      const shape = match.shape.map(Number);
      const fits =
        shape.length === expected.length && expected.every((d, i) => d < 0 || (shape[i] ?? -1) < 0 || d === shape[i]);
      if (match.datatype !== datatype || !fits) {
        throw new ConfigError(
          where(tensor.name),
          `Triton serves ${describeTensorType(match.datatype, shape)}, the config says ${describeTensorType(datatype, expected)}`,
        );
      }
    }
    for (const name of wanted ?? []) {
      if (!served.some((s) => s.name === name)) {
        throw new ConfigError(where(name), `named by the config but Triton serves only ${servedNames}`);
      }
    }
  }
}
