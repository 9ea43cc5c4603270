import { ConfigError, InvalidInputError, TooLargeError } from '@aiaa/core';
import * as grpc from '@grpc/grpc-js';
import type { Tensor } from '../../engine';
import { acquireChannel, openChannel, releaseChannel } from './kserve-channel-pool';
import { describeCall, KServeCallError, type KServeCallSite, toKServeError } from './kserve-errors';
import { kserveDatatypeOf, rawBytesToTensor, tensorToRawBytes } from './kserve-datatypes';
import {
  inferenceClientConstructor,
  inferenceServiceDefinition,
  type InferParameter,
  type TritonModelConfig,
  type ModelIndexMessage,
  type ModelInferRequest,
  type ModelInferResponse,
  type ModelMetadataResponse,
  type ModelRepositoryParameter,
  type ServerMetadataResponse,
} from './kserve-proto';
import type {
  ModelIndexMessage as KServeModelIndexEntry,
  ModelMetadataResponse as KServeModelMetadata,
  ServerMetadataResponse as KServeServerMetadata,
  TensorMetadataMessage as KServeTensorMetadata,
} from './kserve-proto';

/** gRPC's hard ceiling for one message: 2 GiB − 1 bytes. */
export const GRPC_MAX_MESSAGE_BYTES = 2 ** 31 - 1;

/** Options of a {@link KServeClient}. Durations in milliseconds, sizes in bytes. */
export interface KServeClientOptions {
  /** `host:port` of the gRPC endpoint (Triton listens on 8001). */
  readonly address: string;
  /** Send and receive limit per message; default and maximum 2 GiB − 1 (gRPC's own default is 4 MiB). */
  readonly maxMessageBytes?: number;
  /** Deadline of each attempt of each call; default 60 000. */
  readonly deadlineMs?: number;
  /** Extra attempts after an UNAVAILABLE answer; default 3. Other failures are never retried. */
  readonly retries?: number;
  /** Wait before the first retry, doubled on each further one; default 200. */
  readonly retryDelayMs?: number;
  /** Cap of the retry wait and of the channel's reconnect backoff; default 5 000. */
  readonly maxRetryDelayMs?: number;
  /**
   * Default: plaintext, as Triton serves unless configured for TLS; plaintext clients of one address with the same
   * options share one channel, a client with its own credentials opens its own.
   */
  readonly credentials?: grpc.ChannelCredentials;
}

/** Per-call options. */
export interface KServeCallOptions {
  /** Cancels the call; the promise rejects with a CancelledError. */
  readonly signal?: AbortSignal;
  /** Overrides the client's deadline for this call. */
  readonly deadlineMs?: number;
}

/** One ModelInfer call: named engine tensors in, named engine tensors out. */
export interface KServeInferRequest {
  readonly model: string;
  /** Empty or omitted: the server's version policy decides. */
  readonly version?: string;
  readonly id?: string;
  /** Input tensors, sent in this (insertion) order as raw little-endian contents. */
  readonly inputs: Readonly<Record<string, Tensor>>;
  /** Output names to return; every output of the model when omitted. */
  readonly outputs?: readonly string[];
  /** Request parameters (`sequence_id`, `priority`, …). */
  readonly parameters?: Readonly<Record<string, InferParameter>>;
}

/** A KServe inference answer: the model and version that ran, the request id, and the output tensors by name. */
export interface KServeInferResult {
  readonly model: string;
  readonly version: string;
  readonly id: string;
  readonly outputs: Record<string, Tensor>;
}

/** RepositoryModelLoad parameters: a config override and files that form the model directory on the server. */
export interface KServeLoadOptions extends KServeCallOptions {
  /** The model config as Triton's ModelConfig JSON (string, or an object that is serialised). */
  readonly config?: string | TritonModelConfig;
  /** Files by path inside the model directory (`1/model.onnx`), sent as `file:<path>` bytes; needs `config`. */
  readonly files?: Readonly<Record<string, Uint8Array>>;
}

// The answers' message types, under the names of this client's API.
export type { KServeModelIndexEntry, KServeModelMetadata, KServeServerMetadata, KServeTensorMetadata };

type MethodName =
  | 'ServerLive'
  | 'ServerReady'
  | 'ModelReady'
  | 'ServerMetadata'
  | 'ModelMetadata'
  | 'ModelInfer'
  | 'ModelConfig'
  | 'RepositoryIndex'
  | 'RepositoryModelLoad'
  | 'RepositoryModelUnload';

// grpc_service.proto: ModelInferResponse.raw_output_contents (lets a misaligned output move over its field header).
const RAW_OUTPUT_CONTENTS_FIELD = 6;

// Field names, shapes and the protobuf framing of a ModelInferRequest besides the tensor bytes: a generous bound.
const HEADER_BYTES_PER_TENSOR = 1024;

/**
 * A typed KServe v2 (Triton) gRPC client that knows nothing of pipelines. Clients of one address share one channel
 * (reconnecting by itself when the server comes back), message limits are raised to gRPC's 2 GiB − 1 ceiling,
 * every call has a deadline, UNAVAILABLE is retried a bounded number of times with exponential backoff, and failures
 * are converted by {@link toKServeError}. Errors name the server as `Triton at <address>`.
 */
export class KServeClient {
  readonly address: string;
  readonly maxMessageBytes: number;
  readonly deadlineMs: number;
  readonly retries: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #client: grpc.Client;
  readonly #service = inferenceServiceDefinition();
  /** Pool key of the shared channel; undefined for a client with its own credentials (and after close). */
  #channelKey: string | undefined;
  #closed = false;

  /** Throws ConfigError naming the option when an option is out of range. */
  constructor(options: KServeClientOptions) {
    this.address = options.address;
    this.maxMessageBytes = checkInteger(
      'maxMessageBytes',
      options.maxMessageBytes ?? GRPC_MAX_MESSAGE_BYTES,
      1,
      GRPC_MAX_MESSAGE_BYTES,
    );
    this.deadlineMs = checkInteger('deadlineMs', options.deadlineMs ?? 60_000, 1, 2 ** 31 - 1);
    this.retries = checkInteger('retries', options.retries ?? 3, 0, 100);
    this.#retryDelayMs = checkInteger('retryDelayMs', options.retryDelayMs ?? 200, 0, 600_000);
    this.#maxRetryDelayMs = checkInteger('maxRetryDelayMs', options.maxRetryDelayMs ?? 5_000, 1, 600_000);
    const channelOptions = {
      maxMessageBytes: this.maxMessageBytes,
      initialReconnectBackoffMs: Math.max(1, Math.min(this.#retryDelayMs, this.#maxRetryDelayMs)),
      maxReconnectBackoffMs: this.#maxRetryDelayMs,
    };
    let channel: grpc.Channel;
    if (options.credentials === undefined) {
      const pooled = acquireChannel(this.address, channelOptions);
      this.#channelKey = pooled.key;
      channel = pooled.channel;
    } else {
      channel = openChannel(this.address, options.credentials, channelOptions);
    }
    const Client = inferenceClientConstructor();
    this.#client = new Client(this.address, grpc.credentials.createInsecure(), { channelOverride: channel });
  }

  /** The server as errors name it. */
  get server(): string {
    return `Triton at ${this.address}`;
  }

  /** ServerLive: true when the server process answers and says it is live. */
  async serverLive(options?: KServeCallOptions): Promise<boolean> {
    const res = await this.#call<{ live: boolean }>('ServerLive', {}, undefined, options);
    return res.live;
  }

  /** ServerReady: true when the server is ready to serve inferences. */
  async serverReady(options?: KServeCallOptions): Promise<boolean> {
    const res = await this.#call<{ ready: boolean }>('ServerReady', {}, undefined, options);
    return res.ready;
  }

  /** ModelReady: true when `model` (at `version`, or the policy's choice) is loaded and ready. */
  async modelReady(model: string, version = '', options?: KServeCallOptions): Promise<boolean> {
    const res = await this.#call<{ ready: boolean }>('ModelReady', { name: model, version }, model, options);
    return res.ready;
  }

  /** ServerMetadata: name, version and the protocol extensions (`model_repository`, …). */
  async serverMetadata(options?: KServeCallOptions): Promise<KServeServerMetadata> {
    return this.#call<ServerMetadataResponse>('ServerMetadata', {}, undefined, options);
  }

  /** ModelMetadata: the model's versions, platform and input/output names, datatypes and shapes (-1 = variable). */
  async modelMetadata(model: string, version = '', options?: KServeCallOptions): Promise<KServeModelMetadata> {
    return this.#call<ModelMetadataResponse>('ModelMetadata', { name: model, version }, model, options);
  }

  /** ModelConfig: the effective config the server runs the model with. */
  async modelConfig(model: string, version = '', options?: KServeCallOptions): Promise<TritonModelConfig> {
    const request = { name: model, version };
    const res = await this.#call<{ config: TritonModelConfig | null }>('ModelConfig', request, model, options);
    if (res.config === null) {
      throw new KServeCallError(
        'internal',
        'ModelConfig',
        undefined,
        `${this.server}: ModelConfig '${model}' has no config`,
      );
    }
    return res.config;
  }

  /** RepositoryIndex: every model of the repository with its state (`READY`, `UNAVAILABLE`, …). */
  async repositoryIndex(options?: KServeCallOptions & { readyOnly?: boolean }): Promise<KServeModelIndexEntry[]> {
    const request = { repository_name: '', ready: options?.readyOnly ?? false };
    const res = await this.#call<{ models: ModelIndexMessage[] }>('RepositoryIndex', request, undefined, options);
    return res.models;
  }

  /**
   * RepositoryModelLoad: loads (or reloads) `model`. With `files`, the model directory travels in the request (no
   * shared filesystem); Triton then requires `config`. Throws ConfigError for a bad file path or files without config,
   * TooLargeError when the request would exceed the message limit.
   */
  async repositoryModelLoad(model: string, options: KServeLoadOptions = {}): Promise<void> {
    const parameters: Record<string, ModelRepositoryParameter> = {};
    let bytes = 0;
    if (options.config !== undefined) {
      const config = typeof options.config === 'string' ? options.config : JSON.stringify(options.config);
      parameters['config'] = { string_param: config };
      bytes += Buffer.byteLength(config);
    }
    for (const [path, content] of Object.entries(options.files ?? {})) {
      if (options.config === undefined) {
        throw new ConfigError(`files['${path}']`, `loading model '${model}' with files needs a config as well`);
      }
      if (path === '' || path.startsWith('/') || path.split(/[\\/]/).some((part) => part === '..' || part === '')) {
        throw new ConfigError(
          `files['${path}']`,
          'expected a relative path inside the model directory, e.g. 1/model.onnx',
        );
      }
      parameters[`file:${path}`] = { bytes_param: content };
      bytes += content.byteLength + HEADER_BYTES_PER_TENSOR;
    }
    this.#checkSize('RepositoryModelLoad', model, bytes);
    await this.#call('RepositoryModelLoad', { repository_name: '', model_name: model, parameters }, model, options);
  }

  /** RepositoryModelUnload: unloads `model` (and, when asked, the models that depend on it). */
  async repositoryModelUnload(
    model: string,
    options: KServeCallOptions & { unloadDependents?: boolean } = {},
  ): Promise<void> {
    const parameters: Record<string, ModelRepositoryParameter> =
      options.unloadDependents === undefined ? {} : { unload_dependents: { bool_param: options.unloadDependents } };
    await this.#call('RepositoryModelUnload', { repository_name: '', model_name: model, parameters }, model, options);
  }

  /**
   * ModelInfer with raw contents. Checks each input before sending (dtype, shape, byte length; the message names
   * the input) and the total size against the message limit (TooLargeError); checks each output's byte length
   * against its datatype and shape and names the output when they disagree.
   */
  async modelInfer(request: KServeInferRequest, options?: KServeCallOptions): Promise<KServeInferResult> {
    const model = request.model;
    const inputs: ModelInferRequest['inputs'] = [];
    const raw: Buffer[] = [];
    let bytes = 0;
    for (const [name, tensor] of Object.entries(request.inputs)) {
      const contents = tensorToRawBytes(`input '${name}'`, tensor);
      inputs.push({ name, datatype: kserveDatatypeOf(tensor.dtype), shape: [...tensor.shape] });
      raw.push(contents);
      bytes += contents.byteLength + HEADER_BYTES_PER_TENSOR;
    }
    if (inputs.length === 0) {
      throw new InvalidInputError(`ModelInfer '${model}': no input tensors`);
    }
    this.#checkSize('ModelInfer', model, bytes);
    const message: ModelInferRequest = {
      model_name: model,
      model_version: request.version ?? '',
      id: request.id ?? '',
      parameters: { ...request.parameters },
      inputs,
      outputs: (request.outputs ?? []).map((name) => ({ name })),
      raw_input_contents: raw,
    };
    const res = await this.#call<ModelInferResponse>('ModelInfer', message, model, options);
    return {
      model: res.model_name,
      version: res.model_version,
      id: res.id,
      outputs: this.#readOutputs(model, res, request.outputs),
    };
  }

  /** Lets go of the channel (closing it when no other client shares it); calls made afterwards fail. Idempotent. */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    if (this.#channelKey === undefined) {
      this.#client.close();
    } else {
      releaseChannel(this.#channelKey);
      this.#channelKey = undefined;
    }
  }

  #readOutputs(model: string, res: ModelInferResponse, wanted: readonly string[] | undefined): Record<string, Tensor> {
    const fail = (detail: string): KServeCallError =>
      new KServeCallError('internal', 'ModelInfer', undefined, `${this.server}: ModelInfer '${model}': ${detail}`);
    if (res.raw_output_contents.length !== res.outputs.length) {
      throw fail(
        `the answer has ${res.outputs.length} outputs but ${res.raw_output_contents.length} raw_output_contents ` +
          '(typed contents are not supported)',
      );
    }
    const outputs: Record<string, Tensor> = {};
    res.outputs.forEach((out, i) => {
      try {
        outputs[out.name] = rawBytesToTensor(
          `output '${out.name}'`,
          out.datatype,
          out.shape,
          res.raw_output_contents[i] ?? new Uint8Array(),
          RAW_OUTPUT_CONTENTS_FIELD,
        );
      } catch (error) {
        throw fail(error instanceof Error ? error.message : String(error));
      }
    });
    const missing = (wanted ?? []).filter((name) => !(name in outputs));
    if (missing.length > 0) {
      throw fail(
        `output '${missing.join("', '")}' missing from the answer (got ${Object.keys(outputs).join(', ') || 'none'})`,
      );
    }
    return outputs;
  }

  #checkSize(rpc: MethodName, model: string, bytes: number): void {
    if (bytes > this.maxMessageBytes) {
      const ceiling = bytes > GRPC_MAX_MESSAGE_BYTES ? `, over gRPC's ${GRPC_MAX_MESSAGE_BYTES}-byte ceiling` : '';
      throw new TooLargeError(
        `${this.server}: ${rpc} '${model}': the request needs about ${bytes} bytes, over the ` +
          `${this.maxMessageBytes}-byte message limit (maxMessageBytes)${ceiling}`,
      );
    }
  }

  async #call<Res>(
    rpc: MethodName,
    request: object,
    model: string | undefined,
    options?: KServeCallOptions,
  ): Promise<Res> {
    if (this.#closed) {
      throw new KServeCallError(
        'internal',
        rpc,
        undefined,
        `${this.server}: ${rpc} called after the client was closed`,
      );
    }
    const deadlineMs = options?.deadlineMs ?? this.deadlineMs;
    const signal = options?.signal;
    let attempt = 0;
    for (;;) {
      attempt++;
      const site: KServeCallSite = { server: this.server, rpc, model, deadlineMs, attempts: attempt, signal };
      try {
        return await this.#unary<Res>(rpc, request, deadlineMs, signal);
      } catch (error) {
        const unavailable = (error as { code?: unknown }).code === grpc.status.UNAVAILABLE;
        if (!unavailable || attempt > this.retries || signal?.aborted === true) {
          throw toKServeError(error, site);
        }
      }
      const delay = Math.min(this.#retryDelayMs * 2 ** (attempt - 1), this.#maxRetryDelayMs);
      await sleep(delay, signal).catch((error: unknown) => {
        throw toKServeError(error, { server: this.server, rpc, model, signal });
      });
    }
  }

  #unary<Res>(rpc: MethodName, request: object, deadlineMs: number, signal: AbortSignal | undefined): Promise<Res> {
    const method = this.#service[rpc];
    if (method === undefined) {
      throw new Error(`grpc_service.proto has no RPC ${rpc}`);
    }
    return new Promise<Res>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(Object.assign(new Error('cancelled before sending'), { code: grpc.status.CANCELLED }));
        return;
      }
      const call = this.#client.makeUnaryRequest<object, Res>(
        method.path,
        method.requestSerialize as (value: object) => Buffer,
        method.responseDeserialize as (bytes: Buffer) => Res,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs },
        (error, response) => {
          signal?.removeEventListener('abort', onAbort);
          if (error !== null || response === undefined) {
            reject(error ?? new Error(`${describeCall({ server: this.server, rpc })}: empty answer`));
          } else {
            resolve(response);
          }
        },
      );
      const onAbort = (): void => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function checkInteger(option: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`KServeClient.${option}`, `expected an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = (): void => {
      clearTimeout(timer);
      reject(Object.assign(new Error('cancelled while waiting to retry'), { code: grpc.status.CANCELLED }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancelled);
      resolve();
    }, ms);
    signal?.addEventListener('abort', cancelled, { once: true });
  });
}
