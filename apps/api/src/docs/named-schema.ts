import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';

const SCHEMAS = new Map<string, SchemaObject>();

/**
 * A component schema that is no class (a list, a string, a free object): registered under `name` when the module
 * declaring it loads, added to the document's `components.schemas` by `buildOpenApi`, and referred to by the `$ref`
 * this returns. Object schemas are DTO classes instead (`@ApiSchema({ name })`).
 * @throws Error when `name` is taken by a different schema (two routes would disagree on one name).
 */
export function namedSchema(name: string, schema: SchemaObject): ReferenceObject {
  const existing = SCHEMAS.get(name);
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(schema)) {
    throw new Error(`OpenAPI schema '${name}' is declared twice, differently`);
  }
  SCHEMAS.set(name, schema);
  return { $ref: `#/components/schemas/${name}` };
}

/** Every schema of {@link namedSchema}, by name. */
export function namedSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries(SCHEMAS);
}
