import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import { AppConfig } from '../config/app-config';
import { RegistryLock } from '../database/registry-lock';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import { ModelEvents } from './model-events';
import { modelNameKey } from './model-name';
import { ModelRepository } from './model.repository';
import { VersionLoader } from './version-loader';

/**
 * Serves what other instances sharing the database changed: every `--registry_poll_ms` it reads which version row
 * each model has active and loads (or unloads) what differs from what this process serves. Polling rather than
 * PostgreSQL's LISTEN/NOTIFY: one indexed read of a few rows per second costs nothing, works on every dialect,
 * and cannot miss a change the way a notification sent while a listener reconnects is lost; the database itself is
 * the change counter (the active version row's id changes with every PUT, activation or re-creation).
 */
@Injectable()
export class RegistrySync implements OnApplicationShutdown {
  readonly #logger = new Logger('RegistrySync');
  /** The active version row id served per model name, as this process last set it or saw it. */
  readonly #served = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #unreachable = false;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(RegistryLock) private readonly lock: RegistryLock,
    @Inject(ModelRepository) private readonly repository: ModelRepository,
    @Inject(VersionLoader) private readonly versionLoader: VersionLoader,
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(ModelEvents) private readonly events: ModelEvents,
  ) {}

  /** Records that this process now serves version row `versionId` of `name` (undefined: nothing). */
  served(name: string, versionId: number | undefined): void {
    if (versionId === undefined) {
      this.#served.delete(name);
    } else {
      this.#served.set(name, versionId);
    }
  }

  /** Starts polling (once boot has loaded the registered models); a no-op with `--registry_poll_ms 0`. */
  start(): void {
    if (this.config.registryPollMs > 0 && this.#timer === undefined) {
      this.#timer = setInterval(() => {
        this.#polling ??= this.poll().finally(() => (this.#polling = undefined));
      }, this.config.registryPollMs);
      this.#timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.#polling;
  }

  /** Reads the active versions once and follows every model whose active row differs from the one served. */
  async poll(): Promise<void> {
    let active: Map<string, number>;
    try {
      active = await this.repository.activeVersionIds();
    } catch (error) {
      if (!this.#unreachable) {
        this.#unreachable = true;
        this.#logger.warn(
          { event: 'registry_unreachable', error: describeError(error) },
          `the registry database cannot be read; models keep serving as loaded: ${describeError(error)}`,
        );
      }
      return;
    }
    if (this.#unreachable) {
      this.#unreachable = false;
      this.#logger.log({ event: 'registry_reachable' }, 'the registry database answers again');
    }
    const names = new Set([...active.keys(), ...this.#served.keys()]);
    for (const name of names) {
      if (active.get(name) !== this.#served.get(name)) {
        await this.#follow(name).catch((error: unknown) =>
          this.#logger.error(`model '${name}': following another instance's change failed: ${describeError(error)}`),
        );
      }
    }
  }

  /** Under the model's lock, serves what the database now says about `name`. */
  #follow(name: string): Promise<void> {
    return this.lock.run(modelNameKey(name), async () => {
      const model = await this.repository.findModel(name);
      const row = model ? await this.repository.findVersion(model.id, model.activeVersion) : null;
      if (!model || !row) {
        this.#served.delete(name);
        if (await this.runtime.remove(name)) {
          this.events.modelDeleted(name);
        }
        return;
      }
      if (this.#served.get(name) === row.id) {
        return;
      }
      // Recorded before the load: a version that fails to load is reported once, not at every poll.
      const previous = this.runtime.has(name) ? this.runtime.get(name).info.active_version : undefined;
      this.#served.set(name, row.id);
      // The instance that wrote the change deployed it to a shared engine (Triton): this one only attaches.
      await this.runtime.replace(name, await this.versionLoader.load(name, row, 'never'));
      this.events.activated(name, row.version, previous, 'changed by another instance');
    });
  }
}
