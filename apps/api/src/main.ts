import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const port = Number(process.env['AIAA_PORT'] ?? 5000);
  const host = process.env['AIAA_HOST'] ?? '0.0.0.0';
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(port, host);
  console.log(`AIAA server listening on http://${host}:${port}`);
}

void bootstrap();
