import * as path from 'node:path';
import * as core from '@aiaa/core';
import type { CustomTransformResolver, Transform } from '@aiaa/core';
import * as inference from '@aiaa/inference';
import { InferencePlugin } from './inference-plugin';
import { ModuleLoadError, displayPath, loadModule, type ModuleScope } from './load-plugin';
import { PluginError, PluginFileMissingError } from './plugin-error';
import {
  OnceCloser,
  TRANSFORM_METHODS,
  WRITER_METHODS,
  findMethod,
  transformStep,
  writerStep,
  type PluginOrigin,
} from './plugin-wrappers';
import { resolvePlugin, type ResolvedPlugin } from './resolve-plugin';

/** Options of a {@link PluginLoader}. */
export interface PluginLoaderOptions {
  /** The workspace folder; plugins live in `<workspaceDir>/lib`. */
  readonly workspaceDir: string;
  /**
   * Module specifiers answered with given instances instead of being resolved. `@aiaa/core` and `@aiaa/inference`
   * are always mapped to the server's own modules, so a plugin's `extends Inference` and
   * `instanceof TransformContext` use the server's classes wherever the workspace is.
   */
  readonly modules?: Readonly<Record<string, unknown>>;
}

/**
 * Finds and builds user classes named in `config_aiaa.json` (`module.ClassName` → `<workspace>/lib/module.ts`). Code
 * in `lib` runs with the server's rights. Each {@link PluginLoader.forModel} call reads and compiles the files afresh, so an
 * edited plugin takes effect at the next upload, without a restart.
 */
export class PluginLoader {
  /** `<workspaceDir>/lib`, as given (not resolved through symlinks). */
  readonly libDir: string;
  readonly #modules: ReadonlyMap<string, unknown>;

  constructor(options: PluginLoaderOptions) {
    this.libDir = path.resolve(options.workspaceDir, 'lib');
    this.#modules = new Map<string, unknown>([
      ['@aiaa/core', core],
      ['@aiaa/inference', inference],
      ...Object.entries(options.modules ?? {}),
    ]);
  }

  /**
   * Starts loading the plugins of one version of a model. Its plugins share one evaluation of each module file;
   * close it when that version is replaced, deleted or fails to load (see `PluginInstances`).
   */
  forModel(modelName: string): ModelPlugins {
    return new ModelPlugins(modelName, this.libDir, this.#modules);
  }
}

/**
 * The plugins of one model version: builds its custom inference, transforms and writer, and closes every instance it
 * built exactly once. Loading is synchronous (it fits {@link @aiaa/core#CustomTransformResolver}); every load failure is a
 * {@link PluginError} of kind `invalid-input` naming the config path and the plugin.
 */
export class ModelPlugins {
  readonly #closers: OnceCloser[] = [];
  #scope: ModuleScope | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    readonly modelName: string,
    private readonly libDir: string,
    private readonly modules: ReadonlyMap<string, unknown>,
  ) {}

  /**
   * Builds the custom inference named in the config's `inference.name`: a class extending `Inference`, or any class
   * with an `inference(name, data, config, tritonConfig?)` method, constructed with `args`.
   * @throws PluginError naming the plugin: no file, no such export, a syntax error (file and line), a constructor that
   * throws, a class without `inference`.
   */
  loadInference(name: string, args: Readonly<Record<string, unknown>> = {}, where = 'inference'): InferencePlugin {
    const { origin, instance } = this.#construct(name, args, where);
    if (!findMethod(instance, ['inference'])) {
      throw new PluginError(name, `${origin.file}: class has no inference(name, data, config) method`, { where });
    }
    return new InferencePlugin(origin, instance, this.#track(origin, instance));
  }

  /**
   * {@link @aiaa/core#CustomTransformResolver} for `pre_transforms`/`post_transforms`: builds a class with an `apply(ctx)`,
   * `call(ctx)` or `transform(ctx)` method (tried in that order) that changes the context in place. Names without a
   * dot are not plugin names, and names whose module has no file in `lib` (a MONAI path such as
   * `monai.transforms.ScaleIntensityd`) name no plugin: undefined, so the registry reports them as unknown
   * transforms, with the closest names of its catalogue.
   * @throws PluginError as {@link ModelPlugins.loadInference} does.
   */
  readonly loadTransform: CustomTransformResolver = (name, args, where) =>
    this.#step(name, args, where, TRANSFORM_METHODS, transformStep);

  /**
   * {@link @aiaa/core#CustomTransformResolver} for `writer`: a class with `write(ctx)` (or `apply`/`call`/`transform`) that
   * returns `{file?, json}` or sets `ctx.writerOutput`.
   */
  readonly loadWriter: CustomTransformResolver = (name, args, where) =>
    this.#step(name, args, where, WRITER_METHODS, writerStep);

  /**
   * Closes every instance built so far, each once (later calls share the first result). A failing `close()` does not
   * stop the others.
   * @throws PluginError listing the plugins whose `close()` failed.
   */
  close(): Promise<void> {
    this.#closing ??= closeEach(this.#closers);
    return this.#closing;
  }

  #step(
    name: string,
    args: Readonly<Record<string, unknown>>,
    where: string,
    methods: readonly string[],
    build: (origin: PluginOrigin, instance: object, method: string) => Transform,
  ): Transform | undefined {
    if (!name.includes('.')) {
      return undefined;
    }
    let constructed: ConstructedPlugin;
    try {
      constructed = this.#construct(name, args, where);
    } catch (error) {
      if (error instanceof PluginFileMissingError) {
        return undefined;
      }
      throw error;
    }
    const { origin, instance } = constructed;
    const method = findMethod(instance, methods);
    if (!method) {
      const expected = methods.map((m) => `${m}(ctx)`).join(', ');
      throw new PluginError(name, `${origin.file}: class has none of the methods ${expected}`, { where });
    }
    this.#track(origin, instance);
    return build(origin, instance, method.name);
  }

  #construct(name: string, args: Readonly<Record<string, unknown>>, where: string): ConstructedPlugin {
    if (this.#closing) {
      throw new PluginError(name, `plugins of model '${this.modelName}' are closed`, { where, kind: 'internal' });
    }
    const resolved = resolvePlugin(this.libDir, name, where);
    const file = displayPath(resolved.libDir, resolved.file);
    const origin: PluginOrigin = { plugin: name, where, file };
    const exported = this.#exportOf(resolved, origin);
    try {
      return { origin, instance: Reflect.construct(exported, [args]) as object };
    } catch (error) {
      throw new PluginError(name, `${file}: new ${resolved.exportName}(args) threw: ${core.describeError(error)}`, {
        where,
        cause: error,
      });
    }
  }

  #exportOf(resolved: ResolvedPlugin, origin: PluginOrigin): new (args: unknown) => unknown {
    this.#scope ??= { libDir: resolved.libDir, modules: this.modules, cache: new Map() };
    let exports: unknown;
    try {
      exports = loadModule(resolved.file, this.#scope);
    } catch (error) {
      if (error instanceof ModuleLoadError) {
        throw new PluginError(origin.plugin, error.detail, { where: origin.where, cause: error });
      }
      throw error;
    }
    const holder = typeof exports === 'object' || typeof exports === 'function' ? exports : undefined;
    const exported: unknown = holder ? Reflect.get(holder, resolved.exportName) : undefined;
    if (exported === undefined) {
      const names = holder ? Object.keys(holder).join(', ') || 'nothing' : typeof exports;
      throw new PluginError(
        origin.plugin,
        `${origin.file} has no export '${resolved.exportName}' (exports: ${names})`,
        {
          where: origin.where,
        },
      );
    }
    if (typeof exported !== 'function') {
      throw new PluginError(
        origin.plugin,
        `${origin.file} exports '${resolved.exportName}' as a ${typeof exported}, expected a class`,
        { where: origin.where },
      );
    }
    return exported as new (args: unknown) => unknown;
  }

  #track(origin: PluginOrigin, instance: object): OnceCloser {
    const closer = new OnceCloser(origin, instance);
    this.#closers.push(closer);
    return closer;
  }
}

interface ConstructedPlugin {
  readonly origin: PluginOrigin;
  readonly instance: object;
}

async function closeEach(closers: readonly OnceCloser[]): Promise<void> {
  const results = await Promise.allSettled(closers.map((c) => c.close()));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const [first] = failures;
  if (failures.length === 1 && first instanceof PluginError) {
    throw first;
  }
  if (failures.length > 0) {
    const plugins = failures.map((f) => (f instanceof PluginError ? f.plugin : 'plugin')).join(', ');
    const messages = failures.map((f) => core.describeError(f)).join('; ');
    throw new PluginError(plugins, `${failures.length} close() calls failed: ${messages}`, {
      kind: 'internal',
      cause: first,
    });
  }
}
