import type { ModelPlugins } from './plugin-loader';

/**
 * The live plugins of every loaded model, for the model registry: installing a model's new version closes the
 * previous one's plugins, deleting a model closes its plugins, shutdown closes all. Each instance's `close()` runs at
 * most once.
 */
export class PluginInstances {
  readonly #byModel = new Map<string, ModelPlugins>();

  /**
   * Makes `plugins` the live plugins of its model and closes the ones they replace (if different).
   * @throws PluginError when a replaced plugin's `close()` fails; the new plugins are installed all the same.
   */
  async replace(plugins: ModelPlugins): Promise<void> {
    const previous = this.#byModel.get(plugins.modelName);
    this.#byModel.set(plugins.modelName, plugins);
    if (previous && previous !== plugins) {
      await previous.close();
    }
  }

  /** The live plugins of a model, if any. */
  get(modelName: string): ModelPlugins | undefined {
    return this.#byModel.get(modelName);
  }

  /** Forgets a model and closes its plugins; nothing happens for a model without plugins. */
  async closeModel(modelName: string): Promise<void> {
    const plugins = this.#byModel.get(modelName);
    this.#byModel.delete(modelName);
    await plugins?.close();
  }

  /**
   * Closes the plugins of every model (at shutdown), all of them even when some fail.
   * @throws the first failure, after every model was closed.
   */
  async closeAll(): Promise<void> {
    const all = [...this.#byModel.values()];
    this.#byModel.clear();
    const results = await Promise.allSettled(all.map((p) => p.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
  }
}
