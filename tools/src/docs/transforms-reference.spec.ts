import { readFileSync } from 'node:fs';
import { CATALOGUE } from '@aiaa/core';
import { TRANSFORMS_DOC, transformsReference } from './transforms-reference';

describe('docs/transforms.md', () => {
  it('is what the catalogue generates (regenerate: npm run docs)', () => {
    expect(readFileSync(TRANSFORMS_DOC, 'utf8')).toBe(transformsReference());
  });

  it('lists every transform with its aliases, and its arguments with types and defaults', () => {
    const doc = transformsReference();
    for (const definition of CATALOGUE) {
      expect(doc).toContain(`## ${definition.name}\n`);
      for (const alias of definition.aliases) {
        expect(doc).toContain(`\`${alias}\``);
      }
    }
    expect(doc).toContain('| `clip` | boolean or the strings "true", "false" (any case) | `false` |');
    expect(doc).toContain('| `a_min` | number | required |');
  });
});
