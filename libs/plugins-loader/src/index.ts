// The public surface of @aiaa/plugins-loader: user classes from <workspace>/lib, loaded, checked and closed.
export { PluginError, type PluginErrorOptions } from './plugin-error';
export { PluginLoader, ModelPlugins, type PluginLoaderOptions } from './plugin-loader';
export { InferencePlugin } from './inference-plugin';
export { PluginInstances } from './plugin-instances';
export type { PluginOrigin } from './plugin-wrappers';
export { TRANSFORM_METHODS, WRITER_METHODS } from './plugin-wrappers';
export {
  PLUGIN_EXTENSIONS,
  parsePluginName,
  resolvePlugin,
  type PluginName,
  type ResolvedPlugin,
} from './resolve-plugin';
export { PIPELINE_FACTORY, createPipeline, type PipelineFactoryOptions } from './pipeline-factory';
