import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { CATALOGUE, TransformRegistry } from '@aiaa/core';
import { configJsonSchema } from './config-schema';
import { ModelConfig } from './model-config';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'configs');
const registry = new TransformRegistry(CATALOGUE);
// An independent validator (ajv, JSON Schema draft 2020-12) judges the published schema.
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(configJsonSchema(registry));

/** What the server itself says of a config: ok, or its ConfigError message. */
function serverVerdict(json: unknown): string {
  try {
    const config = ModelConfig.parse(json, { engine: 'AIAA' });
    registry.buildList(config.preTransforms, 'pre_transforms');
    registry.buildList(config.postTransforms, 'post_transforms');
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the JSON Schema of config_aiaa.json, generated from the validating schemas', () => {
  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')))('accepts the real config %s', (file) => {
    const json = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as unknown;
    expect(validate(json) ? 'valid' : validate.errors).toBe('valid');
  });

  it.each([
    ['a misspelt top-level key', { post_transform: [] }],
    ['a misspelt transform argument', { pre_transforms: [{ name: 'ScaleIntensityRanged', args: { clipp: true } }] }],
    ['an unknown key of inference', { inference: { scaning_window: true } }],
    ['an argument of the wrong type', { pre_transforms: [{ name: 'Spacingd', args: { pixdim: 'one' } }] }],
    ['a transform name that is neither in the catalogue nor a plugin', { post_transforms: [{ name: 'NoSuch' }] }],
  ])('refuses %s, as the server does', (_what, json) => {
    expect(validate(json)).toBe(false);
    expect(serverVerdict(json)).not.toBe('ok');
  });

  it('accepts what the server takes that has free keys: plugin args, inference args, meta_data', () => {
    const json = {
      pre_transforms: [{ name: 'my_lib.MyTransform', args: { anything: [1, 2] } }],
      inference: { name: 'my_lib.MyInference', args: { device: 'cuda' }, meta_data: { deepgrow: '3D' } },
    };
    expect(validate(json) ? 'valid' : validate.errors).toBe('valid');
  });

  it('shows each transform with its aliases, arguments and defaults', () => {
    const schema = configJsonSchema(registry) as { properties: { pre_transforms: { items: { anyOf: unknown[] } } } };
    const scale = schema.properties.pre_transforms.items.anyOf.find(
      (e) => (e as { title: string }).title === 'ScaleIntensityRange',
    ) as { properties: { name: { enum: string[] }; args: { properties: Record<string, { default?: unknown }> } } };
    expect(scale.properties.name.enum).toContain('monai.transforms.ScaleIntensityRanged');
    expect(scale.properties.args.properties['clip']?.default).toBe(false);
  });
});
