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
      'no-restricted-imports': ['error', { patterns: [noDeepImport] }],
    },
  },
  {
    files: ['web/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDeepImport, browserOnly] }] },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['scripts/**', 'tests/**', '**/*.test.ts'], rules: { 'no-console': 'off' } },
);
