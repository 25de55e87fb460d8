/**
 * Deadlines in tests are backstops, never the synchronisation: a test waits on an event, a counter or a
 * condition, and a deadline only decides when "not yet" becomes "never". They are generous for two shared,
 * busy cores; TEST_TIME_SCALE (a factor, 1 by default) stretches every one of them, and vitest's test and
 * hook timeouts, on a slower machine: `TEST_TIME_SCALE=3 npm test`.
 */
export const TIME_SCALE = timeScale(process.env.TEST_TIME_SCALE);

function timeScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1)
    throw new Error(`TEST_TIME_SCALE must be a number ≥ 1 (a factor for test deadlines), not "${raw}"`);
  return scale;
}

/** A deadline of `ms` on a quiet machine, stretched by TEST_TIME_SCALE. */
export function scaled(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}
