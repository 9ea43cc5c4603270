import { AiaaError, type ErrorKind } from '@aiaa/core';

/** Where a {@link PluginError} happened and what it maps to. */
export interface PluginErrorOptions {
  /** `invalid-input` (default: the upload is refused with a 4xx) or the kind of a request-time failure. */
  kind?: ErrorKind;
  /** Where in the config the plugin is named, e.g. `inference` or `pre_transforms[2]`. */
  where?: string;
  cause?: unknown;
}

/**
 * A user plugin from `<workspace>/lib` that cannot be found, loaded, built or run. The message starts with the
 * config path and the plugin's name: `inference: custom_inference.CustomInference: no file lib/custom_inference.{…}`.
 * Load-time failures are `invalid-input` (the model upload gets a 4xx); a plugin that throws during a request is
 * `internal` (a 500 for that request only) unless it threw a library error whose kind it keeps.
 */
export class PluginError extends AiaaError {
  /** The plugin as named in the config, e.g. `custom_inference.CustomInference`. */
  readonly plugin: string;
  readonly detail: string;
  readonly where: string | undefined;

  constructor(plugin: string, detail: string, options: PluginErrorOptions = {}) {
    const prefix = options.where ? `${options.where}: ` : '';
    super(options.kind ?? 'invalid-input', `${prefix}${plugin}: ${detail}`, { cause: options.cause });
    this.plugin = plugin;
    this.detail = detail;
    this.where = options.where;
  }
}

/**
 * No file in `<workspace>/lib` holds the module a plugin name points to. Named `PluginError` all the same: errors
 * cross worker threads by name, and to everyone but the transform resolver this is a PluginError like any other.
 */
export class PluginFileMissingError extends PluginError {
  constructor(plugin: string, detail: string, options: PluginErrorOptions = {}) {
    super(plugin, detail, options);
    this.name = 'PluginError';
  }
}
