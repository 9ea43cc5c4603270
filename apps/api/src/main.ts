import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { describeError } from '@aiaa/core';
import { loadConfig, secretFlagsIn } from './config/cli-args';
import { createApp } from './create-app';
import { stopOnSignals } from './process/graceful-shutdown';
import { usePrivateTempDir } from './process/private-temp-dir';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(describeError(error));
    process.exit(2);
  }
  // Before any model loads: onnxruntime and the worker threads write their temp files there.
  const temp = usePrivateTempDir();
  try {
    const app = await createApp(config);
    const logger = new Logger('Main');
    stopOnSignals({ app, graceMs: config.shutdownGraceSec * 1000, logger, afterClose: temp.remove });
    await app.listen(config.port, config.host);
    logger.log(
      `AIAA server listening on http://${config.host}:${config.port} (workspace ${config.workspace}, engine ${config.engine})`,
    );
    for (const flag of secretFlagsIn(process.argv.slice(2))) {
      logger.warn(`a secret was given on the command line, where other users of this machine can read it: ${flag}`);
    }
  } catch (error) {
    temp.remove();
    throw error;
  }
}

void bootstrap();
