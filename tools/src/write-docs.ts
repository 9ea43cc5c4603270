// Writes docs/transforms.md from the transform catalogue (its spec fails when the committed file is stale).
import { writeFileSync } from 'node:fs';
import { TRANSFORMS_DOC, transformsReference } from './docs/transforms-reference';

writeFileSync(TRANSFORMS_DOC, transformsReference());
console.log(`wrote ${TRANSFORMS_DOC}`);
