import {
  AiaaError,
  CancelledError,
  TransformContext,
  describeError,
  type Transform,
  type WriterOutput,
} from '@aiaa/core';
import { PluginError } from './plugin-error';

/** Names and place of a constructed plugin, for messages. */
export interface PluginOrigin {
  /** The name in the config: `custom_inference.CustomInference`. */
  readonly plugin: string;
  /** The config path: `inference`, `pre_transforms[2]`, `writer`. */
  readonly where: string;
  /** The module file as the workspace owner sees it: `lib/custom_inference.ts`. */
  readonly file: string;
}

type PluginMethod = (...args: unknown[]) => unknown;

/** The instance's first method among `names`, bound to nothing (called with the instance as `this`). */
export function findMethod(instance: object, names: readonly string[]): { name: string; fn: PluginMethod } | undefined {
  for (const name of names) {
    const fn: unknown = Reflect.get(instance, name);
    if (typeof fn === 'function') {
      return { name, fn: fn as PluginMethod };
    }
  }
  return undefined;
}

/**
 * Runs a plugin method on behalf of one request. Whatever it throws or rejects with becomes an error that names the
 * plugin and keeps the message: `internal` (500), or the kind of a library error the plugin threw on purpose
 * (`InvalidInputError` stays a 400). A cancellation passes through unchanged. Nothing is shared between calls, so a
 * failure touches only its own request.
 */
export async function callPlugin(
  origin: PluginOrigin,
  instance: object,
  method: string,
  args: unknown[],
): Promise<unknown> {
  try {
    const fn = findMethod(instance, [method]);
    if (!fn) {
      throw new TypeError(`${method} is no longer a function`);
    }
    return await fn.fn.apply(instance, args);
  } catch (error) {
    if (error instanceof CancelledError) {
      throw error;
    }
    const kind = error instanceof AiaaError ? error.kind : 'internal';
    throw new PluginError(origin.plugin, `${method}() failed: ${describeError(error)}`, {
      kind,
      where: origin.where,
      cause: error,
    });
  }
}

/**
 * Calls `close()` of a plugin instance at most once, however often it is asked; later calls share the first result.
 * Instances without `close` are closed trivially.
 */
export class OnceCloser {
  #closing: Promise<void> | undefined;

  constructor(
    private readonly origin: PluginOrigin,
    private readonly instance: object,
  ) {}

  close(): Promise<void> {
    this.#closing ??= findMethod(this.instance, ['close'])
      ? callPlugin(this.origin, this.instance, 'close', []).then(() => undefined)
      : Promise.resolve();
    return this.#closing;
  }
}

/** Methods tried, in order, on a custom transform (AIAA's transforms are callables: `__call__(data)`). */
export const TRANSFORM_METHODS = ['apply', 'call', 'transform'] as const;
/** Methods tried, in order, on a custom writer. */
export const WRITER_METHODS = ['write', ...TRANSFORM_METHODS] as const;

/** A pipeline step around a custom transform instance; the method changes `ctx` in place. */
export function transformStep(origin: PluginOrigin, instance: object, method: string): Transform {
  return {
    name: origin.plugin,
    path: origin.where,
    async apply(ctx: TransformContext): Promise<void> {
      ctx.throwIfCancelled();
      const out = await callPlugin(origin, instance, method, [ctx]);
      if (out instanceof TransformContext && out !== ctx) {
        throw new PluginError(
          origin.plugin,
          `${method}() returned a new TransformContext; change the one it is given`,
          {
            kind: 'internal',
            where: origin.where,
          },
        );
      }
    },
  };
}

/** A writer step around a custom writer: it returns `{file?, json}` or sets `ctx.writerOutput` itself. */
export function writerStep(origin: PluginOrigin, instance: object, method: string): Transform {
  return {
    name: origin.plugin,
    path: origin.where,
    async apply(ctx: TransformContext): Promise<void> {
      ctx.throwIfCancelled();
      const out = await callPlugin(origin, instance, method, [ctx]);
      if (out !== undefined && out !== ctx) {
        ctx.writerOutput = toWriterOutput(origin, method, out);
      }
      if (!ctx.writerOutput) {
        throw new PluginError(origin.plugin, `${method}() neither returned {file, json} nor set ctx.writerOutput`, {
          kind: 'internal',
          where: origin.where,
        });
      }
    },
  };
}

function toWriterOutput(origin: PluginOrigin, method: string, out: unknown): WriterOutput {
  const fail = (got: string): PluginError =>
    new PluginError(origin.plugin, `${method}() must return {file?: string, json: object}, got ${got}`, {
      kind: 'internal',
      where: origin.where,
    });
  if (!isRecord(out)) {
    throw fail(Array.isArray(out) ? 'an array' : typeof out);
  }
  const { file, json } = out;
  if (file !== undefined && typeof file !== 'string') {
    throw fail(`file of type ${typeof file}`);
  }
  if (!isRecord(json)) {
    throw fail(json === undefined ? 'no json' : `json of type ${Array.isArray(json) ? 'array' : typeof json}`);
  }
  return file === undefined ? { json } : { file, json };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
