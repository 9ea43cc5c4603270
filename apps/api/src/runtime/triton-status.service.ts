import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import { TritonEngine, type TritonStatus } from '@aiaa/inference';
import { AppConfig } from '../config/app-config';

/** How long a health check or a listing waits for Triton: a down server must not stall `/v1/models`. */
const STATUS_TIMEOUT_MS = 2_000;

/** A model's state as Triton's repository index reports it (`READY`, `UNAVAILABLE`, `UNREACHABLE`, …). */
export interface TritonModelState {
  readonly state: string;
  /** Why it is not ready (a failed load's message, or why Triton could not be asked). */
  readonly reason?: string;
}

/**
 * Asks the Triton server of `--engine TRITON` how it is, for `/health` and `/v1/models`: one client (one gRPC channel)
 * for the life of the app, no retries and a short deadline, so a Triton that is down answers "unreachable" at once.
 * With `--engine AIAA` there is nothing to ask.
 */
@Injectable()
export class TritonStatusService implements OnApplicationShutdown {
  #engine: Promise<TritonEngine> | undefined;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  /** True when the server sends inference to Triton. */
  get enabled(): boolean {
    return this.config.engine === 'TRITON';
  }

  /** Live and ready as Triton reports them; undefined with `--engine AIAA`. Never throws. */
  async server(): Promise<TritonStatus | undefined> {
    const engine = await this.#client();
    return engine?.status({ signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
  }

  /**
   * Each model of Triton's repository by name; when Triton cannot be asked, every name in `names` maps to
   * `UNREACHABLE` with the reason. Empty with `--engine AIAA`. Never throws.
   */
  async models(names: readonly string[]): Promise<Map<string, TritonModelState>> {
    const states = new Map<string, TritonModelState>();
    const engine = await this.#client();
    if (!engine || names.length === 0) {
      return states;
    }
    try {
      for (const entry of await engine.modelStates({ signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) })) {
        states.set(entry.name, entry.reason ? { state: entry.state, reason: entry.reason } : { state: entry.state });
      }
    } catch (error) {
      for (const name of names) {
        states.set(name, { state: 'UNREACHABLE', reason: describeError(error) });
      }
    }
    return states;
  }

  async onApplicationShutdown(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    await (await engine)?.close();
  }

  #client(): Promise<TritonEngine> | undefined {
    if (!this.enabled) {
      return undefined;
    }
    this.#engine ??= TritonEngine.create({
      host: this.config.tritonHost,
      port: this.config.tritonPort,
      retries: 0,
      loadTimeoutMs: STATUS_TIMEOUT_MS,
    });
    return this.#engine;
  }
}
