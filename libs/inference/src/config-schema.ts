import { type TransformDefinition, type TransformRegistry } from '@aiaa/core';
import { z } from 'zod';
import { configSchema } from './model-config';

/** A JSON Schema (draft 2020-12) document or subschema, as plain JSON. */
export type JsonSchema = Record<string, unknown>;

/** Where the schema is published. */
export const CONFIG_SCHEMA_ID = 'https://aiaa.invalid/schemas/config_aiaa.json';

/**
 * The JSON Schema (draft 2020-12) of `config_aiaa.json`, generated from the same zod schemas that validate configs
 * (`ModelConfig`'s and every transform's arguments), so the two never drift. Each `pre_transforms`/`post_transforms`/
 * `writer` entry is one of the catalogue's transforms, by name or alias, with exactly its arguments
 * (`additionalProperties: false`), or a plugin class `module.ClassName` whose arguments are its own. The sections that
 * take any key (inference args, `meta_data`, Triton's configuration) say so in their `description`.
 */
export function configJsonSchema(registry: TransformRegistry): JsonSchema {
  const schema = toJson(configSchema);
  const properties = schema['properties'] as Record<string, JsonSchema>;
  const entry = { anyOf: [...registry.definitions().map(transformEntry), PLUGIN_ENTRY] };
  for (const list of ['pre_transforms', 'post_transforms']) {
    properties[list] = {
      type: 'array',
      description: `${list === 'pre_transforms' ? 'Steps before' : 'Steps after'} the inference, in order.`,
      items: entry,
    };
  }
  properties['writer'] = { ...entry, description: 'Writes the result: a file and the JSON the client gets.' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CONFIG_SCHEMA_ID,
    title: 'config_aiaa.json',
    description: 'A model of the AIAA server: its type, labels, pre-transforms, inference, post-transforms and writer.',
    ...schema,
  };
}

/** The JSON Schema of one transform's `args` (defaults shown, no other argument allowed). */
export function transformArgsSchema(definition: TransformDefinition<unknown>): JsonSchema {
  const args = toJson(definition.args);
  return args['type'] === 'object' ? { ...args, additionalProperties: false } : args;
}

function transformEntry(definition: TransformDefinition<unknown>): JsonSchema {
  return {
    type: 'object',
    title: definition.name,
    description: definition.summary,
    properties: {
      name: { enum: [definition.name, ...definition.aliases] },
      args: transformArgsSchema(definition),
    },
    required: ['name'],
    additionalProperties: false,
  };
}

const PLUGIN_ENTRY: JsonSchema = {
  type: 'object',
  title: 'plugin',
  description: 'A class of <workspace>/lib named module.ClassName (v3 configs may give the class in path).',
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$' },
    path: { type: 'string' },
    args: {
      type: 'object',
      description: "the plugin's own arguments: an extension point, any keys, passed to its constructor",
      additionalProperties: true,
    },
  },
  required: ['name'],
  additionalProperties: false,
};

/** A zod schema as JSON Schema, by the input it accepts (strings for flags, defaults shown), without `$schema`. */
function toJson(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json['$schema'];
  return json;
}
