import * as grpc from '@grpc/grpc-js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Tensor, TensorDType } from '../../../engine';
import { parsePbtxt } from '../config-pbtxt';
import { datatypeOfConfigType, kserveDatatypeOf, rawBytesToTensor, tensorToRawBytes } from '../kserve-datatypes';
import { GRPC_MAX_MESSAGE_BYTES } from '../kserve-client';
import {
  inferenceServiceDefinition,
  type ModelConfigTensor,
  type ModelInferRequest,
  type ModelInferResponse,
  type ModelMetadataResponse,
  type ModelIndexMessage,
  type ModelReadyRequest,
  type ModelRepositoryParameter,
  type RepositoryModelLoadRequest,
  type TritonModelConfig,
} from '../kserve-proto';
import { checkTritonModelConfig } from '../triton-config-schema';
import { completeConfig, latestVersion } from './kserve-peer-model';

/** How a ModelInfer answer is spoiled: a wrong shape, a wrong datatype, a short byte count, an output left out. */
export type KServePeerGarbage = 'shape' | 'datatype' | 'bytes' | 'missing-output';

/** Failures the peer is told to produce; tests change them between calls. */
export interface KServePeerFaults {
  /** Every answer waits this long first (past a client's deadline: DEADLINE_EXCEEDED). */
  delayMs: number;
  /** The next `unavailable` calls (any RPC) answer UNAVAILABLE, as a server that is starting up. */
  unavailable: number;
  /** Spoils every ModelInfer answer this way. */
  garbage: KServePeerGarbage | undefined;
  /** ModelReady answers false for every model, as for a model stuck loading. */
  notReady: boolean;
}

/** Where a {@link KServePeer} listens, the models it serves and how it runs them. */
export interface KServePeerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port chosen by the system, kept across {@link KServePeer.restart}. */
  readonly port?: number;
  /** Model repository folder (`<name>/config.pbtxt`, `<name>/<version>/model.onnx`) for loads by name. */
  readonly repository?: string;
}

interface LoadedModel {
  readonly config: TritonModelConfig;
  readonly version: string;
  readonly session: ort.InferenceSession;
}

class PeerError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (request: never) => Promise<object>;

/**
 * A stand-in for Triton in tests and on machines without a GPU: a real KServe v2 gRPC server (same .proto as the
 * client) that loads `.onnx` models with onnxruntime-node, from a repository folder or from the bytes pushed in
 * RepositoryModelLoad, and answers ModelInfer with raw little-endian contents. Unknown models answer NOT_FOUND
 * (Triton answers UNAVAILABLE for an unknown model in ModelInfer; NOT_FOUND keeps "server down" distinguishable).
 * {@link KServePeer.faults} makes it slow, unavailable or wrong; {@link KServePeer.stop}/{@link KServePeer.restart} take it down and back on the same port.
 */
export class KServePeer {
  readonly faults: KServePeerFaults = { delayMs: 0, unavailable: 0, garbage: undefined, notReady: false };
  /** Calls received per RPC (counted before any fault), for asserting retries and batching. */
  readonly calls: Record<string, number> = {};
  /** The batch size (first dim) of the first input of each ModelInfer call, in arrival order. */
  readonly inferBatchSizes: number[] = [];
  readonly host: string;
  readonly repository: string | undefined;
  readonly #models = new Map<string, LoadedModel>();
  readonly #failed = new Map<string, string>();
  #port: number;
  #server: grpc.Server | undefined;

  private constructor(options: KServePeerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.repository = options.repository;
  }

  /** Starts a peer listening on `host:port`. */
  static async start(options: KServePeerOptions = {}): Promise<KServePeer> {
    const peer = new KServePeer(options);
    await peer.restart();
    return peer;
  }

  get port(): number {
    return this.#port;
  }

  /** `host:port`, as KServeClient takes it. */
  get address(): string {
    return `${this.host}:${this.#port}`;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** Names of the loaded models. */
  get loadedModels(): string[] {
    return [...this.#models.keys()];
  }

  /**
   * Loads `name` from the repository folder, as RepositoryModelLoad without parameters does (Triton's `--load-model`).
   * Rejects with the load failure.
   */
  async loadModel(name: string): Promise<void> {
    await this.#load(name, {});
  }

  /** Loads every model folder of the repository (Triton's default model control mode); returns failures by name. */
  async loadAll(): Promise<Record<string, string>> {
    const failures: Record<string, string> = {};
    if (this.repository === undefined) {
      return failures;
    }
    for (const entry of await readdir(this.repository, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        await this.#load(entry.name, {}).catch((error: unknown) => {
          failures[entry.name] = error instanceof Error ? error.message : String(error);
        });
      }
    }
    return failures;
  }

  /** Takes the server down at once (open calls fail, new ones are refused); loaded models are kept. */
  stop(): void {
    this.#server?.forceShutdown();
    this.#server = undefined;
  }

  /** Listens again on the same port (the first call binds the port of the options). */
  async restart(): Promise<void> {
    if (this.#server !== undefined) {
      return;
    }
    const server = new grpc.Server({
      'grpc.max_receive_message_length': GRPC_MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': GRPC_MAX_MESSAGE_BYTES,
    });
    server.addService(inferenceServiceDefinition(), this.#handlers());
    this.#port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${this.host}:${this.#port}`, grpc.ServerCredentials.createInsecure(), (error, port) =>
        error === null ? resolve(port) : reject(error),
      );
    });
    this.#server = server;
  }

  /** Stops the server and releases every session. */
  async close(): Promise<void> {
    this.stop();
    const models = [...this.#models.values()];
    this.#models.clear();
    await Promise.all(models.map((model) => model.session.release()));
  }

  #handlers(): grpc.UntypedServiceImplementation {
    const handlers: Record<string, Handler> = {
      ServerLive: async () => ({ live: true }),
      ServerReady: async () => ({ ready: true }),
      ServerMetadata: async () => ({
        name: 'triton',
        version: 'kserve-peer',
        extensions: ['model_repository', 'model_configuration', 'model_repository(unload_dependents)'],
      }),
      ModelReady: async (req: ModelReadyRequest) => ({ ready: !this.faults.notReady && this.#find(req) !== undefined }),
      ModelMetadata: async (req: ModelReadyRequest) => this.#metadata(req.name, this.#require(req)),
      ModelConfig: async (req: ModelReadyRequest) => ({ config: this.#require(req).config }),
      ModelInfer: async (req: ModelInferRequest) => this.#infer(req),
      RepositoryIndex: async (req: { ready: boolean }) => ({ models: await this.#index(req.ready) }),
      RepositoryModelLoad: async (req: RepositoryModelLoadRequest) => {
        await this.#load(req.model_name, req.parameters ?? {});
        return {};
      },
      RepositoryModelUnload: async (req: RepositoryModelLoadRequest) => {
        const model = this.#models.get(req.model_name);
        this.#models.delete(req.model_name);
        await model?.session.release();
        return {};
      },
    };
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [rpc, handler] of Object.entries(handlers)) {
      const handle: grpc.handleUnaryCall<never, object> = (call, callback) => {
        this.calls[rpc] = (this.calls[rpc] ?? 0) + 1;
        void this.#answer(call, handler).then(
          (response) => callback(null, response),
          (error: unknown) => {
            const code = error instanceof PeerError ? error.code : grpc.status.INTERNAL;
            callback({ code, details: error instanceof Error ? error.message : String(error) });
          },
        );
      };
      implementation[rpc] = handle as grpc.UntypedHandleCall;
    }
    return implementation;
  }

  async #answer(call: grpc.ServerUnaryCall<never, object>, handler: Handler): Promise<object> {
    if (this.faults.unavailable > 0) {
      this.faults.unavailable--;
      throw new PeerError(grpc.status.UNAVAILABLE, 'the peer is told to be unavailable');
    }
    if (this.faults.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    }
    return handler(call.request);
  }

  #find(req: ModelReadyRequest): LoadedModel | undefined {
    const model = this.#models.get(req.name);
    return model !== undefined && (req.version === undefined || req.version === '' || req.version === model.version)
      ? model
      : undefined;
  }

  #require(req: ModelReadyRequest): LoadedModel {
    const model = this.#find(req);
    if (model === undefined) {
      const version = req.version === undefined || req.version === '' ? '' : ` version ${req.version}`;
      throw new PeerError(grpc.status.NOT_FOUND, `Request for unknown model: '${req.name}'${version} is not found`);
    }
    return model;
  }

  #metadata(name: string, model: LoadedModel): ModelMetadataResponse {
    const batch = model.config.max_batch_size > 0 ? [-1] : [];
    const describe = (tensor: ModelConfigTensor): ModelMetadataResponse['inputs'][number] => ({
      name: tensor.name,
      datatype: datatypeOfConfigType(tensor.data_type) ?? tensor.data_type.replace(/^TYPE_/, ''),
      shape: [...batch, ...tensor.dims.map(Number)],
    });
    return {
      name,
      versions: [model.version],
      platform: 'onnxruntime_onnx',
      inputs: model.config.input.map(describe),
      outputs: model.config.output.map(describe),
    };
  }

  async #index(readyOnly: boolean): Promise<ModelIndexMessage[]> {
    const names = new Set<string>([...this.#models.keys(), ...this.#failed.keys()]);
    if (this.repository !== undefined && !readyOnly) {
      for (const entry of await readdir(this.repository, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          names.add(entry.name);
        }
      }
    }
    const index: ModelIndexMessage[] = [];
    for (const name of [...names].sort()) {
      const model = this.#models.get(name);
      if (model !== undefined) {
        index.push({ name, version: model.version, state: 'READY', reason: '' });
      } else if (!readyOnly) {
        index.push({ name, version: '', state: 'UNAVAILABLE', reason: this.#failed.get(name) ?? 'unloaded' });
      }
    }
    return index;
  }

  async #load(name: string, parameters: Record<string, ModelRepositoryParameter>): Promise<void> {
    try {
      const model = await this.#prepare(name, parameters);
      const previous = this.#models.get(name);
      this.#models.set(name, model);
      this.#failed.delete(name);
      await previous?.session.release();
    } catch (error) {
      // As Triton in EXPLICIT mode: a failed reload keeps the model that was serving.
      const reason = error instanceof Error ? error.message : String(error);
      this.#failed.set(name, reason);
      throw new PeerError(grpc.status.INVALID_ARGUMENT, `failed to load '${name}': ${reason}`);
    }
  }

  async #prepare(name: string, parameters: Record<string, ModelRepositoryParameter>): Promise<LoadedModel> {
    let configJson: unknown;
    const files = new Map<string, Uint8Array>();
    for (const [key, value] of Object.entries(parameters)) {
      if (key === 'config') {
        configJson = JSON.parse(value.string_param ?? '');
      } else if (key.startsWith('file:') && value.bytes_param !== undefined) {
        files.set(key.slice('file:'.length), value.bytes_param);
      }
    }
    if (files.size > 0 && configJson === undefined) {
      throw new Error('file parameters need a config parameter');
    }
    const dir = this.repository === undefined ? undefined : join(this.repository, name);
    if (configJson === undefined && dir !== undefined) {
      const text = await readFile(join(dir, 'config.pbtxt'), 'utf8').catch(() => undefined);
      configJson = text === undefined ? {} : parsePbtxt(text, `${name}/config.pbtxt`);
    }
    const partial = checkTritonModelConfig(configJson ?? {}, 'config');
    const filename = partial.default_model_filename ?? 'model.onnx';
    let version: string | undefined;
    let bytes: Uint8Array | undefined;
    if (files.size > 0) {
      for (const [path, content] of files) {
        const [dirName, file] = path.split('/');
        if (file === filename && dirName !== undefined && /^[1-9]\d*$/.test(dirName)) {
          if (version === undefined || Number(dirName) > Number(version)) {
            version = dirName;
            bytes = content;
          }
        }
      }
    } else if (dir !== undefined) {
      version = await latestVersion(dir);
      bytes = version === undefined ? undefined : await readFile(join(dir, version, filename)).catch(() => undefined);
    }
    if (version === undefined || bytes === undefined) {
      throw new Error(`no model file <version>/${filename} found`);
    }
    const session = await ort.InferenceSession.create(bytes);
    try {
      return { config: completeConfig(name, partial, session), version, session };
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  async #infer(req: ModelInferRequest): Promise<ModelInferResponse> {
    const model = this.#require({ name: req.model_name, version: req.model_version });
    const batching = model.config.max_batch_size > 0;
    if (req.raw_input_contents.length !== req.inputs.length) {
      throw new PeerError(
        grpc.status.INVALID_ARGUMENT,
        `${req.inputs.length} inputs but ${req.raw_input_contents.length} raw_input_contents`,
      );
    }
    const feeds: Record<string, ort.Tensor> = {};
    let batchSize: number | undefined;
    req.inputs.forEach((input, i) => {
      const declared = model.config.input.find((tensor) => tensor.name === input.name);
      const what = `input '${input.name}'`;
      if (declared === undefined) {
        throw new PeerError(grpc.status.INVALID_ARGUMENT, `unexpected inference ${what} for model '${req.model_name}'`);
      }
      const datatype = datatypeOfConfigType(declared.data_type);
      if (input.datatype !== datatype) {
        throw new PeerError(grpc.status.INVALID_ARGUMENT, `${what}: datatype ${input.datatype}, expected ${datatype}`);
      }
      const dims = [...(batching ? [-1] : []), ...declared.dims.map(Number)];
      const shape = input.shape.map(Number);
      const fits = shape.length === dims.length && dims.every((d, k) => d === -1 || d === shape[k]);
      if (!fits) {
        throw new PeerError(
          grpc.status.INVALID_ARGUMENT,
          `${what}: shape [${shape.join(',')}] does not match model configuration [${dims.join(',')}]`,
        );
      }
      if (batching) {
        const n = shape[0] ?? 0;
        if (n > model.config.max_batch_size || (batchSize !== undefined && n !== batchSize)) {
          throw new PeerError(
            grpc.status.INVALID_ARGUMENT,
            `${what}: batch size ${n} over max_batch_size ${model.config.max_batch_size} or unlike the other inputs`,
          );
        }
        batchSize = n;
      }
      let tensor: Tensor;
      try {
        // 7: ModelInferRequest.raw_input_contents, so a misaligned input moves over its field header instead of
        // being copied.
        tensor = rawBytesToTensor(what, input.datatype, shape, req.raw_input_contents[i] ?? new Uint8Array(), 7);
      } catch (error) {
        throw new PeerError(grpc.status.INVALID_ARGUMENT, error instanceof Error ? error.message : String(error));
      }
      feeds[input.name] = new ort.Tensor(tensor.dtype, tensor.data as ort.Tensor.DataTypeMap['float32'], shape);
    });
    this.inferBatchSizes.push(Number(req.inputs[0]?.shape[0] ?? 0));
    const wanted = (req.outputs ?? []).map((output) => output.name);
    const results = await model.session.run(feeds, wanted.length > 0 ? wanted : model.session.outputNames);
    const response: ModelInferResponse = {
      model_name: req.model_name,
      model_version: model.version,
      id: req.id ?? '',
      outputs: [],
      raw_output_contents: [],
    };
    for (const [name, value] of Object.entries(results)) {
      const tensor = { dtype: value.type as TensorDType, shape: [...value.dims], data: value.data } as Tensor;
      response.outputs.push({ name, datatype: kserveDatatypeOf(tensor.dtype), shape: [...tensor.shape] });
      // A view of onnxruntime's output: the serializer copies it into the message once.
      response.raw_output_contents.push(tensorToRawBytes(`output '${name}'`, tensor));
    }
    spoil(response, this.faults.garbage);
    return response;
  }
}

function spoil(response: ModelInferResponse, garbage: KServePeerGarbage | undefined): void {
  const first = response.outputs[0];
  const bytes = response.raw_output_contents[0];
  if (garbage === undefined || first === undefined || bytes === undefined) {
    return;
  }
  switch (garbage) {
    case 'shape':
      first.shape = [...first.shape, 2];
      break;
    case 'datatype':
      first.datatype = first.datatype === 'BYTES' ? 'FP32' : 'BYTES';
      break;
    case 'bytes':
      response.raw_output_contents[0] = bytes.subarray(0, Math.max(0, bytes.byteLength - 1));
      break;
    case 'missing-output':
      response.outputs.shift();
      response.raw_output_contents.shift();
      break;
  }
}
