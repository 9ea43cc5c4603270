// Writes apps/api/openapi.json from the code (sorted keys, the repository's Prettier style); the openapi e2e test
// fails when the file is stale. Run: npm run openapi
import 'reflect-metadata';
import * as fs from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { OPENAPI_FILE, generateOpenApi } from '../docs/openapi-file';

async function main(): Promise<void> {
  const options = await resolveConfig(OPENAPI_FILE);
  const text = await format(JSON.stringify(await generateOpenApi()), { ...options, filepath: OPENAPI_FILE });
  await fs.writeFile(OPENAPI_FILE, text);
  console.log(`wrote ${OPENAPI_FILE}`);
}

void main();
