import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'web/ui/dist/**', 'data/**', '.tools/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['scripts/**', 'tests/**', '**/*.test.ts'], rules: { 'no-console': 'off' } },
  {
    // The wire types the Svelte app imports are inferred from these modules: they must stay browser-safe.
    files: ['web/src/schemas*.ts', 'web/src/routes/*-schemas.ts', 'web/src/wire/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@market/|node:|mongoose$|koa|@koa/)|/core/src/(?!\\w+/(types|verdict|state|area)$)',
              message:
                'Schema modules are browser-safe: zod, other schema modules, and constants from core/src/<domain>/types.ts only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/ui/src/**/*.ts', 'web/ui/src/**/*.svelte'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/src/(wire|schemas|routes)(/|$|-)',
              allowTypeImports: true,
              message:
                "Types only from the server's schemas (import type, via lib/api/wire.ts): a value import would put zod and the schemas in the bundle.",
            },
          ],
        },
      ],
    },
  },
);
