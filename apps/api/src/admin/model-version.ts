import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ConfigError } from '@aiaa/core';
import type { ModelEngine, ModelSource } from '../runtime/model-loader';
import type { ModelVersion } from './model.repository';

/** The config file of every model folder. */
export const CONFIG_FILE = 'config_aiaa.json';

/** The registry columns a config gives: name, type, version (a string), labels, description. */
export function fieldsOf(
  name: string,
  config: Record<string, unknown>,
): Pick<ModelVersion, 'name' | 'type' | 'version' | 'labels' | 'description'> {
  const labels = Array.isArray(config['labels']) ? config['labels'].map(String) : [];
  return {
    name,
    type: typeof config['type'] === 'string' ? config['type'] : 'others',
    version: config['version'] === undefined ? '1' : String(config['version']),
    labels,
    description: typeof config['description'] === 'string' ? config['description'] : '',
  };
}

/** What the loader needs to build a registered (or about to be registered) version from its folder. */
export function sourceOf(version: ModelVersion, dir: string): ModelSource {
  return {
    name: version.name,
    config: JSON.parse(version.config) as unknown,
    dir,
    engine: version.engine as ModelEngine,
    ...(version.modelFile ? { modelFile: path.join(dir, version.modelFile) } : {}),
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
