/**
 * What the browser (the Svelte app in web/ui) may take from search: the query and result shapes and
 * their constants (sorts, price buckets), nothing that reaches Node. `tests/boundaries.test.ts` walks
 * the import graph below this file and fails on anything else; ESLint keeps web/ui on this entry.
 */
export * from './types';
