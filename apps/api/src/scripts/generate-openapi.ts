// Writes apps/api/openapi.json from the code (sorted keys, the repository's Prettier style) and the types of
// @aiaa/client from it; the openapi e2e test fails when either file is stale. Run: npm run openapi
import 'reflect-metadata';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { generateClientTypes } from '../docs/client-types';
import { CLIENT_TYPES_FILE, OPENAPI_FILE, generateOpenApi } from '../docs/openapi-file';

async function main(): Promise<void> {
  const document = await generateOpenApi();
  const options = await resolveConfig(OPENAPI_FILE);
  await fs.writeFile(OPENAPI_FILE, await format(JSON.stringify(document), { ...options, filepath: OPENAPI_FILE }));
  console.log(`wrote ${OPENAPI_FILE}`);
  await fs.mkdir(path.dirname(CLIENT_TYPES_FILE), { recursive: true });
  await fs.writeFile(CLIENT_TYPES_FILE, await generateClientTypes(document));
  console.log(`wrote ${CLIENT_TYPES_FILE}`);
}

void main();
