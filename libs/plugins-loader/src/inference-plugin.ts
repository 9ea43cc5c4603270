import { TransformContext } from '@aiaa/core';
import { PluginError } from './plugin-error';
import { callPlugin, type PluginOrigin } from './plugin-wrappers';

/**
 * A user's inference class, loaded and checked: calls go to its `inference()` with failures contained to the
 * request, and `close()` reaches the user's `close()` at most once.
 */
export class InferencePlugin {
  constructor(
    /** Plugin name, config path and file. */
    readonly origin: PluginOrigin,
    /** The user's object, as constructed. */
    readonly instance: object,
    /** Closes `instance` at most once (the model's closer, shared with its unloading). */
    private readonly closer: { close(): Promise<void> },
  ) {}

  /**
   * Runs the user's `inference(name, data, config, tritonConfig)`. A plugin that changes `data` in place and returns
   * nothing is taken to have returned `data`.
   * @throws PluginError naming the plugin with the message of what it threw (kind `internal`, or the kind of a
   * library error it threw); CancelledError unchanged.
   */
  async inference(
    name: string,
    data: TransformContext,
    config: unknown,
    tritonConfig?: unknown,
  ): Promise<TransformContext> {
    data.throwIfCancelled();
    const out = await callPlugin(this.origin, this.instance, 'inference', [name, data, config, tritonConfig]);
    if (out === undefined) {
      return data;
    }
    if (!(out instanceof TransformContext)) {
      throw new PluginError(
        this.origin.plugin,
        `inference() must resolve to a TransformContext, got ${describe(out)}`,
        {
          kind: 'internal',
          where: this.origin.where,
        },
      );
    }
    return out;
  }

  /** Closes the user's instance once; later calls share the first result. */
  close(): Promise<void> {
    return this.closer.close();
  }
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
