import { AiaaError, CancelledError, ConfigError, InvalidInputError, TimeoutError } from '@aiaa/core';
import { basename } from 'node:path';
import type { InferenceEngine, ModelHandle, ModelLoadSpec, RunOptions, Tensor, TensorInfo } from '../../engine';
import { readModelFile } from '../../model-file';
import { KServeClient, type KServeModelIndexEntry } from './kserve-client';
import type { TritonModelConfig } from './kserve-proto';
import { batchSizeOf, checkRequestSizes, joinBatches, sliceBatch } from './triton-batches';
import {
  checkServedModel,
  checkTritonModelName,
  removeModelFolder,
  tensorInfosOf,
  tritonConfigFor,
  writeModelFolder,
} from './triton-deploy';

/** Options of a {@link TritonEngine}. Durations in milliseconds. */
export interface TritonEngineOptions {
  /** Triton's host (AIAA's `--triton_ip`). */
  readonly host: string;
  /** Triton's gRPC port (AIAA's `--triton_port`; Triton listens on 8001). */
  readonly port: number;
  /**
   * Triton's model repository as this server sees it (AIAA's `--triton_model_path`): deployment writes
   * `<name>/config.pbtxt` and `<name>/1/model.onnx` there and loads the model by name. Without it (or with `push`),
   * the config and the model bytes travel in the load request.
   */
  readonly modelRepository?: string;
  /**
   * Whether {@link TritonEngine.load} deploys (writes the repository folder, sends RepositoryModelLoad): `always`
   * (the default), `unless-ready` (not when Triton already serves a model of that name), or `never` (another server
   * sharing Triton deployed it: only wait until it is ready and check it). Several servers sharing one Triton deploy
   * each model once this way, and unload it only from the server that owns the write.
   */
  readonly deploy?: 'always' | 'unless-ready' | 'never';
  /** Send config and model bytes in RepositoryModelLoad even when a repository folder is set. Default false. */
  readonly push?: boolean;
  /** Deadline of each ModelInfer request; default 60 000. */
  readonly deadlineMs?: number;
  /** How long a load may take until ModelReady says ready; default 60 000. */
  readonly loadTimeoutMs?: number;
  /** ModelInfer requests of one run in flight at once when a batch is split; default 4. */
  readonly maxConcurrentRequests?: number;
  /** Extra attempts after UNAVAILABLE; default 3. */
  readonly retries?: number;
  /** First retry wait, doubled per retry; default 200. */
  readonly retryDelayMs?: number;
  /** Cap of the retry wait and of the reconnect backoff once Triton went away; default 2 000. */
  readonly maxRetryDelayMs?: number;
}

/** What {@link TritonEngine.status} reports for `/v1/models` and the health endpoint. */
export interface TritonStatus {
  readonly address: string;
  readonly live: boolean;
  readonly ready: boolean;
  /** Why the server is not ready (unreachable, …); absent when ready. */
  readonly detail?: string;
}

const READY_POLL_MS = 100;

/**
 * The `TRITON` engine: deploys `.onnx` models to a Triton server (a model repository folder it shares, or the bytes
 * pushed in the load request), waits until Triton reports them ready, checks what Triton serves against the config,
 * and runs them over KServe v2 gRPC with raw tensor contents, splitting batches over the model's `max_batch_size`.
 * One gRPC channel per server, reused by every model; a server that goes away and returns is picked up again.
 */
export class TritonEngine implements InferenceEngine {
  readonly name = 'TRITON';
  readonly client: KServeClient;
  readonly #options: TritonEngineOptions;

  private constructor(options: TritonEngineOptions, client: KServeClient) {
    this.#options = options;
    this.client = client;
  }

  /**
   * An engine for the Triton at `host:port`. Does not need the server to be up (it may start later). Throws
   * ConfigError naming the option when an option is out of range.
   */
  static async create(options: TritonEngineOptions): Promise<TritonEngine> {
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new ConfigError('triton_port', `expected a port in [1, 65535], got ${options.port}`);
    }
    if (options.host.trim() === '') {
      throw new ConfigError('triton_ip', 'expected a host name or address');
    }
    for (const option of ['deadlineMs', 'loadTimeoutMs'] as const) {
      const value = options[option];
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 1 || value > 2 ** 31 - 1)) {
        throw new ConfigError(option, `expected a positive whole number of milliseconds, got ${value}`);
      }
    }
    const concurrency = options.maxConcurrentRequests ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ConfigError('maxConcurrentRequests', `expected an integer ≥ 1, got ${concurrency}`);
    }
    const client = new KServeClient({
      address: `${options.host}:${options.port}`,
      // Control calls (load, metadata, health) may take as long as a load; ModelInfer gets deadlineMs per request.
      deadlineMs: options.loadTimeoutMs ?? 60_000,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 2_000,
    });
    return new TritonEngine(options, client);
  }

  /** Live and ready as Triton reports them; an unreachable server is neither (never throws). */
  async status(options: RunOptions = {}): Promise<TritonStatus> {
    const address = this.client.address;
    try {
      const call = { signal: options.signal, deadlineMs: 5_000 };
      const live = await this.client.serverLive(call);
      const ready = await this.client.serverReady(call);
      return ready ? { address, live, ready } : { address, live, ready, detail: 'Triton reports not ready' };
    } catch (error) {
      return { address, live: false, ready: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Every model Triton's repository holds, with its state (`READY`, `UNAVAILABLE`, …) and the reason of a failed
   * load, for `/v1/models`. Throws EngineUnavailableError when Triton cannot be reached.
   */
  async modelStates(options: RunOptions = {}): Promise<KServeModelIndexEntry[]> {
    return this.client.repositoryIndex({ signal: options.signal });
  }

  /**
   * Deploys and loads `spec.name` on Triton (`spec.deployConfig` is the config's Triton section), waits until it is
   * ready, checks its served inputs/outputs against the config, and returns a handle. Throws ConfigError (bad name or section, served tensors unlike the config),
   * InvalidInputError (unreadable model), EngineUnavailableError (Triton down), TimeoutError (not ready in time).
   */
  async load(spec: ModelLoadSpec): Promise<ModelHandle> {
    checkTritonModelName(spec.name);
    const bytes = await readModelFile(spec.name, spec.modelPath, spec.modelDir ? { modelDir: spec.modelDir } : {});
    const config = await tritonConfigFor(spec.name, bytes, spec.deployConfig).catch((error: unknown) => {
      if (error instanceof AiaaError) {
        throw error;
      }
      throw new InvalidInputError(
        `model '${spec.name}': ${basename(spec.modelPath)} is not a model onnxruntime can read`,
        {
          cause: error,
        },
      );
    });
    const deploy = this.#options.deploy ?? 'always';
    const deploys = deploy === 'always' || (deploy === 'unless-ready' && !(await this.client.modelReady(spec.name)));
    if (deploys) {
      await this.#deploy(spec.name, config, bytes);
    }
    let metadata: Awaited<ReturnType<KServeClient['modelMetadata']>>;
    try {
      await this.#waitReady(spec.name);
      metadata = await this.client.modelMetadata(spec.name);
      checkServedModel(config, metadata, spec);
    } catch (error) {
      // A model that is not what the config says must not stay deployed: unload it and remove its folder. One that
      // another server deployed is its own to unload.
      if (deploys) {
        await this.unload(spec.name).catch(() => undefined);
      }
      throw error;
    }
    return new TritonModelHandle(this, config, {
      inputs: tensorInfosOf(spec.name, 'input', metadata.inputs),
      outputs: tensorInfosOf(spec.name, 'output', metadata.outputs),
    });
  }

  /** Writes the repository folder and loads it by name, or pushes config and bytes in the load request. */
  async #deploy(name: string, config: Awaited<ReturnType<typeof tritonConfigFor>>, bytes: Uint8Array): Promise<void> {
    const repository = this.#options.modelRepository;
    if (repository !== undefined && this.#options.push !== true) {
      await writeModelFolder(repository, config, bytes);
      await this.client.repositoryModelLoad(name);
    } else {
      const filename = config.default_model_filename || 'model.onnx';
      await this.client.repositoryModelLoad(name, { config, files: { [`1/${filename}`]: bytes } });
    }
  }

  /** Unloads `name` from Triton and, in repository mode, removes its folder. */
  async unload(name: string): Promise<void> {
    checkTritonModelName(name);
    await this.client.repositoryModelUnload(name);
    if (this.#options.modelRepository !== undefined && this.#options.push !== true) {
      await removeModelFolder(this.#options.modelRepository, name);
    }
  }

  /** Lets go of the gRPC channel. */
  async close(): Promise<void> {
    this.client.close();
  }

  /** Deadline of each ModelInfer request, in milliseconds. */
  get deadlineMs(): number {
    return this.#options.deadlineMs ?? 60_000;
  }

  /** Concurrency of split batches. */
  get maxConcurrentRequests(): number {
    return this.#options.maxConcurrentRequests ?? 4;
  }

  async #waitReady(name: string): Promise<void> {
    const timeoutMs = this.#options.loadTimeoutMs ?? 60_000;
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (await this.client.modelReady(name)) {
        return;
      }
      if (Date.now() + READY_POLL_MS > until) {
        throw new TimeoutError(`${this.client.server}: model '${name}' was not ready within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }
}

/** A model served by Triton; batches over `max_batch_size` are split into several requests and joined. */
class TritonModelHandle implements ModelHandle {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly #engine: TritonEngine;
  readonly #config: TritonModelConfig;
  #disposed = false;

  constructor(
    engine: TritonEngine,
    config: TritonModelConfig,
    io: { inputs: readonly TensorInfo[]; outputs: readonly TensorInfo[] },
  ) {
    this.#engine = engine;
    this.#config = config;
    this.inputs = io.inputs;
    this.outputs = io.outputs;
    this.inputNames = io.inputs.map((tensor) => tensor.name);
    this.outputNames = io.outputs.map((tensor) => tensor.name);
  }

  async run(feeds: Readonly<Record<string, Tensor>>, options: RunOptions = {}): Promise<Record<string, Tensor>> {
    const model = this.#config.name;
    if (this.#disposed) {
      throw new InvalidInputError(`model '${model}' was disposed`);
    }
    if (options.signal?.aborted === true) {
      throw new CancelledError(`model '${model}': cancelled before sending`);
    }
    const missing = this.inputNames.filter((name) => feeds[name] === undefined);
    if (missing.length > 0) {
      throw new InvalidInputError(
        `model '${model}': input '${missing.join("', '")}' missing (got ${Object.keys(feeds).join(', ') || 'none'})`,
      );
    }
    const maxBatch = this.#config.max_batch_size;
    const batch = maxBatch > 0 ? batchSizeOf(model, feeds) : 1;
    checkRequestSizes(model, feeds, this.outputs, maxBatch, batch);
    const call = { signal: options.signal, deadlineMs: this.#engine.deadlineMs };
    if (maxBatch === 0 || batch <= maxBatch) {
      const result = await this.#engine.client.modelInfer({ model, inputs: feeds, outputs: this.outputNames }, call);
      return result.outputs;
    }
    const starts: number[] = [];
    for (let start = 0; start < batch; start += maxBatch) {
      starts.push(start);
    }
    const parts: Record<string, Tensor>[] = new Array<Record<string, Tensor>>(starts.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < starts.length) {
        const index = next++;
        const start = starts[index] ?? 0;
        const inputs = sliceBatch(feeds, start, Math.min(start + maxBatch, batch), batch);
        const result = await this.#engine.client.modelInfer({ model, inputs, outputs: this.outputNames }, call);
        parts[index] = result.outputs;
      }
    };
    const workers = Math.min(this.#engine.maxConcurrentRequests, starts.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return joinBatches(model, parts);
  }

  async dispose(): Promise<void> {
    // Unloading from Triton is the deployer's decision (TritonEngine.unload): other replicas may share the model.
    this.#disposed = true;
  }
}
