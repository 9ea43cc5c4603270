import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ConfigError } from '@aiaa/core';
import { IN_PROCESS_ENGINE, ModelConfig } from '@aiaa/inference';
import type { ModelEngine, ModelSource } from '../runtime/model-loader';
import type { NewVersion } from './model.repository';

/** The config file of every model folder. */
export const CONFIG_FILE = 'config_aiaa.json';

/**
 * The registry columns a config gives (type, its own version, labels, description), read by {@link ModelConfig} as
 * the loader and the pipeline read them: the same defaults, the same validation.
 * @throws ConfigError naming the field of a config that does not validate.
 */
export function fieldsOf(
  name: string,
  config: unknown,
): Pick<NewVersion, 'type' | 'configVersion' | 'labels' | 'description'> {
  const parsed = ModelConfig.parse(config, { engine: IN_PROCESS_ENGINE, name });
  return {
    type: parsed.type,
    configVersion: parsed.version,
    labels: [...parsed.labels],
    description: parsed.description,
  };
}

/** What the loader needs to build version `row.version` of model `name` from its folder. */
export function sourceOf(
  name: string,
  row: Pick<NewVersion, 'version' | 'config' | 'engine' | 'modelFile'>,
  dir: string,
): ModelSource {
  return {
    name,
    version: row.version,
    config: JSON.parse(row.config) as unknown,
    dir,
    engine: row.engine as ModelEngine,
    ...(row.modelFile ? { modelFile: path.join(dir, row.modelFile) } : {}),
  };
}

/** Parses the uploaded config text. @throws ConfigError naming `config` */
export function parseConfigText(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('config', `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('config', `expected a JSON object, got ${Array.isArray(json) ? 'an array' : typeof json}`);
  }
  return json as Record<string, unknown>;
}

/** The client's file name when it is a plain, safe base name (`model.onnx`); undefined otherwise. */
export function safeFileName(filename: string | undefined): string | undefined {
  const base = filename === undefined ? undefined : path.basename(filename.replace(/\\/g, '/'));
  return base !== undefined && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(base) && base !== CONFIG_FILE
    ? base
    : undefined;
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
