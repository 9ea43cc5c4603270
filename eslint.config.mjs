import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The project-graph rule: tags say what each project is, the matrix says what it may import (see README "Layout").
const boundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    {
      sourceTag: 'type:core',
      onlyDependOnLibsWithTags: [],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'sqlite3', '@grpc/*', 'onnxruntime-node'],
    },
    {
      sourceTag: 'type:engine',
      onlyDependOnLibsWithTags: ['type:core'],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'sqlite3'],
    },
    {
      sourceTag: 'type:loader',
      onlyDependOnLibsWithTags: ['type:core', 'type:engine'],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'sqlite3'],
    },
    // The HTTP client of the server: generated from its OpenAPI document, it imports no project of ours.
    {
      sourceTag: 'type:client',
      onlyDependOnLibsWithTags: [],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'sqlite3', '@grpc/*', 'onnxruntime-node'],
    },
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: ['type:core', 'type:engine', 'type:loader', 'type:client'],
    },
    // The web page runs in the browser: no project of ours, nothing of the server's.
    {
      sourceTag: 'type:web',
      onlyDependOnLibsWithTags: [],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'sqlite3', '@grpc/*', 'onnxruntime-node', 'playwright-core'],
    },
    { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:core', 'type:engine', 'type:loader', 'type:client'] },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/tmp/**',
      '**/coverage/**',
      '.nx/**',
      'workspace/models/**',
      '**/*.cjs',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Tests may make deliberately bad calls.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
