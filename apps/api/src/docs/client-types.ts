import type { OpenAPIObject } from '@nestjs/swagger';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';
import { CLIENT_TYPES_FILE } from './openapi-file';

const HEADER =
  '// The types of every route of the AIAA server, generated from apps/api/openapi.json by openapi-typescript.\n' +
  '// Do not edit: `npm run openapi` rewrites this file, and a test fails when it is stale.\n\n';

/** Doc comments of the declarations `@aiaa/client` exports, which openapi-typescript writes without one. */
const DECLARATION_DOCS: Readonly<Record<string, string>> = {
  'export interface paths {':
    'Every route of the server by path, each method typed as its operation in {@link operations}.',
  'export interface components {': 'The named schemas of the document (`components.schemas`): bodies, replies, errors.',
  'export interface operations {':
    'Every operation by its `operationId`: parameters, request body and replies by status.',
};

/** `Blob` for binary fields, so that file parts and file replies are typed as what `fetch` sends and answers. */
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier('Blob'));

/**
 * The TypeScript types of `document` (`paths`, `components`, `operations`), formatted as the repository's Prettier
 * formats `CLIENT_TYPES_FILE`.
 */
export async function generateClientTypes(document: OpenAPIObject): Promise<string> {
  const nodes = await openapiTS(document as unknown as OpenAPI3, {
    silent: true,
    transform: (schema) => (schema.format === 'binary' ? BLOB : undefined),
  });
  const options = await resolveConfig(CLIENT_TYPES_FILE);
  let source = astToString(nodes);
  for (const [declaration, doc] of Object.entries(DECLARATION_DOCS)) {
    source = source.replace(declaration, `/** ${doc} */\n${declaration}`);
  }
  return format(HEADER + source, { ...options, filepath: CLIENT_TYPES_FILE });
}
