import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/src/**/*.test.ts',
      'demo/src/**/*.test.ts',
      'realtime/src/**/*.test.ts',
      'recommender/src/**/*.test.ts',
      'recommender/eval/**/*.test.ts',
      'search/src/**/*.test.ts',
      'vision/src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'workers/src/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Integration suites share one FerretDB process (each file gets its own database); two cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
