import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { namedSchemas } from './named-schema';

/** The repository's `package.json`: the document's version and licence are the server's. */
const PACKAGE_JSON = path.resolve(__dirname, '../../../../package.json');

/** The route families, as the document groups them. */
const TAGS: readonly [string, string][] = [
  ['v1', "AIAA's `/v1` API: models, inference (segmentation, DEXTR3D, Deepgrow, any model) and polygons."],
  ['session', 'Upload an image once, then send only its `session_id` (clicks on the same volume).'],
  ['admin', 'The model registry: upload, read and delete models (admin rights: `--admin_hosts` or the token).'],
  ['health', 'Liveness and readiness, with the state of the inference engine.'],
  ['server', 'The log, the web page and the sample volumes.'],
];

/** The OpenAPI document of the app (also written to `apps/api/openapi.json` by `scripts/generate-openapi.ts`). */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const { version, license } = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as {
    version: string;
    license: string;
  };
  const builder = new DocumentBuilder()
    .setTitle('AIAA server')
    .setDescription(
      'Clara AIAA-compatible AI-assisted annotation API: models (/v1/models), inference (/v1/*), sessions ' +
        '(/session), the model registry (/admin/model), health and logs. Every success is HTTP 200; an unknown ' +
        'session is 440. Every error answers the `Error` schema, whose message names what is wrong and where.',
    )
    .setVersion(version)
    .setLicense(license, `https://spdx.org/licenses/${license}.html`)
    .addServer('/', 'The server this document was read from.')
    .addServer('http://{host}:{port}', 'An AIAA server by address (`npm start` serves on port 5000).', {
      host: { default: 'localhost', description: 'Its host name or address.' },
      port: { default: '5000', description: 'Its `--port`.' },
    })
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'The `--admin_token` (`AIAA_ADMIN_TOKEN`), for admin routes from hosts outside `--admin_hosts`.',
    });
  for (const [name, description] of TAGS) {
    builder.addTag(name, description);
  }
  const document = SwaggerModule.createDocument(app, builder.build(), {
    // Routes name their operation (`@ApiOperation({ operationId })`); the method name is the fallback.
    operationIdFactory: (_controller, method) => method,
  });
  // Public unless a route says otherwise (`@AdminOnly()`): an empty requirement list asks for no credentials.
  document.security = [];
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...namedSchemas() },
  };
  return document;
}

/** Swagger UI at `/docs` (AIAA serves it at `/docs/`), the JSON at `/docs-json`. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'docs-json' });
}
