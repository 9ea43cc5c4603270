// Prints the @aiaa/client types that the committed apps/api/openapi.json generates, for the drift test: it runs
// here, in plain Node, because openapi-typescript loads ES modules that Jest cannot require.
import * as fs from 'node:fs/promises';
import { generateClientTypes } from '../docs/client-types';
import { OPENAPI_FILE } from '../docs/openapi-file';

async function main(): Promise<void> {
  process.stdout.write(await generateClientTypes(JSON.parse(await fs.readFile(OPENAPI_FILE, 'utf8')) as never));
}

void main();
