import { ConfigError } from '@aiaa/core';
import type { TritonModelConfig } from './kserve-proto';

/**
 * The part of Triton's model_config.proto this server reads and writes, as data: field names in Triton's order, the
 * scalar kind of each, which are repeated, which are enums (with their values) and which are maps. Both the
 * config.pbtxt renderer and its parser walk this table, so the two agree on every field.
 */
export type FieldSpec =
  | { readonly kind: 'string' | 'int' | 'bool'; readonly repeated?: boolean }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'message'; readonly schema: MessageSchema; readonly repeated?: boolean }
  | { readonly kind: 'map'; readonly value: MessageSchema };

export type MessageSchema = Readonly<Record<string, FieldSpec>>;

const DATA_TYPES = [
  'TYPE_BOOL',
  'TYPE_UINT8',
  'TYPE_UINT16',
  'TYPE_UINT32',
  'TYPE_UINT64',
  'TYPE_INT8',
  'TYPE_INT16',
  'TYPE_INT32',
  'TYPE_INT64',
  'TYPE_FP16',
  'TYPE_FP32',
  'TYPE_FP64',
  'TYPE_STRING',
  'TYPE_BF16',
];

const str = { kind: 'string' } as const;
const int = { kind: 'int' } as const;
const bool = { kind: 'bool' } as const;
const ints = { kind: 'int', repeated: true } as const;
const reshape = { kind: 'message', schema: { shape: ints } } as const;

const QUEUE_POLICY: MessageSchema = {
  timeout_action: { kind: 'enum', values: ['REJECT', 'DELAY'] },
  default_timeout_microseconds: int,
  allow_timeout_override: bool,
  max_queue_size: int,
};

/** model_config.proto `ModelConfig`, restricted to the fields of our model_config.proto. */
export const MODEL_CONFIG_SCHEMA: MessageSchema = {
  name: str,
  platform: str,
  backend: str,
  runtime: str,
  version_policy: {
    kind: 'message',
    schema: {
      latest: { kind: 'message', schema: { num_versions: int } },
      all: { kind: 'message', schema: {} },
      specific: { kind: 'message', schema: { versions: ints } },
    },
  },
  max_batch_size: int,
  input: {
    kind: 'message',
    repeated: true,
    schema: {
      name: str,
      data_type: { kind: 'enum', values: DATA_TYPES },
      format: { kind: 'enum', values: ['FORMAT_NONE', 'FORMAT_NHWC', 'FORMAT_NCHW'] },
      dims: ints,
      reshape,
      is_shape_tensor: bool,
      allow_ragged_batch: bool,
      optional: bool,
    },
  },
  output: {
    kind: 'message',
    repeated: true,
    schema: {
      name: str,
      data_type: { kind: 'enum', values: DATA_TYPES },
      dims: ints,
      reshape,
      label_filename: str,
    },
  },
  instance_group: {
    kind: 'message',
    repeated: true,
    schema: {
      name: str,
      kind: { kind: 'enum', values: ['KIND_AUTO', 'KIND_GPU', 'KIND_CPU', 'KIND_MODEL'] },
      count: int,
      gpus: ints,
      profile: { kind: 'string', repeated: true },
      passive: bool,
    },
  },
  default_model_filename: str,
  dynamic_batching: {
    kind: 'message',
    schema: {
      preferred_batch_size: ints,
      max_queue_delay_microseconds: int,
      preserve_ordering: bool,
      priority_levels: int,
      default_priority_level: int,
      default_queue_policy: { kind: 'message', schema: QUEUE_POLICY },
    },
  },
  parameters: { kind: 'map', value: { string_value: str } },
};

/**
 * Checks a Triton model config given as JSON (AIAA's `triton_model_config`, or what the ModelConfig RPC returns)
 * against `MODEL_CONFIG_SCHEMA` and returns it typed, with `input`/`output` present. Throws ConfigError naming
 * the field (`triton_model_config.input[0].data_type`) for an unknown field, a wrong type, an unknown enum value, or
 * an input/output without name, data_type or dims.
 */
export function checkTritonModelConfig(json: unknown, path = 'triton_model_config'): TritonModelConfig {
  checkMessage(json, MODEL_CONFIG_SCHEMA, path);
  const config = json as Partial<TritonModelConfig>;
  for (const side of ['input', 'output'] as const) {
    (config[side] ?? []).forEach((tensor, i) => {
      for (const field of ['name', 'data_type', 'dims'] as const) {
        if (tensor[field] === undefined) {
          throw new ConfigError(`${path}.${side}[${i}].${field}`, 'is required');
        }
      }
    });
  }
  return { ...config, input: config.input ?? [], output: config.output ?? [] } as TritonModelConfig;
}

function checkMessage(value: unknown, schema: MessageSchema, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(path, `expected an object, got ${describe(value)}`);
  }
  for (const [key, field] of Object.entries(value)) {
    const spec = schema[key];
    if (spec === undefined) {
      throw new ConfigError(
        `${path}.${key}`,
        `is not a supported model config field (expected one of ${Object.keys(schema).join(', ')})`,
      );
    }
    checkField(field, spec, `${path}.${key}`);
  }
}

function checkField(value: unknown, spec: FieldSpec, path: string): void {
  if (spec.kind === 'map') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(path, `expected an object of entries, got ${describe(value)}`);
    }
    for (const [key, entry] of Object.entries(value)) {
      checkMessage(entry, spec.value, `${path}.${key}`);
    }
    return;
  }
  if (spec.kind !== 'enum' && spec.repeated === true) {
    if (!Array.isArray(value)) {
      throw new ConfigError(path, `expected a list, got ${describe(value)}`);
    }
    value.forEach((item, i) => checkSingle(item, spec, `${path}[${i}]`));
    return;
  }
  checkSingle(value, spec, path);
}

function checkSingle(value: unknown, spec: Exclude<FieldSpec, { kind: 'map' }>, path: string): void {
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') {
        throw new ConfigError(path, `expected a string, got ${describe(value)}`);
      }
      return;
    case 'int':
      // protobuf JSON writes 64-bit integers as strings: accept both.
      if (!(Number.isSafeInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)))) {
        throw new ConfigError(path, `expected an integer, got ${describe(value)}`);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') {
        throw new ConfigError(path, `expected true or false, got ${describe(value)}`);
      }
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw new ConfigError(path, `expected one of ${spec.values.join(', ')}, got ${describe(value)}`);
      }
      return;
    case 'message':
      checkMessage(value, spec.schema, path);
      return;
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
