import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildConfig } from '../config/app-config';
import { createApp } from '../create-app';
import { buildOpenApi } from './swagger';

/** `apps/api/openapi.json`: the committed OpenAPI document; reviews read its diff. */
export const OPENAPI_FILE = path.resolve(__dirname, '../../openapi.json');

/**
 * `libs/client/src/generated/aiaa-api.ts`: the types of `@aiaa/client`, generated from {@link OPENAPI_FILE} by
 * `client-types.ts` (kept apart: openapi-typescript loads ES modules that Jest cannot require).
 */
export const CLIENT_TYPES_FILE = path.resolve(__dirname, '../../../../libs/client/src/generated/aiaa-api.ts');

/** A copy of `value` with object keys sorted at every level: stable diffs. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(sortKeys) as T;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}

/** The app's OpenAPI document with sorted keys, built from a throwaway workspace (nothing listens). */
export async function generateOpenApi(): Promise<OpenAPIObject> {
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'aiaa-openapi-'));
  try {
    const app = await createApp(buildConfig({ workspace, port: 0 }), { console: false });
    try {
      await app.init();
      // A JSON round trip drops undefined values, as the committed file does.
      return sortKeys(JSON.parse(JSON.stringify(buildOpenApi(app))) as OpenAPIObject);
    } finally {
      await app.close();
    }
  } finally {
    await fs.rm(workspace, { recursive: true, force: true });
  }
}
