import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// Workspaces reach each other by package name, through the entries their package.json `exports` declare;
// a relative path into another workspace (`../../core/src/logger`) hides the dependency and skips the entry.
const WORKSPACES = 'core|demo|realtime|recommender|search|vision|web|workers';
const noDeepImport = {
  regex: `^(\\.\\./)+(${WORKSPACES})/(src|eval|test|ui)(/|$)`,
  message:
    'Import another workspace by its package name (@market/…) through an entry in its package.json exports.',
};
// The Svelte app runs in the browser: it takes other workspaces' code only through entries that pull in
// no Node-only module (tests/boundaries.test.ts checks their import graphs).
const browserOnly = {
  regex: '^@market/(?!(core/browser|search/browser|realtime/contract)$)',
  message:
    'web/ui imports other workspaces only through @market/core/browser, @market/search/browser or @market/realtime/contract.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'web/ui/build/**',
      'web/ui/.svelte-kit/**',
      'data/**',
      '.tools/**',
      'tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      'no-restricted-imports': ['error', { patterns: [noDeepImport] }],
    },
  },
  {
    files: ['web/ui/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noDeepImport, browserOnly] }],
      // The storefront is served at the site's root (no `paths.base`), where `resolve('/p/x')` is '/p/x':
      // wrapping every link in it would only add noise.
      'svelte/no-navigation-without-resolve': 'off',
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
              regex: '^(@market/(?!core/browser$)|node:|mongoose$|koa|@koa/)',
              message:
                'Schema modules are browser-safe: zod, other schema modules, and constants from @market/core/browser only.',
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
