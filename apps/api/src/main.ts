import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import { loadConfig, secretFlagsIn } from './config/cli-args';
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
  const logger = new Logger('Main');
  logger.log(
    `AIAA server listening on http://${config.host}:${config.port} (workspace ${config.workspace}, engine ${config.engine})`,
  );
  for (const flag of secretFlagsIn(process.argv.slice(2))) {
    logger.warn(`a secret was given on the command line, where other users of this machine can read it: ${flag}`);
  }
}

void bootstrap();
