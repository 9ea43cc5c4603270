import { type ManifestInputs, packageNameOf, requiredSpecifiers, runtimeDependencies } from './package-manifest';

const ROOT = {
  name: '@aiaa/source',
  version: '0.1.0',
  license: 'Apache-2.0',
  dependencies: { zod: '^4.6.7', 'onnxruntime-node': '^1.30.0' },
  devDependencies: { jest: '^30.5.2' },
};

function inputs(requires: Record<string, string>): ManifestInputs {
  return {
    source: { name: '@aiaa/inference', version: '0.3.0' },
    root: ROOT,
    workspacePackages: new Map([['@aiaa/core', { name: '@aiaa/core', version: '0.3.0' }]]),
    entryPoints: [{ subpath: '.', js: 'lib/index.js', dts: 'lib/index.d.ts' }],
    requires: new Map(Object.entries(requires)),
  };
}

describe('runtimeDependencies', () => {
  it('takes the root ranges, and the workspace version for the other packages, sorted by name', () => {
    const deps = runtimeDependencies(
      inputs({ zod: 'lib/a.js', '@aiaa/core': 'lib/b.js', 'onnxruntime-node': 'lib/c.js' }),
    );
    expect(deps).toEqual({ '@aiaa/core': '0.3.0', 'onnxruntime-node': '^1.30.0', zod: '^4.6.7' });
    expect(Object.keys(deps)).toEqual(['@aiaa/core', 'onnxruntime-node', 'zod']);
  });

  it('refuses a package that is only a devDependency of the root, naming the file requiring it', () => {
    expect(() => runtimeDependencies(inputs({ jest: 'lib/testing/x.js' }))).toThrow(
      "lib/testing/x.js requires 'jest', which the root package.json does not depend on (only a devDependency there)",
    );
  });

  it('refuses a package nobody declared, and a package requiring itself', () => {
    expect(() => runtimeDependencies(inputs({ 'left-pad': 'lib/x.js' }))).toThrow("requires 'left-pad'");
    expect(() => runtimeDependencies(inputs({ '@aiaa/inference/testing': 'lib/x.js' }))).toThrow('its own package');
  });
});

describe('reading the compiled JavaScript', () => {
  it('finds require() and lowered import() specifiers', () => {
    const js = `const a = require("zod");\nconst b = await Promise.resolve().then(() => require('@grpc/grpc-js/build/src'));`;
    expect(requiredSpecifiers(js)).toEqual(['zod', '@grpc/grpc-js/build/src']);
  });

  it('names the package of a deep or scoped specifier', () => {
    expect(packageNameOf('@grpc/grpc-js/build/src')).toBe('@grpc/grpc-js');
    expect(packageNameOf('zod/v4')).toBe('zod');
  });
});
