import { z } from 'zod';
import { ConfigError } from '../errors';
import { closestNames, didYouMean } from '../text/closest-names';
import type { CustomTransformResolver, Transform, TransformDefinition } from './transform';
import type { TransformContext } from './transform-context';

const specSchema = z.object({
  name: z.string().min(1),
  path: z.string().min(1).optional(),
  args: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Builds transforms by name from `config_aiaa.json` entries. Every name and alias maps to one definition; a duplicate
 * fails at startup. Unknown names, unknown arguments and bad values fail when the model is loaded, with the config
 * path, the name and the field (and the closest known names), never at the first request: nothing in a config is
 * silently ignored.
 */
export class TransformRegistry {
  readonly #byName = new Map<string, TransformDefinition<unknown>>();

  constructor(definitions: Iterable<TransformDefinition<unknown>> = []) {
    for (const definition of definitions) {
      this.register(definition);
    }
  }

  /** Adds a definition under its name and aliases. @throws Error when a name is already taken. */
  register<Args>(definition: TransformDefinition<Args>): void {
    for (const name of [definition.name, ...definition.aliases]) {
      const existing = this.#byName.get(name);
      if (existing) {
        throw new Error(`transform name '${name}' of ${definition.name} is already registered by ${existing.name}`);
      }
      this.#byName.set(name, definition as TransformDefinition<unknown>);
    }
  }

  /** The definition registered under a name or alias. */
  find(name: string): TransformDefinition<unknown> | undefined {
    return this.#byName.get(name);
  }

  /** Every registered name and alias, sorted. */
  names(): string[] {
    return [...this.#byName.keys()].sort();
  }

  /** Every definition once, in registration order. */
  definitions(): TransformDefinition<unknown>[] {
    return [...new Set(this.#byName.values())];
  }

  /** Why `name` builds nothing: not in the catalogue (the closest names), and where a plugin of that name would be. */
  #unknownName(name: string): string {
    // One name per transform: its aliases would otherwise crowd out the other candidates.
    const seen = new Set<TransformDefinition<unknown>>();
    const closest = closestNames(name, this.#byName.keys(), this.#byName.size)
      .filter((candidate) => {
        const definition = this.#byName.get(candidate) as TransformDefinition<unknown>;
        return seen.has(definition) ? false : (seen.add(definition), true);
      })
      .slice(0, 3)
      .join(', ');
    const parts = name.split('.');
    const plugin =
      parts.length > 1
        ? `a plugin class ${parts.at(-1) ?? name} would be in <workspace>/lib/${parts.slice(0, -1).join('/')}.ts (or .js), which does not exist`
        : 'plugins are named module.ClassName';
    return `unknown transform '${name}': not a transform of the catalogue (closest: ${closest}); ${plugin}`;
  }

  /**
   * Builds one transform from a config entry `{name, args}` (v3 custom classes may also give `path`).
   * @param path - where the entry sits in the config, e.g. `pre_transforms[2]`.
   * @throws ConfigError naming the path, the transform and the field.
   */
  build(spec: unknown, path: string, custom?: CustomTransformResolver): Transform {
    const parsedSpec = specSchema.safeParse(spec, { reportInput: true });
    if (!parsedSpec.success) {
      throw new ConfigError(path, `expected {"name": string, "args": object}, ${formatIssues(parsedSpec.error)}`);
    }
    const { name, args = {} } = parsedSpec.data;
    const definition = this.#byName.get(name);
    if (!definition) {
      const customName = parsedSpec.data.path ?? name;
      const built = custom?.(customName, args, path);
      if (built) {
        return built;
      }
      throw new ConfigError(path, this.#unknownName(customName));
    }
    const known = argNamesOf(definition.args);
    const unknown = Object.keys(args).find((key) => !known.includes(key));
    if (unknown !== undefined) {
      const guess = didYouMean(unknown, known);
      throw new ConfigError(
        `${path}.args.${unknown}`,
        `unknown argument of ${name}${guess ? `; did you mean '${guess}'?` : ''} (its arguments: ${known.join(', ') || 'none'})`,
      );
    }
    const parsedArgs = definition.args.safeParse(args, { reportInput: true });
    if (!parsedArgs.success) {
      throw new ConfigError(`${path} ${name}`, formatIssues(parsedArgs.error));
    }
    const validArgs = parsedArgs.data;
    return {
      name,
      path,
      async apply(ctx: TransformContext): Promise<void> {
        ctx.throwIfCancelled();
        await definition.apply(ctx, validArgs);
      },
    };
  }

  /**
   * Builds a list of transforms (`pre_transforms`, `post_transforms`); an absent list is empty.
   * @throws ConfigError naming the list and the index of the bad entry.
   */
  buildList(specs: unknown, listName: string, custom?: CustomTransformResolver): Transform[] {
    if (specs === undefined || specs === null) {
      return [];
    }
    if (!Array.isArray(specs)) {
      throw new ConfigError(listName, `expected a list of transforms, got ${typeof specs}`);
    }
    return specs.map((spec, index) => this.build(spec, `${listName}[${index}]`, custom));
  }
}

/** Zod issues as one sentence per field: "a_min must be a number; clip must be a boolean". */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'value';
      if (issue.code === 'invalid_type') {
        return issue.input === undefined ? `${field} is required` : `${field} must be a ${issue.expected}`;
      }
      if (issue.code === 'unrecognized_keys') {
        return `unknown field(s) ${issue.keys.join(', ')}`;
      }
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * The argument names a transform's schema declares: the keys of its object schema, through refinements, defaults and
 * transforms wrapped around it; none when it is not an object schema.
 */
export function argNamesOf(schema: z.ZodType): string[] {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current !== undefined; depth++) {
    const zod = current as { shape?: Record<string, unknown>; _zod?: { def?: Record<string, unknown> } };
    if (zod.shape !== undefined && typeof zod.shape === 'object') {
      return Object.keys(zod.shape);
    }
    const def = zod._zod?.def;
    current = def?.['in'] ?? def?.['innerType'] ?? def?.['schema'];
  }
  return [];
}
