// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata for NestJS), Nx's resolver maps the
// tsconfig.base.json paths (@aiaa/*) to sources, so tests run against the code, never against a build.
const path = require('node:path');
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // Node's environment with Node's typed arrays, so onnxruntime's outputs pass its own checks (see the file)
  testEnvironment: path.join(__dirname, 'tools/jest/shared-typed-arrays-environment.cjs'),
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageReporters: ['text-summary'],
};
