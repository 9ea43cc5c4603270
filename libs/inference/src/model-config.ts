import { ConfigError, SHAPE_FORMATS, type ShapeFormat, didYouMean } from '@aiaa/core';
import { z } from 'zod';
import type { EngineName } from './engines';
import { resolveModelPath } from './model-file';

/** Model types of `config_aiaa.json` (`type`), as the AIAA clients filter them. */
export const MODEL_TYPES = ['segmentation', 'annotation', 'classification', 'deepgrow', 'others', 'pipeline'] as const;
/** A model type of {@link MODEL_TYPES}. */
export type ModelType = (typeof MODEL_TYPES)[number];

/** One `pre_transforms`/`post_transforms`/`writer` entry as written; the transform registry checks name and args. */
export interface TransformSpec {
  readonly name: string;
  /** v3 custom transforms may give the class here and a short name in `name`. */
  readonly path?: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** The inference arguments every engine understands, merged from v3 `inference.*` keys and v4 `<ENGINE>.args`. */
export interface InferenceArgs {
  /** Run the model on roi-sized windows (MONAI sliding window) instead of the whole volume. */
  readonly scanningWindow: boolean;
  /** Window size [D, H, W] (or [H, W]) in voxels; required when `scanningWindow`. */
  readonly roi: readonly number[] | undefined;
  /** Fraction of a window shared with its neighbour, in [0, 1). Default 0.25. */
  readonly overlap: number;
  /** Windows per model call. Default 1. */
  readonly batchSize: number;
  /** Blending of overlapping windows. Default `constant`. */
  readonly mode: 'constant' | 'gaussian';
  /** Shape format of the model input (v3 `image_format`), when the config gives one. */
  readonly imageFormat: ShapeFormat | undefined;
  /** Every merged key as written (`device`, `sw_device`, `models`, ...), for user inference classes. */
  readonly all: Readonly<Record<string, unknown>>;
}

/** What {@link ModelConfig.parse} needs besides the JSON. */
export interface ModelConfigOptions {
  /** `--engine`: selects the `inference.AIAA` or `inference.TRITON` section. */
  readonly engine: EngineName;
  /**
   * The uploaded model file (absent for pipelines). Falls back to the config's own `path` (v3 registry dumps), which
   * must then name a file inside `modelDir`.
   */
  readonly modelPath?: string;
  /** The model's folder: where a config's `path` is looked for, and the only place it may point to. */
  readonly modelDir?: string;
  /** The registry name (`PUT /admin/model/{name}`); falls back to the config's `name`, then `model`. */
  readonly name?: string;
}

/**
 * The inference of a config that names none: AIAA's default for its Triton section, else the server's own
 * `NativeInference` (both run the model file on the engine chosen at start).
 */
const DEFAULT_INFERENCE: Readonly<Partial<Record<EngineName, string>>> = { TRITON: 'aiaa.inference.TritonInference' };

/** A boolean, also from the strings "true"/"false" that v3 configs use; no default, so unset stays unset. */
const boolFlag = z
  .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])], { error: 'expected a boolean' })
  .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true'));

const positiveInt = z.number({ error: 'expected a positive integer' }).int().positive();

const ROI_EXPECTED = 'expected 3 positive integers ([D, H, W]; 2 for 2-D models)';
const roiSchema = z
  .array(z.number({ error: ROI_EXPECTED }).int({ error: ROI_EXPECTED }).positive({ error: ROI_EXPECTED }), {
    error: ROI_EXPECTED,
  })
  .min(2, { error: ROI_EXPECTED })
  .max(3, { error: ROI_EXPECTED });

/** What a config section that takes any key says of itself in the JSON Schema. */
const FREE_KEYS = 'an extension point: any keys, passed on as they are';

/** Keys shared by v3 `inference` and v4 `inference.<ENGINE>.args`. */
const argsShape = {
  scanning_window: boolFlag.optional(),
  roi: roiSchema.optional(),
  batch_size: positiveInt.optional(),
  overlap: z.number({ error: 'expected a number in [0, 1)' }).min(0).lt(1).optional(),
  padding: z.number({ error: 'expected a number' }).nonnegative().optional(),
  image_format: z.enum(SHAPE_FORMATS).optional(),
  mode: z.enum(['constant', 'gaussian']).optional(),
};

// Triton's own model configuration (config.pbtxt as JSON): its many fields are Triton's, checked by Triton.
const tensorDeclSchema = z.looseObject({
  name: z.string().min(1),
  data_type: z.string().optional(),
  dims: z.array(z.number().int()).optional(),
});

const tritonModelConfigSchema = z
  .looseObject({
    input: z.array(tensorDeclSchema).optional(),
    output: z.array(tensorDeclSchema).optional(),
  })
  .describe(`Triton's model configuration (config.pbtxt as JSON): Triton's own fields, ${FREE_KEYS}`);

/** Inference arguments: the ones the built-in inference reads, and any others a user's inference class takes. */
const inferenceArgsSchema = z
  .looseObject(argsShape)
  .describe(`inference arguments: the built-in inference reads the ones listed; ${FREE_KEYS} to a user's class`);

const engineSectionSchema = z.strictObject({
  name: z.string().min(1).optional(),
  args: inferenceArgsSchema.optional(),
  triton_model_config: tritonModelConfigSchema.optional(),
});

/** A transform entry; its `args` are checked by the transform registry against the transform's own schema. */
const transformSpecSchema = z.strictObject({
  name: z.string().min(1),
  path: z.string().min(1).optional(),
  args: z.record(z.string(), z.unknown()).optional(),
});

/** The schema of `config_aiaa.json` itself; transform `args` are checked by the registry (see `configJsonSchema`). */
export const configSchema = z.strictObject({
  name: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  version: z.union([z.string(), z.number()], { error: 'expected a string or a number' }).optional(),
  type: z.enum(MODEL_TYPES).optional(),
  labels: z.array(z.string()).optional(),
  description: z.string().optional(),
  pre_transforms: z.array(transformSpecSchema).optional(),
  post_transforms: z.array(transformSpecSchema).optional(),
  writer: transformSpecSchema.optional(),
  cache_until: z.string().min(1).optional(),
  inference: z
    .strictObject({
      ...argsShape,
      input: z.string().min(1).optional(),
      output: z.string().min(1).optional(),
      image: z.string().min(1).optional(),
      name: z.string().min(1).optional(),
      args: inferenceArgsSchema.optional(),
      meta_data: z
        .record(z.string(), z.unknown())
        .describe(`fields added to the model's /v1/models entry: ${FREE_KEYS}`)
        .optional(),
      tf: z
        .strictObject({
          input_nodes: z.record(z.string(), z.string()).optional(),
          output_nodes: z.record(z.string(), z.string()).optional(),
        })
        .optional(),
      trtis: z.record(z.string(), z.unknown()).describe(`v3's Triton configuration: ${FREE_KEYS}`).optional(),
      AIAA: engineSectionSchema.optional(),
      TRITON: engineSectionSchema.optional(),
    })
    .optional(),
});

type ConfigJson = z.infer<typeof configSchema>;
type InferenceJson = NonNullable<ConfigJson['inference']>;

/** The v3 keys of `inference` that {@link ModelConfig.inferenceArgs} merges. */
const V3_ARG_KEYS = ['scanning_window', 'roi', 'batch_size', 'overlap', 'padding', 'image_format', 'mode'] as const;

/**
 * A model's `config_aiaa.json`, v3 (ai4med) or v4 (MONAI) schema, validated once when the model is loaded. The
 * accessors hide the schema differences (AIAA's `ModelConfig`: `get_inference_input()`, `get_inference_output()`).
 */
export class ModelConfig {
  readonly name: string;
  /** The model version as a string (clients require a string). */
  readonly version: string;
  readonly type: ModelType;
  readonly labels: readonly string[];
  readonly description: string;
  readonly preTransforms: readonly TransformSpec[];
  readonly postTransforms: readonly TransformSpec[];
  readonly writer: TransformSpec | undefined;
  /** Name of the pre-transform (or `ALL`) after which per-session results are cached. */
  readonly cacheUntil: string | undefined;
  /** v4 `inference.meta_data`, copied into the `/v1/models` entry (e.g. `{deepgrow: '3D'}`). */
  readonly metaData: Readonly<Record<string, unknown>>;
  readonly engine: EngineName;
  /** The model's folder, when known (engines read the model file only from inside it). */
  readonly modelDir: string | undefined;
  /** The JSON exactly as given. */
  readonly raw: unknown;
  readonly #modelPath: string | undefined;
  readonly #inference: InferenceJson;

  private constructor(json: ConfigJson, raw: unknown, options: ModelConfigOptions) {
    this.raw = raw;
    this.engine = options.engine;
    this.name = options.name ?? json.name ?? 'model';
    this.version = String(json.version ?? '1');
    this.type = json.type ?? 'others';
    this.labels = json.labels ?? [];
    this.description = json.description ?? '';
    this.preTransforms = (json.pre_transforms ?? []).map(toSpec);
    this.postTransforms = (json.post_transforms ?? []).map(toSpec);
    this.writer = json.writer ? toSpec(json.writer) : undefined;
    this.cacheUntil = json.cache_until;
    this.#inference = json.inference ?? {};
    this.metaData = this.#inference.meta_data ?? {};
    this.modelDir = options.modelDir;
    this.#modelPath = options.modelPath ?? modelFileOf(json.path, options.modelDir);
  }

  /**
   * Validates a `config_aiaa.json` document.
   * @throws ConfigError naming the field, e.g. `inference.roi: expected 3 positive integers`.
   */
  static parse(json: unknown, options: ModelConfigOptions): ModelConfig {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new ConfigError('', `config_aiaa.json must be a JSON object, got ${describeValue(json)}`);
    }
    const parsed = configSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) {
      const [first, ...rest] = parsed.error.issues;
      const firstPath = formatPath(first?.path ?? []);
      const others = [...new Set(rest.map((i) => formatPath(i.path)))].filter((p) => p !== firstPath);
      const more = others.length > 0 ? ` (and ${others.join(', ')})` : '';
      if (first?.code === 'unrecognized_keys') {
        const key = first.keys[0] ?? '';
        throw new ConfigError(formatPath([...first.path, key]), `${unknownKey(key, first.path)}${more}`);
      }
      throw new ConfigError(formatPath(first?.path ?? []), `${describeIssue(first)}${more}`);
    }
    return new ModelConfig(parsed.data, json, options);
  }

  /** The model file. @throws ConfigError when the model has none (pipelines, configs uploaded without data). */
  getPath(): string {
    if (this.#modelPath === undefined) {
      throw new ConfigError('path', `model '${this.name}' has no model file`);
    }
    return this.#modelPath;
  }

  /** True when a model file was given. */
  hasModelFile(): boolean {
    return this.#modelPath !== undefined;
  }

  /** Context image the model reads: v4 `inference.input`, v3 `inference.image`, default `image`. */
  getInferenceInput(): string {
    return this.#inference.input ?? this.#inference.image ?? 'image';
  }

  /** Context image the model writes: v4 `inference.output`, v3 always `model`. */
  getInferenceOutput(): string {
    return this.#inference.output ?? 'model';
  }

  /**
   * The inference class: `inference.name`, else the `name` of the selected engine's section (the other engine's when
   * the selected one is absent), else the engine's built-in (see `BUILTIN_INFERENCE_NAMES`).
   */
  inferenceName(): string {
    return this.#inference.name ?? this.#engineSection()?.name ?? DEFAULT_INFERENCE[this.engine] ?? 'NativeInference';
  }

  /** The inference arguments: v3 keys of `inference`, overridden by `inference.args` and `<ENGINE>.args`. */
  inferenceArgs(): InferenceArgs {
    const all: Record<string, unknown> = {};
    for (const key of V3_ARG_KEYS) {
      if (this.#inference[key] !== undefined) {
        all[key] = this.#inference[key];
      }
    }
    Object.assign(all, this.#inference.args, this.#engineSection()?.args);
    // Re-parse the merged values: each was already valid where it was written, this only fills defaults and types.
    const typed = z.looseObject(argsShape).parse(all);
    return {
      scanningWindow: typed.scanning_window ?? false,
      roi: typed.roi,
      overlap: typed.overlap ?? 0.25,
      batchSize: typed.batch_size ?? 1,
      mode: typed.mode ?? 'constant',
      imageFormat: typed.image_format,
      all,
    };
  }

  /** Model input tensor names: v3 `tf.input_nodes` values, or v4 `TRITON.triton_model_config.input[].name`. */
  inputTensorNames(): readonly string[] | undefined {
    const nodes = this.#inference.tf?.input_nodes;
    if (nodes) {
      return Object.values(nodes);
    }
    return this.#inference.TRITON?.triton_model_config?.input?.map((t) => t.name);
  }

  /** Model output tensor names: v3 `tf.output_nodes` values, or v4 `TRITON.triton_model_config.output[].name`. */
  outputTensorNames(): readonly string[] | undefined {
    const nodes = this.#inference.tf?.output_nodes;
    if (nodes) {
      return Object.values(nodes);
    }
    return this.#inference.TRITON?.triton_model_config?.output?.map((t) => t.name);
  }

  /** Triton's model configuration as JSON: v4 `TRITON.triton_model_config`, v3 `trtis`. */
  tritonModelConfig(): Readonly<Record<string, unknown>> | undefined {
    return this.#inference.TRITON?.triton_model_config ?? this.#inference.trtis;
  }

  /**
   * The extra `/v1/models` fields of this model: annotation models give `padding` (default 20), `roi` (default
   * [128, 128, 128]) and `sigma` (default 3, or AddExtremePointsChannel's); every model adds its `meta_data`.
   */
  listingExtras(): Record<string, unknown> {
    const extras: Record<string, unknown> = {};
    if (this.type === 'annotation') {
      const args = this.inferenceArgs();
      const sigmaStep = this.preTransforms.find((t) => t.name.includes('ExtremePointsChannel'));
      const sigma = sigmaStep?.args['sigma'];
      extras['padding'] = typeof args.all['padding'] === 'number' ? args.all['padding'] : 20;
      extras['roi'] = args.roi ?? [128, 128, 128];
      extras['sigma'] = typeof sigma === 'number' ? sigma : 3;
    }
    return { ...extras, ...this.metaData };
  }

  /** The `inference.<ENGINE>` section of the engine chosen at start; a config with only the other one uses that. */
  #engineSection(): InferenceJson['AIAA'] {
    const sections: Readonly<Record<string, InferenceJson['AIAA']>> = {
      AIAA: this.#inference.AIAA,
      TRITON: this.#inference.TRITON,
    };
    return sections[this.engine] ?? this.#inference.AIAA ?? this.#inference.TRITON;
  }
}

/**
 * The file a config's own `path` names, inside the model folder; without a folder the path is still checked, and the
 * model has no file (only the registry's fields are read then).
 * @throws ConfigError naming `path` when it is absolute or leaves the folder.
 */
function modelFileOf(declared: string | undefined, modelDir: string | undefined): string | undefined {
  if (declared === undefined) {
    return undefined;
  }
  const file = resolveModelPath(modelDir ?? '/model-folder', declared);
  return modelDir === undefined ? undefined : file;
}

function toSpec(entry: z.infer<typeof transformSpecSchema>): TransformSpec {
  return { name: entry.name, ...(entry.path ? { path: entry.path } : {}), args: entry.args ?? {} };
}

/** "unknown key; did you mean 'post_transforms'? (known here: …)" for a key of the section at `path`. */
function unknownKey(key: string, path: readonly PropertyKey[]): string {
  const known = knownKeysAt(path);
  const guess = didYouMean(key, known);
  return `unknown key${guess ? `; did you mean '${guess}'?` : ''} (the keys here: ${known.join(', ')})`;
}

/** The keys the schema declares for the object at `path` (`[]`, `['inference']`, `['pre_transforms', 2]`…). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: unknown = configSchema;
  for (const key of path) {
    schema = typeof key === 'number' ? elementOf(schema) : (shapeOf(schema)?.[String(key)] ?? undefined);
  }
  return Object.keys(shapeOf(schema) ?? {});
}

/** The object shape under optional/array wrappers of a zod schema. */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  let current = schema as { shape?: Record<string, unknown>; _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (current.shape) {
      return current.shape;
    }
    current = current._zod?.def?.['innerType'] as typeof current;
  }
  return undefined;
}

function elementOf(schema: unknown): unknown {
  let current = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 8 && current; depth++) {
    const def = current._zod?.def;
    if (def?.['type'] === 'array') {
      return def['element'];
    }
    current = def?.['innerType'] as typeof current;
  }
  return undefined;
}

/** `inference.AIAA.args.roi`, `pre_transforms[2].name`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) {
    return 'invalid';
  }
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) {
      return 'is required';
    }
    // A schema's own wording (roi's "expected 3 positive integers") over zod's generic one.
    const own = issue.message.startsWith('Invalid input') ? `expected ${issue.expected}` : issue.message;
    return `${own}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === 'invalid_value') {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(issue.input)}`;
  }
  if (issue.code === 'invalid_union') {
    return `${issue.message}, got ${describeValue(issue.input)}`;
  }
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? `string ${JSON.stringify(value)}` : typeof value;
}
