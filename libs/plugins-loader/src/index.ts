// The public surface of @aiaa/plugins-loader: user classes from <workspace>/lib, loaded, checked and closed.

/** A plugin that cannot be used, naming its file and export and why. */
export { PluginError, type PluginErrorOptions } from './plugin-error';
/** Loads a model's plugins (inference, transforms, writers) from `<workspace>/lib` by `module.ClassName`. */
export { ModelPlugins, PluginLoader, type PluginLoaderOptions } from './plugin-loader';
/** A user inference class wrapped for the pipeline, checked against the `Inference` contract. */
export { InferencePlugin } from './inference-plugin';
/** The plugin instances of one model version, closed once when it is unloaded. */
export { PluginInstances } from './plugin-instances';
/** Where a plugin came from (file and export), for messages. */
export type { PluginOrigin } from './plugin-wrappers';
/** The methods a transform or writer plugin must have. */
export { TRANSFORM_METHODS, WRITER_METHODS } from './plugin-wrappers';
/** `module.ClassName` parsed and resolved to a file under `<workspace>/lib`. */
export {
  PLUGIN_EXTENSIONS,
  parsePluginName,
  resolvePlugin,
  type PluginName,
  type ResolvedPlugin,
} from './resolve-plugin';
/** Builds a model's pipeline from plain data (in the server's thread or a worker's); its module for workers. */
export { PIPELINE_FACTORY, createPipeline, type PipelineFactoryOptions } from './pipeline-factory';
