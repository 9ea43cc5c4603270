import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document of the app (also written to `apps/api/openapi.json` by `scripts/generate-openapi.ts`). */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('AIAA server')
    .setDescription(
      'Clara AIAA-compatible AI-assisted annotation API: models (/v1/models), inference (/v1/*), sessions (/session), ' +
        'the model registry (/admin/model) and logs. Every success is HTTP 200; an unknown session is 440.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: '--admin_token, for /admin/* from other hosts' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at `/docs` (AIAA serves it at `/docs/`), the JSON at `/docs-json`. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'docs-json' });
}
