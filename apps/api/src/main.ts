import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import { loadConfig } from './config/cli-args';
import { createApp } from './create-app';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(describeError(error));
    process.exit(2);
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Main').log(
    `AIAA server listening on http://${config.host}:${config.port} (workspace ${config.workspace}, engine ${config.engine})`,
  );
}

void bootstrap();
