import { defineConfig } from 'vitest/config';

// TEST_TIME_SCALE stretches these backstops as tests/support/time.ts stretches the tests' own deadlines
// (which also rejects a malformed value). Read here directly: the config loads no project modules.
const scale = Math.max(1, Number(process.env.TEST_TIME_SCALE) || 1);
const scaled = (ms: number) => Math.round(ms * scale);

export default defineConfig({
  test: {
    include: [
      'core/src/**/*.test.ts',
      'demo/src/**/*.test.ts',
      'realtime/src/**/*.test.ts',
      'recommender/src/**/*.test.ts',
      'recommender/eval/**/*.test.ts',
      'search/src/**/*.test.ts',
      'search/eval/**/*.test.ts',
      'vision/src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'workers/src/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    globalSetup: ['tests/global-setup.ts'],
    // Backstops, stretched by TEST_TIME_SCALE on a slower machine (tests/support/time.ts). Tests fail on
    // their own waits' deadlines (up to 180 s for a photo check), so a test's whole budget is no shorter;
    // a fixed amount of work (200 concurrent checkouts, ONNX checks) takes what the machine's share allows.
    testTimeout: scaled(180_000),
    hookTimeout: scaled(180_000),
    // Integration suites share one FerretDB process (each file gets its own database); two cores.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
